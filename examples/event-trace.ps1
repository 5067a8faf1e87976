<#
.SYNOPSIS
    Records every event of a small Napster network as a JSON Lines trace, then reads the trace back.
.DESCRIPTION
    Each node's events are an IObservable (Get-PeerEventStream), so Rx operators compose them: here Replay keeps
    everything each node reports from just after it starts, while the script shares files, searches and downloads.
    Once the nodes stop their streams complete, and the recorded events are counted by type and written as JSON
    Lines (one PeerEvent a line), the form a later run, a notebook or a CI step reads back with
    [PSPeer.Engine.Core.PeerEvent]::FromJson.
#>
[CmdletBinding()]
param(
    # Where the trace goes; by default a temporary file that is removed at the end.
    [string] $TracePath
)
$ErrorActionPreference = 'Stop'

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-trace-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$music = [IO.Path]::Combine($root, 'music')
[void][IO.Directory]::CreateDirectory($music)
$bytes = [byte[]]::new(64KB)
[Random]::new(7).NextBytes($bytes)
[IO.File]::WriteAllBytes([IO.Path]::Combine($music, 'The Beatles - Hey Jude.mp3'), $bytes)
$keepTrace = [bool] $TracePath
if (-not $keepTrace) { $TracePath = [IO.Path]::Combine($root, 'trace.jsonl') }

# Start recording each node's stream as soon as the node exists: Replay + Connect subscribes now and keeps all.
$recordings = [Collections.Generic.List[object]]::new()
function Start-Recorded([scriptblock] $start) {
    $node = & $start
    $replay = [System.Reactive.Linq.Observable]::Replay((Get-PeerEventStream -Node $node))
    [void] $replay.Connect()
    $recordings.Add($replay)
    $node
}

try {
    $index  = Start-Recorded { Start-PeerNode -Protocol Napster -Role IndexServer -Name 'trace-index' }
    $null   = Start-Recorded { Start-PeerNode -Protocol Napster -Name 'trace-bob' -IndexServer $index -SharedPath $music }
    $client = Start-Recorded { Start-PeerNode -Protocol Napster -Name 'trace-alice' -IndexServer $index }
    $downloads = @(Find-PeerFile 'hey jude' -Via $client -Timeout 5 | Receive-PeerFile -Destination ([IO.Path]::Combine($root, 'downloads')))
}
finally {
    Get-PeerNode | Where-Object { $_.Name -like 'trace-*' } | Stop-PeerNode -Confirm:$false
}

# The streams completed when their nodes stopped, so enumerating the recordings ends.
$events = @($recordings | ForEach-Object { [System.Reactive.Linq.Observable]::ToEnumerable($_) } | ForEach-Object { $_ })
# One timeline across the nodes, and how many events of each type it holds.
$events = @($events | Sort-Object Time)
$byType = @($events | Group-Object Type -NoElement)
$byType | Select-Object @{ Name = 'Type'; Expression = { $_.Name } }, Count | Format-Table -AutoSize | Out-Default

[IO.File]::WriteAllLines($TracePath, [string[]] @($events | ForEach-Object { $_.ToJson() }))
$readBack = @([IO.File]::ReadAllLines($TracePath) | ForEach-Object { [PSPeer.Engine.Core.PeerEvent]::FromJson($_) })

[pscustomobject]@{
    Downloads      = $downloads.Count
    Verified       = @($downloads | Where-Object { $_.Verified }).Count
    EventCount     = $events.Count
    EventTypes     = $byType.Count
    TraceLines     = $readBack.Count
    TraceReadsBack = $readBack.Count -eq $events.Count -and @($readBack | Where-Object { -not $_.Type }).Count -eq 0
    TracePath      = if ($keepTrace) { $TracePath } else { $null }
}
if (-not $keepTrace -and [IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
