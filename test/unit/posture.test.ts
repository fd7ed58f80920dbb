import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toSecretName } from '../../src/core/vocabulary/azure';
import { allRules } from '../../src/core/rules';
import {
  buildAppSettingsBody,
  enabledPostureChecks,
  evaluatePosture,
  identityPatchBody,
  postureOnlyRules,
  splitPublishingPolicies,
  summarizePosture,
  unreadable,
  type PostureCheck,
  type PostureInput,
  type PostureReport,
  type PostureStatus,
  type SourceResult,
} from '../../src/core/posture';

const ARM = path.resolve(__dirname, '../fixtures/arm');
const DOCS = path.resolve(__dirname, '../../docs/rules');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function fixture(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(ARM, `${name}.json`), 'utf8')).responses['200'].body;
}

function ok(body: Json): SourceResult<Json> {
  return { ok: true, body };
}

const SITE = fixture('GetWebApp');
const WEB = fixture('GetSiteConfig');
const AUTH = fixture('GetAuthSettingsV2WithoutSecrets');
const POLICY_FTP_OFF = fixture('GetPublishingCredentialsPolicy');
const POLICIES_ON = fixture('ListPublishingCredentialsPolicies').value;
const APP_SETTINGS = fixture('ListAppSettings');
const KV_REFS = fixture('GetKeyVaultReferencesForAppSettings');
const DEFENDER_ON = { id: '/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/providers/Microsoft.Security/pricings/AppServices', properties: { pricingTier: 'Standard', subPlan: null } };

const clone = <T>(v: T): T => structuredClone(v);

/** The verbatim spec examples, every read answered. */
function baseInput(): PostureInput {
  return {
    site: ok(clone(SITE)),
    web: ok(clone(WEB)),
    appSettings: ok(clone(APP_SETTINGS)),
    authSettingsV2: ok(clone(AUTH)),
    ftpPolicy: ok(clone(POLICIES_ON[0])),
    scmPolicy: ok(clone(POLICIES_ON[1])),
    configReferences: ok(clone(KV_REFS)),
    defenderPricing: ok(clone(DEFENDER_ON)),
  };
}

function withSite(f: (b: Json) => void): Partial<PostureInput> {
  const b = clone(SITE);
  f(b);
  return { site: ok(b) };
}

function withWeb(f: (p: Json) => void): Partial<PostureInput> {
  const b = clone(WEB);
  f(b.properties);
  return { web: ok(b) };
}

function withSettings(props: Record<string, string>): Partial<PostureInput> {
  return { appSettings: ok({ ...clone(APP_SETTINGS), properties: props }) };
}

function refs(...items: { name: string; status?: string; details?: string }[]): Partial<PostureInput> {
  return {
    configReferences: ok({
      value: items.map((i) => ({
        id: `/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/testc6282/config/configreferences/appsettings/${i.name}`,
        properties: { vaultName: 'keyVaultName', secretName: i.name.toLowerCase(), ...(i.status ? { status: i.status } : {}), ...(i.details ? { details: i.details } : {}) },
      })),
    }),
  };
}

function check(report: PostureReport, id: string): PostureCheck {
  const c = report.checks.find((x) => x.ruleId === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

// Built at run time so no secret-looking literal sits in the test source.
const PASSWORD = ['Zq7', 'vL2!', 'pR9x', 'Kw4m'].join('');
const STORAGE_KEY = `${'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3rSt6vWx9zA2cD5gH8kM1nQ4tW7yZ0'.slice(0, 72)}Xy12Zw34Qa56Rt78Op90Uv==`;

interface Case {
  name: string;
  input?: Partial<PostureInput>;
  rule: string;
  status: PostureStatus;
  value?: RegExp;
  fixBody?: unknown;
  fixPath?: string;
  noFix?: boolean;
  unknownReason?: RegExp;
}

const cases: Case[] = [
  // ---- Transport ----
  { name: 'spec site: httpsOnly false', rule: 'APPSVC-HTTPS-ONLY', status: 'fail', value: /^Off$/, fixBody: { properties: { httpsOnly: true } }, fixPath: '' },
  { name: 'httpsOnly true', input: withSite((b) => (b.properties.httpsOnly = true)), rule: 'APPSVC-HTTPS-ONLY', status: 'pass', noFix: true },
  { name: 'httpsOnly missing counts as off', input: withSite((b) => delete b.properties.httpsOnly), rule: 'APPSVC-HTTPS-ONLY', status: 'fail', value: /Not set/ },
  { name: 'spec config: TLS 1.2', rule: 'APPSVC-MIN-TLS', status: 'pass', value: /1\.2/ },
  { name: 'TLS 1.3 passes', input: withWeb((p) => (p.minTlsVersion = '1.3')), rule: 'APPSVC-MIN-TLS', status: 'pass' },
  { name: 'TLS 1.0 fails', input: withWeb((p) => (p.minTlsVersion = '1.0')), rule: 'APPSVC-MIN-TLS', status: 'fail', value: /1\.0/, fixBody: { properties: { minTlsVersion: '1.2' } }, fixPath: '/config/web' },
  { name: 'TLS 1.1 fails', input: withWeb((p) => (p.minTlsVersion = '1.1')), rule: 'APPSVC-MIN-TLS', status: 'fail' },
  { name: 'TLS not reported', input: withWeb((p) => delete p.minTlsVersion), rule: 'APPSVC-MIN-TLS', status: 'unknown', unknownReason: /minTlsVersion/ },
  { name: 'SCM TLS 1.0 fails', input: withWeb((p) => (p.scmMinTlsVersion = '1.0')), rule: 'APPSVC-SCM-MIN-TLS', status: 'fail', fixBody: { properties: { scmMinTlsVersion: '1.2' } } },
  { name: 'spec config: FTP AllAllowed', rule: 'APPSVC-FTPS', status: 'fail', fixBody: { properties: { ftpsState: 'Disabled' } } },
  { name: 'FtpsOnly passes', input: withWeb((p) => (p.ftpsState = 'FtpsOnly')), rule: 'APPSVC-FTPS', status: 'pass' },
  { name: 'FTP Disabled passes', input: withWeb((p) => (p.ftpsState = 'Disabled')), rule: 'APPSVC-FTPS', status: 'pass' },
  { name: 'spec config: HTTP/2 off', rule: 'APPSVC-HTTP2', status: 'warning', fixBody: { properties: { http20Enabled: true } } },
  { name: 'HTTP/2 on', input: withWeb((p) => (p.http20Enabled = true)), rule: 'APPSVC-HTTP2', status: 'pass' },
  // ---- Identity ----
  { name: 'spec policies: SCM basic auth on', rule: 'APPSVC-BASIC-AUTH-SCM', status: 'fail', fixBody: { properties: { allow: false } }, fixPath: '/basicPublishingCredentialsPolicies/scm' },
  { name: 'spec policies: FTP basic auth on', rule: 'APPSVC-BASIC-AUTH-FTP', status: 'fail', fixBody: { properties: { allow: false } }, fixPath: '/basicPublishingCredentialsPolicies/ftp' },
  { name: 'spec GET ftp policy: off', input: { ftpPolicy: ok(clone(POLICY_FTP_OFF)) }, rule: 'APPSVC-BASIC-AUTH-FTP', status: 'pass', noFix: true },
  { name: 'SCM policy not readable', input: { scmPolicy: { ok: false, status: 500, code: 'InternalServerError', message: 'boom' } }, rule: 'APPSVC-BASIC-AUTH-SCM', status: 'unknown', unknownReason: /500 InternalServerError/ },
  { name: 'spec auth: on, Return403', rule: 'APPSVC-AUTH-ENABLED', status: 'pass', value: /requires authentication \(Return403\)/ },
  {
    name: 'auth on but anonymous allowed',
    input: { authSettingsV2: ok({ properties: { platform: { enabled: true }, globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' } } }) },
    rule: 'APPSVC-AUTH-ENABLED',
    status: 'fail',
    value: /anonymous/,
  },
  {
    name: 'auth on with Return401 but requireAuthentication unset',
    input: { authSettingsV2: ok({ properties: { platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: 'Return401' } } }) },
    rule: 'APPSVC-AUTH-ENABLED',
    status: 'pass',
  },
  { name: 'auth off on a web app', input: { authSettingsV2: ok({ properties: { platform: { enabled: false } } }) }, rule: 'APPSVC-AUTH-ENABLED', status: 'fail', value: /^Off$/ },
  {
    name: 'auth off on a function app is a warning',
    input: { ...withSite((b) => (b.kind = 'functionapp,linux')), authSettingsV2: ok({ properties: { platform: { enabled: false } } }) },
    rule: 'APPSVC-AUTH-ENABLED',
    status: 'warning',
  },
  { name: 'spec site: no identity', rule: 'APPSVC-MANAGED-IDENTITY', status: 'fail', value: /None/, fixBody: { identity: { type: 'SystemAssigned' } } },
  { name: 'system identity', input: withSite((b) => (b.identity = { type: 'SystemAssigned', principalId: 'p', tenantId: 't' })), rule: 'APPSVC-MANAGED-IDENTITY', status: 'pass', value: /system-assigned/ },
  {
    name: 'user-assigned identity',
    input: withSite((b) => (b.identity = { type: 'UserAssigned', userAssignedIdentities: { '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1': {} } })),
    rule: 'APPSVC-MANAGED-IDENTITY',
    status: 'pass',
    value: /1 user-assigned/,
  },
  { name: 'spec config: remote debugging off', rule: 'APPSVC-REMOTE-DEBUG', status: 'pass', noFix: true },
  {
    name: 'remote debugging on',
    input: withWeb((p) => Object.assign(p, { remoteDebuggingEnabled: true, remoteDebuggingVersion: 'VS2022' })),
    rule: 'APPSVC-REMOTE-DEBUG',
    status: 'fail',
    value: /On \(VS2022\)/,
    fixBody: { properties: { remoteDebuggingEnabled: false } },
  },
  // ---- Network ----
  { name: 'spec: no restrictions', rule: 'APPSVC-ACCESS-RESTRICTIONS', status: 'warning', value: /No restrictions/ },
  {
    name: 'platform "Allow all" row only',
    input: withWeb((p) => (p.ipSecurityRestrictions = [{ ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all' }])),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    status: 'warning',
  },
  {
    name: 'Front Door tag rule with implicit deny',
    input: withWeb(
      (p) =>
        (p.ipSecurityRestrictions = [
          { ipAddress: 'AzureFrontDoor.Backend', tag: 'ServiceTag', action: 'Allow', priority: 100, headers: { 'x-azure-fdid': ['id'] } },
          { ipAddress: 'Any', action: 'Deny', priority: 2147483647, name: 'Deny all' },
        ]),
    ),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    status: 'pass',
    value: /1 allow rule/,
  },
  {
    name: 'allow-any rule beside real rules',
    input: withWeb(
      (p) =>
        (p.ipSecurityRestrictions = [
          { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' },
          { ipAddress: '0.0.0.0/0', action: 'Allow', priority: 200, name: 'temp' },
        ]),
    ),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    status: 'fail',
    value: /allow-any rule 'temp'/,
  },
  {
    name: 'allow rules under default Allow',
    input: withWeb((p) => Object.assign(p, { ipSecurityRestrictions: [{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100 }], ipSecurityRestrictionsDefaultAction: 'Allow' })),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    status: 'fail',
  },
  { name: 'public access disabled', input: withSite((b) => (b.properties.publicNetworkAccess = 'Disabled')), rule: 'APPSVC-ACCESS-RESTRICTIONS', status: 'pass' },
  {
    name: 'SCM open while main restricted',
    input: withWeb((p) => Object.assign(p, { ipSecurityRestrictionsDefaultAction: 'Deny', ipSecurityRestrictions: [{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100 }], scmIpSecurityRestrictionsUseMain: false })),
    rule: 'APPSVC-SCM-EXPOSED',
    status: 'fail',
    fixBody: { properties: { scmIpSecurityRestrictionsUseMain: true } },
  },
  {
    name: 'SCM uses main rules',
    input: withWeb((p) => Object.assign(p, { ipSecurityRestrictionsDefaultAction: 'Deny', scmIpSecurityRestrictionsUseMain: true })),
    rule: 'APPSVC-SCM-EXPOSED',
    status: 'pass',
  },
  {
    name: 'SCM own rules',
    input: withWeb((p) => Object.assign(p, { ipSecurityRestrictionsDefaultAction: 'Deny', scmIpSecurityRestrictionsDefaultAction: 'Deny', scmIpSecurityRestrictions: [] })),
    rule: 'APPSVC-SCM-EXPOSED',
    status: 'pass',
    value: /Own rules/,
  },
  { name: 'spec: SCM open like main', rule: 'APPSVC-SCM-EXPOSED', status: 'warning', value: /basic authentication on/ },
  { name: 'spec: public network enabled, unrestricted', rule: 'APPSVC-PUBLIC-NETWORK', status: 'warning', fixBody: { properties: { publicNetworkAccess: 'Disabled' } } },
  { name: 'public network disabled', input: withSite((b) => (b.properties.publicNetworkAccess = 'Disabled')), rule: 'APPSVC-PUBLIC-NETWORK', status: 'pass' },
  {
    name: 'public network enabled but restricted',
    input: { ...withSite((b) => (b.properties.publicNetworkAccess = 'Enabled')), ...withWeb((p) => (p.ipSecurityRestrictionsDefaultAction = 'Deny')) },
    rule: 'APPSVC-PUBLIC-NETWORK',
    status: 'pass',
    value: /limited by access restrictions/,
  },
  { name: 'spec: no CORS', rule: 'APPSVC-CORS-WILDCARD', status: 'pass' },
  {
    name: 'CORS wildcard',
    input: withWeb((p) => (p.cors = { allowedOrigins: ['*', 'https://contoso.com'], supportCredentials: false })),
    rule: 'APPSVC-CORS-WILDCARD',
    status: 'fail',
    fixBody: { properties: { cors: { allowedOrigins: ['https://contoso.com'], supportCredentials: false } } },
  },
  // ---- Secrets ----
  { name: 'spec settings: nothing secret', rule: 'APPSVC-SETTING-PLAINTEXT-SECRET', status: 'pass', value: /No plain secrets in 2 settings/ },
  {
    name: '403 on app settings',
    input: { appSettings: { ok: false, status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization' } },
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    status: 'unknown',
    unknownReason: /^Reading app settings needs Microsoft\.Web\/sites\/config\/list\/action \(Contributor or Website Contributor\); your role got 403/,
  },
  { name: 'app settings not read', input: { appSettings: undefined }, rule: 'APPSVC-SETTING-PLAINTEXT-SECRET', status: 'unknown', unknownReason: /Not read: app settings/ },
  {
    name: 'plain password by name',
    input: withSettings({ Setting1: 'Value1', DB_PASSWORD: PASSWORD }),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    status: 'fail',
    value: /^1 setting holds a plain secret: DB_PASSWORD$/,
    fixPath: '/config/appsettings',
  },
  {
    name: 'storage key by value, password by name; references ignored',
    input: withSettings({
      DB_PASSWORD: PASSWORD,
      StorageConn: `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
      ApiKey: '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/api-key/)',
      Flags: '@Microsoft.AppConfiguration(Endpoint=https://contoso.azconfig.io; Key=flags)',
      APPINSIGHTS_INSTRUMENTATIONKEY: '00000000-0000-0000-0000-000000000000',
    }),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    status: 'fail',
    value: /^2 settings hold plain secrets: DB_PASSWORD, StorageConn$/,
  },
  { name: 'spec references: no status reported', rule: 'APPSVC-KVREF-UNRESOLVED', status: 'unknown', unknownReason: /no status for 2 references/ },
  { name: 'references resolved', input: refs({ name: 'DbPassword', status: 'Resolved' }), rule: 'APPSVC-KVREF-UNRESOLVED', status: 'pass', value: /1 reference resolved/ },
  {
    name: 'access denied',
    input: refs({ name: 'DbPassword', status: 'Resolved' }, { name: 'ApiKey', status: 'AccessToKeyVaultDenied', details: 'Key Vault reference was not able to be resolved because site was denied access.' }),
    rule: 'APPSVC-KVREF-UNRESOLVED',
    status: 'fail',
    value: /^1 of 2 references unresolved: ApiKey \(AccessToKeyVaultDenied\)$/,
  },
  { name: 'MSI not enabled', input: refs({ name: 'ApiKey', status: 'MSINotEnabled' }), rule: 'APPSVC-KVREF-UNRESOLVED', status: 'fail', value: /MSINotEnabled/ },
  { name: 'still initialising', input: refs({ name: 'ApiKey', status: 'Initialized' }), rule: 'APPSVC-KVREF-UNRESOLVED', status: 'warning' },
  { name: 'no references', input: { configReferences: ok({ value: [] }) }, rule: 'APPSVC-KVREF-UNRESOLVED', status: 'pass', value: /No Key Vault references/ },
  { name: 'spec: reference identity missing', rule: 'APPSVC-KVREF-IDENTITY', status: 'fail', fixBody: { identity: { type: 'SystemAssigned' } } },
  {
    name: 'reference identity: system identity present',
    input: withSite((b) => (b.identity = { type: 'SystemAssigned' })),
    rule: 'APPSVC-KVREF-IDENTITY',
    status: 'pass',
  },
  {
    name: 'reference identity: only a UAMI -> point references at it',
    input: withSite((b) => (b.identity = { type: 'UserAssigned', userAssignedIdentities: { '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-id': {} } })),
    rule: 'APPSVC-KVREF-IDENTITY',
    status: 'fail',
    fixBody: { properties: { keyVaultReferenceIdentity: '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-id' } },
  },
  { name: 'reference identity: nothing references Key Vault', input: { configReferences: ok({ value: [] }) }, rule: 'APPSVC-KVREF-IDENTITY', status: 'pass' },
  // ---- Monitoring ----
  { name: 'Defender Standard', rule: 'DEFENDER-APPSERVICE', status: 'pass', value: /Standard/ },
  {
    name: 'Defender Free',
    input: { defenderPricing: ok({ properties: { pricingTier: 'Free' } }) },
    rule: 'DEFENDER-APPSERVICE',
    status: 'fail',
    fixBody: { properties: { pricingTier: 'Standard' } },
    fixPath: '/providers/Microsoft.Security/pricings/AppServices',
  },
  {
    name: 'Defender not readable',
    input: { defenderPricing: { ok: false, status: 403, code: 'AuthorizationFailed', message: 'denied' } },
    rule: 'DEFENDER-APPSERVICE',
    status: 'unknown',
    unknownReason: /Microsoft\.Security\/pricings\/read.*403/,
  },
];

describe('posture: checks over the ARM fixtures and variants', () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name} -> ${c.status}`, () => {
      const report = evaluatePosture({ ...baseInput(), ...c.input });
      const ch = check(report, c.rule);
      assert.equal(ch.status, c.status, `${ch.value} ${ch.unknownReason ?? ''}`);
      if (c.value) assert.match(ch.value, c.value);
      if (c.unknownReason) assert.match(ch.unknownReason ?? '', c.unknownReason);
      if (c.status === 'unknown') assert.ok(ch.unknownReason, 'unknown without a reason');
      if (c.fixBody !== undefined) {
        assert.ok(ch.fix, 'no fix');
        assert.deepEqual(ch.fix.body, c.fixBody);
      }
      if (c.fixPath !== undefined) assert.equal(ch.fix?.pathSuffix, c.fixPath);
      if (c.noFix || c.status === 'pass' || c.status === 'unknown') assert.equal(ch.fix, undefined);
      if (ch.fix) {
        assert.ok(ch.fix.bicep.length > 10 && ch.fix.terraform.length > 10, 'fix without IaC snippets');
        assert.ok(ch.fix.summary.length > 5);
      }
    });
  }
});

describe('posture: report shape', () => {
  const report = evaluatePosture(baseInput());

  it('reports every check once, in the five categories', () => {
    assert.deepEqual(
      report.checks.map((c) => c.ruleId),
      enabledPostureChecks().map((m) => m.ruleId),
    );
    for (const c of report.checks) {
      assert.ok(['Transport', 'Identity', 'Network', 'Secrets', 'Monitoring'].includes(c.category));
      assert.match(c.why, /\.$/);
      assert.ok(c.title.length > 3);
    }
    const total = report.counts.pass + report.counts.fail + report.counts.warning + report.counts.unknown;
    assert.equal(total, report.checks.length);
  });

  it('covers the Top 12 of the catalog (the rules on a single app)', () => {
    const ids = new Set(report.checks.map((c) => c.ruleId));
    for (const id of [
      'APPSVC-SETTING-PLAINTEXT-SECRET',
      'APPSVC-KVREF-UNRESOLVED',
      'APPSVC-HTTPS-ONLY',
      'APPSVC-MIN-TLS',
      'APPSVC-BASIC-AUTH-SCM',
      'APPSVC-BASIC-AUTH-FTP',
      'APPSVC-AUTH-ENABLED',
      'APPSVC-MANAGED-IDENTITY',
      'APPSVC-ACCESS-RESTRICTIONS',
      'APPSVC-SCM-EXPOSED',
      'APPSVC-REMOTE-DEBUG',
      'DEFENDER-APPSERVICE',
    ])
      assert.ok(ids.has(id), id);
  });

  it('uses the editor rule ids and titles where the editor has the rule; documents the posture-only ids', () => {
    const editor = new Map(allRules.map((r) => [r.id, r]));
    const postureOnly = new Set(postureOnlyRules.map((r) => r.id));
    for (const c of report.checks) {
      const r = editor.get(c.ruleId);
      if (r) assert.equal(c.title, r.title);
      else assert.ok(postureOnly.has(c.ruleId), `${c.ruleId} is neither an editor rule nor a posture-only rule`);
    }
    for (const r of postureOnlyRules) {
      assert.ok(!editor.has(r.id), `${r.id} duplicates an editor rule`);
      assert.match(r.id, /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/);
      assert.match(r.description, /\.$/);
      assert.ok(fs.existsSync(path.join(DOCS, `${r.id}.md`)), `docs/rules/${r.id}.md is missing`);
    }
  });

  it('names the app and knows slots', () => {
    assert.equal(report.name, 'sitef6141');
    assert.equal(report.isSlot, false);
    const slot = fixture('ListWebAppSlots').value[0];
    const r = evaluatePosture({ ...baseInput(), site: ok(slot) });
    assert.equal(r.isSlot, true);
    const fix = check(r, 'APPSVC-BASIC-AUTH-FTP').fix!;
    assert.match(fix.bicep, /Microsoft\.Web\/sites\/slots\/basicPublishingCredentialsPolicies@/);
    assert.match(check(r, 'APPSVC-HTTPS-ONLY').fix!.terraform, /azurerm_windows_web_app_slot/);
  });

  it('reports everything unknown, with reasons, when nothing was read', () => {
    const r = evaluatePosture({});
    for (const c of r.checks) {
      assert.equal(c.status, 'unknown', c.ruleId);
      assert.match(c.unknownReason ?? '', /Not read/);
    }
  });

  it('never throws on junk bodies', () => {
    const junk: PostureInput = {
      site: ok(null),
      web: ok({ properties: { ipSecurityRestrictions: 'nope', cors: { allowedOrigins: 5 } } }),
      appSettings: ok({ properties: { A: 5, B: null } }),
      authSettingsV2: ok([]),
      ftpPolicy: ok('x'),
      scmPolicy: ok({ properties: null }),
      configReferences: ok({ value: [null, 3, { properties: { status: 7 } }] }),
      defenderPricing: ok({}),
    };
    const r = evaluatePosture(junk);
    assert.equal(r.checks.length, enabledPostureChecks().length);
  });
});

describe('posture: secrets never leave as values', () => {
  const input = {
    ...baseInput(),
    ...withSettings({
      Setting1: 'Value1',
      DB_PASSWORD: PASSWORD,
      StorageConn: `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
    }),
    ...refs({ name: 'ApiKey', status: 'SecretNotFound' }),
  };
  const report = evaluatePosture(input);
  const json = JSON.stringify(report);

  it('lists setting names, not values, anywhere in the report', () => {
    const c = check(report, 'APPSVC-SETTING-PLAINTEXT-SECRET');
    assert.equal(c.status, 'fail');
    assert.deepEqual(
      c.items?.map((i) => i.name),
      ['DB_PASSWORD', 'StorageConn'],
    );
    assert.ok(!json.includes(PASSWORD), 'password leaked into the report');
    assert.ok(!json.includes(STORAGE_KEY), 'storage key leaked into the report');
    assert.ok(!json.includes('Value1'), 'a plain setting value leaked into the report');
    assert.ok(!json.includes(STORAGE_KEY.slice(0, 20)));
  });

  it('describes the settings fix as read-modify-write with no body', () => {
    const fix = check(report, 'APPSVC-SETTING-PLAINTEXT-SECRET').fix!;
    assert.equal(fix.kind, 'put-appsettings');
    assert.equal(fix.method, 'PUT');
    assert.equal(fix.body, undefined);
    assert.deepEqual(fix.readModifyWrite?.read, { method: 'POST', pathSuffix: '/config/appsettings/list' });
    assert.deepEqual(fix.readModifyWrite?.secretNames, { DB_PASSWORD: 'DB-PASSWORD', StorageConn: 'StorageConn' });
    assert.match(fix.bicep, /DB_PASSWORD: '@Microsoft\.KeyVault\(SecretUri=\$\{kv\.properties\.vaultUri\}secrets\/DB-PASSWORD\/\)'/);
    assert.match(fix.terraform, /"DB_PASSWORD" = "@Microsoft\.KeyVault\(SecretUri=\$\{azurerm_key_vault_secret\.db_password\.versionless_id\}\)"/);
  });

  it('builds the PUT body from the current set at apply time, keeping every other setting', () => {
    const fix = check(report, 'APPSVC-SETTING-PLAINTEXT-SECRET').fix!;
    const current = { Setting1: 'Value1', DB_PASSWORD: PASSWORD, StorageConn: 'x', Added: 'later' };
    const b = buildAppSettingsBody(current, fix, 'https://contoso-kv.vault.azure.net');
    assert.deepEqual(b.properties, {
      Setting1: 'Value1',
      DB_PASSWORD: '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/DB-PASSWORD/)',
      StorageConn: '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/StorageConn/)',
      Added: 'later',
    });
    assert.throws(() => buildAppSettingsBody({ Setting1: 'x' }, fix, 'https://contoso-kv.vault.azure.net/'), /no longer exists/);
  });

  it('names the cause of an unresolved reference with a remedy', () => {
    const c = check(report, 'APPSVC-KVREF-UNRESOLVED');
    assert.equal(c.status, 'fail');
    assert.match(c.value, /ApiKey \(SecretNotFound\)/);
    assert.match(c.hint ?? '', /Create the secret/);
    const denied = check(evaluatePosture({ ...baseInput(), ...refs({ name: 'ApiKey', status: 'AccessToKeyVaultDenied' }) }), 'APPSVC-KVREF-UNRESOLVED');
    assert.match(denied.hint ?? '', /Key Vault Secrets User/);
    assert.match(denied.hint ?? '', /firewall/);
    assert.match(denied.items?.[0].detail ?? '', /^AccessToKeyVaultDenied/);
  });

  it('masks a secret that Azure echoes in the details of an unresolved reference', () => {
    // InvalidSyntax: the "reference" is the plain value, and Azure's details may quote it.
    const r = evaluatePosture({ ...baseInput(), ...refs({ name: 'ApiKey', status: 'InvalidSyntax', details: `Invalid Key Vault reference: ${STORAGE_KEY}` }) });
    const c = check(r, 'APPSVC-KVREF-UNRESOLVED');
    assert.match(c.items?.[0].detail ?? '', /Details: Invalid Key Vault reference:/);
    const out = JSON.stringify(r);
    for (let i = 0; i + 8 <= STORAGE_KEY.length; i += 4) assert.ok(!out.includes(STORAGE_KEY.slice(i, i + 8)), 'a piece of the key reached the report');
  });

  it('sanitises Key Vault secret names', () => {
    // The one sanitiser (src/core/vocabulary/azure.ts): ':' is a configuration separator like '__', so it becomes '--'.
    assert.equal(toSecretName('ConnectionStrings__Db'), 'ConnectionStrings--Db');
    assert.equal(toSecretName('a.b:c'), 'a-b--c');
    assert.equal(toSecretName('x'.repeat(200)).length, 127);
  });
});

describe('posture: managed identity fix keeps user-assigned identities', () => {
  const uami = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deployer';

  it('adds SystemAssigned alone when nothing is assigned', () => {
    assert.deepEqual(identityPatchBody(undefined), { identity: { type: 'SystemAssigned' } });
    assert.deepEqual(identityPatchBody({ type: 'None' }), { identity: { type: 'SystemAssigned' } });
  });

  it('merges with the current user-assigned identities', () => {
    assert.deepEqual(identityPatchBody({ type: 'UserAssigned', userAssignedIdentities: { [uami]: { principalId: 'p', clientId: 'c' } } }), {
      identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [uami]: {} } },
    });
  });

  it('the Key Vault reference identity fix merges too when several UAMIs are assigned', () => {
    const other = `${uami}2`;
    const r = evaluatePosture({ ...baseInput(), ...withSite((b) => (b.identity = { type: 'UserAssigned', userAssignedIdentities: { [uami]: {}, [other]: {} } })) });
    const fix = check(r, 'APPSVC-KVREF-IDENTITY').fix!;
    assert.deepEqual(fix.body, { identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [uami]: {}, [other]: {} } } });
    assert.match(fix.terraform, /identity_ids = \[/);
    assert.match(fix.caution ?? '', /Keeps the 2 user-assigned identities/);
  });
});

describe('posture: summary', () => {
  it('counts failing checks, and subscription-wide checks once per subscription', () => {
    const free = { defenderPricing: ok({ properties: { pricingTier: 'Free' } }) };
    const a = evaluatePosture({ ...baseInput(), ...free });
    const slot = fixture('ListWebAppSlots').value[0];
    const b = evaluatePosture({ ...baseInput(), ...free, site: ok(slot) });
    const s = summarizePosture([a, b]);
    assert.equal(s.reports, 2);
    assert.equal(s.byRule['DEFENDER-APPSERVICE'], 1);
    assert.equal(s.byRule['APPSVC-HTTPS-ONLY'], 2);
    assert.equal(s.failing, a.counts.fail + b.counts.fail - 1);
    assert.equal(s.failingResources, 2);
    assert.deepEqual(summarizePosture([]), { reports: 0, failing: 0, warnings: 0, unknown: 0, passing: 0, byRule: {}, failingResources: 0 });
  });
});

describe('posture: inputs and options', () => {
  it('splits the publishing policy list into ftp and scm', () => {
    const split = splitPublishingPolicies(ok(fixture('ListPublishingCredentialsPolicies')));
    assert.equal(split.ftpPolicy?.ok && (split.ftpPolicy.body as Json).name, 'ftp');
    assert.equal(split.scmPolicy?.ok && (split.scmPolicy.body as Json).name, 'scm');
    const r = evaluatePosture({ ...baseInput(), ...split });
    assert.equal(check(r, 'APPSVC-BASIC-AUTH-FTP').status, 'fail');
    assert.equal(check(r, 'APPSVC-BASIC-AUTH-SCM').status, 'fail');
    const failed = splitPublishingPolicies({ ok: false, status: 403, message: 'denied' });
    assert.equal(failed.ftpPolicy?.ok, false);
    const partial = splitPublishingPolicies(ok({ value: [POLICY_FTP_OFF] }));
    assert.equal(check(evaluatePosture({ ...baseInput(), ...partial }), 'APPSVC-BASIC-AUTH-SCM').status, 'unknown');
  });

  it('explains each kind of failed read', () => {
    assert.equal(unreadable('web', ok({ properties: {} })), undefined);
    assert.match(unreadable('web', { ok: false, status: 404, code: 'ResourceNotFound', message: 'gone' })!, /404 \(ResourceNotFound\): gone/);
    assert.match(unreadable('site', { ok: false, status: 401, message: 'expired' })!, /sign in again/);
    assert.match(unreadable('site', { ok: false, message: 'getaddrinfo ENOTFOUND' })!, /failed: getaddrinfo ENOTFOUND/);
    assert.match(unreadable('site', { ok: false, status: 429, code: 'TooManyRequests', message: 'x'.repeat(1000) })!, /^Reading the app failed \(429 TooManyRequests\): x+…$/);
    assert.ok(unreadable('site', { ok: false, status: 429, message: 'x'.repeat(1000) })!.length < 300);
    assert.match(unreadable('authSettingsV2', ok('not an object'))!, /Unexpected response body/);
  });

  it('leaves out rules the user turned off and passes levels to the secret detectors', () => {
    const r = evaluatePosture(baseInput(), { levels: { 'APPSVC-HTTP2': 'off' } });
    assert.ok(!r.checks.some((c) => c.ruleId === 'APPSVC-HTTP2'));
    assert.equal(r.checks.length, enabledPostureChecks().length - 1);
    const input = { ...baseInput(), ...withSettings({ DB_PASSWORD: PASSWORD }) };
    assert.equal(check(evaluatePosture(input), 'APPSVC-SETTING-PLAINTEXT-SECRET').status, 'fail');
    // The name heuristic is the plain-text rule itself; with it off the check is gone.
    assert.ok(!evaluatePosture(input, { levels: { 'APPSVC-SETTING-PLAINTEXT-SECRET': 'off' } }).checks.some((c) => c.ruleId === 'APPSVC-SETTING-PLAINTEXT-SECRET'));
  });
});
