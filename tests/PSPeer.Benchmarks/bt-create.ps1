# BT_CREATE_CMD for /work/shared/tools/bt-baseline.sh: New-Torrent with 256 KiB pieces, as the script's template
# '{file} {torrent} {tracker}' asks. Run through src/PSPeer.Host, so the figure includes starting PowerShell and
# importing the module, as a user's script pays it:
#   BT_NAME=pspeer BT_CREATE_CMD='dotnet src/PSPeer.Host/bin/Release/net10.0/PSPeer.Host.dll tests/PSPeer.Benchmarks/bt-create.ps1 {file} {torrent} {tracker}' \
#     /work/shared/tools/bt-baseline.sh 1024 custom
param([string] $File, [string] $Torrent, [string] $Tracker)
$ErrorActionPreference = 'Stop'
$null = New-Torrent $File -OutFile $Torrent -Tracker $Tracker -PieceSize 256KB -Force
