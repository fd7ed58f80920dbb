import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { baselineMatcher, type Baseline } from '../core/baseline';
import type { Finding } from '../core/model';
import { createBytePrefilter } from '../core/prefilter';
import { createScanProfile, scanWithProfile, type ScanProfile, type ScanProfileSources } from '../core/profile';
import { RepoFileError } from './repoFile';
import { mergeRuleErrors, tallyingRuleErrors, type RuleErrorTally } from './ruleErrors';
import { readForScan, type ScanRead } from './scanRead';
import { walk } from './walk';

export interface ScanRequest {
  paths: string[];
  /** What the scan profile is built from (plain data: worker threads build their own from it). */
  profile: ScanProfileSources;
  baseline?: Baseline;
  /** Threads for large trees, this one included (default: defaultThreads; 1 = this thread only). */
  jobs?: number;
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
  /** Rules that crashed (their ENGINE-RULE-ERROR findings are in `files`), for one stderr line each. */
  ruleErrors: RuleErrorTally[];
}

interface FileToScan {
  abs: string;
  rel: string;
  /** Unknown until read for files the walk found (the read's fstat is the only stat). */
  size?: number;
}

function emptySummary(): ScanSummary {
  return { files: [], scannedFiles: 0, scannedBytes: 0, suppressed: 0, baselined: 0, skipped: [], errors: [], ruleErrors: [] };
}

/** Walk the given paths: the files to scan, and what was skipped or could not be read. */
function collectFiles(req: ScanRequest, profile: ScanProfile, summary: ScanSummary): FileToScan[] {
  const files: FileToScan[] = [];
  for (const root of req.paths) {
    if (!fs.existsSync(root)) {
      summary.errors.push({ path: root, message: 'no such file or directory' });
      continue;
    }
    const onError = (p: string, e: unknown) => summary.errors.push({ path: p, message: errorMessage(e) });
    for (const entry of walk(root, onError)) {
      const rel = entry.rel;
      if (!profile.shouldScan(rel)) continue;
      if (entry.size !== undefined && entry.size > profile.maxFileSizeBytes) {
        summary.skipped.push({ path: rel, reason: `over the size limit (${Math.round(entry.size / 1024)} KB > ${Math.round(profile.maxFileSizeBytes / 1024)} KB)` });
        continue;
      }
      files.push({ abs: entry.abs, rel, size: entry.size });
    }
  }
  return files;
}

/** Read and scan files into `summary` (used on the main thread, and by each worker). */
export function scanFiles(files: readonly FileToScan[], req: ScanRequest, profile: ScanProfile, summary: ScanSummary): void {
  fileScanner(req, profile)(files, summary);
}

/** Reads and scans files into a summary, batch after batch, with one prefilter and one baseline matcher. */
type FileScanner = (files: readonly FileToScan[], summary: ScanSummary) => void;

function fileScanner(req: ScanRequest, profile: ScanProfile): FileScanner {
  const inBaseline = req.baseline ? baselineMatcher(req.baseline) : undefined;
  const crashes: RuleErrorTally[] = [];
  const scanning = { ...profile, options: tallyingRuleErrors(profile.options, crashes) };
  const prefilter = createBytePrefilter(profile.options);
  return (files, summary) => {
    scanInto(files, summary);
    mergeRuleErrors(summary.ruleErrors, crashes);
    crashes.length = 0;
  };
  function scanInto(files: readonly FileToScan[], summary: ScanSummary): void {
    for (const entry of files) {
      const rel = entry.rel;
      let read: ScanRead;
      try {
        // The walk saw a regular file; reading through the checked descriptor keeps it one (no swap to a link or device).
        read = readForScan(entry.abs, rel, profile.maxFileSizeBytes, prefilter);
      } catch (e) {
        if (e instanceof RepoFileError && e.reason === 'too-large') summary.skipped.push({ path: rel, reason: `over the size limit (${e.size === undefined ? '' : `${Math.round(e.size / 1024)} KB `}> ${Math.round(profile.maxFileSizeBytes / 1024)} KB)` });
        else summary.errors.push({ path: rel, message: errorMessage(e) });
        continue;
      }
      if ('skipped' in read) {
        summary.skipped.push({ path: rel, reason: read.skipped });
        continue;
      }
      summary.scannedFiles++;
      summary.scannedBytes += read.bytes;
      // Nothing in it that a rule could report (the byte prefilter): no need to decode and parse it.
      if (read.text === undefined) continue;
      const text = read.text;
      const result = scanWithProfile(scanning, text, rel);
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
}

function sortFiles(summary: ScanSummary): ScanSummary {
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  summary.files.sort(byPath);
  // Skipped files come from the walk (size) and the read (binary), and from several workers.
  summary.skipped.sort(byPath);
  return summary;
}

/** Walk the given paths and scan every text file. Paths in results are relative to the path given. */
export function scanPaths(req: ScanRequest, profile = createScanProfile(req.profile)): ScanSummary {
  const summary = emptySummary();
  scanFiles(collectFiles(req, profile, summary), req, profile, summary);
  return sortFiles(summary);
}

/** Below this much text one thread is as fast (each worker loads the bundle; measured: 20 MiB no gain, 200 MiB 1.4x on 2 cores). */
const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Threads by measured benefit: on 2 shared cores, two threads (work queue, main thread scanning too) took the npm
 * tree (406 MiB) from 5.6–7.6 s to 5.3–5.8 s wall but from 7.3–9.4 s to 9.7–10.4 s CPU, and lost on real
 * repositories before; so they are used by default only from 4 cores on (at most 4); --jobs overrides.
 */
export function defaultThreads(cores: number): number {
  return cores >= 4 ? Math.min(4, cores) : 1;
}

/**
 * Like scanPaths, spreading large trees over threads (one per core, at most 4: this one and workers that run this
 * same bundle); results are merged and sorted, so the report does not depend on which thread read which file.
 */
export async function scanPathsParallel(req: ScanRequest, bundle: string, profile = createScanProfile(req.profile)): Promise<ScanSummary> {
  const summary = emptySummary();
  const files = collectFiles(req, profile, summary);
  const threads = req.jobs ?? defaultThreads(os.availableParallelism?.() ?? os.cpus().length);
  // Sizes are looked up only when threads are an option: one stat per file is a tenth of a scan's time.
  if (threads < 2 || !bundle.endsWith('.js') || (req.jobs === undefined && totalBytes(files) < PARALLEL_MIN_BYTES)) {
    scanFiles(files, req, profile, summary);
    return sortFiles(summary);
  }
  // A work queue: batches go to whichever thread is free, the main thread scanning too while the workers load
  // the bundle (a fixed split left threads idle behind one slow share).
  let next = 0;
  const take = (): FileToScan[] | undefined => (next < files.length ? files.slice(next, (next += SCAN_BATCH)) : undefined);
  const parts: ScanSummary[] = [];
  const workersDone = Array.from(
    { length: threads - 1 },
    () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(bundle, { workerData: { [SCAN_WORKER]: true, req } });
        let inFlight = 0;
        const feed = () => {
          const batch = take();
          if (batch) {
            inFlight++;
            worker.postMessage(batch);
          } else if (inFlight === 0) void worker.terminate().then(() => resolve());
        };
        worker.on('message', (part: ScanSummary) => {
          inFlight--;
          parts.push(part);
          feed();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (inFlight > 0 ? reject(new Error(`scan worker exited with code ${code}`)) : undefined));
        // Two batches ahead, so a worker is not idle while the main thread is busy with its own batch.
        feed();
        feed();
      }),
  );
  // A worker's failure is thrown by the Promise.all below, after this thread's batches: not an unhandled rejection meanwhile.
  for (const done of workersDone) done.catch(() => undefined);
  const walkErrors = summary.errors.length;
  const scanHere = fileScanner(req, profile);
  for (let batch = take(); batch; batch = take()) {
    scanHere(batch, summary);
    // Let the workers' results in, so they get their next batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workersDone);
  for (const part of parts) {
    summary.files.push(...part.files);
    summary.scannedFiles += part.scannedFiles;
    summary.scannedBytes += part.scannedBytes;
    summary.suppressed += part.suppressed;
    summary.baselined += part.baselined;
    summary.skipped.push(...part.skipped);
    summary.errors.push(...part.errors);
    mergeRuleErrors(summary.ruleErrors, part.ruleErrors);
  }
  // Read errors in walk order, as one thread reports them, whichever thread met them.
  if (summary.errors.length > walkErrors) {
    const order = new Map(files.map((f, i) => [f.rel, i]));
    const read = summary.errors.splice(walkErrors).sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
    summary.errors.push(...read);
  }
  return sortFiles(summary);
}

/** Files per batch of the work queue: small enough to balance the threads, large enough that messages cost little. */
const SCAN_BATCH = 128;

function totalBytes(files: readonly FileToScan[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += f.size ?? fs.statSync(f.abs).size;
    } catch {
      // Unreadable now: the read reports it.
    }
  }
  return n;
}

export const SCAN_WORKER = 'azureSecureDevScanWorker';

/** The worker side: scan each batch handed over and post its partial summary back. */
export function runScanWorkerIfAny(): boolean {
  if (isMainThread || !workerData || !(workerData as Record<string, unknown>)[SCAN_WORKER]) return false;
  const { req } = workerData as { req: ScanRequest };
  const profile = createScanProfile(req.profile);
  // One summary per batch, posted back as the batch is done; the main thread merges them.
  const scan = fileScanner(req, profile);
  parentPort!.on('message', (files: FileToScan[]) => {
    const part = emptySummary();
    scan(files, part);
    parentPort!.postMessage(part);
  });
  return true;
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
