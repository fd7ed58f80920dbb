// Helpers for integration tests. They run in BOTH extension hosts (Node and web worker):
// use the `vscode` API and plain JavaScript only, never Node built-ins.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'azure-secure-dev.azure-secure-dev';
export const DIAGNOSTIC_SOURCE = 'Azure Secure Dev';

/** Which extension host the runner was built for (the tests check that it really is that host). */
export const expectedHost: 'node' | 'web' = __ITEST_HOST__;

/** True when the code runs with Node APIs (Node extension host); false in the web-worker host. */
export function hasNodeRuntime(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** `it` for Node-host-only tests: skipped (reported as pending) in the web-worker host. */
export const itNode: Mocha.TestFunction | Mocha.PendingTestFunction = expectedHost === 'node' ? it : it.skip;

/** Records a figure measured inside the host; the driver collects it into test-results/metrics.json. */
export function reportMetric(name: string, value: number): void {
  const g = globalThis as { __itestMetrics?: Record<string, number> };
  (g.__itestMetrics ??= {})[name] = value;
  console.log(`[itest] metric ${JSON.stringify({ name, value })}`);
}

export async function activateExtension(): Promise<vscode.Extension<{ activationMs?: number; platform?: string } | undefined>> {
  const ext = vscode.extensions.getExtension<{ activationMs?: number; platform?: string } | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** The workspace folder the runner opened (a temp copy of samples/). */
export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open');
  return f.uri;
}

/** Writes a file into a fresh scratch folder of the workspace and returns its URI. */
export async function writeScratchFile(name: string, content: string): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'itest-scratch', `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  const uri = vscode.Uri.joinPath(dir, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}

/**
 * Resolves with the diagnostics of `uri` once `predicate` holds. Event-driven: checks now, then on
 * every vscode.languages.onDidChangeDiagnostics for that URI; rejects after `timeoutMs`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (d: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 10_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const finish = (err?: Error) => {
      clearTimeout(timer);
      sub.dispose();
      if (err) reject(err);
      else resolve(vscode.languages.getDiagnostics(uri));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key) && predicate(vscode.languages.getDiagnostics(uri))) finish();
    });
    const timer = setTimeout(() => {
      const got = vscode.languages.getDiagnostics(uri).map((d) => `${d.source}: ${d.message}`);
      finish(new Error(`timed out after ${timeoutMs} ms waiting for diagnostics on ${uri.path}; have ${JSON.stringify(got)}`));
    }, timeoutMs);
    if (predicate(vscode.languages.getDiagnostics(uri))) finish();
  });
}

/** A high-entropy value assembled at run time, so no whole fake key is ever committed. */
export function fakeSecret(): string {
  const parts = ['q7Zr', 'W2xP', '9kLm', 'V4tB', 'e8Nc', 'J3sH', 'u6Yd', 'R1fG'];
  return parts.join('') + Math.random().toString(36).slice(2, 8).toUpperCase();
}
