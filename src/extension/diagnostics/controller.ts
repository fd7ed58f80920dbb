import * as vscode from 'vscode';
import { IncrementalScanner, type Edit } from '../../core/incremental';
import { detectFileKind } from '../../core/fileKind';
import { hasLineLongerThan } from '../../core/text';
import type { WorkspaceRules } from '../projectConfig';
import { log } from '../ui/log';
import { readSettings } from '../ui/settings';
import { FindingDiagnostic, toDiagnostic } from './convert';
import { RuleErrorLog } from './ruleErrorLog';
import type { RuleCrash } from '../../core/rules/engineRules';

/** Schemes whose documents are the user's files (not output panes, git views or logs). */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web', 'memfs']);
/** Lines longer than this mark a minified or generated file: skipped, and the status says so. */
const MAX_LINE_LENGTH = 200_000;
const TYPE_DELAY_MS = 250;
/**
 * A document whose last check took longer than this is too slow to re-check while typing (a large YAML flow
 * collection, a huge .env): it is checked on open and save only, and the status bar says so.
 */
export const SLOW_CHECK_MS = 300;

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
  /** Per document: the scanner holding the last result, and what changed since (for incremental checks). */
  private readonly scanners = new Map<string, { scanner: IncrementalScanner; optionsKey: string; pending?: Edit; version: number; length: number; slow?: boolean; crashes: RuleCrash[] }>();
  private readonly ruleErrors = new RuleErrorLog((line) => log().warn(line));

  constructor(private readonly workspaceRules: WorkspaceRules) {}

  start(): void {
    const w = vscode.workspace;
    this.disposables.push(
      w.onDidOpenTextDocument((d) => void this.check(d)),
      w.onDidSaveTextDocument((d) => void this.check(d)),
      w.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        this.recordEdit(e);
        if (readSettings(e.document.uri).run !== 'onType') return;
        if (this.scanners.get(e.document.uri.toString())?.slow) this.deferToSave(e.document);
        else this.schedule(e.document);
      }),
      w.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // Settings, trust and the project config all reach the checks through the scan profile, which says when it changed.
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
        if (!doc.isClosed && doc.version === version) void this.check(doc, true);
      }, TYPE_DELAY_MS),
    );
  }

  /** A large file: typing does not re-check it (that would block the extension host); saving does. */
  private deferToSave(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.deferredShown.has(key)) return;
    this.deferredShown.add(key);
    const rel = vscode.workspace.asRelativePath(doc.uri, false);
    log().info(`${rel} is a large file (the last check took over ${SLOW_CHECK_MS} ms): checked on save, not while typing`);
    vscode.window.setStatusBarMessage(`$(watch) Azure Secure Dev: large file, checked on save`, 10_000);
  }

  /** Documents told (once per slow spell) that they are checked on save only. */
  private readonly deferredShown = new Set<string>();

  /** Remember the unchanged prefix and suffix since the last check, composed over several edits. */
  private recordEdit(e: vscode.TextDocumentChangeEvent): void {
    const state = this.scanners.get(e.document.uri.toString());
    if (!state) return;
    // The length is tracked from the edits: reading the whole text on every keystroke would copy a large file.
    const lengthBefore = state.length;
    for (const c of e.contentChanges) state.length += c.text.length - c.rangeLength;
    let prefix = Infinity;
    let suffix = Infinity;
    for (const c of e.contentChanges) {
      prefix = Math.min(prefix, c.rangeOffset);
      suffix = Math.min(suffix, lengthBefore - c.rangeOffset - c.rangeLength);
    }
    const p = state.pending ?? { unchangedPrefix: Infinity, unchangedSuffix: Infinity };
    state.pending = { unchangedPrefix: Math.min(p.unchangedPrefix, prefix), unchangedSuffix: Math.min(p.unchangedSuffix, suffix) };
  }

  /**
   * Check a document; `incremental` re-checks only what the recorded edits can affect. A result for a
   * version that is no longer current is dropped.
   */
  async check(doc: vscode.TextDocument, incremental = false): Promise<void> {
    if (!SCHEMES.has(doc.uri.scheme)) return;
    const key = doc.uri.toString();
    const version = doc.version;
    const profile = await this.workspaceRules.profileFor(doc.uri);
    if (doc.isClosed || doc.version !== version) return;
    const relPath = vscode.workspace.asRelativePath(doc.uri, false);
    if (!profile.shouldScan(relPath)) {
      this.collection.delete(doc.uri);
      return;
    }
    const text = doc.getText();
    const maxBytes = profile.maxFileSizeBytes;
    // After an edit of a document checked before (no huge line then), only the lines the edit touched can be huge.
    let state = this.scanners.get(key);
    const edit = incremental ? state?.pending : undefined;
    const huge = hasLineLongerThan(text, MAX_LINE_LENGTH, edit?.unchangedPrefix ?? 0, edit ? text.length - edit.unchangedSuffix : text.length);
    if (text.length > maxBytes || huge) {
      this.collection.delete(doc.uri);
      this.publish({ uri: key, findings: 0, suppressed: 0, ms: 0, skipped: text.length > maxBytes ? 'size' : 'long-line' });
      return;
    }
    const options = { ...profile.options, kind: detectFileKind(doc.uri.path, text) };
    const optionsKey = JSON.stringify([options.kind, profile.key]);
    const started = performance.now();
    let result;
    if (incremental && state && state.optionsKey === optionsKey && state.pending) {
      result = state.scanner.update(text, state.pending);
    } else {
      // The scanner keeps its options: its crashes land in the state, read after each check.
      const crashes: RuleCrash[] = [];
      state = { scanner: new IncrementalScanner(doc.uri.path, { ...options, onRuleError: (c) => crashes.push(c) }), optionsKey, version, length: text.length, crashes };
      this.scanners.set(key, state);
      result = state.scanner.full(text);
    }
    this.ruleErrors.report(key, relPath, version, state.crashes.splice(0));
    state.pending = undefined;
    state.version = version;
    state.length = text.length;
    const ms = performance.now() - started;
    state.slow = ms > SLOW_CHECK_MS;
    if (!state.slow) this.deferredShown.delete(key);
    const diagnostics: FindingDiagnostic[] = result.findings.map(toDiagnostic);
    this.collection.set(doc.uri, diagnostics);
    log().debug(`checked ${relPath} (${state.scanner.lastMode}): ${diagnostics.length} finding(s), ${result.suppressed.length} suppressed, ${ms.toFixed(1)} ms`);
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
    this.scanners.delete(key);
    this.deferredShown.delete(key);
    this.ruleErrors.forget(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
