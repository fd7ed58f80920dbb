import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from 'recheck';
import * as ts from 'typescript';
import { compileCustomPatterns, unsafeReason } from '../../src/core/customPatterns';

const ROOT = path.resolve(__dirname, '../..');

interface FoundPattern {
  file: string;
  line: number;
  source: string;
  flags: string;
}

/** Every regular expression literal and `new RegExp('literal')` in the given sources, found by the TypeScript parser. */
export function findPatterns(dirs: string[]): FoundPattern[] {
  const out: FoundPattern[] = [];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  for (const d of dirs) if (fs.existsSync(d)) walk(d);
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const add = (node: ts.Node, source: string, flags: string) =>
      out.push({ file: path.relative(ROOT, file), line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, source, flags });
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const slash = text.lastIndexOf('/');
        add(node, text.slice(1, slash), text.slice(slash + 1));
      } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp' && node.arguments?.length) {
        const [src, flags] = node.arguments;
        if (ts.isStringLiteralLike(src)) add(node, src.text, flags && ts.isStringLiteralLike(flags) ? flags.text : '');
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

describe('ReDoS: every built-in pattern is linear-time', function () {
  // recheck fuzzes patterns it cannot decide exactly; allow it time on a 2-core machine.
  this.timeout(600_000);
  const patterns = findPatterns([path.join(ROOT, 'src/core'), path.join(ROOT, 'src/cli'), path.join(ROOT, 'src/extension')]);

  it('finds the patterns (the scan of the sources works)', () => {
    assert.ok(patterns.length >= 10, `only ${patterns.length} patterns found`);
    assert.ok(patterns.some((p) => p.file.endsWith('suppress.ts')));
  });

  it('recognises a catastrophic pattern (the checker can fail)', async () => {
    const r = await check('^(a|a)+$', '');
    assert.equal(r.status, 'vulnerable');
  });

  it(`has no vulnerable pattern`, async () => {
    const unique = new Map<string, FoundPattern>();
    for (const p of patterns) unique.set(`${p.flags}/${p.source}`, p);
    const vulnerable: string[] = [];
    const unknown: string[] = [];
    // A few at a time: recheck runs its native checker in child processes.
    const list = [...unique.values()];
    for (let i = 0; i < list.length; i += 4) {
      await Promise.all(
        list.slice(i, i + 4).map(async (p) => {
          const r = await check(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 20_000 });
          if (r.status === 'vulnerable') vulnerable.push(`${p.file}:${p.line} /${p.source}/${p.flags} — ${r.complexity.summary}`);
          else if (r.status === 'unknown') unknown.push(`${p.file}:${p.line} /${p.source}/${p.flags} — ${r.error.kind}`);
        }),
      );
    }
    console.log(`      checked ${list.length} distinct patterns (${patterns.length} occurrences)`);
    assert.deepEqual(vulnerable, []);
    assert.deepEqual(unknown, []);
  });
});

describe('ReDoS: user patterns (custom patterns) run in linear time even when they backtrack', function () {
  this.timeout(600_000);
  // Accepted by the validation (no nested or repeated alternation to see), yet catastrophic for a backtracking
  // engine (35 s and 5.6 s on one line): the RE2 engine the custom patterns run on must shrug them off. The
  // attack string is recheck's where it finds one (it calls a written-out alternation safe: the blow-up is a
  // constant, 2^25), else the pattern's own repeated character.
  const accepted: [string, string][] = [
    [`${'(a|a)'.repeat(25)}b`, 'a'],
    ['.*a{0,64}a{0,64}b', 'a'],
  ];
  for (const [pattern, unit] of accepted) {
    it(`runs ${JSON.stringify(pattern.slice(0, 24))}… on its attack string without a runaway (< 2 s)`, async () => {
      assert.equal(unsafeReason(pattern), undefined, 'the validation accepts it (the engine is what bounds it)');
      const r = await check(pattern, '', { timeout: 20_000 });
      const attack = r.status === 'vulnerable' ? r.attack.string.slice(0, 1000) : unit.repeat(1000);
      const c = compileCustomPatterns([{ id: 'user', pattern }]);
      const started = performance.now();
      c.checker!.check({ kind: 'code', text: `${attack}\n`.repeat(5), entries: [], resources: [], comments: [], errors: [] }, { path: 'a.txt' });
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
    });
  }
});
