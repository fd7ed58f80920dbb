import type * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';

/** Web-worker extension host entry (vscode.dev, github.dev): no Node APIs, no Key Vault writes. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'web');
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
