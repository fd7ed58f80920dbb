import { finalize, runCheckers, type FingerprintedFinding, type ScanOptions, type ScanResult } from './engine';
import { detectFileKind } from './fileKind';
import { formatOf } from './formats';
import type { FileKind, ParsedDocument } from './model';
import { parseDocument } from './parsers';
import { readsAcrossLines } from './rules/configSources';
import { dependsOnWholeDocument, hasContextAnchor } from './rules/secrets/azureServiceKeys';
import { SUPPRESS_MARKER } from './suppress';
import { LineIndex } from './text';

/** Multi-line constructs (PEM blocks) make a line window unsafe: fall back to a full check near them. */
const MULTILINE_MARKER = '-----';

interface TopResource {
  index: number;
  start: number;
  end: number;
}

/** What changed since the last check: the lengths of the text before and after the edit that did not change. */
export interface Edit {
  unchangedPrefix: number;
  unchangedSuffix: number;
}

/**
 * Keeps the last result of one document and, on an edit, re-checks only what the edit can affect:
 * the changed lines for line-based files, the enclosing top-level resource for ARM templates. Anything
 * else, and anything unusual, falls back to a full check, so the result is never worse than a full one
 * except while an edit leaves a structure half-typed (a full check runs on save).
 */
export class IncrementalScanner {
  private text = '';
  private raw: FingerprintedFinding[] = [];
  private kind: FileKind = 'code';
  private topResources: TopResource[] = [];
  private parseErrors: ParsedDocument['errors'] = [];
  private lines = new LineIndex('');
  /** Whether the text holds a suppression comment marker (kept up to date without rescanning the text). */
  private hasMarker = false;
  /** Whether the text holds a key judged by the whole document (azureServiceKeys.ts); computed when first asked. */
  private anchor: boolean | undefined;
  private readonly hasAnchor = () => (this.anchor ??= hasContextAnchor(this.text));
  /** How the last update was done, for the status item and the benchmark. */
  lastMode: 'full' | 'lines' | 'resource' = 'full';

  constructor(
    private readonly path: string,
    private readonly options: ScanOptions = {},
  ) {}

  full(text: string): ScanResult {
    this.kind = this.options.kind ?? detectFileKind(this.path, text);
    const doc = parseDocument(text, this.kind);
    this.text = text;
    this.raw = runCheckers(doc, this.path, this.options);
    this.anchor = undefined;
    this.parseErrors = doc.errors;
    this.topResources = formatOf(this.kind).recheck.by === 'resource' ? topLevelResources(doc) : [];
    this.lines = new LineIndex(text);
    this.hasMarker = text.includes(SUPPRESS_MARKER);
    this.lastMode = 'full';
    return this.result();
  }

  update(text: string, edit: Edit): ScanResult {
    const old = this.text;
    const prefix = Math.max(0, Math.min(edit.unchangedPrefix, old.length, text.length));
    const suffix = Math.max(0, Math.min(edit.unchangedSuffix, old.length - prefix, text.length - prefix));
    const delta = text.length - old.length;
    const dirtyOldEnd = old.length - suffix;
    const dirtyNewEnd = text.length - suffix;

    let window: { start: number; end: number; doc: ParsedDocument; resource?: TopResource } | undefined;
    // The format says what an edit can affect: the lines it touched (findings never span lines there), or the
    // top-level resource that holds it.
    const recheck = formatOf(this.kind).recheck;
    if (recheck.by === 'lines' && !readsAcrossLines(this.path, text) && !readsAcrossLines(this.path, old)) {
      const start = lineStartBefore(text, prefix, 1);
      const end = lineEndAfter(text, dirtyNewEnd, 1);
      const slice = text.slice(start, end);
      const oldSlice = old.slice(start, end - delta);
      const safe = !slice.includes(MULTILINE_MARKER) && !oldSlice.includes(MULTILINE_MARKER);
      if (safe && !dependsOnWholeDocument(slice, this.hasAnchor) && !dependsOnWholeDocument(oldSlice, this.hasAnchor)) {
        window = { start, end, doc: parseDocument(slice, this.kind) };
        this.lastMode = 'lines';
      }
    } else if (recheck.by === 'resource') {
      const r = this.topResources.find((t) => t.start < prefix && t.end > dirtyOldEnd);
      const slice = r ? text.slice(r.start, r.end + delta) : '';
      if (r && !dependsOnWholeDocument(slice, this.hasAnchor) && !dependsOnWholeDocument(old.slice(r.start, r.end), this.hasAnchor)) {
        const end = r.end + delta;
        window = { start: r.start, end, doc: recheck.parseResource(slice, this.kind, r.index), resource: r };
        this.lastMode = 'resource';
      }
    }
    if (!window) return this.full(text);

    const { start, end } = window;
    const oldEnd = end - delta;
    const kept: FingerprintedFinding[] = [];
    for (const f of this.raw) {
      if (f.end <= start) kept.push(f);
      else if (f.start >= oldEnd) kept.push(shift(f, delta));
    }
    for (const f of runCheckers(window.doc, this.path, this.options)) kept.push(shift(f, start));
    if (window.resource) {
      for (const t of this.topResources) {
        if (t.start < oldEnd) continue;
        t.start += delta;
        t.end += delta;
      }
      window.resource.end = end;
    }
    this.lines = this.lines.edited(text, prefix, suffix);
    // The marker can only have appeared inside the changed region (or across its edges).
    if (!this.hasMarker) {
      const m = SUPPRESS_MARKER.length;
      this.hasMarker = text.slice(Math.max(0, prefix - m), Math.min(text.length, dirtyNewEnd + m)).includes(SUPPRESS_MARKER);
    } else {
      this.hasMarker = text.includes(SUPPRESS_MARKER);
    }
    this.text = text;
    this.raw = kept;
    return this.result();
  }

  private result(): ScanResult {
    return { kind: this.kind, ...finalize(this.raw, this.text, this.options, { lines: this.lines, noSuppressions: !this.hasMarker }), parseErrors: this.parseErrors };
  }
}

function shift(f: FingerprintedFinding, by: number): FingerprintedFinding {
  if (by === 0) return f;
  return { ...f, start: f.start + by, end: f.end + by, ...(f.fix ? { fix: { ...f.fix, start: f.fix.start + by, end: f.fix.end + by } } : {}) };
}

/** Start of the line `extra` lines above the one holding `offset`. */
function lineStartBefore(text: string, offset: number, extra: number): number {
  let i = text.lastIndexOf('\n', offset - 1);
  for (let k = 0; k < extra && i > 0; k++) i = text.lastIndexOf('\n', i - 1);
  return i < 0 ? 0 : i + 1;
}

/** End (before the line break) of the line `extra` lines below the one holding `offset`. */
function lineEndAfter(text: string, offset: number, extra: number): number {
  let i = text.indexOf('\n', offset);
  for (let k = 0; k < extra && i !== -1; k++) i = text.indexOf('\n', i + 1);
  return i === -1 ? text.length : i;
}

/** The elements of the root `resources` array, with their index and range. */
function topLevelResources(doc: ParsedDocument): TopResource[] {
  const out: TopResource[] = [];
  for (const r of doc.resources) {
    if (r.parent !== undefined) continue;
    const index = r.path?.length === 2 && r.path[0] === 'resources' ? Number(r.path[1]) : NaN;
    if (Number.isInteger(index)) out.push({ index, start: r.start, end: r.end });
  }
  return out;
}
