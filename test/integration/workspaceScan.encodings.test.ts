import * as assert from 'assert';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, activateExtension, fakeSecret, waitForDiagnostics, workspaceRoot } from './helpers';

// The workspace scan decodes files like the CLI (src/core/binary.ts): Windows tools write UTF-16 without a BOM.

const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);

/** UTF-16LE without a BOM, by hand: Buffer does not exist in the web host. */
function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

describe('workspace scan: file encodings', function () {
  this.timeout(60_000);
  before(async () => {
    await activateExtension();
  });

  it('finds a secret in a UTF-16 file without a BOM that was never opened, at the right position', async () => {
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'itest-scratch', `enc-${Date.now().toString(36)}`);
    const uri = vscode.Uri.joinPath(dir, 'written-by-powershell.env');
    await vscode.workspace.fs.writeFile(uri, utf16le(`APP_NAME=itest\n${'API_' + 'PASSWORD'}=${fakeSecret()}\n`));
    const pending = waitForDiagnostics(uri, (d) => ours(d).length > 0, 30_000);
    await vscode.commands.executeCommand('azureSecureDev.scanWorkspace');
    const diags = ours(await pending);
    assert.deepStrictEqual([diags[0].range.start.line, diags[0].range.start.character], [1, 13]);
  });
});
