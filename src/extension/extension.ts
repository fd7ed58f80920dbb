import type * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { registerWorkspaceScan } from './workspaceScan';

/** Node extension host entry (desktop, remote, code-server). */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const api = activateCommon(context, 'node');
  context.subscriptions.push(registerWorkspaceScan());
  return api;
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
