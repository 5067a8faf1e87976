#!/usr/bin/env bash
# bt-leech-compare.sh - leechers side by side (bt-seed-compare.sh's mirror): each round starts a fresh tracker and one
# seeder (aria2 or libtorrent), then times each leecher kind in turn fetching SIZE_MIB from it (the order rotates every
# round, so load that comes and goes on a shared machine falls on each kind alike). Per kind it prints the median wall
# time, the leecher's own CPU time (user and system, from /usr/bin/time) and the seeder's CPU time during the transfer.
# On a 2-core machine both peers share the CPU: the leecher's CPU seconds are taken from the seeder, and they are far
# steadier than wall time there. Timing starts when the leecher process starts, as in bt-baseline.sh.
#
# Usage: tests/PSPeer.Benchmarks/bt-leech-compare.sh [SIZE_MIB] [ROUNDS] [SEEDER] [LEECHER...]
#   SEEDER aria2 (default) or lt;  LEECHER: lt engine engine-base (default: lt engine)
#   BASE_BENCH=DIR (a copy of an earlier bin/ReadyToRun of PSPeer.Benchmarks; its bin/Release/net10.0 with BT_JIT=1) for engine-base: before/after
#   figures of a change in one run. LEECH_PREFIX='perf record -g -o FILE --' (or any command prefix) runs each
#   leecher under it (the engine with DOTNET_PerfMapEnabled=1, for perf's symbols).
# Needs .ci/install-tools.sh (opentracker, mktorrent, aria2c, python3-libtorrent); builds PSPeer in Release.
set -uo pipefail
size=${1:-1024} rounds=${2:-3} seeder=${3:-aria2}
shift 3 2>/dev/null || shift $#
kinds=("$@"); [[ $# -eq 0 ]] && kinds=(lt engine)
source "$(dirname "${BASH_SOURCE[0]}")/bt-seed-common.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/bt-leech-compare.XXXXXX"); chmod 755 "$work"
cleanup() {
  [[ -n ${SEEDER:-} ]] && kill -TERM "$SEEDER" 2>/dev/null && wait "$SEEDER" 2>/dev/null
  [[ -n ${TRACKER:-} ]] && kill -TERM "$TRACKER" 2>/dev/null && wait "$TRACKER" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

make_payload
A2=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --interface=127.0.0.1
    --disable-ipv6=true --file-allocation=none --follow-torrent=false --summary-interval=0 --bt-stop-timeout=0 --console-log-level=warn)
seeder_start() { # starts the seeder, sets SEEDER; true once the tracker lists it
  local port; port=$(free_port)
  case $seeder in
    lt)    $PY "$work/btlt.py" seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$! ;;
    aria2) aria2c "${A2[@]}" --check-integrity=true --seed-ratio=0.0 --listen-port="$port" -d "$work/seed" "$work/payload.torrent" >"$work/seed.log" 2>&1 & SEEDER=$! ;;
    *) echo "seeder is aria2 or lt, not $seeder" >&2; exit 2 ;;
  esac
  local i
  for ((i = 0; i < 1500; i++)); do
    kill -0 "$SEEDER" 2>/dev/null || return 1
    [[ $($PY "$work/btlt.py" scrape "$announce" "$hash") -ge 1 ]] && return 0
    sleep 0.2
  done
  return 1
}
leech() { # KIND DIR: runs the leecher to completion; /usr/bin/time writes "wall user sys" to $work/time
  local port; port=$(free_port)
  local t=(/usr/bin/time -f '%e %U %S' -o "$work/time" timeout 300)
  case $1 in
    lt)          "${t[@]}" ${LEECH_PREFIX:-} $PY "$work/btlt.py" leech "$work/payload.torrent" "$2" "$port" ;;
    engine)      DOTNET_PerfMapEnabled=${LEECH_PREFIX:+1} "${t[@]}" ${LEECH_PREFIX:-} dotnet "$bench" bt-leech "$work/payload.torrent" "$2" "$port" ;;
    engine-base) DOTNET_PerfMapEnabled=${LEECH_PREFIX:+1} "${t[@]}" ${LEECH_PREFIX:-} dotnet "${BASE_BENCH:?BASE_BENCH is needed for engine-base}/PSPeer.Benchmarks.dll" bt-leech "$work/payload.torrent" "$2" "$port" ;;
    *) echo "unknown leecher kind $1" >&2; exit 2 ;;
  esac
}
declare -A wall ucpu scpu seedcpu
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $size MiB, $rounds rounds, seeder $seeder"
for ((r = 1; r <= rounds; r++)); do
  n=${#kinds[@]}
  for ((k = 0; k < n; k++)); do
    kind=${kinds[(k + r + n) % n]}
    opentracker -i 127.0.0.1 -p "$tport" -P "$tport" -d "$work/tracker" -f "$work/tracker/ot.conf" >"$work/tracker.log" 2>&1 & TRACKER=$!
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$tport") 2>/dev/null && break; sleep 0.1; done
    if ! seeder_start; then echo "# seeder not ready: $(tail -c 300 "$work/seed.log")" >&2; kill -TERM "$SEEDER" "$TRACKER" 2>/dev/null; wait; continue; fi
    dir=$work/leech; rm -rf "$dir"; mkdir -p "$dir"
    c0=$(cpu "$SEEDER")
    if leech "$kind" "$dir" >"$work/leech.log" 2>&1 && { cmp -s "$dir/payload.bin" "$work/seed/payload.bin" || cmp -s "$dir/payload.bin.pspeer-partial" "$work/seed/payload.bin"; }; then
      read -r t u s <"$work/time"
      c=$(awk -v a="$c0" -v b="$(cpu "$SEEDER")" 'BEGIN { printf "%.2f", b - a }')
      wall[$kind]+="$t "; ucpu[$kind]+="$u "; scpu[$kind]+="$s "; seedcpu[$kind]+="$c "
      echo "# round $r $kind: $t s, leecher CPU user $u s + sys $s s, seeder CPU $c s, load $(cut -d' ' -f1 /proc/loadavg)"
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
  printf '%-11s leeches <- %-5s %s MiB: median %s s (%s), leecher CPU median user %s + sys %s s (user %s/ sys %s), seeder CPU median %s s, vs lt leecher %s\n' \
    "$kind" "$seeder" "$size" "$m" "${wall[$kind]:-}" "$(median <<<"${ucpu[$kind]:-}")" "$(median <<<"${scpu[$kind]:-}")" \
    "${ucpu[$kind]:-}" "${scpu[$kind]:-}" "$(median <<<"${seedcpu[$kind]:-}")" "$ratio"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
