// Restricted Mode: the folder is not trusted (scripts/test-host/run-integration.sh restricted). The built-in
// rules keep working; what a hostile repository could steer through its settings or files is ignored.
// In the trusted runs these tests are skipped.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UserInput } from '../../src/extension/ui/userInput';
import { DIAGNOSTIC_SOURCE, activateExtension, waitForDiagnostics, workspaceRoot, writeScratchFile } from './helpers';
import { ScriptedUserInput } from './support/scriptedInput';

const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

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
      const uri = await writeScratchFile('site.tf', 'resource "azurerm_linux_web_app" "a" {\n  https_only = false\n  identity {\n    type = "SystemAssigned"\n  }\n  site_config {\n    minimum_tls_version = "1.0"\n  }\n}\n');
      const pending = waitForDiagnostics(uri, (d) => ours(d).length >= 2, 15_000);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const codes = ours(await pending).map(codeOf);
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
});
