using System;
using System.IO;
using PSPeer.Module.Tests.Support;
using Xunit;
using static PSPeer.Module.Tests.Hosts.GnutellaAcrossNatTests;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>A fact that needs namespaces, sshd and pwsh; elsewhere it skips and says which is missing.</summary>
    public sealed class RemotingFactAttribute : FactAttribute
    {
        public RemotingFactAttribute()
        {
            var reason = NamespaceLab.WhyNoRemoting();
            if (reason != null) Skip = reason;
        }
    }

    /// <summary>
    /// The way a user drives machines: a workstation (pub3) opens persistent PowerShell sessions over SSH to two lab
    /// hosts (sshd in each namespace, pwsh as its subsystem), imports the built module there by path (the namespaces
    /// share this machine's files), keeps a tracker and a seeder alive in one session and downloads in the other.
    /// </summary>
    [Collection(NamespaceCollection.Name)]
    public class RemotingAcrossHostsTests
    {
        const string Workstation = @"
param($dir, $key, $module)
$ErrorActionPreference = 'Stop'
$ssh = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
$sessions = New-PSSession -HostName 198.18.0.1, 198.18.0.2 -UserName root -KeyFilePath $key -Options $ssh
try {
    Invoke-Command $sessions { Import-Module $using:module }
    $lab1 = $sessions | Where-Object ComputerName -eq '198.18.0.1'
    $lab2 = $sessions | Where-Object ComputerName -eq '198.18.0.2'
    Invoke-Command $lab1 {
        $folder = [IO.Path]::Combine($using:dir, 'build')
        [void][IO.Directory]::CreateDirectory($folder)
        $bytes = [byte[]]::new(2MB); [Random]::new(3).NextBytes($bytes)
        [IO.File]::WriteAllBytes([IO.Path]::Combine($folder, 'app.zip'), $bytes)
        $global:tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Address 198.18.0.1 -Port 6969
        $t = New-Torrent ([IO.Path]::Combine($folder, 'app.zip')) -Tracker udp://198.18.0.1:6969/announce -OutFile ([IO.Path]::Combine($using:dir, 'app.torrent'))
        $global:seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Address 198.18.0.1 -Torrent $t -SharedPath $folder
    }
    # The seeder lives on in lab1's session while lab2 downloads.
    $got = Invoke-Command $lab2 {
        Get-TorrentInfo ([IO.Path]::Combine($using:dir, 'app.torrent')) | Receive-PeerFile -Address 198.18.0.2 -Destination ([IO.Path]::Combine($using:dir, 'drop')) -Timeout 60
    }
    $running = Invoke-Command $lab1 { @(Get-PeerNode).Count }
    [Console]::WriteLine(""RESULT verified=$($got.Verified) from=$($got.PSComputerName) running=$running"")
    $same = [BitConverter]::ToString([IO.File]::ReadAllBytes($got.Path)) -eq [BitConverter]::ToString([IO.File]::ReadAllBytes([IO.Path]::Combine($dir, 'build', 'app.zip')))
    [Console]::WriteLine(""RESULT same=$same"")
    Invoke-Command $lab1 { Stop-PeerNode $global:seed, $global:tracker }
} finally { Remove-PSSession $sessions }
";

        [RemotingFact]
        public void A_workstation_drives_a_swarm_on_two_lab_hosts_through_PowerShell_remoting_over_SSH()
        {
            using (var temp = new TempFolder("pspeer-ns"))
            using (var lab = new NamespaceLab(temp))
            {
                string key = lab.StartSshd("pub1", NamespaceLab.Pub(1));
                lab.StartSshd("pub2", NamespaceLab.Pub(2));
                string module = Path.Combine(ModuleSession.RepoRoot, "out", "PSPeer", "PSPeer.psd1");
                System.Threading.Thread.Sleep(500);   // sshd binds
                var workstation = lab.StartPwsh("pub3", "workstation", Workstation, temp.Path, key, module);
                WaitAll(lab, workstation);
                var r = Results(workstation);
                Assert.True(r.ContainsKey("same"), workstation.ToString());
                Assert.Equal("True", r["verified"]);
                Assert.Equal("198.18.0.2", r["from"]);   // the download ran on lab2
                Assert.Equal("2", r["running"]);          // tracker and seeder stayed up in lab1's persistent session
                Assert.Equal("True", r["same"]);
            }
        }
    }
}
