import * as vscode from 'vscode';
import type { Level } from '../../core/model';

export const SECTION = 'azureSecureDev';

export interface EditorSettings {
  run: 'onType' | 'onSave';
  levels: Record<string, Level>;
  ignorePaths: string[];
  maxFileSizeBytes: number;
}

const LEVELS = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Settings for one document's folder. Values are validated: a bad entry is dropped, never trusted. */
export function readSettings(scope?: vscode.Uri): EditorSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const rawLevels = c.get<Record<string, unknown>>('rules', {});
  const levels: Record<string, Level> = {};
  for (const [id, level] of Object.entries(rawLevels ?? {})) {
    if (typeof level === 'string' && LEVELS.has(level)) levels[id] = level as Level;
  }
  const sizeKb = c.get<number>('maxFileSizeKB', 4096);
  return {
    run: c.get('run') === 'onSave' ? 'onSave' : 'onType',
    levels,
    ignorePaths: (c.get<unknown[]>('ignorePaths', []) ?? []).filter((p): p is string => typeof p === 'string'),
    maxFileSizeBytes: Math.max(1, Number.isFinite(sizeKb) ? sizeKb : 4096) * 1024,
  };
}
