// The posture tree's wording and accessibility, the view badge, the Fix modal's default button, and where the
// view's contributions show: in code-server (a browser workbench, `isWeb` true) the Node extension host reads
// Azure, so the view must not say it needs the desktop. Fake-Azure tests run in the Node host only; the
// contribution test runs in both hosts.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, expectedHost, itNode } from './helpers';
import { startFakeAzureInHost, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, refreshPosture, setLinked, until, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const SUB = '00000000-0000-0000-0000-000000000012';

type Node = PostureNode;
type Api = PostureApi & { postureTree?: vscode.TreeDataProvider<Node> & { badge?: vscode.ViewBadge } };

let az: FakeAzureInHost;
let api: Api;
let bad: string;
let good: string;
let staging: string;

const tree = () => api.postureTree!;
const children = (n?: Node) => childrenOf(api, n);
const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** Check nodes by rule id of the app or slot `id`, once its report is in. */
async function checksOf(id: string): Promise<Map<string, Node>> {
  return until(`the report of ${id}`, async () => {
    const apps = await children();
    let node = apps.find((a) => a.type === 'app' && a.app!.id.toLowerCase() === id.toLowerCase());
    if (!node) {
      // A slot: under its app's Slots group.
      for (const app of apps.filter((a) => a.type === 'app')) {
        const group = (await children(app)).find((n) => n.type === 'slots');
        node = group && (await children(group)).find((s) => s.appId!.toLowerCase() === id.toLowerCase());
        if (node) break;
      }
    }
    if (!node) return undefined;
    const under = await children(node);
    if (!under.some((n) => n.type === 'category')) return undefined;
    const checks = new Map<string, Node>();
    for (const cat of under.filter((n) => n.type === 'category')) for (const c of await children(cat)) checks.set(c.check!.ruleId, c);
    return checks;
  });
}

/**
 * A when-clause as VS Code evaluates the ones this package uses: terms joined by `&&`, each `key`, `!key`,
 * `key == value` or `key =~ /re/`. Anything else fails the test, so a new form is not silently misread.
 */
function evaluateWhen(when: string, context: Record<string, unknown>): boolean {
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const eq = /^([\w.]+)\s*==\s*([\w.-]+)$/.exec(term);
    if (eq) return String(context[eq[1]] ?? '') === eq[2];
    const re = /^([\w.]+)\s*=~\s*\/(.+)\/$/.exec(term);
    if (re) return new RegExp(re[2]).test(String(context[re[1]] ?? ''));
    const key = /^(!?)([\w.]+)$/.exec(term);
    if (!key) throw new Error(`when-clause term not understood by this test: ${term}`);
    const value = key[2] === 'true' ? true : key[2] === 'false' ? false : Boolean(context[key[2]]);
    return key[1] ? !value : value;
  });
}

describe('posture view: wording, accessibility, badge, safe Fix modal (fake Azure)', function () {
  this.timeout(90_000);
  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso Wording', tenantId: TENANT });
    az.fake.setDefenderTier(SUB, 'Free');
    const secure = {
      identity: { type: 'SystemAssigned' },
      siteProperties: { httpsOnly: true },
      config: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false, http20Enabled: true },
      publishing: { ftp: false, scm: false },
      appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1' },
    };
    bad = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-words', name: 'words-bad', ...secure, siteProperties: { httpsOnly: false }, config: { ...secure.config, minTlsVersion: '1.0' } }).id;
    good = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-words', name: 'words-good', ...secure }).id;
    staging = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-words', name: 'words-good', slot: 'staging', ...secure, config: { ...secure.config, remoteDebuggingEnabled: true } }).id;
  });
  after(async () => {
    api?.setUserInput(undefined);
    if (expectedHost === 'node') await setLinked([]);
    await az?.dispose();
  });

  itNode('titles a check by what it checks, passing or failing, and its accessible label says status, check and value', async () => {
    await setLinked([bad, good]);
    await refreshPosture();
    const failing = (await checksOf(bad)).get('APPSVC-HTTPS-ONLY')!;
    const passing = (await checksOf(good)).get('APPSVC-HTTPS-ONLY')!;
    assert.strictEqual(failing.check!.status, 'fail');
    assert.strictEqual(passing.check!.status, 'pass');
    const failItem = await tree().getTreeItem(failing);
    const passItem = await tree().getTreeItem(passing);
    assert.strictEqual(labelOf(failItem), 'HTTPS only');
    assert.strictEqual(labelOf(passItem), 'HTTPS only', 'a passing row is not titled by the problem');
    assert.strictEqual(failItem.accessibilityInformation?.label, 'Failed: HTTPS only, Off');
    assert.strictEqual(passItem.accessibilityInformation?.label, 'Passed: HTTPS only, On');
    // Every check row of both apps says its status to a screen reader.
    for (const id of [bad, good]) {
      for (const node of (await checksOf(id)).values()) {
        const a11y = (await tree().getTreeItem(node)).accessibilityInformation?.label ?? '';
        assert.match(a11y, /^(Passed|Failed|Warning|Unknown): /, `${node.check!.ruleId}: ${a11y}`);
      }
    }
    const defender = (await checksOf(bad)).get('DEFENDER-APPSERVICE')!;
    assert.strictEqual(labelOf(await tree().getTreeItem(defender)), 'Defender for App Service');
    assert.match(String((failItem.tooltip as vscode.MarkdownString).value), /HTTPS only\*\*: Failed \(Off\)/);
  });

  itNode('the badge counts each app and slot once and a subscription-wide check once, and its tooltip says so', async () => {
    // The slot is linked on its own as well as listed under its app: one slot, counted once.
    await setLinked([bad, good, staging]);
    await refreshPosture();
    const resources = [bad, good, staging];
    let expected = 0;
    for (const id of resources) {
      for (const node of (await checksOf(id)).values()) if (node.check!.status === 'fail' && node.check!.ruleId !== 'DEFENDER-APPSERVICE') expected++;
    }
    assert.strictEqual((await checksOf(bad)).get('DEFENDER-APPSERVICE')?.check?.status, 'fail', 'Defender is off for the subscription');
    expected += 1; // one subscription, one Defender plan
    const badge = await until('the badge', async () => (tree().badge?.value === expected ? tree().badge : undefined), 10_000).catch(() => tree().badge);
    assert.strictEqual(badge?.value, expected, `failing checks over 2 apps and 1 slot, Defender once (tooltip: ${badge?.tooltip})`);
    assert.match(String(badge?.tooltip), new RegExp(`^${expected} failing posture checks on 2 apps and 1 slot`));
    assert.match(String(badge?.tooltip), /Defender plan once/);
  });

  itNode('the Fix modal for a live app makes the harmless choice the default; Enter on it writes nothing to Azure', async () => {
    await setLinked([bad]);
    await refreshPosture();
    const tls = (await checksOf(bad)).get('APPSVC-MIN-TLS')!;
    assert.ok(tls.check!.fix, 'the check has a fix');
    // The scripted user presses Enter: the dialog's first button.
    const input = new ScriptedUserInput([{ confirm: 'Copy as Bicep' }]);
    api.setUserInput(input);
    az.fake.clearLog();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.fix', tls), false);
    } finally {
      api.setUserInput(undefined);
    }
    const modal = input.prompts.find((p) => p.kind === 'confirm')!;
    assert.ok(modal.buttons && modal.buttons.length >= 2, `buttons: ${modal.buttons}`);
    assert.notStrictEqual(modal.buttons[0], 'Apply fix', 'Enter (the first button) must not change a live app');
    assert.ok(modal.buttons.includes('Apply fix'), 'applying stays one explicit click away');
    assert.match(modal.shown[0], /minTlsVersion/, 'the exact change stays in the modal');
    assert.match(modal.shown[0], /1\.0 → 1\.2/);
    assert.deepStrictEqual(az.fake.writes(), [], 'nothing was written to Azure');
    assert.match(await vscode.env.clipboard.readText(), /minTlsVersion: '1\.2'/);
  });

  it("the view's welcome and title actions follow where the extension runs, not whether the workbench is in a browser", async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributes = ext.packageJSON.contributes as {
      viewsWelcome: { view: string; contents: string; when: string }[];
      menus: Record<string, { command: string; when?: string }[]>;
    };
    const welcome = contributes.viewsWelcome.filter((w) => w.view === 'azureSecureDev.posture');
    const linkInTitle = contributes.menus['view/title'].find((m) => m.command === 'azureSecureDev.linkApp')!;
    // This host as VS Code sees it: code-server runs the workbench in a browser in both tiers.
    const context = {
      isWeb: vscode.env.uiKind === vscode.UIKind.Web,
      'azureSecureDev.webWorker': expectedHost === 'web',
      'azureSecureDev.signedIn': false,
      view: 'azureSecureDev.posture',
    };
    assert.strictEqual(context.isWeb, true, 'the integration tier runs the workbench in a browser');
    const shown = welcome.filter((w) => evaluateWhen(w.when, context)).map((w) => w.contents);
    assert.strictEqual(shown.length, 1, `exactly one welcome: ${shown.join(' | ')}`);
    if (expectedHost === 'node') {
      assert.match(shown[0], /Sign in to Azure/, 'the Node host reads Azure even in a browser: it offers sign-in, not "needs the desktop"');
      assert.ok(evaluateWhen(linkInTitle.when ?? 'true', context), 'Link App Service app is in the view title');
    } else {
      assert.match(shown[0], /needs the desktop or a remote VS Code/);
      assert.ok(!evaluateWhen(linkInTitle.when ?? 'true', context), 'no Link action in the web worker');
    }
    const all = [...welcome.map((w) => w.when), ...Object.values(contributes.menus).flat().map((m) => m.when ?? '')];
    assert.ok(!all.some((w) => /\bisWeb\b/.test(w)), 'no contribution decides by isWeb');
  });
});
