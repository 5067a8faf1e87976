#!/usr/bin/env bash
# bt-seed-compare.sh - seeders side by side: each round times one leecher (libtorrent or aria2) fetching SIZE_MIB from
# each seeder kind in turn (the order rotates every round, so load that comes and goes on a shared machine falls on
# each kind alike), and prints per kind the median wall time and the seeder's own CPU time (user+system and the system
# part, from /proc) for the transfer, and the leecher's (from /usr/bin/time). The seeder's CPU time is what it takes
# from the leecher on a loaded 2-core machine, and is far steadier than wall time there. Timing starts when the
# leecher process starts, as in bt-baseline.sh.
#
# Usage: tests/PSPeer.Benchmarks/bt-seed-compare.sh [SIZE_MIB] [ROUNDS] [LEECHER] [SEEDER...]
#   LEECHER lt (default) or aria2;  SEEDER: lt engine session aria2 (default: lt engine session)
#   BASE_BENCH=DIR (a copy of an earlier bin/ReadyToRun of PSPeer.Benchmarks; its bin/Release/net10.0 with BT_JIT=1) adds seeder kind engine-base, and
#   BASE_MODULE=DIR (a copy of an earlier out/PSPeer) session-base: before/after figures of a change in one run
#   (BASE_SESSION=FILE: an earlier bt-session.ps1 for session-base; default this one).
# Needs .ci/install-tools.sh (opentracker, mktorrent, aria2c, python3-libtorrent); builds PSPeer in Release.
set -uo pipefail
size=${1:-1024} rounds=${2:-3} leecher=${3:-lt}
shift 3 2>/dev/null || shift $#
kinds=("${@:-lt engine session}")
[[ $# -eq 0 ]] && kinds=(lt engine session)
source "$(dirname "${BASH_SOURCE[0]}")/bt-seed-common.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/bt-seed-compare.XXXXXX"); chmod 755 "$work"
declare -A session_pids=()
cleanup() {
  [[ -n ${SEEDER:-} ]] && kill -TERM "$SEEDER" 2>/dev/null
  [[ -n ${TRACKER:-} ]] && kill -TERM "$TRACKER" 2>/dev/null
  local k
  for k in "${!session_pids[@]}"; do : >"$work/${k/session/inbox}/quit"; wait "${session_pids[$k]}" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
make_payload

open_session() { # KIND INBOX MODULE [SCRIPT]
  mkdir -p "$2"
  PSPEER_MODULE=$3 dotnet "$host" "${4:-$scripts/bt-session.ps1}" "$2" >"$2.log" 2>&1 &
  session_pids[$1]=$!
  for _ in $(seq 1 1200); do [[ -e $2/ready ]] && return 0; sleep 0.1; done
  echo "the PowerShell session did not start: $(tail -c 300 "$2.log")" >&2; exit 1
}
[[ " ${kinds[*]} " == *" session "* ]] && open_session session "$work/inbox" "$PSPEER_MODULE"
[[ " ${kinds[*]} " == *" session-base "* ]] && open_session session-base "$work/inbox-base" "${BASE_MODULE:?BASE_MODULE is needed for session-base}" "${BASE_SESSION:-}"
A2=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --interface=127.0.0.1
    --disable-ipv6=true --file-allocation=none --follow-torrent=false --summary-interval=0 --bt-stop-timeout=0 --console-log-level=warn)
seeder_start() { # KIND: starts it, sets SEEDER and CPU_PID (the process whose CPU time is the seeder's)
  local port; port=$(free_port)
  case $1 in
    lt)      $PY "$work/btlt.py" seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
    aria2)   aria2c "${A2[@]}" --check-integrity=true --seed-ratio=0.0 --listen-port="$port" -d "$work/seed" "$work/payload.torrent" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
    engine)  dotnet "$bench" bt-seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
    engine-base) dotnet "${BASE_BENCH:?}/PSPeer.Benchmarks.dll" bt-seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
    session|session-base) bash "$scripts/bt-session-client.sh" "$work/${1/session/inbox}" seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=${session_pids[$1]} ;;
  esac
  local i
  for ((i = 0; i < 1500; i++)); do
    kill -0 "$SEEDER" 2>/dev/null || return 1
    [[ $($PY "$work/btlt.py" scrape "$announce" "$hash") -ge 1 ]] && return 0
    sleep 0.2
  done
  return 1
}
leech() {
  local dir=$1 port; port=$(free_port)
  case $leecher in
    lt)    /usr/bin/time -f '%U %S' -o "$work/ltime" timeout 300 $PY "$work/btlt.py" leech "$work/payload.torrent" "$dir" "$port" ;;
    aria2) /usr/bin/time -f '%U %S' -o "$work/ltime" timeout 300 aria2c "${A2[@]}" --seed-time=0 --listen-port="$port" -d "$dir" "$work/payload.torrent" ;;
  esac
}
declare -A wall cpus syss lcpus
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $size MiB, $rounds rounds, leecher $leecher"
# Round 0 is a warm-up, not counted (WARMUP=0 counts it): an open session has run its cmdlets before, as at a prompt.
warmup=${WARMUP:-1}
for ((r = 1 - warmup; r <= rounds; r++)); do
  n=${#kinds[@]}
  for ((k = 0; k < n; k++)); do
    kind=${kinds[(k + r + n) % n]}
    opentracker -i 127.0.0.1 -p "$tport" -P "$tport" -d "$work/tracker" -f "$work/tracker/ot.conf" >"$work/tracker.log" 2>&1 & TRACKER=$!
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$tport") 2>/dev/null && break; sleep 0.1; done
    if ! seeder_start "$kind"; then echo "# $kind: seeder not ready: $(tail -c 300 "$work/seed.log")" >&2; kill -TERM "$SEEDER" "$TRACKER" 2>/dev/null; wait; continue; fi
    dir=$work/leech; rm -rf "$dir"; mkdir -p "$dir"
    c0=$(cpu "$CPU_PID"); s0=$(sys "$CPU_PID"); t0=$(now)
    if leech "$dir" >"$work/leech.log" 2>&1 && cmp -s "$dir/payload.bin" "$work/seed/payload.bin"; then
      t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
      c=$(awk -v a="$c0" -v b="$(cpu "$CPU_PID")" 'BEGIN { printf "%.2f", b - a }')
      sy=$(awk -v a="$s0" -v b="$(sys "$CPU_PID")" 'BEGIN { printf "%.2f", b - a }')
      (( r > 0 || warmup == 0 )) && { wall[$kind]+="$t "; cpus[$kind]+="$c "; syss[$kind]+="$sy "; }
      read -r lu ls <"$work/ltime"
      (( r > 0 || warmup == 0 )) && lcpus[$kind]+="$(awk -v u="$lu" -v s="$ls" 'BEGIN { printf "%.2f", u + s }') "
      echo "# round $r $kind: $t s, seeder CPU $c s (sys $sy s), leecher CPU user $lu s + sys $ls s, load $(cut -d' ' -f1 /proc/loadavg)"
    else
      echo "# round $r $kind: leecher failed: $(tail -c 300 "$work/leech.log")" >&2
    fi
    kill -TERM "$SEEDER" 2>/dev/null; wait "$SEEDER" 2>/dev/null; SEEDER=
    kill -TERM "$TRACKER" 2>/dev/null; wait "$TRACKER" 2>/dev/null; TRACKER=
    rm -rf "$dir"
  done
done
anchor=$(median <<<"${wall[lt]:-}")
for kind in "${kinds[@]}"; do
  m=$(median <<<"${wall[$kind]:-}")
  ratio=$(awk -v a="$anchor" -v b="$m" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }')
  printf '%-8s seeds -> %-5s %s MiB: median %s s (%s), seeder CPU median %s s (%s; sys %s), leecher CPU median %s s, vs lt seeder %s\n' \
    "$kind" "$leecher" "$size" "$m" "${wall[$kind]:-}" "$(median <<<"${cpus[$kind]:-}")" "${cpus[$kind]:-}" "${syss[$kind]:-}" "$(median <<<"${lcpus[$kind]:-}")" "$ratio"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
