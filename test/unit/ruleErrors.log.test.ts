import * as assert from 'node:assert/strict';
import { IncrementalScanner } from '../../src/core/incremental';
import type { Checker, RuleMeta } from '../../src/core/model';
import type { RuleCrash } from '../../src/core/rules/engineRules';
import { RuleErrorLog } from '../../src/extension/diagnostics/ruleErrorLog';
import { fakeSecret } from '../support/fakeSecrets';

describe("the extension's log of rules that crashed", () => {
  const secret = fakeSecret('azure-storage-key', 12);
  const crashRule: RuleMeta = { id: 'TEST-CRASHING-RULE', title: 'Crashes', tag: 'insecure-setting', severity: 'warning', confidence: 'high', description: 'Throws on every file.' };
  // Injected as the engine's rule error tests do: an extra checker whose error message quotes the file.
  const crashing: Checker = {
    ruleIds: [crashRule.id],
    check(doc) {
      throw new RangeError(`cannot read ${doc.text}`);
    },
  };

  /** What the diagnostics controller does per document: one scanner, crashes read after every check. */
  function editor() {
    const lines: string[] = [];
    const log = new RuleErrorLog((l) => lines.push(l));
    const crashes: RuleCrash[] = [];
    const scanner = new IncrementalScanner('/w/.env', { extraCheckers: [crashing], extraRules: [crashRule], onRuleError: (c) => crashes.push(c) });
    const check = (text: string, version: number, edit?: { unchangedPrefix: number; unchangedSuffix: number }) => {
      const r = edit ? scanner.update(text, edit) : scanner.full(text);
      log.report('file:///w/.env', '.env', version, crashes.splice(0));
      return r;
    };
    return { lines, log, check };
  }

  it('writes one line per rule and document version, naming the rule and the file, never the value', () => {
    const e = editor();
    const text = `STORAGE_KEY=${secret}\nOTHER=1\n`;
    e.check(text, 1);
    e.check(text, 1);
    assert.deepEqual(e.lines.length, 1, 'the same version re-checked is not logged again');
    assert.match(e.lines[0], /^rule TEST-CRASHING-RULE failed on \.env \(version 1\): RangeError at /);
    for (let i = 0; i + 8 <= secret.length; i++) assert.ok(!e.lines[0].includes(secret.slice(i, i + 8)), 'the log line holds a piece of the secret');
    const edited = `${text}MORE=2\n`;
    e.check(edited, 2, { unchangedPrefix: text.length, unchangedSuffix: 0 });
    assert.equal(e.lines.length, 2, 'a new version that crashes again is logged again');
    assert.match(e.lines[1], /\(version 2\)/);
  });

  it('starts again for a document closed and reopened', () => {
    const e = editor();
    e.check('A=1\n', 1);
    e.log.forget('file:///w/.env');
    e.check('A=1\n', 1);
    assert.equal(e.lines.length, 2);
  });
});
