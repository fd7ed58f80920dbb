// Shared by the posture view's integration suites: the view's tree through the extension API, waiting, linking.
import * as vscode from 'vscode';
import type { UserInput } from '../../../src/extension/ui/userInput';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export type PostureCheckNode = { ruleId: string; status: string; value: string; unknownReason?: string; items?: { name: string }[]; fix?: { body?: unknown } };
/** The posture tree's nodes as the tests see them (the tree's own type stays private to the extension). */
export type PostureNode = {
  type: string;
  app?: { id: string; source: string };
  appId?: string;
  slotIds?: string[];
  category?: string;
  check?: PostureCheckNode;
  name?: string;
  label?: string;
  icon?: string;
  retry?: boolean;
  detection?: boolean;
};
export type PostureApi = { setUserInput(input: UserInput | undefined): void; postureTree?: vscode.TreeDataProvider<PostureNode> };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` every 100 ms until it returns a value (event-free: the tree has no public change feed). */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function childrenOf(api: PostureApi, node?: PostureNode): Promise<PostureNode[]> {
  return ((await api.postureTree!.getChildren(node)) ?? []) as PostureNode[];
}

/** Link exactly these App Service resource ids to the workspace. */
export async function setLinked(ids: string[]): Promise<void> {
  await vscode.workspace.getConfiguration('azureSecureDev').update('posture.apps', ids, vscode.ConfigurationTarget.Workspace);
}

export async function refreshPosture(): Promise<void> {
  await vscode.commands.executeCommand('azureSecureDev.refreshPosture');
}
