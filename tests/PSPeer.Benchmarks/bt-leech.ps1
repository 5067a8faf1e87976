# BT_LEECH_CMD of bt-compare.sh (template '{torrent} {dir} {port} {done}'): downloads into Dir and exits 0 once complete and verified; given Done, creates that
# file on completion and keeps seeding until killed.
param([string] $Torrent, [string] $Dir, [int] $Port, [string] $Done)
$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'
$download = Get-TorrentInfo $Torrent | Receive-PeerFile -Destination $Dir -Port $Port -Seed:([bool]$Done)
if (-not $download.Verified) { exit 1 }
if ($Done) {
    [IO.File]::WriteAllText($Done, '')
    while ($true) { [Threading.Thread]::Sleep(1000) }
}
