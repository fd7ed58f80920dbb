// Live posture of one App Service app or slot from the raw Resource Manager bodies. Pure: no I/O, no clock.
// Never copies an app setting value into the report: settings are reported by name only. The checks themselves
// live with their rules (see ./checks.ts); this runs them.

import { postureChecks, postureRule } from './checks';
import { clip, isObject, postureContext, str, unknown, type LiveCheck, type PostureContext, type Verdict } from './common';
import type { Level } from '../model';
import type { ArmPublishingPolicy, PostureCheck, PostureInput, PostureReport, PostureStatus, PostureSummary, SourceResult } from './types';

export { restrictionFacts, type RestrictionFacts } from '../rules/appservice/network';

function runCheck(meta: LiveCheck, c: PostureContext): PostureCheck {
  const rule = postureRule(meta.ruleId);
  let v: Verdict;
  try {
    v = meta.evaluate(c);
  } catch (e) {
    // A malformed body must not take the other checks down.
    v = unknown(`Could not evaluate: ${clip(e instanceof Error ? e.message : String(e), 120)}`);
  }
  const check: PostureCheck = {
    ruleId: meta.ruleId,
    title: rule?.title ?? meta.label,
    category: meta.category,
    status: v.status,
    value: v.value,
    why: meta.why,
    sources: meta.sources,
    scope: meta.scope,
  };
  if (v.unknownReason) check.unknownReason = v.unknownReason;
  if (v.hint) check.hint = v.hint;
  if (v.items) check.items = v.items;
  if (v.fix && v.status !== 'pass' && v.status !== 'unknown') check.fix = v.fix;
  return check;
}

export interface EvaluateOptions {
  /**
   * Per-rule levels, the same map as the editor's `azureSecureDev.rules`: a rule set to 'off' is left out of the
   * report, a default-off rule (APPSVC-CLIENT-CERT) runs only when a level turns it on, and the levels also steer
   * the secret detectors run over app settings.
   */
  levels?: Readonly<Record<string, Level>>;
}

/** Does the check run under these levels: not turned off, and a default-off rule only when turned on. */
function checkEnabled(ruleId: string, levels: Readonly<Record<string, Level>> | undefined): boolean {
  const level = levels?.[ruleId];
  if (level) return level !== 'off';
  return !postureRule(ruleId)?.defaultOff;
}

/** The checks evaluatePosture runs under these levels, in display order. */
export function enabledPostureChecks(levels?: Readonly<Record<string, Level>>): readonly LiveCheck[] {
  return postureChecks.filter((m) => checkEnabled(m.ruleId, levels));
}

/** Evaluate every enabled posture check for one app or slot. Never throws. */
export function evaluatePosture(input: PostureInput, options: EvaluateOptions = {}): PostureReport {
  const c = postureContext(input ?? {}, options.levels);
  const checks = enabledPostureChecks(options.levels).map((m) => runCheck(m, c));
  const counts: Record<PostureStatus, number> = { pass: 0, fail: 0, warning: 0, unknown: 0 };
  for (const ch of checks) counts[ch.status]++;
  const report: PostureReport = { isSlot: c.target.isSlot, checks, counts };
  if (c.site?.id) report.resourceId = c.site.id;
  if (c.site?.name) report.name = c.site.name;
  if (c.site?.kind) report.kind = c.site.kind;
  return report;
}

/**
 * Split a `GET {site}/basicPublishingCredentialsPolicies` list result into the ftp and scm inputs, so one call
 * can replace two.
 */
export function splitPublishingPolicies(list: SourceResult<{ value?: ArmPublishingPolicy[] | null }> | undefined): Pick<PostureInput, 'ftpPolicy' | 'scmPolicy'> {
  if (!list) return {};
  if (!list.ok) return { ftpPolicy: list, scmPolicy: list };
  const items = isObject(list.body) && Array.isArray(list.body.value) ? list.body.value.filter(isObject) : [];
  const find = (n: string): SourceResult<ArmPublishingPolicy> => {
    const p = items.find((i) => (str(i.name) ?? str(i.id) ?? '').toLowerCase().endsWith(n));
    return p ? { ok: true, body: p } : { ok: false, status: 404, code: 'NotInList', message: `the policy list has no '${n}' entry` };
  };
  return { ftpPolicy: find('ftp'), scmPolicy: find('scm') };
}

function subscriptionOf(resourceId: string | undefined): string {
  const m = /^\/subscriptions\/([^/]{1,64})/i.exec(resourceId ?? '');
  return m ? m[1].toLowerCase() : '';
}

/** Counts over many reports for a view badge; subscription-wide checks are counted once per subscription. */
export function summarizePosture(reports: readonly PostureReport[]): PostureSummary {
  const summary: PostureSummary = { reports: reports.length, failing: 0, warnings: 0, unknown: 0, passing: 0, byRule: {}, failingResources: 0 };
  const seen = new Set<string>();
  for (const r of reports) {
    let failed = false;
    for (const ch of r.checks) {
      if (ch.scope === 'subscription') {
        const key = `${ch.ruleId}\u0000${subscriptionOf(r.resourceId)}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      if (ch.status === 'fail') {
        summary.failing++;
        summary.byRule[ch.ruleId] = (summary.byRule[ch.ruleId] ?? 0) + 1;
        failed = true;
      } else if (ch.status === 'warning') summary.warnings++;
      else if (ch.status === 'unknown') summary.unknown++;
      else summary.passing++;
    }
    if (failed) summary.failingResources++;
  }
  return summary;
}

