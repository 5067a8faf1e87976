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
[ -x /usr/bin/chromium ]          || need+=(chromium)        # the dashboard's browser tests (playwright-core drives it)
command -v node        >/dev/null || need+=(nodejs)
command -v npm         >/dev/null || need+=(npm)
if (( ${#need[@]} )); then
  echo "# installing: ${need[*]}"
  timeout 600 apt-get update -qq >/dev/null 2>&1 || echo "# apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || echo "# could not install ${need[*]}: the interop tests that need them will say so and skip"
fi

# The browser tests' driver (playwright-core, pinned by tests/browser/package-lock.json; it downloads no browser).
browser_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
if command -v npm >/dev/null && [ ! -d "$browser_tests/node_modules/playwright-core" ]; then
  (cd "$browser_tests" && timeout 300 npm ci --no-audit --no-fund >/dev/null 2>&1) \
    || echo "# npm ci in tests/browser failed: the browser tests will say so and skip"
fi
