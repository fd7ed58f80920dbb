import * as vscode from 'vscode';
import { POSTURE_CATEGORIES, summarizePosture, type PostureCategory, type PostureCheck, type PostureReport, type PostureStatus } from '../../core/posture';
import { docsUrl } from '../../core/rules';
import { appName, type LinkedApp } from './links';

/** What the tree shows for one app: loading, its report, or why it could not be read. */
export type AppState = { kind: 'loading' } | { kind: 'report'; report: PostureReport; at: number } | { kind: 'error'; message: string };

/** Where the tree gets its data; the Node extension wires it to Resource Manager (see postureService.ts). */
export interface PostureSource {
  isSignedIn(): boolean;
  apps(): Promise<LinkedApp[]>;
  state(appId: string): AppState | undefined;
  /** Start (or restart) reading an app; the tree refreshes when it settles. */
  load(appId: string, force?: boolean): void;
  readonly onDidChange: vscode.Event<void>;
}

export type PostureNode =
  | { type: 'app'; app: LinkedApp }
  | { type: 'status'; appId: string; label: string; icon: string; retry?: boolean; tooltip?: string }
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
      return (await source.apps()).map((app) => ({ type: 'app', app }));
    }
    if (node.type === 'app') {
      const id = node.app.id;
      const state = source.state(id);
      if (!state) {
        source.load(id);
        return [{ type: 'status', appId: id, label: 'Reading from Azure Resource Manager…', icon: 'loading~spin' }];
      }
      if (state.kind === 'loading') return [{ type: 'status', appId: id, label: 'Reading from Azure Resource Manager…', icon: 'loading~spin' }];
      if (state.kind === 'error') return [{ type: 'status', appId: id, label: state.message, icon: 'error', retry: true, tooltip: state.message }];
      return POSTURE_CATEGORIES.map((category) => ({ type: 'category' as const, appId: id, category, checks: state.report.checks.filter((c) => c.category === category) })).filter((c) => c.checks.length);
    }
    if (node.type === 'category') return [...node.checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]).map((check) => ({ type: 'check', appId: node.appId, check }));
    if (node.type === 'check') return (node.check.items ?? []).map((i) => ({ type: 'item', appId: node.appId, check: node.check, ...i }));
    return [];
  }

  getTreeItem(node: PostureNode): vscode.TreeItem {
    switch (node.type) {
      case 'app': {
        const item = new vscode.TreeItem(appName(node.app.id), vscode.TreeItemCollapsibleState.Expanded);
        const state = this.source?.state(node.app.id);
        const failing = state?.kind === 'report' ? state.report.counts.fail : 0;
        item.description = `${node.app.source === 'linked' ? '' : `detected (${node.app.source}) · `}${state?.kind === 'report' ? (failing ? `${failing} failing` : 'no failing checks') : ''}`;
        item.tooltip = node.app.id;
        item.iconPath = new vscode.ThemeIcon(failing ? 'shield' : 'verified', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined);
        item.contextValue = `app;${node.app.source}`;
        item.id = `app:${node.app.id.toLowerCase()}`;
        return item;
      }
      case 'status': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip;
        item.contextValue = node.retry ? 'status;retry' : 'status';
        if (node.retry) item.command = { command: 'azureSecureDev.posture.retry', title: 'Retry', arguments: [node] };
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
        const item = new vscode.TreeItem(c.title, c.items?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = c.value;
        item.iconPath = ICON[c.status];
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`**${c.title}** — ${c.status}\n\n${c.why}\n\n`);
        if (c.unknownReason) md.appendMarkdown(`$(question) ${c.unknownReason}\n\n`);
        if (c.hint) md.appendMarkdown(`$(lightbulb) ${c.hint}\n\n`);
        if (c.fix) md.appendMarkdown(`$(wrench) Fix: ${c.fix.summary}\n\n`);
        md.appendMarkdown(`[${c.ruleId}](${docsUrl(c.ruleId)})`);
        item.tooltip = md;
        const tokens = ['check', c.status, c.fix && c.fix.kind !== 'put-appsettings' ? 'canFix' : '', c.fix ? 'hasSnippets' : ''].filter(Boolean);
        item.contextValue = tokens.join(';');
        item.id = `check:${node.appId.toLowerCase()}:${c.ruleId}`;
        return item;
      }
      case 'item': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.iconPath = ICON[node.status];
        item.contextValue = 'item';
        return item;
      }
    }
  }

  /** The view badge: failing checks over all apps (a subscription's Defender plan counted once). */
  private updateBadge(): void {
    if (!this.view || !this.source) return;
    void this.source.apps().then((apps) => {
      const reports = apps.map((a) => this.source!.state(a.id)).flatMap((s) => (s?.kind === 'report' ? [s.report] : []));
      const failing = summarizePosture(reports).failing;
      this.view!.badge = failing ? { value: failing, tooltip: `${failing} failing posture check${failing === 1 ? '' : 's'}` } : undefined;
    });
  }
}
