#!/usr/bin/env bash
# bt-compare.sh - measure PSPeer beside the real BitTorrent clients, in the same run, with the shared
# baseline script (bt-baseline.sh): torrent creation, seeder -> leecher in both directions with aria2 and
# libtorrent, PSPeer -> PSPeer, and the 1-to-N swarm.
#
# Usage: tests/PSPeer.Benchmarks/bt-compare.sh [SIZE_MIB] [GROUP...]
#   Arguments go to bt-baseline.sh unchanged (default there: 1024 MiB, groups hash xfer swarm tr custom).
#   A quick check that the wiring works:  tests/PSPeer.Benchmarks/bt-compare.sh 64 custom
# Environment:
#   BT_BASELINE   path of bt-baseline.sh (default: shared/tools/bt-baseline.sh beside the repository, or above it)
#   PSPEER_CLIENT host (default) or engine
#   Everything bt-baseline.sh reads (XFER_RUNS, SWARM_MIB, SWARM_LEECHERS, BT_KEEP, ...).
#
# PSPEER_CLIENT=host: PSPeer runs through its script host (src/PSPeer.Host) built in Release, one process per seeder
# or leecher, exactly as a user's script would: New-Torrent, Start-PeerNode -Role Seeder, Get-TorrentInfo |
# Receive-PeerFile. Each process pays for starting PowerShell and importing the module (about a second here).
# PSPEER_CLIENT=engine: seeders and leechers are the engine's BitTorrentPeer without PowerShell
# (PSPeer.Benchmarks bt-seed / bt-leech); torrent creation still goes through New-Torrent. BT_NAME then defaults to
# pspeer-engine, so the two can be told apart when both are run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
baseline=${BT_BASELINE:-}
if [[ -z $baseline ]]; then
  # ../shared/tools beside the repository; a git worktree sits one level deeper, so look further up too.
  for up in "$repo/.." "$repo/../.." "$repo/../../.."; do
    [[ -f $up/shared/tools/bt-baseline.sh ]] && { baseline=$(cd "$up/shared/tools" && pwd)/bt-baseline.sh; break; }
  done
fi
[[ -n $baseline && -f $baseline ]] || { echo "bt-baseline.sh not found beside the repository ($repo/../shared/tools): set BT_BASELINE" >&2; exit 2; }

echo "# building the PSPeer host (Release)" >&2
dotnet build "$repo/src/PSPeer.Host" -c Release -nologo -v q >&2
host=$(ls "$repo"/src/PSPeer.Host/bin/Release/*/PSPeer.Host.dll | head -n 1)
[[ -f $host ]] || { echo "the Release build left no PSPeer.Host.dll" >&2; exit 1; }
# The Release build laid out the module at out/PSPeer; say so explicitly rather than rely on the search.
export PSPEER_MODULE=$repo/out/PSPeer

# Templates (see bt-baseline.sh's header): each runs one small script beside this one (bt-create/-seed/-leech.ps1) in the host. The baseline substitutes
# {file} {torrent} {tracker} {dir} {port} {done} (paths in its own temp folder, without spaces) and runs the result
# with bash -c; the host passes the arguments to the script as literals. An empty {done} leaves -Done unset.
scripts=$repo/tests/PSPeer.Benchmarks
run="dotnet '$host'"
export BT_CREATE_CMD="$run '$scripts/bt-create.ps1' '{file}' '{torrent}' '{tracker}'"
case ${PSPEER_CLIENT:-host} in
  host)
    export BT_NAME=${BT_NAME:-pspeer}
    export BT_SEED_CMD="$run '$scripts/bt-seed.ps1' '{torrent}' '{dir}' {port}"
    export BT_LEECH_CMD="$run '$scripts/bt-leech.ps1' '{torrent}' '{dir}' {port} {done}" ;;
  engine)
    echo "# building the benchmarks (Release)" >&2
    dotnet build "$scripts" -c Release -nologo -v q >&2
    bench=$(ls "$scripts"/bin/Release/*/PSPeer.Benchmarks.dll | head -n 1)
    export BT_NAME=${BT_NAME:-pspeer-engine}
    export BT_SEED_CMD="dotnet '$bench' bt-seed '{torrent}' '{dir}' {port}"
    export BT_LEECH_CMD="dotnet '$bench' bt-leech '{torrent}' '{dir}' {port} {done}" ;;
  *) echo "PSPEER_CLIENT is host or engine, not '$PSPEER_CLIENT'" >&2; exit 2 ;;
esac

exec bash "$baseline" "$@"
