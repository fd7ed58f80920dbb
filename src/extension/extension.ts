import * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { AzureAuth } from './auth/azureAuth';
import { moveAllSecretsToKeyVault, moveSecretToKeyVault } from './keyVault/moveSecret';
import { registerPostureView } from './posture/postureService';

/** Node extension host entry (desktop, remote, code-server). */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'node', (ctx, api) => {
    const auth = new AzureAuth();
    const deps = { auth, state: ctx.globalState };
    const posture = registerPostureView(auth);
    api.postureTree = posture.tree as vscode.TreeDataProvider<unknown>;
    ctx.subscriptions.push(
      auth,
      posture.disposable,
      vscode.commands.registerCommand('azureSecureDev.signIn', () => auth.signIn()),
      vscode.commands.registerCommand('azureSecureDev.moveSecretToKeyVault', (uri?: vscode.Uri, range?: vscode.Range) => {
        const editor = vscode.window.activeTextEditor;
        const target = uri instanceof vscode.Uri ? uri : editor?.document.uri;
        const at = range instanceof vscode.Range ? range : editor?.selection;
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
