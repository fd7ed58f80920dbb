import { COMMENT_CLOSERS, COMMENT_OPENERS } from './formats';
import type { LineIndex } from './text';

/**
 * Inline suppression comments, in any comment syntax (//, #, /* *\/, <!-- -->, JSONC):
 *
 *   azure-secure-dev-ignore RULE-ID[, RULE-ID...] -- reason          this line; alone on a line: the next line too
 *   azure-secure-dev-ignore-next-line RULE-ID[, ...] -- reason       the next line
 *   azure-secure-dev-ignore-file RULE-ID[, ...] -- reason            the whole file
 *
 * A rule id of `*` stands for every rule. The reason is free text after `--`.
 */
export const SUPPRESS_MARKER = 'azure-secure-dev-ignore';

export interface Suppression {
  scope: 'line' | 'next-line' | 'file';
  ruleIds: string[];
  reason: string;
  /** Line of the comment (0-based). */
  line: number;
}

export interface SuppressionIndex {
  all: Suppression[];
  isSuppressed(ruleId: string, line: number): boolean;
}

// Linear: a fixed marker, an optional suffix, then ids made of a bounded character class.
const DIRECTIVE = /azure-secure-dev-ignore(-next-line|-file)?[ \t]+([A-Za-z0-9*_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9*_-]+)*)(?:[ \t]+--[ \t]*([^\n]*))?/g;

export function findSuppressions(text: string, lines: LineIndex): SuppressionIndex {
  const all: Suppression[] = [];
  if (text.indexOf(SUPPRESS_MARKER) !== -1) {
    DIRECTIVE.lastIndex = 0;
    for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
      const line = lines.lineOf(m.index);
      const suffix = m[1];
      const ruleIds = m[2].split(',').map((s) => s.trim()).filter(Boolean);
      const reason = stripCommentClose((m[3] ?? '').trim());
      if (suffix === '-file') all.push({ scope: 'file', ruleIds, reason, line });
      else if (suffix === '-next-line') all.push({ scope: 'next-line', ruleIds, reason, line });
      else {
        all.push({ scope: 'line', ruleIds, reason, line });
        // Alone on its line (nothing but a comment opener of any format before it): it also covers the next line.
        const before = text.slice(lines.lineStart(line), m.index);
        if (COMMENT_OPENERS.has(before.trim())) all.push({ scope: 'next-line', ruleIds, reason, line });
      }
    }
  }
  const matches = (s: Suppression, id: string) => s.ruleIds.includes(id) || s.ruleIds.includes('*');
  return {
    all,
    isSuppressed(ruleId, line) {
      for (const s of all) {
        if (!matches(s, ruleId)) continue;
        if (s.scope === 'file') return true;
        if (s.scope === 'line' && s.line === line) return true;
        if (s.scope === 'next-line' && s.line + 1 === line) return true;
      }
      return false;
    },
  };
}

// Drop a trailing comment close (block or XML comment) from the reason (string operations: no regex to backtrack).
function stripCommentClose(reason: string): string {
  for (const close of COMMENT_CLOSERS) if (reason.endsWith(close)) return reason.slice(0, -close.length).trim();
  return reason;
}
