import * as vscode from 'vscode';
import { POSTURE_CATEGORIES, type PostureCategory, type PostureCheck, type PostureReport, type PostureStatus } from '../../core/posture';
import { docsUrl, PLAINTEXT_SECRET_SETTING } from '../../core/rules';
import type { DeclaredPropertyName, DeclaredValue } from '../../core/declarations';
import { driftText, type CheckSource } from './checkSource';
import { where } from './declarations';
import { appName, type LinkedApp } from './links';
import { badgeTooltip, checkAccessibilityLabel, checkTitle, countFailing, itemAccessibilityLabel, statusWord, type CountedResource } from './wording';

/** An app's deployment slots (resource ids `<site id>/slots/<name>`), listed once with the app's report, or why not. */
export type SlotList = { ok: true; ids: string[] } | { ok: false; message: string };

/** What the tree shows for one app or slot: loading, its report (an app's with its slots), or why it could not be read. */
export type AppState =
  | { kind: 'loading' }
  | {
      kind: 'report';
      report: PostureReport;
      at: number;
      slots?: SlotList;
      /** The deployed values of the properties posture rules read (settings by name only), to compare with the IaC. */
      deployed?: ReadonlyMap<DeclaredPropertyName, DeclaredValue>;
    }
  | { kind: 'error'; message: string };

/** The rule whose items are setting names holding a secret in clear: those items can reveal their value. */
export const PLAINTEXT_SECRET_RULE = PLAINTEXT_SECRET_SETTING;

/** Where the tree gets its data; the Node extension wires it to Resource Manager (see postureService.ts). */
export interface PostureSource {
  isSignedIn(): boolean;
  apps(): Promise<LinkedApp[]>;
  state(appId: string): AppState | undefined;
  /** Start (or restart) reading an app or slot; the tree refreshes when it settles. */
  load(appId: string, force?: boolean): void;
  /** The one setting value the user revealed (shown until refresh or a time limit), if it is this one. */
  revealed?(appId: string, name: string): string | undefined;
  /** Looking for apps in the workspace's infrastructure code: start it (once) when the view is shown; its state. */
  detect?(): { kind: 'idle' | 'running' | 'done' } | { kind: 'error'; message: string };
  /** Restricted Mode: apps the workspace names that are read only after the user confirms. */
  awaitingConsent?(): Promise<LinkedApp[]>;
  /** Where the workspace's infrastructure code declares this check's app, and declared vs deployed. */
  declared?(appId: string, ruleId: string): CheckSource | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export type PostureNode =
  | { type: 'app'; app: LinkedApp }
  | { type: 'slots'; appId: string; slotIds: string[] }
  | { type: 'slot'; appId: string; parentId: string }
  | { type: 'status'; appId: string; label: string; icon: string; retry?: boolean; tooltip?: string; detection?: boolean; consent?: boolean }
  | { type: 'category'; appId: string; category: PostureCategory; checks: PostureCheck[] }
  | { type: 'check'; appId: string; check: PostureCheck }
  | { type: 'item'; appId: string; check: PostureCheck; name: string; status: PostureStatus; detail: string };

const ICON: Record<PostureStatus, vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  unknown: new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground')),
};

const ORDER: Record<PostureStatus, number> = { fail: 0, warning: 1, unknown: 2, pass: 3 };

/**
 * App Service posture: linked apps -> categories (Transport, Identity, Network, Secrets, Monitoring) -> checks.
 * Signed-out and no-apps states are the view's welcome content; loading and errors are items, never a blank view.
 */
export class PostureTreeProvider implements vscode.TreeDataProvider<PostureNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private view?: vscode.TreeView<PostureNode>;

  constructor(private readonly source?: PostureSource) {
    source?.onDidChange(() => {
      this.emitter.fire();
      this.updateBadge();
    });
  }

  attach(view: vscode.TreeView<PostureNode>): void {
    this.view = view;
  }

  refresh(): void {
    this.emitter.fire();
  }

  async getChildren(node?: PostureNode): Promise<PostureNode[]> {
    const source = this.source;
    if (!source) return [];
    if (!node) {
      if (!source.isSignedIn()) return [];
      const nodes: PostureNode[] = (await source.apps()).map((app) => ({ type: 'app', app }));
      const waiting = (await source.awaitingConsent?.()) ?? [];
      if (waiting.length) {
        const n = waiting.length;
        const tooltip = `Restricted Mode: this folder's settings or files link ${waiting.map((a) => appName(a.id)).join(', ')}. They are read with your Azure sign-in only after you confirm.`;
        nodes.push({ type: 'status', appId: '', label: `Read ${n} app${n === 1 ? '' : 's'} linked by this folder…`, icon: 'workspace-untrusted', tooltip, consent: true });
      }
      const detection = source.detect?.();
      if (detection?.kind === 'running') nodes.push({ type: 'status', appId: '', label: 'Looking for apps in infrastructure code…', icon: 'loading~spin', detection: true });
      if (detection?.kind === 'error') {
        const label = `Apps in infrastructure code could not be resolved: ${detection.message}`;
        nodes.push({ type: 'status', appId: '', label, icon: 'error', retry: true, tooltip: label, detection: true });
      }
      return nodes;
    }
    if (node.type === 'app') return this.appChildren(node.app.id, true);
    if (node.type === 'slot') return this.appChildren(node.appId, false);
    if (node.type === 'slots') return node.slotIds.map((id) => ({ type: 'slot', appId: id, parentId: node.appId }));
    if (node.type === 'category') return [...node.checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]).map((check) => ({ type: 'check', appId: node.appId, check }));
    if (node.type === 'check') return (node.check.items ?? []).map((i) => ({ type: 'item', appId: node.appId, check: node.check, ...i }));
    return [];
  }

  /** An app's or slot's children: loading or error items, else its categories, and (for an app) its slots last. */
  private appChildren(id: string, withSlots: boolean): PostureNode[] {
    const source = this.source!;
    const state = source.state(id);
    const loading: PostureNode = { type: 'status', appId: id, label: 'Reading from Azure Resource Manager…', icon: 'loading~spin' };
    if (!state) {
      source.load(id);
      return [loading];
    }
    if (state.kind === 'loading') return [loading];
    if (state.kind === 'error') return [{ type: 'status', appId: id, label: state.message, icon: 'error', retry: true, tooltip: state.message }];
    const nodes: PostureNode[] = POSTURE_CATEGORIES.map((category) => ({ type: 'category' as const, appId: id, category, checks: state.report.checks.filter((c) => c.category === category) })).filter((c) => c.checks.length);
    if (withSlots && state.slots) {
      if (!state.slots.ok) {
        const label = `Slots could not be listed: ${state.slots.message}`;
        nodes.push({ type: 'status', appId: id, label, icon: 'error', retry: true, tooltip: label });
      } else if (state.slots.ids.length) nodes.push({ type: 'slots', appId: id, slotIds: state.slots.ids });
    }
    return nodes;
  }

  /** An app's report and its slots' (slots still loading or failed are left out). */
  private resourcesOf(appId: string): CountedResource[] {
    const state = this.source?.state(appId);
    if (state?.kind !== 'report') return [];
    const slots = state.slots?.ok ? state.slots.ids : [];
    return [{ id: appId, report: state.report }, ...this.resourcesOfSlots(slots)];
  }

  private resourcesOfSlots(ids: readonly string[]): CountedResource[] {
    return ids.flatMap((id) => {
      const s = this.source?.state(id);
      return s?.kind === 'report' ? [{ id, report: s.report }] : [];
    });
  }

  getTreeItem(node: PostureNode): vscode.TreeItem {
    switch (node.type) {
      case 'app': {
        const item = new vscode.TreeItem(appName(node.app.id), vscode.TreeItemCollapsibleState.Expanded);
        const state = this.source?.state(node.app.id);
        const resources = this.resourcesOf(node.app.id);
        const failing = countFailing(resources).failing;
        const inSlots = failing - countFailing(resources.slice(0, 1)).failing;
        const counts = failing ? `${failing} failing${inSlots ? ` (${inSlots} in slots)` : ''}` : 'no failing checks';
        item.description = `${node.app.source === 'linked' ? '' : `detected (${node.app.source}) · `}${state?.kind === 'report' ? counts : ''}`;
        item.tooltip = node.app.id;
        item.iconPath = new vscode.ThemeIcon(failing ? 'shield' : 'verified', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined);
        item.contextValue = `app;${node.app.source}`;
        item.id = `app:${node.app.id.toLowerCase()}`;
        return item;
      }
      case 'slots': {
        const failing = countFailing(this.resourcesOfSlots(node.slotIds)).failing;
        const item = new vscode.TreeItem('Slots', failing ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.slotIds.length} slot${node.slotIds.length === 1 ? '' : 's'}${failing ? ` · ${failing} failing` : ''}`;
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'slots';
        item.id = `slots:${node.appId.toLowerCase()}`;
        return item;
      }
      case 'slot': {
        const state = this.source?.state(node.appId);
        const failing = countFailing(this.resourcesOfSlots([node.appId])).failing;
        const item = new vscode.TreeItem(appName(node.appId), failing ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = state?.kind === 'report' ? (failing ? `${failing} failing` : 'no failing checks') : state?.kind === 'error' ? 'could not be read' : '';
        item.tooltip = node.appId;
        item.iconPath = new vscode.ThemeIcon(failing ? 'shield' : 'verified', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined);
        item.contextValue = 'app;slot';
        item.id = `slot:${node.appId.toLowerCase()}`;
        return item;
      }
      case 'status': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip;
        item.contextValue = node.retry ? 'status;retry' : 'status';
        if (node.retry) item.command = { command: 'azureSecureDev.posture.retry', title: 'Retry', arguments: [node] };
        if (node.consent) item.command = { command: 'azureSecureDev.posture.readWorkspaceApps', title: 'Read apps linked by this folder' };
        return item;
      }
      case 'category': {
        const failing = node.checks.filter((c) => c.status === 'fail').length;
        const item = new vscode.TreeItem(node.category, failing ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = failing ? `${failing} failing` : `${node.checks.filter((c) => c.status === 'pass').length}/${node.checks.length} pass`;
        item.iconPath = new vscode.ThemeIcon(failing ? 'error' : 'pass');
        item.contextValue = 'category';
        return item;
      }
      case 'check': {
        const c = node.check;
        const title = checkTitle(c);
        const source = this.source?.declared?.(node.appId, c.ruleId);
        const drift = source?.drift?.state === 'drift' ? source.drift : undefined;
        const item = new vscode.TreeItem(title, c.items?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = drift ? `${c.value} · drift: ${driftText(drift)}` : c.value;
        item.iconPath = ICON[c.status];
        // The icon alone carries the status; a screen reader hears it from the label.
        item.accessibilityInformation = { label: checkAccessibilityLabel(c, drift ? `Drift: ${driftText(drift)}` : undefined) };
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`**${title}**: ${statusWord(c.status)}${c.value ? ` (${c.value})` : ''}\n\n${c.why}\n\n`);
        if (source) md.appendMarkdown(declaredMarkdown(source));
        if (c.unknownReason) md.appendMarkdown(`$(question) ${c.unknownReason}\n\n`);
        if (c.hint) md.appendMarkdown(`$(lightbulb) ${c.hint}\n\n`);
        if (c.fix) md.appendMarkdown(`$(wrench) Fix: ${c.fix.summary}\n\n`);
        md.appendMarkdown(`[${c.ruleId}](${docsUrl(c.ruleId)})${c.status === 'pass' ? '' : ` ${c.title}`}`);
        item.tooltip = md;
        const tokens = [
          'check',
          c.status,
          c.fix && c.fix.kind !== 'put-appsettings' ? 'canFix' : '',
          c.fix ? 'hasSnippets' : '',
          source ? 'declared' : '',
          source && (c.status === 'fail' || c.status === 'warning' || drift) ? 'fixInSource' : '',
          drift ? 'drift' : '',
        ].filter(Boolean);
        item.contextValue = tokens.join(';');
        item.id = `check:${node.appId.toLowerCase()}:${c.ruleId}`;
        return item;
      }
      case 'item': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        const secret = node.check.ruleId === PLAINTEXT_SECRET_RULE && node.status !== 'pass';
        const value = secret ? this.source?.revealed?.(node.appId, node.name) : undefined;
        item.description = value ?? node.detail;
        item.tooltip = value === undefined ? node.detail : `${node.detail}\n\nThe value is shown until the view is refreshed, for at most 30 seconds.`;
        item.iconPath = value === undefined ? ICON[node.status] : new vscode.ThemeIcon('eye');
        // Names and details only: a revealed value is shown, never read out in the label.
        item.accessibilityInformation = { label: itemAccessibilityLabel(node.status, node.name, value === undefined ? node.detail : 'value shown') };
        item.contextValue = secret ? `item;secretSetting${value === undefined ? '' : ';revealed'}` : 'item';
        item.id = `item:${node.appId.toLowerCase()}:${node.check.ruleId}:${node.name}`;
        return item;
      }
    }
  }

  /** The view badge: failing checks over every app and slot the tree shows, counted as countFailing says. */
  private updateBadge(): void {
    if (!this.view || !this.source) return;
    void this.source.apps().then((apps) => {
      const count = countFailing(apps.flatMap((a) => this.resourcesOf(a.id)));
      this.view!.badge = count.failing ? { value: count.failing, tooltip: badgeTooltip(count) } : undefined;
    });
  }

  /** The badge as last set (tests). */
  get badge(): vscode.ViewBadge | undefined {
    return this.view?.badge;
  }
}

/** The tooltip's declared-vs-deployed part; values are display strings from the drift (settings by name only). */
function declaredMarkdown(source: CheckSource): string {
  const md = new vscode.MarkdownString();
  if (source.declarations.length > 1) {
    md.appendMarkdown(`$(warning) Declared ${source.declarations.length} times: `);
    md.appendText(source.declarations.map((d) => where(d)).join(', '));
    md.appendMarkdown('. Not compared: the workspace should declare an app once.\n\n');
    return md.value;
  }
  const d = source.declarations[0];
  const at = where(d, source.range);
  const drift = source.drift;
  md.appendMarkdown('$(file-code) ');
  if (!source.propertySet) {
    md.appendText(`Declared in ${at}${source.property ? ` without ${source.property}: the platform default applies` : ''}`);
    if (drift?.property) md.appendText(` (${drift.declared === 'not set' ? 'not set' : drift.declared})`);
  } else {
    md.appendText(`Declared ${drift?.property ?? source.property}: ${drift?.declared ?? ''} in ${at}`);
  }
  md.appendMarkdown('\n\n');
  if (drift) {
    md.appendMarkdown(drift.state === 'drift' ? '$(diff) **Drift**: ' : '$(check) ');
    md.appendText(`deployed ${drift.deployed}${drift.state === 'same' ? ', as declared' : drift.state === 'unknown' ? ' (not compared)' : ''}`);
    if (drift.differences?.length) md.appendText(` (${drift.differences.join('; ')})`);
    md.appendMarkdown('\n\n');
  }
  return md.value;
}
