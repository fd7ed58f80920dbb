// Rules that crashed during a CLI scan, one entry per crashed rule (or group of rules that crashed together) for
// the whole run: the report holds the ENGINE-RULE-ERROR findings, stderr gets one line per rule.
import type { ScanOptions } from '../core/engine';
import { ruleCrashLine, type RuleCrash } from '../core/rules/engineRules';
import { printable } from './output';

/** Plain data: worker threads post theirs back with the rest of their summary. */
export interface RuleErrorTally extends RuleCrash {
  files: number;
  /** The first file in path order (the report's order, whatever the split over workers). */
  first: string;
}

const keyOf = (c: RuleCrash) => c.ruleIds.join(',');

/** Options that tally crashes into `tallies` (each file counted once per rule, however often it crashed there). */
export function tallyingRuleErrors(options: Readonly<ScanOptions>, tallies: RuleErrorTally[]): ScanOptions {
  const lastPath = new Map<string, string>();
  return {
    ...options,
    onRuleError: (crash) => {
      const key = keyOf(crash);
      if (lastPath.get(key) === crash.path) return;
      lastPath.set(key, crash.path);
      mergeRuleErrors(tallies, [{ ruleIds: crash.ruleIds, where: crash.where, files: 1, first: crash.path }]);
    },
  };
}

/** Add `more` into `into`, by rule. */
export function mergeRuleErrors(into: RuleErrorTally[], more: readonly RuleErrorTally[]): void {
  for (const m of more) {
    const t = into.find((x) => keyOf(x) === keyOf(m));
    if (!t) into.push({ ...m });
    else {
      t.files += m.files;
      if (m.first < t.first) Object.assign(t, { first: m.first, where: m.where });
    }
  }
}

/** One stderr line per crashed rule, paths and frames escaped for the terminal. */
export function ruleErrorLines(tallies: readonly RuleErrorTally[]): string[] {
  return [...tallies]
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
    .map((t) => `azure-secure-dev: ${printable(ruleCrashLine(t, { count: t.files, first: t.first }))}`);
}
