<#
.SYNOPSIS
    How large a network the dashboard draws smoothly: for each size, a simulated Gnutella network drawn whole
    (-MaxNodes = size) in Debian's chromium with software WebGL (tests/browser/measure.mjs), measuring the time until
    every node is drawn and the frame rate idle and while floods stream their events to the page as they arrive.
.EXAMPLE
    dotnet run -c Release --project src/PSPeer.Host -- tests/PSPeer.Benchmarks/dashboard-page.ps1 -Sizes 500,2000,5000
#>
param([string] $Sizes = '500,2000,5000,10000', [int] $Seconds = 5)   # sizes as one comma-separated word: script hosts pass arguments as text
$ErrorActionPreference = 'Stop'
$driver = Join-Path $PSScriptRoot '../browser'

$rows = foreach ($size in $Sizes.Split(',') | ForEach-Object { [int]$_ }) {
    $net = New-PeerNetwork -Protocol Gnutella -Count $size -Degree 4 -Simulated -Seed 1
    $dashboard = Show-PeerNetwork $net -MaxNodes $size
    $start = [Diagnostics.ProcessStartInfo]::new('node')
    $start.WorkingDirectory = $driver
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    foreach ($a in 'measure.mjs', $dashboard.Url, "$size", "$Seconds") { $start.ArgumentList.Add($a) }
    $measure = [Diagnostics.Process]::Start($start)
    $output = $measure.StandardOutput.ReadToEndAsync()
    $sent = $dashboard.EventsSent
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $i = 0
    while (-not $measure.HasExited -and $watch.Elapsed.TotalMinutes -lt 10) {
        $null = Find-PeerFile "no such song $i" -Via $net.Nodes[($i * 37) % $size] -Ttl 4 -Timeout 1
        $i++
    }
    $measure.WaitForExit()
    $result = $output.Result | ConvertFrom-Json
    [pscustomobject]@{
        Nodes           = $result.nodes
        Links           = $result.links
        'ready s'       = [Math]::Round($result.readyMs / 1000, 1)
        'draw ms'       = $result.renderMs
        'idle fps'      = [Math]::Round($result.idle.fps, 1)
        'busy fps'      = [Math]::Round($result.busy.fps, 1)
        'worst frame ms'= $result.busy.worstFrameMs
        'page events/s' = $result.pageEventsPerSec
        'sent events/s' = [Math]::Round(($dashboard.EventsSent - $sent) / $watch.Elapsed.TotalSeconds)
        Dropped         = $dashboard.EventsDropped
    }
    $net | Stop-PeerNode
}
"# Debian chromium, SwiftShader WebGL (no GPU); load: $((Get-Content /proc/loadavg) -join '')"
$rows | Format-Table -AutoSize
