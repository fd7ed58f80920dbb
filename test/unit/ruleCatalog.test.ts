// The rule as the unit: every rule has its docs page and its examples, the settings rules' examples hold, a rule
// that throws surfaces as a rule error, and an editor detector agrees with its live twin on the values they share.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config';
import { scanText } from '../../src/core/engine';
import type { Checker, Level, RuleMeta } from '../../src/core/model';
import { enabledPostureChecks, evaluatePosture, postureChecks, postureOnlyRules, type PostureCheck, type PostureInput, type SourceResult } from '../../src/core/posture';
import { allRules, docsPath, documentedRules, ENGINE_RULE_ERROR, getRule, ruleUnits } from '../../src/core/rules';
import { entryChecker } from '../../src/core/rules/appservice';
import type { Handlers } from '../../src/core/rules/appservice/rule';
import { CLIENT_CERT, readClientCert } from '../../src/core/rules/appservice/clientCert';
import { httpsOnly } from '../../src/core/rules/appservice/httpsOnly';
import { readMinTls } from '../../src/core/rules/appservice/minTls';
import { SECRET_RULE_EXAMPLES } from '../../src/core/rules/secrets';
import type { RuleExamples, RuleUnit } from '../../src/core/rules/unit';
import { fakeSecret } from '../support/fakeSecrets';
import { unitModules } from '../support/ruleExamples';

const ROOT = path.resolve(__dirname, '../..');

interface ExampleSet {
  positives: readonly unknown[];
  negatives: readonly unknown[];
}

/** What a rule lacks: its docs page, positive examples, negative examples. */
function catalogGaps(rules: readonly RuleMeta[], examples: Readonly<Record<string, ExampleSet>>, hasDocs: (id: string) => boolean): string[] {
  const gaps: string[] = [];
  for (const r of rules) {
    if (!hasDocs(r.id)) gaps.push(`${r.id}: no ${docsPath(r.id)}`);
    if (!examples[r.id]?.positives.length) gaps.push(`${r.id}: no positive examples`);
    if (!examples[r.id]?.negatives.length) gaps.push(`${r.id}: no negative examples`);
  }
  return gaps;
}

const docsExist = (id: string) => fs.existsSync(path.join(ROOT, docsPath(id)));

const modules = unitModules();
const unitRuleExamples: Readonly<Record<string, RuleExamples>> = Object.assign({}, ...modules.map((m) => m.examples));
const allExamples: Readonly<Record<string, ExampleSet>> = { ...SECRET_RULE_EXAMPLES, ...unitRuleExamples };

/** Levels that turn the rule on (a default-off rule runs at its own severity). */
const on = (r: RuleMeta): Record<string, Level> => (r.defaultOff ? { [r.id]: r.severity } : {});

describe('rule catalog: every rule is a unit with docs and examples', () => {
  it('every rule has docs/rules/<ID>.md and positive and negative examples', () => {
    assert.deepEqual(catalogGaps(allRules, allExamples, docsExist), []);
  });

  it('the check fails for a rule without docs or examples', () => {
    const stray: RuleMeta = { id: 'APPSVC-NOT-A-RULE', title: 'Not a rule', tag: 'insecure-setting', severity: 'info', confidence: 'low', description: 'Only for this test.' };
    assert.deepEqual(catalogGaps([stray], allExamples, docsExist), ['APPSVC-NOT-A-RULE: no docs/rules/APPSVC-NOT-A-RULE.md', 'APPSVC-NOT-A-RULE: no positive examples', 'APPSVC-NOT-A-RULE: no negative examples']);
    const negativesOnly = { [stray.id]: { positives: [], negatives: [{}] } };
    assert.deepEqual(catalogGaps([stray], negativesOnly, () => true), ['APPSVC-NOT-A-RULE: no positive examples']);
  });

  it('engine and posture-only rules have docs pages; the docs index lists the engine rules', () => {
    for (const r of [...documentedRules, ...postureOnlyRules]) assert.ok(docsExist(r.id), `${docsPath(r.id)} is missing`);
    assert.ok(documentedRules.some((r) => r.id === ENGINE_RULE_ERROR));
  });

  it('examples belong to rules of their module; live checks to rules of their unit, once each', () => {
    assert.ok(modules.length >= ruleUnits.length - 1, 'rule modules with examples not found');
    for (const m of modules) {
      assert.equal(m.units.length, 1, `${m.file}: one registered unit per module`);
      const ids = new Set(m.units[0].rules.map((r) => r.id));
      for (const id of Object.keys(m.examples)) assert.ok(ids.has(id), `${m.file}: examples for ${id} outside its unit`);
    }
    for (const u of ruleUnits) {
      const ids = new Set(u.rules.map((r) => r.id));
      for (const l of u.live ?? []) assert.ok(ids.has(l.ruleId), `live check ${l.ruleId} outside its unit`);
    }
    const live = postureChecks.map((c) => c.ruleId);
    assert.equal(new Set(live).size, live.length, 'a rule with two live checks');
  });
});

describe('settings rule examples', () => {
  for (const unit of ruleUnits) {
    for (const rule of unit.rules) {
      const examples = unitRuleExamples[rule.id];
      if (!examples) continue;
      describe(rule.id, () => {
        for (const ex of examples.positives) {
          it(`finds: ${ex.name}`, () => {
            const found = scanText(ex.text, ex.file, { levels: on(rule) }).findings.filter((f) => f.ruleId === rule.id);
            assert.ok(found.length > 0, `no ${rule.id} finding`);
            if (ex.at !== undefined) {
              assert.ok(
                found.some((f) => ex.text.slice(f.start, f.end) === ex.at),
                `${rule.id} at ${found.map((f) => JSON.stringify(ex.text.slice(f.start, f.end))).join(', ')}, not at ${JSON.stringify(ex.at)}`,
              );
            }
          });
        }
        for (const ex of examples.negatives) {
          it(`ignores: ${ex.name}`, () => {
            const found = scanText(ex.text, ex.file, { levels: on(rule) }).findings.filter((f) => f.ruleId === rule.id);
            assert.deepEqual(
              found.map((f) => ex.text.slice(f.start, f.end)),
              [],
            );
          });
        }
      });
    }
  }
});

describe('a rule that throws is a visible rule error', () => {
  const secret = fakeSecret('azure-storage-key', 3);
  const text = `resource app 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'app'\n  properties: {\n    httpsOnly: false\n    siteConfig: {\n      appSettings: [\n        { name: 'Storage__Key', value: '${secret}' }\n      ]\n    }\n  }\n}\n`;
  const crashRule: RuleMeta = { id: 'TEST-CRASHING-RULE', title: 'Crashes', tag: 'insecure-setting', severity: 'warning', confidence: 'high', description: 'Throws on every file.' };
  /** A settings rule unit for crashRule with these handlers; `onCreate` counts its set-ups. */
  const crashingUnit = (keys: string[], handlers: Handlers, onCreate = () => {}): RuleUnit => ({
    rules: [crashRule],
    detector: {
      keys,
      create() {
        onCreate();
        return handlers;
      },
    },
  });

  it('reports a checker that throws, names the rule, never the values, and logs where', () => {
    const crashing: Checker = {
      ruleIds: [crashRule.id],
      check(doc) {
        throw new Error(`cannot read ${doc.text}`);
      },
    };
    const logged: { ruleIds: readonly string[]; where: string; path: string }[] = [];
    const r = scanText(text, 'main.bicep', { extraCheckers: [crashing], extraRules: [crashRule], onRuleError: (c) => logged.push(c) });
    const errors = r.findings.filter((f) => f.ruleId === ENGINE_RULE_ERROR);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /TEST-CRASHING-RULE crashed/);
    assert.equal(errors[0].severity, 'warning');
    assert.equal(errors[0].tag, 'rule-error');
    for (const f of r.findings) assert.ok(!f.message.includes(secret.slice(0, 12)), `${f.ruleId} message holds the value`);
    // The other rules still report.
    assert.ok(r.findings.some((f) => f.ruleId === 'APPSVC-HTTPS-ONLY'));
    assert.ok(r.findings.some((f) => f.tag === 'secret'));
    assert.equal(logged.length, 1);
    assert.deepEqual(logged[0].ruleIds, [crashRule.id]);
    assert.equal(logged[0].path, 'main.bicep');
    assert.match(logged[0].where, /^Error at /);
    assert.ok(!logged[0].where.includes(secret.slice(0, 12)), 'the log line holds the value');
  });

  it('reports a settings rule unit that throws once per file, at the setting, and keeps the other units running', () => {
    let calls = 0;
    const throwing = crashingUnit(['*'], {
      onEntry() {
        calls++;
        throw new TypeError('boom');
      },
    });
    const checker = entryChecker([throwing, httpsOnly]);
    const r = scanText(text, 'main.bicep', { extraCheckers: [checker], extraRules: [crashRule] });
    const errors = r.findings.filter((f) => f.ruleId === ENGINE_RULE_ERROR);
    assert.equal(errors.length, 1, 'one rule error per rule and file');
    assert.equal(calls, 1, 'a crashed unit is not called again for the file');
    assert.match(errors[0].message, /^Rule TEST-CRASHING-RULE crashed while checking this file/);
    assert.equal(text.slice(errors[0].start, errors[0].end), "'app'", 'at the entry it was reading');
    assert.ok(r.findings.some((f) => f.ruleId === 'APPSVC-HTTPS-ONLY'));
  });

  it('never runs a settings rule unit whose rules are turned off (no work, and so no crash to report)', () => {
    let created = 0;
    const throwing = crashingUnit(
      ['*'],
      {
        onEntry() {
          throw new TypeError('boom');
        },
        finish() {
          throw new RangeError('boom');
        },
      },
      () => created++,
    );
    const checker = entryChecker([throwing, httpsOnly]);
    const r = scanText(text, 'main.bicep', { extraCheckers: [checker], extraRules: [crashRule], levels: { [crashRule.id]: 'off' } });
    assert.equal(created, 0, 'the unit was not even set up');
    assert.ok(!r.findings.some((f) => f.ruleId === ENGINE_RULE_ERROR), 'no rule error for a rule that is off');
    assert.ok(r.findings.some((f) => f.ruleId === 'APPSVC-HTTPS-ONLY'), 'the other units ran');
  });

  it('reports a unit whose whole-resource step throws', () => {
    const throwing = crashingUnit([], {
      finish() {
        throw new RangeError('boom');
      },
    });
    const r = scanText(text, 'main.bicep', { extraCheckers: [entryChecker([throwing])], extraRules: [crashRule] });
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === ENGINE_RULE_ERROR).map((f) => [f.line, f.column]),
      [[0, 0]],
    );
  });

  it('can be turned off by level, like any rule', () => {
    const crashing: Checker = {
      ruleIds: [crashRule.id],
      check() {
        throw new Error('x');
      },
    };
    const r = scanText(text, 'main.bicep', { extraCheckers: [crashing], extraRules: [crashRule], levels: { [ENGINE_RULE_ERROR]: 'off' } });
    assert.ok(!r.findings.some((f) => f.ruleId === ENGINE_RULE_ERROR));
    assert.equal(getRule(ENGINE_RULE_ERROR)?.severity, 'warning');
  });
});

// Bodies here are loose on purpose (a number where a string belongs): the checks read them defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(body: unknown): SourceResult<any> {
  return { ok: true, body };
}

function liveCheck(input: PostureInput, id: string, levels?: Record<string, Level>): PostureCheck {
  const c = evaluatePosture(input, levels ? { levels } : {}).checks.find((x) => x.ruleId === id);
  assert.ok(c, `no ${id} check`);
  return c;
}

describe('editor and live checks share one value test', () => {
  // The values the editor and the live view disagreed on: a version with spaces, 1.3, a storage-style 'TLS1_2',
  // empty, null, a JSON number.
  const values: unknown[] = ['1.0 ', '1.1', '1', '1.2', '1.3', ' 1.2', 'TLS1_2', 'TLS1_0', 'latest', '2', '', null, 1.0, 1.2];

  for (const v of values) {
    it(`minimum TLS ${JSON.stringify(v)}: a finding in the template exactly when the deployed app fails`, () => {
      const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [ { "type": "Microsoft.Web/sites", "apiVersion": "2024-04-01", "name": "app", "identity": { "type": "SystemAssigned" },
    "properties": { "httpsOnly": true, "siteConfig": { "minTlsVersion": ${JSON.stringify(v)}, "scmMinTlsVersion": ${JSON.stringify(v)} } } } ]
}`;
      const editor = scanText(template, 'azuredeploy.json').findings;
      for (const [id, prop] of [
        ['APPSVC-MIN-TLS', 'minTlsVersion'],
        ['APPSVC-SCM-MIN-TLS', 'scmMinTlsVersion'],
      ] as const) {
        const flagged = editor.some((f) => f.ruleId === id);
        const live = liveCheck({ web: ok({ properties: { [prop]: v } }) }, id);
        assert.equal(flagged, live.status === 'fail', `${id}: editor ${flagged ? 'flags' : 'passes'} it, live says ${live.status}`);
        const reading = readMinTls(v);
        if (reading.kind === 'unparsable') assert.equal(live.status, 'unknown', `${id}: a value that is not a version is unknown live, not a verdict`);
        if (reading.kind === 'missing') assert.match(live.unknownReason ?? '', /did not report/);
      }
    });
  }

  it('reads minimum TLS values the same way for both', () => {
    assert.deepEqual(
      values.map((v) => readMinTls(v).kind),
      ['weak', 'weak', 'weak', 'ok', 'ok', 'ok', 'unparsable', 'unparsable', 'unparsable', 'unparsable', 'missing', 'missing', 'weak', 'ok'],
    );
  });
});

describe('APPSVC-CLIENT-CERT: opt-in, in the editor and in posture', () => {
  const bicep = (props: string) => `resource app 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'app'\n  identity: { type: 'SystemAssigned' }\n  properties: {\n    httpsOnly: true\n${props}  }\n}\n`;
  const site = (props: Record<string, unknown>) => ({ site: ok({ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app', name: 'app', kind: 'app', properties: { httpsOnly: true, ...props } }) });

  it('is off by default and listed as such', () => {
    const rule = getRule(CLIENT_CERT);
    assert.equal(rule?.defaultOff, true);
    assert.deepEqual(scanText(bicep('    clientCertEnabled: false\n'), 'main.bicep').findings.filter((f) => f.ruleId === CLIENT_CERT), []);
    assert.ok(!evaluatePosture(site({ clientCertEnabled: false })).checks.some((c) => c.ruleId === CLIENT_CERT));
    assert.ok(!enabledPostureChecks().some((c) => c.ruleId === CLIENT_CERT));
  });

  it('is turned on by a rule level in the project config, in the editor and in posture', () => {
    const config = parseConfig('{ "rules": { "APPSVC-CLIENT-CERT": "warning" } }');
    const found = scanText(bicep('    clientCertEnabled: false\n'), 'main.bicep', { levels: config.rules }).findings.filter((f) => f.ruleId === CLIENT_CERT);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].fix?.replacement, 'true');
    const live = liveCheck(site({ clientCertEnabled: false }), CLIENT_CERT, config.rules);
    assert.equal(live.status, 'warning');
    assert.equal(live.category, 'Identity');
    assert.deepEqual(live.fix?.body, { properties: { clientCertEnabled: true, clientCertMode: 'Required' } });
    assert.match(live.fix?.bicep ?? '', /clientCertMode: 'Required'/);
    assert.match(live.fix?.terraform ?? '', /client_certificate_mode\s+= "Required"/);
  });

  it('judges the template and the deployed app with the same test', () => {
    const levels = { [CLIENT_CERT]: 'info' as const };
    const cases: [boolean | undefined, string | undefined, 'required' | 'optional' | 'off' | 'unparsable'][] = [
      [true, 'Required', 'required'],
      [true, undefined, 'required'],
      [true, 'Optional', 'optional'],
      [true, 'OptionalInteractiveUser', 'optional'],
      [false, 'Required', 'off'],
      [undefined, undefined, 'off'],
      [true, 'Sometimes', 'unparsable'],
    ];
    for (const [enabled, mode, expected] of cases) {
      assert.equal(readClientCert(enabled, mode), expected, `${enabled} ${mode}`);
      const props = `${enabled === undefined ? '' : `    clientCertEnabled: ${enabled}\n`}${mode === undefined ? '' : `    clientCertMode: '${mode}'\n`}`;
      const flagged = scanText(bicep(props), 'main.bicep', { levels }).findings.some((f) => f.ruleId === CLIENT_CERT);
      const live = liveCheck(site({ ...(enabled === undefined ? {} : { clientCertEnabled: enabled }), ...(mode === undefined ? {} : { clientCertMode: mode }) }), CLIENT_CERT, levels);
      assert.equal(flagged, expected === 'optional' || expected === 'off', `editor, ${enabled} ${mode}`);
      assert.equal(live.status, { required: 'pass', optional: 'warning', off: 'warning', unparsable: 'unknown' }[expected], `live, ${enabled} ${mode}`);
    }
  });
});

describe('rule ids live with their rules', () => {
  it('the engine and the posture runner name no rule id', () => {
    const files = ['src/core/engine.ts', 'src/core/posture/evaluate.ts', 'src/core/posture/checks.ts', 'src/core/posture/common.ts', 'src/core/posture/secrets.ts', 'src/core/posture/keyVaultAccess.ts', 'src/extension/posture/tree.ts'];
    const literal = /'(?:APPSVC|KV|FUNC|DEFENDER|SECRET|ENGINE)-[A-Z0-9-]+'/g;
    const found = files.flatMap((f) => (fs.readFileSync(path.join(ROOT, f), 'utf8').match(literal) ?? []).map((m) => `${f}: ${m}`));
    assert.deepEqual(found, []);
  });
});
