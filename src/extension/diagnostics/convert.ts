import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/model';
import { docsUrl } from '../../core/rules';

export const DIAGNOSTIC_SOURCE = 'Azure Secure Dev';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A diagnostic that remembers its finding, so code actions can use the fix and the key path. */
export class FindingDiagnostic extends vscode.Diagnostic {
  constructor(readonly finding: Finding, range: vscode.Range) {
    super(range, finding.message, SEVERITY[finding.severity]);
    this.source = DIAGNOSTIC_SOURCE;
    this.code = { value: finding.ruleId, target: vscode.Uri.parse(docsUrl(finding.ruleId)) };
  }
}

export function toDiagnostic(finding: Finding): FindingDiagnostic {
  return new FindingDiagnostic(finding, new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn));
}
