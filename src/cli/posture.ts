import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { evaluatePosture, summarizePosture, type EvaluateOptions, type PostureCheck, type PostureInput, type PostureReport, type SourceResult } from '../core/posture';
import {
  AZURE_CLOUDS,
  createArmClient,
  credentialChain,
  credentialFailures,
  customCloud,
  describeAzureError,
  isCredentialError,
  isSiteId,
  signInFailureMessage,
  type AzureCloudName,
} from '../azure';
import { readPostureInput } from '../azure/postureReader';

export interface PostureRequest {
  apps: string[];
  subscriptions: string[];
  cloud: Exclude<AzureCloudName, 'Custom'>;
  armEndpoint?: string;
  /** AZURE_TOKEN_CREDENTIALS, read by the caller (default: process.env). */
  azureTokenCredentials?: string;
  /** Sees each app's reads before evaluation (posture --iac keeps the deployed values for drift). */
  observe?: (app: string, input: PostureInput) => void;
  /** Rule levels of the project config: default-off rules (APPSVC-CLIENT-CERT) run only when turned on here. */
  levels?: EvaluateOptions['levels'];
}

export { CredentialSelectionError } from '../azure';

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first --app or --subscription that is not an id, as a one-line usage message. */
export function invalidPostureTarget(apps: readonly string[], subscriptions: readonly string[]): string | undefined {
  const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  const app = apps.find((a) => !isSiteId(a));
  if (app !== undefined) return `--app ${shown(app)} is not an App Service resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Web/sites/<app>[/slots/<slot>]`;
  const sub = subscriptions.find((s) => !SUBSCRIPTION_ID.test(s));
  if (sub !== undefined) return `--subscription ${shown(sub)} is not a subscription id; expected a GUID such as 00000000-0000-0000-0000-000000000000`;
  return undefined;
}

export interface PostureRun {
  reports: PostureReport[];
  errors: { app: string; message: string }[];
}

/** Getting a token failed before any app was read: one message for the whole run. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** An app's own read failed; the message is already in our words. */
class AppReadError extends Error {}

/** Live posture for the given apps (and every app of the given subscriptions), with DefaultAzureCredential. */
export async function runPosture(req: PostureRequest): Promise<PostureRun> {
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
  const arm = createArmClient({ credential, cloud });
  const apps = [...req.apps];
  if (req.subscriptions.length) {
    const sites = await arm.listSites(req.subscriptions);
    for (const s of sites) if (!apps.some((a) => a.toLowerCase() === s.id.toLowerCase())) apps.push(s.id);
  }
  const defender = new Map<string, Promise<SourceResult>>();
  const run: PostureRun = { reports: [], errors: [] };
  const results = await arm.forEachApp(apps, async (app) => {
    const input = await readPostureInput(arm, app, defender);
    if (!input.site?.ok) throw new AppReadError(input.site?.ok === false ? input.site.message : 'the app could not be read');
    req.observe?.(app, input);
    return { ...evaluatePosture(input, { levels: req.levels }), resourceId: app } as PostureReport;
  });
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') run.reports.push(r.value);
    else run.errors.push({ app: apps[i], message: r.reason instanceof AppReadError ? r.reason.message : describeAzureError(r.reason).message });
  });
  return run;
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
  const s = summarizePosture(run.reports);
  const errors = run.errors.length ? `${run.errors.length} of ${run.errors.length + s.reports} app(s) could not be read; ` : '';
  return `${s.failing || run.errors.length ? '✖' : '✔'} ${errors}${s.failing} failing, ${s.warnings} warnings, ${s.unknown} unknown, ${s.passing} passing in ${s.reports} app(s)\n`;
}

export function postureToJson(run: PostureRun): string {
  return JSON.stringify({ apps: run.reports, errors: run.errors, summary: summarizePosture(run.reports) }, null, 2) + '\n';
}
