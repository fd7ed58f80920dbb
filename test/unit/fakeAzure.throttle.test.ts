import * as assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { FakeAzure, type FakeHttpClient } from '../support/fakeAzure';

const SUB_A = '11111111-0000-0000-0000-00000000000a';
const SUB_B = '11111111-0000-0000-0000-00000000000b';

async function call(client: FakeHttpClient, method: 'GET' | 'POST', path: string, body?: unknown, token = 'fake-token') {
  const r = await client.sendRequest(
    createPipelineRequest({
      url: `https://management.azure.com${path}`,
      method,
      headers: createHttpHeaders({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
  return { status: r.status, headers: r.headers, json: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined };
}

const graph = (client: FakeHttpClient, body: unknown, apiVersion = '2022-10-01', token?: string) =>
  call(client, 'POST', `/providers/Microsoft.ResourceGraph/resources?api-version=${apiVersion}`, body, token);

const SITES = "resources | where type in~ ('microsoft.web/sites', 'microsoft.web/sites/slots') | project id, name, type, properties | order by id asc";
const CONFIGS = "appserviceresources | where type in~ ('microsoft.web/sites/config/web', 'microsoft.web/sites/slots/config/web') | project id, properties | order by id asc";

describe('fake Azure: Resource Manager throttling and Resource Graph', function () {
  this.timeout(30_000);
  let fake: FakeAzure;
  let client: FakeHttpClient;
  let app: string;

  beforeEach(async () => {
    fake = await FakeAzure.start({ proxy: false });
    client = fake.httpClient();
    app = fake.addApp({ subscriptionId: SUB_A, resourceGroup: 'rg', name: 'web1' }).id;
    fake.addApp({ subscriptionId: SUB_A, resourceGroup: 'rg', name: 'web1', slot: 'staging' });
    fake.addApp({ subscriptionId: SUB_A, resourceGroup: 'rg', name: 'web2' });
    fake.addApp({ subscriptionId: SUB_B, resourceGroup: 'rg', name: 'web3' });
  });
  afterEach(async () => fake.dispose());

  it('throttling is off by default: no counters, no 429', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await call(client, 'GET', `${app}?api-version=2025-03-01`)).status, 200);
    assert.equal((await call(client, 'GET', `${app}?api-version=2025-03-01`)).headers.get('x-ms-ratelimit-remaining-subscription-reads'), undefined);
  });

  it('reads and writes have their own bucket per subscription; an empty bucket answers 429 with Retry-After', async () => {
    fake.enableThrottling({ reads: { burst: 3, perSecond: 0.5 }, writes: { burst: 1, perSecond: 0.5 } }, false);
    const remaining: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(client, 'GET', `${app}/config/web?api-version=2025-03-01`);
      assert.equal(r.status, 200);
      remaining.push(r.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    }
    assert.deepEqual(remaining, ['2', '1', '0']);
    const throttled = await call(client, 'GET', `${app}?api-version=2025-03-01`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '2');
    assert.equal(throttled.json.error.code, 'TooManyRequests');
    // POST actions draw on the writes bucket, not the empty reads one.
    const post = await call(client, 'POST', `${app}/config/appsettings/list?api-version=2025-03-01`);
    assert.equal(post.status, 200);
    assert.equal(post.headers.get('x-ms-ratelimit-remaining-subscription-writes'), '0');
    assert.equal((await call(client, 'POST', `${app}/config/appsettings/list?api-version=2025-03-01`)).status, 429);
    // Another subscription has full buckets.
    const other = fake.app(`/subscriptions/${SUB_B}/resourceGroups/rg/providers/Microsoft.Web/sites/web3`).id;
    assert.equal((await call(client, 'GET', `${other}?api-version=2025-03-01`)).status, 200);
    assert.deepEqual(fake.callStats(), { graph: 0, reads: 5, writes: 2, throttled: 2 });
  });

  it('Resource Graph: sites with slots and config/web rows, ordered by id, paged with $top and $skipToken', async () => {
    const first = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 2 } });
    assert.equal(first.status, 200);
    assert.equal(first.json.totalRecords, 3);
    assert.deepEqual(first.json.data.map((r: { type: string }) => r.type), ['microsoft.web/sites', 'microsoft.web/sites/slots']);
    assert.equal(first.json.data[0].properties.siteConfig, undefined, 'siteConfig is not reliable in Resource Graph');
    const second = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 2, $skipToken: first.json.$skipToken } });
    assert.deepEqual(second.json.data.map((r: { name: string }) => r.name), ['web2']);
    assert.equal(second.json.$skipToken, undefined);
    const configs = await graph(client, { subscriptions: [SUB_A, SUB_B], query: CONFIGS, options: { $top: 1000 } });
    assert.equal(configs.json.data.length, 4);
    assert.match(configs.json.data[0].id, /\/config\/web$/);
    assert.equal(typeof configs.json.data[0].properties.minTlsVersion, 'string');
    // More than 1000 rows a page is never returned, whatever $top asks.
    fake.graphPageSize = 5000;
    const big = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 5000 } });
    assert.equal(big.json.count, 3);
  });

  it('Resource Graph: quota headers count down and a spent quota answers 429 with the reset time', async () => {
    fake.enableThrottling(undefined, { perWindow: 2, windowMs: 60_000 });
    const a = await graph(client, { subscriptions: [SUB_A], query: SITES });
    const b = await graph(client, { subscriptions: [SUB_A], query: SITES });
    assert.equal(a.headers.get('x-ms-user-quota-remaining'), '1');
    assert.equal(b.headers.get('x-ms-user-quota-remaining'), '0');
    assert.match(b.headers.get('x-ms-user-quota-resets-after') ?? '', /^00:01:00$|^00:00:[0-5]\d$/);
    const c = await graph(client, { subscriptions: [SUB_A], query: SITES });
    assert.equal(c.status, 429);
    assert.equal(c.headers.get('x-ms-user-quota-remaining'), '0');
    // The quota is per user (token), not per subscription.
    assert.equal((await graph(client, { subscriptions: [SUB_A], query: SITES }, '2022-10-01', 'other-user')).status, 200);
  });

  it('Resource Graph: 403 for a subscription it refuses, 409 when not registered, management groups, other api-versions refused', async () => {
    fake.graphDenied.add(SUB_B);
    const denied = await graph(client, { subscriptions: [SUB_A, SUB_B], query: SITES });
    assert.equal(denied.status, 403);
    assert.match(denied.json.error.message, new RegExp(SUB_B));
    assert.equal((await call(client, 'GET', `/subscriptions/${SUB_B}/providers/Microsoft.Web/sites?api-version=2025-03-01`)).status, 200, 'Resource Manager still answers');
    fake.graphDenied.clear();
    fake.graphUnregistered.add(SUB_A);
    assert.equal((await graph(client, { subscriptions: [SUB_A], query: SITES })).json.error.code, 'MissingSubscriptionRegistration');
    fake.graphUnregistered.clear();
    fake.addManagementGroup('mg-prod', [SUB_A, SUB_B]);
    const mg = await graph(client, { managementGroups: ['mg-prod'], query: SITES });
    assert.equal(mg.json.data.length, 4);
    fake.denySubscription(SUB_B);
    assert.equal((await graph(client, { managementGroups: ['mg-prod'], query: SITES })).json.data.length, 3, 'unreadable subscriptions under a group are left out');
    assert.equal((await call(client, 'GET', `/subscriptions/${SUB_B}/providers/Microsoft.Web/sites?api-version=2025-03-01`)).status, 403);
    assert.equal((await graph(client, { subscriptions: [SUB_A], query: SITES }, '2019-04-01')).status, 400);
  });

  it('Resource Graph: expired $skipToken, truncated page, missing config rows, PascalCase config', async () => {
    const first = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 1 } });
    fake.expireGraphSkipTokens();
    const expired = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 1, $skipToken: first.json.$skipToken } });
    assert.equal(expired.status, 400);
    assert.equal(expired.json.error.code, 'InvalidSkipToken');
    fake.onGraphPage = () => 'truncate';
    const cut = await graph(client, { subscriptions: [SUB_A], query: SITES, options: { $top: 3 } });
    assert.equal(cut.json.resultTruncated, 'true');
    assert.ok(cut.json.data.length < cut.json.count);
    fake.onGraphPage = undefined;
    fake.graphMissingConfig.add(app.toLowerCase());
    fake.graphPascalCaseConfig = true;
    const configs = await graph(client, { subscriptions: [SUB_A], query: CONFIGS });
    assert.equal(configs.json.data.length, 2);
    assert.equal(typeof configs.json.data[0].properties.MinTlsVersion, 'string');
  });

  it('lists the sites of a subscription and the subscriptions of a management group through Resource Manager', async () => {
    const sites = await call(client, 'GET', `/subscriptions/${SUB_A}/providers/Microsoft.Web/sites?api-version=2025-03-01`);
    assert.deepEqual(sites.json.value.map((s: { name: string }) => s.name).sort(), ['web1', 'web2']);
    fake.addManagementGroup('mg1', [SUB_A]);
    const d = await call(client, 'GET', '/providers/Microsoft.Management/managementGroups/mg1/descendants?api-version=2020-05-01');
    assert.deepEqual(d.json.value.map((x: { name: string }) => x.name), [SUB_A]);
  });
});
