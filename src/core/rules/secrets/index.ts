import type { Checker, RuleMeta } from '../../model';

// Placeholder until the secret detectors land.
export const secretRules: RuleMeta[] = [];
export const secretChecker: Checker = { ruleIds: [], check: () => [] };
