// In-editor behaviour on the sample workspace, in both hosts: diagnostics per file kind with the right
// codes and ranges, local fixes, suppressions, fix-all, workspace scan, Key Vault hover.
import * as assert from 'assert';
import * as vscode from 'vscode';
import expected from '../fixtures/samples-expected.json';
import { DIAGNOSTIC_SOURCE, activateExtension, waitForDiagnostics, workspaceRoot, writeScratchFile } from './helpers';

type Expected = { rule: string; line: number; text?: string };
const files = (expected as { files: Record<string, Expected[]> }).files;
const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const key = (list: { rule: string; line: number }[]) => list.map((e) => `${e.line}:${e.rule}`).sort();

async function open(rel: string): Promise<{ doc: vscode.TextDocument; diagnostics: vscode.Diagnostic[] }> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), rel);
  const want = files[rel]?.length ?? 0;
  const pending = waitForDiagnostics(uri, (d) => ours(d).length >= want && (want > 0 || true), 15_000);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return { doc, diagnostics: ours(await pending) };
}

async function quickFixes(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

async function revert(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('editor: sample workspace', function () {
  this.timeout(60_000);
  before(async () => {
    await activateExtension();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const [rel, want] of Object.entries(files)) {
    it(`${rel}: diagnostics with the right codes, token ranges and docs links`, async () => {
      const { doc, diagnostics } = await open(rel);
      assert.deepStrictEqual(key(diagnostics.map((d) => ({ rule: codeOf(d), line: d.range.start.line + 1 }))), key(want));
      for (const d of diagnostics) {
        const e = want.find((w) => w.rule === codeOf(d) && w.line === d.range.start.line + 1)!;
        const text = doc.getText(d.range);
        if (e.text !== undefined) assert.strictEqual(text, e.text, `${e.rule} range`);
        else assert.ok(text.length >= 8 && text.length < doc.lineAt(d.range.start.line).text.length, `${e.rule}: the range is the token, not the line`);
        assert.ok(!d.message.includes(text) || e.text !== undefined, 'a secret value is in the message');
        assert.ok(typeof d.code === 'object' && d.code.target.toString().endsWith(`/docs/rules/${e.rule}.md`), 'code links to the rule docs');
      }
    });
  }

  const fixable = Object.entries(files).flatMap(([rel, list]) => list.filter((e) => e.text !== undefined).map((e) => ({ rel, ...e })));
  for (const f of fixable) {
    it(`${f.rel}:${f.line} ${f.rule}: quick fixes are ordered, one preferred, and the fix clears the diagnostic`, async () => {
      const { doc, diagnostics } = await open(f.rel);
      const d = diagnostics.find((x) => codeOf(x) === f.rule && x.range.start.line + 1 === f.line)!;
      // One diagnostic sits on this range, so every quick fix offered here is for it.
      const actions = await quickFixes(doc, d.range);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.some((t) => t.startsWith(`Suppress '${f.rule}' for this line`)), titles.join(' | '));
      assert.ok(titles.some((t) => t.startsWith(`Show documentation for '${f.rule}'`)), titles.join(' | '));
      const preferred = actions.filter((a) => a.isPreferred);
      assert.ok(preferred.length <= 1, 'at most one preferred action');
      const fix = preferred[0];
      if (!fix) return; // settings that need judgement (CORS, access restrictions) have no literal fix
      assert.strictEqual(actions[0], fix, 'the fix comes first');
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      const after = await waitForDiagnostics(doc.uri, (all) => !ours(all).some((x) => codeOf(x) === f.rule && x.range.start.line + 1 === f.line));
      assert.ok(!ours(after).some((x) => codeOf(x) === f.rule && x.range.start.line + 1 === f.line));
      assert.notStrictEqual(doc.lineAt(f.line - 1).text.includes(f.text!), true, 'the insecure value was replaced');
      await revert();
    });
  }

  it('a suppression comment written by the quick fix clears the diagnostic', async () => {
    const rel = 'infra/main.bicep';
    const { doc, diagnostics } = await open(rel);
    const d = diagnostics.find((x) => codeOf(x) === 'APPSVC-HTTP2')!;
    const suppress = (await quickFixes(doc, d.range)).find((a) => a.title === "Suppress 'APPSVC-HTTP2' for this line")!;
    assert.ok(suppress && !suppress.isPreferred, 'suppression exists and is never preferred');
    assert.ok(await vscode.workspace.applyEdit(suppress.edit!));
    const after = await waitForDiagnostics(doc.uri, (all) => !ours(all).some((x) => codeOf(x) === 'APPSVC-HTTP2'));
    assert.strictEqual(ours(after).length, diagnostics.length - 1);
    assert.match(doc.getText(), /\/\/ azure-secure-dev-ignore-next-line APPSVC-HTTP2 -- reason/);
    await revert();
  });

  it('source.fixAll.azureSecureDev fixes every deterministic problem and is idempotent', async () => {
    const rel = 'infra/azuredeploy.json';
    const { doc } = await open(rel);
    const fixAll = async () =>
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.azureSecureDev')) ?? [];
    const first = await fixAll();
    assert.strictEqual(first.length, 1);
    assert.ok(await vscode.workspace.applyEdit(first[0].edit!));
    const after = await waitForDiagnostics(doc.uri, (all) => !ours(all).some((x) => codeOf(x).startsWith('APPSVC-')));
    assert.deepStrictEqual(ours(after).map(codeOf), ['SECRET-AZURE-IDENTIFIABLE-KEY'], 'only the secret is left (it needs Key Vault)');
    const text = doc.getText();
    assert.match(text, /"httpsOnly": true/);
    assert.match(text, /"minTlsVersion": "1\.2"/);
    assert.match(text, /"ftpsState": "Disabled"/);
    assert.match(text, /"remoteDebuggingEnabled": false/);
    const second = await fixAll();
    assert.ok(second.length === 0 || (second[0].edit?.size ?? 0) === 0, 'a second fix-all changes nothing');
    assert.strictEqual(doc.getText(), text);
    await revert();
  });

  it('fix-all in a deploy script rewrites each insecure az flag in the syntax of the command, and nothing else', async () => {
    const rel = 'scripts/deploy.sh';
    const { doc, diagnostics } = await open(rel);
    assert.deepStrictEqual(key(diagnostics.map((d) => ({ rule: codeOf(d), line: d.range.start.line + 1 }))), key(files[rel]));
    const before = doc.getText();
    const fixAll = async () =>
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.azureSecureDev')) ?? [];
    const first = await fixAll();
    assert.strictEqual(first.length, 1);
    assert.ok(await vscode.workspace.applyEdit(first[0].edit!));
    await waitForDiagnostics(doc.uri, (all) => ours(all).length === 0);
    const text = doc.getText();
    assert.match(text, /--name "\$APP" --https-only true\n/);
    assert.match(text, /--min-tls-version 1\.2 \\\n/);
    assert.match(text, /--ftps-state Disabled \\\n/);
    assert.match(text, /--remote-debugging-enabled=false\n/);
    // The comment, the echoed hint and the run-time value are left as written.
    assert.match(text, /# az webapp update --https-only false\n/);
    assert.match(text, /echo "to undo: az webapp update --https-only false"/);
    assert.match(text, /--http20-enabled "\$HTTP2"/);
    assert.strictEqual(text.split('\n').length, before.split('\n').length);
    const second = await fixAll();
    assert.ok(second.length === 0 || (second[0].edit?.size ?? 0) === 0, 'a second fix-all changes nothing');
    await revert();
  });

  it('re-checks while typing and drops the diagnostic when the value is fixed by hand', async () => {
    const uri = await writeScratchFile('site.bicep', "resource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n  identity: { type: 'SystemAssigned' }\n  properties: {\n    httpsOnly: true\n    siteConfig: {\n      minTlsVersion: '1.2'\n    }\n  }\n}\n");
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(uri, (d) => ours(d).length === 0);
    const pos = doc.positionAt(doc.getText().indexOf("'1.2'") + 3);
    await editor.edit((b) => b.replace(new vscode.Range(pos, pos.translate(0, 1)), '0'));
    const bad = await waitForDiagnostics(uri, (d) => ours(d).some((x) => codeOf(x) === 'APPSVC-MIN-TLS'));
    assert.strictEqual(doc.getText(ours(bad)[0].range), "'1.0'");
    await editor.edit((b) => b.replace(new vscode.Range(pos, pos.translate(0, 1)), '3'));
    await waitForDiagnostics(uri, (d) => ours(d).length === 0);
  });

  it('shows a hover on a Key Vault reference with the vault and the secret', async () => {
    const { doc } = await open('infra/azuredeploy.json');
    const at = doc.positionAt(doc.getText().indexOf('contoso-kv.vault.azure.net'));
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Key Vault reference/);
    assert.match(text, /contoso-kv/);
    assert.match(text, /payments-api-key/);
  });

  it('custom patterns from settings run as their own rule', async () => {
    const config = vscode.workspace.getConfiguration('azureSecureDev');
    await config.update('customPatterns', [{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}' }], vscode.ConfigurationTarget.Workspace);
    try {
      const uri = await writeScratchFile('custom.env', `TOKEN=ctso_${'abcdefgh'}${'12345678'}\n`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const d = await waitForDiagnostics(uri, (all) => ours(all).some((x) => codeOf(x) === 'CUSTOM-CONTOSO-TOKEN'));
      assert.ok(ours(d).some((x) => codeOf(x) === 'CUSTOM-CONTOSO-TOKEN'));
    } finally {
      await config.update('customPatterns', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the workspace scan reports problems in files that are not open', async () => {
    const unopened = await writeScratchFile('never-opened.tf', 'resource "azurerm_windows_web_app" "w" {\n  https_only = false\n  identity {\n    type = "SystemAssigned"\n  }\n}\n');
    const pending = waitForDiagnostics(unopened, (d) => ours(d).length === 1, 30_000);
    const result = await vscode.commands.executeCommand<{ files: number; findings: number }>('azureSecureDev.scanWorkspace');
    const plantedTotal = Object.values(files).reduce((n, l) => n + l.length, 0);
    assert.ok(result.files >= Object.keys(files).length, `scanned ${result.files} files`);
    assert.ok(result.findings >= plantedTotal, `found ${result.findings}, planted ${plantedTotal}`);
    const d = await pending;
    assert.strictEqual(codeOf(ours(d)[0]), 'APPSVC-HTTPS-ONLY');
  });
});
