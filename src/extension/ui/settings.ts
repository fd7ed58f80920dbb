import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../../core/config';
import type { Level } from '../../core/model';
import { getRule } from '../../core/rules';

import { RESTRICTED_SETTINGS, SECTION } from './restrictedSettings';

export { RESTRICTED_SETTINGS, SECTION };

export interface EditorSettings {
  run: 'onType' | 'onSave';
  levels: Record<string, Level>;
  ignorePaths: string[];
  maxFileSizeBytes: number;
  /** Restricted Mode: the workspace settings (full names) whose values were not used because they lower detection. */
  ignoredWorkspaceSettings: string[];
}

const DEFAULT_MAX_KB = 4096;
/** How much a level shows: a workspace may only raise it in Restricted Mode. */
const RANK: Record<Level, number> = { off: 0, hint: 1, info: 2, warning: 3, error: 4 };

function validLevels(raw: unknown): Record<string, Level> {
  const levels: Record<string, Level> = {};
  if (!raw || typeof raw !== 'object') return levels;
  for (const [id, level] of Object.entries(raw)) if (typeof level === 'string' && Object.hasOwn(RANK, level)) levels[id] = level as Level;
  return levels;
}

const strings = (raw: unknown): string[] => (Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string') : []);
const sizeBytes = (kb: unknown): number => Math.max(1, typeof kb === 'number' && Number.isFinite(kb) ? kb : DEFAULT_MAX_KB) * 1024;

/** Settings for one document's folder. Values are validated: a bad entry is dropped, never trusted. */
export function readSettings(scope?: vscode.Uri): EditorSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const run = c.get('run') === 'onSave' ? 'onSave' : 'onType';
  if (vscode.workspace.isTrusted) {
    return { run, levels: validLevels(c.get('rules', {})), ignorePaths: strings(c.get('ignorePaths', [])), maxFileSizeBytes: sizeBytes(c.get('maxFileSizeKB', DEFAULT_MAX_KB)), ignoredWorkspaceSettings: [] };
  }
  // Restricted Mode: the user's (or the default) values; a workspace value counts only where it raises a rule's level.
  const layers = <T>(key: string) => {
    const i = c.inspect<T>(key);
    return { user: i?.globalValue ?? i?.defaultValue, workspace: i?.workspaceFolderValue ?? i?.workspaceValue };
  };
  const ignored: string[] = [];
  const rules = layers<unknown>('rules');
  const levels = validLevels(rules.user);
  for (const [id, level] of Object.entries(validLevels(rules.workspace))) {
    const rule = getRule(id);
    const base = (Object.hasOwn(levels, id) ? levels[id] : undefined) ?? (rule ? (rule.defaultOff ? 'off' : rule.severity) : undefined);
    if (base !== undefined && RANK[level] > RANK[base]) levels[id] = level;
    else if (level !== base && !ignored.includes(`${SECTION}.rules`)) ignored.push(`${SECTION}.rules`);
  }
  const ignorePaths = layers<unknown>('ignorePaths');
  if (strings(ignorePaths.workspace).length) ignored.push(`${SECTION}.ignorePaths`);
  const maxKb = layers<unknown>('maxFileSizeKB');
  const maxFileSizeBytes = sizeBytes(maxKb.user);
  if (maxKb.workspace !== undefined && sizeBytes(maxKb.workspace) !== maxFileSizeBytes) ignored.push(`${SECTION}.maxFileSizeKB`);
  return { run, levels, ignorePaths: strings(ignorePaths.user), maxFileSizeBytes, ignoredWorkspaceSettings: ignored };
}

/** Whether a settings object (a settings.json, or a .code-workspace file's `settings`) sets `name`, flat or nested. */
function setsKey(settings: unknown, name: string): boolean {
  if (!settings || typeof settings !== 'object') return false;
  const o = settings as Record<string, unknown>;
  if (o[name] !== undefined) return true;
  const dot = name.indexOf('.');
  return dot > 0 && setsKey(o[name.slice(0, dot)], name.slice(dot + 1));
}

async function readJsonc(uri: vscode.Uri): Promise<unknown> {
  try {
    return parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], { allowTrailingComma: true });
  } catch {
    return undefined;
  }
}

/**
 * Restricted Mode: what the folder would set but is not used, for the language status item. VS Code hides the
 * workspace values of restricted settings from extensions, so the folder's settings files are read (only to
 * name the settings; their values are never used), plus the project config file, which is ignored here too.
 */
export async function workspaceValuesNotUsed(folder: vscode.WorkspaceFolder): Promise<string[]> {
  if (vscode.workspace.isTrusted) return [];
  const sources: unknown[] = [await readJsonc(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'))];
  const wsFile = vscode.workspace.workspaceFile;
  if (wsFile && wsFile.scheme !== 'untitled') sources.push(((await readJsonc(wsFile)) as { settings?: unknown } | undefined)?.settings);
  const names = RESTRICTED_SETTINGS.filter((name) => sources.some((s) => setsKey(s, name)));
  for (const name of readSettings(folder.uri).ignoredWorkspaceSettings) if (!names.includes(name)) names.push(name);
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME));
    names.push(CONFIG_FILE_NAME);
  } catch {
    // No project config file.
  }
  return names;
}
