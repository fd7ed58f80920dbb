import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { createBytePrefilter, literalsFor } from '../../src/core/prefilter';
import { SECRET_RULE_EXAMPLES } from '../../src/core/rules/secrets';
import { renderSecretExample, unitModules } from '../support/ruleExamples';

const prefilter = createBytePrefilter({})!;
const mayReport = (file: string, text: string) => {
  const bytes = Buffer.from(text, 'utf8');
  return prefilter.mayReport(file, bytes.length, (s, e) => bytes.toString('latin1', s, e));
};

describe('byte prefilter', () => {
  it('never skips a rule example that has a finding', () => {
    const examples = [
      ...Object.values(SECRET_RULE_EXAMPLES).flatMap((r) => [...r.positives, ...r.negatives].map((ex) => ({ file: ex.file, text: renderSecretExample(ex).text }))),
      ...unitModules().flatMap((m) => Object.values(m.examples).flatMap((r) => [...r.positives, ...r.negatives].map((ex) => ({ file: ex.file, text: ex.text })))),
    ];
    assert.ok(examples.length > 50);
    const hidden = examples.filter((ex) => scanText(ex.text, ex.file).findings.length > 0 && !mayReport(ex.file, ex.text)).map((ex) => ex.file);
    assert.deepEqual(hidden, []);
  });

  it('reads code whose only problem is a SQL connection string literal without encryption (APPSVC-SQL-ENCRYPT)', () => {
    const cases: Array<[string, string]> = [
      ['Data.cs', 'var cs = "Server=tcp:orders.database.windows.net;Database=orders;Encrypt=False;";\n'],
      ['db.py', 'CONN = "Server=orders.database.windows.net;Database=orders;TrustServerCertificate=True"\n'],
      ['db.go', 'const conn = "server=orders.database.windows.net;database=orders;trust server certificate=true"\n'],
      ['db.js', "const conn = 'Data Source=orders.database.windows.net;Initial Catalog=orders;Encrypt=no';\n"],
    ];
    for (const [file, text] of cases) {
      assert.deepEqual(scanText(text, file).findings.map((f) => f.ruleId), ['APPSVC-SQL-ENCRYPT'], file);
      assert.equal(mayReport(file, text), true, file);
    }
  });

  it('sees an anchor cut in two by a chunk edge, in any case', () => {
    const text = `${'x'.repeat(16 * 1024 - 3)}PASSWORD\n`;
    assert.equal(mayReport('a.ts', text), true);
    assert.equal(mayReport('a.ts', `${'x'.repeat(40000)}\n`), false);
  });

  it('structured formats and custom patterns always take the full scan', () => {
    assert.equal(literalsFor('yaml'), undefined);
    assert.equal(literalsFor('arm-template'), undefined);
    assert.ok(literalsFor('code')?.includes('password'));
    assert.equal(mayReport('settings.json', '{}'), true);
    assert.equal(createBytePrefilter({ extraCheckers: [{ ruleIds: ['X'], check: () => [] }] }), undefined);
  });
});
