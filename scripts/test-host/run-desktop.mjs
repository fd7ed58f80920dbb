// `npm run test:desktop`: the same Node-host integration suite (dist-test/node/index.js) on desktop VS Code
// (Electron) through @vscode/test-electron. It DOWNLOADS VS Code from update.code.visualstudio.com into
// .vscode-test/ (gitignored), so it needs internet; offline, use `npm run test:integration` (code-server).
// On Linux without a display it re-runs itself under `xvfb-run -a` when that is installed.
// Env: VSCODE_VERSION (default 1.99.3, the same VS Code as the code-server host; 'stable' for the latest
//      that satisfies engines.vscode), FORCE_FAIL=1, SKIP_BUILD=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTests } from './build-tests.mjs';
import { ROOT, RESULTS_DIR, prepareWorkspace, updateMetrics } from './host.mjs';

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.ASD_UNDER_XVFB) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (xvfb) {
    const r = spawnSync(xvfb, ['-a', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, ASD_UNDER_XVFB: '1' } });
    process.exit(r.status ?? 1);
  }
  console.warn('[desktop] no DISPLAY and no xvfb-run: Electron may fail to start (apt-get install xvfb)');
}

const T0 = Date.now();
if (!process.env.SKIP_BUILD || !existsSync(path.join(ROOT, 'dist/extension.js'))) {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await buildTests();

const { runTests } = await import('@vscode/test-electron');
mkdirSync(RESULTS_DIR, { recursive: true });
const resultsFile = path.join(RESULTS_DIR, '.integration-desktop-raw.json');
rmSync(resultsFile, { force: true });
const work = path.join(os.tmpdir(), `asd-desktop-${process.pid}`);
const folder = prepareWorkspace(path.join(work, 'ws'));

let code = 0;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION || '1.99.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'dist-test/node/index.js'),
    extensionTestsEnv: { ITEST_RESULTS_FILE: resultsFile },
    launchArgs: [
      folder,
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
      '--no-sandbox',
      `--user-data-dir=${path.join(work, 'ud')}`,
    ],
  });
} catch (e) {
  console.error(`[desktop] ${e?.message || e}`);
  code = typeof e === 'number' ? e : 1;
}

let s = { passed: 0, failed: 0, skipped: 0, metrics: {}, failures: [] };
try { s = JSON.parse(readFileSync(resultsFile, 'utf8')); } catch { /* the run did not get as far as the suite */ }
rmSync(resultsFile, { force: true });
rmSync(work, { recursive: true, force: true });
let failed = s.failed;
if (code !== 0 && failed === 0) failed = 1;
writeFileSync(path.join(RESULTS_DIR, 'integration-desktop.json'), JSON.stringify({
  tier: 'integration-desktop', passed: s.passed, failed, skipped: s.skipped, code, durationMs: Date.now() - T0,
  failures: s.failures, metrics: s.metrics,
}, null, 2) + '\n');
const act = s.metrics?.['activationMs.node'];
if (typeof act === 'number') {
  let prev = {};
  try { prev = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'metrics.json'), 'utf8')).activationMs || {}; } catch { /* none */ }
  updateMetrics({ activationMs: { ...prev, desktop: Number(act.toFixed(2)) } });
  console.log(`[desktop] activation time measured in desktop VS Code: ${act.toFixed(1)} ms`);
}
console.log(`${s.passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
