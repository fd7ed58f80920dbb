import * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { PostureTreeProvider } from './posture/tree';

/** Web-worker extension host entry (vscode.dev, github.dev): no Node APIs, no Key Vault writes. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'web', (ctx) => {
    // The posture view reads Resource Manager, which the web host does not do: its welcome content says so.
    const tree = new PostureTreeProvider();
    ctx.subscriptions.push(
      vscode.window.registerTreeDataProvider('azureSecureDev.posture', tree),
      vscode.commands.registerCommand('azureSecureDev.refreshPosture', () => tree.refresh()),
    );
  });
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
