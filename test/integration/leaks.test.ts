// A secret in a malformed Key Vault reference or in a setting value never reaches the Problems panel, the
// hover or the exported SARIF, in both hosts.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fakeSecret } from '../support/fakeSecrets';
import { DIAGNOSTIC_SOURCE, activateExtension, waitForDiagnostics, writeScratchFile } from './helpers';

const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/** Where in `secret` an 8-character piece of it appears in `text`, or -1 (the piece itself is never printed). */
function leakAt(text: string, secret: string): number {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return i;
  return -1;
}

function site(settings: Record<string, string>): string {
  const list = Object.entries(settings)
    .map(([k, v]) => `        { name: '${k}', value: '${v}' }`)
    .join('\n');
  return `resource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n  identity: { type: 'SystemAssigned' }\n  properties: {\n    httpsOnly: true\n    siteConfig: {\n      minTlsVersion: '1.2'\n      appSettings: [\n${list}\n      ]\n    }\n  }\n}\n`;
}

describe('leaks: no secret in diagnostics, hovers or exported SARIF', function () {
  this.timeout(60_000);
  before(async () => {
    await activateExtension();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a client secret pasted into @Microsoft.KeyVault(...): the diagnostic and the hover say it is malformed without quoting it', async () => {
    const secret = fakeSecret('entra-client-secret', 41);
    const uri = await writeScratchFile('kvref.bicep', site({ CLIENT_SECRET: `@Microsoft.KeyVault(${secret})` }));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const d = ours(await waitForDiagnostics(uri, (all) => ours(all).some((x) => codeOf(x) === 'KV-REF-MALFORMED')));
    for (const x of d) assert.strictEqual(leakAt(x.message, secret), -1, `${codeOf(x)}: the diagnostic quotes the secret`);
    const at = doc.positionAt(doc.getText().indexOf('@Microsoft.KeyVault(') + 5);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Malformed/);
    assert.strictEqual(leakAt(text, secret), -1, 'the hover quotes the secret');
  });

  it('Export SARIF masks setting snippets: an account key in AzureWebJobsStorage', async () => {
    const key = fakeSecret('azure-storage-key-legacy', 42);
    const uri = await writeScratchFile('func.bicep', site({ AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net` }));
    const target = vscode.Uri.joinPath(uri, '..', 'out.sarif');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('azureSecureDev.exportSarif', target);
    assert.ok(written, 'SARIF written');
    const sarif = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(sarif, /"ruleId": "FUNC-STORAGE-IDENTITY"/);
    assert.strictEqual(leakAt(sarif, key), -1, 'the SARIF holds the account key');
  });
});
