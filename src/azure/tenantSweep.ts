// Posture of many apps at once (`posture --subscription/--management-group`): the sites, slots and their
// config/web come from Resource Graph in a few paged queries; only what Resource Graph does not hold (app
// settings, authentication settings, basic-auth publishing policies, Key Vault reference status, vaults) is read
// per app, through the throttle-aware scheduler, and only for the checks asked for. Evaluation is the same code
// as the per-app path (evaluatePosture). A subscription Resource Graph refuses is read the per-app way, with a
// warning; one the identity cannot read at all is reported and the others go on.

import {
  postureRule,
  evaluatePosture,
  postureChecks,
  splitPublishingPolicies,
  summarizePosture,
  type PostureInput,
  type PostureReport,
  type PostureSourceName,
  type PostureSummary,
  type SourceResult,
} from '../core/posture';
import type { Level } from '../core/model';
import { settingsOf } from '../core/posture/secrets';
import { isKeyVaultReference } from '../core/references/keyVault';
import { ARM_API_VERSIONS, createArmClient, isSiteId, type ArmClient, type ArmClientOptions, type ArmResource } from './arm';
import { mapWithConcurrency } from './concurrency';
import { describeAzureError } from './errors';
import { read, readPostureInput, readVaults, subscriptionPricing } from './postureReader';
import { readGraphInventory, type GraphApp, type GraphInventory, type GraphScope } from './resourceGraph';
import type { ArmScheduler, SchedulerStats } from './scheduler';

/** Sources Resource Graph holds (the site body and config/web). */
const GRAPH_SOURCES: ReadonlySet<PostureSourceName> = new Set(['site', 'web']);

/** Rule ids Resource Graph alone answers: a sweep limited to them makes no per-app call. */
export const RESOURCE_GRAPH_CHECKS: readonly string[] = postureChecks.filter((m) => m.sources.every((s) => GRAPH_SOURCES.has(s))).map((m) => m.ruleId);

/** `--checks` shorthand for RESOURCE_GRAPH_CHECKS. */
export const RESOURCE_GRAPH_CHECKS_ALIAS = 'resource-graph';

/** What one app costs for a check beyond Resource Graph (for `--checks` help and the README). */
export const CHECK_COST: Readonly<Record<PostureSourceName, string>> = {
  site: 'Resource Graph',
  web: 'Resource Graph',
  appSettings: '1 POST per app (config/appsettings/list, writes bucket)',
  authSettingsV2: '1 GET per app (config/authsettingsV2)',
  ftpPolicy: '1 GET per app (basicPublishingCredentialsPolicies, shared with the SCM check)',
  scmPolicy: '1 GET per app (basicPublishingCredentialsPolicies, shared with the FTP check)',
  configReferences: '1 GET per app whose settings hold a Key Vault reference (config/configreferences/appsettings)',
  defenderPricing: '1 GET per subscription',
  vaults: '1 Resource Graph query per subscription + 1 GET per referenced vault',
  roleAssignments: '1 GET per referenced RBAC vault',
};

/** Rule ids from `--checks` tokens (ids or the 'resource-graph' shorthand), or the first unknown token. */
export function resolveChecks(tokens: readonly string[]): { ids: string[] } | { unknown: string } {
  const known = new Map(postureChecks.map((m) => [m.ruleId.toLowerCase(), m.ruleId]));
  const ids = new Set<string>();
  for (const raw of tokens) {
    const t = raw.trim();
    if (!t) continue;
    if (t.toLowerCase() === RESOURCE_GRAPH_CHECKS_ALIAS) RESOURCE_GRAPH_CHECKS.forEach((id) => ids.add(id));
    else if (known.has(t.toLowerCase())) ids.add(known.get(t.toLowerCase())!);
    else return { unknown: t };
  }
  return { ids: [...ids] };
}

export interface SweepRequest {
  /** Apps or slots named one by one (read the per-app way). */
  apps?: readonly string[];
  subscriptions?: readonly string[];
  managementGroups?: readonly string[];
  /** Rule ids to evaluate (default all); the others are neither read nor reported. */
  checks?: readonly string[];
  /** Check the deployment slots of apps named in `apps` too (default true; `--no-slots` turns it off). */
  slots?: boolean;
  /** Rule levels of the project config (a default-off rule turned on, a rule turned off). */
  levels?: Readonly<Record<string, Level>>;
  /** Apps being read at once (default 2048): the scheduler bounds the calls per subscription, so many apps waiting is cheap and lets reads and writes use their buckets independently. */
  concurrency?: number;
  /** Rows per Resource Graph page (default and maximum 1000). */
  graphPageSize?: number;
}

export interface SweepProgress {
  done: number;
  total: number;
  calls: number;
  throttled: number;
}

export interface SweepHooks {
  /** Each report as soon as it is ready (then `reports` stays empty: stream big runs). */
  onReport?: (report: PostureReport) => void;
  onProgress?: (progress: SweepProgress) => void;
  onWarning?: (message: string) => void;
  /** Each app's reads before evaluation (posture --iac keeps the deployed values for drift). */
  onInput?: (app: string, input: PostureInput) => void;
}

export interface SweepResult {
  /** Reports, unless streamed through onReport. */
  reports: PostureReport[];
  /** Apps that could not be read at all. */
  errors: { app: string; message: string }[];
  /** Subscriptions or management groups that could not be read (`scope` names which). */
  scopeErrors: { scope: string; message: string }[];
  warnings: string[];
  summary: PostureSummary;
  counts: { apps: number; slots: number; viaResourceGraph: number; viaResourceManager: number; missingConfigRows: number };
  stats: SchedulerStats & { graphPages: number; graphPageRetries: number; graphRestarts: number };
}

/** An ArmClient whose every attempt goes through the scheduler (the transport stays the caller's choice). */
export function createSweepClient(options: ArmClientOptions, scheduler: ArmScheduler): ArmClient {
  return createArmClient({ ...options, additionalPolicies: [...(options.additionalPolicies ?? []), { policy: scheduler.policy(), position: 'perRetry' }] });
}

type RunCache = Map<string, Promise<SourceResult>>;

function hasKeyVaultReference(input: PostureInput): boolean | undefined {
  const settings = input.appSettings?.ok ? settingsOf(input.appSettings.body as never) : undefined;
  if (!settings) return undefined;
  return Object.values(settings).some((v) => typeof v === 'string' && isKeyVaultReference(v));
}

/** The inputs of one Resource Graph app: its rows, plus the per-app reads the selected checks need. */
export async function readBulkInput(arm: ArmClient, app: GraphApp, needs: ReadonlySet<PostureSourceName>, run: RunCache): Promise<PostureInput> {
  const id = app.id;
  const [web, appSettings, authSettingsV2, policies, defenderPricing] = await Promise.all([
    needs.has('web') ? (app.web ? ({ ok: true, body: app.web } as SourceResult) : read(() => arm.getSiteConfig(id))) : undefined,
    needs.has('appSettings') ? read(() => arm.listAppSettings(id)) : undefined,
    needs.has('authSettingsV2') ? read(() => arm.getAuthSettingsV2(id)) : undefined,
    needs.has('ftpPolicy') || needs.has('scmPolicy')
      ? read<{ value?: ArmResource[] }>(() => arm.listAll(`${id}/basicPublishingCredentialsPolicies`, ARM_API_VERSIONS.web).then((value) => ({ value })))
      : undefined,
    needs.has('defenderPricing') ? subscriptionPricing(arm, app.subscriptionId, run) : undefined,
  ]);
  const input: PostureInput = { site: { ok: true, body: app.site } };
  if (web) input.web = web as PostureInput['web'];
  if (appSettings) input.appSettings = appSettings as PostureInput['appSettings'];
  if (authSettingsV2) input.authSettingsV2 = authSettingsV2 as PostureInput['authSettingsV2'];
  if (policies) Object.assign(input, splitPublishingPolicies(policies));
  if (defenderPricing) input.defenderPricing = defenderPricing as PostureInput['defenderPricing'];
  if (needs.has('configReferences') || needs.has('vaults')) {
    // configreferences/appsettings lists exactly the settings that are Key Vault references: settings read
    // and holding none means an empty list, without a call.
    input.configReferences =
      hasKeyVaultReference(input) === false ? { ok: true, body: { value: [] } } : await read(async () => ({ value: await arm.getConfigReferences(id) }));
  }
  if (needs.has('vaults') || needs.has('roleAssignments')) Object.assign(input, await readVaults(arm, app.subscriptionId, input, run, {}));
  return input;
}

/** Round-robin over subscriptions, so every subscription's buckets are used at once. */
function interleave<T>(items: readonly T[], key: (t: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t).toLowerCase();
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  const lists = [...groups.values()];
  const out: T[] = [];
  for (let i = 0; out.length < items.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

const subscriptionOf = (id: string): string => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';

/** A compact copy of a report with what summarizePosture reads (streamed runs keep only these). */
function summaryStub(r: PostureReport): PostureReport {
  return {
    ...(r.resourceId ? { resourceId: r.resourceId } : {}),
    isSlot: r.isSlot,
    counts: r.counts,
    checks: r.checks.map((c) => ({ ruleId: c.ruleId, status: c.status, scope: c.scope }) as PostureReport['checks'][number]),
  };
}

export async function sweepPosture(arm: ArmClient, scheduler: ArmScheduler, req: SweepRequest, hooks: SweepHooks = {}): Promise<SweepResult> {
  const selected = new Set(req.checks ?? postureChecks.map((m) => m.ruleId));
  // The project config's levels (a default-off rule turned on), then the rules --checks leaves out turned off.
  const levels: Record<string, Level> | undefined = req.checks
    ? {
        // A default-off rule named in --checks (or by its shorthand) is asked for: it runs at its own severity.
        ...Object.fromEntries([...selected].flatMap((id) => { const m = postureRule(id); return m?.defaultOff ? [[id, m.severity as Level]] : []; })),
        ...req.levels,
        ...Object.fromEntries(postureChecks.filter((m) => !selected.has(m.ruleId)).map((m) => [m.ruleId, 'off' as Level])),
      }
    : req.levels;
  const needs = new Set(postureChecks.filter((m) => selected.has(m.ruleId)).flatMap((m) => m.sources));
  const result: SweepResult = {
    reports: [],
    errors: [],
    scopeErrors: [],
    warnings: [],
    summary: summarizePosture([]),
    counts: { apps: 0, slots: 0, viaResourceGraph: 0, viaResourceManager: 0, missingConfigRows: 0 },
    stats: Object.assign(scheduler.stats, { graphPages: 0, graphPageRetries: 0, graphRestarts: 0 }),
  };
  const warn = (m: string): void => {
    result.warnings.push(m);
    hooks.onWarning?.(m);
  };
  const seen = new Set<string>();
  const bulk: GraphApp[] = [];
  const single: string[] = [];
  const addSingle = (id: string): void => {
    if (seen.has(id.toLowerCase())) return;
    seen.add(id.toLowerCase());
    single.push(id);
  };
  (req.apps ?? []).forEach(addSingle);
  // An app named by its id is checked with its deployment slots, as the posture view does (unless slots: false).
  if (req.slots !== false) {
    await mapWithConcurrency(
      (req.apps ?? []).filter((id) => isSiteId(id) && !/\/slots\//i.test(id)),
      async (id) => {
        const slots = await read<ArmResource[]>(() => arm.listSlots(id));
        if (slots.ok) slots.body.filter((x) => typeof x.id === 'string' && isSiteId(x.id)).forEach((x) => addSingle(x.id));
        // An app that is not there is reported once, by its own read.
        else if (slots.status !== 404) warn(`Could not list the deployment slots of ${id}: ${slots.message}`);
      },
      { concurrency: 16 },
    );
  }

  // ---------------------------------------------------------------- inventory
  const inventory = async (scope: GraphScope): Promise<{ ok: true; value: GraphInventory } | { ok: false; status?: number; code?: string; message: string }> => {
    const r = await read<GraphInventory>(() => readGraphInventory(arm, scope, { ...(req.graphPageSize ? { pageSize: req.graphPageSize } : {}) }));
    return r.ok ? { ok: true, value: r.body } : r;
  };
  const take = (inv: GraphInventory): void => {
    result.stats.graphPages += inv.stats.pages;
    result.stats.graphPageRetries += inv.stats.pageRetries;
    result.stats.graphRestarts += inv.stats.restarts;
    const missing = new Set(inv.missingConfig.map((id) => id.toLowerCase()));
    for (const a of inv.apps) {
      if (seen.has(a.id.toLowerCase())) continue;
      seen.add(a.id.toLowerCase());
      bulk.push(a);
      if (missing.has(a.id.toLowerCase())) result.counts.missingConfigRows++;
    }
  };
  const fallback: string[] = [];
  const covered = new Set<string>();
  const viaGraph = async (subs: readonly string[]): Promise<void> => {
    const todo = subs.filter((s) => !covered.has(s.toLowerCase()));
    todo.forEach((s) => covered.add(s.toLowerCase()));
    if (!todo.length) return;
    const inv = await inventory({ subscriptions: todo });
    if (inv.ok) return take(inv.value);
    if (todo.length > 1) {
      // One refusal fails the whole query: ask each subscription alone to find which.
      todo.forEach((s) => covered.delete(s.toLowerCase()));
      await Promise.all(todo.map((s) => viaGraph([s])));
      return;
    }
    warn(`Resource Graph refused subscription ${todo[0]} (${inv.status ?? 'error'}${inv.code ? ` ${inv.code}` : ''}): reading its apps one by one through Resource Manager, which is slower.`);
    fallback.push(todo[0]);
  };
  const subscriptions = [...new Map((req.subscriptions ?? []).map((s) => [s.toLowerCase(), s])).values()];
  await viaGraph(subscriptions);
  for (const mg of req.managementGroups ?? []) {
    const inv = await inventory({ managementGroups: [mg] });
    if (inv.ok) {
      take(inv.value);
      continue;
    }
    warn(`Resource Graph refused management group ${mg} (${inv.status ?? 'error'}${inv.code ? ` ${inv.code}` : ''}): listing its subscriptions through Resource Manager.`);
    const members = await read<ArmResource[]>(() => arm.listAll(`/providers/Microsoft.Management/managementGroups/${encodeURIComponent(mg)}/descendants`, '2020-05-01'));
    if (!members.ok) {
      result.scopeErrors.push({ scope: `management group ${mg}`, message: members.message });
      continue;
    }
    await viaGraph(members.body.filter((m) => /\/subscriptions$/i.test(String(m.type ?? ''))).map((m) => String(m.name)));
  }
  await mapWithConcurrency(
    fallback,
    async (sub) => {
      const sites = await read<ArmResource[]>(() => arm.listAll(`/subscriptions/${sub}/providers/Microsoft.Web/sites`, ARM_API_VERSIONS.web));
      if (!sites.ok) {
        const d = sites.status === 403 ? 'the identity cannot read it' : 'it could not be read';
        result.scopeErrors.push({ scope: `subscription ${sub}`, message: `${d}: ${sites.message}` });
        return;
      }
      await mapWithConcurrency(
        sites.body.filter((s) => typeof s.id === 'string' && isSiteId(s.id)),
        async (s) => {
          addSingle(s.id);
          const slots = await read<ArmResource[]>(() => arm.listSlots(s.id));
          if (slots.ok) slots.body.filter((x) => typeof x.id === 'string' && isSiteId(x.id)).forEach((x) => addSingle(x.id));
          else warn(`Could not list the deployment slots of ${s.id}: ${slots.message}`);
        },
        { concurrency: 16 },
      );
    },
    { concurrency: 4 },
  );
  if (result.counts.missingConfigRows && needs.has('web')) {
    warn(`Resource Graph holds no config/web row for ${result.counts.missingConfigRows} app(s); read from Resource Manager instead.`);
  }

  // ---------------------------------------------------------------- evaluation
  const total = bulk.length + single.length;
  const stubs: PostureReport[] = [];
  let done = 0;
  const progress = (): void =>
    hooks.onProgress?.({ done, total, calls: scheduler.stats.graph + scheduler.stats.reads + scheduler.stats.writes, throttled: scheduler.stats.throttled });
  const emit = (r: PostureReport): void => {
    result.counts.apps++;
    if (r.isSlot) result.counts.slots++;
    if (hooks.onReport) {
      stubs.push(summaryStub(r));
      hooks.onReport(r);
    } else result.reports.push(r);
  };
  const run: RunCache = new Map();
  // Unstreamed reports keep a stable order: apps named first, as given, then the inventory's (by id).
  const order = new Map([...single, ...bulk.map((a) => a.id)].map((id, i) => [id.toLowerCase(), i]));
  type Target = { kind: 'bulk'; app: GraphApp } | { kind: 'single'; id: string };
  const targets: Target[] = interleave<Target>(
    [...bulk.map((app) => ({ kind: 'bulk' as const, app })), ...single.map((id) => ({ kind: 'single' as const, id }))],
    (t) => (t.kind === 'bulk' ? t.app.subscriptionId : subscriptionOf(t.id)),
  );
  progress();
  await mapWithConcurrency(
    targets,
    async (t) => {
      try {
        if (t.kind === 'bulk') {
          const input = await readBulkInput(arm, t.app, needs, run);
          result.counts.viaResourceGraph++;
          hooks.onInput?.(t.app.id, input);
          emit({ ...evaluatePosture(input, levels ? { levels } : {}), resourceId: t.app.id });
        } else {
          const input = await readPostureInput(arm, t.id, run);
          result.counts.viaResourceManager++;
          if (!input.site?.ok) result.errors.push({ app: t.id, message: input.site?.ok === false ? input.site.message : 'the app could not be read' });
          else {
            hooks.onInput?.(t.id, input);
            emit({ ...evaluatePosture(input, levels ? { levels } : {}), resourceId: t.id });
          }
        }
      } catch (e) {
        result.errors.push({ app: t.kind === 'bulk' ? t.app.id : t.id, message: describeAzureError(e).message });
      } finally {
        done++;
        progress();
      }
    },
    { concurrency: req.concurrency ?? 2048 },
  );
  const rank = (r: PostureReport): number => order.get((r.resourceId ?? '').toLowerCase()) ?? 0;
  result.reports.sort((x, y) => rank(x) - rank(y));
  result.summary = summarizePosture(hooks.onReport ? stubs : result.reports);
  return result;
}
