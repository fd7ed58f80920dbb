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
const MAX_LINE_LENGTH = 4096;
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
  return undefined;
}
