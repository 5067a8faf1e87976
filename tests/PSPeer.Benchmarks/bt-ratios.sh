#!/usr/bin/env bash
# bt-ratios.sh NAME < bt-baseline output: the aims' table of issue 13. Every PSPeer figure (label NAME) beside its anchor,
# the real client's figure for the same work in the same run, and the ratio anchor / PSPeer: 1.00 = as fast as the
# anchor, above = faster. The aim is >= 1.00 against libtorrent in every row. Rows whose figures are missing are skipped.
set -euo pipefail
name=${1:?usage: bt-ratios.sh NAME < baseline-output}
awk -v n="$name" '
  # NAME SIZEMiB SECONDSs MB/s (min..max s, n=RUNS)
  $2 ~ /MiB$/ && $3 ~ /^[0-9.]+s$/ { t[$1] = substr($3, 1, length($3) - 1) + 0; runs[$1] = $NF; size[$1] = $2 }
  function row(work, anchor, label, mine, what,   r) {
    if (!(anchor in t) || !(mine in t)) return
    r = t[anchor] / t[mine]
    printf "| %s | %s %.2f s | %s %.2f s | %.2fx %s |\n", work, label, t[anchor], what, t[mine], r, (r >= 1.0 ? "met" : "NOT met")
  }
  END {
    print "# aims (issue 13): ratio = anchor seconds / PSPeer seconds, medians of the runs of each row (n= on its line above); the aim is >= 1.00x"
    print "| work | anchor | PSPeer | ratio |"
    print "|---|---|---|---|"
    row("create a .torrent", "libtorrent-create", "libtorrent", n "-create", "PSPeer")
    row("seeder -> leecher, both the same client", "libtorrent-to-libtorrent", "libtorrent -> libtorrent", n "-to-" n, "PSPeer -> PSPeer")
    row("seeder -> libtorrent", "libtorrent-to-libtorrent", "libtorrent seeds", n "-to-libtorrent", "PSPeer seeds")
    row("seeder -> aria2", "libtorrent-to-aria2", "libtorrent seeds", n "-to-aria2", "PSPeer seeds")
    row("libtorrent seeds -> leecher", "libtorrent-to-libtorrent", "libtorrent leeches", "libtorrent-to-" n, "PSPeer leeches")
    row("aria2 seeds -> leecher", "aria2-to-libtorrent", "libtorrent leeches", "aria2-to-" n, "PSPeer leeches")
    for (k in t) if (k ~ /^libtorrent-swarm-/) { sw = substr(k, length("libtorrent-swarm-") + 1) }
    if (sw != "") row("1 seeder -> " sw " leechers", "libtorrent-swarm-" sw, "libtorrent", n "-swarm-" sw, "PSPeer")
  }'
