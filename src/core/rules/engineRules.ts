// Rules of the engine itself. ENGINE-RULE-ERROR: a rule threw while checking a file. Its findings there are
// missing, so the engine says so (a visible finding, and a log line where the host has a log) instead of
// reporting nothing.

import type { RawFinding, RuleMeta } from '../model';

export const ENGINE_RULE_ERROR = 'ENGINE-RULE-ERROR';

export const engineRules: readonly RuleMeta[] = [
  {
    id: ENGINE_RULE_ERROR,
    title: 'A rule crashed on this file',
    tag: 'rule-error',
    severity: 'warning',
    confidence: 'high',
    description: 'A rule failed while checking this file, so the problems it looks for were not checked here; please report it.',
  },
];

/** What the log gets of a crash: the rules and where in our code it failed. Never the error message, which may quote file content. */
export interface RuleCrash {
  ruleIds: readonly string[];
  /** Error class and the first stack frame ('TypeError at detect (…/network.ts:120:7)'). */
  where: string;
}

const crashes = new WeakMap<RawFinding, RuleCrash>();

const MAX_FRAME = 200;

function describe(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frame = stack.split('\n').find((l) => l.trimStart().startsWith('at '));
  return frame ? `${name} ${frame.trim().slice(0, MAX_FRAME)}` : name;
}

/** The visible finding for rules that threw (at `range`, or at the start of the file). */
export function ruleErrorFinding(ruleIds: readonly string[], error: unknown, range: { start: number; end: number } = { start: 0, end: 0 }): RawFinding {
  const names = ruleNames(ruleIds);
  const f: RawFinding = {
    ruleId: ENGINE_RULE_ERROR,
    start: range.start,
    end: range.end,
    // Part of the fingerprint: one rule error per rule, wherever it happens.
    path: ['rule-error', ...ruleIds],
    message: `Rule ${names} crashed while checking this file, so ${ruleIds.length === 1 ? 'its' : 'their'} findings here are missing; please report this bug.`,
  };
  crashes.set(f, { ruleIds, where: describe(error) });
  return f;
}

/** The crash behind a rule-error finding (for the log), if it is one. */
export function crashOf(f: RawFinding): RuleCrash | undefined {
  return crashes.get(f);
}

/** 'A, B, C and 2 more': the rules of one crash, short enough for a message or a log line. */
export function ruleNames(ruleIds: readonly string[]): string {
  return ruleIds.length > 3 ? `${ruleIds.slice(0, 3).join(', ')} and ${ruleIds.length - 3} more` : ruleIds.join(', ');
}

/**
 * The host's log line for a crash: 'rule X failed on 3 file(s) (first: a.json): TypeError at …'. Only rule ids,
 * counts, a path and where our code failed: never the error message, which may quote the file.
 */
export function ruleCrashLine(crash: RuleCrash, files: { count: number; first: string } | { path: string; version: number }): string {
  const rules = `rule${crash.ruleIds.length === 1 ? '' : 's'} ${ruleNames(crash.ruleIds)}`;
  const on = 'count' in files ? `${files.count} file(s) (first: ${files.first})` : `${files.path} (version ${files.version})`;
  return `${rules} failed on ${on}: ${crash.where}`;
}
