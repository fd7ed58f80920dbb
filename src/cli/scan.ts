import * as fs from 'node:fs';
import * as path from 'node:path';
import { baselineMatcher, type Baseline } from '../core/baseline';
import { scanText } from '../core/engine';
import { isIgnoredByDefault } from '../core/fileKind';
import { matchesAnyGlob } from '../core/glob';
import type { Finding, Level } from '../core/model';
import { decodeText } from './decode';
import { walk } from './walk';

export interface ScanRequest {
  paths: string[];
  levels: Record<string, Level>;
  ignorePaths: string[];
  maxFileSizeBytes: number;
  allowInlineSuppressions: boolean;
  baseline?: Baseline;
}

export interface FileResult {
  path: string;
  abs: string;
  text: string;
  findings: Finding[];
}

export interface ScanSummary {
  files: FileResult[];
  scannedFiles: number;
  scannedBytes: number;
  suppressed: number;
  baselined: number;
  skipped: { path: string; reason: string }[];
  errors: { path: string; message: string }[];
}

/** Walk the given paths and scan every text file. Paths in results are relative to the path given. */
export function scanPaths(req: ScanRequest): ScanSummary {
  const summary: ScanSummary = { files: [], scannedFiles: 0, scannedBytes: 0, suppressed: 0, baselined: 0, skipped: [], errors: [] };
  const inBaseline = req.baseline ? baselineMatcher(req.baseline) : undefined;
  for (const root of req.paths) {
    if (!fs.existsSync(root)) {
      summary.errors.push({ path: root, message: 'no such file or directory' });
      continue;
    }
    const onError = (p: string, e: unknown) => summary.errors.push({ path: p, message: errorMessage(e) });
    const single = fs.statSync(root).isFile();
    for (const entry of walk(root, onError)) {
      const rel = single ? entry.rel : entry.rel;
      if (isIgnoredByDefault(rel) || matchesAnyGlob(rel, req.ignorePaths)) continue;
      if (entry.size > req.maxFileSizeBytes) {
        summary.skipped.push({ path: rel, reason: `over the size limit (${Math.round(entry.size / 1024)} KB > ${Math.round(req.maxFileSizeBytes / 1024)} KB)` });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(entry.abs);
      } catch (e) {
        onError(rel, e);
        continue;
      }
      const text = decodeText(bytes);
      if (text === undefined) continue; // binary
      summary.scannedFiles++;
      summary.scannedBytes += bytes.length;
      const result = scanText(text, rel, { levels: req.levels, ignoreInlineSuppressions: !req.allowInlineSuppressions });
      summary.suppressed += result.suppressed.length;
      let findings = result.findings;
      if (inBaseline) {
        const before = findings.length;
        findings = findings.filter((f) => !inBaseline(rel, f));
        summary.baselined += before - findings.length;
      }
      if (findings.length) summary.files.push({ path: rel, abs: entry.abs, text, findings });
    }
  }
  summary.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return summary;
}

export function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'ENOENT') return 'no such file or directory';
  return err && err.message ? err.message : String(e);
}

export function displayRoot(p: string): string {
  return path.resolve(p);
}
