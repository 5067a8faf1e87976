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
#   PSPEER_CLIENT host (default), engine or session
#   Everything bt-baseline.sh reads (XFER_RUNS, SWARM_MIB, SWARM_LEECHERS, BT_KEEP, ...).
#
# PSPEER_CLIENT=host: PSPeer runs through its script host (src/PSPeer.Host) built in Release, one process per seeder
# or leecher, exactly as a user's script would: New-Torrent, Start-PeerNode -Role Seeder, Get-TorrentInfo |
# Receive-PeerFile. Each process pays for starting PowerShell and importing the module (about a second here).
# PSPEER_CLIENT=engine: seeders and leechers are the engine's BitTorrentPeer without PowerShell
# (PSPeer.Benchmarks bt-seed / bt-leech, compiled ReadyToRun as the native clients are compiled ahead of time; BT_JIT=1
# for the plain build); torrent creation still goes through New-Torrent. BT_NAME then defaults to
# pspeer-engine, so the two can be told apart when both are run.
# PSPEER_CLIENT=session: the cmdlets as a user runs them at a prompt that is already open: one PSPeer.Host session
# (bt-session.ps1) is started first and its start-up printed once; each seeder and leecher is then Start-PeerNode /
# Receive-PeerFile run in that session (a runspace of its pool each). BT_NAME defaults to pspeer-session.
# Every mode ends with the aims' table (bt-ratios.sh): each PSPeer figure beside its anchor and the ratio.
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
    echo "# building the benchmarks (Release, ReadyToRun unless BT_JIT=1: see bt-bench-publish.sh)" >&2
    bench=$(bash "$scripts/bt-bench-publish.sh")
    echo "# engine: $bench" >&2
    export BT_NAME=${BT_NAME:-pspeer-engine}
    export BT_SEED_CMD="dotnet '$bench' bt-seed '{torrent}' '{dir}' {port}"
    export BT_LEECH_CMD="dotnet '$bench' bt-leech '{torrent}' '{dir}' {port} {done}" ;;
  session)
    # One PowerShell session, opened (and its start-up measured) before anything is timed; every seeder and leecher
    # is a cmdlet run in it (bt-session.ps1), handed over by a small client whose process the baseline times.
    export BT_NAME=${BT_NAME:-pspeer-session}
    inbox=$(mktemp -d "${TMPDIR:-/tmp}/bt-session.XXXXXX")
    t0=$(date +%s.%N)
    dotnet "$host" "$scripts/bt-session.ps1" "$inbox" >"$inbox/session.log" 2>&1 &
    session_pid=$!
    for _ in $(seq 1 1200); do [[ -e $inbox/ready ]] && break; kill -0 "$session_pid" 2>/dev/null || break; sleep 0.1; done
    [[ -e $inbox/ready ]] || { echo "the PowerShell session did not start: $(tail -c 400 "$inbox/session.log")" >&2; exit 1; }
    read -r host_start pool_start <"$inbox/ready"
    session_start=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    printf '# PowerShell start-up, paid once (not in any figure below): %.2f s to a running host with PSPeer imported, %.2f s more to open 8 runspaces with it; %s s in all\n' \
      "$host_start" "$pool_start" "$session_start"
    stop_session() { : >"$inbox/quit"; wait "$session_pid" 2>/dev/null; rm -rf "$inbox"; }
    client="bash '$scripts/bt-session-client.sh' '$inbox'"
    export BT_SEED_CMD="$client seed '{torrent}' '{dir}' {port}"
    export BT_LEECH_CMD="$client leech '{torrent}' '{dir}' {port} '{done}'" ;;
  *) echo "PSPEER_CLIENT is host, engine or session, not '$PSPEER_CLIENT'" >&2; exit 2 ;;
esac
if [[ ${PSPEER_CLIENT:-host} == host ]]; then
  # What each seeder and leecher process pays before its cmdlet runs (the figures below include it): the median of
  # three runs of the host importing PSPeer and doing nothing.
  startup=$(for _ in 1 2 3; do s=$(date +%s.%N); dotnet "$host" -Command '$null = Get-Module PSPeer' >/dev/null 2>&1; \
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }'; done | sort -g | sed -n 2p)
  echo "# PowerShell start-up per process (in every pspeer figure below): $startup s (median of 3, host with PSPeer imported, no command)"
fi

# The baseline's lines, then the aims' table: each PSPeer figure beside its anchor (the real client's figure of the
# same work in the same run) and the ratio anchor / PSPeer (>= 1.00 meets issue 13's aim: at or past libtorrent).
out=$(mktemp "${TMPDIR:-/tmp}/bt-compare.XXXXXX")
trap 'rm -f "$out"; if declare -F stop_session >/dev/null; then stop_session; fi' EXIT
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
set +e
bash "$baseline" "$@" | tee "$out"
status=${PIPESTATUS[0]}
set -e
bash "$repo/tests/PSPeer.Benchmarks/bt-ratios.sh" "$BT_NAME" <"$out"
exit "$status"
