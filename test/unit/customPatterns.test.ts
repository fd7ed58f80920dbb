import * as assert from 'node:assert/strict';
import { compileCustomPatterns, MAX_CUSTOM_PATTERNS, unsafeReason } from '../../src/core/customPatterns';
import { scanText } from '../../src/core/engine';

describe('custom patterns', () => {
  it('runs a safe pattern as a rule of its own, with exact ranges', () => {
    const c = compileCustomPatterns([{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}', message: 'Contoso internal token.' }]);
    assert.deepEqual(c.rejected, []);
    const text = 'A=1\nTOKEN=ctso_abcdefgh12345678\n';
    const r = scanText(text, '.env', { extraCheckers: [c.checker!], extraRules: c.rules });
    const f = r.findings.find((x) => x.ruleId === 'CUSTOM-CONTOSO-TOKEN')!;
    assert.equal(text.slice(f.start, f.end), 'ctso_abcdefgh12345678');
    assert.equal(f.message, 'Contoso internal token.');
  });

  const unsafe: [string, RegExp][] = [
    ['(a+)+$', /backtrack/],
    ['a*a*b', /more than one unbounded/],
    ['(a|ab)*c', /alternatives/],
    ['a{1,100}b{1,100}', /add up/],
    ['(\\w+\\s?)*$', /backtrack/],
    ['(x)\\1', /backreference/],
    ['(?<=a)b', /lookaround/],
    ['a(?!b)', /lookaround/],
    ['[', /valid/],
    ['', /empty/],
    ['a'.repeat(600), /longer/],
  ];
  for (const [pattern, why] of unsafe) {
    it(`refuses ${JSON.stringify(pattern.slice(0, 20))}`, () => {
      assert.match(unsafeReason(pattern) ?? 'accepted', why);
    });
  }

  it('refuses malformed definitions and more than the cap', () => {
    const defs: unknown[] = [{ id: 'bad id!', pattern: 'x' }, { pattern: 'x' }, 42, ...Array.from({ length: MAX_CUSTOM_PATTERNS + 2 }, (_, i) => ({ id: `p${i}`, pattern: `tok${i}_[a-z]{8}` }))];
    const c = compileCustomPatterns(defs);
    assert.equal(c.rules.length, MAX_CUSTOM_PATTERNS);
    assert.equal(c.rejected.length, 5);
  });

  it('skips huge lines and stops a pattern that goes over its time budget', () => {
    let stopped = '';
    const c = compileCustomPatterns([{ id: 'slowish', pattern: '[a-z]{0,60}[0-9]*x' }], (id) => (stopped = id));
    const text = Array.from({ length: 20000 }, () => 'a'.repeat(1000)).join('\n') + `\n${'a'.repeat(100_000)}`;
    const started = Date.now();
    c.checker!.check({ kind: 'code', text, entries: [], resources: [], comments: [], errors: [] }, { path: 'a.txt' });
    assert.ok(Date.now() - started < 2000, 'bounded');
    assert.equal(stopped, 'CUSTOM-SLOWISH');
  });

  const codeDoc = (text: string) => ({ kind: 'code' as const, text, entries: [], resources: [], comments: [], errors: [] });

  // Both pass the safe-regex and shape checks; with a backtracking RegExp the first took 35 s and the second
  // 5.6 s on one line, freezing the extension host (the budget was only checked between lines).
  const backtrackers: [string, string][] = [
    ['a written-out alternation', `${'(a|a)'.repeat(25)}b`],
    ['bounded repetitions after .*', '.*a{0,64}a{0,64}b'],
  ];
  for (const [what, pattern] of backtrackers) {
    it(`runs ${what} (${pattern.slice(0, 16)}…) on a 1,000-character line without freezing`, function () {
      this.timeout(120_000);
      const c = compileCustomPatterns([{ id: 'user', pattern }]);
      assert.deepEqual(c.rejected, []);
      const started = performance.now();
      const found = c.checker!.check(codeDoc(`${'a'.repeat(1000)}
${'a'.repeat(25)}b
`), { path: 'a.txt' });
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `${ms.toFixed(0)} ms on one line`);
      assert.equal(found.length, 1, 'the line that matches is still found');
    });
  }

  it('refuses a pattern whose compiled program is too large to keep one search short', () => {
    assert.match(unsafeReason(`(${'[a-z]'.repeat(80)}){100}`) ?? 'accepted', /too large/);
  });

  it('reports the same ranges as a JavaScript RegExp: CRLF lines, astral characters, empty matches skipped', () => {
    const c = compileCustomPatterns([{ id: 'kv', pattern: 'token=.*' }, { id: 'opt', pattern: 'z*' }]);
    const text = 'x\r\n\u{1f511} token=abc\r\nlast token=d';
    const found = c.checker!.check(codeDoc(text), { path: 'a.txt' });
    assert.deepEqual(
      found.map((f) => [f.ruleId, text.slice(f.start, f.end)]),
      [
        ['CUSTOM-KV', 'token=abc'],
        ['CUSTOM-KV', 'token=d'],
      ],
    );
  });
});
