import * as vscode from 'vscode';
import { decodeBytes } from '../core/binary';
import { scanWithProfile } from '../core/profile';
import type { RuleMeta } from '../core/model';
import { allRules } from '../core/rules';
import { toSarif, type SarifFileResult } from '../core/sarif';
import { toDiagnostic } from './diagnostics/convert';
import type { WorkspaceRules } from './projectConfig';
import { log } from './ui/log';

const EXCLUDE_ALWAYS = '**/{node_modules,.git}/**';

interface WorkspaceScan {
  results: (SarifFileResult & { uri: vscode.Uri })[];
  files: number;
  skipped: number;
  cancelled: boolean;
  /** Built-in rules and the custom patterns' rules, for the SARIF rule list. */
  rules: Map<string, RuleMeta>;
}

/** Every file under the workspace folders (files.exclude and the project config honoured), cancellable. */
async function scanWorkspace(rules: WorkspaceRules, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<WorkspaceScan> {
  // No explicit exclude other than ours: VS Code then applies files.exclude.
  const uris = await vscode.workspace.findFiles('**/*', EXCLUDE_ALWAYS, undefined, token);
  const scan: WorkspaceScan = { results: [], files: 0, skipped: 0, cancelled: false, rules: new Map(allRules.map((r) => [r.id, r])) };
  for (const uri of uris) {
    if (token.isCancellationRequested) {
      scan.cancelled = true;
      break;
    }
    const profile = await rules.profileFor(uri);
    const rel = vscode.workspace.asRelativePath(uri, false);
    if (!profile.shouldScan(rel)) continue;
    for (const r of profile.options.extraRules ?? []) scan.rules.set(r.id, r);
    progress.report({ message: rel, increment: 100 / uris.length });
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (e) {
      log().warn(`could not read ${rel}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    // Decoded like the CLI does: UTF-16/32 with or without a BOM; binary and text with NUL bytes are skipped.
    const decoded = bytes.length > profile.maxFileSizeBytes ? undefined : decodeBytes(bytes);
    if (!decoded || 'skipped' in decoded) {
      scan.skipped++;
      continue;
    }
    const text = decoded.text;
    const result = scanWithProfile(profile, text, uri.path);
    scan.files++;
    if (result.findings.length) scan.results.push({ uri, path: rel, text, findings: result.findings });
  }
  return scan;
}

function summarize(scan: WorkspaceScan): string {
  const findings = scan.results.reduce((n, r) => n + r.findings.length, 0);
  return `Scanned ${scan.files} file(s): ${findings} problem(s) in ${scan.results.length} file(s)${scan.skipped ? `, ${scan.skipped} skipped (binary or over the size limit)` : ''}${scan.cancelled ? ' (cancelled)' : ''}.`;
}

/** "Scan workspace" (results in Problems) and "Export SARIF for the workspace". */
export function registerWorkspaceScan(rules: WorkspaceRules): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('azureSecureDev.workspace');
  const withProgress = <T>(title: string, work: (p: vscode.Progress<{ message?: string; increment?: number }>, t: vscode.CancellationToken) => Promise<T>) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, work);

  const scanCommand = vscode.commands.registerCommand('azureSecureDev.scanWorkspace', () =>
    withProgress('Azure Secure Dev: scanning workspace', async (progress, token) => {
      collection.clear();
      const scan = await scanWorkspace(rules, progress, token);
      for (const r of scan.results) {
        // Open documents are owned by the live diagnostics; the scan covers the rest.
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === r.uri.toString())) collection.set(r.uri, r.findings.map(toDiagnostic));
      }
      const summary = summarize(scan);
      log().info(summary);
      void vscode.window.showInformationMessage(summary);
      return { files: scan.files, findings: scan.results.reduce((n, r) => n + r.findings.length, 0), skipped: scan.skipped };
    }),
  );

  const sarifCommand = vscode.commands.registerCommand('azureSecureDev.exportSarif', async (target?: vscode.Uri) => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const uri = target instanceof vscode.Uri ? target : await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder.uri, 'azure-secure-dev.sarif'), filters: { SARIF: ['sarif', 'json'] } });
    if (!uri) return undefined;
    return withProgress('Azure Secure Dev: writing SARIF', async (progress, token) => {
      const scan = await scanWorkspace(rules, progress, token);
      if (scan.cancelled) return undefined;
      const sarif = toSarif(scan.results, [...scan.rules.values()], { version: String(vscode.extensions.getExtension('azure-secure-dev.azure-secure-dev')?.packageJSON.version ?? '0.0.0'), rootUri: folder.uri.toString() });
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(sarif, null, 2) + '\n'));
      const summary = `${summarize(scan)} SARIF written to ${vscode.workspace.asRelativePath(uri)}.`;
      log().info(summary);
      void vscode.window.showInformationMessage(summary);
      return uri;
    });
  });
  return vscode.Disposable.from(collection, scanCommand, sarifCommand);
}

