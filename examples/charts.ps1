<#
.SYNOPSIS
    Charts of what PSPeer measures, ready for a slide: Gnutella flooding against its bounds, a torrent swarm's
    completion times against the lower bound and Chord lookups against ½·log2 N, as SVG and as self-contained HTML
    reports.
.DESCRIPTION
    1. Gnutella flooding in a simulated network (virtual time, the same every run for a seed): one flood per TTL from
       1 to 6, each measured on its own, piped together to

           $sweep | Export-PeerChart -Path flood.svg

       The upper panel draws query messages per flood against the 2|E| bound, the lower one the nodes reached
       against breadth-first search over the links. Then one TTL-7 flood, read hop by hop (flood-hops.html).
    2. A BitTorrent swarm on loopback: a tracker, a seeder and several leechers, every one with an upload limit, so
       the chart can draw the lower bound on the time to complete them all beside the leechers' completion CDF:

           $leechers | Export-PeerChart -Path swarm.svg

    3. Chord rings of several sizes (simulated, small so it stays fast), each with lookups and stored keys, measured
       and piped together:

           $rings | Export-PeerChart -Path chord.svg

       The upper panel draws hops per lookup (mean, 1st and 99th percentiles) against ½·log2 N on a base-2 log
       axis, the lower one the keys per host.

    Writes the charts to -OutDir (./out/charts by default), stops every node, removes its temporary files, and
    emits one summary object (the files written, points drawn, leechers completed) that tests assert on.
#>
[CmdletBinding()]
param(
    # Where the charts go.
    [string] $OutDir = './out/charts',
    # Nodes and links per node of the simulated Gnutella network.
    [int] $Count = 2000,
    [int] $Degree = 4,
    [int] $Seed = 1,
    # The swarm: leechers, file size, upload limits (bytes per second) and how long to wait for it.
    [ValidateRange(1, 20)]
    [int] $LeecherCount = 6,
    [long] $FileSize = 2MB,
    [long] $SeedUploadLimit = 1MB,
    [long] $LeecherUploadLimit = 256KB,
    [int] $TimeoutSeconds = 120,
    # The Chord ring sizes, and the lookups and keys each one runs.
    [int[]] $ChordSizes = @(64, 256, 1024),
    [int] $ChordLookups = 300,
    [int] $ChordKeys = 4000
)
$ErrorActionPreference = 'Stop'
$out = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutDir)
[void][IO.Directory]::CreateDirectory($out)
$written = [Collections.Generic.List[string]]::new()
function Save($file) { $written.Add($file.Name); $file | Select-Object Name, Length | Out-Default }

# --- 1. Gnutella flooding ------------------------------------------------------------------------------------------
$net = New-PeerNetwork -Protocol Gnutella -Count $Count -Topology Random -Degree $Degree -Simulated -Seed $Seed
$sweep = foreach ($ttl in 1..6) {
    $null = Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl $ttl
    $net | Measure-PeerNetwork -Reset
}
Save ($sweep | Export-PeerChart -Path (Join-Path $out 'flood.svg') -Force -PassThru)
Save ($sweep | Export-PeerChart -Path (Join-Path $out 'flood.html') -Force -PassThru)

# One wide flood from another node: messages and nodes within h hops are what a TTL-h flood costs and reaches.
$null = Find-PeerFile 'Hey Jude' -Via $net.Nodes[1] -Ttl 7
$wide = $net | Measure-PeerNetwork -Reset
Save ($wide | Export-PeerChart -Path (Join-Path $out 'flood-hops.html') -Title "One TTL-7 flood over $Count nodes, hop by hop" -Force -PassThru)
$net | Stop-PeerNode -Confirm:$false

# --- 2. A swarm with upload limits ---------------------------------------------------------------------------------
$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-charts-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$seedDir = [IO.Path]::Combine($root, 'seed')
[void][IO.Directory]::CreateDirectory($seedDir)
$bytes = [byte[]]::new($FileSize)
[Random]::new(2001).NextBytes($bytes)
[IO.File]::WriteAllBytes([IO.Path]::Combine($seedDir, 'app.zip'), $bytes)
try {
    $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name 'chart-tracker'
    $torrent = New-Torrent ([IO.Path]::Combine($seedDir, 'app.zip')) -Tracker $tracker -PieceSize 64KB -OutFile ([IO.Path]::Combine($root, 'app.torrent'))
    # Every node is 127.0.0.1 here: the per-address connection limit must hold the whole swarm.
    $limits = @{ MaxConnectionsPerAddress = $LeecherCount + 8 }
    $null = Start-PeerNode -Protocol BitTorrent -Role Seeder -Name 'chart-seed' -Torrent $torrent -SharedPath $seedDir `
        -UploadLimit $SeedUploadLimit -ConnectionLimit $limits
    $leechers = foreach ($i in 1..$LeecherCount) {
        Start-PeerNode -Protocol BitTorrent -Role Leecher -Name "chart-leecher-$i" -Torrent $torrent `
            -SharedPath ([IO.Path]::Combine($root, "leecher-$i")) -UploadLimit $LeecherUploadLimit -ConnectionLimit $limits
    }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (@($leechers | Where-Object { $_.Progress -lt 1 }).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) {
        [Threading.Thread]::Sleep(200)
    }
    # The seeder is found in the session; its upload limit and the leechers' give the lower bound.
    Save ($leechers | Export-PeerChart -Path (Join-Path $out 'swarm.svg') -Force -PassThru)
    Save ($leechers | Export-PeerChart -Path (Join-Path $out 'swarm.html') -Force -PassThru)
    $completed = @($leechers | Where-Object { $_.Progress -eq 1 }).Count
}
finally {
    Get-PeerNode | Where-Object Name -like 'chart-*' | Stop-PeerNode -Confirm:$false
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}

# --- 3. Chord rings of several sizes -------------------------------------------------------------------------------
$rings = foreach ($n in $ChordSizes) {
    $ring = New-PeerNetwork -Protocol Chord -Count $n -Simulated -Seed $Seed -Name "chart-chord-$n"
    $ring | Invoke-PeerSimulation -Lookups $ChordLookups -Keys $ChordKeys | Measure-PeerNetwork
    $ring | Stop-PeerNode -Confirm:$false
}
Save ($rings | Export-PeerChart -Path (Join-Path $out 'chord.svg') -Force -PassThru)
Save ($rings | Export-PeerChart -Path (Join-Path $out 'chord.html') -Force -PassThru)

"Charts written to $out" | Out-Default
[pscustomobject]@{
    OutDir          = $out
    Files           = $written.ToArray()
    FloodPoints     = @($sweep).Count
    LeecherCount    = $LeecherCount
    Completed       = $completed
    ChordPoints     = @($rings).Count
}
