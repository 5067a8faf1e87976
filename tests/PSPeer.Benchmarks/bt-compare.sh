#!/usr/bin/env bash
# bt-compare.sh - measure PSPeer beside the real BitTorrent clients, in the same run, with the shared
# baseline script (bt-baseline.sh): torrent creation, seeder -> leecher in both directions with aria2 and
# libtorrent, PSPeer -> PSPeer, and the 1-to-N swarm.
#
# Usage: tests/PSPeer.Benchmarks/bt-compare.sh [SIZE_MIB] [GROUP...]
#   Arguments go to bt-baseline.sh unchanged (default there: 1024 MiB, groups hash xfer swarm tr custom).
#   A quick check that the wiring works:  tests/PSPeer.Benchmarks/bt-compare.sh 64 custom
# Environment:
#   BT_BASELINE   path of bt-baseline.sh (default: ../shared/tools/bt-baseline.sh beside the repository)
#   Everything bt-baseline.sh reads (XFER_RUNS, SWARM_MIB, SWARM_LEECHERS, BT_KEEP, ...).
#
# PSPeer runs through its script host (src/PSPeer.Host) built in Release, one process per seeder or leecher,
# exactly as a user's script would: New-Torrent, Start-PeerNode -Role Seeder, Get-TorrentInfo | Receive-PeerFile.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
baseline=${BT_BASELINE:-$repo/../shared/tools/bt-baseline.sh}
[[ -f $baseline ]] || { echo "bt-baseline.sh not found at $baseline: set BT_BASELINE" >&2; exit 2; }

echo "# building the PSPeer host (Release)" >&2
dotnet build "$repo/src/PSPeer.Host" -c Release -nologo -v q >&2
host=$(ls "$repo"/src/PSPeer.Host/bin/Release/*/PSPeer.Host.dll | head -n 1)
[[ -f $host ]] || { echo "the Release build left no PSPeer.Host.dll" >&2; exit 1; }
# The Release build laid out the module at out/PSPeer; say so explicitly rather than rely on the search.
export PSPEER_MODULE=$repo/out/PSPeer

# Templates (see bt-baseline.sh's header): {file} {torrent} {tracker} {dir} {port} {done} are paths in the
# baseline's own temp folder (no spaces) and numbers; PowerShell gets them in single quotes all the same.
# Progress bars are off: in a log they are only noise and cost time.
ps="dotnet '$host' -Command"
quiet="\$ProgressPreference = 'SilentlyContinue'; \$ErrorActionPreference = 'Stop';"
forever="while (\$true) { [Threading.Thread]::Sleep(1000) }"

export BT_NAME=${BT_NAME:-pspeer}
export BT_CREATE_CMD="$ps \"$quiet \$null = New-Torrent '{file}' -Tracker '{tracker}' -PieceSize 256KB -OutFile '{torrent}' -Force\""
export BT_SEED_CMD="$ps \"$quiet \$null = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent '{torrent}' -SharedPath '{dir}' -Port {port}; $forever\""
# With {done} the leecher keeps seeding (-Seed) after it marks completion; without it the process exits 0 once
# the download is complete and verified (a failed download is an error, exit 1).
export BT_LEECH_CMD="$ps \"$quiet \$d = Get-TorrentInfo '{torrent}' | Receive-PeerFile -Destination '{dir}' -Port {port} -Seed; if (-not \$d.Verified) { exit 1 }; if ('{done}' -ne '') { [IO.File]::WriteAllText('{done}', ''); $forever }\""

exec bash "$baseline" "$@"
