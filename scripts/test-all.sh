#!/usr/bin/env bash
# `npm test`: every tier, in order, even when one fails:
#   build, typecheck, lint, unit (mocha), integration in the Node host, integration in the web-worker host,
#   CI recipe (scripts/test-recipe.sh: the README's GitHub Actions recipe against a local npm pack tarball),
#   UI check (its steps count as tests).
# Prints each tier's counts (skipped tests too) and time, and ends with ONE plain line
# `N passed, N failed, N skipped` (all tiers summed; `, N skipped` only when some were skipped).
# Skipped = mocha's pending tests (this.skip(), e.g. a suite whose prerequisite is missing).
# Build, typecheck and lint count as one test each. Exit 1 if anything failed.
# Env: FORCE_FAIL=1 (adds a failing integration test to both hosts), SKIP_UI=1, SKIP_INTEGRATION=1, SKIP_RECIPE=1.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# A fresh clone: dependencies and the test host (apt packages, code-server from npm) come first.
[ -x node_modules/.bin/esbuild ] || npm ci
[ -f .test-host/code-server/node_modules/code-server/out/node/entry.js ] || bash scripts/test-host/setup.sh
mkdir -p test-results
rm -f test-results/integration-node.json test-results/integration-web.json test-results/integration-restricted.json test-results/ui.json test-results/unit.log

TOTAL_P=0; TOTAL_F=0; TOTAL_S=0
ROWS=()
now() { date +%s.%N; }
record() { # tier passed failed seconds [skipped]
  local skipped="${5:-0}"
  TOTAL_P=$((TOTAL_P + $2)); TOTAL_F=$((TOTAL_F + $3)); TOTAL_S=$((TOTAL_S + skipped))
  ROWS+=("$(printf '%-22s %4s passed %4s failed %4s skipped %7.1fs' "$1" "$2" "$3" "$skipped" "$4")")
}
elapsed() { echo "$(now) - $1" | bc; }
banner() { echo; echo "=== $1 ==="; }
check_tier() { # name, command...: one test, passes when the command exits 0
  local name="$1"; shift
  banner "$name"
  local t0; t0=$(now)
  if "$@"; then record "$name" 1 0 "$(elapsed "$t0")"; else record "$name" 0 1 "$(elapsed "$t0")"; fi
}
json_tier() { # name, results file, command...
  local name="$1" file="$2"; shift 2
  banner "$name"
  local t0; t0=$(now)
  "$@"; local rc=$?
  local p=0 f=1 s=0
  if [ -f "$file" ]; then
    read -r p f s < <(node -e 'const r=require(process.argv[1]);console.log(`${r.passed|0} ${r.failed|0} ${r.skipped|0}`)' "$ROOT/$file")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  fi
  record "$name" "$p" "$f" "$(elapsed "$t0")" "$s"
}
line_tier() { # name, command...: a script that ends with the plain `N passed, N failed` line
  local name="$1"; shift
  banner "$name"
  local t0; t0=$(now)
  local log="test-results/$name.log"
  "$@" 2>&1 | tee "$log"; local rc=${PIPESTATUS[0]}
  local p=0 f=1
  local line; line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)"
  if [ -n "$line" ]; then read -r p _ f _ <<<"$line"; fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  record "$name" "$p" "$f" "$(elapsed "$t0")"
}

T_ALL=$(now)
check_tier build npm run --silent build
check_tier typecheck npm run --silent typecheck
check_tier lint npm run --silent lint

banner unit
t0=$(now)
npx mocha 2>&1 | tee test-results/unit.log
rc=${PIPESTATUS[0]}
up=$(grep -Eo '^\s*[0-9]+ passing' test-results/unit.log | grep -Eo '[0-9]+' | tail -1); up=${up:-0}
uf=$(grep -Eo '^\s*[0-9]+ failing' test-results/unit.log | grep -Eo '[0-9]+' | tail -1); uf=${uf:-0}
us=$(grep -Eo '^\s*[0-9]+ pending' test-results/unit.log | grep -Eo '[0-9]+' | tail -1); us=${us:-0}
if [ "$rc" != 0 ] && [ "$uf" = 0 ]; then uf=1; fi
record unit "$up" "$uf" "$(elapsed "$t0")" "$us"

if [ -z "${SKIP_RECIPE:-}" ]; then
  line_tier ci-recipe bash scripts/test-recipe.sh
fi

if [ -z "${SKIP_INTEGRATION:-}" ]; then
  export SKIP_BUILD=1
  json_tier integration-node test-results/integration-node.json bash scripts/test-host/run-integration.sh node
  json_tier integration-web test-results/integration-web.json bash scripts/test-host/run-integration.sh web
  json_tier integration-restricted test-results/integration-restricted.json bash scripts/test-host/run-integration.sh restricted
fi
if [ -z "${SKIP_UI:-}" ]; then
  json_tier ui test-results/ui.json bash scripts/test-host/ui-check.sh
fi

echo
echo "=== summary ($(printf '%.0f' "$(elapsed "$T_ALL")")s) ==="
for r in "${ROWS[@]}"; do echo "  $r"; done
if [ -f test-results/metrics.json ]; then
  node -e '
    const m = require(process.argv[1]);
    const a = m.activationMs || {};
    const parts = [];
    if (m.vsixBytes) parts.push(`vsix ${(m.vsixBytes / 1024).toFixed(1)} KiB`);
    for (const k of Object.keys(a)) parts.push(`activation (${k} host) ${a[k]} ms`);
    if (parts.length) console.log("  metrics: " + parts.join(", ") + "  (test-results/metrics.json)");
  ' "$ROOT/test-results/metrics.json"
fi
if [ "$TOTAL_S" -gt 0 ]; then echo "$TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped"; else echo "$TOTAL_P passed, $TOTAL_F failed"; fi
[ "$TOTAL_F" = 0 ]
