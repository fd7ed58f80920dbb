// The workspace's declaration index (core/declarations) kept current in the editor: IaC files are read once,
// then only the files that change are read again (saved, created, deleted, or edited in an open editor) and parsed
// again (DeclarationCache); the index is rebuilt from the cached parses. Reading local files needs no Azure access, so this works untrusted too.
import * as vscode from 'vscode';
import { buildDeclarationIndex, DeclarationCache, type Declaration, type DeclarationIndex, type SourceRange } from '../../core/declarations';
import { log } from '../ui/log';
import { IAC_EXCLUDE, IAC_FILE_CAP, IAC_MAX_BYTES } from './links';

const IAC_GLOB = '**/*.{bicep,bicepparam,tf,tfvars,json}';
const IAC_EXTENSION = /\.(?:bicep|bicepparam|tf|tfvars|json)$/i;
/** Folders the index never reads (as IAC_EXCLUDE). */
const EXCLUDED = /\/(?:node_modules|\.git|\.terraform|bin|obj|dist|out)\//;
/** Edits in open editors settle for this long before the index is rebuilt. */
const REBUILD_DELAY_MS = 300;

export class WorkspaceDeclarations implements vscode.Disposable {
  private readonly texts = new Map<string, { uri: vscode.Uri; text: string }>();
  /** Parsed files by path: a rebuild parses only the files whose text changed. */
  private readonly cache = new DeclarationCache();
  private index?: DeclarationIndex;
  private loading?: Promise<void>;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after the index was rebuilt (a file changed). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(IAC_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.reread(uri)),
      watcher.onDidChange((uri) => void this.reread(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.tracks(e.document.uri) && e.contentChanges.length) this.update(e.document.uri, e.document.getText());
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.texts.clear();
        this.index = undefined;
        this.loading = undefined;
        this.emitter.fire();
      }),
      this.emitter,
    );
  }

  /** The index, reading the workspace the first time it is asked for. */
  async current(): Promise<DeclarationIndex> {
    if (this.index) return this.index;
    this.loading ??= this.loadAll();
    await this.loading;
    return this.index ?? buildDeclarationIndex([]);
  }

  /** The index if it is built already (tree rows ask without waiting; they refresh when it is). */
  peek(): DeclarationIndex | undefined {
    if (!this.index) void this.current().then(() => this.emitter.fire());
    return this.index;
  }

  /** Where a declaration lives in the workspace. */
  uriOf(declaration: Declaration): vscode.Uri | undefined {
    return this.texts.get(declaration.file)?.uri;
  }

  private pathOf(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1).split('\\').join('/');
  }

  private tracks(uri: vscode.Uri): boolean {
    return this.index !== undefined && IAC_EXTENSION.test(uri.path) && !EXCLUDED.test(uri.path) && !!vscode.workspace.getWorkspaceFolder(uri);
  }

  private async loadAll(): Promise<void> {
    const started = Date.now();
    const files = vscode.workspace.workspaceFolders?.length ? await vscode.workspace.findFiles('**/*.{bicep,bicepparam,tf,tfvars}', IAC_EXCLUDE, IAC_FILE_CAP) : [];
    if (files.length && files.length < IAC_FILE_CAP) files.push(...(await vscode.workspace.findFiles('**/*.json', IAC_EXCLUDE, IAC_FILE_CAP - files.length)));
    await Promise.all(files.map((uri) => this.read(uri)));
    this.rebuild();
    log().debug(`declaration index: ${this.index?.declarations.length ?? 0} declaration(s) in ${this.texts.size} file(s), ${Date.now() - started} ms`);
  }

  /** Reads one file (an open document's current text wins over the disk). */
  private async read(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      if (open) {
        this.texts.set(this.pathOf(uri), { uri, text: open.getText() });
        return;
      }
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > IAC_MAX_BYTES) return;
      this.texts.set(this.pathOf(uri), { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
    } catch {
      // Unreadable: it declares nothing.
      this.texts.delete(this.pathOf(uri));
    }
  }

  private async reread(uri: vscode.Uri): Promise<void> {
    if (!this.tracks(uri)) return;
    await this.read(uri);
    this.scheduleRebuild();
  }

  private update(uri: vscode.Uri, text: string): void {
    this.texts.set(this.pathOf(uri), { uri, text });
    this.scheduleRebuild();
  }

  private forget(uri: vscode.Uri): void {
    if (this.texts.delete(this.pathOf(uri))) this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.rebuild();
      this.emitter.fire();
    }, REBUILD_DELAY_MS);
  }

  private rebuild(): void {
    try {
      this.index = buildDeclarationIndex([...this.texts.entries()].map(([path, f]) => ({ path, text: f.text })), this.cache);
    } catch (e) {
      // The index is best effort: a builder bug must not take the posture view down.
      log().warn(`declaration index could not be built: ${e instanceof Error ? e.message : String(e)}`);
      this.index = buildDeclarationIndex([]);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.line, r.column, r.endLine, r.endColumn);
}

/** "main.bicep:12" for messages (1-based line, as editors show it). */
export function where(declaration: Declaration, range: SourceRange = declaration.anchor): string {
  return `${declaration.file}:${range.line + 1}`;
}
