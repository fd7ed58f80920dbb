import { cappedSeverity } from './config';
import { detectFileKind } from './fileKind';
import { maskText } from './mask';
import { sha256Hex } from './hash';
import type { Checker, FileKind, Finding, Level, ParsedDocument, RawFinding, RuleMeta } from './model';
import { parseDocument } from './parsers';
import { secretRemedy } from './remedy';
import { allCheckers, getRule } from './rules';
import { crashOf, ruleErrorFinding, type RuleCrash } from './rules/engineRules';
import { findSuppressions } from './suppress';
import { LineIndex } from './text';

export interface ScanOptions {
  /** File kind; detected from the path when omitted. */
  kind?: FileKind;
  /** Per-rule levels overriding the defaults (`off` disables a rule, a severity turns a default-off rule on). */
  levels?: Readonly<Record<string, Level>>;
  /** Extra checkers (custom patterns) to run beside the built-in ones. */
  extraCheckers?: readonly Checker[];
  /** Extra rule metadata for the extra checkers. */
  extraRules?: readonly RuleMeta[];
  /** Ignore inline suppression comments (for security teams that forbid them). */
  ignoreInlineSuppressions?: boolean;
  /**
   * Called when a rule throws (it is also reported as an ENGINE-RULE-ERROR finding), for the host's log. Carries
   * the rule ids and where our code failed, never the error message (it may quote the file).
   */
  onRuleError?: (crash: RuleCrash & { path: string }) => void;
}

export type FingerprintedFinding = RawFinding & { fingerprint: string };

export interface ScanResult {
  kind: FileKind;
  findings: Finding[];
  /** Findings silenced by an inline comment, counted and listed so nothing is ignored silently. */
  suppressed: Finding[];
  parseErrors: ParsedDocument['errors'];
}

/** Scan one document's text. Pure and synchronous; never throws on bad input. */
export function scanText(text: string, path: string, options: ScanOptions = {}): ScanResult {
  const kind = options.kind ?? detectFileKind(path, text);
  const doc = parseDocument(text, kind);
  return scanParsed(doc, path, options);
}

export function scanParsed(doc: ParsedDocument, path: string, options: ScanOptions = {}): ScanResult {
  const raw = runCheckers(doc, path, options);
  return { kind: doc.kind, ...finalize(raw, doc.text, options), parseErrors: doc.errors };
}

/** The level a rule runs at under these options, or undefined when it is off. */
function levelResolver(options: ScanOptions) {
  const levels = options.levels ?? {};
  const extraRules = new Map((options.extraRules ?? []).map((r) => [r.id, r]));
  const meta = (id: string) => getRule(id) ?? extraRules.get(id);
  const enabled = (id: string): Level | undefined => {
    const m = meta(id);
    if (!m) return undefined;
    const level = levels[id];
    if (level) return level === 'off' ? undefined : level;
    return m.defaultOff ? undefined : m.severity;
  };
  return { meta, enabled };
}

/** Run every enabled checker over a parsed document: raw findings, no positions, no suppressions. */
export function runCheckers(doc: ParsedDocument, path: string, options: ScanOptions = {}): FingerprintedFinding[] {
  const { enabled } = levelResolver(options);
  const raw: (RawFinding & { fingerprint: string })[] = [];
  let remedy: string | undefined;
  // The detectors name the secret; what to do with it depends on the file, so the engine says that part.
  const messageOf = (f: RawFinding): string | undefined => {
    if (f.ruleId.startsWith('SECRET-') && f.secretKind) return `${maskText(f.secretKind)} in plain text: ${(remedy ??= secretRemedy(doc.kind, path, doc.text))}`;
    return f.message === undefined ? undefined : maskText(f.message);
  };
  for (const checker of [...allCheckers, ...(options.extraCheckers ?? [])]) {
    if (checker.kinds && !checker.kinds.includes(doc.kind)) continue;
    if (!checker.ruleIds.some((id) => enabled(id))) continue;
    let found: RawFinding[];
    try {
      found = checker.check(doc, { path, isEnabled: (id) => enabled(id) !== undefined });
    } catch (error) {
      // A checker bug must not take the others down, nor pass unnoticed: the document says which rules crashed.
      found = [ruleErrorFinding(checker.ruleIds, error)];
    }
    for (const f of found) {
      const crash = crashOf(f);
      if (crash) options.onRuleError?.({ ...crash, path });
      // Computed once here, so incremental re-checks do not hash findings the edit did not touch. A rule's own
      // message may name a key or setting from the file: a secret-looking one never gets through.
      if (!enabled(f.ruleId)) continue;
      const message = messageOf(f);
      raw.push({ ...f, ...(message === undefined ? {} : { message }), fingerprint: fingerprint(f, doc.text) });
    }
  }
  return raw;
}

/** Raw findings over the whole text -> positioned, fingerprinted findings, split by inline suppressions. */
export function finalize(
  raw: FingerprintedFinding[],
  text: string,
  options: ScanOptions = {},
  known: { lines?: LineIndex; noSuppressions?: boolean } = {},
): { findings: Finding[]; suppressed: Finding[] } {
  // Most files have no finding: no line index, no suppression comments to look for.
  if (raw.length === 0) return { findings: [], suppressed: [] };
  const { meta, enabled } = levelResolver(options);
  const lines = known.lines ?? new LineIndex(text);
  const suppressions = options.ignoreInlineSuppressions || known.noSuppressions ? undefined : findSuppressions(text, lines);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const seen = new Set<string>();
  const sorted = [...raw].sort((a, b) => a.start - b.start || a.end - b.end);
  // A rule that yields to the secret rules (a plain-text secret setting) whose value a specific secret detector
  // already flags is one problem, not two: keep the specific finding (it names the kind of secret and carries
  // the Key Vault move).
  const secretRanges = sorted.filter((r) => meta(r.ruleId)?.tag === 'secret');
  const coveredBySecret = (r: FingerprintedFinding) => secretRanges.some((s) => s.start < r.end && r.start < s.end);
  for (const r of sorted) {
    const m = meta(r.ruleId);
    if (m?.yieldsToSecretRules && coveredBySecret(r)) continue;
    // Rule errors of different rules may share a place; each says which rule crashed.
    const key = m?.tag === 'rule-error' ? `${r.ruleId}:${r.message ?? ''}` : `${r.ruleId}:${r.start}:${r.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const severity = enabled(r.ruleId);
    if (!m || !severity) continue;
    const start = lines.position(r.start);
    const end = lines.position(r.end);
    const finding: Finding = {
      ...r,
      message: r.message ?? m.description,
      severity: cappedSeverity(severity as Finding['severity'], r.maxSeverity),
      confidence: m.confidence,
      tag: m.tag,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    };
    if (suppressions?.isSuppressed(r.ruleId, start.line)) suppressed.push(finding);
    else findings.push(finding);
  }
  return { findings, suppressed };
}

/** Rule id + hash of the flagged value (or the setting path and value): survives line moves, not rotation. */
export function fingerprint(r: RawFinding, text: string): string {
  const value = r.secret ?? `${(r.path ?? []).join('.')}=${text.slice(r.start, r.end)}`;
  return sha256Hex(`${r.ruleId}\u0000${value}`).slice(0, 32);
}
