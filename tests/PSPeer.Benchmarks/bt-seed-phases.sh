#!/usr/bin/env bash
# bt-seed-phases.sh - where the time of bt-compare's "seeder -> libtorrent" row goes, per seeder kind. Each round starts
# a fresh tracker and each seeder kind in turn (the order rotates), then times a libtorrent leecher fetching SIZE_MIB:
#   seeder: request -> listening -> the tracker lists it    (before the clock starts in bt-baseline.sh: not in the row)
#   leecher (from its start, as the row's clock): announce sent, tracker reply, peer connected, first piece, half, done
#   idle: share of 20 ms samples in which the leecher's socket held no data (the seeder was not keeping it fed), and the
#   seeder's socket nothing unsent; CPU seconds of the seeder and of the leecher during the transfer.
# It ends with medians per kind (rounds >= 1; round 0 warms the session up, as at a prompt that has run cmdlets before).
#
# Usage: tests/PSPeer.Benchmarks/bt-seed-phases.sh [SIZE_MIB] [ROUNDS] [SEEDER...]
#   SEEDER: lt engine session (default all three), engine-base with BASE_BENCH=DIR (an earlier bin/Release/net10.0 of
#   PSPeer.Benchmarks), session-base with BASE_MODULE=DIR (an earlier out/PSPeer; BASE_SESSION=FILE an earlier
#   bt-session.ps1). Needs .ci/install-tools.sh's tools and ss (iproute2); builds PSPeer in Release.
set -uo pipefail
size=${1:-1024} rounds=${2:-3}
shift 2 2>/dev/null || shift $#
kinds=("$@"); [[ $# -eq 0 ]] && kinds=(lt engine session)
source "$(dirname "${BASH_SOURCE[0]}")/bt-seed-common.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/bt-seed-phases.XXXXXX"); chmod 755 "$work"
declare -A session_pids=()
cleanup() {
  [[ -n ${SAMPLER:-} ]] && kill "$SAMPLER" 2>/dev/null
  [[ -n ${SEEDER:-} ]] && kill -TERM "$SEEDER" 2>/dev/null
  [[ -n ${TRACKER:-} ]] && kill -TERM "$TRACKER" 2>/dev/null
  local k
  for k in "${!session_pids[@]}"; do : >"$work/inbox-$k/quit"; wait "${session_pids[$k]}" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
# The baseline's libtorrent leecher (same settings), stamping its alerts with wall-clock times.
cat >"$work/leech.py" <<'PYEOF'
import resource, sys, time
import libtorrent as L
def main(torrent, save, port):
    cat = L.alert.category_t
    ses = L.session({'listen_interfaces': f'127.0.0.1:{port}', 'outgoing_interfaces': '127.0.0.1',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True, 'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'alert_mask': cat.status_notification | cat.error_notification | cat.tracker_notification
                      | cat.connect_notification | cat.piece_progress_notification})
    atp = L.add_torrent_params(); atp.ti = L.torrent_info(torrent); atp.save_path = save
    h = ses.add_torrent(atp)
    marks, names = {}, {'tracker_announce_alert': 'announce', 'tracker_reply_alert': 'reply',
                        'peer_connect_alert': 'connect', 'piece_finished_alert': 'piece1'}
    half, pieces = atp.ti.num_pieces() // 2, 0
    while not h.status().is_seeding:
        ses.wait_for_alert(20)
        for a in ses.pop_alerts():
            n = type(a).__name__
            if n in names: marks.setdefault(names[n], time.time())
            if n == 'piece_finished_alert':
                pieces += 1
                if pieces == half: marks['half'] = time.time()
            if n in ('torrent_error_alert', 'listen_failed_alert', 'file_error_alert'): print('error', a.message(), file=sys.stderr)
    marks['done'] = time.time()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(' '.join(f'{k}={v:.3f}' for k, v in marks.items()), f'lcpu={ru.ru_utime + ru.ru_stime:.2f}')
main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
PYEOF
rel() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

make_payload
for k in "${kinds[@]}"; do
  [[ $k == session* ]] || continue
  mkdir -p "$work/inbox-$k"
  module=$PSPEER_MODULE session=$scripts/bt-session.ps1
  [[ $k == session-base ]] && { module=${BASE_MODULE:?BASE_MODULE is needed for session-base}; session=${BASE_SESSION:-$session}; }
  PSPEER_MODULE=$module dotnet "$host" "$session" "$work/inbox-$k" >"$work/inbox-$k.log" 2>&1 &
  session_pids[$k]=$!
  for _ in $(seq 1 1200); do [[ -e $work/inbox-$k/ready ]] && break; sleep 0.1; done
  [[ -e $work/inbox-$k/ready ]] || { echo "the PowerShell session did not start: $(tail -c 300 "$work/inbox-$k.log")" >&2; exit 1; }
done

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $size MiB, $rounds rounds (+1 warm-up), leecher libtorrent"
summary=$work/summary
for ((r = 0; r <= rounds; r++)); do
  n=${#kinds[@]}
  for ((j = 0; j < n; j++)); do
    kind=${kinds[(j + r) % n]}
    opentracker -i 127.0.0.1 -p "$tport" -P "$tport" -d "$work/tracker" -f "$work/tracker/ot.conf" >"$work/tracker.log" 2>&1 & TRACKER=$!
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$tport") 2>/dev/null && break; sleep 0.1; done
    port=$(free_port)
    t_request=$(now)
    case $kind in
      lt)          $PY "$work/btlt.py" seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
      engine)      dotnet "$bench" bt-seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
      engine-base) dotnet "${BASE_BENCH:?BASE_BENCH is needed for engine-base}/PSPeer.Benchmarks.dll" bt-seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=$SEEDER ;;
      session*)    bash "$scripts/bt-session-client.sh" "$work/inbox-$kind" seed "$work/payload.torrent" "$work/seed" "$port" >"$work/seed.log" 2>&1 & SEEDER=$!; CPU_PID=${session_pids[$kind]} ;;
      *) echo "unknown seeder kind $kind" >&2; exit 2 ;;
    esac
    t_listen= t_listed=
    for ((i = 0; i < 3000; i++)); do
      kill -0 "$SEEDER" 2>/dev/null || break
      [[ -z $t_listen && -n $(ss -ltnH "sport = :$port") ]] && t_listen=$(now)
      [[ $($PY "$work/btlt.py" scrape "$announce" "$hash") -ge 1 ]] && { t_listed=$(now); break; }
      sleep 0.05
    done
    if [[ -z $t_listed ]]; then echo "# round $r $kind: seeder not ready: $(tail -c 300 "$work/seed.log")" >&2; kill -TERM "$SEEDER" "$TRACKER" 2>/dev/null; wait; continue; fi
    [[ -z $t_listen ]] && t_listen=$t_listed
    dir=$work/leech; rm -rf "$dir"; mkdir -p "$dir"
    lport=$(free_port)
    # Leecher's socket (remote port = the seeder's): Recv-Q; seeder's socket (local port): Send-Q.
    ( while :; do ss -tnH state established "( sport = :$port or dport = :$port )" \
        | awk -v p=":$port" '$4 ~ p"$" { r = $1 } $3 ~ p"$" { s = $2 } END { print r + 0, s + 0 }'; sleep 0.02; done ) >"$work/samples" 2>/dev/null &
    SAMPLER=$!
    c0=$(cpu "$CPU_PID"); t0=$(now)
    marks=$(timeout 600 $PY "$work/leech.py" "$work/payload.torrent" "$dir" "$lport" 2>"$work/leech.log"); ok=$?
    t1=$(now); c1=$(cpu "$CPU_PID")
    kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null; SAMPLER=
    if (( ok != 0 )) || ! cmp -s "$dir/payload.bin" "$work/seed/payload.bin"; then
      echo "# round $r $kind: leecher failed: $(tail -c 300 "$work/leech.log")" >&2
    else
      idle=$(awk '$1 + $2 > 0 || seen { seen = 1; n++; if ($1 == 0) z++; if ($2 == 0) s++ } END { if (n) printf "%.0f %.0f", 100 * z / n, 100 * s / n; else print "- -" }' "$work/samples")
      line=$(tr ' ' '\n' <<<"$marks" | awk -F= -v t0="$t0" '$1 == "lcpu" { l = $2; next } { printf "%s %.3f ", $1, $2 - t0 } END { printf "lcpu %s", l }')
      printf '# round %d %-12s seeder listening %s s, listed %s s | leecher %s, total %s s | leecher idle %s %%, seeder unsent 0 %s %% | seeder CPU %s s | load %s\n' \
        "$r" "$kind" "$(rel "$t_request" "$t_listen")" "$(rel "$t_request" "$t_listed")" "$line" "$(rel "$t0" "$t1")" \
        ${idle% *} ${idle#* } "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')" "$(cut -d' ' -f1 /proc/loadavg)"
      (( r > 0 )) && echo "$kind $(rel "$t0" "$t1") $line idle ${idle% *} scpu $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')" >>"$summary"
    fi
    kill -TERM "$SEEDER" 2>/dev/null; wait "$SEEDER" 2>/dev/null; SEEDER=
    kill -TERM "$TRACKER" 2>/dev/null; wait "$TRACKER" 2>/dev/null; TRACKER=
    rm -rf "$dir"
  done
done
# Medians per kind: total; leecher start -> connected; connected -> done; leecher idle; seeder and leecher CPU.
for kind in "${kinds[@]}"; do
  awk -v k="$kind" '$1 == k { t[++n] = $2; for (i = 3; i < NF; i += 2) v[$i, n] = $(i + 1) }
    function med(a, key,   m, i, j, x, y) { m = 0; for (i = 1; i <= n; i++) { y[++m] = (key == "" ? a[i] : a[key, i]) }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (y[j] < y[i]) { x = y[i]; y[i] = y[j]; y[j] = x }
      return m ? ((m % 2) ? y[(m + 1) / 2] : (y[m / 2] + y[m / 2 + 1]) / 2) : 0 }
    END { if (!n) { printf "%-12s no run finished\n", k; exit }
      for (i = 1; i <= n; i++) { d[i] = v["done", i] - v["connect", i]; lo = (i == 1 || t[i] < lo) ? t[i] : lo; hi = (t[i] > hi) ? t[i] : hi }
      printf "%-12s n=%d total %.2f s (%.2f..%.2f) | start->connected %.2f s, connected->done %.2f s | leecher idle %.0f %% | CPU seeder %.2f s, leecher %.2f s\n",
        k, n, med(t, ""), lo, hi, med(v, "connect"), med(d, ""), med(v, "idle"), med(v, "scpu"), med(v, "lcpu") }' "$summary"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
