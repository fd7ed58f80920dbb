import * as assert from 'node:assert/strict';
import { check } from 'recheck';
import { scanText } from '../../src/core/engine';
import { parseDocument } from '../../src/core/parsers';
import { scanSecrets, secretPatterns } from '../../src/core/rules/secrets';
import { fakeSecret } from '../support/fakeSecrets';

describe('secrets: every detector regex is linear-time (recheck)', function () {
  this.timeout(600_000);

  it('exports the patterns', () => assert.ok(secretPatterns.length >= 20, `only ${secretPatterns.length} patterns`));

  it('has no vulnerable pattern', async () => {
    const unique = [...new Map(secretPatterns.map((p) => [`${p.flags}/${p.source}`, p])).values()];
    const vulnerable: string[] = [];
    for (let i = 0; i < unique.length; i += 4) {
      await Promise.all(
        unique.slice(i, i + 4).map(async (p) => {
          const r = await check(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 20_000 });
          if (r.status === 'vulnerable') vulnerable.push(`/${p.source}/${p.flags} — ${r.complexity.summary}`);
        }),
      );
    }
    assert.deepEqual(vulnerable, []);
  });
});

describe('secrets: detectors stay linear on their own anchors repeated without an end', function () {
  this.timeout(120_000);
  // Runaway guards, not speed targets (bench/adversarial.ts prints the figures). Each header used to search
  // the rest of the text for its END: 2 MB of unclosed headers took 26 s, one 2.7 MB line 53 s.
  const cases: [string, string][] = [
    ['2 MB of unclosed PEM headers, one per line', '-----BEGIN PRIVATE KEY-----\n'.repeat(75_000)],
    ['a 1.4 MB single line of unclosed PEM headers', '-----BEGIN PRIVATE KEY----- '.repeat(50_000)],
    ['unclosed PEM headers in a JSON-escaped string', `{"k": "${'-----BEGIN PRIVATE KEY-----\\n'.repeat(50_000)}"}`],
  ];
  for (const [what, text] of cases) {
    it(`scans ${what} in well under the time it took (< 5 s)`, () => {
      const started = performance.now();
      scanText(text, 'adversarial.txt');
      const ms = performance.now() - started;
      assert.ok(ms < 5000, `${ms.toFixed(0)} ms for ${(text.length / 1e6).toFixed(1)} MB`);
    });
  }

  it('still finds a key after thousands of unclosed headers', () => {
    const key = fakeSecret('rsa-private-key', 3);
    const text = `${'-----BEGIN PRIVATE KEY-----\n'.repeat(5000)}${key}\n`;
    const found = scanText(text, 'keys.txt').findings.filter((f) => f.ruleId === 'SECRET-PRIVATE-KEY');
    assert.equal(found.length, 1);
    assert.equal(text.slice(found[0].start, found[0].end), key.trim());
  });

  it('resolves overlaps among many hits on one line without comparing each with every other (4x the hits, < 10x the time)', () => {
    // Every hit was compared with every kept one: 47,000 passwords on one line spent 3.4 s there, 120,000 ~20 s.
    // Timed as a ratio (quadratic work gives 16x), so a busy machine does not decide the outcome.
    const password = ['Zq7', 'xW2m', 'Pr9v'].join('');
    const time = (n: number): number => {
      const text = `DB=${`Server=tcp:x;Password=${password};`.repeat(n)}`; // one unquoted .env value
      let best = Infinity;
      for (let run = 0; run < 2; run++) {
        const started = performance.now();
        const found = scanSecrets(parseDocument(text, 'env'), '.env');
        best = Math.min(best, performance.now() - started);
        assert.equal(found.length, n, `${found.length} findings for ${n} passwords`);
      }
      return best;
    };
    const small = time(5_000);
    const large = time(20_000);
    assert.ok(large < 10 * small, `${small.toFixed(0)} ms for 5,000 hits, ${large.toFixed(0)} ms for 20,000`);
  });
});
