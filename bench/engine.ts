// npm run bench:engine: CPU time of the engine on one document (the 1 MB ARM template of npm run bench, and the
// incremental re-checks), measured with process.cpuUsage so a busy shared machine skews it less than wall time.
// Usage: node -r esbuild-register bench/engine.ts [arm|edit-arm|edit-env|all] [iterations]
// The engine is measured as it ships: bundled by esbuild into one module (as in dist/), not module by module
// as esbuild-register loads it, where every call across modules goes through an export getter.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as EngineModule from '../src/core/engine';
import type * as IncrementalModule from '../src/core/incremental';
import { armTemplate, rng } from './tree';

type BundledEngine = Pick<typeof EngineModule, 'scanText'> & Pick<typeof IncrementalModule, 'IncrementalScanner'>;
let bundled: BundledEngine | undefined;

/** The engine's scanText and IncrementalScanner from one esbuild bundle (built once per process). */
export function bundledEngine(): BundledEngine {
  if (bundled) return bundled;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-engine-bench-'));
  const outfile = path.join(dir, 'engine.js');
  esbuild.buildSync({
    stdin: { contents: "export { scanText } from './src/core/engine'; export { IncrementalScanner } from './src/core/incremental';", resolveDir: path.resolve(__dirname, '..'), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    alias: { yaml: './node_modules/yaml/browser/index.js' },
    outfile,
    logLevel: 'warning',
  });
  // A bundle built at run time can only be loaded by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundled = require(outfile) as BundledEngine;
  fs.rmSync(dir, { recursive: true, force: true });
  return bundled;
}

export function oneMbArmTemplate(): string {
  let n = 40;
  let json = armTemplate(n, rng(1));
  while (json.length < 1024 * 1024) json = armTemplate((n = Math.ceil(n * 1.2)), rng(1));
  return json;
}

export function largeEnv(): string {
  return Array.from({ length: 20000 }, (_, i) => (i % 100 === 0 ? `# section ${i}` : `SETTING_${i}=value-${i}-${(i * 7919) % 10007}`)).join('\n');
}

/** CPU milliseconds (user + system) that run() takes. */
export function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), min: s[0], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** CPU ms per one-character edit typed into values all over the document, as the editor re-checks them. */
export function editTimes(path: string, initial: string, count: number, clock: (run: () => void) => number = cpuMs): { times: number[]; modes: Map<string, number> } {
  const inc = new (bundledEngine().IncrementalScanner)(path);
  inc.full(initial);
  let text = initial;
  const rand = rng(9);
  const times: number[] = [];
  const modes = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    let at = Math.floor(rand() * text.length);
    at = text.indexOf(path === '.env' ? '=' : ': "', at);
    if (at < 0) at = Math.floor(text.length / 2);
    at += path === '.env' ? 1 : 3;
    // The editor hands over a flat string (TextDocument.getText() joins the lines); a bare concatenation would be a
    // rope, and flattening 1 MB inside the timed call (on its first slice) is a cost the editor never pays.
    const next = flatString(text.slice(0, at) + 'x' + text.slice(at));
    const prev = text;
    times.push(clock(() => inc.update(next, { unchangedPrefix: at, unchangedSuffix: prev.length - at })));
    modes.set(inc.lastMode, (modes.get(inc.lastMode) ?? 0) + 1);
    text = next;
  }
  return { times, modes };
}

/** A flat copy of `s` (not a rope of concatenated pieces). */
function flatString(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

function fmt(name: string, ms: number[]): string {
  const s = stats(ms);
  return `${name}: CPU median ${s.median.toFixed(2)} ms, mean ${s.mean.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms, min ${s.min.toFixed(2)} ms (n=${ms.length})`;
}

if (require.main === module) {
  const which = process.argv[2] ?? 'all';
  const iterations = Number(process.argv[3] ?? 200);
  const { scanText } = bundledEngine();
  if (which === 'arm' || which === 'all') {
    const json = oneMbArmTemplate();
    for (let i = 0; i < 10; i++) scanText(json, 'azuredeploy.json');
    const times = Array.from({ length: iterations }, () => cpuMs(() => scanText(json, 'azuredeploy.json')));
    console.log(fmt(`engine, one ${(json.length / 1048576).toFixed(2)} MB ARM template`, times));
  }
  for (const [key, name, path, text] of [
    ['edit-arm', '1 MB ARM template', 'azuredeploy.json', () => oneMbArmTemplate()],
    ['edit-env', '20,000-line .env', '.env', () => largeEnv()],
  ] as const) {
    if (which !== key && which !== 'all') continue;
    const { times, modes } = editTimes(path, text(), Math.max(iterations, 300));
    console.log(`${fmt(`re-check after a one-character edit, ${name}`, times.slice(20))} (${[...modes].map(([m, c]) => `${m} ${c}`).join(', ')})`);
  }
}
