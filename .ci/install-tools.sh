#!/usr/bin/env bash
# Installs the real clients the interop tests talk to (Debian packages). Idempotent: installs only what is missing.
# Without them the interop tests skip and say which tool is missing; in CI they must all be here.
set -uo pipefail
need=()
command -v curl        >/dev/null || need+=(curl)
command -v aria2c      >/dev/null || need+=(aria2)
command -v opentracker >/dev/null || need+=(opentracker)
command -v mktorrent   >/dev/null || need+=(mktorrent)
command -v transmission-show >/dev/null || need+=(transmission-cli)
command -v ip          >/dev/null || need+=(iproute2)      # namespaced multi-host tests (as root)
command -v nft         >/dev/null || need+=(nftables)      # their NAT (masquerade)
[ -x /usr/sbin/sshd ]             || need+=(openssh-server)  # their PowerShell remoting over SSH
command -v ssh         >/dev/null || need+=(openssh-client)
/usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1 || need+=(python3 python3-libtorrent)
if (( ${#need[@]} )); then
  echo "# installing: ${need[*]}"
  timeout 600 apt-get update -qq >/dev/null 2>&1 || echo "# apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || echo "# could not install ${need[*]}: the interop tests that need them will say so and skip"
fi
