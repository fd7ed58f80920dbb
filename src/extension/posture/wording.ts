// What the posture tree says about a check and how it counts failures. Pure (no vscode): unit-tested on its own.
import { postureChecks, type PostureCheck, type PostureReport, type PostureStatus } from '../../core/posture';

/**
 * Row titles name what is checked ("HTTPS only"), whatever the outcome; the status and the value say the rest.
 * The neutral labels live with the check metadata (core/posture/checks.ts `label`); a rule title ("App Service
 * accepts plain HTTP") names the problem and reads wrong on a passing row, so it is only the fallback.
 */
const DISPLAY_TITLE = new Map(postureChecks.map((m) => [m.ruleId, m.label]));

export function checkTitle(check: Pick<PostureCheck, 'ruleId' | 'title'>): string {
  return DISPLAY_TITLE.get(check.ruleId) ?? check.title;
}

const STATUS_WORD: Record<PostureStatus, string> = { pass: 'Passed', fail: 'Failed', warning: 'Warning', unknown: 'Unknown' };

export function statusWord(status: PostureStatus): string {
  return STATUS_WORD[status];
}

/** What a screen reader says for a check row: status, check, value ("Failed: HTTPS only, Off"). */
export function checkAccessibilityLabel(check: Pick<PostureCheck, 'ruleId' | 'title' | 'status' | 'value'>, extra?: string): string {
  const value = check.value ? `, ${check.value}` : '';
  return `${statusWord(check.status)}: ${checkTitle(check)}${value}${extra ? `. ${extra}` : ''}`;
}

/** What a screen reader says for one item of a multi-item check (a setting name, never its value). */
export function itemAccessibilityLabel(status: PostureStatus, name: string, detail: string): string {
  return `${statusWord(status)}: ${name}${detail ? `, ${detail}` : ''}`;
}

/** One app or slot the tree shows, with its report. */
export interface CountedResource {
  id: string;
  report: PostureReport;
}

export interface FailingCount {
  failing: number;
  warnings: number;
  unknown: number;
  apps: number;
  slots: number;
}

const isSlotId = (id: string) => /\/slots\/[^/]+$/i.test(id);
const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]{1,64})/i.exec(id)?.[1].toLowerCase() ?? '';

/**
 * Failing checks over the given apps and slots, counted the way the tree groups them: each app or slot once
 * (a slot linked on its own and listed under its app is one slot), and a subscription-wide check (Defender for
 * App Service) once per subscription. The subscription comes from the resource id the tree knows, not from the
 * report, so an app whose read returned no id still lands in its own subscription.
 */
export function countFailing(resources: readonly CountedResource[]): FailingCount {
  const out: FailingCount = { failing: 0, warnings: 0, unknown: 0, apps: 0, slots: 0 };
  const seenResource = new Set<string>();
  const seenSubscriptionCheck = new Set<string>();
  for (const { id, report } of resources) {
    const key = id.toLowerCase();
    if (seenResource.has(key)) continue;
    seenResource.add(key);
    if (isSlotId(id)) out.slots++;
    else out.apps++;
    for (const check of report.checks) {
      if (check.scope === 'subscription') {
        const once = `${check.ruleId}\u0000${subscriptionOf(id)}`;
        if (seenSubscriptionCheck.has(once)) continue;
        seenSubscriptionCheck.add(once);
      }
      if (check.status === 'fail') out.failing++;
      else if (check.status === 'warning') out.warnings++;
      else if (check.status === 'unknown') out.unknown++;
    }
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The badge's tooltip: what the number counts, over what, and what it leaves out. */
export function badgeTooltip(c: FailingCount): string {
  const over = [plural(c.apps, 'app'), ...(c.slots ? [plural(c.slots, 'slot')] : [])].join(' and ');
  const left = [c.warnings ? plural(c.warnings, 'warning') : '', c.unknown ? `${c.unknown} unknown` : ''].filter(Boolean).join(' and ');
  return (
    `${plural(c.failing, 'failing posture check')} on ${over} (each app and slot once; a subscription's Defender plan once)` +
    (left ? `. Not counted: ${left}.` : '.')
  );
}
