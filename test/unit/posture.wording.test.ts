import * as assert from 'node:assert/strict';
import { evaluatePosture, type PostureInput, type PostureReport } from '../../src/core/posture';
import { badgeTooltip, checkAccessibilityLabel, checkTitle, countFailing } from '../../src/extension/posture/wording';

const SUB_A = '/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Web/sites';
const SUB_B = '/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg/providers/Microsoft.Web/sites';

/** A report with HTTPS-only off or on and Defender Free (fails, subscription-wide); nothing else read. */
function report(httpsOnly: boolean): PostureReport {
  const input: PostureInput = {
    site: { ok: true, body: { properties: { httpsOnly } } },
    defenderPricing: { ok: true, body: { properties: { pricingTier: 'Free' } } },
  };
  return evaluatePosture(input);
}

describe('posture tree wording', () => {
  it('titles a check by what it checks whether it passes or fails, not by the problem', () => {
    const fail = report(false).checks.find((c) => c.ruleId === 'APPSVC-HTTPS-ONLY')!;
    const pass = report(true).checks.find((c) => c.ruleId === 'APPSVC-HTTPS-ONLY')!;
    assert.equal(checkTitle(fail), 'HTTPS only');
    assert.equal(checkTitle(pass), 'HTTPS only');
    const defender = report(true).checks.find((c) => c.ruleId === 'DEFENDER-APPSERVICE')!;
    assert.equal(checkTitle(defender), 'Defender for App Service');
    assert.equal(checkTitle({ ruleId: 'NOT-A-POSTURE-CHECK', title: 'Fallback title' }), 'Fallback title');
  });

  it('gives each check an accessible label with its status, the check and the value', () => {
    const fail = report(false).checks.find((c) => c.ruleId === 'APPSVC-HTTPS-ONLY')!;
    const pass = report(true).checks.find((c) => c.ruleId === 'APPSVC-HTTPS-ONLY')!;
    assert.equal(checkAccessibilityLabel(fail), 'Failed: HTTPS only, Off');
    assert.equal(checkAccessibilityLabel(pass), 'Passed: HTTPS only, On');
    const unknown = report(true).checks.find((c) => c.status === 'unknown')!;
    assert.match(checkAccessibilityLabel(unknown), /^Unknown: /);
  });

  it('counts each app and slot once and a subscription-wide check once per subscription', () => {
    const app = `${SUB_A}/web`;
    const slot = `${app}/slots/staging`;
    const other = `${SUB_B}/api`;
    // Site-wide failures per app or slot (HTTPS only off, no managed identity, ...), plus Defender per subscription.
    const site = report(false).checks.filter((c) => c.status === 'fail' && c.scope === 'site').length;
    assert.ok(site >= 1);
    // web and other: site + Defender; staging, listed twice (linked on its own and under web): site once.
    const count = countFailing([
      { id: app, report: report(false) },
      { id: slot, report: report(false) },
      { id: slot.toUpperCase(), report: report(false) },
      { id: other, report: report(false) },
    ]);
    assert.equal(count.failing, 3 * site + 2);
    assert.equal(count.apps, 2);
    assert.equal(count.slots, 1);
    assert.equal(badgeTooltip(count).split(' (')[0], `${3 * site + 2} failing posture checks on 2 apps and 1 slot`);
    assert.match(badgeTooltip(count), /Not counted: \d+ warnings? and \d+ unknown\.$/);
  });

  it('keeps a subscription apart even when a report carries no resource id', () => {
    const a = report(false);
    const b = report(false);
    delete a.resourceId;
    delete b.resourceId;
    const site = a.checks.filter((c) => c.status === 'fail' && c.scope === 'site').length;
    assert.equal(countFailing([{ id: `${SUB_A}/one`, report: a }, { id: `${SUB_B}/two`, report: b }]).failing, 2 * site + 2);
  });
});
