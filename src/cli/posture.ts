import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { summarizePosture, type EvaluateOptions, type PostureCheck, type PostureInput, type PostureReport, type PostureSummary } from '../core/posture';
import {
  AZURE_CLOUDS,
  credentialChain,
  credentialFailures,
  customCloud,
  describeAzureError,
  isCredentialError,
  isSiteId,
  signInFailureMessage,
  type AzureCloudName,
} from '../azure';
import { isManagementGroupId } from '../azure/resourceGraph';
import { ArmScheduler, type SchedulerStats } from '../azure/scheduler';
import { createSweepClient, sweepPosture, type SweepHooks, type SweepProgress, type SweepResult } from '../azure/tenantSweep';

export interface PostureRequest {
  apps: string[];
  subscriptions: string[];
  cloud: Exclude<AzureCloudName, 'Custom'>;
  armEndpoint?: string;
  /** AZURE_TOKEN_CREDENTIALS, read by the caller (default: process.env). */
  azureTokenCredentials?: string;
  /** Sees each app's reads before evaluation (posture --iac keeps the deployed values for drift). */
  observe?: (app: string, input: PostureInput) => void;
  /** Check the deployment slots of the apps given by id (default true). */
  slots?: boolean;
  /** Management groups whose subscriptions to sweep (through Resource Graph). */
  managementGroups?: string[];
  /** Rule ids to check (default all); checks Resource Graph alone answers need no per-app call. */
  checks?: string[];
  /** Time budget of the run after sign-in, in ms: calls that would run past it are skipped (checks unknown). */
  timeBudgetMs?: number;
  /** Rule levels of the project config: default-off rules (APPSVC-CLIENT-CERT) run only when turned on here. */
  levels?: EvaluateOptions['levels'];
}

export { CredentialSelectionError } from '../azure';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first --app, --subscription or --management-group that is not an id, as a one-line usage message. */
export function invalidPostureTarget(apps: readonly string[], subscriptions: readonly string[], managementGroups: readonly string[] = []): string | undefined {
  const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  const app = apps.find((a) => !isSiteId(a));
  if (app !== undefined) return `--app ${shown(app)} is not an App Service resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Web/sites/<app>[/slots/<slot>]`;
  const sub = subscriptions.find((s) => !SUBSCRIPTION_ID.test(s));
  if (sub !== undefined) return `--subscription ${shown(sub)} is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000`;
  const group = managementGroups.find((g) => !isManagementGroupId(g));
  if (group !== undefined) return `--management-group ${shown(group)} is not a management group id; expected letters, digits, '-', '_', '.', '(' or ')', at most 90`;
  return undefined;
}

export interface PostureRun {
  reports: PostureReport[];
  errors: { app: string; message: string }[];
  /** Subscriptions or management groups that could not be read at all. */
  scopeErrors?: SweepResult['scopeErrors'];
  warnings?: string[];
  /** Set when reports were streamed (then `reports` is empty). */
  summary?: PostureSummary;
  stats?: SchedulerStats;
  counts?: SweepResult['counts'];
}

/** Getting a token failed before any app was read: one message for the whole run. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/**
 * Live posture for the given apps, and every app and slot of the given subscriptions and management groups,
 * with DefaultAzureCredential. Subscriptions and groups are read through Resource Graph, the rest through the
 * throttle-aware scheduler; `hooks.onReport` streams each app as it is ready.
 */
export async function runPosture(req: PostureRequest, hooks: SweepHooks = {}): Promise<PostureRun> {
  const chosen = 'azureTokenCredentials' in req ? req.azureTokenCredentials : process.env.AZURE_TOKEN_CREDENTIALS;
  // Checked before the SDK sees it, so a typo gets our one line rather than the SDK's text.
  const tried = credentialChain(chosen);
  // Loaded here so `scan` never pays for the Azure SDK. AZURE_TOKEN_CREDENTIALS narrows the chain in CI.
  const { DefaultAzureCredential } = await import('@azure/identity');
  const cloud = req.armEndpoint ? customCloud({ armEndpoint: req.armEndpoint, base: req.cloud }) : AZURE_CLOUDS[req.cloud];
  const credential = reuseToken(new DefaultAzureCredential());
  // One sign-in up front: a failure is reported once, naming the credentials tried, instead of once per app.
  try {
    await credential.getToken(cloud.armScope);
  } catch (e) {
    throw new SignInError(isCredentialError(e) ? signInFailureMessage(credentialFailures(e), tried) : describeAzureError(e, { operation: 'sign in' }).message);
  }
  const scheduler = new ArmScheduler(req.timeBudgetMs ? { timeBudgetMs: req.timeBudgetMs } : {});
  const arm = createSweepClient({ credential, cloud }, scheduler);
  const r = await sweepPosture(
    arm,
    scheduler,
    { apps: req.apps, subscriptions: req.subscriptions, managementGroups: req.managementGroups ?? [], ...(req.checks ? { checks: req.checks } : {}), ...(req.levels ? { levels: req.levels } : {}), ...(req.slots === false ? { slots: false } : {}) },
    req.observe ? { ...hooks, onInput: req.observe } : hooks,
  );
  return { reports: r.reports, errors: r.errors, scopeErrors: r.scopeErrors, warnings: r.warnings, summary: r.summary, stats: r.stats, counts: r.counts };
}

/** The token of the sign-in check is reused by the first calls (an `az` call costs about a second). */
function reuseToken(inner: TokenCredential): TokenCredential {
  let cached: { scope: string; token: AccessToken } | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const scope = ([] as string[]).concat(scopes).join(' ');
      if (cached && cached.scope === scope && cached.token.expiresOnTimestamp - Date.now() > 5 * 60_000) return cached.token;
      const token = await inner.getToken(scopes, options);
      cached = token ? { scope, token } : undefined;
      return token;
    },
  };
}

const MARK: Record<string, string> = { pass: '✔', fail: '✖', warning: '!', unknown: '?' };

/** The checks of every app read (errors are not here: the caller prints them once, on stderr). */
export function formatPostureText(run: PostureRun, note?: (report: PostureReport, check: PostureCheck) => string | undefined): string {
  const lines: string[] = [];
  for (const r of run.reports) {
    lines.push(`${r.resourceId ?? r.name}`);
    for (const c of r.checks) {
      lines.push(`  ${MARK[c.status]} ${c.status.padEnd(7)} ${c.ruleId.padEnd(32)} ${c.value}${c.status === 'unknown' && c.unknownReason ? ` — ${c.unknownReason}` : ''}`);
      const extra = note?.(r, c);
      if (extra) lines.push(`              ${extra}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The last line: a success mark only when every app was read and none fails. */
export function formatPostureSummary(run: PostureRun): string {
  const s = run.summary ?? summarizePosture(run.reports);
  const errors = run.errors.length ? `${run.errors.length} of ${run.errors.length + s.reports} app(s) could not be read; ` : '';
  return `${s.failing || run.errors.length ? '✖' : '✔'} ${errors}${s.failing} failing, ${s.warnings} warnings, ${s.unknown} unknown, ${s.passing} passing in ${s.reports} app(s)\n`;
}

export function postureToJson(run: PostureRun): string {
  return (
    JSON.stringify(
      {
        apps: run.reports,
        errors: run.errors,
        ...(run.scopeErrors?.length ? { scopeErrors: run.scopeErrors } : {}),
        ...(run.warnings?.length ? { warnings: run.warnings } : {}),
        summary: run.summary ?? summarizePosture(run.reports),
      },
      null,
      2,
    ) + '\n'
  );
}

/** `--format jsonl`: one line per app as it is ready (the report object), then one line with the summary. */
export function postureJsonlLine(report: PostureReport): string {
  return JSON.stringify(report) + '\n';
}

export function postureJsonlSummary(run: PostureRun): string {
  return (
    JSON.stringify({
      summary: run.summary ?? summarizePosture(run.reports),
      errors: run.errors,
      ...(run.scopeErrors?.length ? { scopeErrors: run.scopeErrors } : {}),
      ...(run.warnings?.length ? { warnings: run.warnings } : {}),
    }) + '\n'
  );
}

/**
 * Progress for stderr: on a terminal one line rewritten in place (at most 5 times a second); elsewhere (CI logs)
 * a line every 10 s, so short runs print nothing. `done()` ends the terminal line.
 */
export function progressReporter(err: NodeJS.WritableStream, now: () => number = Date.now): { update(p: SweepProgress): void; done(): void } {
  const tty = (err as NodeJS.WriteStream).isTTY === true;
  const every = tty ? 200 : 10_000;
  const started = now();
  let last = started;
  let shown = false;
  const line = (p: SweepProgress): string => `posture: ${p.done}/${p.total} apps, ${p.calls} calls, ${p.throttled} throttled, ${Math.round((now() - started) / 1000)} s`;
  return {
    update(p) {
      const t = now();
      if (t - last < every && p.done !== p.total) return;
      if (!tty && t - started < every) return;
      last = t;
      shown = true;
      err.write(tty ? `\r${line(p)}\u001b[K` : `${line(p)}\n`);
    },
    done() {
      if (tty && shown) err.write('\n');
    },
  };
}
