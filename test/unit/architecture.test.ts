import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...filesUnder(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const NODE_BUILTINS = new Set(
  ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib', 'readline', 'perf_hooks', 'v8', 'vm'],
);

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

describe('architecture', () => {
  const coreFiles = filesUnder(path.join(ROOT, 'src/core'));

  it('finds the core sources', () => {
    assert.ok(coreFiles.length >= 10, `only ${coreFiles.length} files under src/core`);
  });

  it('keeps src/core free of vscode, the Azure SDK, Node built-ins and outer layers', () => {
    const violations: string[] = [];
    for (const file of coreFiles) {
      for (const spec of importsOf(file)) {
        const bare = spec.replace(/^node:/, '').split('/')[0];
        const rel = path.relative(ROOT, file);
        if (spec === 'vscode') violations.push(`${rel} imports vscode`);
        else if (spec.startsWith('@azure/')) violations.push(`${rel} imports ${spec}`);
        else if (spec.startsWith('node:') || NODE_BUILTINS.has(bare)) violations.push(`${rel} imports Node built-in ${spec}`);
        else if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(path.join(ROOT, 'src/core'))) violations.push(`${rel} imports ${spec} outside src/core`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it('lets only src/extension import vscode', () => {
    const offenders = [...filesUnder(path.join(ROOT, 'src/cli')), ...(fs.existsSync(path.join(ROOT, 'src/azure')) ? filesUnder(path.join(ROOT, 'src/azure')) : [])].filter((f) =>
      importsOf(f).includes('vscode'),
    );
    assert.deepEqual(offenders, []);
  });

  it('detects a violation (the check itself can fail)', () => {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-')), 'bad.ts');
    fs.writeFileSync(tmp, "import * as fs from 'node:fs';\nimport * as vscode from 'vscode';\n");
    assert.deepEqual(importsOf(tmp), ['node:fs', 'vscode']);
  });
});
