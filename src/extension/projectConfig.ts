import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, emptyConfig, parseConfig, type ProjectConfig } from '../core/config';
import { createScanProfile, type ScanProfile } from '../core/profile';
import { log } from './ui/log';
import { readSettings, SECTION } from './ui/settings';

/**
 * What a workspace may contribute beyond the built-in rules: the project config file and custom
 * patterns. Both come from the repository, so both are ignored in Restricted Mode. Everything that scans in the
 * editor (live diagnostics, the workspace scan, the Key Vault move) gets its scan profile from here.
 */
export class WorkspaceRules implements vscode.Disposable {
  private readonly configs = new Map<string, ProjectConfig>();
  /** Per workspace folder (or '' for files outside any folder): the profile, rebuilt after any change. */
  private readonly profiles = new Map<string, ScanProfile>();
  /** Counts resets, so a profile built across one is not kept. */
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
    const reset = (configs = true) => {
      if (configs) this.configs.clear();
      this.profiles.clear();
      this.generation++;
      this.emitter.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => reset()),
      watcher.onDidCreate(() => reset()),
      watcher.onDidDelete(() => reset()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Levels, ignore paths and the size cap are in the profile too; only these two change what is read.
        if (e.affectsConfiguration(SECTION)) reset(e.affectsConfiguration(`${SECTION}.configFile`));
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => reset()),
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

  /**
   * The scan profile of the document's folder: its project config, the settings, the custom patterns of both,
   * built once until something changes. In Restricted Mode neither the project config nor any custom pattern
   * counts, and readSettings() drops workspace values that lower detection.
   */
  async profileFor(uri: vscode.Uri): Promise<ScanProfile> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const key = folder?.uri.toString() ?? '';
    const cached = this.profiles.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const project = await this.configFor(uri);
    const settings = readSettings(folder?.uri ?? uri);
    const defs = vscode.workspace.isTrusted ? vscode.workspace.getConfiguration(SECTION).get<unknown[]>('customPatterns', []) : [];
    const profile = createScanProfile(
      {
        project,
        overrides: {
          levels: settings.levels,
          ignorePaths: settings.ignorePaths,
          maxFileSizeCapBytes: settings.maxFileSizeBytes,
          customPatterns: Array.isArray(defs) ? defs : [],
        },
      },
      (id) => log().warn(`custom pattern ${id} went over its time budget and was stopped for this document`),
    );
    for (const r of profile.rejectedPatterns) log().warn(`custom pattern ${r.id} is not used: ${r.reason}`);
    // A change during the read above may have made this profile stale: then it is used once and not kept.
    if (generation === this.generation) this.profiles.set(key, profile);
    return profile;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
