// KV-APP-ACCESS and KV-APP-REACHABILITY: the app's Key Vault references against the vaults they use (pure).
import * as assert from 'node:assert/strict';
import {
  evaluatePosture,
  KEY_VAULT_ROLES,
  keyVaultReferenceIdentity,
  keyVaultReferenceTargets,
  MAX_VAULTS_PER_APP,
  type ArmVault,
  type PostureCheck,
  type PostureInput,
  type SourceResult,
} from '../../src/core/posture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SUB = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const APP_ID = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/orders`;
const PRINCIPAL = '9b1c2d3e-0000-4000-8000-000000000001';
const OTHER = '9b1c2d3e-0000-4000-8000-0000000000ff';
const UAMI_PRINCIPAL = '9b1c2d3e-0000-4000-8000-00000000000a';
const UAMI = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-id`;
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/apps`;
const OTHER_SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/other`;
const vaultId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/${name}`;

// Built at run time so no secret-looking literal sits in the test source.
const PASSWORD = ['Hq4', 'tR8!', 'mZ2w', 'Lp6v'].join('');

function ok<T>(body: T): SourceResult<T> {
  return { ok: true, body };
}

function site(over: Json = {}): Json {
  return {
    id: APP_ID,
    name: 'orders',
    type: 'Microsoft.Web/sites',
    kind: 'app',
    identity: { type: 'SystemAssigned', principalId: PRINCIPAL, tenantId: 't' },
    ...over,
    properties: { keyVaultReferenceIdentity: 'SystemAssigned', virtualNetworkSubnetId: null, ...(over.properties ?? {}) },
  };
}

function vault(name: string, props: Json = {}): ArmVault {
  return {
    id: vaultId(name),
    name,
    properties: {
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Enabled',
      networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      accessPolicies: [],
      ...props,
    },
  };
}

function assignment(role: string, scope: string, principalId = PRINCIPAL, principalType = 'ServicePrincipal'): Json {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}`,
    properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType, scope },
  };
}

function refsTo(...vaults: string[]): Json {
  return {
    value: vaults.map((v, i) => ({
      id: `${APP_ID}/config/configreferences/appsettings/Setting${i}`,
      properties: { vaultName: v, secretName: `secret${i}`, status: 'Resolved' },
    })),
  };
}

/** One app referencing kv-app, with everything read and RBAC access granted. */
function input(over: Partial<PostureInput> = {}): PostureInput {
  return {
    site: ok(site()),
    appSettings: ok({ properties: { Setting0: '@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/secret0/)', DB_PASSWORD: PASSWORD } }),
    configReferences: ok(refsTo('kv-app')),
    vaults: { 'kv-app': ok(vault('kv-app')) },
    roleAssignments: { 'kv-app': ok({ value: [assignment(KEY_VAULT_ROLES.secretsUser, vaultId('kv-app'))] }) },
    ...over,
  };
}

function check(i: PostureInput, id: string): PostureCheck {
  const c = evaluatePosture(i).checks.find((x) => x.ruleId === id);
  assert.ok(c, `no check ${id}`);
  if (c.status === 'unknown') assert.ok(c.unknownReason, 'unknown without a reason');
  assert.equal(c.fix, undefined, 'these checks offer hints, not fixes');
  return c;
}

const access = (i: PostureInput) => check(i, 'KV-APP-ACCESS');
const reach = (i: PostureInput) => check(i, 'KV-APP-REACHABILITY');
const rbac = (...list: Json[]) => ({ roleAssignments: { 'kv-app': ok({ value: list }) } });
const policyVault = (policies: Json[], props: Json = {}) => ({ vaults: { 'kv-app': ok(vault('kv-app', { enableRbacAuthorization: false, accessPolicies: policies, ...props })) }, roleAssignments: {} });
const policy = (objectId: string, secrets: string[], extra: Json = {}) => ({ tenantId: 't', objectId, permissions: { secrets, keys: [], certificates: [] }, ...extra });
const network = (props: Json, siteOver: Json = {}) => ({ site: ok(site(siteOver)), vaults: { 'kv-app': ok(vault('kv-app', props)) } });

describe('posture KV-APP-ACCESS: RBAC vaults', () => {
  it('passes with Key Vault Secrets User at vault scope', () => {
    const c = access(input());
    assert.equal(c.status, 'pass');
    assert.equal(c.category, 'Secrets');
    assert.match(c.value, /system-assigned identity can read secrets in kv-app/);
    assert.deepEqual(c.items?.map((i) => [i.name, i.status]), [['kv-app', 'pass']]);
    assert.match(c.items![0].detail, /Key Vault Secrets User/);
  });

  it('passes with an inherited assignment (resource group) and one through a group', () => {
    assert.equal(access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, `/subscriptions/${SUB}/resourceGroups/rg-kv`)))).status, 'pass');
    const viaGroup = access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, vaultId('kv-app'), OTHER, 'Group'))));
    assert.equal(viaGroup.status, 'pass');
    assert.match(viaGroup.items![0].detail, /via a group/);
  });

  it('warns that Secrets Officer or Administrator is over-privileged (reads, but more)', () => {
    for (const role of [KEY_VAULT_ROLES.secretsOfficer, KEY_VAULT_ROLES.administrator]) {
      const c = access(input(rbac(assignment(role, vaultId('kv-app')))));
      assert.equal(c.status, 'warning');
      assert.match(c.value, /^Over-privileged on kv-app$/);
      assert.match(c.items![0].detail, /over-privileged: Key Vault (Secrets Officer|Administrator)/);
      assert.match(c.hint ?? '', /Key Vault Secrets User/);
    }
    const both = access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, vaultId('kv-app')), assignment('b24988ac-6180-42a0-ab88-20f7382dd24c', vaultId('kv-app')))));
    assert.equal(both.status, 'warning');
    assert.match(both.items![0].detail, /Contributor/);
  });

  it('fails with no assignment, naming the role and the command to grant it', () => {
    const c = access(input(rbac()));
    assert.equal(c.status, 'fail');
    assert.match(c.value, /^No secret read access on kv-app$/);
    assert.match(c.hint ?? '', /az role assignment create --role "Key Vault Secrets User" --assignee-object-id 9b1c2d3e-0000-4000-8000-000000000001/);
    assert.match(c.hint ?? '', /--scope \/subscriptions\/.*\/vaults\/kv-app/);
  });

  it('fails when only control-plane roles are held (Contributor reads no secret values on an RBAC vault)', () => {
    const c = access(input(rbac(assignment('b24988ac-6180-42a0-ab88-20f7382dd24c', vaultId('kv-app')))));
    assert.equal(c.status, 'fail');
    assert.match(c.items![0].detail, /Contributor, which does not allow reading secret values/);
  });

  it('ignores assignments of other principals and other resources', () => {
    const c = access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, vaultId('kv-app'), OTHER), assignment(KEY_VAULT_ROLES.secretsUser, vaultId('kv-other')))));
    assert.equal(c.status, 'fail');
  });

  it('counts secret-scope assignments when they cover every referenced secret', () => {
    assert.equal(access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, `${vaultId('kv-app')}/secrets/secret0`)))).status, 'pass');
    const c = access(input(rbac(assignment(KEY_VAULT_ROLES.secretsUser, `${vaultId('kv-app')}/secrets/elsewhere`))));
    assert.equal(c.status, 'fail');
    assert.match(c.items![0].detail, /not secret0/);
  });

  it('is unknown for a custom role it cannot judge', () => {
    const c = access(input(rbac(assignment('11111111-2222-3333-4444-555555555555', vaultId('kv-app')))));
    assert.equal(c.status, 'unknown');
    assert.match(c.unknownReason ?? '', /getSecret/);
  });

  it('403 on role assignments: unknown, naming Microsoft.Authorization/roleAssignments/read', () => {
    const c = access(input({ roleAssignments: { 'kv-app': { ok: false, status: 403, code: 'AuthorizationFailed', message: 'denied' } } }));
    assert.equal(c.status, 'unknown');
    assert.match(c.unknownReason ?? '', /^Vault kv-app uses RBAC: Reading role assignments on the key vault needs Microsoft\.Authorization\/roleAssignments\/read .*403 \(AuthorizationFailed\)/);
    assert.match(c.value, /Could not verify access on kv-app/);
  });

  it('role assignments not read: unknown', () => {
    const c = access(input({ roleAssignments: {} }));
    assert.equal(c.status, 'unknown');
    assert.match(c.unknownReason ?? '', /Not read: role assignments on vault kv-app/);
  });
});

describe('posture KV-APP-ACCESS: access-policy vaults', () => {
  it('passes with secrets get (and list)', () => {
    const c = access(input(policyVault([policy(PRINCIPAL, ['Get', 'List'])])));
    assert.equal(c.status, 'pass');
    assert.match(c.items![0].detail, /Access policy: secrets get, list/);
  });

  it('warns when the policy grants all or purge (or any write)', () => {
    for (const secrets of [['all'], ['get', 'purge'], ['get', 'set', 'delete']]) {
      const c = access(input(policyVault([policy(PRINCIPAL, secrets)])));
      assert.equal(c.status, 'warning', secrets.join());
      assert.match(c.items![0].detail, /over-privileged/);
    }
  });

  it('fails without get, without an entry, or with a compound (application) entry only', () => {
    const list = access(input(policyVault([policy(PRINCIPAL, ['list'])])));
    assert.equal(list.status, 'fail');
    assert.match(list.items![0].detail, /no get/);
    assert.match(list.hint ?? '', /az keyvault set-policy --name kv-app --object-id 9b1c2d3e-0000-4000-8000-000000000001 --secret-permissions get/);
    const none = access(input(policyVault([policy(OTHER, ['get'])])));
    assert.equal(none.status, 'fail');
    assert.match(none.items![0].detail, /no entry for the system-assigned identity/);
    assert.equal(access(input(policyVault([policy(PRINCIPAL, ['get'], { applicationId: OTHER })]))).status, 'fail');
  });

  it('uses the user-assigned identity named by keyVaultReferenceIdentity', () => {
    const uamiSite = site({
      identity: { type: 'SystemAssigned, UserAssigned', principalId: PRINCIPAL, userAssignedIdentities: { [UAMI]: { principalId: UAMI_PRINCIPAL, clientId: 'c' } } },
      properties: { keyVaultReferenceIdentity: UAMI.toLowerCase() },
    });
    const good = access(input({ site: ok(uamiSite), ...policyVault([policy(UAMI_PRINCIPAL, ['get'])]) }));
    assert.equal(good.status, 'pass');
    assert.match(good.value, /User-assigned identity 'orders-id'/);
    // The system identity's access does not count: references resolve with the UAMI.
    assert.equal(access(input({ site: ok(uamiSite), ...policyVault([policy(PRINCIPAL, ['get'])]) })).status, 'fail');
  });

  it('fails when the reference identity is missing from the app', () => {
    const c = access(input({ site: ok(site({ identity: null })) }));
    assert.equal(c.status, 'fail');
    assert.match(c.value, /no system-assigned identity/);
    assert.match(c.hint ?? '', /APPSVC-KVREF-IDENTITY/);
  });
});

describe('posture KV-APP-ACCESS / KV-APP-REACHABILITY: inputs', () => {
  it('passes both with no Key Vault references', () => {
    const i = input({ configReferences: ok({ value: [] }), appSettings: ok({ properties: { A: 'plain' } }) });
    assert.equal(access(i).status, 'pass');
    assert.equal(reach(i).status, 'pass');
    assert.match(access(i).value, /No Key Vault references/);
  });

  it('finds vaults from app settings when configreferences cannot be read (parsing references only)', () => {
    const i = input({
      configReferences: { ok: false, status: 500, message: 'boom' },
      appSettings: ok({ properties: { Db: '@Microsoft.KeyVault(VaultName=kv-app;SecretName=db)', Plain: PASSWORD, Broken: '@Microsoft.KeyVault(nope' } }),
    });
    assert.deepEqual(keyVaultReferenceTargets(i), [{ vault: 'kv-app', settings: ['Db'], secrets: ['db'] }]);
    assert.equal(access(i).status, 'pass');
  });

  it('merges configreferences and settings, case-insensitively, in order of appearance', () => {
    const t = keyVaultReferenceTargets({
      configReferences: ok({ value: [{ id: `${APP_ID}/config/configreferences/appsettings/A`, properties: { vaultName: 'KV-App', secretName: 's1' } }, { name: 'B', properties: { reference: '@Microsoft.KeyVault(SecretUri=https://kv-two.vault.azure.net/secrets/s2/)' } }] }),
      appSettings: ok({ properties: { C: '@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/s3/)' } }),
    });
    assert.deepEqual(t, [
      { vault: 'KV-App', settings: ['A', 'C'], secrets: ['s1', 's3'] },
      { vault: 'kv-two', settings: ['B'], secrets: ['s2'] },
    ]);
    assert.equal(keyVaultReferenceTargets({}), undefined);
  });

  it('resolves the reference identity', () => {
    assert.deepEqual(keyVaultReferenceIdentity(site()), { label: 'the system-assigned identity', principalId: PRINCIPAL });
    assert.match(keyVaultReferenceIdentity(site({ properties: { keyVaultReferenceIdentity: UAMI } })).missing ?? '', /not assigned/);
    assert.equal(keyVaultReferenceIdentity(site({ identity: { type: 'SystemAssigned' } })).principalId, undefined);
  });

  it('unknown when nothing about the vaults was read, or a vault read failed (which permission)', () => {
    for (const c of [access(input({ vaults: undefined })), reach(input({ vaults: undefined }))]) {
      assert.equal(c.status, 'unknown');
      assert.match(c.unknownReason ?? '', /Not read: the key vaults the references use \(kv-app/);
    }
    const denied = input({ vaults: { 'kv-app': { ok: false, status: 403, code: 'AuthorizationFailed', message: 'no' } } });
    for (const c of [access(denied), reach(denied)]) {
      assert.equal(c.status, 'unknown');
      assert.match(c.unknownReason ?? '', /Vault kv-app: Reading the key vault needs Microsoft\.KeyVault\/vaults\/read/);
    }
    const missing = input({ vaults: { 'kv-app': { ok: false, status: 404, code: 'VaultNotFound', message: 'not in the subscription' } } });
    assert.match(reach(missing).unknownReason ?? '', /404 \(VaultNotFound\)/);
    assert.match(access(input({ site: ok(site({ identity: { type: 'SystemAssigned' } })) })).unknownReason ?? '', /principal id/);
    assert.match(access({}).unknownReason ?? '', /^Not read: the app/);
  });

  it('judges each vault; the worst wins; vaults past the limit are unknown', () => {
    const names = Array.from({ length: MAX_VAULTS_PER_APP + 1 }, (_, i) => `kv-${i}`);
    const vaults: Record<string, SourceResult<ArmVault>> = {};
    const roleAssignments: Record<string, SourceResult<Json>> = {};
    for (const n of names.slice(0, MAX_VAULTS_PER_APP)) {
      vaults[n] = ok(vault(n));
      roleAssignments[n] = ok({ value: [assignment(KEY_VAULT_ROLES.secretsUser, vaultId(n))] });
    }
    const i = input({ configReferences: ok(refsTo(...names)), appSettings: ok({ properties: {} }), vaults, roleAssignments });
    const c = access(i);
    assert.equal(c.status, 'unknown');
    assert.equal(c.items?.length, names.length);
    assert.match(c.unknownReason ?? '', /only the first 5 vaults/);
    roleAssignments['kv-1'] = ok({ value: [] });
    const failing = access(i);
    assert.equal(failing.status, 'fail');
    assert.match(failing.value, /^No secret read access on kv-1 \(1 of 6 vaults\)$/);
  });

  it('never puts a setting value into the report', () => {
    const i = input({
      appSettings: ok({
        properties: {
          Setting0: '@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/secret0/)',
          Other: '@Microsoft.KeyVault(VaultName=kv-two;SecretName=two)',
          DB_PASSWORD: PASSWORD,
        },
      }),
      vaults: { 'kv-app': ok(vault('kv-app', { enableRbacAuthorization: false, accessPolicies: [policy(PRINCIPAL, ['all'])], networkAcls: { defaultAction: 'Deny' } })), 'kv-two': ok(vault('kv-two')) },
      roleAssignments: { 'kv-two': ok({ value: [] }) },
    });
    const report = evaluatePosture(i);
    const json = JSON.stringify(report);
    assert.ok(!json.includes(PASSWORD), 'a plain setting value leaked');
    assert.ok(!json.includes('kv-app.vault.azure.net/secrets/secret0') && !json.includes('SecretName=two'), 'a reference value was copied');
    for (const id of ['KV-APP-ACCESS', 'KV-APP-REACHABILITY']) assert.ok(report.checks.some((c) => c.ruleId === id && c.items?.length === 2));
  });
});

describe('posture KV-APP-REACHABILITY', () => {
  it('passes when the vault is open', () => {
    const c = reach(input());
    assert.equal(c.status, 'pass');
    assert.equal(c.category, 'Network');
    assert.match(c.value, /App can reach kv-app/);
  });

  it('fails for a firewalled vault when the app has no VNet integration', () => {
    const c = reach(input(network({ networkAcls: { defaultAction: 'Deny', virtualNetworkRules: [{ id: SUBNET }] } })));
    assert.equal(c.status, 'fail');
    assert.match(c.value, /^App cannot reach kv-app$/);
    assert.match(c.items![0].detail, /no VNet integration/);
    assert.match(c.hint ?? '', /virtualNetworkSubnetId/);
  });

  it("passes when the app's subnet is in the vault's virtual network rules (ids compared case-insensitively)", () => {
    const c = reach(input(network({ networkAcls: { defaultAction: 'Deny', virtualNetworkRules: [{ id: SUBNET.toLowerCase() }] } }, { properties: { virtualNetworkSubnetId: SUBNET } })));
    assert.equal(c.status, 'pass');
    assert.match(c.items![0].detail, /subnet apps is in the vault's virtual network rules/);
  });

  it('fails when the subnet is not allowed and there is no private endpoint', () => {
    const c = reach(input(network({ networkAcls: { defaultAction: 'Deny', virtualNetworkRules: [{ id: OTHER_SUBNET }] } }, { properties: { virtualNetworkSubnetId: SUBNET } })));
    assert.equal(c.status, 'fail');
    assert.match(c.items![0].detail, /not in the vault's virtual network rules/);
  });

  it('warns (cannot verify private endpoint routing) when the path would be a private endpoint', () => {
    const pe = [{ id: 'pe1', properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }];
    const firewalled = reach(input(network({ networkAcls: { defaultAction: 'Deny', virtualNetworkRules: [] }, privateEndpointConnections: pe }, { kind: 'app,linux', properties: { virtualNetworkSubnetId: SUBNET } })));
    assert.equal(firewalled.status, 'warning');
    assert.match(firewalled.items![0].detail, /cannot verify private endpoint routing/);
    assert.match(firewalled.items![0].detail, /route all traffic through the VNet is off/);
    const privateOnly = reach(input(network({ publicNetworkAccess: 'Disabled', privateEndpointConnections: pe }, { properties: { virtualNetworkSubnetId: SUBNET } })));
    assert.equal(privateOnly.status, 'warning');
    assert.match(privateOnly.value, /Cannot verify the network path to kv-app/);
  });

  it('fails for public access disabled without VNet integration, or without any approved private endpoint', () => {
    assert.equal(reach(input(network({ publicNetworkAccess: 'Disabled' }))).status, 'fail');
    const pending = [{ properties: { privateLinkServiceConnectionState: { status: 'Pending' } } }];
    const c = reach(input(network({ publicNetworkAccess: 'Disabled', privateEndpointConnections: pending }, { properties: { virtualNetworkSubnetId: SUBNET } })));
    assert.equal(c.status, 'fail');
    assert.match(c.items![0].detail, /no approved private endpoint/);
  });

  it("warns when only IP rules for the app's outbound addresses let it in", () => {
    const acl = { defaultAction: 'Deny', ipRules: [{ value: '20.1.2.0/24' }, { value: '40.5.6.7' }] };
    const c = reach(input(network({ networkAcls: acl }, { properties: { outboundIpAddresses: '20.1.2.3,20.1.2.200,40.5.6.7' } })));
    assert.equal(c.status, 'warning');
    assert.match(c.items![0].detail, /outbound addresses, which change/);
    assert.equal(reach(input(network({ networkAcls: acl }, { properties: { outboundIpAddresses: '20.1.2.3,52.0.0.1' } }))).status, 'fail');
  });
});
