import * as assert from 'node:assert/strict';
import { check } from 'recheck';
import { scanText } from '../../src/core/engine';
import { parseKeyVaultReference } from '../../src/core/references/keyVault';
import { allCheckers, ruleUnits, unitPatterns } from '../../src/core/rules';
import { isSecretSettingName } from '../../src/core/rules/appservice/plaintextSecret';
import { armSite, armTemplate } from './appservice.helpers.test';

describe('settings rules (App Service and the storage behind it): catalog', () => {
  it('exports rule metadata with unique ids, the insecure-setting tag and one-sentence descriptions', () => {
    const appServiceRules = ruleUnits.flatMap((u) => u.rules);
    const ids = appServiceRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of appServiceRules) {
      assert.match(r.id, /^(APPSVC|FUNC|KV|STORAGE)-[A-Z0-9-]+$/);
      assert.equal(r.tag, 'insecure-setting');
      assert.ok(r.description.endsWith('.'), r.id);
      assert.ok(['warning', 'info'].includes(r.severity), r.id);
    }
    const covered = new Set(allCheckers.flatMap((c) => c.ruleIds));
    for (const id of ids) assert.ok(covered.has(id), `${id} has a checker`);
  });
});

describe('App Service rules: ReDoS', function () {
  this.timeout(600_000);
  it('every exported pattern is linear-time (recheck)', async () => {
    assert.ok(unitPatterns.length >= 20);
    const bad: string[] = [];
    for (const re of unitPatterns) {
      const r = await check(re.source, re.flags);
      if (r.status === 'vulnerable') bad.push(`${re} — ${r.complexity.summary}`);
    }
    assert.deepEqual(bad, []);
  });
});

describe('Key Vault reference parser', () => {
  const ok: [string, object][] = [
    ['@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)', { vault: 'kv-orders', host: 'kv-orders.vault.azure.net', secretName: 'db-password', form: 'SecretUri' }],
    ['@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password)', { vault: 'kv-orders', host: 'kv-orders.vault.azure.net', secretName: 'db-password', form: 'SecretUri' }],
    [
      '@Microsoft.KeyVault(SecretUri=https://kv1.vault.usgovcloudapi.net/secrets/a/0f1e2d3c4b5a69788796a5b4c3d2e1f0)',
      { vault: 'kv1', host: 'kv1.vault.usgovcloudapi.net', secretName: 'a', version: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', form: 'SecretUri' },
    ],
    ['@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.cn/secrets/a/)', { vault: 'kv1', host: 'kv1.vault.azure.cn', secretName: 'a', form: 'SecretUri' }],
    ['@Microsoft.KeyVault(SecretUri=https://kv1.vault.microsoftazure.de/secrets/a)', { vault: 'kv1', host: 'kv1.vault.microsoftazure.de', secretName: 'a', form: 'SecretUri' }],
    ['@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db-password)', { vault: 'kv-orders', host: 'kv-orders.vault.azure.net', secretName: 'db-password', form: 'VaultName' }],
    [
      '@Microsoft.KeyVault(VaultName=kv-orders; SecretName=db; SecretVersion=0f1e2d3c4b5a69788796a5b4c3d2e1f0)',
      { vault: 'kv-orders', host: 'kv-orders.vault.azure.net', secretName: 'db', version: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', form: 'VaultName' },
    ],
  ];
  for (const [text, expected] of ok) it(`parses ${text}`, () => assert.deepEqual(parseKeyVaultReference(text), expected));

  const bad = [
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password',
    '@Microsoft.KeyVault()',
    '@Microsoft.KeyVault(SecretUri=http://kv-orders.vault.azure.net/secrets/db)',
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net.evil.com/secrets/db)',
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/keys/db)',
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db_password)',
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db/latest)',
    '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db/v1/extra)',
    '@Microsoft.KeyVault(VaultName=kv-orders)',
    '@Microsoft.KeyVault(SecretName=db)',
    '@Microsoft.KeyVault(VaultName=kv_orders;SecretName=db)',
    '@Microsoft.KeyVault(VaultName=kv;SecretName=db;Version=1)',
    '@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/a;VaultName=kv1)',
    'not a reference',
  ];
  for (const text of bad) it(`rejects ${text}`, () => assert.ok('error' in parseKeyVaultReference(text)));
});

describe('App Service rules: secret-looking setting names', () => {
  const secret = ['DB_PASSWORD', 'Smtp__Password', 'apiKey', 'STORAGE_ACCOUNT_KEY', 'ClientSecret', 'GITHUB_TOKEN', 'ServiceBus__ConnectionString', 'AzureWebJobsStorage', 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET', 'SqlPwd'];
  const notSecret = [
    'APPINSIGHTS_INSTRUMENTATIONKEY',
    'KEY_VAULT_NAME',
    'KeyVaultUri',
    'AZURE_KEYVAULT_URI',
    'Auth__ClientSecretSettingName',
    'TokenEndpoint',
    'TOKEN_ISSUER',
    'AzureWebJobsStorage__accountName',
    'WEBSITE_TIME_ZONE',
    'KeyboardLayout',
    'PUBLIC_KEY',
    'SigningKeyId',
  ];
  for (const n of secret) it(`'${n}' says secret`, () => assert.ok(isSecretSettingName(n)));
  for (const n of notSecret) it(`'${n}' does not`, () => assert.ok(!isSecretSettingName(n)));
});

describe('App Service rules: cost is linear in entries', () => {
  it('scans a template with thousands of settings quickly and without quadratic blow-up', () => {
    const make = (n: number) =>
      armTemplate(
        armSite(
          '',
          `,\n          "appSettings": [\n${Array.from({ length: n }, (_, i) => `            { "name": "SETTING_${i}_URL", "value": "http://svc${i}.contoso.com/api" }`).join(',\n')}\n          ]`,
        ),
      );
    const time = (text: string) => {
      const t0 = performance.now();
      const r = scanText(text, 'main.json');
      return { ms: performance.now() - t0, n: r.findings.filter((f) => f.ruleId === 'APPSVC-HTTP-ENDPOINT').length };
    };
    time(make(200)); // warm up
    const small = time(make(2000));
    const large = time(make(8000));
    assert.equal(small.n, 2000);
    assert.equal(large.n, 8000);
    assert.ok(large.ms < 4000, `8000 settings took ${large.ms.toFixed(0)} ms`);
    assert.ok(large.ms < small.ms * 12 + 50, `4x the input took ${(large.ms / small.ms).toFixed(1)}x the time`);
  });
});
