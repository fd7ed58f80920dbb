// Secret detection: one checker for every SECRET-* rule, one pass per document.
//
// Each rule is one module (identifiableKey.ts, connectionString.ts, ...) holding its metadata, priority,
// detectors with their prefilter anchors, and its examples; this registry derives the rest from them.
//
// 1. A single linear-time prefilter of literal anchors finds candidate lines (or windows of very long lines),
//    and which detectors' anchors each one holds.
// 2. A line detector runs only on the candidate lines that hold one of ITS anchors; offsets are exact.
// 3. Parsed entries (key names + value ranges) add structure: setting names for key-shaped values,
//    name/value pairs, JSON-escaped values, and the setting name/path reported with a finding.
// 4. Overlapping hits are resolved in favour of the most specific rule.

import type { Checker, Entry, ParsedDocument, RawFinding, RuleMeta } from '../../model';
import { AnchorMatcher } from './anchors';
import { keySettingRule } from './azureServiceKeys';
import { connectionStringRule } from './connectionString';
import { devopsPatRule } from './devopsPat';
import { entraSecretRule } from './entraSecret';
import type { RuleExamples } from './exampleTypes';
import { genericPasswordRule, judgeAssignment } from './genericPassword';
import { identifiableKeyRule } from './identifiableKey';
import { jwtRule } from './jwt';
import { detectKubernetesSecretData, k8sSecretPatterns } from './k8sSecrets';
import { localDevPatterns } from './localDev';
import { isKeyName, isNonSecretName, isSecretName, negativePatterns, normaliseName } from './negatives';
import { privateKeyRule } from './privateKey';
import { sasTokenRule } from './sasToken';
import { thirdPartyTokenRule } from './thirdPartyToken';
import { type Hit, type LineContext, RULE, type SecretRule, type SecretRuleId } from './types';
import { uriCredentialsRule } from './uriCredentials';

export type { ExampleSecret, RuleExamples, SecretExample } from './exampleTypes';

/** In the order of secretRules (SARIF, docs and settings list rules in this order). */
const RULES: readonly SecretRule[] = [
  identifiableKeyRule,
  entraSecretRule,
  connectionStringRule,
  keySettingRule,
  uriCredentialsRule,
  sasTokenRule,
  privateKeyRule,
  jwtRule,
  thirdPartyTokenRule,
  devopsPatRule,
  genericPasswordRule,
];

/** One entry per SECRET-* rule; the engine, SARIF, docs and settings read this list. */
export const secretRules: RuleMeta[] = RULES.map((r) => r.meta);

/** Every SECRET-* rule's true- and false-positive examples, by rule id (test/unit/ruleExamples.test.ts runs them). */
export const SECRET_RULE_EXAMPLES: Readonly<Record<string, RuleExamples>> = Object.fromEntries(RULES.map((r) => [r.meta.id, r.examples]));

const PRIORITY = Object.fromEntries(RULES.map((r) => [r.meta.id, r.priority])) as Record<SecretRuleId, number>;

/** Line detectors in rule order, then module order: at equal priority and range the earlier hit is kept. */
export const LINE_DETECTORS = RULES.flatMap((r) => r.lineDetectors);
const TEXT_DETECTORS = RULES.flatMap((r) => r.textDetectors ?? []);

/**
 * text.indexOf(marker) !== -1 for a whole document, faster: V8's search stops at every occurrence of the marker's
 * first character, and '-' (of '-----BEGIN ') is common in code, so the part after the dashes is looked for first
 * (eight times faster on code); the marker can start no earlier than that part's first occurrence allows.
 */
function holdsMarker(text: string, marker: string): boolean {
  let dashes = 0;
  while (dashes < marker.length && marker.charCodeAt(dashes) === 45) dashes++;
  if (dashes === 0 || dashes === marker.length) return text.indexOf(marker) !== -1;
  const tail = text.indexOf(marker.slice(dashes));
  return tail !== -1 && text.indexOf(marker, Math.max(0, tail - dashes)) !== -1;
}
if (LINE_DETECTORS.length > 31) throw new Error('a candidate range keeps one bit per line detector: at most 31');

/**
 * Every detector's anchors (lower case): a line without any of these holds nothing the line detectors can find.
 * All are found in ONE pass by an Aho-Corasick automaton (anchors.ts): linear, case-insensitive, and about
 * three times faster than a single alternation regex, which V8 cannot run with its literal search.
 */
export const ANCHORS: readonly string[] = [...new Set(LINE_DETECTORS.flatMap((d) => d.anchors))];
const MATCHER = new AnchorMatcher(
  ANCHORS,
  ANCHORS.map((a) => LINE_DETECTORS.reduce((bits, d, i) => (d.anchors.includes(a) ? bits | (1 << i) : bits), 0)),
);
const bitsOf = (keep: (d: (typeof LINE_DETECTORS)[number]) => boolean) => LINE_DETECTORS.reduce((bits, d, i) => (keep(d) ? bits | (1 << i) : bits), 0);
/** Detectors that run on every candidate line, whichever anchor selected it. */
const EVERY_CANDIDATE = bitsOf((d) => d.everyCandidate === true);
/** Detectors that read `name = value` text (not on JSON lines nor JSON-escaped values). */
const NAMED_VALUES = bitsOf((d) => d.namedValues === true);

/** The detectors (bits of LINE_DETECTORS) that run on a text whose anchors are `anchorBits`. */
export function detectorsFor(anchorBits: number, namedValues: boolean): number {
  const bits = anchorBits | EVERY_CANDIDATE;
  return namedValues ? bits : bits & ~NAMED_VALUES;
}

/** Lines longer than this (minified JSON) are scanned in windows around each anchor. */
const LONG_LINE = 8192;
const WINDOW_BEFORE = 1024;
const WINDOW_AFTER = 2048;
const DELIMS = ' \t"\',<>{}[]';

const JSON_KINDS = new Set(['arm-template', 'arm-parameters', 'appservice-settings', 'appsettings', 'local-settings', 'json']);
/** Entry keys that carry the value of their parent: ARM parameter files, defaults, secure values. */
const VALUE_LEAVES = new Set(['value', 'defaultvalue', 'default', 'securevalue', 'val']);
const VALUE_LEAF_LENGTHS = new Set([...VALUE_LEAVES].map((k) => k.length));

function settingName(e: Entry): string {
  // The length first: most keys are not value leaves, and lower-casing them would allocate a string per entry.
  if (!VALUE_LEAF_LENGTHS.has(e.key.length) || !VALUE_LEAVES.has(e.key.toLowerCase())) return e.key;
  // The parent key from the container when the parser gives one (no path built per value).
  const c = e.container;
  if (c) return c.depth > 0 ? c.key : e.key;
  const path = e.path;
  return path.length >= 2 ? path[path.length - 2] : e.key;
}

/** Runs the detectors whose bits are set in `run` (detectorsFor) on one line. */
function scanLine(line: string, lineStart: number, ctx: LineContext, run: number, out: Hit[]): void {
  for (let i = 0; run >>> i !== 0; i++) if (run & (1 << i)) LINE_DETECTORS[i].detect(line, lineStart, ctx, out);
}


/** Extend a window edge to the next delimiter so a token is not cut in half. */
function widen(text: string, at: number, dir: 1 | -1, limit: number): number {
  let i = at;
  for (let n = 0; n < 512 && i > 0 && i < text.length && (dir > 0 ? i < limit : i > limit); n++, i += dir) if (DELIMS.indexOf(text[i]) !== -1) return i;
  return i;
}

/** Sorted, disjoint [start, end) ranges of the lines (or long-line windows) that contain an anchor. */
export function candidateRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  // Bounds of the line holding the previous anchor: a long line has many windows, and searching for its
  // ends again from every anchor was quadratic in the line's length.
  let lineStart = 0;
  let lineEnd = -1;
  MATCHER.scan(text, (end) => {
    const idx = end - 1;
    if (idx > lineEnd) {
      lineStart = text.lastIndexOf('\n', idx) + 1;
      lineEnd = text.indexOf('\n', idx);
      if (lineEnd === -1) lineEnd = text.length;
    }
    let ls = lineStart;
    let le = lineEnd;
    // The anchor may straddle nothing but this line; start no earlier than the previous range's end.
    const prevEnd = ranges.length ? ranges[ranges.length - 1][1] : 0;
    if (le - ls > LONG_LINE) {
      ls = widen(text, Math.max(lineStart, idx - WINDOW_BEFORE), -1, lineStart);
      le = widen(text, Math.min(lineEnd, idx + WINDOW_AFTER), 1, lineEnd);
    }
    if (ls < prevEnd) ls = prevEnd;
    if (le > ls) ranges.push([ls, le]);
    return Math.max(le, end);
  });
  return ranges;
}

/** Distinct values under one name from which a structured file is data, not configuration (see findHits). */
const DATASET_VALUES = 10;

function findHits(doc: ParsedDocument, path: string): Hit[] {
  const text = doc.text;
  const ctx: LineContext = { fileKind: doc.kind, path: path.toLowerCase(), text };
  const isJson = JSON_KINDS.has(doc.kind);
  const hits: Hit[] = [];

  // Line pass over candidate lines (or windows of very long lines), each scanned once.
  for (const [ls, le] of candidateRanges(text)) {
    let e = le;
    if (e > ls && text.charCodeAt(e - 1) === 13) e--;
    scanLine(text.slice(ls, e), ls, ctx, detectorsFor(MATCHER.maskIn(text, ls, e), !isJson), hits);
  }

  // PEM blocks span lines.
  for (const t of TEXT_DETECTORS) if (holdsMarker(text, t.marker)) t.detect(text, hits);

  // Entries: key-shaped values under key-like names, name/value pairs, and JSON-escaped values.
  const valueCtx: LineContext = { ...ctx, wholeValue: true };
  const nameCache = new Map<string, boolean>();
  const genericByName = new Map<string, { hits: Hit[]; values: Set<string> }>();
  for (const e of doc.entries) {
    if (e.valueType !== 'string' || e.value.length < 8) continue;
    const escaped = e.contentEnd - e.contentStart !== e.value.length;
    if (escaped && e.value.length <= 64 * 1024) {
      // Detect on the unescaped value; report over the raw content (the literal as written).
      const anchors = MATCHER.maskIn(e.value);
      const blocks = TEXT_DETECTORS.filter((t) => e.value.indexOf(t.marker) !== -1);
      if (anchors !== 0 || blocks.length) {
        const inner: Hit[] = [];
        scanLine(e.value, 0, valueCtx, detectorsFor(anchors, false), inner);
        for (const t of blocks) t.detect(e.value, inner);
        for (const h of inner) hits.push({ ...h, start: e.contentStart, end: e.contentEnd });
      }
    }
    const name = settingName(e);
    let interesting = nameCache.get(name);
    if (interesting === undefined) {
      const n = normaliseName(name);
      interesting = (isKeyName(name) || isSecretName(name) || /pat$|^pat|devops|vsts|azdo/.test(n)) && !isNonSecretName(name);
      nameCache.set(name, interesting);
    }
    if (!interesting) continue;
    const h = judgeAssignment({ name, value: e.value, start: e.contentStart, end: e.contentEnd, quoted: e.contentStart !== e.valueStart }, ctx);
    if (!h) continue;
    if (h.ruleId !== RULE.generic) hits.push(h);
    else {
      const lower = name.toLowerCase();
      let group = genericByName.get(lower);
      if (!group) genericByName.set(lower, (group = { hits: [], values: new Set() }));
      group.hits.push(h);
      group.values.add(e.value);
    }
  }
  // A name that holds many different random values in one file is a field of records (test data, an export),
  // not a setting: configuration sets a secret once. Only the keyword-and-entropy guess yields to this; keys with
  // a format of their own are reported wherever they stand.
  for (const group of genericByName.values()) if (group.values.size < DATASET_VALUES) for (const h of group.hits) hits.push(h);
  if (doc.kind === 'yaml') detectKubernetesSecretData(doc, (value, name) => scanDecodedValue(value, name, ctx), hits);
  return resolveOverlaps(hits);
}

/** A decoded value (Kubernetes Secret data): its lines, any PEM block, and the value under its own name. */
function scanDecodedValue(value: string, name: string, ctx: LineContext): Hit[] {
  const inner: Hit[] = [];
  for (const line of value.split('\n')) {
    const anchors = MATCHER.maskIn(line);
    if (anchors !== 0) scanLine(line, 0, ctx, detectorsFor(anchors, true), inner);
  }
  for (const t of TEXT_DETECTORS) if (value.indexOf(t.marker) !== -1) t.detect(value, inner);
  const h = isNonSecretName(name) ? undefined : judgeAssignment({ name, value: value.trim(), start: 0, end: value.length, quoted: true }, ctx);
  if (h) inner.push(h);
  return inner;
}

/** Keep the most specific hit where hits overlap; drop exact duplicates. */
function resolveOverlaps(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  // Most specific rule first; at equal priority the narrower range (the token itself, not a whole value).
  const sorted = [...hits].sort((a, b) => PRIORITY[b.ruleId] - PRIORITY[a.ruleId] || a.end - a.start - (b.end - b.start) || a.start - b.start);
  const kept: Hit[] = [];
  const covered = new Coverage(hits);
  for (const h of sorted) {
    if (covered.overlaps(h.start, h.end)) continue;
    covered.add(h.start, h.end);
    kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Which parts of the text the kept hits cover: a segment tree over the hits' own offsets, so each check is
 * logarithmic. Comparing every hit with every kept one was quadratic (47,000 hits on one line: 3.4 s).
 */
class Coverage {
  private readonly at: number[];
  /** Per node: the whole node range is covered / some of it is. */
  private readonly full: Uint8Array;
  private readonly some: Uint8Array;
  private readonly size: number;

  constructor(hits: readonly Hit[]) {
    this.at = [...new Set(hits.flatMap((h) => [h.start, h.end]))].sort((a, b) => a - b);
    this.size = Math.max(1, this.at.length - 1);
    this.full = new Uint8Array(4 * this.size);
    this.some = new Uint8Array(4 * this.size);
  }

  private index(offset: number): number {
    let lo = 0;
    let hi = this.at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlaps(start: number, end: number): boolean {
    const l = this.index(start);
    const r = this.index(end);
    return l < r && this.query(1, 0, this.size, l, r);
  }

  add(start: number, end: number): void {
    const l = this.index(start);
    const r = this.index(end);
    if (l < r) this.mark(1, 0, this.size, l, r);
  }

  private query(node: number, lo: number, hi: number, l: number, r: number): boolean {
    if (r <= lo || hi <= l || !this.some[node]) return false;
    if (this.full[node] || (l <= lo && hi <= r)) return true;
    const mid = (lo + hi) >> 1;
    return this.query(2 * node, lo, mid, l, r) || this.query(2 * node + 1, mid, hi, l, r);
  }

  private mark(node: number, lo: number, hi: number, l: number, r: number): void {
    if (r <= lo || hi <= l || this.full[node]) return;
    this.some[node] = 1;
    if (l <= lo && hi <= r) {
      this.full[node] = 1;
      return;
    }
    const mid = (lo + hi) >> 1;
    this.mark(2 * node, lo, mid, l, r);
    this.mark(2 * node + 1, mid, hi, l, r);
  }
}

/** The entry whose value content holds [start, end), by binary search over entries in document order. */
function entryAt(entries: readonly Entry[], start: number, end: number): Entry | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].contentStart <= start) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = hi; i >= 0 && i > hi - 4; i--) {
    const e = entries[i];
    if (e.contentStart <= start && end <= e.contentEnd) return e;
  }
  return undefined;
}

function isSorted(entries: readonly Entry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i].contentStart < entries[i - 1].contentStart) return false;
  return true;
}

export function scanSecrets(doc: ParsedDocument, path: string): RawFinding[] {
  const hits = findHits(doc, path);
  if (hits.length === 0) return [];
  const entries = isSorted(doc.entries) ? doc.entries : [...doc.entries].sort((a, b) => a.contentStart - b.contentStart);
  return hits.map((h) => {
    const f: RawFinding = {
      ruleId: h.ruleId,
      start: h.start,
      end: h.end,
      secret: h.secret,
      secretKind: h.kind,
      message: `${h.kind} in plain text: move it to Azure Key Vault and reference it (@Microsoft.KeyVault(...) or a managed identity).`,
    };
    const e = entryAt(entries, h.start, h.end);
    if (h.maxSeverity) f.maxSeverity = h.maxSeverity;
    if (e) {
      f.settingName = settingName(e);
      f.path = e.path;
    }
    return f;
  });
}

export const secretChecker: Checker = {
  ruleIds: secretRules.map((r) => r.id),
  check: (doc, ctx) => scanSecrets(doc, ctx.path),
};

/** Every regular expression the detectors use, for the ReDoS test. */
export const secretPatterns: RegExp[] = [...RULES.flatMap((r) => r.patterns), ...negativePatterns, ...k8sSecretPatterns, ...localDevPatterns];

export { RULE };
