import * as vscode from 'vscode';
import { docsUrl } from '../core/rules';
import { FindingCodeActions } from './codeActions/provider';
import { DiagnosticsController } from './diagnostics/controller';
import { KeyVaultReferenceHover } from './hover/keyVaultHover';
import { WorkspaceRules } from './projectConfig';
import { registerStatusItem, type StatusSnapshot } from './ui/status';
import { log } from './ui/log';
import { setUserInput, type UserInput } from './ui/userInput';
import { isAzureLoaded } from './azureLoader';
import { registerWorkspaceScan } from './workspaceScan';

export interface ExtensionApi {
  /** Time activate() took, in milliseconds (measured inside the host). */
  activationMs: number;
  platform: 'node' | 'web';
  /** Whether the Azure SDK bundle has been loaded (it must not be at activation). */
  isAzureLoaded(): boolean;
  /** Script the prompts of the guided flows (integration tests, automation); undefined restores VS Code's. */
  setUserInput(input: UserInput | undefined): void;
  /** The posture view's data (read-only: its children and items), for other extensions and tests. */
  postureTree?: vscode.TreeDataProvider<unknown>;
  /** What the language status item shows now (read-only copy), for tests. */
  languageStatus(): StatusSnapshot;
}

/** Shared by the Node and web entries: registers providers and commands, nothing heavy. */
export function activateCommon(context: vscode.ExtensionContext, platform: 'node' | 'web', extra?: (ctx: vscode.ExtensionContext, api: ExtensionApi, rules: WorkspaceRules) => void): ExtensionApi {
  const started = performance.now();
  const workspaceRules = new WorkspaceRules();
  const diagnostics = new DiagnosticsController(workspaceRules);
  const status = registerStatusItem(diagnostics);
  context.subscriptions.push(
    workspaceRules,
    diagnostics,
    vscode.languages.registerCodeActionsProvider({ pattern: '**' }, new FindingCodeActions(diagnostics, platform === 'node'), {
      providedCodeActionKinds: FindingCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider({ pattern: '**' }, new KeyVaultReferenceHover()),
    vscode.commands.registerCommand('azureSecureDev.showLog', () => log().show(true)),
    vscode.commands.registerCommand('azureSecureDev.showRuleDocs', (ruleId?: string) => {
      if (typeof ruleId === 'string' && /^[A-Za-z0-9-]+$/.test(ruleId)) return vscode.env.openExternal(vscode.Uri.parse(docsUrl(ruleId)));
      return undefined;
    }),
    status,
    registerWorkspaceScan(workspaceRules),
  );
  const api: ExtensionApi = { activationMs: 0, platform, isAzureLoaded, setUserInput, languageStatus: () => status.snapshot() };
  extra?.(context, api, workspaceRules);
  diagnostics.start();
  api.activationMs = performance.now() - started;
  log().info(`activated in the ${platform} host in ${api.activationMs.toFixed(1)} ms`);
  return api;
}
