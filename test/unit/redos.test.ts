import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from 'recheck';
import * as ts from 'typescript';

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
