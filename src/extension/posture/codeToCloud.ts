// Code to cloud in the editor: from a live posture check to the IaC line that declares it ("Go to declaration"),
// the editor's own quick fix applied there ("Fix in source"), and drift between declared and deployed values
// shown as information diagnostics on the IaC lines of linked apps, with a Refresh action.
import * as vscode from 'vscode';
import type { Declaration, SourceRange } from '../../core/declarations';
import { docsUrl } from '../../core/rules';
import { DIAGNOSTIC_SOURCE, FindingDiagnostic } from '../diagnostics/convert';
import { log } from '../ui/log';
import { userInput } from '../ui/userInput';
import { driftText, type CheckSource } from './checkSource';
import { toRange, where, type WorkspaceDeclarations } from './declarations';
import { appName } from './links';
import { checkTitle } from './wording';

/** The source of the drift diagnostics (apart from the editor's findings, which "Fix in source" applies). */
export const DRIFT_SOURCE = 'Azure Secure Dev (drift)';
export const REFRESH_APP_COMMAND = 'azureSecureDev.posture.refreshApp';

/** How long "Fix in source" waits for the editor's diagnostics of a file it just opened. */
const DIAGNOSTICS_WAIT_MS = 8_000;

/** The range of a declaration where a check lands: its property when written, else the resource. */
function landing(source: CheckSource, declaration: Declaration): { range: SourceRange; propertySet: boolean } {
  const declared = source.property ? declaration.properties.get(source.property) : undefined;
  return declared ? { range: declared.range, propertySet: true } : { range: declaration.anchor, propertySet: false };
}

/** The declaration to use: the only one, or the user's pick when the workspace declares the app twice. */
async function pickDeclaration(source: CheckSource, appId: string): Promise<Declaration | undefined> {
  if (source.declarations.length === 1) return source.declarations[0];
  const items = source.declarations.map((d) => ({ label: where(d, landing(source, d).range), description: `${d.type}${d.condition ? ` · if ${d.condition}` : ''}`, declaration: d }));
  const pick = await userInput().showQuickPick(items, { title: `${appName(appId)} is declared ${items.length} times: which declaration?`, ignoreFocusOut: true });
  return pick?.declaration;
}

async function reveal(declarations: WorkspaceDeclarations, declaration: Declaration, range: SourceRange): Promise<vscode.TextEditor | undefined> {
  const uri = declarations.uriOf(declaration);
  if (!uri) {
    userInput().notify('warning', `Azure Secure Dev: ${declaration.file} is no longer in the workspace.`);
    return undefined;
  }
  const r = toRange(range);
  return vscode.window.showTextDocument(uri, { selection: new vscode.Range(r.start, r.start), preserveFocus: false });
}

/** Opens the file at the check's property (or at the resource, saying that the platform default applies). */
export async function goToDeclaration(declarations: WorkspaceDeclarations, appId: string, ruleId: string, source: CheckSource | undefined): Promise<vscode.Location | undefined> {
  if (!source) {
    userInput().notify('info', `Azure Secure Dev: no Bicep, ARM or Terraform file in this workspace declares ${appName(appId)}.`);
    return undefined;
  }
  const declaration = await pickDeclaration(source, appId);
  if (!declaration) return undefined;
  const { range, propertySet } = landing(source, declaration);
  const editor = await reveal(declarations, declaration, range);
  if (!editor) return undefined;
  if (!propertySet && source.property) {
    userInput().notify('info', `Azure Secure Dev: ${where(declaration)} does not set ${source.property} for ${appName(appId)}, so the platform default applies.`);
  }
  log().info(`go to declaration: ${ruleId} of ${appName(appId)} at ${where(declaration, range)}`);
  return new vscode.Location(editor.document.uri, toRange(range));
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c ? String(c.value) : c === undefined ? undefined : String(c);
}

/** The editor's diagnostics of `ruleId` inside the declaration, once the diagnostics controller has run on the file. */
async function findingsIn(uri: vscode.Uri, ruleId: string, block: vscode.Range): Promise<vscode.Diagnostic[]> {
  const pick = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === ruleId && !!d.range.intersection(block));
  const now = pick();
  if (now.length) return now;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve(pick());
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && pick().length) done();
    });
    const timer = setTimeout(done, DIAGNOSTICS_WAIT_MS);
  });
}

/**
 * Applies the quick fix the editor offers for this rule on the declaration's line: the same code action (asked from
 * the registered providers), never a second copy of the fix logic. Returns whether something was applied.
 */
export async function fixInSource(declarations: WorkspaceDeclarations, appId: string, ruleId: string, source: CheckSource | undefined): Promise<boolean> {
  if (!source) {
    userInput().notify('info', `Azure Secure Dev: no Bicep, ARM or Terraform file in this workspace declares ${appName(appId)}.`);
    return false;
  }
  const declaration = await pickDeclaration(source, appId);
  if (!declaration) return false;
  const { range } = landing(source, declaration);
  const editor = await reveal(declarations, declaration, range);
  if (!editor) return false;
  const uri = editor.document.uri;
  const findings = await findingsIn(uri, ruleId, toRange(declaration.range));
  if (!findings.length) {
    const drifted = source.drift?.state === 'drift' ? ` The deployed app differs from it (${driftText(source.drift)}): redeploy, or use Fix… to change the app.` : '';
    userInput().notify('info', `Azure Secure Dev: the editor reports no ${ruleId} problem in ${where(declaration)}.${drifted}`);
    return false;
  }
  // The finding on the property's line first, else the first in the resource.
  const target = toRange(range);
  const finding = findings.find((d) => d.range.intersection(target) || d.range.start.line === target.start.line) ?? findings[0];
  const expected = finding instanceof FindingDiagnostic ? finding.finding.fix?.title : undefined;
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, finding.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  const candidates = actions.filter((a): a is vscode.CodeAction => 'isPreferred' in a || 'edit' in a).filter((a) => a.isPreferred && !/^(Fix all|Suppress|Show documentation)\b/.test(a.title));
  const action = candidates.find((a) => a.title === expected) ?? candidates[0];
  if (!action) {
    userInput().notify('info', `Azure Secure Dev: the editor has no automatic fix for ${ruleId} in ${where(declaration, range)}; the line is open for you to change.`);
    return false;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    userInput().notify('error', `Azure Secure Dev: the fix could not be applied to ${declaration.file}.`);
    return false;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  log().info(`fix in source: ${ruleId} of ${appName(appId)} in ${where(declaration, range)} (${action.title})`);
  return true;
}

/** One report the drift diagnostics look at. */
export interface DriftInput {
  appId: string;
  source: (ruleId: string) => CheckSource | undefined;
  ruleIds: readonly string[];
}

/**
 * Drift as information diagnostics on the IaC line that declares the property (or the resource when the template
 * leaves it out), for every linked app or slot whose report is in. Values are display strings, never secrets.
 */
export class DriftDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  readonly collection = vscode.languages.createDiagnosticCollection('azureSecureDev.drift');
  private readonly apps = new WeakMap<vscode.Diagnostic, string>();

  constructor(private readonly declarations: WorkspaceDeclarations) {}

  update(inputs: readonly DriftInput[]): void {
    // One diagnostic per app and drifted property: several checks read app settings or the identity, and the
    // same difference is said once, naming the checks.
    const groups = new Map<string, { uri: vscode.Uri; appId: string; source: CheckSource; ruleIds: string[] }>();
    for (const input of inputs) {
      for (const ruleId of input.ruleIds) {
        const source = input.source(ruleId);
        if (!source || source.drift?.state !== 'drift') continue;
        const uri = this.declarations.uriOf(source.declarations[0]);
        if (!uri) continue;
        const key = `${input.appId.toLowerCase()}\u0000${source.drift.property ?? ruleId}`;
        const group = groups.get(key);
        if (group) group.ruleIds.push(ruleId);
        else groups.set(key, { uri, appId: input.appId, source, ruleIds: [ruleId] });
      }
    }
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const { uri, appId, source, ruleIds } of groups.values()) {
      const checks = ruleIds.map((id) => checkTitle({ ruleId: id, title: id })).join(', ');
      const message = `Drift on ${appName(appId)}: ${checks}, ${driftText(source.drift!)}. Redeploy the template, or refresh the posture to check again.`;
      const d = new vscode.Diagnostic(toRange(source.range), message, vscode.DiagnosticSeverity.Information);
      d.source = DRIFT_SOURCE;
      d.code = { value: ruleIds[0], target: vscode.Uri.parse(docsUrl(ruleIds[0])) };
      this.apps.set(d, appId);
      const entry = byUri.get(uri.toString()) ?? byUri.set(uri.toString(), { uri, diagnostics: [] }).get(uri.toString())!;
      entry.diagnostics.push(d);
    }
    this.collection.clear();
    for (const { uri, diagnostics } of byUri.values()) this.collection.set(uri, diagnostics);
  }

  /** "Refresh posture of <app>" on a drift diagnostic. */
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const mine = this.collection.get(doc.uri) ?? [];
    for (const d of context.diagnostics) {
      if (d.source !== DRIFT_SOURCE) continue;
      const own = mine.find((m) => m.range.isEqual(d.range) && m.message === d.message);
      const appId = own && this.apps.get(own);
      if (!appId || out.some((a) => a.command?.arguments?.[0] === appId)) continue;
      const a = new vscode.CodeAction(`Refresh posture of ${appName(appId)}`, vscode.CodeActionKind.QuickFix);
      a.command = { command: REFRESH_APP_COMMAND, title: a.title, arguments: [appId] };
      a.diagnostics = [d];
      out.push(a);
    }
    return out;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
