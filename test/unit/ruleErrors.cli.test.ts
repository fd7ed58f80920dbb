import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeRuleErrors, ruleErrorLines, type RuleErrorTally } from '../../src/cli/ruleErrors';
import type { Checker } from '../../src/core/model';
import { allCheckers } from '../../src/core/rules';
import { ENGINE_RULE_ERROR, ruleNames } from '../../src/core/rules/engineRules';
import { runCli } from '../support/cli';
import { fakeSecret } from '../support/fakeSecrets';

/** Every 8-character piece of `secret` that `output` holds (none, or the value leaked). */
function leakedPieces(output: string, secret: string): number {
  let n = 0;
  for (let i = 0; i + 8 <= secret.length; i++) if (output.includes(secret.slice(i, i + 8))) n++;
  return n;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('CLI: a rule that crashes is named on stderr once per run', function () {
  this.timeout(60000);
  const secret = fakeSecret('azure-storage-key', 11);
  let dir: string;
  // A real checker made to crash, as the engine tests inject failures: its error message quotes the file.
  const target = [...allCheckers].filter((c) => !c.kinds || c.kinds.includes('appsettings')).sort((a, b) => a.ruleIds.length - b.ruleIds.length)[0] as Checker;
  const original = target.check;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-crash-'));
    for (const app of ['web', 'api']) {
      fs.mkdirSync(path.join(dir, app));
      fs.writeFileSync(path.join(dir, app, 'appsettings.json'), JSON.stringify({ Storage: { Key: secret } }, null, 2));
    }
    fs.writeFileSync(path.join(dir, 'notes.md'), 'nothing here\n');
    target.check = (doc) => {
      if (doc.kind === 'appsettings') throw new TypeError(`cannot read ${doc.text}`);
      return original.call(target, doc, { path: '' });
    };
  });
  afterEach(() => {
    target.check = original;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ['text', 'json', 'sarif']) {
    it(`prints one line naming the rule, the file count and the first file, never the value (--format ${format})`, () => {
      const r = runCli(['scan', dir, '--no-color', '--format', format]);
      const lines = r.err.split('\n').filter((l) => / failed on /.test(l));
      const names = ruleNames(target.ruleIds);
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0], new RegExp(`^azure-secure-dev: rules? ${escape(names)} failed on 2 file\\(s\\) \\(first: api/appsettings\\.json\\): TypeError at `));
      assert.equal(leakedPieces(r.err, secret), 0, 'stderr holds a piece of the secret');
      assert.ok(r.out.includes(ENGINE_RULE_ERROR), 'the report holds the rule error finding');
      // Exit code policy unchanged: the rule error is a warning finding, which fails the default --fail-on warning.
      assert.equal(r.code, 1);
    });
  }

  it('still names the crash when ENGINE-RULE-ERROR findings are turned off', () => {
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), JSON.stringify({ rules: { [ENGINE_RULE_ERROR]: 'off' } }));
    const r = runCli(['scan', dir, '--no-color']);
    assert.ok(!r.out.includes(ENGINE_RULE_ERROR));
    assert.equal(r.err.split('\n').filter((l) => / failed on 2 file\(s\)/.test(l)).length, 1, r.err);
  });

  it('prints nothing of the kind when no rule crashes', () => {
    target.check = original;
    const r = runCli(['scan', dir, '--no-color']);
    assert.doesNotMatch(r.err, /failed on/);
  });
});

describe('rule error tallies from worker threads', () => {
  it('add up per rule and keep the first file in path order', () => {
    const into: RuleErrorTally[] = [{ ruleIds: ['A'], where: 'Error at x', files: 2, first: 'b.json' }];
    mergeRuleErrors(into, [
      { ruleIds: ['A'], where: 'TypeError at y', files: 3, first: 'a.json' },
      { ruleIds: ['B', 'C'], where: 'Error at z', files: 1, first: 'c.json' },
    ]);
    assert.deepEqual(ruleErrorLines(into), [
      'azure-secure-dev: rule A failed on 5 file(s) (first: a.json): TypeError at y',
      'azure-secure-dev: rules B, C failed on 1 file(s) (first: c.json): Error at z',
    ]);
  });
});
