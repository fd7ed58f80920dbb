// npm run bench:load: load figures, never a pass/fail test.
//   1. The CLI over a generated workspace of 20,000 files (mixed kinds): files/s, MiB/s and peak RSS.
//   2. 50 open documents being edited in process (one IncrementalScanner each, 100 random one-character edits
//      per document per round, two rounds): total time, p95 per edit, heap and RSS growth.
// Run with --expose-gc (the script line does) so the memory figures are taken after a full collection.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IncrementalScanner } from '../src/core/incremental';
import { armTemplate, generateTree, plantedSecret, rng } from './tree';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, 'bench', '.data');
const FILES = Number(process.env.LOAD_FILES ?? 20_000);
/** bench/tree.ts writes 7 files per service (ARM, Bicep, Terraform, TypeScript, .env, workflow YAML, appsettings). */
const PER_SERVICE = 7;

class Stop extends Error {}


/** Exactly FILES files: whole services from bench/tree.ts, topped up with web.config files (XML). */
function ensureWorkspace(): { dir: string; files: number; bytes: number } {
  const dir = path.join(DATA, `load-${FILES}`);
  const marker = path.join(dir, '.bench-load.json');
  if (fs.existsSync(marker)) return { dir, ...JSON.parse(fs.readFileSync(marker, 'utf8')) };
  fs.rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  const services = Math.floor(FILES / PER_SERVICE);
  try {
    // generateTree stops on size; stop it on the service count instead (plant(i) runs once per service,
    // after its first four files, so the partial service is removed below).
    generateTree(dir, Number.MAX_SAFE_INTEGER, (i) => {
      if (i >= services) throw new Stop();
      return plantedSecret(i);
    });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  fs.rmSync(path.join(dir, `svc-${Math.floor(services / 20)}`, `app-${services}`), { recursive: true, force: true });
  for (let k = services * PER_SERVICE; k < FILES; k++) {
    fs.mkdirSync(path.join(dir, 'web', String(k)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'web', String(k), 'web.config'), `<?xml version="1.0"?>\n<configuration>\n  <appSettings>\n    <add key="Mode${k}" value="prod" />\n  </appSettings>\n</configuration>\n`);
  }
  let files = 0;
  let bytes = 0;
  const count = (d: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, ent.name);
      if (ent.isDirectory()) count(abs);
      else if (ent.isFile()) {
        files++;
        bytes += fs.statSync(abs).size;
      }
    }
  };
  count(dir);
  fs.writeFileSync(marker, JSON.stringify({ files, bytes }));
  console.log(`generated ${files} files, ${(bytes / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s (cached in ${path.relative(ROOT, dir)})`);
  return { dir, files, bytes };
}

function cliLoad(): void {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const ws = ensureWorkspace();
  const args = [cli, 'scan', ws.dir, '--format', 'json', '--output', '/dev/null'];
  const useTime = fs.existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const r = useTime ? spawnSync('/usr/bin/time', ['-f', '__MAXRSS__%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /__MAXRSS__(\d+)/.exec(r.stderr ?? '');
  const mib = ws.bytes / 1048576;
  console.log(
    `CLI scan of ${ws.files} files (${mib.toFixed(1)} MiB, ARM/Bicep/Terraform/TypeScript/.env/YAML/appsettings/web.config): ${s.toFixed(2)} s, ` +
      `${(ws.files / s).toFixed(0)} files/s, ${(mib / s).toFixed(1)} MiB/s, exit ${r.status}, ` +
      (rss ? `peak RSS ${(Number(rss[1]) / 1024).toFixed(0)} MiB` : 'peak RSS n/a (/usr/bin/time not installed)'),
  );
  if (r.status !== 0 && r.status !== 1) console.log(r.stderr);
}

function envDoc(i: number): string {
  return Array.from({ length: 400 }, (_, k) => (k % 40 === 0 ? `# section ${k}` : `SETTING_${i}_${k}=value-${(k * 7919) % 10007}`)).join('\n') + '\n';
}

const DOC_MAKERS: [string, (i: number) => string][] = [
  ['azuredeploy.json', (i) => armTemplate(40, rng(i))],
  ['.env', envDoc],
  ['main.bicep', (i) => `param location string = resourceGroup().location\n${Array.from({ length: 30 }, (_, k) => `resource site${k} 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'app-${i}-${k}'\n  location: location\n  properties: {\n    httpsOnly: true\n    siteConfig: {\n      minTlsVersion: '1.2'\n    }\n  }\n}\n`).join('\n')}`],
  ['pipeline.yml', (i) => `trigger:\n  - main\nsteps:\n${Array.from({ length: 200 }, (_, k) => `  - script: echo ${i}-${k}\n    env:\n      NAME_${k}: value-${k}\n`).join('')}`],
  ['handlers.ts', (i) => Array.from({ length: 600 }, (_, k) => `export const value${k} = process.env.SETTING_${i}_${k} ?? "default-${k}";`).join('\n') + '\n'],
];

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function memory(): { heap: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1048576, rss: m.rss / 1048576 };
}

function editorLoad(): void {
  const DOCS = 50;
  const EDITS = 100;
  const rand = rng(2024);
  const docs = Array.from({ length: DOCS }, (_, i) => {
    const [name, make] = DOC_MAKERS[i % DOC_MAKERS.length];
    const text = make(i);
    const scanner = new IncrementalScanner(`doc${i}/${name}`);
    scanner.full(text);
    return { scanner, text };
  });
  const chars = 'abcxyz0129_-=:"{}, \n';
  const before = memory();
  const rounds: { ms: number; p95: number; median: number; heap: number; rss: number; modes: Map<string, number> }[] = [];
  for (let round = 0; round < 2; round++) {
    const times: number[] = [];
    const modes = new Map<string, number>();
    const started = performance.now();
    // Round-robin over the documents, as a user moving between tabs: one edit each, EDITS times.
    for (let e = 0; e < EDITS; e++) {
      for (const d of docs) {
        const at = Math.floor(rand() * (d.text.length + 1));
        const del = rand() < 0.3 && at < d.text.length ? 1 : 0;
        const ins = del && rand() < 0.5 ? '' : chars[Math.floor(rand() * chars.length)];
        const next = d.text.slice(0, at) + ins + d.text.slice(at + del);
        const t = performance.now();
        d.scanner.update(next, { unchangedPrefix: at, unchangedSuffix: d.text.length - at - del });
        times.push(performance.now() - t);
        modes.set(d.scanner.lastMode, (modes.get(d.scanner.lastMode) ?? 0) + 1);
        d.text = next;
      }
    }
    const ms = performance.now() - started;
    times.sort((a, b) => a - b);
    const m = memory();
    rounds.push({ ms, p95: percentile(times, 0.95), median: percentile(times, 0.5), ...m, modes });
  }
  const totalKiB = docs.reduce((n, d) => n + d.text.length, 0) / 1024;
  console.log(`editor simulation: ${DOCS} open documents (${totalKiB.toFixed(0)} KiB of ARM/.env/Bicep/YAML/TypeScript), ${EDITS} one-character edits each per round`);
  for (const [i, r] of rounds.entries()) {
    console.log(
      `  round ${i + 1}: ${DOCS * EDITS} edits in ${(r.ms / 1000).toFixed(2)} s, median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms per edit ` +
        `(${[...r.modes].map(([k, v]) => `${k} ${v}`).join(', ')}); heap ${r.heap.toFixed(1)} MiB, RSS ${r.rss.toFixed(1)} MiB`,
    );
  }
  const last = rounds[rounds.length - 1];
  console.log(
    `  memory: heap ${before.heap.toFixed(1)} -> ${rounds[0].heap.toFixed(1)} -> ${last.heap.toFixed(1)} MiB, RSS ${before.rss.toFixed(1)} -> ${rounds[0].rss.toFixed(1)} -> ${last.rss.toFixed(1)} MiB ` +
      `(growth in round 2: heap ${(last.heap - rounds[0].heap).toFixed(1)} MiB, RSS ${(last.rss - rounds[0].rss).toFixed(1)} MiB${(globalThis as { gc?: unknown }).gc ? '' : '; run with --expose-gc for exact figures'})`,
  );
}

function main(): void {
  console.log('Azure Secure Dev load figures (2 cores; one run each)\n');
  editorLoad();
  if (process.env.LOAD_SKIP_CLI !== '1') cliLoad();
}

main();
