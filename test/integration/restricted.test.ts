// Restricted Mode: the folder is not trusted (scripts/test-host/run-integration.sh restricted). The built-in
// rules keep working; what a hostile repository could steer through its settings or files is ignored.
// In the trusted runs these tests are skipped.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UserInput } from '../../src/extension/ui/userInput';
import type { StatusSnapshot } from '../../src/extension/ui/status';
import { DIAGNOSTIC_SOURCE, activateExtension, expectedHost, waitForDiagnostics, workspaceRoot, writeScratchFile } from './helpers';
import { startFakeAzureInHost, type FakeAzureInHost } from './support/node/fakeAzureHost';
import { TENANT, childrenOf, refreshPosture, setLinked, until, type PostureApi, type PostureNode } from './support/posture';
import { ScriptedUserInput } from './support/scriptedInput';

const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/** A Terraform site with two insecure settings (APPSVC-HTTPS-ONLY, APPSVC-MIN-TLS); `padding` lines make it bigger. */
const insecureSite = (padding = 0) =>
  `${'# padding line for the size limit test .........................................\n'.repeat(padding)}resource "azurerm_linux_web_app" "a" {\n  https_only = false\n  identity {\n    type = "SystemAssigned"\n  }\n  site_config {\n    minimum_tls_version = "1.0"\n  }\n}\n`;

/** Sets workspace settings of the extension for the duration of `fn` (the repository's .vscode/settings.json). */
async function withWorkspaceSettings(values: Record<string, unknown>, fn: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('azureSecureDev');
  try {
    for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    await fn();
  } finally {
    for (const key of Object.keys(values)) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/** Opens a fresh scratch copy of the insecure site and returns the rule ids flagged on it. */
async function flaggedOnInsecureSite(padding = 0): Promise<string[]> {
  const uri = await writeScratchFile('site.tf', insecureSite(padding));
  const pending = waitForDiagnostics(uri, (d) => ours(d).length >= 2, 15_000);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return ours(await pending).map(codeOf);
}

describe('Restricted Mode', function () {
  this.timeout(60_000);
  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    await activateExtension();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the workspace untrusted and the extension is active (limited support)', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const ext = await activateExtension();
    assert.strictEqual(ext.isActive, true);
  });

  it('still flags secrets and insecure settings with the built-in rules', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'infra/main.tf');
    const pending = waitForDiagnostics(uri, (d) => ours(d).length >= 3, 15_000);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const codes = ours(await pending).map(codeOf);
    assert.ok(codes.includes('APPSVC-HTTPS-ONLY') && codes.includes('APPSVC-MIN-TLS'), codes.join(','));
  });

  it('ignores custom patterns from the workspace settings', async () => {
    const config = vscode.workspace.getConfiguration('azureSecureDev');
    await config.update('customPatterns', [{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}' }], vscode.ConfigurationTarget.Workspace);
    try {
      // The pattern is in the workspace's settings file; VS Code hides it from the extension (restrictedConfigurations).
      const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), '.vscode/settings.json')));
      assert.match(file, /contoso-token/, 'the workspace settings file holds the pattern');
      const uri = await writeScratchFile('tokens.env', `TOKEN=ctso_${'abcdefgh'}${'12345678'}\nAZURE_CLIENT_SECRET_NAME=x\nDB_PASSWORD=${['Qz7', 'Lm4', 'Tp9', 'Wx2', 'Rk8'].join('')}\n`);
      const pending = waitForDiagnostics(uri, (d) => ours(d).length >= 1, 15_000);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const codes = ours(await pending).map(codeOf);
      assert.ok(!codes.some((c) => c.startsWith('CUSTOM-')), `a workspace pattern ran in Restricted Mode: ${codes.join(',')}`);
      assert.ok(codes.includes('SECRET-GENERIC-PASSWORD') || codes.some((c) => c.startsWith('SECRET-')), 'the built-in rules did run');
    } finally {
      await config.update('customPatterns', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('ignores the project config file (a repository cannot turn rules off here)', async () => {
    const cfg = vscode.Uri.joinPath(workspaceRoot(), '.azure-secure-dev.json');
    await vscode.workspace.fs.writeFile(cfg, new TextEncoder().encode(JSON.stringify({ rules: { 'APPSVC-HTTPS-ONLY': 'off', 'APPSVC-MIN-TLS': 'off' } })));
    try {
      const codes = await flaggedOnInsecureSite();
      assert.ok(codes.includes('APPSVC-HTTPS-ONLY') && codes.includes('APPSVC-MIN-TLS'), codes.join(','));
    } finally {
      await vscode.workspace.fs.delete(cfg);
    }
  });

  it('does not offer a vault named by the workspace settings for the Key Vault move', async () => {
    const config = vscode.workspace.getConfiguration('azureSecureDev');
    await config.update('keyVault.defaultVault', 'attacker-vault', vscode.ConfigurationTarget.Workspace);
    const ext = await activateExtension();
    const api = ext.exports as unknown as { setUserInput(i: UserInput | undefined): void };
    try {
      const uri = vscode.Uri.joinPath(workspaceRoot(), '.env');
      const pending = waitForDiagnostics(uri, (d) => ours(d).some((x) => codeOf(x).startsWith('SECRET-')), 15_000);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const secret = ours(await pending).find((x) => codeOf(x).startsWith('SECRET-'))!;
      const input = new ScriptedUserInput([{ pick: null }]);
      api.setUserInput(input);
      const moved = await vscode.commands.executeCommand('azureSecureDev.moveSecretToKeyVault', uri, secret.range);
      assert.strictEqual(moved, false);
      const shown = input.prompts.flatMap((p) => p.shown);
      assert.ok(shown.length > 0, 'the vault picker was shown');
      assert.ok(!shown.some((l) => l.includes('attacker-vault')), `offered: ${shown.join(' | ')}`);
    } finally {
      api.setUserInput(undefined);
      await config.update('keyVault.defaultVault', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
  it('ignores workspace rule levels that turn rules off', async () => {
    await withWorkspaceSettings({ rules: { 'APPSVC-HTTPS-ONLY': 'off', 'APPSVC-MIN-TLS': 'off' } }, async () => {
      const codes = await flaggedOnInsecureSite();
      assert.ok(codes.includes('APPSVC-HTTPS-ONLY') && codes.includes('APPSVC-MIN-TLS'), codes.join(','));
    });
  });

  it('ignores workspace ignorePaths (a repository cannot hide its files)', async () => {
    await withWorkspaceSettings({ ignorePaths: ['**'] }, async () => {
      const codes = await flaggedOnInsecureSite();
      assert.ok(codes.includes('APPSVC-HTTPS-ONLY') && codes.includes('APPSVC-MIN-TLS'), codes.join(','));
    });
  });

  it('ignores a smaller workspace maxFileSizeKB (a 4 KB file is still checked under a 1 KB workspace cap)', async () => {
    await withWorkspaceSettings({ maxFileSizeKB: 1 }, async () => {
      const codes = await flaggedOnInsecureSite(50);
      assert.ok(codes.includes('APPSVC-HTTPS-ONLY') && codes.includes('APPSVC-MIN-TLS'), codes.join(','));
    });
  });

  it('the language status item says which workspace settings are not used', async () => {
    const api = (await activateExtension()).exports as unknown as { languageStatus(): StatusSnapshot };
    await withWorkspaceSettings({ rules: { 'APPSVC-HTTPS-ONLY': 'off' }, ignorePaths: ['**/*.tf'] }, async () => {
      await flaggedOnInsecureSite();
      const status = await until('the Restricted Mode notice in the language status', async () => {
        const now = api.languageStatus();
        return /Restricted Mode/.test(now.detail) ? now : undefined;
      });
      assert.match(status.detail, /azureSecureDev\.rules/);
      assert.match(status.detail, /azureSecureDev\.ignorePaths/);
      assert.doesNotMatch(status.detail, /maxFileSizeKB/, 'only what the folder sets is named');
      assert.strictEqual(status.severity, 'warning');
      assert.match(status.text, /2 problems/, 'the file was checked with every rule');
    });
  });
});

// Posture view in Restricted Mode: resource ids named by the workspace are read with the user's token only after
// the user confirms; apps linked in the user's own settings are read as usual.
describe('Restricted Mode: apps linked by the workspace (posture view, fake Azure)', function () {
  this.timeout(90_000);
  const SUB = '00000000-0000-0000-0000-000000000003';
  let az: FakeAzureInHost | undefined;
  let api: PostureApi;
  let repoApp: string;
  let ownApp: string;
  let deployApp: string;
  const settingsFile = () => vscode.Uri.joinPath(workspaceRoot(), '.vscode/settings.json');
  /** Edits the workspace settings file directly (the App Service extension, whose setting this is, is not installed). */
  const editSettingsFile = async (edit: (settings: Record<string, unknown>) => void) => {
    const settings = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile()))) as Record<string, unknown>;
    edit(settings);
    await vscode.workspace.fs.writeFile(settingsFile(), new TextEncoder().encode(JSON.stringify(settings, null, 4)));
  };
  const config = () => vscode.workspace.getConfiguration('azureSecureDev');
  const appIds = (nodes: PostureNode[]) => nodes.filter((n) => n.type === 'app').map((n) => n.app!.id.toLowerCase());
  const readsOf = (name: string) => az!.fake.requests().filter((e) => e.path.toLowerCase().includes(`/sites/${name}`));

  before(async function () {
    if (vscode.workspace.isTrusted || expectedHost !== 'node') this.skip();
    api = (await activateExtension()).exports as unknown as PostureApi;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso Restricted', tenantId: TENANT });
    repoApp = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-web', name: 'repo-named-app' }).id;
    ownApp = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-web', name: 'my-own-app' }).id;
    deployApp = az.fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-web', name: 'deploy-target-app' }).id;
  });
  after(async () => {
    if (!az) return;
    api.setUserInput(undefined);
    await editSettingsFile((s) => delete s['appService.defaultWebAppToDeploy']);
    await setLinked([]);
    await config().update('posture.apps', undefined, vscode.ConfigurationTarget.Global);
    await az.dispose();
  });

  it('reads no app named by the workspace settings until the user confirms; the user\'s own link is read', async () => {
    await config().update('posture.apps', [ownApp], vscode.ConfigurationTarget.Global);
    await setLinked([repoApp]);
    await editSettingsFile((s) => (s['appService.defaultWebAppToDeploy'] = deployApp));
    await until('the App Service setting to be seen', async () => (vscode.workspace.getConfiguration('appService').get('defaultWebAppToDeploy') === deployApp ? true : undefined));
    await refreshPosture();
    const roots = await until('the posture view to list something', async () => {
      const r = await childrenOf(api);
      return r.length ? r : undefined;
    });
    assert.deepStrictEqual(appIds(roots), [ownApp.toLowerCase()], 'only the app from the user settings is listed');
    const consent = roots.find((n) => n.type === 'status' && /Read 2 apps linked by this folder/.test(n.label ?? ''));
    assert.ok(consent, `no consent item: ${JSON.stringify(roots)}`);
    // The user's app is read (its report arrives); the repository's app is never asked for.
    const own = roots.find((n) => n.type === 'app')!;
    await until('the report of the user\'s app', async () => ((await childrenOf(api, own)).some((n) => n.type === 'category') ? true : undefined));
    assert.ok(readsOf('my-own-app').length > 0, 'the user\'s app was read');
    assert.deepStrictEqual(readsOf('repo-named-app'), [], 'the app named by azureSecureDev.posture.apps was read without asking');
    assert.deepStrictEqual(readsOf('deploy-target-app'), [], 'the app named by appService.defaultWebAppToDeploy was read without asking');

    // Declining keeps it that way.
    const item = await api.postureTree!.getTreeItem(consent);
    assert.ok(item.command, 'the consent item has a command');
    const run = async (input: ScriptedUserInput) => {
      api.setUserInput(input);
      try {
        await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      } finally {
        api.setUserInput(undefined);
      }
    };
    const declined = new ScriptedUserInput([{ confirm: 'Cancel' }]);
    await run(declined);
    assert.match(declined.prompts[0]?.shown.join('\n') ?? '', /repo-named-app[^]*deploy-target-app/, 'the modal names the apps');
    assert.deepStrictEqual(appIds(await childrenOf(api)), [ownApp.toLowerCase()]);
    assert.deepStrictEqual([...readsOf('repo-named-app'), ...readsOf('deploy-target-app')], []);

    // Confirming reads them.
    await run(new ScriptedUserInput([{ confirm: 'Read 2 apps' }]));
    const after = await until('the repository app after consent', async () => {
      const r = await childrenOf(api);
      return appIds(r).includes(repoApp.toLowerCase()) ? r : undefined;
    });
    assert.ok(!after.some((n) => n.type === 'status' && /linked by this folder/.test(n.label ?? '')), 'the consent item is gone');
    const repo = after.find((n) => n.type === 'app' && n.app!.id.toLowerCase() === repoApp.toLowerCase())!;
    await until('the report of the repository app', async () => ((await childrenOf(api, repo)).some((n) => n.type === 'category') ? true : undefined));
    assert.ok(readsOf('repo-named-app').length > 0, 'read after consent');
    assert.ok(appIds(after).includes(deployApp.toLowerCase()), 'the App Service extension\'s app is listed after consent');
  });
});
