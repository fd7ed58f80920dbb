// npm run fuzz: a long fuzzing campaign over test/unit/fuzz.test.ts (FUZZ_RUNS cases per property, 20,000 by
// default; the timing, deep-nesting and huge-line properties run a share of that). Failures are appended to
// test/fuzz-seeds.json ({ property, seed, path }) so the unit tier replays them from then on.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const runs = process.env.FUZZ_RUNS ?? '20000';
const mocha = require.resolve('mocha/bin/mocha.js');
const started = Date.now();
console.log(`fuzz campaign: FUZZ_RUNS=${runs}, failures recorded in test/fuzz-seeds.json`);
const r = spawnSync(process.execPath, [mocha, '--no-config', '-r', 'esbuild-register', '--timeout', '0', 'test/unit/fuzz.test.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_RECORD: '1', FUZZ_STRICT_TIME: '1' },
});
console.log(`fuzz campaign finished in ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${r.status}`);
process.exitCode = r.status ?? 1;
