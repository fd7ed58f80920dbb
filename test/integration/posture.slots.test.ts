// The posture view's deployment slots and the "Reveal value" action, in the Node extension host against the fake
// Azure (see posture.test.ts for the wiring). Skipped in the web host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, expectedHost, itNode } from './helpers';
import { extensionLogText, startFakeAzureInHost, storageKey, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, refreshPosture, setLinked, until, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const SUB = '00000000-0000-0000-0000-000000000003';

type Node = PostureNode;
type Api = PostureApi & { postureTree?: vscode.TreeDataProvider<Node> & { badge?: vscode.ViewBadge } };

let az: FakeAzureInHost;
let api: Api;
let app: string;
let secretsApp: string;
let secretValue: string;

const tree = () => api.postureTree!;
const children = (n?: Node) => childrenOf(api, n);
const label = async (n: Node) => {
  const l = (await tree().getTreeItem(n)).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
};


async function appNode(id: string): Promise<Node> {
  const n = (await children()).find((a) => a.type === 'app' && a.app!.id.toLowerCase() === id.toLowerCase());
  assert.ok(n, `app ${id} is not in the tree`);
  return n;
}

/** Children of an app or slot node once its report is in (not loading). */
async function loaded(node: () => Promise<Node>): Promise<Node[]> {
  return until('the report', async () => {
    const under = await children(await node());
    return under.some((n) => n.type === 'status' && n.icon === 'loading~spin') ? undefined : under;
  });
}

async function checksUnder(under: Node[]): Promise<Map<string, Node>> {
  const checks = new Map<string, Node>();
  for (const cat of under.filter((n) => n.type === 'category')) for (const c of await children(cat)) checks.set(c.check!.ruleId, c);
  return checks;
}

async function slotNodes(appId: string): Promise<Node[]> {
  const group = (await loaded(() => appNode(appId))).find((n) => n.type === 'slots');
  assert.ok(group, 'the app has a Slots group');
  return children(group);
}



describe('posture view: slots and revealing a value (fake Azure)', function () {
  this.timeout(90_000);
  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso Slots', tenantId: TENANT });
    az.fake.setDefenderTier(SUB, 'Standard');
    const secure = {
      identity: { type: 'SystemAssigned' },
      siteProperties: { httpsOnly: true },
      config: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false, http20Enabled: true },
      publishing: { ftp: false, scm: false },
      appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1' },
    };
    app = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-slots', name: 'orders-web', ...secure }).id;
    // Each slot has its own configuration: staging is insecure, blue is like the app.
    az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-slots', name: 'orders-web', slot: 'staging', ...secure, config: { ...secure.config, minTlsVersion: '1.0', remoteDebuggingEnabled: true } });
    az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-slots', name: 'orders-web', slot: 'blue', ...secure });
    secretValue = `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${storageKey(41)};EndpointSuffix=core.windows.net`;
    secretsApp = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-slots', name: 'secrets-web', ...secure, appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1', STORAGE_CONNECTION: secretValue } }).id;
  });
  after(async () => {
    api?.setUserInput(undefined);
    if (expectedHost === 'node') await setLinked([]);
    await az?.dispose();
  });

  itNode('shows each slot after the categories, evaluated from its own reads, listed once per app', async () => {
    await setLinked([app]);
    az.fake.clearLog();
    await refreshPosture();
    const under = await loaded(() => appNode(app));
    assert.ok(under.some((n) => n.type === 'category'), 'the app has its categories');
    assert.strictEqual(under[under.length - 1].type, 'slots', 'slots come after the categories');
    assert.strictEqual((await checksUnder(under)).get('APPSVC-MIN-TLS')?.check?.status, 'pass', 'the app itself is on TLS 1.2');

    const slots = await slotNodes(app);
    assert.deepStrictEqual((await Promise.all(slots.map(label))).sort(), ['orders-web/blue', 'orders-web/staging']);
    const staging = slots.find((s) => s.appId!.toLowerCase().endsWith('/slots/staging'))!;
    assert.strictEqual(staging.appId!.toLowerCase(), `${app}/slots/staging`.toLowerCase());
    const stagingChecks = await checksUnder(await loaded(async () => staging));
    assert.strictEqual(stagingChecks.get('APPSVC-MIN-TLS')?.check?.status, 'fail');
    assert.match(stagingChecks.get('APPSVC-MIN-TLS')!.check!.value, /1\.0/);
    assert.strictEqual(stagingChecks.get('APPSVC-REMOTE-DEBUG')?.check?.status, 'fail');
    const blue = slots.find((s) => s.appId!.toLowerCase().endsWith('/slots/blue'))!;
    assert.strictEqual((await checksUnder(await loaded(async () => blue))).get('APPSVC-MIN-TLS')?.check?.status, 'pass');

    const listings = az.fake.requests({ method: 'GET' }).filter((r) => /\/sites\/orders-web\/slots(\?|$)/i.test(r.path));
    assert.strictEqual(listings.length, 1, 'the slots are listed once, with the app');
    assert.ok(az.fake.requests({ pathIncludes: '/slots/staging/config/web' }).length >= 1, 'the slot reads its own config/web');
    assert.ok(az.fake.requests({ pathIncludes: '/slots/staging/config/appsettings/list' }).length >= 1, 'the slot reads its own app settings');
    const slotItem = await tree().getTreeItem(staging);
    assert.match(String(slotItem.description), /2 failing/);
    assert.match(String(slotItem.contextValue), /^app;slot/);
  });

  itNode('failing counts and the view badge include the slots', async () => {
    await setLinked([app]);
    await refreshPosture();
    const slots = await slotNodes(app);
    for (const s of slots) await loaded(async () => s);
    const appItem = await until('the count with slots', async () => {
      const item = await tree().getTreeItem(await appNode(app));
      return /2 failing \(2 in slots\)/.test(String(item.description)) ? item : undefined;
    });
    assert.match(String(appItem.description), /2 failing \(2 in slots\)/);
    const group = (await children(await appNode(app))).find((n) => n.type === 'slots')!;
    assert.match(String((await tree().getTreeItem(group)).description), /2 slots · 2 failing/);
    const badge = await until('the badge', async () => (tree().badge?.value === 2 ? tree().badge : undefined), 5_000).catch(() => tree().badge);
    assert.strictEqual(badge?.value, 2, 'the view badge counts the failing checks of the slots');
    assert.match(String(badge?.tooltip), /2 failing posture checks/);
  });

  itNode('slots that cannot be listed give an error item with Retry; the app still shows its checks', async () => {
    await setLinked([app]);
    const h = az.fake.fault({ route: /^GET [^ ]*\/sites\/orders-web\/slots(\?|$)/i, status: 403 });
    try {
      await refreshPosture();
      const under = await loaded(() => appNode(app));
      assert.ok(under.some((n) => n.type === 'category'), 'the checks still show');
      const error = under.find((n) => n.type === 'status');
      assert.ok(error, 'an error item for the slots');
      assert.match(error.label!, /Slots could not be listed/);
      const item = await tree().getTreeItem(error);
      assert.strictEqual(item.command?.command, 'azureSecureDev.posture.retry');
      h.remove();
      await vscode.commands.executeCommand('azureSecureDev.posture.retry', error);
      assert.strictEqual((await slotNodes(app)).length, 2, 'Retry lists the slots again');
    } finally {
      h.remove();
    }
  });

  itNode('a slot that cannot be read shows an error item, the app and the other slot still show', async () => {
    await setLinked([app]);
    const h = az.fake.fault({ route: /^GET [^ ]*\/slots\/staging(\?|$)/i, status: 403 });
    try {
      await refreshPosture();
      const slots = await slotNodes(app);
      const staging = slots.find((s) => s.appId!.toLowerCase().endsWith('/slots/staging'))!;
      const under = await loaded(async () => staging);
      assert.strictEqual(under.length, 1);
      assert.strictEqual(under[0].type, 'status');
      assert.strictEqual(under[0].icon, 'error');
      assert.strictEqual((await tree().getTreeItem(under[0])).command?.command, 'azureSecureDev.posture.retry');
      const blue = slots.find((s) => s.appId!.toLowerCase().endsWith('/slots/blue'))!;
      assert.ok((await loaded(async () => blue)).some((n) => n.type === 'category'));
    } finally {
      h.remove();
    }
  });

  async function secretItem(): Promise<Node> {
    const check = (await checksUnder(await loaded(() => appNode(secretsApp)))).get('APPSVC-SETTING-PLAINTEXT-SECRET');
    assert.strictEqual(check?.check?.status, 'fail');
    const item = (await children(check)).find((i) => i.name === 'STORAGE_CONNECTION');
    assert.ok(item, 'the setting is an item of the check');
    return item;
  }

  itNode('Reveal value reads the settings again and shows that one value; refresh masks it; the log never has it', async () => {
    await setLinked([secretsApp]);
    await refreshPosture();
    const item = await secretItem();
    const before = await tree().getTreeItem(item);
    assert.match(String(before.contextValue), /secretSetting/);
    assert.ok(!String(before.description).includes(secretValue) && !String(before.tooltip).includes(storageKey(41)), 'the value is hidden at first');

    az.fake.clearLog();
    assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.revealValue', item), true);
    assert.strictEqual(az.fake.requests({ method: 'POST', pathIncludes: '/sites/secrets-web/config/appsettings/list' }).length, 1, 'the settings are read again');
    const shown = await tree().getTreeItem(item);
    assert.strictEqual(shown.description, secretValue);
    assert.match(String(shown.contextValue), /secretSetting;revealed/);

    await refreshPosture();
    const again = await secretItem();
    const masked = await tree().getTreeItem(again);
    assert.ok(!String(masked.description).includes(storageKey(41)), 'refresh masks the value again');
    assert.doesNotMatch(String(masked.contextValue), /revealed/);

    const logged = await until('the log line of the reveal', async () => {
      const log = extensionLogText();
      return /revealed one app setting value of secrets-web/.test(log.text) ? log : undefined;
    }, 15_000);
    assert.ok(logged.files.length >= 1);
    assert.ok(!logged.text.includes(storageKey(41)), 'the log never contains the value');
    assert.ok(!logged.text.includes('AccountKey='), 'nor any part of the connection string');
  });

  itNode('Hide value masks it at once; a reveal that cannot read the settings says why and shows nothing', async () => {
    await setLinked([secretsApp]);
    await refreshPosture();
    const item = await secretItem();
    assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.revealValue', item), true);
    assert.strictEqual((await tree().getTreeItem(item)).description, secretValue);
    await vscode.commands.executeCommand('azureSecureDev.posture.hideValue');
    assert.notStrictEqual((await tree().getTreeItem(item)).description, secretValue);

    const input = new ScriptedUserInput([]);
    api.setUserInput(input);
    const h = az.fake.fault({ route: '/sites/secrets-web/config/appsettings/list', status: 403 });
    try {
      assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.revealValue', item), false);
    } finally {
      h.remove();
      api.setUserInput(undefined);
    }
    assert.strictEqual(input.notifications.length, 1);
    assert.strictEqual(input.notifications[0].level, 'error');
    assert.match(input.notifications[0].message, /STORAGE_CONNECTION/);
    assert.ok(!input.visibleText.includes(storageKey(41)));
    assert.notStrictEqual((await tree().getTreeItem(item)).description, secretValue);
    // Items of other checks cannot reveal anything.
    const tls = (await checksUnder(await loaded(() => appNode(secretsApp)))).get('APPSVC-MIN-TLS')!;
    assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.revealValue', { type: 'item', appId: secretsApp, check: tls.check, name: 'STORAGE_CONNECTION', status: 'pass', detail: '' }), false);
  });
});
