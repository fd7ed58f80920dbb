import * as assert from 'node:assert/strict';
import { createArmClient } from '../../src/azure';
import { readPostureInput } from '../../src/azure/postureReader';
import { ArmScheduler } from '../../src/azure/scheduler';
import { createSweepClient, RESOURCE_GRAPH_CHECKS, resolveChecks, sweepPosture, type SweepRequest } from '../../src/azure/tenantSweep';
import { evaluatePosture, type PostureReport, type SourceResult } from '../../src/core/posture';
import { FakeAzure, seedTenant, staticCredential, type SeededTenant } from '../support/fakeAzure';

type Verdicts = Map<string, string>;

/** id → "RULE status value" lines, the verdicts a user sees. */
function verdicts(reports: PostureReport[]): Verdicts {
  const m: Verdicts = new Map();
  for (const r of reports) m.set(r.resourceId!.toLowerCase(), r.checks.map((c) => `${c.ruleId} ${c.status} ${c.value}`).join('\n'));
  return m;
}

describe('posture sweep: Resource Graph bulk path and throttle-aware scheduler against the fake Azure', function () {
  this.timeout(60_000);
  let fake: FakeAzure;
  let tenant: SeededTenant;

  const sweep = async (req: SweepRequest, schedulerOptions: ConstructorParameters<typeof ArmScheduler>[0] = {}, hooks = {}) => {
    const scheduler = new ArmScheduler(schedulerOptions);
    const arm = createSweepClient({ credential: staticCredential(), httpClient: fake.httpClient(), retryOptions: { maxRetries: 2, retryDelayInMs: 10 } }, scheduler);
    return await sweepPosture(arm, scheduler, req, hooks);
  };

  /** The per-app path as the posture view runs it: every read from Resource Manager, one app at a time. */
  const perApp = async (ids: string[]): Promise<Verdicts> => {
    const arm = createArmClient({ credential: staticCredential(), httpClient: fake.httpClient() });
    const defender = new Map<string, Promise<SourceResult>>();
    const reports: PostureReport[] = [];
    for (const id of ids) reports.push({ ...evaluatePosture(await readPostureInput(arm, id, defender)), resourceId: id });
    return verdicts(reports);
  };

  beforeEach(async () => {
    fake = await FakeAzure.start({ proxy: false });
    tenant = seedTenant(fake, { subscriptions: 3, sites: 18, slotEvery: 3, plainSecretEvery: 4, keyVaultEvery: 5 });
  });
  afterEach(async () => fake.dispose());

  it('bulk and per-app paths give the same verdicts on the same tenant, slots included', async () => {
    const bulk = await sweep({ subscriptions: tenant.subscriptions });
    assert.deepEqual(bulk.errors, []);
    assert.equal(bulk.counts.apps, tenant.sites.length + tenant.slots.length);
    assert.equal(bulk.counts.slots, tenant.slots.length);
    assert.ok(tenant.slots.length >= 6);
    const expected = await perApp([...tenant.sites, ...tenant.slots]);
    const got = verdicts(bulk.reports);
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
    for (const [id, v] of expected) assert.equal(got.get(id), v, id);
    // The verdicts are not all alike (the comparison means something).
    assert.ok(bulk.summary.failing > 0 && bulk.summary.passing > 0);
    // Sites, slots and config/web came from Resource Graph: no per-app GET of the site or its config.
    assert.equal(fake.requests({ method: 'GET', pathIncludes: '/config/web' }).filter((e) => e.seq > 0 && e.path.endsWith('/config/web')).length, tenant.sites.length + tenant.slots.length, 'only the per-app comparison read config/web');
  });

  it('an app given by id is checked with its deployment slots; slots: false (--no-slots) checks the app alone', async () => {
    const slot = tenant.slots[0];
    const app = slot.slice(0, slot.toLowerCase().indexOf('/slots/'));
    const itsSlots = tenant.slots.filter((x) => x.toLowerCase().startsWith(`${app.toLowerCase()}/slots/`));
    const withSlots = await sweep({ apps: [app] });
    assert.deepEqual(withSlots.reports.map((r) => r.resourceId!.toLowerCase()).sort(), [app, ...itsSlots].map((x) => x.toLowerCase()).sort());
    assert.equal(withSlots.counts.slots, itsSlots.length);
    const alone = await sweep({ apps: [app], slots: false });
    assert.deepEqual(alone.reports.map((r) => r.resourceId!.toLowerCase()), [app.toLowerCase()]);
  });

  it('Resource-Graph-only checks make no per-app call and report only those checks', async () => {
    const ids = resolveChecks(['resource-graph']);
    assert.ok('ids' in ids);
    const r = await sweep({ subscriptions: tenant.subscriptions, checks: ids.ids });
    assert.equal(r.counts.apps, tenant.sites.length + tenant.slots.length);
    const calls = fake.requests();
    assert.ok(calls.length > 0 && calls.every((e) => /resourcegraph/i.test(e.path)), calls.map((e) => `${e.method} ${e.path}`).join('\n'));
    const rules = new Set(r.reports.flatMap((x) => x.checks.map((c) => c.ruleId)));
    assert.deepEqual([...rules].sort(), [...RESOURCE_GRAPH_CHECKS].sort());
    assert.ok(RESOURCE_GRAPH_CHECKS.includes('APPSVC-MIN-TLS') && !RESOURCE_GRAPH_CHECKS.includes('APPSVC-BASIC-AUTH-FTP'));
    assert.deepEqual(resolveChecks(['APPSVC-MIN-TLS', 'NOPE']), { unknown: 'NOPE' });
  });

  it('pages with $skipToken: a truncated page is asked again and an expired token restarts; no app twice, none dropped', async () => {
    fake.graphPageSize = 5;
    let continuation = 0;
    let truncatedOnce = false;
    fake.onGraphPage = ({ skip, query }) => {
      if (!query.startsWith('resources')) return undefined;
      if (skip === 5 && !truncatedOnce) {
        truncatedOnce = true;
        return 'truncate';
      }
      if (skip > 0 && ++continuation === 3) return 'expire-token';
      return undefined;
    };
    const r = await sweep({ subscriptions: tenant.subscriptions, checks: ['APPSVC-HTTPS-ONLY'] });
    const ids = r.reports.map((x) => x.resourceId!.toLowerCase());
    assert.equal(new Set(ids).size, ids.length, 'no app twice');
    assert.deepEqual([...ids].sort(), [...tenant.sites, ...tenant.slots].map((x) => x.toLowerCase()).sort(), 'none dropped');
    assert.equal(r.stats.graphPageRetries, 1);
    assert.equal(r.stats.graphRestarts, 1);
    assert.ok(r.stats.graphPages > 10);
  });

  it("respects Resource Graph's quota headers: waits for the window instead of drawing 429s", async () => {
    fake.graphPageSize = 4;
    fake.enableThrottling(undefined, { perWindow: 3, windowMs: 400 });
    const r = await sweep({ subscriptions: tenant.subscriptions, checks: RESOURCE_GRAPH_CHECKS });
    assert.equal(r.counts.apps, tenant.sites.length + tenant.slots.length);
    const graph = fake.requests({ pathIncludes: 'resourcegraph' });
    assert.ok(graph.length > 6, 'more queries than one quota window allows');
    assert.deepEqual(graph.filter((e) => e.status === 429).length, 0);
    assert.equal(r.stats.throttled, 0);
  });

  it('when the time budget runs out, the checks still needing a call are unknown with the reason, and the run finishes', async () => {
    // Writes (config/appsettings/list) drain after 3 calls and refill slowly; reads are plentiful.
    fake.enableThrottling({ reads: { burst: 1000, perSecond: 100 }, writes: { burst: 3, perSecond: 0.1 } }, false);
    const r = await sweep({ subscriptions: [tenant.subscriptions[0]] }, { timeBudgetMs: 1500, writes: { burst: 3, perSecond: 0.1 } });
    const apps = tenant.sites.length / 3 + tenant.slots.filter((s) => s.includes(tenant.subscriptions[0])).length;
    assert.equal(r.counts.apps, apps, 'every app reported');
    const secrets = r.reports.map((x) => x.checks.find((c) => c.ruleId === 'APPSVC-SETTING-PLAINTEXT-SECRET')!);
    const skipped = secrets.filter((c) => c.status === 'unknown');
    assert.ok(skipped.length >= apps - 3, `${skipped.length} of ${apps}`);
    assert.match(skipped[0].unknownReason!, /time budget \(2 s\) ran out/);
    assert.match(skipped[0].unknownReason!, /--time-budget|--checks/);
    // Checks Resource Graph answered are judged regardless.
    assert.ok(r.reports.every((x) => x.checks.find((c) => c.ruleId === 'APPSVC-MIN-TLS')!.status !== 'unknown'));
    assert.ok(r.stats.refusedByBudget > 0);
  });

  it('a call throttled on every try leaves its check unknown, naming the throttling; the others are judged', async () => {
    fake.fault({ route: '/basicPublishingCredentialsPolicies', status: 429, retryAfterSeconds: 0 });
    const r = await sweep({ subscriptions: [tenant.subscriptions[1]], checks: ['APPSVC-BASIC-AUTH-FTP', 'APPSVC-HTTPS-ONLY'] });
    for (const rep of r.reports) {
      const ftp = rep.checks.find((c) => c.ruleId === 'APPSVC-BASIC-AUTH-FTP')!;
      assert.equal(ftp.status, 'unknown');
      assert.match(ftp.unknownReason!, /429/);
      assert.match(ftp.unknownReason!, /throttl/i);
      assert.notEqual(rep.checks.find((c) => c.ruleId === 'APPSVC-HTTPS-ONLY')!.status, 'unknown');
    }
    assert.ok(r.stats.throttled >= r.reports.length * 3, 'each call was tried again before giving up');
  });

  it('a subscription the identity cannot read is reported by name and the others go on', async () => {
    const [a, b, c] = tenant.subscriptions;
    fake.denySubscription(c);
    const r = await sweep({ subscriptions: [a, b, c] });
    assert.equal(r.scopeErrors.length, 1);
    assert.equal(r.scopeErrors[0].scope, `subscription ${c}`);
    assert.match(r.scopeErrors[0].message, /cannot read/);
    const reported = new Set(r.reports.map((x) => x.resourceId!.split('/')[2]));
    assert.deepEqual([...reported].sort(), [a, b].sort());
    assert.ok(r.warnings.some((w) => w.includes(c)), 'Resource Graph refusal is explained too');
  });

  it('Resource Graph refused (403) or not registered for one subscription: that one is read per app with a warning, same verdicts, slots included', async () => {
    const [a, b, c] = tenant.subscriptions;
    const before = verdicts((await sweep({ subscriptions: [a, b, c] })).reports);
    fake.graphDenied.add(b);
    fake.graphUnregistered.add(c);
    fake.clearLog();
    const r = await sweep({ subscriptions: [a, b, c] });
    assert.deepEqual(r.scopeErrors, []);
    assert.ok(r.warnings.some((w) => w.includes(b) && /403/.test(w)), r.warnings.join('\n'));
    assert.ok(r.warnings.some((w) => w.includes(c) && /MissingSubscriptionRegistration/.test(w)), r.warnings.join('\n'));
    assert.ok(r.counts.viaResourceManager > 0 && r.counts.viaResourceGraph > 0);
    assert.deepEqual(verdicts(r.reports), before);
    assert.ok(fake.requests({ pathIncludes: '/slots' }).length > 0, 'slots listed for the fallback subscriptions');
  });

  it('management groups: Resource Graph by group; when it refuses the group, its subscriptions from Resource Manager', async () => {
    const [a, b] = tenant.subscriptions;
    fake.addManagementGroup('mg-prod', [a, b]);
    const r = await sweep({ managementGroups: ['mg-prod'], checks: ['APPSVC-HTTPS-ONLY'] });
    const expected = [...tenant.sites, ...tenant.slots].filter((id) => !id.includes(tenant.subscriptions[2])).length;
    assert.equal(r.counts.apps, expected);
    assert.ok(fake.requests({ pathIncludes: 'resourcegraph' }).some((e) => JSON.stringify(e.body).includes('managementGroups')));
    fake.graphDenied.add('mg-prod');
    const again = await sweep({ managementGroups: ['mg-prod'], checks: ['APPSVC-HTTPS-ONLY'] });
    assert.equal(again.counts.apps, expected);
    assert.ok(again.warnings.some((w) => w.includes('mg-prod')));
  });

  it('a config/web row Resource Graph lacks is read from Resource Manager and reported as a warning; PascalCase rows read the same', async () => {
    const all = verdicts((await sweep({ subscriptions: tenant.subscriptions })).reports);
    fake.graphMissingConfig.add(tenant.slots[0].toLowerCase());
    fake.graphPascalCaseConfig = true;
    fake.clearLog();
    const r = await sweep({ subscriptions: tenant.subscriptions });
    assert.equal(r.counts.missingConfigRows, 1);
    assert.ok(r.warnings.some((w) => /no config\/web row for 1 app/.test(w)));
    assert.deepEqual(fake.requests({ method: 'GET', pathIncludes: '/config/web' }).map((e) => e.path.toLowerCase()), [`${tenant.slots[0].toLowerCase()}/config/web`]);
    assert.deepEqual(verdicts(r.reports), all);
  });

  it('streams reports as they are ready and counts them in the summary', async () => {
    const streamed: PostureReport[] = [];
    const progress: number[] = [];
    const r = await sweep({ subscriptions: tenant.subscriptions, checks: RESOURCE_GRAPH_CHECKS }, {}, { onReport: (x: PostureReport) => streamed.push(x), onProgress: (p: { done: number }) => progress.push(p.done) });
    assert.equal(r.reports.length, 0);
    assert.equal(streamed.length, tenant.sites.length + tenant.slots.length);
    assert.equal(r.summary.reports, streamed.length);
    assert.equal(progress[progress.length - 1], streamed.length);
  });
});
