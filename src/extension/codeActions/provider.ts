import * as vscode from 'vscode';
import type { Finding } from '../../core/model';
import { getRule } from '../../core/rules';
import { suppressionComment } from '../../core/suppressionEdit';
import { DIAGNOSTIC_SOURCE, FindingDiagnostic } from '../diagnostics/convert';
import type { DiagnosticsController } from '../diagnostics/controller';
import { moveTargetOf } from '../keyVault/moveTarget';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('azureSecureDev');

/**
 * Quick fixes in the order users expect: the fix, fix all of this rule in the file, suppress for the
 * line, suppress for the file, show docs. Exactly one preferred action per diagnostic. Moving a
 * secret to Key Vault plugs in as the first (preferred) action for secrets once it exists.
 */
export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  /** `keyVault`: offer "Move secret to Azure Key Vault…" (Node host only; the web host writes nothing to Azure). */
  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly keyVault = false,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const only = context.only;
    if (only && FIX_ALL_KIND.contains(only)) return this.fixAll(doc);
    if (only && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) return [];
    const ours = this.findingsFor(doc, context.diagnostics).filter(({ diagnostic }) => diagnostic.range.intersection(range));
    const actions: vscode.CodeAction[] = [];
    for (const { diagnostic, finding } of ours) {
      const meta = getRule(finding.ruleId);
      const title = meta?.title ?? finding.ruleId;
      if (this.keyVault && finding.tag === 'secret') {
        const move = new vscode.CodeAction('Move secret to Azure Key Vault…', vscode.CodeActionKind.QuickFix);
        move.command = { command: 'azureSecureDev.moveSecretToKeyVault', title: move.title, arguments: [doc.uri, moveTargetOf(finding)] };
        move.diagnostics = [diagnostic];
        // Safe as the preferred fix: it asks for the vault and the name before anything is written.
        move.isPreferred = true;
        actions.push(move);
      }
      if (finding.fix) {
        const a = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        a.edit.replace(doc.uri, rangeOf(doc, finding.fix), finding.fix.replacement);
        a.diagnostics = [diagnostic];
        a.isPreferred = true;
        actions.push(a);
        const sameRule = this.allFindings(doc).filter((f) => f.ruleId === finding.ruleId && f.fix);
        if (sameRule.length > 1) {
          const all = new vscode.CodeAction(`Fix all '${finding.ruleId}' problems in this file`, vscode.CodeActionKind.QuickFix);
          all.edit = new vscode.WorkspaceEdit();
          for (const f of sameRule) all.edit.replace(doc.uri, rangeOf(doc, f.fix!), f.fix!.replacement);
          all.diagnostics = [diagnostic];
          actions.push(all);
        }
      }
      for (const scope of ['line', 'file'] as const) {
        const edit = suppressionComment(doc.getText(), doc.uri.path, finding.ruleId, scope, finding.line);
        const a = new vscode.CodeAction(`Suppress '${finding.ruleId}' for this ${scope}`, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        a.edit.insert(doc.uri, doc.positionAt(edit.offset), edit.text);
        a.diagnostics = [diagnostic];
        actions.push(a);
      }
      const docs = new vscode.CodeAction(`Show documentation for '${finding.ruleId}' (${title})`, vscode.CodeActionKind.QuickFix);
      docs.command = { command: 'azureSecureDev.showRuleDocs', title: 'Show documentation', arguments: [finding.ruleId] };
      docs.diagnostics = [diagnostic];
      actions.push(docs);
    }
    return actions;
  }

  /** source.fixAll.azureSecureDev: every deterministic local fix at once; never the network. */
  private fixAll(doc: vscode.TextDocument): vscode.CodeAction[] {
    const fixes = this.allFindings(doc).filter((f) => f.fix);
    if (!fixes.length) return [];
    const a = new vscode.CodeAction('Fix all Azure Secure Dev problems', FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    for (const f of fixes) a.edit.replace(doc.uri, rangeOf(doc, f.fix!), f.fix!.replacement);
    return [a];
  }

  private allFindings(doc: vscode.TextDocument): Finding[] {
    return (this.diagnostics.collection.get(doc.uri) ?? []).filter((d): d is FindingDiagnostic => d instanceof FindingDiagnostic).map((d) => d.finding);
  }

  private findingsFor(doc: vscode.TextDocument, diags: readonly vscode.Diagnostic[]): { diagnostic: vscode.Diagnostic; finding: Finding }[] {
    const mine = this.diagnostics.collection.get(doc.uri) ?? [];
    const out: { diagnostic: vscode.Diagnostic; finding: Finding }[] = [];
    for (const d of diags) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const match = mine.find((m) => m instanceof FindingDiagnostic && m.range.isEqual(d.range) && m.message === d.message) as FindingDiagnostic | undefined;
      if (match) out.push({ diagnostic: d, finding: match.finding });
    }
    return out;
  }
}

function rangeOf(doc: vscode.TextDocument, r: { start: number; end: number }): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
}
