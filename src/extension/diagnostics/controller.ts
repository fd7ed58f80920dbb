import * as vscode from 'vscode';
import { scanText } from '../../core/engine';
import { detectFileKind, isIgnoredByDefault } from '../../core/fileKind';
import { matchesAnyGlob } from '../../core/glob';
import type { WorkspaceRules } from '../projectConfig';
import { log } from '../ui/log';
import { readSettings } from '../ui/settings';
import { FindingDiagnostic, toDiagnostic } from './convert';

/** Schemes whose documents are the user's files (not output panes, git views or logs). */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web', 'memfs']);
/** Lines longer than this mark a minified or generated file: skipped, and the status says so. */
const MAX_LINE_LENGTH = 200_000;
const TYPE_DELAY_MS = 250;

export interface CheckReport {
  uri: string;
  findings: number;
  suppressed: number;
  ms: number;
  skipped?: string;
}

/**
 * Owns the diagnostic collection: checks on open and save at once, on type after a per-document
 * quiet period, drops results for versions that are no longer current, clears on close.
 */
export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('azureSecureDev');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly reports = new Map<string, CheckReport>();
  private readonly emitter = new vscode.EventEmitter<CheckReport>();
  readonly onDidCheck = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.emitter];

  constructor(private readonly workspaceRules: WorkspaceRules) {}

  start(): void {
    const w = vscode.workspace;
    this.disposables.push(
      w.onDidOpenTextDocument((d) => void this.check(d)),
      w.onDidSaveTextDocument((d) => void this.check(d)),
      w.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && readSettings(e.document.uri).run === 'onType') this.schedule(e.document);
      }),
      w.onDidCloseTextDocument((d) => this.forget(d.uri)),
      w.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('azureSecureDev')) this.checkAll();
      }),
      w.onDidGrantWorkspaceTrust(() => this.checkAll()),
      this.workspaceRules.onDidChange(() => this.checkAll()),
    );
    this.checkAll();
  }

  checkAll(): void {
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  report(uri: vscode.Uri): CheckReport | undefined {
    return this.reports.get(uri.toString());
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    const version = doc.version;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        // A newer edit restarted the timer; an older version's result is never published.
        if (!doc.isClosed && doc.version === version) void this.check(doc);
      }, TYPE_DELAY_MS),
    );
  }

  /** Check a document now; a result for a version that is no longer current is dropped. */
  async check(doc: vscode.TextDocument): Promise<void> {
    if (!SCHEMES.has(doc.uri.scheme)) return;
    const key = doc.uri.toString();
    const version = doc.version;
    const settings = readSettings(doc.uri);
    const project = await this.workspaceRules.configFor(doc.uri);
    if (doc.isClosed || doc.version !== version) return;
    const relPath = vscode.workspace.asRelativePath(doc.uri, false);
    if (isIgnoredByDefault(relPath) || matchesAnyGlob(relPath, [...project.ignorePaths, ...settings.ignorePaths])) {
      this.collection.delete(doc.uri);
      return;
    }
    const text = doc.getText();
    const maxBytes = Math.min(settings.maxFileSizeBytes, (project.maxFileSizeKB ?? Infinity) * 1024);
    if (text.length > maxBytes || hasHugeLine(text)) {
      this.collection.delete(doc.uri);
      this.publish({ uri: key, findings: 0, suppressed: 0, ms: 0, skipped: text.length > maxBytes ? 'size' : 'long-line' });
      return;
    }
    const custom = this.workspaceRules.customPatterns();
    const started = performance.now();
    const result = scanText(text, doc.uri.path, {
      kind: detectFileKind(doc.uri.path, text),
      levels: { ...project.rules, ...settings.levels },
      extraCheckers: custom.checker ? [custom.checker] : [],
      extraRules: custom.rules,
      ignoreInlineSuppressions: !project.allowInlineSuppressions,
    });
    const ms = performance.now() - started;
    const diagnostics: FindingDiagnostic[] = result.findings.map(toDiagnostic);
    this.collection.set(doc.uri, diagnostics);
    log().debug(`checked ${relPath}: ${diagnostics.length} finding(s), ${result.suppressed.length} suppressed, ${ms.toFixed(1)} ms`);
    this.publish({ uri: key, findings: diagnostics.length, suppressed: result.suppressed.length, ms });
  }

  private publish(report: CheckReport): void {
    this.reports.set(report.uri, report);
    this.emitter.fire(report);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.reports.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

function hasHugeLine(text: string): boolean {
  if (text.length <= MAX_LINE_LENGTH) return false;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i - last > MAX_LINE_LENGTH) return true;
    last = i;
  }
  return text.length - last > MAX_LINE_LENGTH;
}
