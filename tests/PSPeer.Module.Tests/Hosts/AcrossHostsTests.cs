using System;
using PSPeer.Module.Tests.Support;
using Xunit;
using static PSPeer.Module.Tests.Hosts.GnutellaAcrossNatTests;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>
    /// Napster and BitTorrent across separate namespaced hosts (see <see cref="NamespaceLab"/>), and a node whose
    /// -ExternalAddress cannot be reached saying so. Each host is its own PSPeer script process.
    /// </summary>
    [Collection(NamespaceCollection.Name)]
    public class AcrossHostsTests
    {
        const string Wait = @"
function Wait-File([string] $path, [int] $seconds = 90) {
    $deadline = [DateTime]::UtcNow.AddSeconds($seconds)
    while (-not [IO.File]::Exists($path) -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
    [IO.File]::Exists($path)
}
function New-Payload([string] $folder, [string] $name, [int] $size, [int] $seed) {
    [void][IO.Directory]::CreateDirectory($folder)
    $bytes = [byte[]]::new($size)
    [Random]::new($seed).NextBytes($bytes)
    [IO.File]::WriteAllBytes([IO.Path]::Combine($folder, $name), $bytes)
    [BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($bytes))
}
function Get-Sha([string] $path) { [BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash([IO.File]::ReadAllBytes($path))) }
";

        [NamespaceFact]
        public void Napster_search_and_download_cross_three_hosts()
        {
            const string Index = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
$server = Start-PeerNode -Protocol Napster -Role IndexServer -Name index -Address 198.18.0.1 -Port 8888
try { [void](Wait-File ([IO.Path]::Combine($dir, 'done'))) } finally { Stop-PeerNode $server }
";
            const string Sharer = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
$hash = New-Payload ([IO.Path]::Combine($dir, 'share')) 'Hey Jude.mp3' 200KB 5
[IO.File]::WriteAllText([IO.Path]::Combine($dir, 'hash'), $hash)
[Threading.Thread]::Sleep(1000)   # the index server is up
$peer = Start-PeerNode -Protocol Napster -Role Peer -Name sharer -Address 198.18.0.2 -IndexServer 198.18.0.1:8888 -SharedPath ([IO.Path]::Combine($dir, 'share'))
[IO.File]::WriteAllText([IO.Path]::Combine($dir, 'shared'), 'yes')
try { [void](Wait-File ([IO.Path]::Combine($dir, 'done'))) } finally { Stop-PeerNode $peer }
";
            const string Searcher = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
try {
    [void](Wait-File ([IO.Path]::Combine($dir, 'shared')))
    $peer = Start-PeerNode -Protocol Napster -Role Peer -Name searcher -Address 198.18.0.3 -IndexServer 198.18.0.1:8888
    $hits = @(Find-PeerFile 'Hey Jude' -Via $peer -Timeout 5)
    [Console]::WriteLine(""RESULT hits=$($hits.Count) source=$($hits[0].Source)"")
    $d = $hits[0] | Receive-PeerFile -Destination ([IO.Path]::Combine($dir, 'down'))
    $same = (Get-Sha $d.Path) -eq [IO.File]::ReadAllText([IO.Path]::Combine($dir, 'hash'))
    [Console]::WriteLine(""RESULT verified=$($d.Verified) same=$same"")
    Stop-PeerNode $peer
} finally { [IO.File]::WriteAllText([IO.Path]::Combine($dir, 'done'), 'done') }
";
            using (var temp = new TempFolder("pspeer-ns"))
            using (var lab = new NamespaceLab(temp))
            {
                var index = lab.Start("pub1", "index", Index, temp.Path);
                var sharer = lab.Start("pub2", "sharer", Sharer, temp.Path);
                var searcher = lab.Start("pub3", "searcher", Searcher, temp.Path);
                WaitAll(lab, searcher, sharer, index);
                var r = Results(searcher);
                Assert.True(r.ContainsKey("same"), searcher + "\n" + sharer + "\n" + index);
                Assert.Equal("1", r["hits"]);
                Assert.StartsWith("198.18.0.2:", r["source"]);   // the index server gives the sharer's own address
                Assert.Equal("True", r["same"]);
            }
        }

        [NamespaceFact]
        public void A_BitTorrent_swarm_spans_three_hosts_through_a_UDP_tracker()
        {
            const string Seeder = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
$hash = New-Payload ([IO.Path]::Combine($dir, 'seed')) 'app.zip' 3MB 11
$tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name tracker -Address 198.18.0.1 -Port 6969
try {
    $torrent = New-Torrent ([IO.Path]::Combine($dir, 'seed', 'app.zip')) -Tracker udp://198.18.0.1:6969/announce -PieceSize 64KB -OutFile ([IO.Path]::Combine($dir, 'app.tmp'))
    $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Name seed -Address 198.18.0.1 -Torrent $torrent -SharedPath ([IO.Path]::Combine($dir, 'seed'))
    [IO.File]::WriteAllText([IO.Path]::Combine($dir, 'hash'), $hash)
    [IO.File]::Move([IO.Path]::Combine($dir, 'app.tmp'), [IO.Path]::Combine($dir, 'app.torrent'))
    $ok = (Wait-File ([IO.Path]::Combine($dir, 'done-2'))) -and (Wait-File ([IO.Path]::Combine($dir, 'done-3')))
    [Console]::WriteLine(""RESULT leechersDone=$ok"")
    Stop-PeerNode $seed
} finally { Stop-PeerNode $tracker }
";
            string Leecher(int n) => "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + $@"
try {{
    [void](Wait-File ([IO.Path]::Combine($dir, 'app.torrent')))
    $d = Get-TorrentInfo ([IO.Path]::Combine($dir, 'app.torrent')) | Receive-PeerFile -Address 198.18.0.{n} -Destination ([IO.Path]::Combine($dir, 'leech-{n}')) -Timeout 60
    $same = (Get-Sha $d.Path) -eq [IO.File]::ReadAllText([IO.Path]::Combine($dir, 'hash'))
    [Console]::WriteLine(""RESULT verified{n}=$($d.Verified) same{n}=$same sources{n}=$($d.Source -replace ' ', '')"")
}} finally {{ [IO.File]::WriteAllText([IO.Path]::Combine($dir, 'done-{n}'), 'done') }}
";
            using (var temp = new TempFolder("pspeer-ns"))
            using (var lab = new NamespaceLab(temp))
            {
                var seeder = lab.Start("pub1", "seeder", Seeder, temp.Path);
                var two = lab.Start("pub2", "leecher-2", Leecher(2), temp.Path);
                var three = lab.Start("pub3", "leecher-3", Leecher(3), temp.Path);
                WaitAll(lab, two, three, seeder);
                var r = Results(seeder, two, three);
                string all = seeder + "\n" + two + "\n" + three;
                Assert.True(r.ContainsKey("same2") && r.ContainsKey("same3"), all);
                Assert.Equal("True", r["verified2"]);
                Assert.Equal("True", r["same2"]);
                Assert.Equal("True", r["verified3"]);
                Assert.Equal("True", r["same3"]);
                Assert.Equal("True", r["leechersDone"]);
                Assert.Contains("198.18.0.", r["sources2"] + r["sources3"]);   // peers came from the tracker across hosts
            }
        }

        [NamespaceFact]
        public void A_node_told_a_wrong_external_address_says_it_is_not_reached_instead_of_hanging_silently()
        {
            const string Up = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
$up = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name up -Address 198.18.0.1 -Port 6346
try { [void](Wait-File ([IO.Path]::Combine($dir, 'done'))) } finally { Stop-PeerNode $up }
";
            // At home, behind the NAT, claiming the router's public address with nothing forwarded to it.
            const string Home = "param($dir)\n$ErrorActionPreference = 'Stop'\n" + Wait + @"
try {
    [Threading.Thread]::Sleep(1000)
    $node = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name home -Address 198.19.0.2 -ExternalAddress 198.18.0.254 -Port 6346 -Bootstrap 198.18.0.1:6346 -ReachabilityTimeoutSec 4
    $said = @(Watch-PeerEvent -Node $node -Type NotReachedFromOutside -Count 1 -Timeout 20)
    # Its outbound link may still be coming up on a loaded machine: wait for it (bounded) before reporting.
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($node.ConnectionCount -lt 1 -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
    [Console]::WriteLine(""RESULT said=$($said.Count) links=$($node.ConnectionCount)"")
    [Console]::WriteLine('RESULT advertised=' + $said[0].Data['Advertised'])
    [Console]::WriteLine('MESSAGE ' + $said[0].Message)
    Stop-PeerNode $node
} finally { [IO.File]::WriteAllText([IO.Path]::Combine($dir, 'done'), 'done') }
";
            using (var temp = new TempFolder("pspeer-ns"))
            using (var lab = new NamespaceLab(temp))
            {
                var up = lab.Start("pub1", "up", Up, temp.Path);
                var home = lab.Start("home", "home", Home, temp.Path);
                WaitAll(lab, home, up);
                var r = Results(home);
                Assert.True(r.ContainsKey("said"), home + "\n" + up);
                Assert.Equal("1", r["said"]);
                Assert.Equal("1", r["links"]);                         // it joined the network: only inbound is missing
                Assert.Equal("198.18.0.254:6346", r["advertised"]);
                Assert.Contains("-ExternalAddress", home.Output);
            }
        }
    }
}
