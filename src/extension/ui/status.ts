import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../../core/config';
import type { DiagnosticsController } from '../diagnostics/controller';
import { SECTION, workspaceValuesNotUsed } from './settings';

/** What the language status item shows (the extension API hands a copy to tests). */
export interface StatusSnapshot {
  text: string;
  detail: string;
  severity: 'information' | 'warning';
}

/**
 * Language status: this file's finding count and how long the last check took, or why it was skipped; in
 * Restricted Mode also which of the folder's settings are not used.
 */
export function registerStatusItem(diagnostics: DiagnosticsController): vscode.Disposable & { snapshot(): StatusSnapshot } {
  const item = vscode.languages.createLanguageStatusItem('azureSecureDev.status', { pattern: '**' });
  item.name = 'Azure Secure Dev';
  item.command = { command: 'azureSecureDev.showLog', title: 'Show log' };
  /** Restricted Mode notices per folder, read once until a settings file, the config file or trust changes. */
  const notUsed = new Map<string, Promise<string[]>>();
  let generation = 0;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const report = editor && diagnostics.report(editor.document.uri);
    if (!report) {
      item.text = '$(shield) Azure Secure Dev';
      item.detail = 'Not checked';
      item.severity = vscode.LanguageStatusSeverity.Information;
    } else if (report.skipped) {
      item.text = '$(shield) Not checked';
      item.detail = report.skipped === 'size' ? 'File is over the size limit (azureSecureDev.maxFileSizeKB)' : 'File has extremely long lines (minified?)';
      item.severity = vscode.LanguageStatusSeverity.Warning;
    } else {
      item.text = report.findings ? `$(shield) ${report.findings} problem${report.findings === 1 ? '' : 's'}` : '$(shield) No problems';
      item.detail = `checked in ${report.ms.toFixed(1)} ms${report.suppressed ? `, ${report.suppressed} suppressed` : ''}`;
      item.severity = vscode.LanguageStatusSeverity.Information;
    }
    const folder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (!folder || vscode.workspace.isTrusted) return;
    const key = folder.uri.toString();
    let names = notUsed.get(key);
    if (!names) notUsed.set(key, (names = workspaceValuesNotUsed(folder)));
    const base = { detail: item.detail, gen: generation };
    void names.then((list) => {
      // Only if nothing was shown since (another file, a newer check).
      if (!list.length || base.gen !== generation || item.detail !== base.detail) return;
      item.detail = `${base.detail} · Restricted Mode: not using this folder's ${list.join(', ')}`;
      item.severity = vscode.LanguageStatusSeverity.Warning;
    });
  };
  const refresh = () => {
    generation++;
    update();
  };
  const reset = () => {
    notUsed.clear();
    refresh();
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/{.vscode/settings.json,${CONFIG_FILE_NAME}}`);
  const subs = [
    diagnostics.onDidCheck(refresh),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    watcher,
    watcher.onDidChange(reset),
    watcher.onDidCreate(reset),
    watcher.onDidDelete(reset),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SECTION) && reset()),
    vscode.workspace.onDidGrantWorkspaceTrust(reset),
  ];
  update();
  return Object.assign(vscode.Disposable.from(item, ...subs), {
    snapshot: (): StatusSnapshot => ({
      text: item.text,
      detail: item.detail ?? '',
      severity: item.severity === vscode.LanguageStatusSeverity.Warning ? 'warning' : 'information',
    }),
  });
}
