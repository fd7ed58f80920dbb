import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, emptyConfig, parseConfig, type ProjectConfig } from '../core/config';
import { compileCustomPatterns, type CompiledCustomPatterns } from '../core/customPatterns';
import { log } from './ui/log';
import { SECTION } from './ui/settings';

/**
 * What a workspace may contribute beyond the built-in rules: the project config file and custom
 * patterns. Both come from the repository, so both are ignored in Restricted Mode.
 */
export class WorkspaceRules implements vscode.Disposable {
  private readonly configs = new Map<string, ProjectConfig>();
  private patterns?: CompiledCustomPatterns;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
    const reset = () => {
      this.configs.clear();
      this.emitter.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(reset),
      watcher.onDidCreate(reset),
      watcher.onDidDelete(reset),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.customPatterns`) || e.affectsConfiguration(`${SECTION}.configFile`)) {
          this.patterns = undefined;
          reset();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.patterns = undefined;
        reset();
      }),
    );
  }

  /** The project config of the document's folder; empty in Restricted Mode or when there is none. */
  async configFor(uri: vscode.Uri): Promise<ProjectConfig> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !vscode.workspace.isTrusted) return emptyConfig();
    const key = folder.uri.toString();
    const cached = this.configs.get(key);
    if (cached) return cached;
    const rel = vscode.workspace.getConfiguration(SECTION, folder.uri).get<string>('configFile', CONFIG_FILE_NAME) || CONFIG_FILE_NAME;
    // The config path must stay inside the folder.
    const target = vscode.Uri.joinPath(folder.uri, rel);
    let config = emptyConfig();
    if (!target.path.startsWith(folder.uri.path.replace(/\/?$/, '/'))) {
      log().warn(`azureSecureDev.configFile "${rel}" points outside the workspace folder; ignored`);
    } else {
      try {
        const bytes = await vscode.workspace.fs.readFile(target);
        config = parseConfig(new TextDecoder().decode(bytes), rel);
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError)) log().warn(e instanceof Error ? e.message : String(e));
      }
    }
    this.configs.set(key, config);
    return config;
  }

  /** Custom patterns from settings, compiled once; none in Restricted Mode. */
  customPatterns(): CompiledCustomPatterns {
    if (!vscode.workspace.isTrusted) return { rules: [], rejected: [] };
    if (!this.patterns) {
      const defs = vscode.workspace.getConfiguration(SECTION).get<unknown[]>('customPatterns', []) ?? [];
      this.patterns = compileCustomPatterns(Array.isArray(defs) ? defs : [], (id) => log().warn(`custom pattern ${id} went over its time budget and was stopped for this document`));
      for (const r of this.patterns.rejected) log().warn(`custom pattern ${r.id} is not used: ${r.reason}`);
    }
    return this.patterns;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
