# BT_SEED_CMD of bt-compare.sh (bt-baseline.sh template '{torrent} {dir} {port}'): seeds Dir/<name> until the process is killed (SIGTERM stops the node, which announces "stopped").
param([string] $Torrent, [string] $Dir, [int] $Port)
$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'
$null = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $Torrent -SharedPath $Dir -Port $Port
while ($true) { [Threading.Thread]::Sleep(1000) }
