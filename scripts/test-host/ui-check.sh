#!/usr/bin/env bash
# UI tier: packages the .vsix (npm run package), reports its size, installs it into a fresh code-server
# profile and drives the real workbench (scripts/test-host/ui-check.mjs). Steps count as tests.
# Env: SKIP_PACKAGE=1 (reuse dist-vsix/azure-secure-dev.vsix), UPDATE_SCREENSHOTS=1 (refresh media/screenshots/),
#      VSIX=<path> (test another package), KEEP_RUN=1.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VSIX="${VSIX:-$ROOT/dist-vsix/azure-secure-dev.vsix}"
mkdir -p test-results
if [ ! -f .test-host/code-server/node_modules/code-server/out/node/entry.js ]; then
  bash scripts/test-host/setup.sh || exit 3
fi
if [ -z "${SKIP_PACKAGE:-}" ] || [ ! -f "$VSIX" ]; then
  rm -f "$VSIX"
  if ! npm run --silent package > test-results/package.log 2>&1 || [ ! -f "$VSIX" ]; then
    cat test-results/package.log
    echo "[ui-check] npm run package failed: no .vsix to install"
    node --input-type=module -e 'import { updateMetrics } from "./scripts/test-host/host.mjs"; updateMetrics({ vsixBytes: null });'
    node -e 'require("fs").writeFileSync("test-results/ui.json", JSON.stringify({tier:"ui",passed:0,failed:1,steps:[{name:"the .vsix packages (npm run package)",ok:false,error:"npm run package failed; see test-results/package.log"}]},null,2)+"\n")'
    echo "[ui] 0 passed, 1 failed"
    exit 1
  fi
  tail -n 2 test-results/package.log
fi
node --input-type=module -e '
  import { statSync } from "node:fs";
  import { updateMetrics } from "./scripts/test-host/host.mjs";
  const bytes = statSync(process.argv[1]).size;
  updateMetrics({ vsixBytes: bytes });
  console.log(`[ui-check] vsix size: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
' "$VSIX"
exec node scripts/test-host/ui-check.mjs --vsix "$VSIX"
