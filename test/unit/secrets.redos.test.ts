import * as assert from 'node:assert/strict';
import { check } from 'recheck';
import { secretPatterns } from '../../src/core/rules/secrets';

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
