<#
.SYNOPSIS
    Gnutella flooding in a simulated network: how far a query reaches and what it costs, TTL by TTL, against what
    breadth-first search over the links predicts; then the same with ultrapeers and leaves, and under churn.
.DESCRIPTION
    Builds a seeded random network of simulated servents (virtual time: the run is the same every time for a seed),
    searches for "Hey Jude" from one node with TTL 1 to 5, and measures each flood on its own:

        $net = New-PeerNetwork -Protocol Gnutella -Count 2000 -Topology Random -Degree 4 -Simulated -Seed 1
        Find-PeerFile "Hey Jude" -Via $net.Nodes[0] -Ttl $ttl
        $net | Measure-PeerNetwork -Reset

    It prints a table of reach, query messages, duplicates and hits per TTL, then builds a two-tier network (a fifth
    of the nodes ultrapeers, the rest leaves behind query-routing tables) and runs it for a virtual minute of churn.
    The last thing it emits is one summary object that tests assert on.
#>
[CmdletBinding()]
param(
    [int] $Count = 2000,
    [int] $Degree = 4,
    [int] $Seed = 1
)
$ErrorActionPreference = 'Stop'

$net = New-PeerNetwork -Protocol Gnutella -Count $Count -Topology Random -Degree $Degree -Simulated -Seed $Seed
$net | Out-Default

# One flood per TTL, each measured on its own (-Reset starts the next measurement from zero).
$rows = foreach ($ttl in 1..5) {
    $hits = @(Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl $ttl)
    $m = $net | Measure-PeerNetwork -Reset
    [pscustomobject]@{
        PSTypeName = 'PSPeer.FloodByTtl'   # the module's table view for these rows (seven columns would print as lists)
        Ttl        = $ttl
        Reached    = $m.MeanReach
        Predicted  = $m.AnalyticReachByTtl[$ttl - 1]
        Messages   = $m.QueryMessages
        Duplicates = $m.Duplicates
        Hits       = $hits.Count
        MeanHops   = [Math]::Round($m.MeanHitHops, 2)
    }
}
# Seven columns would make PowerShell pick a list: one row per TTL reads better as a table.
$rows | Format-Table -AutoSize | Out-Default

# Two tiers: leaves sit behind ultrapeers and only get the queries their route tables match.
$tiered = New-PeerNetwork -Protocol Gnutella -Count $Count -Topology PowerLaw -Degree 6 -UltrapeerFraction 0.2 -Simulated -Seed $Seed
$tieredHits = @(Find-PeerFile 'Hey Jude' -Via $tiered.Nodes[0] -Ttl 3)
$tieredMeasure = $tiered | Measure-PeerNetwork -Reset

# A virtual minute of churn: nodes crash and come back as fresh servents that rejoin random live ultrapeers.
$null = $tiered | Invoke-PeerSimulation -Duration 60 -ChurnPerSecond 2 -Downtime 10
$churn = $tiered | Measure-PeerNetwork
# A node that churn has taken down cannot search: ask one that is up (-Via takes any node of the network).
$up = @($tiered.Nodes | Where-Object { $_.State -eq 'Running' })[0]
$afterChurn = @(Find-PeerFile 'Hey Jude' -Via $up -Ttl 3)
$churn | Out-Default

$net, $tiered | Stop-PeerNode -Confirm:$false

[pscustomobject]@{
    ReachMatchesBfs  = @($rows | Where-Object { $_.Reached -ne $_.Predicted }).Count -eq 0
    ReachGrows       = $rows[4].Reached -gt $rows[0].Reached
    HitsAtTtl5       = $rows[4].Hits
    TieredHits       = $tieredHits.Count
    FilteredByQrp    = $tieredMeasure.QueriesFilteredByQrp
    NodesLeft        = $churn.NodesLeft
    NodesJoined      = $churn.NodesJoined
    HitsAfterChurn   = $afterChurn.Count
}
