#!/usr/bin/env bash
# One-time (idempotent) setup of the headless VS Code test host:
#   1. Debian packages, only when missing: chromium (the browser that loads the workbench), ripgrep
#      (replaces @vscode/ripgrep's GitHub download), libkrb5-dev (to build kerberos), build tools.
#   2. code-server into <repo>/.test-host/code-server (reused when already complete).
# Needs: Debian/Ubuntu, node 20, npm; root or passwordless sudo for apt (only when something is missing).
#   setup.sh         apt packages + code-server
#   setup.sh apt     apt packages only (CI runs this before `npm ci`)
set -euo pipefail
WHAT="${1:-all}"
HERE="$(cd "$(dirname "$0")" && pwd)"
t0=$(date +%s)

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "[setup] apt-get install ${need[*]}"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
  echo "[setup] apt packages installed in $(( $(date +%s) - t0 ))s"
else
  echo "[setup] apt packages present (chromium, ripgrep, libkrb5-dev, build tools)"
fi

[ "$WHAT" = apt ] && exit 0
[ -d "$HERE/../../node_modules/playwright-core" ] || { echo "[setup] run 'npm ci' first (playwright-core, mocha)" >&2; exit 2; }
bash "$HERE/install-code-server.sh"
echo "[setup] done in $(( $(date +%s) - t0 ))s"
