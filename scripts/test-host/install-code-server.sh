#!/usr/bin/env bash
# Installs code-server (VS Code server + web client + Node extension host) from the npm registry only,
# with no other network access. Idempotent: a complete install is detected and reused.
#
#   scripts/test-host/install-code-server.sh [DEST]      (default: <repo>/.test-host/code-server)
#
# Why not a plain `npm i code-server`: its postinstall refuses root under npm >= 7, kerberos needs
# libkrb5-dev, @vscode/ripgrep downloads rg from GitHub, and node-pty's script runs `npx node-gyp`
# (cancelled when npm's `yes` is false). So this does code-server's postinstall.sh by hand.
# Needs: node 20, npm, build tools (g++, make, python3, pkg-config), libkrb5-dev, ripgrep (see setup.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEST="${1:-$ROOT/.test-host/code-server}"
VERSION="${CODE_SERVER_VERSION:-4.99.4}"
MARKER="$DEST/.installed-$VERSION"
VSC="$DEST/node_modules/code-server/lib/vscode"

check() {
  # The install is complete when code-server reports its version and its native modules load.
  (cd "$DEST" && node -e '
    const v = require("./node_modules/code-server/package.json").version;
    if (v !== process.argv[1]) { console.error(`code-server ${v}, wanted ${process.argv[1]}`); process.exit(1); }
    const vs = "./node_modules/code-server/lib/vscode/node_modules/";
    for (const m of ["node-pty", "@vscode/spdlog", "@parcel/watcher", "kerberos"]) require(vs + m);
    require("./node_modules/argon2");
    require("fs").accessSync(vs + "@vscode/ripgrep/bin/rg", require("fs").constants.X_OK);
  ' "$VERSION") >/dev/null 2>&1 \
  && [ -e "$VSC/node_modules.asar" ] && [ -d "$VSC/extensions/node_modules" ]
}

if [ -f "$MARKER" ] && check; then
  echo "[install-code-server] code-server $VERSION already installed in $DEST (native modules load)"
  exit 0
fi

command -v rg >/dev/null || { echo "[install-code-server] ripgrep (rg) is missing: run scripts/test-host/setup.sh" >&2; exit 2; }
t0=$(date +%s)
echo "[install-code-server] installing code-server $VERSION into $DEST"
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
echo '{"name":"azure-secure-dev-test-host","private":true}' > package.json

# node-gyp: build against the installed node's headers (<prefix>/include/node) instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ]; then
  for prefix in "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" /usr /usr/local; do
    if [ -f "$prefix/include/node/node.h" ]; then export npm_config_nodedir="$prefix"; break; fi
  done
  [ -n "${npm_config_nodedir:-}" ] || echo "[install-code-server] warning: no node headers found; node-gyp will try to download them" >&2
fi
export npm_config_yes=true                                # node-pty's install script runs `npx node-gyp`
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel="${npm_config_loglevel:-error}"

# 1) code-server itself, scripts off.
npm i "code-server@$VERSION" --ignore-scripts --no-save --no-package-lock
# 2) its own native dependency (prebuilt download fails offline; node-pre-gyp falls back to building).
npm rebuild argon2
# 3) code-server's postinstall.sh, by hand.
cd "$VSC"
npm install --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg   # Debian's ripgrep instead of a GitHub download
npm rebuild                                                 # spdlog, node-pty, @parcel/watcher, kerberos, ...
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev)
cd "$DEST"

if ! check; then
  echo "[install-code-server] install is incomplete: native modules do not load" >&2
  (cd "$DEST" && node -e 'for (const m of ["node-pty","@vscode/spdlog","@parcel/watcher","kerberos"]) { try { require("./node_modules/code-server/lib/vscode/node_modules/"+m); } catch (e) { console.error(m, e.message); } }')
  exit 1
fi
touch "$MARKER"
echo "[install-code-server] $(node node_modules/code-server/out/node/entry.js --version 2>/dev/null | head -1)"
echo "[install-code-server] done in $(( $(date +%s) - t0 ))s, $(du -sh node_modules | cut -f1)"
