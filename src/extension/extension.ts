import type * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';

/** Node extension host entry (desktop, remote, code-server). */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'node');
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
