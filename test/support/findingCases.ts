// Table-driven finding tests: a file, its text, the findings it should give as `RULE flagged-text`, and
// optionally the text after applying every quick fix of those findings.
import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';

export interface FindingCase {
  name: string;
  file: string;
  text: string;
  /** `RULE <exact flagged text>`, in report order; empty for hard negatives. */
  want: string[];
  /** The text after applying every fix of the selected findings, when the case checks fixes. */
  fixed?: string;
}

/** Scans the case's text and checks the findings of the rules `rules` selects (and their fixes, when asked). */
export function checkFindingCase(c: FindingCase, rules: RegExp): void {
  const mine = scanText(c.text, c.file).findings.filter((f) => rules.test(f.ruleId));
  assert.deepEqual(
    mine.map((f) => `${f.ruleId} ${c.text.slice(f.start, f.end)}`),
    c.want,
  );
  if (c.fixed === undefined) return;
  let out = c.text;
  for (const fix of mine.flatMap((f) => (f.fix ? [f.fix] : [])).sort((a, b) => b.start - a.start)) out = out.slice(0, fix.start) + fix.replacement + out.slice(fix.end);
  assert.equal(out, c.fixed);
}
