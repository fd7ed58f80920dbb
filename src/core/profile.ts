// One scan profile: which files are scanned and with which options, built once from the project config, the
// editor settings or CLI flags, and the custom patterns. The editor's live diagnostics, the workspace scan, the
// CLI and the Key Vault move all scan through it, so a finding one of them shows is a finding the others see.
import type { ProjectConfig } from './config';
import { compileCustomPatterns, type CompiledCustomPatterns } from './customPatterns';
import { scanParsed, type ScanOptions, type ScanResult } from './engine';
import { detectFileKind, isIgnoredByDefault } from './fileKind';
import { matchesAnyGlob } from './glob';
import type { FileKind, Level, ParsedDocument } from './model';
import { parseDocument } from './parsers';

export const DEFAULT_MAX_FILE_SIZE_BYTES = 4096 * 1024;

/** What the editor settings or the CLI flags add to the project config. */
export interface ScanOverrides {
  /** Rule levels that win over the project config's. */
  levels?: Readonly<Record<string, Level>>;
  /** Globs ignored on top of the project config's. */
  ignorePaths?: readonly string[];
  /** A size cap that replaces the project config's (the CLI's --max-file-size). */
  maxFileSizeBytes?: number;
  /** A size cap that can only lower the project config's (the editor setting, which always has a value). */
  maxFileSizeCapBytes?: number;
  /** Ignore inline suppression comments even where the project config allows them. */
  noInlineSuppressions?: boolean;
  /** Custom pattern definitions from the settings (the project config's come with it). */
  customPatterns?: readonly unknown[];
}

/** Plain data (a CLI worker thread gets it as is): the profile is built from it where it is used. */
export interface ScanProfileSources {
  /** The project config; empty where it does not count (no file, or an untrusted workspace in the editor). */
  project?: ProjectConfig;
  overrides?: ScanOverrides;
}

export interface ScanProfile {
  /** Is the file (a path relative to the scanned root or workspace folder, '/' separators) scanned at all? */
  shouldScan(relPath: string): boolean;
  /** Files larger than this (bytes on disk, characters in the editor) are skipped. */
  readonly maxFileSizeBytes: number;
  /** The options every scan under this profile uses (the file kind is decided per file). */
  readonly options: Readonly<ScanOptions>;
  /** Changes exactly when the options do (the editor's incremental scanners are reused while it holds). */
  readonly key: string;
  /** Custom patterns that were refused, with the reason (shown to the user, never run). */
  readonly rejectedPatterns: CompiledCustomPatterns['rejected'];
}

/** A scan that keeps the parsed document, so the Key Vault move plans from it instead of parsing again. */
export interface ScannedDocument extends ScanResult {
  doc: ParsedDocument;
}

export function createScanProfile(sources: ScanProfileSources, onPatternBudgetExceeded?: (id: string) => void): ScanProfile {
  const project = sources.project;
  const o = sources.overrides ?? {};
  const ignorePaths = [...(project?.ignorePaths ?? []), ...(o.ignorePaths ?? [])];
  const projectCap = project?.maxFileSizeKB === undefined ? undefined : project.maxFileSizeKB * 1024;
  const cap = Math.min(projectCap ?? Infinity, o.maxFileSizeCapBytes ?? Infinity);
  const maxFileSizeBytes = o.maxFileSizeBytes ?? (cap === Infinity ? DEFAULT_MAX_FILE_SIZE_BYTES : cap);
  const patternDefs = [...(o.customPatterns ?? []), ...(project?.customPatterns ?? [])];
  const custom = compileCustomPatterns(patternDefs, onPatternBudgetExceeded);
  const options: ScanOptions = {
    levels: { ...project?.rules, ...o.levels },
    extraCheckers: custom.checker ? [custom.checker] : [],
    extraRules: custom.rules,
    ignoreInlineSuppressions: project?.allowInlineSuppressions === false || o.noInlineSuppressions === true,
  };
  return {
    shouldScan: (relPath) => !isIgnoredByDefault(relPath) && !matchesAnyGlob(relPath, ignorePaths),
    maxFileSizeBytes,
    options,
    key: JSON.stringify([options.levels, patternDefs, options.ignoreInlineSuppressions]),
    rejectedPatterns: custom.rejected,
  };
}

/** Scan one document's text under a profile; the result keeps the parsed document. */
export function scanWithProfile(profile: ScanProfile, text: string, path: string, kind: FileKind = detectFileKind(path, text)): ScannedDocument {
  const doc = parseDocument(text, kind);
  return { ...scanParsed(doc, path, profile.options), doc };
}
