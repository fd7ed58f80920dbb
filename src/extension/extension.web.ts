import * as vscode from 'vscode';
import { activateCommon, type ExtensionApi } from './activate';
import { PostureTreeProvider } from './posture/tree';

/** Commands that talk to Azure: on the web they explain where they work instead of failing. */
const AZURE_COMMANDS = [
  'azureSecureDev.moveSecretToKeyVault',
  'azureSecureDev.moveAllSecretsToKeyVault',
  'azureSecureDev.signIn',
  'azureSecureDev.linkApp',
  'azureSecureDev.unlinkApp',
  'azureSecureDev.posture.retry',
  'azureSecureDev.posture.fix',
  'azureSecureDev.posture.copyBicep',
  'azureSecureDev.posture.copyTerraform',
  'azureSecureDev.posture.openInPortal',
  'azureSecureDev.posture.revealValue',
  'azureSecureDev.posture.hideValue',
  'azureSecureDev.posture.goToDeclaration',
  'azureSecureDev.posture.fixInSource',
  'azureSecureDev.posture.refreshApp',
];

/** Web-worker extension host entry (vscode.dev, github.dev): no Node APIs, no Key Vault writes. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  return activateCommon(context, 'web', (ctx) => {
    // Where the extension runs, not where the workbench runs: code-server and Codespaces in a browser have
    // `isWeb` true yet run the Node entry, which reads Azure. The view's when-clauses test this key.
    void vscode.commands.executeCommand('setContext', 'azureSecureDev.webWorker', true);
    // The posture view reads Resource Manager, which the web host does not do: its welcome content says so.
    const tree = new PostureTreeProvider();
    const needsDesktop = () =>
      void vscode.window.showInformationMessage('Azure Secure Dev: this needs Azure access, which the desktop or a remote VS Code has; on the web, diagnostics, fixes and suppressions work.');
    ctx.subscriptions.push(
      vscode.window.registerTreeDataProvider('azureSecureDev.posture', tree),
      vscode.commands.registerCommand('azureSecureDev.refreshPosture', () => tree.refresh()),
      ...AZURE_COMMANDS.map((id) => vscode.commands.registerCommand(id, needsDesktop)),
    );
  });
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
