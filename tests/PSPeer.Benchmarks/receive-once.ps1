# Times one Receive-PeerFile through the module, for the transfer benchmark (TransferBenchmark.cs runs it with
# src/PSPeer.Host). Starts an index, a peer sharing -SharedPath and a client; finds -Name; downloads it once into
# -Destination, verified; prints "seconds=<s>"; deletes the copy and stops its nodes.
param([string] $SharedPath, [string] $Name, [string] $Destination)
$ErrorActionPreference = 'Stop'
$index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'bench-index'
$null = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $SharedPath -Name 'bench-seeder'
$null = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'bench-client'
try {
    $hit = Find-PeerFile $Name -First 1
    if (-not $hit) { throw "the benchmark payload '$Name' was not found through the index" }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $download = $hit | Receive-PeerFile -Destination $Destination
    $watch.Stop()
    if (-not $download.Verified) { throw 'the download was not verified' }
    [IO.File]::Delete($download.Path)
    'seconds=' + $watch.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture)
}
finally {
    Get-PeerNode | Stop-PeerNode -Confirm:$false
}
