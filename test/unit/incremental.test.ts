import * as assert from 'node:assert/strict';
import { scanText, type ScanOptions } from '../../src/core/engine';
import { IncrementalScanner } from '../../src/core/incremental';
import type { Checker, RuleMeta } from '../../src/core/model';

// Test-only rules: a word anywhere, and a structural one (httpsOnly false inside a Microsoft.Web/sites resource).
const rules: RuleMeta[] = [
  { id: 'TEST-WORD', title: 'word', tag: 'secret', severity: 'warning', confidence: 'high', description: 'Word.' },
  { id: 'TEST-HTTPS', title: 'https', tag: 'insecure-setting', severity: 'warning', confidence: 'high', description: 'HTTPS.' },
];
const checkers: Checker[] = [
  {
    ruleIds: ['TEST-WORD'],
    check: (doc) => {
      const out = [];
      for (let i = doc.text.indexOf('TOKEN_X'); i !== -1; i = doc.text.indexOf('TOKEN_X', i + 1)) out.push({ ruleId: 'TEST-WORD', start: i, end: i + 7, secret: 'TOKEN_X' });
      return out;
    },
  },
  {
    ruleIds: ['TEST-HTTPS'],
    check: (doc) =>
      doc.entries
        .filter((e) => e.key === 'httpsOnly' && e.value === 'false' && e.resource !== undefined && doc.resources[e.resource].type === 'Microsoft.Web/sites')
        .map((e) => ({ ruleId: 'TEST-HTTPS', start: e.valueStart, end: e.valueEnd, path: e.path })),
  },
];
const options: ScanOptions = { extraCheckers: checkers, extraRules: rules };
const summary = (r: { findings: { ruleId: string; start: number; end: number; line: number; column: number; fingerprint: string }[] }) =>
  r.findings.map((f) => `${f.ruleId}@${f.start}-${f.end}:${f.line}:${f.column}:${f.fingerprint}`);

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function arm(n: number): string {
  const res = Array.from({ length: n }, (_, i) => ({
    type: 'Microsoft.Web/sites',
    apiVersion: '2024-04-01',
    name: `app${i}`,
    properties: { httpsOnly: i % 3 === 0 ? false : true, siteConfig: { appSettings: [{ name: 'X', value: i % 4 === 0 ? 'TOKEN_X' : 'ok' }] } },
  }));
  return JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', resources: res }, null, 2);
}

const env = Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? `K${i}=TOKEN_X` : `K${i}=value${i}`)).join('\n');

describe('incremental checking', () => {
  const cases: [string, string, string, 'lines' | 'resource'][] = [
    ['ARM template', 'azuredeploy.json', arm(30), 'resource'],
    ['.env file', '.env', env, 'lines'],
  ];
  for (const [name, path, initial, mode] of cases) {
    it(`matches a full check after each of 300 random edits (${name})`, () => {
      const inc = new IncrementalScanner(path, options);
      inc.full(initial);
      let text = initial;
      const rand = rng(7);
      const inserts = ['x', 'TOKEN_X', '\n', 'false', '"', '}', ''];
      let usedMode = 0;
      for (let step = 0; step < 300; step++) {
        const at = Math.floor(rand() * text.length);
        const del = rand() < 0.3 ? Math.floor(rand() * 8) : 0;
        const ins = inserts[Math.floor(rand() * inserts.length)];
        const next = text.slice(0, at) + ins + text.slice(at + del);
        const result = inc.update(next, { unchangedPrefix: at, unchangedSuffix: text.length - at - del });
        if (inc.lastMode === mode) usedMode++;
        // Half-typed structure may differ until save; compare only when the full parse is clean.
        const full = scanText(next, path, options);
        if (!full.parseErrors.length || mode === 'lines') assert.deepEqual(summary(result), summary(full), `step ${step}`);
        text = next;
        if (full.parseErrors.length && mode === 'resource') {
          // Repair the document as a user would, then save: a full check realigns the state.
          text = initial;
          inc.full(text);
        }
      }
      assert.ok(usedMode > 100, `the ${mode} path was used only ${usedMode} times`);
    });
  }

  it('keeps suppressions and shifts findings below the edit', () => {
    const text = 'A=TOKEN_X\n# azure-secure-dev-ignore-next-line TEST-WORD -- fixture\nB=TOKEN_X\nC=TOKEN_X\n';
    const inc = new IncrementalScanner('.env', options);
    assert.equal(inc.full(text).findings.length, 2);
    const next = 'AA' + text;
    const r = inc.update(next, { unchangedPrefix: 0, unchangedSuffix: text.length });
    assert.equal(r.findings.length, 2);
    assert.equal(r.suppressed.length, 1);
    assert.equal(next.slice(r.findings[1].start, r.findings[1].end), 'TOKEN_X');
  });
});
