// The live posture checks, derived from the rule units (src/core/rules: checks that share a value test with an
// editor detector) and the posture-only units (./liveOnly.ts). Rules the editor also has keep their editor
// metadata (getRule); posture-only rules are described with the same RuleMeta shape. The lists are marked pure so a
// bundle that only needs the posture types and readers (dist/azure.js) leaves the rules and the engine out.

import type { RuleMeta } from '../model';
import { getRule, unitLiveChecks } from '../rules';
import type { LiveCheck } from './common';
import { liveOnlyUnits } from './liveOnly';
import { POSTURE_CATEGORIES } from './types';

export type { PostureCheckMeta } from './types';
export { SECURITY_PRICING_API_VERSION, SOURCE_INFO, WEB_API_VERSION } from './sources';

/** Rules only the live posture view reports (ids from the posture rule catalog). */
export const postureOnlyRules: readonly RuleMeta[] = /* @__PURE__ */ liveOnlyUnits.flatMap((u) => u.rules);

const postureOnlyById = /* @__PURE__ */ new Map(/* @__PURE__ */ postureOnlyRules.map((r) => [r.id, r]));

/** Editor metadata when the editor has the rule, else the posture-only metadata. */
export function postureRule(id: string): RuleMeta | undefined {
  return getRule(id) ?? postureOnlyById.get(id);
}

/**
 * Every live check in display order: by category, then by rank (the Top 12 of the catalog first within each
 * category). Default-off rules are here too; evaluatePosture runs them only when a rule level turns them on.
 */
export const postureChecks: readonly LiveCheck[] = /* @__PURE__ */ [...unitLiveChecks, .../* @__PURE__ */ liveOnlyUnits.flatMap((u) => u.live)].sort(
  (a, b) => POSTURE_CATEGORIES.indexOf(a.category) - POSTURE_CATEGORIES.indexOf(b.category) || a.rank - b.rank,
);
