import * as assert from 'node:assert/strict';
import { ARM_API_VERSIONS, toSecretName as azurePackageSecretName } from '../../src/azure';
import { scanText } from '../../src/core/engine';
import { evaluatePosture, type SourceResult } from '../../src/core/posture';
import { SECURITY_PRICING_API_VERSION, WEB_API_VERSION } from '../../src/core/posture/checks';
import { createScanProfile, scanWithProfile } from '../../src/core/profile';
import { planKeyVaultMove } from '../../src/core/references/keyVaultMove';
import {
  API_VERSIONS,
  isValidSecretName,
  isValidVaultName,
  TERRAFORM_SITE_OR_SLOT_TYPE,
  TERRAFORM_SITE_TYPE,
  TERRAFORM_SITE_TYPES,
  toSecretName,
} from '../../src/core/vocabulary/azure';
import { iacSiteNames } from '../../src/extension/posture/iacNames';
import { fakeSecret } from '../support/fakeSecrets';

const storageConnection = (seed: number) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${fakeSecret('azure-storage-key', seed)};EndpointSuffix=core.windows.net`;

/** Setting names on which the three former sanitisers disagreed (editor move, live posture fix, src/azure). */
const SETTING_NAMES: [string, string][] = [
  ['ConnectionStrings:Db', 'ConnectionStrings--Db'], // posture gave ConnectionStrings-Db
  ['Storage__Key', 'Storage--Key'],
  ['My Setting.Key', 'My-Setting-Key'], // src/azure gave MySetting-Key
  ['_Leading_Key', 'Leading-Key'], // src/azure and posture gave -Leading-Key
  ['Db___Password', 'Db--Password'], // src/azure and posture gave Db---Password
  ['Ключ:Db', 'Db'], // src/azure gave --Db, posture gave -----Db
];

describe('Azure vocabulary: one secret-name sanitiser', () => {
  for (const [setting, want] of SETTING_NAMES) {
    it(`every former caller names the secret for "${setting}" ${want}`, () => {
      assert.equal(toSecretName(setting), want);
      assert.ok(isValidSecretName(want));
      // src/azure's exported helper.
      assert.equal(azurePackageSecretName(setting), want);
      // The editor's "Move secret to Azure Key Vault…" on an App Service settings export.
      const text = JSON.stringify([{ name: setting, value: storageConnection(3), slotSetting: false }], null, 2);
      const scanned = scanWithProfile(createScanProfile({}), text, 'appsettings.export.json', 'appservice-settings');
      const finding = scanned.findings.find((f) => f.tag === 'secret');
      assert.ok(finding, 'the editor finds the secret');
      const planned = planKeyVaultMove(scanned.doc, 'appsettings.export.json', finding);
      assert.ok(planned.ok, planned.ok ? '' : planned.reason);
      assert.equal(planned.plan.proposedName, want, 'editor move');
      // The live posture fix "Move to Key Vault" for the same app setting.
      const ok = (body: unknown): SourceResult => ({ ok: true, body }) as SourceResult;
      const report = evaluatePosture({ appSettings: ok({ properties: { [setting]: storageConnection(3) } }) } as Parameters<typeof evaluatePosture>[0]);
      const fix = report.checks.find((c) => c.ruleId === 'APPSVC-SETTING-PLAINTEXT-SECRET')?.fix;
      assert.equal(fix?.readModifyWrite?.secretNames?.[setting], want, 'live posture fix');
    });
  }

  it('keeps names within 127 characters and never empty', () => {
    assert.equal(toSecretName('x'.repeat(200)).length, 127);
    assert.equal(toSecretName(`${'a'.repeat(126)}__b`), 'a'.repeat(126), 'no trailing dash after the cut');
    assert.equal(toSecretName('***'), 'secret');
  });
});

describe('Azure vocabulary: vault names', () => {
  it('accepts 3–24 letters, digits and dashes, starting with a letter, no double dash', () => {
    for (const ok of ['kv1', 'contoso-kv', 'A'.repeat(24)]) assert.ok(isValidVaultName(ok), ok);
    for (const bad of ['kv', '1kv', 'kv-', 'a--b', 'A'.repeat(25), 'contoso-kv.vault.azure.net']) assert.ok(!isValidVaultName(bad), bad);
  });
});

describe('Azure vocabulary: App Service site types in Terraform', () => {
  it('the patterns match exactly the listed site types (and their slots)', () => {
    for (const t of TERRAFORM_SITE_TYPES) {
      assert.ok(TERRAFORM_SITE_TYPE.test(t), t);
      assert.ok(TERRAFORM_SITE_OR_SLOT_TYPE.test(t) && TERRAFORM_SITE_OR_SLOT_TYPE.test(`${t}_slot`), t);
      assert.ok(!TERRAFORM_SITE_TYPE.test(`${t}_slot`), `${t}_slot is not a site`);
    }
    for (const other of ['azurerm_app_service_plan', 'azurerm_static_web_app', 'azurerm_key_vault']) assert.ok(!TERRAFORM_SITE_OR_SLOT_TYPE.test(other), other);
  });

  const flex = 'resource "azurerm_function_app_flex_consumption" "fn" {\n  name = "orders-flex"\n  https_only = false\n  app_settings = {\n    "StorageKey" = "KEY"\n  }\n}\n';

  it('the App Service rules check a Flex Consumption function app like any other site', () => {
    const ids = scanText(flex.replace('KEY', 'x'), 'main.tf').findings.map((f) => f.ruleId);
    assert.ok(ids.includes('APPSVC-HTTPS-ONLY'), ids.join(', '));
  });

  it('posture links a Flex Consumption function app by name, and the move gives its settings a Key Vault reference', () => {
    assert.deepEqual(iacSiteNames('main.tf', flex), ['orders-flex']);
    const text = flex.replace('KEY', fakeSecret('azure-storage-key', 5));
    const scanned = scanWithProfile(createScanProfile({}), text, 'main.tf');
    const planned = planKeyVaultMove(scanned.doc, 'main.tf', scanned.findings.find((f) => f.tag === 'secret')!);
    assert.ok(planned.ok && planned.plan.form === 'app-service-reference');
  });
});

describe('Azure vocabulary: api-versions', () => {
  it('src/azure and the posture checks call the versions of the vocabulary', () => {
    assert.equal(ARM_API_VERSIONS, API_VERSIONS);
    assert.equal(WEB_API_VERSION, API_VERSIONS.web);
    assert.equal(SECURITY_PRICING_API_VERSION, API_VERSIONS.security);
  });
});
