// Code to cloud in the posture view, in the Node extension host against the fake Azure (see posture.test.ts for the
// wiring): a workspace that declares its linked apps in Bicep; "Go to declaration" lands on the property's line (or
// the resource when the template leaves it out); a property changed on the deployed side shows as drift in the tree
// and as an information diagnostic on the IaC line, which Refresh clears once the app is back in step; "Fix in
// source" applies the editor's quick fix to the template; the index follows edits. Skipped in the web host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, expectedHost, itNode, writeScratchFile } from './helpers';
import { startFakeAzureInHost, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, refreshPosture, setLinked, until, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const SUB = '00000000-0000-0000-0000-0000000000c2';
const DRIFT_SOURCE = 'Azure Secure Dev (drift)';

type Node = PostureNode;
type Api = PostureApi;

let az: FakeAzureInHost;
let api: Api;
let web: string;
let orders: string;
let bicep: vscode.Uri;

const tree = () => api.postureTree!;
/** A tooltip as read: MarkdownString.appendText keeps spaces as &nbsp; and escapes punctuation. */
const tooltipText = (item: vscode.TreeItem) => String((item.tooltip as vscode.MarkdownString).value).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
const children = (n?: Node) => childrenOf(api, n);

// Unique names so the sample workspace's own IaC cannot declare them too.
const BICEP = `resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'c2c-web'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

resource orders 'Microsoft.Web/sites@2024-04-01' = {
  name: 'c2c-orders'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.0'
      appSettings: [
        { name: 'ORDERS_DB', value: '@Microsoft.KeyVault(SecretUri=https://c2c-kv.vault.azure.net/secrets/db/)' }
      ]
    }
  }
}
`;

/** 0-based line of the first line containing `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after = ''): number {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

async function check(appId: string, ruleId: string): Promise<Node> {
  return until(`${ruleId} of ${appId}`, async () => {
    const app = (await children()).find((a) => a.type === 'app' && a.app!.id.toLowerCase() === appId.toLowerCase());
    if (!app) return undefined;
    for (const cat of (await children(app)).filter((n) => n.type === 'category')) {
      const hit = (await children(cat)).find((c) => c.check!.ruleId === ruleId);
      if (hit) return hit;
    }
    return undefined;
  });
}

/** Drift diagnostics of HTTPS-only (the other properties may differ from the fake's defaults, which is drift too). */
const driftOn = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === DRIFT_SOURCE && typeof d.code === 'object' && d.code.value === 'APPSVC-HTTPS-ONLY');

describe('posture view: code to cloud (fake Azure)', function () {
  this.timeout(120_000);
  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso Code to Cloud', tenantId: TENANT });
    az.fake.setDefenderTier(SUB, 'Standard');
    const deployed = { siteProperties: { httpsOnly: true }, config: { minTlsVersion: '1.2', ftpsState: 'Disabled' } };
    web = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-c2c', name: 'c2c-web', ...deployed }).id;
    orders = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-c2c', name: 'c2c-orders', ...deployed, config: { minTlsVersion: '1.0' } }).id;
    bicep = await writeScratchFile('main.bicep', BICEP);
    await setLinked([web, orders]);
    await refreshPosture();
  });
  after(async () => {
    api?.setUserInput(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (bicep) await vscode.workspace.fs.delete(vscode.Uri.joinPath(bicep, '..'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    if (expectedHost === 'node') await setLinked([]);
    await az?.dispose();
  });

  itNode('"Go to declaration" opens the template at the line of the property the check reads', async () => {
    const tls = await check(orders, 'APPSVC-MIN-TLS');
    assert.strictEqual(tls.check!.status, 'fail');
    const item = await until('the declared row', async () => {
      const i = await tree().getTreeItem(tls);
      return /;declared/.test(String(i.contextValue)) ? i : undefined;
    });
    assert.match(String(item.contextValue), /;fixInSource/);
    const tooltip = tooltipText(item);
    assert.match(tooltip, /Declared minTlsVersion: 1\.0 in .*main\.bicep:19/, tooltip);
    assert.match(tooltip, /deployed 1\.0, as declared/);

    const location = await vscode.commands.executeCommand<vscode.Location>('azureSecureDev.posture.goToDeclaration', tls);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.uri.toString(), bicep.toString());
    assert.strictEqual(editor.selection.active.line, lineOf(BICEP, "minTlsVersion: '1.0'"));
    assert.strictEqual(location.range.start.line, lineOf(BICEP, "minTlsVersion: '1.0'"));
  });

  itNode('a property the template leaves out lands on the resource and says the platform default applies', async () => {
    const debug = await check(orders, 'APPSVC-REMOTE-DEBUG');
    const input = new ScriptedUserInput([]);
    api.setUserInput(input);
    try {
      await vscode.commands.executeCommand('azureSecureDev.posture.goToDeclaration', debug);
    } finally {
      api.setUserInput(undefined);
    }
    assert.strictEqual(vscode.window.activeTextEditor!.selection.active.line, lineOf(BICEP, "resource orders 'Microsoft.Web/sites"));
    assert.match(input.notifications.map((n) => n.message).join('\n'), /does not set remoteDebuggingEnabled for c2c-orders, so the platform default applies/);
  });

  itNode('a property changed on the deployed side shows as drift in the tree and on the IaC line; Refresh clears it once back in step', async () => {
    const before = await check(web, 'APPSVC-HTTPS-ONLY');
    assert.doesNotMatch(String((await tree().getTreeItem(before)).contextValue), /drift/, 'in step at first');
    assert.strictEqual(driftOn(bicep).length, 0);

    // Someone turns HTTPS-only off in the portal.
    (az.fake.app(web).site.properties as Record<string, unknown>).httpsOnly = false;
    await vscode.commands.executeCommand('azureSecureDev.posture.refreshApp', web);
    const item = await until('the drift row', async () => {
      const i = await tree().getTreeItem(await check(web, 'APPSVC-HTTPS-ONLY'));
      return /;drift/.test(String(i.contextValue)) ? i : undefined;
    });
    assert.match(String(item.description), /^Off · drift: declared httpsOnly: true, deployed false$/);
    assert.match(String(item.accessibilityInformation?.label), /^Failed: HTTPS only, Off\. Drift: declared httpsOnly: true, deployed false$/);
    assert.match(tooltipText(item), /\*\*Drift\*\*: deployed false/);

    const diagnostics = await until('the drift diagnostic', async () => (driftOn(bicep).length ? driftOn(bicep) : undefined));
    assert.strictEqual(diagnostics.length, 1, diagnostics.map((d) => d.message).join('\n'));
    const d = diagnostics[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(d.range.start.line, lineOf(BICEP, 'httpsOnly: true'), 'on the line that declares httpsOnly');
    assert.match(d.message, /^Drift on c2c-web: HTTPS only, declared httpsOnly: true, deployed false\./);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', bicep, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const refresh = actions.find((a) => a.title === 'Refresh posture of c2c-web');
    assert.ok(refresh?.command, `actions: ${actions.map((a) => a.title).join(' | ')}`);

    // Back in step on the deployed side; the diagnostic's own action reads the app again.
    (az.fake.app(web).site.properties as Record<string, unknown>).httpsOnly = true;
    await vscode.commands.executeCommand(refresh.command.command, ...(refresh.command.arguments ?? []));
    await until('the drift to clear', async () => (driftOn(bicep).length === 0 ? true : undefined));
    assert.doesNotMatch(String((await tree().getTreeItem(await check(web, 'APPSVC-HTTPS-ONLY'))).contextValue), /drift/);
  });

  itNode('a difference several checks share (app settings) is one diagnostic that names them, by setting name only', async () => {
    const settingsDrift = () => vscode.languages.getDiagnostics(bicep).filter((d) => d.source === DRIFT_SOURCE && d.range.start.line === lineOf(BICEP, 'appSettings: ['));
    const diagnostics = await until('the settings drift', async () => (settingsDrift().length ? settingsDrift() : undefined));
    assert.strictEqual(diagnostics.length, 1, diagnostics.map((d) => d.message).join('\n'));
    const message = diagnostics[0].message;
    assert.match(message, /^Drift on c2c-orders: .*, declared appSettings: ORDERS_DB \(Key Vault reference\), deployed /);
    for (const check of ['Secrets in app settings', 'Key Vault references resolve', 'App identity access to Key Vault']) assert.ok(message.includes(check), `${check} named`);
    assert.match(message, /ORDERS_DB: declared, not deployed/);
    const deployedValues = Object.values(az.fake.app(orders).appSettings).filter((v) => v.length > 3);
    assert.ok(deployedValues.length > 0);
    for (const v of deployedValues) assert.ok(!message.includes(v), 'no deployed setting value in the message');
  });

  itNode('"Fix in source" applies the editor\'s quick fix for the rule to the template line', async () => {
    const tls = await check(orders, 'APPSVC-MIN-TLS');
    assert.strictEqual(await vscode.commands.executeCommand('azureSecureDev.posture.fixInSource', tls), true);
    const doc = vscode.window.activeTextEditor!.document;
    assert.strictEqual(doc.uri.toString(), bicep.toString());
    const line = doc.lineAt(lineOf(BICEP, "minTlsVersion: '1.0'")).text;
    assert.match(line, /minTlsVersion: '1\.2'/, line);
    assert.strictEqual(doc.getText().split('\n').length, BICEP.split('\n').length, 'only that value changed');
    assert.strictEqual(az.fake.writes().length, 0, 'nothing was written to Azure');
  });

  itNode('the index follows edits: the tree compares with the template as it is now', async () => {
    // The template now says what the fixed file says: declared 1.2, deployed 1.0 -> drift on the orders app.
    const item = await until('drift after the edit', async () => {
      const i = await tree().getTreeItem(await check(orders, 'APPSVC-MIN-TLS'));
      return /;drift/.test(String(i.contextValue)) ? i : undefined;
    });
    assert.match(String(item.description), /declared minTlsVersion: 1\.2, deployed 1\.0/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
