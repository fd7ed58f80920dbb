// Resource Manager client (src/azure/arm.ts) against the fake Azure.
import assert from 'node:assert/strict';
import { ArmClient, ARM_API_VERSIONS, describeAzureError, ROLE_DEFINITIONS, type ArmClientOptions } from '../../src/azure';
import { FakeAzure, staticCredential, type RecordingCredential } from '../support/fakeAzure';
import getWebApp from '../fixtures/arm/GetWebApp.json';
import getSiteConfig from '../fixtures/arm/GetSiteConfig.json';
import listAppSettings from '../fixtures/arm/ListAppSettings.json';
import getAuth from '../fixtures/arm/GetAuthSettingsV2WithoutSecrets.json';
import getRefs from '../fixtures/arm/GetKeyVaultReferencesForAppSettings.json';

const SUB = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const SITE = `/subscriptions/${SUB}/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141`;

describe('azure/arm against the fake Azure', function () {
  this.timeout(15000);
  let fake: FakeAzure;
  let credential: RecordingCredential;
  const client = (extra: Partial<ArmClientOptions> = {}): ArmClient =>
    new ArmClient({ credential, httpClient: fake.httpClient(), retryOptions: { maxRetries: 2, retryDelayInMs: 20, maxRetryDelayInMs: 50 }, ...extra });

  beforeEach(async () => {
    fake = await FakeAzure.start({ proxy: false });
    credential = staticCredential();
    fake.addApp({ subscriptionId: SUB, resourceGroup: 'testrg123', name: 'sitef6141', identity: { type: 'SystemAssigned', principalId: '9b1c2d3e-0000-4000-8000-000000000001' } });
    fake.addApp({ subscriptionId: SUB, resourceGroup: 'testrg123', name: 'sitef6141', slot: 'staging', publishing: { ftp: false } });
    fake.addVault({ name: 'kv-posture', subscriptionId: SUB, resourceGroup: 'rg-kv', properties: { enablePurgeProtection: true } });
    fake.setDefenderTier(SUB, 'Standard');
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('reads every per-app payload (spec fixtures) with the documented api-versions', async () => {
    const arm = client();
    const site = await arm.getSite(SITE);
    assert.equal(site.id, SITE);
    assert.equal(site.properties.httpsOnly, getWebApp.responses['200'].body.properties.httpsOnly);
    assert.equal(site.properties.keyVaultReferenceIdentity, 'SystemAssigned');
    assert.equal(site.identity?.type, 'SystemAssigned');

    const config = await arm.getSiteConfig(SITE);
    assert.deepEqual(config.properties, getSiteConfig.responses['200'].body.properties);

    const settings = await arm.listAppSettings(SITE);
    assert.deepEqual(settings.properties, listAppSettings.responses['200'].body.properties);

    const auth = await arm.getAuthSettingsV2(SITE);
    assert.deepEqual(auth.properties, getAuth.responses['200'].body.properties);

    assert.equal((await arm.getPublishingPolicy(SITE, 'ftp')).properties.allow, true);
    assert.equal((await arm.getPublishingPolicy(`${SITE}/slots/staging`, 'ftp')).properties.allow, false);
    assert.equal((await arm.getPublishingPolicy(SITE, 'scm')).properties.allow, true);

    const refs = await arm.getConfigReferences(SITE);
    assert.deepEqual(
      refs.map((r) => r.properties),
      getRefs.responses['200'].body.value.map((r) => r.properties),
    );

    const slots = await arm.listSlots(SITE);
    assert.deepEqual(
      slots.map((s) => s.name),
      ['sitef6141/staging'],
    );
    assert.equal((await arm.getSiteConfig(`${SITE}/slots/staging`)).properties.minTlsVersion, '1.2');

    assert.equal((await arm.getDefenderPricing(SUB)).properties.pricingTier, 'Standard');
    const vault = await arm.getVault(`/subscriptions/${SUB}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-posture`);
    assert.equal(vault.properties.enablePurgeProtection, true);
    assert.equal(vault.properties.vaultUri, 'https://kv-posture.vault.azure.net/');

    const subs = await arm.listSubscriptions();
    assert.deepEqual(
      subs.map((s) => s.subscriptionId),
      [SUB],
    );

    // api-versions on the wire, and the ARM token scope.
    const versions = new Set(fake.requests().map((e) => `${e.path.split('/').slice(-2).join('/')}@${e.query['api-version']}`));
    assert.ok(versions.has(`sites/sitef6141@${ARM_API_VERSIONS.web}`));
    assert.ok(versions.has(`pricings/AppServices@${ARM_API_VERSIONS.security}`));
    assert.ok(versions.has(`vaults/kv-posture@${ARM_API_VERSIONS.keyVault}`));
    assert.deepEqual(
      fake.requests().filter((e) => !(e.host === 'management.azure.com' && e.authenticated && e.status === 200)),
      [],
    );
    assert.deepEqual(new Set(credential.calls.map((c) => c.scopes.join(' '))), new Set(['https://management.azure.com/.default']));
  });

  it('writes send exactly the expected bodies', async () => {
    const arm = client();
    await arm.patchSite(SITE, { properties: { httpsOnly: true } });
    await arm.patchSiteConfig(SITE, { minTlsVersion: '1.3', ftpsState: 'Disabled', remoteDebuggingEnabled: false });
    await arm.setPublishingPolicy(SITE, 'scm', false);
    const vaultId = `/subscriptions/${SUB}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-posture`;
    await arm.assignRole({
      scope: vaultId,
      roleDefinitionId: ROLE_DEFINITIONS.keyVaultSecretsUser,
      principalId: '9b1c2d3e-0000-4000-8000-000000000001',
      principalType: 'ServicePrincipal',
      assignmentId: '0b4a6c1e-1111-4222-8333-444455556666',
    });
    const writes = fake.writes();
    assert.deepEqual(
      writes.map((w) => [w.method, w.path.startsWith(SITE) ? w.path.slice(SITE.length) : w.path.replace(vaultId, '{vault}'), w.body]),
      [
        ['PATCH', '', { properties: { httpsOnly: true } }],
        ['PATCH', '/config/web', { properties: { minTlsVersion: '1.3', ftpsState: 'Disabled', remoteDebuggingEnabled: false } }],
        ['PUT', '/basicPublishingCredentialsPolicies/scm', { properties: { allow: false } }],
        [
          'PUT',
          '{vault}/providers/Microsoft.Authorization/roleAssignments/0b4a6c1e-1111-4222-8333-444455556666',
          {
            properties: {
              roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_DEFINITIONS.keyVaultSecretsUser}`,
              principalId: '9b1c2d3e-0000-4000-8000-000000000001',
              principalType: 'ServicePrincipal',
            },
          },
        ],
      ],
    );
    assert.equal(writes[3].query['api-version'], ARM_API_VERSIONS.authorization);
    const app = fake.app(SITE);
    assert.equal((app.site.properties as Record<string, unknown>).httpsOnly, true);
    assert.equal((app.config.properties as Record<string, unknown>).minTlsVersion, '1.3');
    assert.equal((app.config.properties as Record<string, unknown>).http20Enabled, false, 'PATCH merges, other properties stay');
    assert.equal(app.publishing.scm, false);
    assert.equal(fake.roleAssignments.size, 1);
  });

  it('updateAppSettings PUTs the whole set; the log masks values', async () => {
    const arm = client();
    const current = (await arm.listAppSettings(SITE)).properties;
    const next = { ...current, DB_PASSWORD: '@Microsoft.KeyVault(SecretUri=https://kv-posture.vault.azure.net/secrets/db/)' };
    await arm.updateAppSettings(SITE, next);
    assert.deepEqual(fake.app(SITE).appSettings, next);
    const put = fake.writes().find((w) => w.method === 'PUT');
    assert.deepEqual(put?.body, { properties: { Setting1: '***', Setting2: '***', DB_PASSWORD: '***' } });
    assert.ok(!JSON.stringify(fake.requests()).includes('Value1'));
  });

  it('lists sites and vaults through Resource Graph, following $skipToken', async () => {
    for (let i = 0; i < 24; i++) fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-many', name: `app-${String(i).padStart(2, '0')}` });
    fake.addApp({ subscriptionId: 'ffffffff-0000-0000-0000-000000000000', resourceGroup: 'rg', name: 'elsewhere' });
    const arm = client();
    const sites = await arm.listSites([SUB], { pageSize: 10 });
    assert.equal(sites.length, 25, '24 + sitef6141; slots and other subscriptions excluded');
    assert.equal(new Set(sites.map((s) => s.id)).size, 25);
    assert.ok(sites.every((s) => s.subscriptionId === SUB && !('siteConfig' in s.properties)));
    const graph = fake.requests({ pathIncludes: 'resourcegraph' });
    assert.equal(graph.length, 3);
    const bodies = graph.map((g) => g.body as { subscriptions: string[]; query: string; options: Record<string, unknown> });
    assert.deepEqual(bodies[0].subscriptions, [SUB]);
    assert.match(bodies[0].query, /microsoft\.web\/sites/);
    assert.equal(bodies[0].options.$skipToken, undefined);
    assert.equal(typeof bodies[1].options.$skipToken, 'string');
    assert.equal(graph[0].query['api-version'], ARM_API_VERSIONS.resourceGraph);

    const vaults = await arm.listVaults([SUB]);
    assert.deepEqual(
      vaults.map((v) => [v.name, v.resourceGroup, v.vaultUri]),
      [['kv-posture', 'rg-kv', 'https://kv-posture.vault.azure.net/']],
    );
  });

  it('follows nextLink for ARM lists, but never to another host', async () => {
    fake.armPageSize = 2;
    for (let i = 0; i < 4; i++) fake.addSubscription({ subscriptionId: `00000000-0000-0000-0000-00000000000${i}` });
    const arm = client();
    assert.equal((await arm.listSubscriptions()).length, 5);
    assert.equal(fake.requests({ pathIncludes: '/subscriptions' }).length, 3);

    fake.fault({ route: 'GET management.azure.com/subscriptions', status: 200, body: { value: [], nextLink: 'https://evil.example/subscriptions?page=2' } });
    await assert.rejects(arm.listSubscriptions(), (e: Error) => {
      assert.match(e.message, /Refusing to call https:\/\/evil\.example/);
      return true;
    });
  });

  it('403 on config/appsettings/list → forbidden: settings not readable with your role', async () => {
    fake.fault({ route: '/config/appsettings/list', status: 403 });
    const arm = client();
    await assert.rejects(arm.listAppSettings(SITE), (e: unknown) => {
      const d = describeAzureError(e);
      assert.equal(d.kind, 'forbidden');
      assert.equal(d.status, 403);
      assert.equal(d.code, 'AuthorizationFailed');
      assert.match(d.message, /Settings are not readable with your role/);
      assert.match(d.message, /Request id: /);
      return true;
    });
    // Other reads still work (the tree degrades per call).
    assert.equal((await arm.getSiteConfig(SITE)).properties.minTlsVersion, '1.2');
  });

  it('429 with Retry-After is honoured by the pipeline, then succeeds', async () => {
    fake.fault({ route: `GET management.azure.com${SITE}`, status: 429, retryAfterSeconds: 1, times: 1 });
    const t0 = Date.now();
    const site = await client().getSite(SITE);
    const elapsed = Date.now() - t0;
    assert.equal(site.name, 'sitef6141');
    assert.ok(elapsed >= 900, `waited ${elapsed} ms`);
    assert.deepEqual(
      fake.requests().map((e) => e.status),
      [429, 200],
    );
  });

  it('classifies 401, 404, 500, timeouts and dropped connections', async () => {
    const arm = client({ timeoutMs: 300 });
    const kind = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
        return 'ok';
      } catch (e) {
        return describeAzureError(e).kind;
      }
    };
    assert.equal(await kind(new ArmClient({ credential: staticCredential(''), httpClient: fake.httpClient() }).getSite(SITE)), 'auth');
    assert.equal(await kind(arm.getSite(`${SITE}-missing`)), 'not-found');
    fake.fault({ route: '/config/web', status: 500 });
    assert.equal(await kind(arm.getSiteConfig(SITE)), 'server');
    fake.fault({ route: '/config/authsettingsv2', timeout: true });
    assert.equal(await kind(arm.getAuthSettingsV2(SITE)), 'timeout');
    fake.fault({ route: '/basicPublishingCredentialsPolicies', drop: true });
    assert.equal(await kind(arm.getPublishingPolicy(SITE, 'ftp')), 'network');
    assert.equal(await kind(arm.getSite('/subscriptions/x/not-a-site')), 'bad-request');
    assert.equal(fake.requests({ pathIncludes: 'not-a-site' }).length, 0);
  });

  it('runs per-app calls with bounded concurrency (8)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-many', name: `app-${i}` }).id);
    fake.latencyMs = 100;
    const arm = client();
    await arm.getSite(ids[0]); // warm the token cache and connection
    fake.resetStats();
    const t0 = Date.now();
    const results = await arm.forEachApp(ids, (id, c) => c.getSiteConfig(id));
    const elapsed = Date.now() - t0;
    assert.ok(results.every((r) => r.status === 'fulfilled'));
    assert.ok(fake.maxConcurrentRequests <= 8, `max in flight ${fake.maxConcurrentRequests}`);
    assert.ok(fake.maxConcurrentRequests >= 4, `max in flight ${fake.maxConcurrentRequests}`);
    assert.ok(elapsed >= 300 && elapsed < 2000, `20 calls × 100 ms / 8 ≈ 300 ms, took ${elapsed} ms`);
  });

  it('uses the sovereign cloud endpoint and scope, or a custom endpoint', async () => {
    const cn = client({ cloud: 'AzureChinaCloud' });
    await cn.getSite(SITE);
    assert.equal(fake.requests()[0].host, 'management.chinacloudapi.cn');
    assert.deepEqual(credential.calls.at(-1)?.scopes, ['https://management.chinacloudapi.cn/.default']);

    const custom = client({ endpoint: fake.url });
    await custom.getSite(SITE);
    assert.equal(fake.requests().at(-1)?.host, '127.0.0.1');
    assert.throws(() => client({ endpoint: 'http://127.0.0.1:1' }), /https/);
  });
});
