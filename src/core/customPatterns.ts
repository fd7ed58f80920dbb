import ret, { types, type Root, type Token } from 'ret';
import type { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';
import type { Checker, RawFinding, RuleMeta } from './model';

type Re2Module = typeof import('re2js');
let re2: Re2Module | undefined;

/**
 * The linear-time engine (RE2), loaded the first time a custom pattern is checked: it is a large module, and
 * most workspaces have no custom patterns, so activation does not pay for it.
 */
function loadRe2(): Re2Module {
  // esbuild bundles this require and evaluates the module only when it runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  re2 ??= require('re2js') as Re2Module;
  return re2;
}

/** A user's extra secret pattern, from settings or the project config. */
export interface CustomPatternDef {
  id: string;
  pattern: string;
  message?: string;
}

export const MAX_CUSTOM_PATTERNS = 20;
const MAX_PATTERN_LENGTH = 500;
/** Custom patterns only see lines up to this length, which bounds the time of one search. */
const MAX_LINE_LENGTH = 1024;
/** Sum of the upper bounds of all bounded repetitions ({n,m}): keeps the compiled program small. */
const MAX_BOUNDED_REPEAT = 128;
/**
 * RE2 instructions: matching costs at most (line length x program size) steps, so this cap and the line cap
 * bound one search to a few milliseconds, and the time budget (checked after every search) holds.
 */
const MAX_PROGRAM_SIZE = 2000;
/** Time a pattern may use per document before it is switched off for that document. */
export const CUSTOM_PATTERN_BUDGET_MS = 20;

export interface CompiledCustomPatterns {
  rules: RuleMeta[];
  checker?: Checker;
  rejected: { id: string; reason: string }[];
}

/**
 * Validate and compile custom patterns: capped in count and length, no backreferences or lookarounds,
 * star height 1 (safe-regex2), compiled for RE2 (an automaton: linear in the line whatever the pattern, where
 * a backtracking RegExp can take seconds on a written-out alternation the checks cannot see), and run line by
 * line under a time budget checked after every search. A rejected pattern is reported, never run.
 */
export function compileCustomPatterns(defs: readonly unknown[], onBudgetExceeded?: (id: string) => void): CompiledCustomPatterns {
  const rules: RuleMeta[] = [];
  const rejected: CompiledCustomPatterns['rejected'] = [];
  const compiled: { id: string; re: RE2JS; message: string }[] = [];
  for (const [i, raw] of defs.entries()) {
    const def = raw as Partial<CustomPatternDef>;
    const id = typeof def?.id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(def.id) ? `CUSTOM-${def.id.toUpperCase()}` : undefined;
    if (!id || typeof def.pattern !== 'string') {
      rejected.push({ id: String(def?.id ?? `#${i + 1}`), reason: 'needs an "id" (letters, digits, dashes) and a "pattern"' });
      continue;
    }
    if (compiled.some((c) => c.id === id)) {
      // Settings and the project config may both name a pattern: the first one counts.
      rejected.push({ id, reason: 'another custom pattern has this id' });
      continue;
    }
    if (compiled.length >= MAX_CUSTOM_PATTERNS) {
      rejected.push({ id, reason: `more than ${MAX_CUSTOM_PATTERNS} custom patterns` });
      continue;
    }
    const re = compileLinear(def.pattern);
    if (typeof re === 'string') {
      rejected.push({ id, reason: re });
      continue;
    }
    compiled.push({ id, re, message: typeof def.message === 'string' && def.message ? def.message : `Matches the custom secret pattern ${id}.` });
    rules.push({ id, title: `Custom pattern ${def.id}`, tag: 'secret', severity: 'warning', confidence: 'medium', description: `Matches the custom secret pattern ${id}.` });
  }
  if (!compiled.length) return { rules, rejected };
  const checker: Checker = {
    ruleIds: compiled.map((c) => c.id),
    check(doc) {
      const out: RawFinding[] = [];
      for (const c of compiled) {
        const started = performance.now();
        const overBudget = () => performance.now() - started > CUSTOM_PATTERN_BUDGET_MS;
        let stopped = false;
        let lineStart = 0;
        while (lineStart <= doc.text.length && !stopped) {
          let lineEnd = doc.text.indexOf('\n', lineStart);
          if (lineEnd === -1) lineEnd = doc.text.length;
          // RE2's '.' matches '\r' where a JavaScript RegExp's does not: leave a CRLF line's '\r' out.
          const contentEnd = lineEnd > lineStart && doc.text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
          if (contentEnd - lineStart <= MAX_LINE_LENGTH) {
            const m = c.re.matcher(doc.text.slice(lineStart, contentEnd));
            while (m.find()) {
              if (m.end() > m.start()) {
                out.push({ ruleId: c.id, start: lineStart + m.start(), end: lineStart + m.end(), secret: m.group() ?? '', secretKind: 'custom pattern match', message: c.message });
              }
              if ((stopped = overBudget())) break;
            }
          }
          if (!stopped && (stopped = overBudget())) break;
          lineStart = lineEnd + 1;
        }
        if (stopped) onBudgetExceeded?.(c.id);
      }
      return out;
    },
  };
  return { rules, checker, rejected };
}

/** Why a pattern is refused, or undefined when it may run. */
export function unsafeReason(pattern: string): string | undefined {
  const re = compileLinear(pattern);
  return typeof re === 'string' ? re : undefined;
}

/** The pattern compiled for RE2, or why it is refused. */
function compileLinear(pattern: string): RE2JS | string {
  const reason = syntaxReason(pattern);
  if (reason) return reason;
  const { RE2JS } = loadRe2();
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (e) {
    return `not supported by the linear-time matcher (${e instanceof Error ? e.message : String(e)})`;
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) return 'too large once compiled; use fewer or smaller repetitions';
  return re;
}

/** The checks that give clear messages: the syntax RE2 cannot run, and shapes that read as catastrophic. */
function syntaxReason(pattern: string): string | undefined {
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
