// npm run bench:tenant: posture at tenant scale against the fake Azure with Resource Manager's throttling
// modelled (per-subscription buckets: reads 250 burst / 25 per s, writes and POST 200 / 10 per s; Resource
// Graph 15 queries per 5 s) and 100 ms per call. Figures only, never pass/fail.
//   case 1: 2,000 apps + a slot on every 4th over 4 subscriptions, every check (Resource Graph + per-app calls);
//           agreement with the per-app path on a sample (the per-app path needs minutes at this size);
//   case 2: 20,000 apps + slots, Resource-Graph-only checks.
// Sizes: TENANT_SITES (2000), TENANT_BIG_SITES (20000), TENANT_SAMPLE (200).

import { createArmClient } from '../src/azure';
import { readPostureInput } from '../src/azure/postureReader';
import { ArmScheduler } from '../src/azure/scheduler';
import { createSweepClient, RESOURCE_GRAPH_CHECKS, sweepPosture, type SweepResult } from '../src/azure/tenantSweep';
import { evaluatePosture, type PostureReport, type SourceResult } from '../src/core/posture';
import { FakeAzure, seedTenant, staticCredential, type SeededTenant } from '../test/support/fakeAzure';

const SITES = Number(process.env.TENANT_SITES ?? 2000);
const BIG_SITES = Number(process.env.TENANT_BIG_SITES ?? 20000);
const SAMPLE = Number(process.env.TENANT_SAMPLE ?? 200);
const LATENCY_MS = 100;

async function tenantFake(sites: number): Promise<{ fake: FakeAzure; tenant: SeededTenant }> {
  const fake = await FakeAzure.start({ proxy: false });
  const tenant = seedTenant(fake, { subscriptions: 4, sites, slotEvery: 4, plainSecretEvery: 5, keyVaultEvery: 10 });
  fake.enableThrottling();
  fake.latencyMs = LATENCY_MS;
  fake.clearLog();
  return { fake, tenant };
}

async function sweep(fake: FakeAzure, subscriptions: string[], checks?: readonly string[]): Promise<{ r: SweepResult; ms: number }> {
  const scheduler = new ArmScheduler();
  const arm = createSweepClient({ credential: staticCredential(), httpClient: fake.httpClient() }, scheduler);
  let lastShown = 0;
  const t = performance.now();
  const r = await sweepPosture(arm, scheduler, { subscriptions, ...(checks ? { checks } : {}) }, {
    onProgress: (p) => {
      if (performance.now() - lastShown < 5000) return;
      lastShown = performance.now();
      process.stderr.write(`  … ${p.done}/${p.total} apps, ${p.calls} calls, ${p.throttled} throttled\n`);
    },
  });
  return { r, ms: performance.now() - t };
}

function line(name: string, fake: FakeAzure, r: SweepResult, ms: number): void {
  const c = fake.callStats();
  const unknown = r.summary.unknown;
  console.log(
    `${name}: ${(ms / 1000).toFixed(1)} s for ${r.counts.apps} apps (${r.counts.slots} slots) over 4 subscriptions; ` +
      `calls: ${c.graph} Resource Graph, ${c.reads} ARM reads, ${c.writes} writes/POST; ${c.throttled} throttled (429); ` +
      `${r.summary.failing} failing, ${unknown} unknown checks; errors ${r.errors.length + r.scopeErrors.length}; refused by budget ${r.stats.refusedByBudget}`,
  );
}

const key = (c: PostureReport['checks'][number]) => `${c.ruleId} ${c.status} ${c.value}`;

async function main(): Promise<void> {
  // ---------------------------------------------------------------- case 1
  {
    const { fake, tenant } = await tenantFake(SITES);
    try {
      const { r, ms } = await sweep(fake, tenant.subscriptions);
      line(`tenant ${SITES} apps + slots, every check`, fake, r, ms);
      // Agreement: the per-app path (every read from Resource Manager) on a sample, buckets refilled, no throttling.
      fake.disableThrottling();
      const all = [...tenant.sites, ...tenant.slots];
      const step = Math.max(1, Math.floor(all.length / SAMPLE));
      const sample = all.filter((_, i) => i % step === 0).slice(0, SAMPLE);
      const arm = createArmClient({ credential: staticCredential(), httpClient: fake.httpClient() });
      const defender = new Map<string, Promise<SourceResult>>();
      const t = performance.now();
      const perApp = await arm.forEachApp(sample, async (id) => ({ ...evaluatePosture(await readPostureInput(arm, id, defender)), resourceId: id }), { concurrency: 32 });
      const perAppMs = performance.now() - t;
      const bulk = new Map(r.reports.map((x) => [x.resourceId!.toLowerCase(), x]));
      let checks = 0;
      let differ = 0;
      let missing = 0;
      const examples: string[] = [];
      for (const p of perApp) {
        if (p.status !== 'fulfilled') continue;
        const b = bulk.get(p.value.resourceId!.toLowerCase());
        if (!b) {
          missing++;
          continue;
        }
        for (const c of p.value.checks) {
          checks++;
          const other = b.checks.find((x) => x.ruleId === c.ruleId);
          if (!other || key(other) !== key(c)) {
            differ++;
            if (examples.length < 3) examples.push(`${p.value.resourceId} ${key(c)} vs ${other ? key(other) : 'missing'}`);
          }
        }
      }
      const slotsInSample = sample.filter((id) => /\/slots\//i.test(id)).length;
      console.log(
        `  agreement with the per-app path on ${sample.length} apps (${slotsInSample} slots; per-app path took ${(perAppMs / 1000).toFixed(1)} s without throttling): ` +
          `${checks - differ} of ${checks} checks identical (status and value), ${differ} differ, ${missing} apps missing from the sweep`,
      );
      for (const e of examples) console.log(`    differs: ${e}`);
      const seeded = tenant.sites.length + tenant.slots.length;
      console.log(`  every app reported once: ${r.counts.apps === seeded && new Set(r.reports.map((x) => x.resourceId!.toLowerCase())).size === seeded ? 'yes' : 'NO'} (${r.counts.apps} of ${seeded})`);
    } finally {
      await fake.dispose();
    }
  }
  // ---------------------------------------------------------------- case 2
  {
    const t0 = performance.now();
    const { fake, tenant } = await tenantFake(BIG_SITES);
    console.log(`  (seeded ${tenant.sites.length + tenant.slots.length} apps in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    try {
      const { r, ms } = await sweep(fake, tenant.subscriptions, RESOURCE_GRAPH_CHECKS);
      line(`tenant ${BIG_SITES} apps + slots, Resource-Graph-only checks`, fake, r, ms);
      console.log(`  Resource Graph pages ${r.stats.graphPages}, pages asked again ${r.stats.graphPageRetries}`);
    } finally {
      await fake.dispose();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
