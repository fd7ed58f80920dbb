// The posture view in the Node extension host against the fake Azure (started in the host, reached through
// HTTPS_PROXY by the extension's real Resource Manager client, signed in with the fake `az`): linking, the tree
// and its states, a fix sending exactly the change shown, 403 and 429 handling. Skipped in the web host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, expectedHost, itNode } from './helpers';
import { startFakeAzureInHost, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, setLinked, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const SUB = '00000000-0000-0000-0000-000000000002';

type Node = PostureNode;
type Api = PostureApi;

let az: FakeAzureInHost;
let api: Api;
let bad: string;
let good: string;

const tree = () => api.postureTree!;
const children = (n?: Node) => childrenOf(api, n);

/** Walk an app until its report is in (loading items first), then return check nodes by rule id. */
async function checksOf(appId: string, timeoutMs = 20_000): Promise<Map<string, Node>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const apps = await children();
    const app = apps.find((a) => a.type === 'app' && a.app!.id.toLowerCase() === appId.toLowerCase());
    assert.ok(app, `app ${appId} is not in the tree: ${apps.map((a) => a.app?.id).join(', ')}`);
    const under = await children(app);
    if (under.some((n) => n.type === 'category')) {
      const checks = new Map<string, Node>();
      for (const cat of under) for (const c of await children(cat)) checks.set(c.check!.ruleId, c);
      return checks;
    }
    if (under.some((n) => n.type === 'status' && n.icon === 'error')) return new Map([['__error', under[0]]]);
    if (Date.now() > deadline) throw new Error(`the app never finished loading: ${JSON.stringify(under)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


describe('posture view (fake Azure)', function () {
  this.timeout(90_000);
  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso Posture', tenantId: TENANT });
    az.fake.setDefenderTier(SUB, 'Standard');
    bad = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-web', name: 'orders-web', siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.0', ftpsState: 'AllAllowed', remoteDebuggingEnabled: true }, publishing: { ftp: true, scm: true } }).id;
    good = az.fake.addApp({
      subscriptionId: SUB,
      resourceGroup: 'rg-web',
      name: 'billing-api',
      identity: { type: 'SystemAssigned' },
      siteProperties: { httpsOnly: true },
      config: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false, http20Enabled: true },
      publishing: { ftp: false, scm: false },
      appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1', DB_PASSWORD: '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/db/)' },
    }).id;
  });
  after(async () => {
    api?.setUserInput(undefined);
    if (expectedHost === 'node') await setLinked([]);
    await az?.dispose();
  });

  itNode('links apps through Resource Graph with the Link command', async () => {
    await setLinked([]);
    const input = new ScriptedUserInput([{ pick: 'Contoso Posture' }, { pick: 'orders-web' }]);
    api.setUserInput(input);
    try {
      await vscode.commands.executeCommand('azureSecureDev.linkApp');
    } finally {
      api.setUserInput(undefined);
    }
    const linked = vscode.workspace.getConfiguration('azureSecureDev').get<string[]>('posture.apps') ?? [];
    assert.deepStrictEqual(linked.map((x) => x.toLowerCase()), [bad.toLowerCase()]);
    assert.ok(az.fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length >= 1, 'apps were listed with Resource Graph');
  });

  itNode('renders each app with categories and checks: failing ones with their current value, the same rule ids as the editor', async () => {
    await setLinked([bad, good]);
    await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
    const checks = await checksOf(bad);
    const tls = checks.get('APPSVC-MIN-TLS')!;
    assert.strictEqual(tls.check!.status, 'fail');
    assert.match(tls.check!.value, /1\.0/);
    for (const id of ['APPSVC-HTTPS-ONLY', 'APPSVC-FTPS', 'APPSVC-REMOTE-DEBUG', 'APPSVC-BASIC-AUTH-FTP', 'APPSVC-BASIC-AUTH-SCM']) assert.strictEqual(checks.get(id)?.check?.status, 'fail', id);
    assert.strictEqual(checks.get('DEFENDER-APPSERVICE')?.check?.status, 'pass');
    const item = await tree().getTreeItem(tls);
    assert.match(String((item.tooltip as vscode.MarkdownString).value), /docs\/rules\/APPSVC-MIN-TLS\.md/);
    assert.match(String(item.contextValue), /canFix/);
    const goodChecks = await checksOf(good);
    assert.strictEqual(goodChecks.get('APPSVC-MIN-TLS')?.check?.status, 'pass');
    assert.strictEqual(goodChecks.get('APPSVC-SETTING-PLAINTEXT-SECRET')?.check?.status, 'pass', 'a Key Vault reference is fine');
    assert.ok(az.fake.requests({ pathIncludes: '/config/web' }).length >= 2, 'TLS and FTP come from config/web');
  });

  itNode('Fix sends exactly the change shown in the modal, then the check passes', async () => {
    await setLinked([bad]);
    const tls = (await checksOf(bad)).get('APPSVC-MIN-TLS')!;
    const input = new ScriptedUserInput([{ confirm: 'Apply fix' }]);
    api.setUserInput(input);
    az.fake.clearLog();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.fix', tls), true);
    } finally {
      api.setUserInput(undefined);
    }
    const shown = input.prompts.filter((p) => p.kind === 'confirm').map((p) => `${p.title}\n${p.shown.join('\n')}`).join('\n');
    assert.match(shown, /minTlsVersion/);
    assert.match(shown, /1\.0 → 1\.2/);
    const patches = az.fake.writes().filter((w) => w.method === 'PATCH');
    assert.strictEqual(patches.length, 1);
    assert.ok(patches[0].path.endsWith('/config/web'), patches[0].path);
    assert.deepStrictEqual(patches[0].body, tls.check!.fix!.body);
    assert.deepStrictEqual(patches[0].body, { properties: { minTlsVersion: '1.2' } });
    const after = await (async () => {
      for (let i = 0; i < 100; i++) {
        const c = (await checksOf(bad)).get('APPSVC-MIN-TLS')!;
        if (c.check!.status === 'pass') return c;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    })();
    assert.ok(after, 'the check passes after the fix');
  });

  itNode('a Reader getting 403 on app settings sees which permission is missing; the other checks still show', async () => {
    await setLinked([good]);
    const h = az.fake.fault({ route: '/config/appsettings/list', status: 403 });
    try {
      await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
      const checks = await checksOf(good);
      const secrets = checks.get('APPSVC-SETTING-PLAINTEXT-SECRET')!;
      assert.strictEqual(secrets.check!.status, 'unknown');
      assert.match(secrets.check!.unknownReason ?? '', /config\/list\/action/);
      assert.strictEqual(checks.get('APPSVC-MIN-TLS')!.check!.status, 'pass');
    } finally {
      h.remove();
    }
  });

  itNode('429 with Retry-After is honoured: the app still loads', async () => {
    await setLinked([good]);
    const h = az.fake.fault({ route: 'GET management.azure.com/subscriptions', status: 429, retryAfterSeconds: 1, times: 2 });
    try {
      await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
      const checks = await checksOf(good);
      assert.ok(!checks.has('__error'), 'the app loaded');
      assert.ok(h.hits >= 1, 'the throttling was hit');
    } finally {
      h.remove();
    }
  });

  itNode('an app that cannot be read shows an error item with Retry, never a blank view', async () => {
    const missing = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/gone-app`;
    await setLinked([missing]);
    await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
    const checks = await checksOf(missing);
    const error = checks.get('__error')!;
    assert.ok(error, 'an error item is shown');
    const item = await tree().getTreeItem(error);
    assert.match(String(item.contextValue), /retry/);
    assert.strictEqual(item.command?.command, 'azureSecureDev.posture.retry');
  });
});
