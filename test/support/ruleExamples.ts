// Every rule's examples, as the tests that run them find them: the SECRET-* rules' from their registry, the
// settings rule units' from their modules' `examples()` exports.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleUnits } from '../../src/core/rules';
import type { ExampleSecret, SecretExample } from '../../src/core/rules/secrets';
import type { RuleExamples, RuleUnit } from '../../src/core/rules/unit';
import { fakeSecret } from './fakeSecrets';

const ROOT = path.resolve(__dirname, '../..');

function buildSecret(s: ExampleSecret): string {
  if ('pieces' in s) return s.pieces.join('');
  const v = fakeSecret(s.fake, s.seed ?? 1);
  return s.uriEncode ? encodeURIComponent(v) : v;
}

/** A secret example's text with its secret built in (test time only: the repository never holds it whole). */
export function renderSecretExample(ex: SecretExample): { text: string; secret?: string } {
  if (!ex.secret) return { text: ex.text };
  const secret = buildSecret(ex.secret);
  assert.ok(ex.text.includes('{secret}'), `${ex.name}: the text has no {secret}`);
  return { text: ex.text.split('{secret}').join(secret), secret };
}

/**
 * Each rule module exports its unit and `examples()`; found here by reading the rule folders (outside the secret
 * rules, which keep theirs in src/core/rules/secrets/examples), so no list of modules is kept by hand.
 */
export function unitModules(): { file: string; units: RuleUnit[]; examples: Readonly<Record<string, RuleExamples>> }[] {
  const dir = path.join(ROOT, 'src/core/rules');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('secrets'));
  return files.flatMap((f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(path.join(dir, f)) as Record<string, unknown>;
    if (typeof m.examples !== 'function') return [];
    const units = Object.values(m).filter((v): v is RuleUnit => ruleUnits.includes(v as RuleUnit));
    return [{ file: f, units, examples: (m.examples as () => Readonly<Record<string, RuleExamples>>)() }];
  });
}
