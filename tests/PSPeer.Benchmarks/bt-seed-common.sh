# Shared set-up of bt-seed-compare.sh, bt-leech-compare.sh and bt-seed-phases.sh (sourced): the repository, the libtorrent helper script
# (../shared/tools/bt-baseline.sh), and Release builds of the host and the benchmarks.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scripts=$repo/tests/PSPeer.Benchmarks
PY=/usr/bin/python3
baseline=
for up in "$repo/.." "$repo/../.." "$repo/../../.."; do
  [[ -f $up/shared/tools/bt-baseline.sh ]] && { baseline=$up/shared/tools/bt-baseline.sh; break; }
done
[[ -n $baseline ]] || { echo "bt-baseline.sh not found (it holds the libtorrent helper)" >&2; exit 2; }

dotnet build "$repo/src/PSPeer.Host" -c Release -nologo -v q >&2 || exit 1
bench=$(bash "$scripts/bt-bench-publish.sh") || exit 1   # ReadyToRun, as bt-compare.sh runs the engine
host=$(ls "$repo"/src/PSPeer.Host/bin/Release/*/PSPeer.Host.dll | head -n 1)
export PSPEER_MODULE=$repo/out/PSPeer

# What the three scripts share once they have made their $work folder.
now() { date +%s.%N; }
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# cpu PID: user+system seconds of the process and its waited-for children so far; sys PID: system seconds alone
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
sys() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($15 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# median of the numbers on standard input, separated by spaces or lines ("-" for none)
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit } printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# make_payload: under $work, the baseline's libtorrent helper (btlt.py), $size MiB of random payload in seed/, its
# torrent announcing to a tracker port picked now ($tport, $announce), and opentracker's whitelist ($hash) and config in tracker/
make_payload() {
  sed -n "/^cat >\"\$work\/btlt.py\" <<'PYEOF'/,/^PYEOF/p" "$baseline" | sed '1d;$d' >"$work/btlt.py"
  mkdir -p "$work/seed" "$work/tracker"
  head -c "${size}M" /dev/urandom >"$work/seed/payload.bin"
  tport=$(free_port); announce="http://127.0.0.1:$tport/announce"
  mktorrent -l 18 -a "$announce" -o "$work/payload.torrent" "$work/seed/payload.bin" >/dev/null
  hash=$($PY "$work/btlt.py" infohash "$work/payload.torrent"); echo "$hash" >"$work/tracker/whitelist.txt"
  printf 'access.whitelist whitelist.txt\n' >"$work/tracker/ot.conf"
}
