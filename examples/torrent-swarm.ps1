<#
.SYNOPSIS
    A BitTorrent swarm on loopback: a tracker, one seeder and several leechers sharing one generated file.
.DESCRIPTION
    Generates a payload of random bytes in a temporary folder, makes a torrent of it with New-Torrent, starts a
    tracker and a seeder, then starts the leechers together. They find each other through the tracker, trade
    pieces among themselves as well as with the seeder, and seed once complete. The script waits until every
    leecher holds the whole file, shows each one's completion time, sources (the peers that sent it data) and
    rates, checks every copy byte for byte against the payload, and finally fetches one more copy with

        Get-TorrentInfo $torrent | Receive-PeerFile -Destination $dest

    It stops every node and removes the temporary files. The last thing it emits is one summary object
    (LeecherCount, Completed, AllIdentical, ReceivedVerified, ...) that tests assert on.
    Uses only PSPeer's cmdlets, a few Core cmdlets and .NET, so it runs in a minimal hosted runspace too.
#>
[CmdletBinding()]
param(
    # Size of the shared file, in bytes.
    [long] $FileSize = 8MB,
    # How many leechers join the swarm.
    [ValidateRange(1, 50)]
    [int] $LeecherCount = 4,
    # Give up after this many seconds.
    [int] $TimeoutSeconds = 120
)
$ErrorActionPreference = 'Stop'

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-swarm-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$seedDir = [IO.Path]::Combine($root, 'seed')
[void][IO.Directory]::CreateDirectory($seedDir)

# The payload: random bytes, as a build artifact would look to BitTorrent.
$payload = [IO.Path]::Combine($seedDir, 'app.zip')
$bytes = [byte[]]::new($FileSize)
[Random]::new(2001).NextBytes($bytes)
[IO.File]::WriteAllBytes($payload, $bytes)
$payloadHash = [BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($bytes))

function Get-FileSha256([string] $path) {
    $sha = [Security.Cryptography.SHA256]::Create()
    $stream = [IO.File]::OpenRead($path)
    try { [BitConverter]::ToString($sha.ComputeHash($stream)) } finally { $stream.Dispose(); $sha.Dispose() }
}

try {
    $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name 'tracker'
    $torrentPath = [IO.Path]::Combine($root, 'app.torrent')
    $torrent = New-Torrent $payload -Tracker $tracker.AnnounceUrl -PieceSize 64KB -OutFile $torrentPath
    $torrent | Out-Default

    # Every node here is 127.0.0.1, and each may be dialled by all the others: the per-address limit (8 by
    # default, loopback included) must hold the whole swarm.
    $limits = @{ MaxConnectionsPerAddress = $LeecherCount + 8 }
    $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Name 'seed' -Torrent $torrent -SharedPath $seedDir -ConnectionLimit $limits
    $leechers = foreach ($i in 1..$LeecherCount) {
        Start-PeerNode -Protocol BitTorrent -Role Leecher -Name "leecher-$i" -Torrent $torrent `
            -SharedPath ([IO.Path]::Combine($root, "leecher-$i")) -ConnectionLimit $limits
    }

    # The leechers run in the background; watch them until every one holds the whole file.
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (@($leechers | Where-Object { $_.Progress -lt 1 }).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) {
        [Threading.Thread]::Sleep(200)
    }
    Get-PeerNode | Out-Default

    $names = @{}; $byEndPoint = @{}
    foreach ($node in @($seed) + $leechers) { $names[$node.PeerId] = $node.Name; $byEndPoint[$node.EndPoint] = $node.Name }

    # Each leecher: when it completed, who sent it data, and how much it passed on to the others.
    $report = foreach ($leecher in $leechers) {
        $done = $leecher.CompletedAt
        $copy = [IO.Path]::Combine($leecher.SharedPath, 'app.zip')
        [pscustomobject]@{
            Name      = $leecher.Name
            Completed = $leecher.Progress -eq 1
            Seconds   = if ($done) { [Math]::Round(($done - $leecher.StartTime).TotalSeconds, 2) } else { $null }
            Received  = [PSPeer.DisplayText]::Size($leecher.Downloaded)
            Sent      = [PSPeer.DisplayText]::Size($leecher.Uploaded)
            Rate      = if ($done) { [PSPeer.DisplayText]::Rate($leecher.Downloaded / [Math]::Max(0.001, ($done - $leecher.StartTime).TotalSeconds)) } else { '' }
            # Sources are endpoints; an incoming peer shows the port it dialled from, so peer ids name the nodes.
            Sources   = ($leecher.SourcePeerIds | ForEach-Object { $names[$_] }) -join ', '
            Identical = [IO.File]::Exists($copy) -and (Get-FileSha256 $copy) -eq $payloadHash
        }
    }
    # A hand-made table: objects with this many properties would print as a list, and Format-Table may not exist here.
    $line = '{0,-11} {1,-9} {2,7} {3,9} {4,9} {5,10} {6,-9} {7}'
    $line -f 'Name', 'Completed', 'Seconds', 'Received', 'Sent', 'Rate', 'Identical', 'Sources' | Out-Default
    $report | ForEach-Object { $line -f $_.Name, $_.Completed, $_.Seconds, $_.Received, $_.Sent, $_.Rate, $_.Identical, $_.Sources } | Out-Default

    # One more copy the way a script fetches an artifact: it joins the same swarm, which now has 1 + N seeds.
    $dest = [IO.Path]::Combine($root, 'received')
    $download = Get-TorrentInfo $torrentPath | Receive-PeerFile -Destination $dest -Timeout $TimeoutSeconds
    $download | Out-Default
    # This leecher dialled every peer itself, so its sources are their listening endpoints.
    "Received from: $(($download.Sources | ForEach-Object { if ($byEndPoint[$_]) { $byEndPoint[$_] } else { $_ } }) -join ', ')" | Out-Default

    [pscustomobject]@{
        LeecherCount     = $LeecherCount
        Completed        = @($report | Where-Object { $_.Completed }).Count
        AllIdentical     = @($report | Where-Object { -not $_.Identical }).Count -eq 0
        ReceivedVerified = [bool]$download.Verified
        ReceivedIdentical = (Get-FileSha256 $download.Path) -eq $payloadHash
        ReceivedSources  = $download.Sources.Count
    }
}
finally {
    Get-PeerNode | Stop-PeerNode -Confirm:$false
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}
