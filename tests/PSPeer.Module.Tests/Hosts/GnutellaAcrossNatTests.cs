using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>
    /// Nodes on separate hosts (Linux network namespaces, see <see cref="NamespaceLab"/>), one of them at home behind
    /// a real NAT (nftables masquerade), each host driven by its own PSPeer script process.
    /// </summary>
    [Collection(NamespaceCollection.Name)]
    public class GnutellaAcrossNatTests
    {
        static readonly TimeSpan ScriptLimit = TimeSpan.FromSeconds(100);

        /// <summary>"RESULT key=value key=value" lines a node script printed, as one dictionary.</summary>
        internal static Dictionary<string, string> Results(params NodeProcess[] processes)
        {
            var results = new Dictionary<string, string>();
            foreach (var p in processes)
                foreach (var line in p.Output.Split('\n').Where(l => l.StartsWith("RESULT ")))
                    foreach (Match m in Regex.Matches(line.Substring(7), @"(\w+)=(\S*)"))
                        results[m.Groups[1].Value] = m.Groups[2].Value;
            return results;
        }

        internal static void WaitAll(NamespaceLab lab, params NodeProcess[] processes)
        {
            foreach (var p in processes)
                Assert.True(p.WaitForExit(ScriptLimit), $"{p.Name} did not finish in {ScriptLimit}:\n" + string.Join("\n", processes.Select(x => x.ToString())) + lab.Log);
        }

        const string Ultrapeer = @"
param($dir)
$ErrorActionPreference = 'Stop'
$up = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name up -Address 198.18.0.1 -Port 6346 -Reachability Detect
try {
    [Console]::WriteLine(""RESULT upFirewalledAtStart=$($up.Firewalled)"")
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($up.ConnectionCount -lt 1 -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
    [Threading.Thread]::Sleep(1000)   # the leaf's QRP table arrives
    [Console]::WriteLine(""RESULT upFirewalled=$($up.Firewalled) leafFrom=$(($up.GetType().GetProperty('Engine', [Reflection.BindingFlags]'NonPublic,Instance').GetValue($up)).Neighbors -join ',')"")
    # The leaf's QRP table reaches the ultrapeer asynchronously; until it has, the query is not passed to the leaf.
    $hits = @()
    for ($try = 0; $try -lt 10 -and $hits.Count -eq 0; $try++) { if ($try) { [Threading.Thread]::Sleep(1000) }; $hits = @(Find-PeerFile 'home movie' -Via $up -Timeout 5) }
    [Console]::WriteLine(""RESULT hits=$($hits.Count) push=$($hits[0].NeedsPush) source=$($hits[0].Source)"")
    # Without Push there is no way in: the home address is not routed here, and the NAT forwards nothing unasked.
    foreach ($target in '198.19.0.2', '198.18.0.254') {
        $client = [Net.Sockets.TcpClient]::new()
        $reached = $false
        try { $reached = $client.ConnectAsync($target, 6346).Wait(3000) } catch { }
        $client.Dispose()
        [Console]::WriteLine(""RESULT direct$($target.Replace('.', '_'))=$reached"")
    }
    $download = $hits[0] | Receive-PeerFile -Destination ([IO.Path]::Combine($dir, 'down'))
    $same = [BitConverter]::ToString([IO.File]::ReadAllBytes($download.Path)) -eq [BitConverter]::ToString([IO.File]::ReadAllBytes([IO.Path]::Combine($dir, 'home-share', 'home movie.avi')))
    [Console]::WriteLine(""RESULT verified=$($download.Verified) same=$same"")
} finally {
    [IO.File]::WriteAllText([IO.Path]::Combine($dir, 'done'), 'done')
    Stop-PeerNode $up
}
";

        const string HomeLeaf = @"
param($dir)
$ErrorActionPreference = 'Stop'
$share = [IO.Path]::Combine($dir, 'home-share')
[void][IO.Directory]::CreateDirectory($share)
$bytes = [byte[]]::new(300KB)
[Random]::new(9).NextBytes($bytes)
[IO.File]::WriteAllBytes([IO.Path]::Combine($share, 'home movie.avi'), $bytes)
$leaf = Start-PeerNode -Protocol Gnutella -Role Leaf -Name home -Address 198.19.0.2 -Port 6346 -Bootstrap 198.18.0.1:6346 -SharedPath $share -Reachability Detect
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    while (-not [IO.File]::Exists([IO.Path]::Combine($dir, 'done')) -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
    [Console]::WriteLine(""RESULT homeFirewalled=$($leaf.Firewalled)"")
} finally { Stop-PeerNode $leaf }
";

        [NamespaceFact]
        public void A_servent_behind_a_real_NAT_answers_with_the_push_flag_and_its_file_arrives_by_push_and_giv()
        {
            using (var temp = new TempFolder("pspeer-ns"))
            using (var lab = new NamespaceLab(temp))
            {
                var up = lab.Start("pub1", "up", Ultrapeer, temp.Path);
                var home = lab.Start("home", "home", HomeLeaf, temp.Path);
                WaitAll(lab, up, home);
                var r = Results(up, home);
                string all = up + "\n" + home;
                Assert.True(r.TryGetValue("verified", out var verified), all);
                Assert.Equal("True", r["upFirewalledAtStart"]);
                Assert.Equal("False", r["upFirewalled"]);                 // the leaf reached it from outside (through the NAT)
                Assert.Equal(NamespaceLab.Home + ":6346", r["leafFrom"]);   // the leaf's own (private) listening address
                Assert.Equal("True", r["homeFirewalled"]);                // nobody ever reached the home leaf
                Assert.Equal("1", r["hits"]);
                Assert.Equal("True", r["push"]);
                Assert.StartsWith(NamespaceLab.Home + ":", r["source"]);
                Assert.Equal("False", r["direct198_19_0_2"]);
                Assert.Equal("False", r["direct198_18_0_254"]);
                Assert.Equal("True", verified);
                Assert.Equal("True", r["same"]);
            }
        }
    }
}
