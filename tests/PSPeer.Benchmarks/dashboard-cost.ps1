<#
.SYNOPSIS
    What a dashboard costs the nodes it watches: floods through a simulated Gnutella network with no dashboard, with a
    dashboard and no page open, and with a page reading the event stream (curl -N as the page), interleaved round by
    round on the same network; prints the median wall time per flood, the simulation's messages per wall second, and
    the events the page was sent and dropped.
.EXAMPLE
    dotnet run -c Release --project src/PSPeer.Host -- tests/PSPeer.Benchmarks/dashboard-cost.ps1 -Count 2000 -Floods 20 -Rounds 5
#>
param([int] $Count = 2000, [int] $Floods = 20, [int] $Rounds = 5, [int] $Ttl = 5)
$ErrorActionPreference = 'Stop'

$net = New-PeerNetwork -Protocol Gnutella -Count $Count -Degree 4 -Simulated -Seed 1
$null = $net | Measure-PeerNetwork -Reset

function Measure-Floods([string] $Config, $Dashboard) {
    $received = if ($Dashboard) { $Dashboard.EventsReceived } else { 0 }
    $sent = if ($Dashboard) { $Dashboard.EventsSent } else { 0 }
    $dropped = if ($Dashboard) { $Dashboard.EventsDropped } else { 0 }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $Floods; $i++) {
        $null = Find-PeerFile "no such song $i" -Via $net.Nodes[($i * 37) % $Count] -Ttl $Ttl -Timeout 1
    }
    $watch.Stop()
    $m = $net | Measure-PeerNetwork -Reset
    # Let the dashboard's timer send what it still holds before counting what reached the page.
    if ($Dashboard) { Start-Sleep -Milliseconds 1500 }
    [pscustomobject]@{
        Config          = $Config
        MsPerFlood      = $watch.Elapsed.TotalMilliseconds / $Floods
        MessagesPerSec  = $m.MessagesSent / $watch.Elapsed.TotalSeconds
        EventsPerSec    = if ($Dashboard) { ($Dashboard.EventsReceived - $received) / $watch.Elapsed.TotalSeconds } else { 0 }
        EventsToPage    = if ($Dashboard) { $Dashboard.EventsSent - $sent } else { 0 }
        EventsDropped   = if ($Dashboard) { $Dashboard.EventsDropped - $dropped } else { 0 }
        Subscribed      = if ($Dashboard) { $Dashboard.SubscribedNodeCount } else { 0 }
    }
}

function Wait-Until([scriptblock] $Condition) {
    for ($i = 0; $i -lt 100 -and -not (& $Condition); $i++) { Start-Sleep -Milliseconds 100 }
}

$null = Measure-Floods 'warm-up' $null
$rows = foreach ($round in 1..$Rounds) {
    Measure-Floods 'none' $null
    $dashboard = Show-PeerNetwork $net -MaxNodes $Count
    Measure-Floods 'dashboard, no page' $dashboard
    $base = $dashboard.Url.Substring(0, $dashboard.Url.IndexOf('?'))
    $token = $dashboard.Url.Substring($dashboard.Url.IndexOf('?t=') + 3)
    $page = [Diagnostics.Process]::Start('curl', "-s -N -o /dev/null ${base}api/events?t=$token")
    Wait-Until { $dashboard.SubscribedNodeCount -eq $Count }
    Measure-Floods 'dashboard + page' $dashboard
    $page.Kill(); $page.WaitForExit()
    $dashboard | Stop-PeerDashboard
}

"# $Count nodes, degree 4, TTL $Ttl, $Floods floods x $Rounds rounds; load: $((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -join '')"
$rows | Group-Object Config | ForEach-Object {
    $median = { param($values) $sorted = @($values | Sort-Object); $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)] }
    [pscustomobject]@{
        Config            = $_.Name
        'ms/flood'        = [Math]::Round((& $median $_.Group.MsPerFlood), 1)
        'messages/s'      = [Math]::Round((& $median $_.Group.MessagesPerSec))
        'events/s'        = [Math]::Round((& $median $_.Group.EventsPerSec))
        'to page'         = (& $median $_.Group.EventsToPage)
        'dropped'         = (& $median $_.Group.EventsDropped)
        'subscribed'      = (& $median $_.Group.Subscribed)
    }
} | Format-Table -AutoSize
$net | Stop-PeerNode
