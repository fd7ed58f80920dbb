import { evaluatePosture, summarizePosture, type PostureReport, type SourceResult } from '../core/posture';
import { AZURE_CLOUDS, createArmClient, customCloud, describeAzureError, type AzureCloudName } from '../azure';
import { readPostureInput } from '../azure/postureReader';

export interface PostureRequest {
  apps: string[];
  subscriptions: string[];
  cloud: Exclude<AzureCloudName, 'Custom'>;
  armEndpoint?: string;
}

export interface PostureRun {
  reports: PostureReport[];
  errors: { app: string; message: string }[];
}

/** Live posture for the given apps (and every app of the given subscriptions), with DefaultAzureCredential. */
export async function runPosture(req: PostureRequest): Promise<PostureRun> {
  // Loaded here so `scan` never pays for the Azure SDK. AZURE_TOKEN_CREDENTIALS narrows the chain in CI.
  const { DefaultAzureCredential } = await import('@azure/identity');
  const cloud = req.armEndpoint ? customCloud({ armEndpoint: req.armEndpoint, base: req.cloud }) : AZURE_CLOUDS[req.cloud];
  const arm = createArmClient({ credential: new DefaultAzureCredential(), cloud });
  const apps = [...req.apps];
  if (req.subscriptions.length) {
    const sites = await arm.listSites(req.subscriptions);
    for (const s of sites) if (!apps.some((a) => a.toLowerCase() === s.id.toLowerCase())) apps.push(s.id);
  }
  const defender = new Map<string, Promise<SourceResult>>();
  const run: PostureRun = { reports: [], errors: [] };
  const results = await arm.forEachApp(apps, async (app) => {
    const input = await readPostureInput(arm, app, defender);
    if (!input.site?.ok) throw new Error(input.site?.ok === false ? input.site.message : 'the app could not be read');
    return { ...evaluatePosture(input), resourceId: app } as PostureReport;
  });
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') run.reports.push(r.value);
    else run.errors.push({ app: apps[i], message: describeAzureError(r.reason).message });
  });
  return run;
}

const MARK: Record<string, string> = { pass: '✔', fail: '✖', warning: '!', unknown: '?' };

export function formatPostureText(run: PostureRun): string {
  const lines: string[] = [];
  for (const r of run.reports) {
    lines.push(`${r.resourceId ?? r.name}`);
    for (const c of r.checks) {
      lines.push(`  ${MARK[c.status]} ${c.status.padEnd(7)} ${c.ruleId.padEnd(32)} ${c.value}${c.status === 'unknown' && c.unknownReason ? ` — ${c.unknownReason}` : ''}`);
    }
  }
  for (const e of run.errors) lines.push(`${e.app}: error: ${e.message}`);
  const s = summarizePosture(run.reports);
  lines.push(`${s.failing ? '✖' : '✔'} ${s.failing} failing, ${s.warnings} warnings, ${s.unknown} unknown, ${s.passing} passing in ${s.reports} app(s)`);
  return lines.join('\n') + '\n';
}

export function postureToJson(run: PostureRun): string {
  return JSON.stringify({ apps: run.reports, errors: run.errors, summary: summarizePosture(run.reports) }, null, 2) + '\n';
}
