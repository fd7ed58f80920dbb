import * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { AzureAuth } from './auth/azureAuth';
import { log } from './ui/log';
import { scanWithProfile } from '../core/profile';
import { moveAllSecretsToKeyVault, moveSecretToKeyVault, type MoveDeps } from './keyVault/moveSecret';
import { isMoveTarget } from './keyVault/moveTarget';
import { registerPostureView } from './posture/postureService';

/** Node extension host entry (desktop, remote, code-server). */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'node', (ctx, api, rules) => {
    const auth = new AzureAuth();
    const deps: MoveDeps = {
      auth,
      state: ctx.globalState,
      // The move sees what the diagnostics see: the same profile, custom patterns included.
      scan: async (doc) => {
        const scanned = scanWithProfile(await rules.profileFor(doc.uri), doc.getText(), doc.uri.path);
        log().info(`Key Vault move: scanned ${vscode.workspace.asRelativePath(doc.uri, false)} (${scanned.findings.filter((f) => f.tag === 'secret').length} secret(s))`);
        return scanned;
      },
    };
    const posture = registerPostureView(auth);
    api.postureTree = posture.tree as vscode.TreeDataProvider<unknown>;
    ctx.subscriptions.push(
      auth,
      posture.disposable,
      vscode.commands.registerCommand('azureSecureDev.signIn', () => auth.signIn()),
      // From the quick fix: the document and the finding; from the palette: the active editor and its selection.
      vscode.commands.registerCommand('azureSecureDev.moveSecretToKeyVault', (uri?: vscode.Uri, finding?: unknown) => {
        const editor = vscode.window.activeTextEditor;
        const target = uri instanceof vscode.Uri ? uri : editor?.document.uri;
        const at = isMoveTarget(finding) || finding instanceof vscode.Range ? finding : editor?.selection;
        return target && at ? moveSecretToKeyVault(deps, target, at) : false;
      }),
      vscode.commands.registerCommand('azureSecureDev.moveAllSecretsToKeyVault', (uri?: vscode.Uri) => {
        const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
        return target ? moveAllSecretsToKeyVault(deps, target) : 0;
      }),
    );
    // Whether a session exists is looked up after activation, without prompting.
    setTimeout(() => void auth.refresh(), 0);
  });
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
