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
