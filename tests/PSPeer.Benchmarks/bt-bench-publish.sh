#!/usr/bin/env bash
# bt-bench-publish.sh - build PSPeer.Benchmarks for the BitTorrent comparisons and print the path of its dll.
#
# The real clients it is set beside (aria2, libtorrent) are compiled ahead of time; a .NET program's counterpart is
# ReadyToRun, which also ships IL so it runs anywhere and re-JITs its hot methods. Without it each seeder and leecher
# process spends 0.1-0.2 s of CPU in the JIT compiler, and the five processes of the 1 -> 4 swarm row share two
# cores: medians of that row went 4.31 and 5.25 s -> 2.39 and 3.98 s (two back-to-back runs of
# SWARM_RUNS=3 ... bt-compare.sh 1024 swarm custom, 2026-12-02).
# BT_JIT=1 builds the plain Release output instead (what `dotnet build` gives), to see what ReadyToRun is worth.
set -euo pipefail
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ${BT_JIT:-0} == 1 ]]; then
  dotnet build "$scripts" -c Release -nologo -v q >&2
  ls "$scripts"/bin/Release/*/PSPeer.Benchmarks.dll | head -n 1
  exit 0
fi
case $(uname -m) in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) echo "no ReadyToRun runtime for $(uname -m): run with BT_JIT=1" >&2; exit 2 ;; esac
out=$scripts/bin/ReadyToRun
dotnet publish "$scripts" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -nologo -v q >&2
echo "$out/PSPeer.Benchmarks.dll"
