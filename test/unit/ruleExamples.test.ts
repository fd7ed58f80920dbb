import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { SECRET_RULE_EXAMPLES, secretRules } from '../../src/core/rules/secrets';
import { renderSecretExample } from '../support/ruleExamples';

// Runs the true- and false-positive examples every SECRET-* rule keeps next to its code
// (each module under src/core/rules/secrets). Secrets are built here, at test time; failure messages never print them.

const render = renderSecretExample;

/** Rule, kind and position of each secret finding: never the value. */
const describeFindings = (text: string, file: string) =>
  scanText(text, file)
    .findings.filter((f) => f.tag === 'secret')
    .map((f) => `${f.ruleId} "${f.secretKind ?? ''}" at ${f.line + 1}:${f.column + 1}`);

describe('secret rule examples', () => {
  it('every SECRET-* rule has positive and negative examples', () => {
    const missing = secretRules.filter((r) => !SECRET_RULE_EXAMPLES[r.id]?.positives.length || !SECRET_RULE_EXAMPLES[r.id]?.negatives.length).map((r) => r.id);
    assert.deepEqual(missing, [], 'rules without examples: add them to the rule\'s module in src/core/rules/secrets');
    const unknown = Object.keys(SECRET_RULE_EXAMPLES).filter((id) => !secretRules.some((r) => r.id === id));
    assert.deepEqual(unknown, [], 'examples for rules that do not exist');
  });

  for (const rule of secretRules) {
    const examples = SECRET_RULE_EXAMPLES[rule.id];
    if (!examples) continue;
    describe(rule.id, () => {
      for (const ex of examples.positives) {
        it(`finds: ${ex.name}`, () => {
          const { text, secret } = render(ex);
          assert.ok(secret, `${ex.name}: a positive needs a secret`);
          const r = scanText(text, ex.file);
          const hit = r.findings.find((f) => f.ruleId === rule.id && text.slice(f.start, f.end) === secret);
          assert.ok(hit, `${ex.name}: no ${rule.id} finding over exactly the secret (got ${describeFindings(text, ex.file).join(', ') || 'none'})`);
          if (ex.kind) assert.equal(hit.secretKind, ex.kind, `${ex.name}: kind`);
          for (const f of r.findings) assert.ok(!f.message.includes(secret), `${ex.name}: a message holds the value`);
        });
      }
      for (const ex of examples.negatives) {
        it(`ignores: ${ex.name}`, () => {
          const { text } = render(ex);
          const allowed = new Set(ex.allow ?? []);
          const r = scanText(text, ex.file);
          const wrong = r.findings.filter((f) => f.tag === 'secret' && (f.ruleId === rule.id || !allowed.has(f.ruleId)));
          assert.deepEqual(wrong.map((f) => `${f.ruleId} "${f.secretKind ?? ''}" at ${f.line + 1}:${f.column + 1}`), [], ex.name);
        });
      }
    });
  }
});
