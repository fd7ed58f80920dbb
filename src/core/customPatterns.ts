import ret, { types, type Root, type Token } from 'ret';
import safeRegex from 'safe-regex2';
import type { Checker, RawFinding, RuleMeta } from './model';

/** A user's extra secret pattern, from settings or the project config. */
export interface CustomPatternDef {
  id: string;
  pattern: string;
  message?: string;
}

export const MAX_CUSTOM_PATTERNS = 20;
const MAX_PATTERN_LENGTH = 500;
/** Custom patterns only see lines up to this length, which bounds any polynomial backtracking left. */
const MAX_LINE_LENGTH = 1024;
/** Sum of the upper bounds of all bounded repetitions ({n,m}): keeps the polynomial degree and constant small. */
const MAX_BOUNDED_REPEAT = 128;
/** Time a pattern may use per document before it is switched off for that document. */
export const CUSTOM_PATTERN_BUDGET_MS = 20;

export interface CompiledCustomPatterns {
  rules: RuleMeta[];
  checker?: Checker;
  rejected: { id: string; reason: string }[];
}

/**
 * Validate and compile custom patterns: capped in count and length, no backreferences or lookarounds,
 * star height 1 (safe-regex2), run line by line under a time budget. A rejected pattern is reported,
 * never run.
 */
export function compileCustomPatterns(defs: readonly unknown[], onBudgetExceeded?: (id: string) => void): CompiledCustomPatterns {
  const rules: RuleMeta[] = [];
  const rejected: CompiledCustomPatterns['rejected'] = [];
  const compiled: { id: string; re: RegExp; message: string }[] = [];
  for (const [i, raw] of defs.entries()) {
    const def = raw as Partial<CustomPatternDef>;
    const id = typeof def?.id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(def.id) ? `CUSTOM-${def.id.toUpperCase()}` : undefined;
    if (!id || typeof def.pattern !== 'string') {
      rejected.push({ id: String(def?.id ?? `#${i + 1}`), reason: 'needs an "id" (letters, digits, dashes) and a "pattern"' });
      continue;
    }
    if (compiled.length >= MAX_CUSTOM_PATTERNS) {
      rejected.push({ id, reason: `more than ${MAX_CUSTOM_PATTERNS} custom patterns` });
      continue;
    }
    const reason = unsafeReason(def.pattern);
    if (reason) {
      rejected.push({ id, reason });
      continue;
    }
    compiled.push({ id, re: new RegExp(def.pattern, 'g'), message: typeof def.message === 'string' && def.message ? def.message : `Matches the custom secret pattern ${id}.` });
    rules.push({ id, title: `Custom pattern ${def.id}`, tag: 'secret', severity: 'warning', confidence: 'medium', description: `Matches the custom secret pattern ${id}.` });
  }
  if (!compiled.length) return { rules, rejected };
  const checker: Checker = {
    ruleIds: compiled.map((c) => c.id),
    check(doc) {
      const out: RawFinding[] = [];
      for (const c of compiled) {
        const started = performance.now();
        let lineStart = 0;
        while (lineStart <= doc.text.length) {
          let lineEnd = doc.text.indexOf('\n', lineStart);
          if (lineEnd === -1) lineEnd = doc.text.length;
          if (lineEnd - lineStart <= MAX_LINE_LENGTH) {
            const line = doc.text.slice(lineStart, lineEnd);
            c.re.lastIndex = 0;
            for (let m = c.re.exec(line); m; m = c.re.exec(line)) {
              if (m[0].length === 0) {
                c.re.lastIndex++;
                continue;
              }
              out.push({ ruleId: c.id, start: lineStart + m.index, end: lineStart + m.index + m[0].length, secret: m[0], secretKind: 'custom pattern match', message: c.message });
            }
          }
          if (performance.now() - started > CUSTOM_PATTERN_BUDGET_MS) {
            onBudgetExceeded?.(c.id);
            break;
          }
          lineStart = lineEnd + 1;
        }
      }
      return out;
    },
  };
  return { rules, checker, rejected };
}

/** Why a pattern is refused, or undefined when it may run. */
export function unsafeReason(pattern: string): string | undefined {
  if (pattern.length === 0) return 'empty pattern';
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  // Backreferences and lookarounds defeat linear-time reasoning.
  if (/\\[1-9]|\\k<|\(\?<?[=!]/.test(pattern)) return 'backreferences and lookarounds are not allowed';
  try {
    new RegExp(pattern);
  } catch (e) {
    return `not a valid regular expression (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!safeRegex(pattern, { limit: 25 })) return 'may backtrack catastrophically (nested or too many repetitions)';
  return shapeReason(pattern);
}

/**
 * Shapes that backtrack even at star height 1: more than one unbounded repetition ('a*a*b', '.*.*x'), a repeated
 * group with alternatives ('(a|a)*'), or large bounded repetitions ('a{1,1000}a{1,1000}b'). With at most one
 * unbounded repetition, small bounds and lines of at most 1 KB, the worst case stays in milliseconds.
 */
function shapeReason(pattern: string): string | undefined {
  let root: Root;
  try {
    root = ret(pattern);
  } catch {
    return 'not a regular expression this checker can read';
  }
  let unbounded = 0;
  let bounded = 0;
  let repeatedAlternation = false;
  type Node = Token | Root;
  const walk = (t: Node, underRepeat: boolean): void => {
    if (t.type === types.REPETITION) {
      if (t.max === Infinity || t.max === null) unbounded++;
      else bounded += t.max;
      walk(t.value, true);
      return;
    }
    if (t.type === types.GROUP || t.type === types.ROOT) {
      const g = t as { options?: Token[][]; stack?: Token[] };
      const options = g.options ?? (g.stack ? [g.stack] : []);
      if (underRepeat && options.length > 1) repeatedAlternation = true;
      for (const o of options) for (const x of o) walk(x, underRepeat);
    }
  };
  walk(root, false);
  if (repeatedAlternation) return 'a repeated group with alternatives may backtrack catastrophically; repeat a character class instead';
  if (unbounded > 1) return 'more than one unbounded repetition (*, + or {n,}) may backtrack catastrophically; bound all but one, e.g. {1,64}';
  if (bounded > MAX_BOUNDED_REPEAT) return `bounded repetitions add up to more than ${MAX_BOUNDED_REPEAT}; use smaller bounds`;
  return undefined;
}
