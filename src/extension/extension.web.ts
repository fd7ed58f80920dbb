import type * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { registerWorkspaceScan } from './workspaceScan';

/** Web-worker extension host entry (vscode.dev, github.dev): no Node APIs, no Key Vault writes. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const api = activateCommon(context, 'web');
  context.subscriptions.push(registerWorkspaceScan());
  return api;
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
