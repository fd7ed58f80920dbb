import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCheckers, allRules } from '../../src/core/rules';
import { ruleIndex } from '../../scripts/gen-rule-index';

const DOCS = path.resolve(__dirname, '../../docs/rules');

describe('rule catalog', () => {
  it('has rules of both tags', () => {
    assert.ok(allRules.some((r) => r.tag === 'secret'), 'no secret rules');
    assert.ok(allRules.some((r) => r.tag === 'insecure-setting'), 'no insecure-setting rules');
  });

  it('uses unique, stable, upper-case kebab ids', () => {
    const ids = allRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
    for (const id of ids) assert.match(id, /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, id);
  });

  it('describes every rule: title, one-sentence description, docs page', () => {
    for (const r of allRules) {
      assert.ok(r.title.length > 3, `${r.id} title`);
      assert.match(r.description, /\.$/, `${r.id} description should be a sentence`);
      assert.ok(fs.existsSync(path.join(DOCS, `${r.id}.md`)), `docs/rules/${r.id}.md is missing`);
    }
  });

  it('has a checker for every rule and a rule for every checker id', () => {
    const checked = new Set(allCheckers.flatMap((c) => c.ruleIds));
    for (const r of allRules) assert.ok(checked.has(r.id), `${r.id} has no checker`);
    for (const id of checked) assert.ok(allRules.some((r) => r.id === id), `checker reports unknown rule ${id}`);
  });

  it('keeps docs/rules/README.md in step with the catalog (npm run docs)', () => {
    assert.equal(fs.readFileSync(path.join(DOCS, 'README.md'), 'utf8'), ruleIndex());
  });
});
