# bt-compare.sh's BT_CREATE_CMD: a v1 torrent with 256 KiB pieces, as mktorrent -l 18 writes it.
param([string] $File, [string] $Torrent, [string] $Tracker)
$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'
$null = New-Torrent $File -Tracker $Tracker -PieceSize 256KB -OutFile $Torrent -Force
