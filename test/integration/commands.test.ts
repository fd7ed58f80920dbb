import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

describe('commands', () => {
  before(async () => {
    await activateExtension();
  });

  it('azureSecureDev.showLog runs', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('azureSecureDev.showLog'), 'azureSecureDev.showLog is not registered');
    await vscode.commands.executeCommand('azureSecureDev.showLog');
  });

  it('every contributed command is registered', async () => {
    const ext = await activateExtension();
    const contributed: string[] = (ext.packageJSON?.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
