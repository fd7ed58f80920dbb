import * as vscode from 'vscode';
import { deployedProperties } from '../../core/declarations';
import { evaluatePosture, type PostureCheck, type SourceResult } from '../../core/posture';
import type { AzureAuth } from '../auth/azureAuth';
import { currentCloud } from '../auth/azureAuth';
import { loadAzure } from '../azureLoader';
import { log } from '../ui/log';
import { userInput } from '../ui/userInput';
import { checkSource, type CheckSource } from './checkSource';
import { DriftDiagnostics, fixInSource, goToDeclaration, REFRESH_APP_COMMAND, type DriftInput } from './codeToCloud';
import { where, WorkspaceDeclarations } from './declarations';
import { matchSiteIds } from './iacNames';
import { appName, iacAppNames, isSiteId, linkApps, linkedApps, unlinkApp, type LinkedApp } from './links';
import { PLAINTEXT_SECRET_RULE, PostureTreeProvider, type AppState, type PostureNode, type PostureSource, type SlotList } from './tree';

/** Reports stay fresh this long; Refresh reads again at once. */
const TTL_MS = 2 * 60_000;
/** A revealed setting value is masked again after this long (or on refresh). */
export const REVEAL_MS = 30_000;

type Arm = import('../azureLoader').AzureModule['ArmClient']['prototype'];
type Detection = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; ids: string[] } | { kind: 'error'; message: string };

const isSlotId = (id: string) => /\/slots\/[^/]+$/i.test(id);

/** Slot resource ids `<site id>/slots/<name>` from a slots listing (names come as `<site>/<slot>`). */
function slotIds(appId: string, list: readonly { id?: string; name?: string }[]): string[] {
  const out: string[] = [];
  for (const s of list) {
    const name = String(s.name ?? s.id ?? '').split('/').pop() ?? '';
    const id = `${appId}/slots/${name}`;
    if (name && isSiteId(id) && !out.some((x) => x.toLowerCase() === id.toLowerCase())) out.push(id);
  }
  return out;
}

/** Reads posture from Resource Manager for the linked apps, with a short cache and bounded concurrency. */
class ArmPostureSource implements PostureSource {
  private readonly states = new Map<string, AppState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private defender = new Map<string, Promise<SourceResult>>();
  private running = 0;
  private readonly queue: (() => Promise<void>)[] = [];
  private detection: Detection = { kind: 'idle' };
  private detectionRun = 0;
  private readonly detectedEmitter = new vscode.EventEmitter<void>();
  /** Fires when apps found in infrastructure code were resolved (or could not be). */
  readonly onDidDetect = this.detectedEmitter.event;
  /** Restricted Mode: apps named by the workspace that the user agreed to read (lowercased ids), this session. */
  private readonly confirmed = new Set<string>();
  /** Restricted Mode: the user agreed to look for the workspace's infrastructure-code apps too. */
  private detectionConfirmed = false;
  /** The one revealed setting value; only in memory, never logged. */
  private shown?: { appKey: string; name: string; value: string; timer: ReturnType<typeof setTimeout> };

  constructor(
    private readonly auth: AzureAuth,
    private readonly declarations: WorkspaceDeclarations,
  ) {
    declarations.onDidChange(() => this.emitter.fire());
  }

  /** Where the workspace declares the app of a check, and declared vs deployed (once both are known). */
  declared(appId: string, ruleId: string): CheckSource | undefined {
    const index = this.declarations.peek();
    if (!index) return undefined;
    const state = this.state(appId);
    return checkSource(ruleId, index.lookup(appId), state?.kind === 'report' ? state.deployed : undefined);
  }

  /** The apps and slots whose report is in, for the drift diagnostics. */
  driftInputs(): DriftInput[] {
    const out: DriftInput[] = [];
    for (const s of this.states.values()) {
      if (s.kind !== 'report' || !s.report.resourceId || Date.now() - s.at > TTL_MS) continue;
      const appId = s.report.resourceId;
      out.push({ appId, ruleIds: s.report.checks.map((c) => c.ruleId), source: (ruleId) => this.declared(appId, ruleId) });
    }
    return out;
  }

  isSignedIn(): boolean {
    return this.auth.isSignedIn;
  }

  async arm(): Promise<Arm> {
    return loadAzure().createArmClient({ credential: await this.auth.credential(), cloud: currentCloud().name });
  }

  /** Linked and detected apps, plus those resolved from infrastructure code once detection has run. */
  private async allApps(): Promise<LinkedApp[]> {
    const apps = await linkedApps();
    if (this.detection.kind === 'done') {
      for (const id of this.detection.ids) if (!apps.some((a) => a.id.toLowerCase() === id.toLowerCase())) apps.push({ id, source: 'iac', fromWorkspace: true });
    }
    return apps;
  }

  /** Whether the app may be read with the user's token: always once trusted; in Restricted Mode only the user's own or confirmed ones. */
  private mayRead(app: LinkedApp): boolean {
    if (vscode.workspace.isTrusted || !app.fromWorkspace) return true;
    return app.source === 'iac' ? this.detectionConfirmed : this.confirmed.has(app.id.toLowerCase());
  }

  /** The apps the view shows and reads. */
  async apps(): Promise<LinkedApp[]> {
    return (await this.allApps()).filter((a) => this.mayRead(a));
  }

  /** Restricted Mode: apps named by the workspace that wait for the user's go-ahead. */
  async awaitingConsent(): Promise<LinkedApp[]> {
    return (await this.allApps()).filter((a) => !this.mayRead(a));
  }

  /** Restricted Mode: show which apps the workspace names and read them only when the user agrees. */
  async confirmWorkspaceApps(): Promise<boolean> {
    const waiting = await this.awaitingConsent();
    if (!waiting.length) return false;
    const n = waiting.length;
    const button = `Read ${n} app${n === 1 ? '' : 's'}`;
    const list = waiting.map((a) => `${appName(a.id)} (${a.id})`).join('\n');
    const answer = await userInput().confirm(
      `This folder is not trusted. Read ${n} App Service app${n === 1 ? '' : 's'} it links with your Azure sign-in?`,
      `Restricted Mode: these resource ids come from the folder's settings or files, not from you:\n${list}\n\nThe view reads their configuration (not their setting values) with your account, and also looks up the apps named in the folder's infrastructure code.`,
      button,
    );
    if (answer !== button) return false;
    for (const a of waiting) this.confirmed.add(a.id.toLowerCase());
    this.detectionConfirmed = true;
    log().info(`Restricted Mode: reading ${n} app(s) linked by the folder, confirmed by the user`);
    this.emitter.fire();
    return true;
  }

  /** Called when the view shows its apps: looks for apps in infrastructure code once (again after Refresh). */
  detect(): { kind: 'idle' | 'running' | 'done' } | { kind: 'error'; message: string } {
    // In Restricted Mode the names come from an untrusted folder: look them up only once the user agreed.
    if (this.detection.kind === 'idle' && this.auth.isSignedIn && (vscode.workspace.isTrusted || this.detectionConfirmed)) {
      this.detection = { kind: 'running' };
      void this.runDetection(++this.detectionRun);
    }
    return this.detection.kind === 'error' ? this.detection : { kind: this.detection.kind };
  }

  resetDetection(): void {
    this.detectionRun++;
    this.detection = { kind: 'idle' };
  }

  private async runDetection(run: number): Promise<void> {
    let next: Detection;
    try {
      const names = await iacAppNames();
      let ids: string[] = [];
      if (names.length) {
        // One Resource Graph listing of the user's sites, matched by name.
        const arm = await this.arm();
        const subs = await arm.listSubscriptions();
        const sites = subs.length ? await arm.listSites(subs.map((s) => s.subscriptionId)) : [];
        ids = matchSiteIds(names, sites).filter(isSiteId);
      }
      next = { kind: 'done', ids };
      log().info(`infrastructure code names ${names.length} App Service app(s); ${ids.length} found in Azure`);
    } catch (e) {
      const message = loadAzure().describeAzureError(e).message;
      log().warn(`apps in infrastructure code could not be resolved: ${message}`);
      next = { kind: 'error', message };
    }
    if (run !== this.detectionRun) return;
    this.detection = next;
    this.detectedEmitter.fire();
    this.emitter.fire();
  }

  revealed(appId: string, name: string): string | undefined {
    const s = this.shown;
    return s && s.appKey === appId.toLowerCase() && s.name === name ? s.value : undefined;
  }

  /** Read the app settings again and show this one value (until refresh or REVEAL_MS); false when it cannot. */
  async reveal(appId: string, name: string): Promise<boolean> {
    let value: unknown;
    try {
      const arm = await this.arm();
      const body = await arm.listAppSettings(appId);
      value = (body?.properties as Record<string, unknown> | undefined)?.[name];
    } catch (e) {
      userInput().notify('error', `Azure Secure Dev: the value of ${name} could not be read. ${loadAzure().describeAzureError(e).message}`);
      return false;
    }
    if (typeof value !== 'string') {
      userInput().notify('info', `Azure Secure Dev: ${appName(appId)} no longer has a setting named ${name}.`);
      return false;
    }
    this.hide(false);
    this.shown = { appKey: appId.toLowerCase(), name, value, timer: setTimeout(() => this.hide(), REVEAL_MS) };
    log().info(`revealed one app setting value of ${appName(appId)} in the view (the value is not logged)`);
    this.emitter.fire();
    return true;
  }

  /** Mask the revealed value again. */
  hide(fire = true): void {
    if (!this.shown) return;
    clearTimeout(this.shown.timer);
    this.shown = undefined;
    if (fire) this.emitter.fire();
  }

  state(appId: string): AppState | undefined {
    const s = this.states.get(appId.toLowerCase());
    if (s?.kind === 'report' && Date.now() - s.at > TTL_MS) return undefined;
    return s;
  }

  invalidate(appId?: string): void {
    this.hide(false);
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
    if (this.shown?.appKey === key) this.hide(false);
    this.states.set(key, { kind: 'loading' });
    this.enqueue(async () => {
      try {
        const arm = await this.arm();
        const { readPostureInput, describeAzureError } = loadAzure();
        // An app's slots are listed once with its report; each slot is then read on its own, like an app.
        const [input, slots] = await Promise.all([
          readPostureInput(arm, appId, this.defender),
          isSlotId(appId)
            ? undefined
            : arm.listSlots(appId).then(
                (list): SlotList => ({ ok: true, ids: slotIds(appId, list) }),
                (e): SlotList => ({ ok: false, message: describeAzureError(e).message }),
              ),
        ]);
        if (!input.site?.ok) {
          const why = input.site && !input.site.ok ? input.site.message : 'the app could not be read';
          this.states.set(key, { kind: 'error', message: why });
        } else {
          // Deployed values for the drift comparison: app settings keep only their names and Key Vault-ness.
          const deployed = deployedProperties(input);
          this.states.set(key, { kind: 'report', report: { ...evaluatePosture(input), resourceId: appId }, at: Date.now(), deployed, ...(slots ? { slots } : {}) });
          if (slots?.ok) for (const id of slots.ids) this.load(id);
        }
        log().info(`posture of ${appName(appId)} read${slots?.ok ? ` (${slots.ids.length} slot(s))` : ''}`);
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
  const declarations = new WorkspaceDeclarations();
  const source = new ArmPostureSource(auth, declarations);
  const tree = new PostureTreeProvider(source);
  const drift = new DriftDiagnostics(declarations);
  const view = vscode.window.createTreeView('azureSecureDev.posture', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const updateContext = async () => {
    const apps = [...(await source.apps()), ...(await source.awaitingConsent())];
    await vscode.commands.executeCommand('setContext', 'azureSecureDev.hasLinkedApps', apps.length > 0);
  };
  void updateContext();

  const armClient = () => source.arm();

  const disposable = vscode.Disposable.from(
    view,
    declarations,
    drift,
    source.onDidChange(() => drift.update(source.driftInputs())),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.{bicep,tf,json}' }, drift, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.commands.registerCommand(REFRESH_APP_COMMAND, (appId?: string) => {
      if (isSiteId(appId)) source.load(appId, true);
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.goToDeclaration', async (node?: PostureNode) => {
      if (node?.type !== 'check') return undefined;
      await declarations.current();
      return goToDeclaration(declarations, node.appId, node.check.ruleId, source.declared(node.appId, node.check.ruleId));
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.fixInSource', async (node?: PostureNode) => {
      if (node?.type !== 'check') return false;
      await declarations.current();
      return fixInSource(declarations, node.appId, node.check.ruleId, source.declared(node.appId, node.check.ruleId));
    }),
    source.onDidDetect(() => void updateContext()),
    auth.onDidChangeSignIn(() => {
      source.resetDetection();
      source.invalidate();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Trusted now: the folder's links are read like the user's.
      source.resetDetection();
      void updateContext();
      tree.refresh();
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.readWorkspaceApps', async () => {
      const read = await source.confirmWorkspaceApps();
      if (read) {
        void updateContext();
        tree.refresh();
      }
      return read;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('azureSecureDev.posture') || e.affectsConfiguration('appService.defaultWebAppToDeploy')) {
        void updateContext();
        tree.refresh();
      }
    }),
    vscode.commands.registerCommand('azureSecureDev.refreshPosture', () =>
      vscode.window.withProgress({ location: { viewId: 'azureSecureDev.posture' } }, async () => {
        source.resetDetection();
        source.invalidate();
        for (const app of await source.apps()) source.load(app.id, true);
      }),
    ),
    vscode.commands.registerCommand('azureSecureDev.posture.retry', (node?: PostureNode) => {
      if (node?.type === 'status' && node.detection) {
        source.resetDetection();
        tree.refresh();
      } else if (node && 'appId' in node && node.appId) source.load(node.appId, true);
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.revealValue', async (node?: PostureNode) => {
      if (node?.type !== 'item' || node.check.ruleId !== PLAINTEXT_SECRET_RULE) return false;
      return await source.reveal(node.appId, node.name);
    }),
    vscode.commands.registerCommand('azureSecureDev.posture.hideValue', () => source.hide()),
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
        const where = node.app.source === 'azd' ? 'the azd project' : node.app.source === 'iac' ? 'the infrastructure code in this workspace' : 'the App Service extension setting';
        userInput().notify('info', `Azure Secure Dev: ${appName(node.app.id)} was detected from ${where}; remove it there.`);
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
      const declared = source.declared(node.appId, node.check.ruleId);
      const note = declared ? `${appName(node.appId)} is declared in ${declared.declarations.map((d) => where(d, declared.range)).join(' and ')}: a change made only in Azure drifts from it ("Fix in source" changes the template).` : undefined;
      const applied = await applyFix(node.appId, node.check, armClient, note);
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

const APPLY_FIX = 'Apply fix';
const COPY_BICEP = 'Copy as Bicep';

/** Show the exact change (property, old, new) in a modal, then send it through Resource Manager. */
async function applyFix(appId: string, check: PostureCheck, armClient: () => Promise<Arm>, declaredNote?: string): Promise<boolean> {
  const fix = check.fix!;
  if (fix.kind === 'put-appsettings') {
    userInput().notify('info', 'Azure Secure Dev: move these secrets with "Move secret to Azure Key Vault" in your infrastructure code, or in the portal; the view never writes app setting values.');
    return false;
  }
  const fmt = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const detail = `${appName(appId)}: ${fix.property}\n${fmt(fix.oldValue)} → ${fmt(fix.newValue)}\n\n${fix.method} ${fix.pathSuffix || '(the app)'} ${JSON.stringify(fix.body)}${fix.caution ? `\n\n${fix.caution}` : ''}${declaredNote ? `\n\n${declaredNote}` : ''}`;
  // A write to a live app: Enter picks the harmless first button; applying needs an explicit click.
  const answer = await userInput().confirm(fix.summary, detail, APPLY_FIX, COPY_BICEP);
  if (answer === COPY_BICEP) {
    await vscode.env.clipboard.writeText(fix.bicep);
    userInput().notify('info', `Azure Secure Dev: the Bicep fix for ${check.ruleId} is on the clipboard; nothing was changed in Azure.`);
    return false;
  }
  if (answer !== APPLY_FIX) return false;
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
