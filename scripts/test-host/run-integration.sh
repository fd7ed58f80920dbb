#!/usr/bin/env bash
# Runs the integration suites (test/integration/**/*.test.ts) inside a real VS Code extension host:
#   scripts/test-host/run-integration.sh node   # code-server's Node extension host (the `main` entry)
#   scripts/test-host/run-integration.sh web    # the web-worker extension host (the `browser` entry)
#   scripts/test-host/run-integration.sh restricted  # Node host, folder NOT trusted (Restricted Mode): the
#                                                    # "Restricted Mode" suite only
# Env: SKIP_BUILD=1 (dist/ is fresh), FORCE_FAIL=1 (adds a failing test), ITEST_GREP=<regexp> (only matching
#      tests), TEST_TIMEOUT=<s> (default 480: the node suite with the posture and Key Vault tiers takes about 190 s on 2 cores),
#      ITEST_VERBOSE=1 (whole page console), KEEP_RUN=1 (keep the temp profile and workspace).
# Exit: 0 passed, 1 failed, 124 timeout, 3 harness error.
set -euo pipefail
MODE="${1:-node}"
EXTRA=()
case "$MODE" in
  node|web) ;;
  restricted) MODE=node; EXTRA=(--restricted); export ITEST_GREP="${ITEST_GREP:-^Restricted Mode}" ;;
  *) echo "usage: $0 node|web|restricted" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
if [ ! -f .test-host/code-server/node_modules/code-server/out/node/entry.js ]; then
  echo "[run-integration] code-server missing; running scripts/test-host/setup.sh"
  bash scripts/test-host/setup.sh
fi
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f dist/extension.js ] || [ ! -f dist/web/extension.js ]; then
  npm run --silent build
fi
node scripts/test-host/build-tests.mjs
exec node scripts/test-host/driver.mjs --mode "$MODE" "${EXTRA[@]}"
