import * as vscode from 'vscode';
import { scanText } from '../core/engine';
import { isIgnoredByDefault } from '../core/fileKind';
import { matchesAnyGlob } from '../core/glob';
import { isProbablyBinary } from '../core/binary';
import { toDiagnostic } from './diagnostics/convert';
import { log } from './ui/log';
import { readSettings } from './ui/settings';

const EXCLUDE_ALWAYS = '**/{node_modules,.git}/**';

/** "Scan workspace": every file under the workspace folders, cancellable, results in Problems. */
export function registerWorkspaceScan(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('azureSecureDev.workspace');
  const command = vscode.commands.registerCommand('azureSecureDev.scanWorkspace', () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Azure Secure Dev: scanning workspace', cancellable: true },
      async (progress, token) => {
        collection.clear();
        // files.exclude applies because no explicit exclude is null; node_modules and .git are skipped too.
        const uris = await vscode.workspace.findFiles('**/*', EXCLUDE_ALWAYS, undefined, token);
        const decoder = new TextDecoder('utf-8', { fatal: false });
        let files = 0, findings = 0, skipped = 0;
        for (const uri of uris) {
          if (token.isCancellationRequested) break;
          const settings = readSettings(uri);
          const rel = vscode.workspace.asRelativePath(uri, false);
          if (isIgnoredByDefault(rel) || matchesAnyGlob(rel, settings.ignorePaths)) continue;
          progress.report({ message: rel, increment: 100 / uris.length });
          let bytes: Uint8Array;
          try {
            bytes = await vscode.workspace.fs.readFile(uri);
          } catch (e) {
            log().warn(`could not read ${rel}: ${e instanceof Error ? e.message : String(e)}`);
            continue;
          }
          if (bytes.length > settings.maxFileSizeBytes || isProbablyBinary(bytes)) {
            skipped++;
            continue;
          }
          const text = decoder.decode(bytes);
          const result = scanText(text, uri.path, { levels: settings.levels });
          files++;
          if (!result.findings.length) continue;
          findings += result.findings.length;
          collection.set(uri, result.findings.map(toDiagnostic));
        }
        const summary = `Scanned ${files} file(s): ${findings} problem(s)${skipped ? `, ${skipped} skipped (binary or over the size limit)` : ''}${token.isCancellationRequested ? ' (cancelled)' : ''}.`;
        log().info(summary);
        void vscode.window.showInformationMessage(summary);
        return { files, findings, skipped };
      },
    ),
  );
  return vscode.Disposable.from(collection, command);
}
