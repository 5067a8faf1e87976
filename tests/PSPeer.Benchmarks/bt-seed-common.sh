# Shared set-up of bt-seed-compare.sh and bt-seed-phases.sh (sourced): the repository, the libtorrent helper script
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
dotnet build "$scripts" -c Release -nologo -v q >&2 || exit 1
host=$(ls "$repo"/src/PSPeer.Host/bin/Release/*/PSPeer.Host.dll | head -n 1)
bench=$(ls "$scripts"/bin/Release/*/PSPeer.Benchmarks.dll | head -n 1)
export PSPEER_MODULE=$repo/out/PSPeer
