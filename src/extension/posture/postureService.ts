import * as vscode from 'vscode';
import { evaluatePosture, type PostureCheck, type SourceResult } from '../../core/posture';
import type { AzureAuth } from '../auth/azureAuth';
import { currentCloud } from '../auth/azureAuth';
import { loadAzure } from '../azureLoader';
import { log } from '../ui/log';
import { userInput } from '../ui/userInput';
import { appName, isSiteId, linkApps, linkedApps, unlinkApp, type LinkedApp } from './links';
import { PostureTreeProvider, type AppState, type PostureNode, type PostureSource } from './tree';

/** Reports stay fresh this long; Refresh reads again at once. */
const TTL_MS = 2 * 60_000;

/** Reads posture from Resource Manager for the linked apps, with a short cache and bounded concurrency. */
class ArmPostureSource implements PostureSource {
  private readonly states = new Map<string, AppState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private defender = new Map<string, Promise<SourceResult>>();
  private running = 0;
  private readonly queue: (() => Promise<void>)[] = [];

  constructor(private readonly auth: AzureAuth) {}

  isSignedIn(): boolean {
    return this.auth.isSignedIn;
  }

  apps(): Promise<LinkedApp[]> {
    return linkedApps();
  }

  state(appId: string): AppState | undefined {
    const s = this.states.get(appId.toLowerCase());
    if (s?.kind === 'report' && Date.now() - s.at > TTL_MS) return undefined;
    return s;
  }

  invalidate(appId?: string): void {
    if (appId) this.states.delete(appId.toLowerCase());
    else {
      this.states.clear();
      this.defender = new Map();
    }
    this.emitter.fire();
  }

  load(appId: string, force = false): void {
    const key = appId.toLowerCase();
    if (!force && this.states.get(key)?.kind === 'loading') return;
    this.states.set(key, { kind: 'loading' });
    this.enqueue(async () => {
      try {
        const az = loadAzure();
        const arm = az.createArmClient({ credential: await this.auth.credential(), cloud: currentCloud().name });
        const { readPostureInput } = loadAzure();
        const input = await readPostureInput(arm, appId, this.defender);
        if (!input.site?.ok) {
          const why = input.site && !input.site.ok ? input.site.message : 'the app could not be read';
          this.states.set(key, { kind: 'error', message: why });
        } else {
          this.states.set(key, { kind: 'report', report: { ...evaluatePosture(input), resourceId: appId }, at: Date.now() });
        }
        log().info(`posture of ${appName(appId)} read`);
      } catch (e) {
        const message = loadAzure().describeAzureError(e).message;
        log().warn(`posture of ${appName(appId)} failed: ${message}`);
        this.states.set(key, { kind: 'error', message });
      }
      this.emitter.fire();
    });
    this.emitter.fire();
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.running < 8 && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

/** Registers the posture view with its commands (Node host); returns the tree for the extension's API. */
export function registerPostureView(auth: AzureAuth): { tree: PostureTreeProvider; disposable: vscode.Disposable } {
  const source = new ArmPostureSource(auth);
  const tree = new PostureTreeProvider(source);
  const view = vscode.window.createTreeView('azureSecureDev.posture', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const updateContext = async () => {
    const apps = await linkedApps();
    await vscode.commands.executeCommand('setContext', 'azureSecureDev.hasLinkedApps', apps.length > 0);
  };
  void updateContext();

  const armClient = async () => loadAzure().createArmClient({ credential: await auth.credential(), cloud: currentCloud().name });

  const disposable = vscode.Disposable.from(
    view,
    auth.onDidChangeSignIn(() => source.invalidate()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('azureSecureDev.posture') || e.affectsConfiguration('appService.defaultWebAppToDeploy')) {
        void updateContext();
        tree.refresh();
      }
    }),
    vscode.commands.registerCommand('azureSecureDev.refreshPosture', () =>
      vscode.window.withProgress({ location: { viewId: 'azureSecureDev.posture' } }, async () => {
        source.invalidate();
        for (const app of await linkedApps()) source.load(app.id, true);
      }),
    ),
    vscode.commands.registerCommand('azureSecureDev.posture.retry', (node?: PostureNode) => {
      if (node && 'appId' in node) source.load(node.appId, true);
    }),
    vscode.commands.registerCommand('azureSecureDev.linkApp', async () => {
      if (!auth.isSignedIn && !(await auth.signIn())) return;
      const az = loadAzure();
      try {
        const arm = await armClient();
        const subs = await arm.listSubscriptions();
        const sub = await userInput().showQuickPick(subs.map((s) => ({ label: s.displayName, description: s.subscriptionId, id: s.subscriptionId })), { title: 'Link App Service app (1/2): subscription', ignoreFocusOut: true });
        if (!sub) return;
        const sites = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing App Service apps' }, () => arm.listSites([sub.id]));
        const picks = sites.map((s) => ({ label: s.name, description: `${s.resourceGroup}${s.kind?.includes('functionapp') ? ' · function app' : ''}`, id: s.id }));
        const chosen = await userInput().showQuickPick(picks, { title: 'Link App Service app (2/2): app', canPickMany: true, ignoreFocusOut: true } as vscode.QuickPickOptions);
        const list = (Array.isArray(chosen) ? chosen : chosen ? [chosen] : []) as { id: string }[];
        if (!list.length) return;
        await linkApps(list.map((c) => c.id));
        await updateContext();
        tree.refresh();
      } catch (e) {
        userInput().notify('error', `Azure Secure Dev: could not list apps. ${az.describeAzureError(e).message}`);
      }
    }),
    vscode.commands.registerCommand('azureSecureDev.unlinkApp', async (node?: PostureNode) => {
      if (node?.type !== 'app') return;
      if (node.app.source !== 'linked') {
        userInput().notify('info', `Azure Secure Dev: ${appName(node.app.id)} was detected from ${node.app.source === 'azd' ? 'the azd project' : 'the App Service extension setting'}; remove it there.`);
        return;
      }
      await unlinkApp(node.app.id);
      await updateContext();
      tree.refresh();
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.openInPortal', (node?: PostureNode) => {
      const id = node?.type === 'app' ? node.app.id : node && 'appId' in node ? node.appId : undefined;
      if (isSiteId(id)) void vscode.env.openExternal(vscode.Uri.parse(`${currentCloud().portal}/#@/resource${id}`));
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.copyBicep', (node?: PostureNode) => copySnippet(node, 'bicep')),
    vscode.commands.registerCommand('azureSecureDev.posture.copyTerraform', (node?: PostureNode) => copySnippet(node, 'terraform')),
    vscode.commands.registerCommand('azureSecureDev.posture.fix', async (node?: PostureNode) => {
      if (node?.type !== 'check' || !node.check.fix) return false;
      const applied = await applyFix(node.appId, node.check, armClient);
      if (applied) source.load(node.appId, true);
      return applied;
    }),
  );
  return { tree, disposable };
}

async function copySnippet(node: PostureNode | undefined, kind: 'bicep' | 'terraform'): Promise<void> {
  if (node?.type !== 'check' || !node.check.fix) return;
  await vscode.env.clipboard.writeText(node.check.fix[kind]);
  userInput().notify('info', `Azure Secure Dev: the ${kind === 'bicep' ? 'Bicep' : 'Terraform'} fix for ${node.check.ruleId} is on the clipboard.`);
}

/** Show the exact change (property, old, new) in a modal, then send it through Resource Manager. */
async function applyFix(appId: string, check: PostureCheck, armClient: () => Promise<import('../azureLoader').AzureModule['ArmClient']['prototype']>): Promise<boolean> {
  const fix = check.fix!;
  if (fix.kind === 'put-appsettings') {
    userInput().notify('info', 'Azure Secure Dev: move these secrets with "Move secret to Azure Key Vault" in your infrastructure code, or in the portal; the view never writes app setting values.');
    return false;
  }
  const fmt = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const detail = `${appName(appId)}: ${fix.property}\n${fmt(fix.oldValue)} → ${fmt(fix.newValue)}\n\n${fix.method} ${fix.pathSuffix || '(the app)'} ${JSON.stringify(fix.body)}${fix.caution ? `\n\n${fix.caution}` : ''}`;
  const ok = await userInput().confirm(fix.summary, detail, 'Apply fix');
  if (ok !== 'Apply fix') return false;
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(appId)?.[1];
  const path = fix.scope === 'subscription' ? `/subscriptions/${subscription}${fix.pathSuffix}` : `${appId}${fix.pathSuffix}`;
  try {
    const arm = await armClient();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Azure Secure Dev: ${fix.summary}` }, () =>
      arm.request(fix.method, path, { apiVersion: fix.apiVersion, body: fix.body }),
    );
    log().info(`posture fix applied: ${check.ruleId} on ${appName(appId)} (${fix.method} ${fix.pathSuffix})`);
    userInput().notify('info', `Azure Secure Dev: ${fix.summary} — done.`);
    return true;
  } catch (e) {
    const message = loadAzure().describeAzureError(e).message;
    userInput().notify('error', `Azure Secure Dev: the fix was not applied. ${message}`);
    return false;
  }
}
