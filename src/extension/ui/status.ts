import * as vscode from 'vscode';
import type { DiagnosticsController } from '../diagnostics/controller';

/** Language status: this file's finding count and how long the last check took, or why it was skipped. */
export function registerStatusItem(diagnostics: DiagnosticsController): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('azureSecureDev.status', { pattern: '**' });
  item.name = 'Azure Secure Dev';
  item.command = { command: 'azureSecureDev.showLog', title: 'Show log' };
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const report = editor && diagnostics.report(editor.document.uri);
    if (!report) {
      item.text = '$(shield) Azure Secure Dev';
      item.detail = 'Not checked';
      item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    if (report.skipped) {
      item.text = '$(shield) Not checked';
      item.detail = report.skipped === 'size' ? 'File is over the size limit (azureSecureDev.maxFileSizeKB)' : 'File has extremely long lines (minified?)';
      item.severity = vscode.LanguageStatusSeverity.Warning;
      return;
    }
    item.text = report.findings ? `$(shield) ${report.findings} problem${report.findings === 1 ? '' : 's'}` : '$(shield) No problems';
    item.detail = `checked in ${report.ms.toFixed(1)} ms${report.suppressed ? `, ${report.suppressed} suppressed` : ''}`;
    item.severity = vscode.LanguageStatusSeverity.Information;
  };
  const subs = [diagnostics.onDidCheck(update), vscode.window.onDidChangeActiveTextEditor(update)];
  update();
  return vscode.Disposable.from(item, ...subs);
}
