import * as assert from 'assert';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, activateExtension, fakeSecret, waitForDiagnostics, writeScratchFile } from './helpers';

const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);

describe('diagnostics', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('flags a high-entropy API_PASSWORD in a .env file', async () => {
    const value = fakeSecret();
    const uri = await writeScratchFile('.env', `APP_NAME=itest\n${'API_' + 'PASSWORD'}=${value}\n`);
    const pending = waitForDiagnostics(uri, (d) => ours(d).length > 0, 10_000);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = ours(await pending);
    assert.ok(diags.length >= 1, 'no Azure Secure Dev diagnostic');
    const onLine = diags.filter((d) => d.range.start.line === 1);
    assert.ok(onLine.length >= 1, `expected a diagnostic on line 2, got lines ${diags.map((d) => d.range.start.line + 1).join(',')}`);
  });
});

describe('diagnostics: large files', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // The web workbench (code-server) saves after a delay by default, which would check the file on save.
  let autoSave: string | undefined;
  before(async () => {
    autoSave = vscode.workspace.getConfiguration('files').inspect<string>('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  });

  it('a file whose check is slow is not re-checked while typing, and is on save', async function () {
    this.timeout(60_000);
    // A 600 KB YAML flow sequence: the yaml package needs about two seconds for it, far over the per-keystroke budget.
    const uri = await writeScratchFile('large-flow.yml', `db_password: "${fakeSecret()}"\nitems: [\n${`  ${'1, '.repeat(50_000)}\n`.repeat(4)}  1]\n`);
    const opened = waitForDiagnostics(uri, (d) => ours(d).length === 1, 30_000);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await opened;
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), `api_password: "${fakeSecret()}"\n`)));
    // Typing would have re-checked after a 250 ms pause; the large file waits for the save.
    await new Promise((r) => setTimeout(r, 5000));
    assert.strictEqual(ours(vscode.languages.getDiagnostics(uri)).length, 1, 'the large file was re-checked while typing');
    const saved = waitForDiagnostics(uri, (d) => ours(d).length === 2, 30_000);
    assert.ok(await doc.save());
    await saved;
  });

  it('a line pasted over the length limit stops the checks of that file, and removing it brings them back', async function () {
    this.timeout(60_000);
    const uri = await writeScratchFile('long-line.env', `APP_NAME=itest\n${'API_' + 'PASSWORD'}=${fakeSecret()}\n`);
    const opened = waitForDiagnostics(uri, (d) => ours(d).length === 1, 20_000);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await opened;
    // A 250,000-character line (over the 200,000 limit) typed into the first line: only that line is measured again.
    const cleared = waitForDiagnostics(uri, (d) => ours(d).length === 0, 20_000);
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 8), 'y'.repeat(250_000))));
    await cleared;
    const back = waitForDiagnostics(uri, (d) => ours(d).length === 1, 20_000);
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(0, 8, 0, 250_008))));
    await back;
  });
});
