<#
.SYNOPSIS
    Chord: a live ring of real nodes on loopback (keys stored and looked up iteratively and recursively, files shared
    over the ring), then simulated rings that reproduce the paper's path length and failure figures.
.DESCRIPTION
    Part 1, live: starts -LiveNodes Chord nodes on 127.0.0.1 (the first starts a ring, each other one joins through a
    random earlier one), waits until every successor and predecessor is right, stores -Keys keys through random nodes
    and reads each back through another, and looks each up iteratively and recursively (the owner must agree). One
    node shares a folder; a search through another node finds the file by its keywords and downloads it, verified:

        Find-PeerFile "Hey Jude" -Via $b | Receive-PeerFile -Destination $dest

    Part 2, simulated: for N = 2^6 ... 2^MaxExponent nodes, mean hops of -Lookups lookups against ½·log2 N with the
    1st and 99th percentiles (the paper's §6.3); then a ring of 2,000 nodes where half the hosts fail at once: lookups
    after a minute of stabilization, and the keys lost with 3 replicas (about 0.5^3 of them).

    The last thing it emits is one summary object that tests assert on. Uses only PSPeer's cmdlets, Core cmdlets and .NET.
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 200)] [int] $LiveNodes = 30,
    [ValidateRange(1, 1000)] [int] $Keys = 20,
    [ValidateRange(6, 20)] [int] $MaxExponent = 12,
    [ValidateRange(100, 100000)] [int] $Lookups = 2000
)
$ErrorActionPreference = 'Stop'

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-chord-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$random = [Random]::new(2001)

# Bounded wait until every node's first successor and predecessor are its neighbours on the ring sorted by id.
function Wait-RingSettled([object[]] $Nodes, [int] $Seconds) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    do {
        $rings = @($Nodes | Get-PeerRing | Sort-Object Id)
        $wrong = 0
        for ($i = 0; $i -lt $rings.Count; $i++) {
            $next = $rings[($i + 1) % $rings.Count]; $prev = $rings[($i - 1 + $rings.Count) % $rings.Count]
            if ($rings[$i].Successors[0] -ne $next.EndPoint -or $rings[$i].Predecessor -ne $prev.EndPoint) { $wrong++ }
        }
        if ($wrong -eq 0) { return $true }
        Start-Sleep -Milliseconds 500
    } while ([DateTime]::UtcNow -lt $deadline)
    Write-Warning "$wrong of $($rings.Count) nodes still had a wrong neighbour after $Seconds s."
    return $false
}

try {
    # ------------------------------------------------------------------ Part 1: a live ring
    $music = [IO.Path]::Combine($root, 'music')
    [void][IO.Directory]::CreateDirectory($music)
    $song = [byte[]]::new(150KB); $random.NextBytes($song)
    [IO.File]::WriteAllBytes([IO.Path]::Combine($music, 'The Beatles - Hey Jude.mp3'), $song)

    $nodes = [Collections.Generic.List[object]]::new()
    $nodes.Add((Start-PeerNode -Protocol Chord -Name 'chord-0' -SharedPath $music))
    for ($i = 1; $i -lt $LiveNodes; $i++) {
        $through = $nodes[$random.Next($nodes.Count)]
        $nodes.Add((Start-PeerNode -Protocol Chord -Name "chord-$i" -Bootstrap $through))
    }
    $settled = Wait-RingSettled $nodes 60
    Write-Host "A live ring of $($nodes.Count) nodes; settled: $settled"
    $nodes | Get-PeerRing | Sort-Object Id | Select-Object -First 5 | Out-Default

    $readBack = 0; $agree = 0
    $found = foreach ($k in 1..$Keys) {
        $key = "song $k"
        Set-PeerKey -Via $nodes[$random.Next($nodes.Count)] -Key $key -Value "value of $key"
        if ((Get-PeerKey -Via $nodes[$random.Next($nodes.Count)] -Key $key) -eq "value of $key") { $readBack++ }
        $via = $nodes[$random.Next($nodes.Count)]
        $iterative = Find-PeerKey $key -Via $via -Mode Iterative
        $recursive = Find-PeerKey $key -Via $via -Mode Recursive
        if ($iterative.Owner -eq $recursive.Owner) { $agree++ }
        $iterative; $recursive
    }
    $found | Select-Object -First 4 | Out-Default
    $found | Group-Object Mode | ForEach-Object {
        [pscustomobject]@{
            Mode = $_.Name; Lookups = $_.Count
            MeanHops = [Math]::Round(($_.Group | Measure-Object Hops -Average).Average, 2)
            MeanMessages = [Math]::Round(($_.Group | Measure-Object Messages -Average).Average, 2)
            MeanLatencyMs = [Math]::Round(($_.Group | ForEach-Object { $_.Latency.TotalMilliseconds } | Measure-Object -Average).Average, 2)
        }
    } | Format-Table | Out-Default
    Write-Host ("½·log2 {0} = {1:0.00}" -f $nodes.Count, (0.5 * [Math]::Log($nodes.Count, 2)))

    $dest = [IO.Path]::Combine($root, 'downloads')
    $hits = @(Find-PeerFile 'Hey Jude' -Via $nodes[$nodes.Count - 1])
    $hits | Out-Default
    $downloads = @($hits | Receive-PeerFile -Destination $dest)
    $downloads | Out-Default
    $bytesMatch = $downloads.Count -eq 1 -and [BitConverter]::ToString([IO.File]::ReadAllBytes($downloads[0].Path)) -eq [BitConverter]::ToString($song)
    $nodes | Stop-PeerNode

    # ------------------------------------------------------------------ Part 2: simulated rings
    $pathLength = foreach ($exponent in 6..$MaxExponent) {
        $ring = New-PeerNetwork -Protocol Chord -Count ([int][Math]::Pow(2, $exponent)) -Simulated -Seed $exponent
        $m = $ring | Invoke-PeerSimulation -Lookups $Lookups | Measure-PeerNetwork
        $ring | Stop-PeerNode
        [pscustomobject]@{
            N = $m.Nodes; MeanHops = [Math]::Round($m.MeanHops, 2); HalfLog2N = [Math]::Round($m.ExpectedHops, 2)
            P1 = $m.HopsP1; P99 = $m.HopsP99; Failed = $m.FailedLookups + $m.WrongOwner
        }
    }
    $pathLength | Format-Table | Out-Default

    $ring = New-PeerNetwork -Protocol Chord -Count 2000 -Simulated -Seed 7
    $failures = $ring | Invoke-PeerSimulation -Keys 4000 -FailFraction 0.5 -Duration 60 -Lookups $Lookups | Measure-PeerNetwork
    $ring | Stop-PeerNode
    $failures | Select-Object Nodes, NodesFailed, Lookups, FailedLookups, WrongOwner, MeanHops, Keys, KeysLost, KeysLostFraction | Format-List | Out-Default

    [pscustomobject]@{
        LiveNodes       = $nodes.Count
        RingSettled     = $settled
        KeysReadBack    = $readBack
        OwnersAgree     = $agree
        Keys            = $Keys
        HitCount        = $hits.Count
        DownloadVerified = $downloads.Count -eq 1 -and $downloads[0].Verified
        BytesMatch      = $bytesMatch
        PathLength      = $pathLength
        FailedAfterHalfFailed = $failures.FailedLookups + $failures.WrongOwner
        KeysLostFraction = $failures.KeysLostFraction
    }
}
finally {
    Get-PeerNode | Stop-PeerNode -Confirm:$false
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}
