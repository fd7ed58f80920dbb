// Apps declared in the workspace's infrastructure code (Bicep, Terraform, ARM JSON with literal site names),
// resolved to resource ids by one Resource Graph listing of the user's sites, in the Node extension host against
// the fake Azure (see posture.test.ts for the wiring). Skipped in the web host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, expectedHost, itNode, writeScratchFile } from './helpers';
import { startFakeAzureInHost, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, setLinked, sleep, until, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const SUB_A = '00000000-0000-0000-0000-00000000000a';
const SUB_B = '00000000-0000-0000-0000-00000000000b';

type Node = PostureNode;
type Api = PostureApi;

let az: FakeAzureInHost;
let api: Api;
let expected: string[];
let linked: string;
const written: vscode.Uri[] = [];

const tree = () => api.postureTree!;
const children = (n?: Node) => childrenOf(api, n);
const iacIds = (nodes: Node[]) => nodes.filter((n) => n.type === 'app' && n.app!.source === 'iac').map((n) => n.app!.id.toLowerCase()).sort();



const BICEP = `param suffix string = 'dev'
resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'iac-web'
  location: 'westeurope'
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'iac-not-a-site', value: '1' }
      ]
    }
  }
}
resource missing 'Microsoft.Web/sites@2024-04-01' = {
  name: 'IAC-MISSING'
}
resource computed 'Microsoft.Web/sites@2024-04-01' = {
  name: 'iac-other-\${suffix}'
}
`;

const TERRAFORM = `resource "azurerm_linux_function_app" "jobs" {
  name                = "iac-jobs"
  resource_group_name = "rg-b"
}
`;

const ARM = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [{ type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: 'iac-arm', location: 'westeurope', properties: {} }],
  },
  null,
  2,
);

describe('posture view: apps declared in infrastructure code (fake Azure)', function () {
  this.timeout(90_000);
  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB_A, displayName: 'Contoso IaC A', tenantId: TENANT });
    az.fake.addSubscription({ subscriptionId: SUB_B, displayName: 'Contoso IaC B', tenantId: TENANT });
    const add = (subscriptionId: string, resourceGroup: string, name: string) => az.fake.addApp({ subscriptionId, resourceGroup, name }).id;
    // 'iac-web' exists twice (two subscriptions, different casing): both are detected.
    expected = [add(SUB_A, 'rg-a', 'iac-web'), add(SUB_B, 'rg-b', 'IAC-Web'), add(SUB_B, 'rg-b', 'iac-jobs'), add(SUB_A, 'rg-a', 'iac-arm')].map((x) => x.toLowerCase()).sort();
    add(SUB_A, 'rg-a', 'iac-not-a-site');
    linked = add(SUB_A, 'rg-a', 'linked-web');
    written.push(await writeScratchFile('main.bicep', BICEP), await writeScratchFile('main.tf', TERRAFORM), await writeScratchFile('azuredeploy.json', ARM));
  });
  after(async () => {
    api?.setUserInput(undefined);
    for (const uri of written) await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    if (expectedHost === 'node') {
      await setLinked([]);
      await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
    }
    await az?.dispose();
  });

  itNode('resolves literal site names from Bicep, Terraform and ARM JSON with one Resource Graph listing, only when the view is shown', async () => {
    await setLinked([]);
    az.fake.clearLog();
    await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
    await sleep(300);
    assert.strictEqual(az.fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length, 0, 'nothing is resolved before the view asks for its apps');

    const first = await children();
    assert.ok(first.length >= 1, 'never a blank view while detecting');
    const apps = await until('the detected apps', async () => {
      const nodes = await children();
      return iacIds(nodes).length === expected.length ? nodes : undefined;
    });
    assert.deepStrictEqual(iacIds(apps), expected);
    assert.ok(!apps.some((n) => n.type === 'status'), 'no spinner or error left');
    const graph = az.fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' });
    assert.strictEqual(graph.length, 1, 'one Resource Graph listing');
    assert.deepStrictEqual(((graph[0].body as { subscriptions?: string[] })?.subscriptions ?? []).slice().sort(), [SUB_A, SUB_B], 'over the subscriptions the user sees');

    const node = apps.find((n) => n.app?.id.toLowerCase() === expected[0])!;
    const item = await tree().getTreeItem(node);
    assert.match(String(item.description), /^detected \(iac\)/);
    assert.match(String(item.contextValue), /^app;iac/);

    // A detected app is read like a linked one.
    const under = await until('the report', async () => {
      const u = await children(node);
      return u.some((n) => n.type === 'category') ? u : undefined;
    });
    assert.ok(under.length > 0);

    // Unlink explains where the app comes from instead of doing nothing.
    const input = new ScriptedUserInput([]);
    api.setUserInput(input);
    try {
      await vscode.commands.executeCommand('azureSecureDev.unlinkApp', node);
    } finally {
      api.setUserInput(undefined);
    }
    assert.match(input.notifications[0]?.message ?? '', /infrastructure code/);
  });

  itNode('a failing Resource Graph listing gives an error item with Retry; linked apps still show; Retry resolves them', async () => {
    await setLinked([linked]);
    const h = az.fake.fault({ route: 'POST management.azure.com/providers/Microsoft.ResourceGraph', status: 403 });
    try {
      await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
      const nodes = await until('the detection error', async () => {
        const n = await children();
        return n.some((x) => x.type === 'status' && x.icon === 'error') ? n : undefined;
      });
      assert.ok(nodes.some((n) => n.type === 'app' && n.app!.id.toLowerCase() === linked.toLowerCase()), 'the linked app still shows');
      assert.deepStrictEqual(iacIds(nodes), []);
      const error = nodes.find((n) => n.type === 'status')!;
      assert.match(error.label!, /infrastructure code could not be resolved/);
      const item = await tree().getTreeItem(error);
      assert.strictEqual(item.command?.command, 'azureSecureDev.posture.retry');
      h.remove();
      await vscode.commands.executeCommand('azureSecureDev.posture.retry', error);
      const after = await until('the detected apps after Retry', async () => {
        const n = await children();
        return iacIds(n).length === expected.length ? n : undefined;
      });
      assert.deepStrictEqual(iacIds(after), expected);
      assert.ok(!after.some((n) => n.type === 'status'));
    } finally {
      h.remove();
    }
  });
});
