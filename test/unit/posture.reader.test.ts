// The posture reader (src/azure/postureReader.ts) against the fake Azure through the real pipeline: the Key Vault
// reads behind KV-APP-ACCESS and KV-APP-REACHABILITY (Resource Graph, vault GET, role assignments), per-vault
// failures, bounds, and no setting value in the report.
import assert from 'node:assert/strict';
import { ArmClient, ARM_API_VERSIONS } from '../../src/azure';
import { readPostureInput } from '../../src/azure/postureReader';
import { evaluatePosture, KEY_VAULT_ROLES, type PostureCheck, type PostureReport, type SourceResult } from '../../src/core/posture';
import { FakeAzure, staticCredential } from '../support/fakeAzure';
import { seedRoleAssignment, withRoleAssignmentListing } from '../support/fakeAzure/roleAssignmentList';

const SUB = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const PRINCIPAL = '9b1c2d3e-0000-4000-8000-000000000001';
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/apps`;
// Built at run time so no secret-looking literal sits in the test source.
const PASSWORD = ['Wd5', 'sK3!', 'nB7q', 'Xe1r'].join('');

function check(r: PostureReport, id: string): PostureCheck {
  const c = r.checks.find((x) => x.ruleId === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

const ref = (vault: string, secret: string) => `@Microsoft.KeyVault(SecretUri=https://${vault}.vault.azure.net/secrets/${secret}/)`;

describe('posture reader: Key Vault reads against the fake Azure', function () {
  this.timeout(20000);
  let fake: FakeAzure;
  let arm: ArmClient;
  let appId: string;

  beforeEach(async () => {
    fake = await FakeAzure.start({ proxy: false });
    arm = new ArmClient({ credential: staticCredential(), httpClient: withRoleAssignmentListing(fake), retryOptions: { maxRetries: 0 } });
    appId = fake.addApp({
      subscriptionId: SUB,
      resourceGroup: 'rg-web',
      name: 'orders',
      identity: { type: 'SystemAssigned', principalId: PRINCIPAL, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      siteProperties: { virtualNetworkSubnetId: SUBNET },
      appSettings: { DbPassword: ref('kv-rbac', 'db'), ApiKey: ref('kv-policy', 'api'), LocalPassword: PASSWORD },
      configReferences: [
        { name: 'DbPassword', properties: { vaultName: 'kv-rbac', secretName: 'db', status: 'Resolved' } },
        { name: 'ApiKey', properties: { vaultName: 'kv-policy', secretName: 'api', status: 'Resolved' } },
      ],
    }).id;
    const rbacVault = fake.addVault({
      name: 'kv-rbac',
      subscriptionId: SUB,
      resourceGroup: 'rg-kv',
      properties: { networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [{ id: SUBNET, ignoreMissingVnetServiceEndpoint: false }] } },
    });
    fake.addVault({
      name: 'kv-policy',
      subscriptionId: SUB,
      resourceGroup: 'rg-kv',
      properties: { enableRbacAuthorization: false, accessPolicies: [{ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', objectId: PRINCIPAL, permissions: { secrets: ['get', 'list'] } }] },
    });
    seedRoleAssignment(fake, { scope: rbacVault.id, roleDefinitionId: KEY_VAULT_ROLES.secretsUser, principalId: PRINCIPAL });
    // Someone else's assignment on the same vault must not count for the app.
    seedRoleAssignment(fake, { scope: rbacVault.id, roleDefinitionId: KEY_VAULT_ROLES.administrator, principalId: '9b1c2d3e-0000-4000-8000-0000000000ff' });
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('reads each referenced vault and the RBAC vault role assignments, and both checks pass', async () => {
    const input = await readPostureInput(arm, appId, new Map());
    assert.deepEqual(Object.keys(input.vaults ?? {}).sort(), ['kv-policy', 'kv-rbac']);
    assert.deepEqual(Object.keys(input.roleAssignments ?? {}), ['kv-rbac'], 'no role assignment read for an access-policy vault');
    const report = evaluatePosture(input);
    const access = check(report, 'KV-APP-ACCESS');
    assert.equal(access.status, 'pass', JSON.stringify(access));
    assert.deepEqual(access.items?.map((i) => [i.name, i.status]), [['kv-rbac', 'pass'], ['kv-policy', 'pass']]);
    assert.equal(check(report, 'KV-APP-REACHABILITY').status, 'pass');

    const vaultGets = fake.requests({ method: 'GET', pathIncludes: '/providers/Microsoft.KeyVault/vaults/' }).filter((e) => !e.path.toLowerCase().includes('roleassignments'));
    assert.equal(vaultGets.length, 2);
    assert.ok(vaultGets.every((e) => e.query['api-version'] === ARM_API_VERSIONS.keyVault));
    const ra = fake.requests({ method: 'GET', pathIncludes: '/roleAssignments' });
    assert.equal(ra.length, 1);
    assert.ok(ra[0].path.toLowerCase().startsWith(`/subscriptions/${SUB}/resourcegroups/rg-kv/providers/microsoft.keyvault/vaults/kv-rbac/providers/`));
    assert.equal(ra[0].query.$filter, `assignedTo('${PRINCIPAL}')`);
    assert.equal(ra[0].query['api-version'], '2022-04-01');
  });

  it('never carries a setting value into the report', async () => {
    const report = evaluatePosture(await readPostureInput(arm, appId, new Map()));
    const json = JSON.stringify(report);
    assert.ok(!json.includes(PASSWORD));
    assert.ok(!json.includes('vault.azure.net/secrets/'), 'a reference value was copied');
  });

  it('a 403 on role assignments leaves access unknown, naming Microsoft.Authorization/roleAssignments/read; other vaults and checks still judged', async () => {
    const h = fake.fault({ route: /\/providers\/Microsoft\.Authorization\/roleAssignments$/i, status: 403 });
    const report = evaluatePosture(await readPostureInput(arm, appId, new Map()));
    assert.ok(h.hits >= 1);
    const access = check(report, 'KV-APP-ACCESS');
    assert.equal(access.status, 'unknown');
    assert.match(access.unknownReason ?? '', /Vault kv-rbac uses RBAC: .*Microsoft\.Authorization\/roleAssignments\/read.*403/);
    assert.equal(access.items?.find((i) => i.name === 'kv-policy')?.status, 'pass');
    assert.equal(check(report, 'KV-APP-REACHABILITY').status, 'pass');
  });

  it('fails access and reachability when the grant and the subnet are missing', async () => {
    fake.roleAssignments.clear();
    const app = fake.app(appId);
    (app.site.properties as Record<string, unknown>).virtualNetworkSubnetId = null;
    const report = evaluatePosture(await readPostureInput(arm, appId, new Map()));
    const access = check(report, 'KV-APP-ACCESS');
    assert.equal(access.status, 'fail');
    assert.match(access.value, /^No secret read access on kv-rbac \(1 of 2 vaults\)$/);
    const reach = check(report, 'KV-APP-REACHABILITY');
    assert.equal(reach.status, 'fail');
    assert.deepEqual(reach.items?.map((i) => [i.name, i.status]), [['kv-rbac', 'fail'], ['kv-policy', 'pass']]);
  });

  it('a vault Resource Graph cannot find, or a 403 on the vault, stays per vault', async () => {
    fake.app(appId).configReferences.push({ name: 'Elsewhere', properties: { vaultName: 'kv-elsewhere', secretName: 'x', status: 'Resolved' } });
    const h = fake.fault({ route: /GET [^ ]*\/vaults\/kv-policy$/i, status: 403 });
    const report = evaluatePosture(await readPostureInput(arm, appId, new Map()));
    assert.ok(h.hits >= 1);
    const items = check(report, 'KV-APP-REACHABILITY').items ?? [];
    assert.deepEqual(items.map((i) => [i.name, i.status]), [['kv-rbac', 'pass'], ['kv-policy', 'unknown'], ['kv-elsewhere', 'unknown']]);
    assert.match(items[1].detail, /Microsoft\.KeyVault\/vaults\/read/);
    assert.match(items[2].detail, /VaultNotFound.*Resource Graph finds no key vault 'kv-elsewhere'/);
  });

  it('lists the vaults with one Resource Graph query per subscription and run, and reads at most 5 vaults per app', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `kv-many-${i}`);
    for (const n of names) fake.addVault({ name: n, subscriptionId: SUB, resourceGroup: 'rg-kv', properties: { enableRbacAuthorization: false, accessPolicies: [{ objectId: PRINCIPAL, permissions: { secrets: ['get'] } }] } });
    const many = fake.addApp({
      subscriptionId: SUB,
      resourceGroup: 'rg-web',
      name: 'many',
      identity: { type: 'SystemAssigned', principalId: PRINCIPAL },
      appSettings: Object.fromEntries(names.map((n, i) => [`S${i}`, ref(n, 's')])),
      configReferences: [],
    }).id;
    const run = new Map<string, Promise<SourceResult>>();
    fake.clearLog();
    const [a, b] = await Promise.all([readPostureInput(arm, appId, run), readPostureInput(arm, many, run)]);
    assert.equal(fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length, 1, 'one vault inventory per subscription and run');
    assert.equal(Object.keys(b.vaults ?? {}).length, 5);
    const manyGets = fake.requests({ method: 'GET', pathIncludes: '/vaults/kv-many-' });
    assert.equal(manyGets.length, 5);
    const access = check(evaluatePosture(b), 'KV-APP-ACCESS');
    assert.equal(access.items?.length, 7);
    assert.match(access.unknownReason ?? '', /only the first 5 vaults/);
    assert.equal(check(evaluatePosture(a), 'KV-APP-ACCESS').status, 'pass');
    // A new run (a new map) reads the inventory again.
    await readPostureInput(arm, appId, new Map());
    assert.equal(fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length, 2);
  });

  it('an app without Key Vault references reads no vault at all', async () => {
    const plain = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg-web', name: 'plain', appSettings: { A: 'b' }, configReferences: [] }).id;
    fake.clearLog();
    const report = evaluatePosture(await readPostureInput(arm, plain, new Map()));
    assert.equal(fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length, 0);
    assert.equal(fake.requests({ pathIncludes: 'Microsoft.KeyVault' }).length, 0);
    assert.equal(check(report, 'KV-APP-ACCESS').status, 'pass');
    assert.equal(check(report, 'KV-APP-REACHABILITY').status, 'pass');
  });
});
