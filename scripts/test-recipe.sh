#!/usr/bin/env bash
# `npm run test:recipe`: follows the README's GitHub Actions recipe ("Use in CI") step by step on this machine,
# offline, against the samples workspace, then checks the npm package the same way a user would run it.
#   1. checkout  -> a copy of this working tree (tracked and untracked files, .gitignore respected)
#   2. npm ci    -> the shared node_modules linked in (offline); RECIPE_NPM_CI=1 runs the real `npm ci`
#   3. npm run build
#   4. node <tool>/dist/cli.js scan . --format sarif --output results.sarif   (in the scanned repository)
#      -> exit 1 (the samples hold problems), results.sarif is SARIF 2.1.0 with the planted rule ids
#   5. npm pack: the tarball holds only package.json, README.md, LICENSE, CHANGELOG.md, dist/cli.js and dist/cli-posture.js
#   6. npm install --offline <tarball> in the scanned repository (it fetches nothing: the CLI is one bundle),
#      then npx azure-secure-dev scan . --format sarif --output results.sarif -> the same results
# Prints `N passed, N failed` (one per step) and exits 1 when a step failed.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/asd-recipe-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
PASSED=0; FAILED=0
ok() { echo "  ok   $1"; PASSED=$((PASSED + 1)); }
bad() { echo "  FAIL $1"; FAILED=$((FAILED + 1)); }
step() { echo; echo "=== [recipe] $1 ==="; }

TOOL="$WORK/azure-secure-dev"   # where the recipe clones the tool ($RUNNER_TEMP/azure-secure-dev)
REPO="$WORK/repo"               # the user's repository (the samples)
mkdir -p "$TOOL" "$REPO"

step "checkout (a copy of this working tree)"
( cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ -e "$1" ] && printf "%s\0" "$1"' _ {} | tar --null -T - -cf - ) | tar -C "$TOOL" -xf - \
  && ok "checkout" || bad "checkout"

step "npm ci"
if [ -n "${RECIPE_NPM_CI:-}" ]; then
  ( cd "$TOOL" && npm ci ) && ok "npm ci" || bad "npm ci"
else
  ln -s "$(readlink -f "$ROOT/node_modules")" "$TOOL/node_modules" && ok "npm ci (shared node_modules linked in, offline)" || bad "npm ci"
fi

step "npm run build"
( cd "$TOOL" && npm run --silent build ) && ok "npm run build" || bad "npm run build"

# The repository to scan: the samples, built with their fake keys.
( cd "$TOOL" && node -r esbuild-register scripts/make-samples.ts "$REPO" ) >/dev/null || bad "samples"

check_sarif() { # label, sarif file, exit code
  node - "$1" "$2" "$3" "$ROOT/test/fixtures/samples-expected.json" <<'EOF'
const fs = require('fs');
const [label, file, code, expectedFile] = process.argv.slice(2);
const problems = [];
if (code !== '1') problems.push(`exit code ${code}, expected 1 (the samples hold problems)`);
let sarif;
try { sarif = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { problems.push(`${file}: ${e.message}`); }
if (sarif) {
  if (sarif.version !== '2.1.0') problems.push(`SARIF version ${sarif.version}`);
  const results = sarif.runs?.[0]?.results ?? [];
  const got = new Set(results.map((r) => r.ruleId));
  const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')).files;
  const want = new Set(Object.values(expected).flat().map((p) => p.rule));
  for (const id of want) if (!got.has(id)) problems.push(`no ${id} result`);
  const uris = new Set(results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri));
  for (const f of Object.keys(expected)) if (!uris.has(f)) problems.push(`no result in ${f}`);
  if (!problems.length) console.log(`  ${label}: ${results.length} results, ${got.size} rules, ${uris.size} files`);
}
if (problems.length) { console.log(`  ${label}: ${problems.join('; ')}`); process.exit(1); }
EOF
}

step "node dist/cli.js scan . --format sarif --output results.sarif"
( cd "$REPO" && node "$TOOL/dist/cli.js" scan . --format sarif --output results.sarif ); code=$?
check_sarif "built from the repository" "$REPO/results.sarif" "$code" && ok "scan with the built CLI" || bad "scan with the built CLI"
rm -f "$REPO/results.sarif"

step "npm pack"
TARBALL=""
PACKED="$( cd "$TOOL" && npm pack --silent --pack-destination "$WORK" 2>"$WORK/pack.log" | tail -1 )"
[ -n "$PACKED" ] && TARBALL="$WORK/$PACKED"
if [ -f "$TARBALL" ]; then
  FILES="$(tar -tzf "$TARBALL" | sed 's#^package/##' | LC_ALL=C sort | tr '\n' ' ')"
  WANT="CHANGELOG.md LICENSE README.md dist/cli-posture.js dist/cli.js package.json "
  echo "  $(basename "$TARBALL"): $(stat -c %s "$TARBALL") bytes; $FILES"
  [ "$FILES" = "$WANT" ] && ok "the tarball holds only what users need" || bad "the tarball holds: $FILES (expected: $WANT)"
else
  cat "$WORK/pack.log"
  bad "npm pack produced no tarball"
fi

step "npm install <tarball> (offline) + npx azure-secure-dev scan"
if [ -f "$TARBALL" ]; then
  # As a project that adds the package: a package.json, the tarball installed, nothing else in node_modules.
  echo '{ "name": "recipe-user", "private": true }' > "$REPO/package.json"
  if ( cd "$REPO" && npm install --silent --no-save --offline "$TARBALL" ); then
    ok "npm install --offline <tarball> (no runtime dependencies to fetch)"
    n="$(find "$REPO/node_modules" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l)"
    [ "$n" = 1 ] && ok "node_modules holds the package alone" || bad "node_modules holds $n entries"
    ( cd "$REPO" && npx --no-install azure-secure-dev --version ) | grep -qx "$(node -p "require('$ROOT/package.json').version")" \
      && ok "npx azure-secure-dev --version" || bad "npx azure-secure-dev --version"
    ( cd "$REPO" && npx --no-install azure-secure-dev scan . --format sarif --output results.sarif ); code=$?
    check_sarif "installed from the tarball" "$REPO/results.sarif" "$code" && ok "npx azure-secure-dev scan" || bad "npx azure-secure-dev scan"
    # posture lives in its own bundle (dist/cli-posture.js): it must be in the package and load. A malformed app id
    # is refused by that bundle before any sign-in or network call (exit 2).
    msg="$( cd "$REPO" && npx --no-install azure-secure-dev posture --app not-a-resource-id 2>&1 )"; code=$?
    [ "$code" = 2 ] && printf '%s' "$msg" | grep -q "resource id" && ok "npx azure-secure-dev posture loads its bundle" || bad "npx azure-secure-dev posture (exit $code): $msg"
  else
    bad "npm install --offline <tarball>"
  fi
else
  bad "npm install <tarball> (no tarball)"
fi

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
