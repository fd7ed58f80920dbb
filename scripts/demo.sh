#!/usr/bin/env bash
# `npm run demo`: builds and packages the extension, installs the .vsix into a fresh local VS Code
# (code-server 4.99.4 = VS Code 1.99.3, bound to 127.0.0.1 only) opened on samples/ with infra/azuredeploy.json
# in the editor, prints the URL and keeps running until Ctrl+C. Env: DEMO_PORT=<port> (default: a free one).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# A fresh clone: install the dependencies first (nothing else is downloaded).
[ -x node_modules/.bin/esbuild ] || npm ci
[ -f .test-host/code-server/node_modules/code-server/out/node/entry.js ] || bash scripts/test-host/setup.sh
echo "[demo] building and packaging"
npm run --silent package
VSIX="$ROOT/dist-vsix/azure-secure-dev.vsix"
[ -f "$VSIX" ] || { echo "[demo] $VSIX was not produced" >&2; exit 1; }
echo "[demo] $(basename "$VSIX"): $(stat -c %s "$VSIX") bytes"
if [ ! -d samples ] || [ -z "$(ls -A samples 2>/dev/null)" ]; then
  if node -e 'process.exit(require("./package.json").scripts?.samples ? 0 : 1)'; then
    echo "[demo] building samples/ (npm run samples)"
    npm run --silent samples
  fi
fi
FOLDER="$ROOT/samples"
if [ ! -d "$FOLDER" ] || [ -z "$(ls -A "$FOLDER" 2>/dev/null)" ]; then
  FOLDER="$(mktemp -d "${TMPDIR:-/tmp}/asd-demo-ws-XXXXXX")"
  node --input-type=module -e 'import { prepareWorkspace } from "./scripts/test-host/host.mjs"; prepareWorkspace(process.argv[1]);' "$FOLDER"
  echo "[demo] samples/ is not available; using a temp workspace $FOLDER"
fi
# The URL opens a sample whose first screen shows squiggles (host.mjs DEMO_FILE), when the folder has it.
OPEN="$(node --input-type=module -e 'import { DEMO_FILE } from "./scripts/test-host/host.mjs"; console.log(DEMO_FILE);')"
exec node scripts/test-host/host.mjs serve --folder "$FOLDER" --vsix "$VSIX" --open "$OPEN" ${DEMO_PORT:+--port "$DEMO_PORT"}
