import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { createScanProfile, scanWithProfile } from '../../src/core/profile';
import { detectFileKind } from '../../src/core/fileKind';
import { FORMATS } from '../../src/core/formats';
import { isValidSecretName, moveFormsOf, planKeyVaultMove, toSecretName, type ReferenceForm, type VaultTarget } from '../../src/core/references/keyVaultMove';
import { fakeSecret } from '../support/fakeSecrets';

const vault: VaultTarget = { name: 'contoso-kv', host: 'contoso-kv.vault.azure.net', resourceId: '/subscriptions/0000-1111/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/contoso-kv' };
const ref = (name: string) => `@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/${name}/)`;

interface Case {
  name: string;
  path: string;
  text: (secret: string) => string;
  /** The value that must be stored (defaults to the secret itself). */
  stored?: (secret: string) => string;
  secretName: string;
  after: (secret: string) => string;
  form: string;
}

const storageKey = () => fakeSecret('azure-storage-key', 7);
const conn = (k: string) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${k};EndpointSuffix=core.windows.net`;

const cases: Case[] = [
  {
    name: 'ARM template app setting holding a connection string',
    path: 'azuredeploy.json',
    text: (s) => `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [ { "type": "Microsoft.Web/sites", "name": "a", "properties": { "siteConfig": { "appSettings": [ { "name": "StorageConnection", "value": "${conn(s)}" } ] } } } ]\n}`,
    stored: conn,
    secretName: 'StorageConnection',
    after: () => `{ "name": "StorageConnection", "value": "${ref('StorageConnection')}" }`,
    form: 'app-service-reference',
  },
  {
    name: 'Bicep appSettings (single quotes)',
    path: 'main.bicep',
    text: (s) => `resource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'a'\n  properties: {\n    siteConfig: {\n      appSettings: [\n        {\n          name: 'Storage__Key'\n          value: '${s}'\n        }\n      ]\n    }\n  }\n}\n`,
    secretName: 'Storage--Key',
    after: () => `value: '${ref('Storage--Key')}'`,
    form: 'app-service-reference',
  },
  {
    name: 'Terraform app_settings',
    path: 'main.tf',
    text: (s) => `resource "azurerm_linux_web_app" "api" {\n  app_settings = {\n    "StorageKey" = "${s}"\n  }\n}\n`,
    secretName: 'StorageKey',
    after: () => `"StorageKey" = "${ref('StorageKey')}"`,
    form: 'app-service-reference',
  },
  {
    name: 'plain JSON template without $schema (may be ARM)',
    path: 'site.json',
    text: (s) => `{\n  "resources": [ { "type": "Microsoft.Web/sites/config", "name": "a/appsettings", "properties": { "StorageKey": "${s}" } } ]\n}\n`,
    secretName: 'StorageKey',
    after: () => `"StorageKey": "${ref('StorageKey')}"`,
    form: 'app-service-reference',
  },
  {
    name: 'local.settings.json Values',
    path: 'local.settings.json',
    text: (s) => `{\n  "IsEncrypted": false,\n  "Values": {\n    "Storage": "${conn(s)}"\n  }\n}\n`,
    stored: conn,
    secretName: 'Storage',
    after: () => `"Storage": "${ref('Storage')}"`,
    form: 'app-service-reference',
  },
  {
    name: 'App Service settings export',
    path: 'settings.json',
    text: (s) => `[\n  { "name": "StorageKey", "value": "${s}", "slotSetting": false }\n]\n`,
    secretName: 'StorageKey',
    after: () => `"value": "${ref('StorageKey')}"`,
    form: 'app-service-reference',
  },
  {
    name: 'ARM parameter file',
    path: 'azuredeploy.parameters.json',
    text: (s) => `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",\n  "parameters": {\n    "storageKey": { "value": "${s}" }\n  }\n}\n`,
    secretName: 'storageKey',
    after: () => `"storageKey": { "reference": { "keyVault": { "id": "${vault.resourceId}" }, "secretName": "storageKey" } }`,
    form: 'arm-parameter-reference',
  },
  {
    name: '.bicepparam',
    path: 'main.bicepparam',
    text: (s) => `using './main.bicep'\n\nparam storageKey = '${s}'\n`,
    secretName: 'storageKey',
    after: () => `param storageKey = getSecret('0000-1111', 'rg-sec', 'contoso-kv', 'storageKey')`,
    form: 'bicepparam-getsecret',
  },
  {
    name: 'appsettings.json (Key Vault configuration provider naming)',
    path: 'appsettings.json',
    text: (s) => `{\n  "ConnectionStrings": {\n    "Blob": "${conn(s)}"\n  }\n}\n`,
    stored: conn,
    secretName: 'ConnectionStrings--Blob',
    after: () => `"Blob": ""`,
    form: 'aspnet-keyvault-provider',
  },
  {
    name: '.env',
    path: '.env',
    text: (s) => `APP=web\nSTORAGE_KEY=${s}\nPORT=1\n`,
    secretName: 'STORAGE-KEY',
    after: () => `APP=web\nSTORAGE_KEY=\nPORT=1\n`,
    form: 'env-removed',
  },
  {
    name: 'TypeScript literal',
    path: 'src/client.ts',
    text: (s) => `const storageKey = "${s}";\n`,
    secretName: 'storage-key',
    after: () => `const storageKey = process.env.STORAGE_KEY;`,
    form: 'code-env-read',
  },
  {
    name: 'C# literal',
    path: 'Program.cs',
    text: (s) => `var key = "${s}";\n`,
    secretName: 'key',
    after: () => `var key = Environment.GetEnvironmentVariable("KEY");`,
    form: 'code-env-read',
  },
  {
    name: 'Python literal',
    path: 'app.py',
    text: (s) => `STORAGE_KEY = '${s}'\n`,
    secretName: 'storage-key',
    after: () => `STORAGE_KEY = os.environ["STORAGE_KEY"]`,
    form: 'code-env-read',
  },
];

describe('Key Vault move: the reference form for each file kind', () => {
  for (const c of cases) {
    it(c.name, () => {
      const secret = storageKey();
      const text = c.text(secret);
      const scanned = scanWithProfile(createScanProfile({}), text, c.path);
      const f = scanned.findings.find((x) => x.tag === 'secret');
      assert.ok(f, 'the secret is found');
      const r = planKeyVaultMove(scanned.doc, c.path, f);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      const plan = r.plan;
      assert.equal(plan.form, c.form);
      assert.equal(plan.secretValue, (c.stored ?? ((s: string) => s))(secret), 'the whole setting value goes to the vault');
      assert.equal(plan.proposedName, c.secretName);
      assert.ok(isValidSecretName(plan.proposedName));
      const next = text.slice(0, plan.start) + plan.replacement(vault, plan.proposedName) + text.slice(plan.end);
      assert.ok(next.includes(c.after(secret)), next);
      assert.ok(!next.includes(secret), 'the secret left the file');
      assert.deepEqual(scanText(next, c.path).findings.filter((x) => x.tag === 'secret'), [], 'no secret finding remains');
      const sentence = plan.describe(vault, plan.proposedName);
      assert.ok(sentence.includes('contoso-kv') && !sentence.includes(secret));
    });
  }

  it('needs the vault resource id for parameter files, and says so', () => {
    const c = cases.find((x) => x.form === 'arm-parameter-reference')!;
    const text = c.text(storageKey());
    const scanned = scanWithProfile(createScanProfile({}), text, c.path);
    const r = planKeyVaultMove(scanned.doc, c.path, scanned.findings[0]);
    assert.ok(r.ok && r.plan.needsResourceId);
    if (r.ok) assert.throws(() => r.plan.replacement({ name: 'x', host: 'x.vault.azure.net' }, 'n'), /choose the vault from your subscription/);
  });

  it('refuses places with no sensible reference form', () => {
    const s = storageKey();
    const yaml = `env:\n  - name: KEY\n    value: "${s}"\n`;
    const y = scanWithProfile(createScanProfile({}), yaml, 'deploy.yaml');
    const r = planKeyVaultMove(y.doc, 'deploy.yaml', y.findings[0]);
    assert.equal(r.ok, false);
    const code = `const k = \`prefix \${x} ${s}\`;\n`;
    const g = scanWithProfile(createScanProfile({}), code, 'a.ts');
    const { start, end } = g.findings[0];
    assert.equal(planKeyVaultMove(g.doc, 'a.ts', { start, end }).ok, false);
  });

  const names: [string, string][] = [
    ['ConnectionStrings__Db', 'ConnectionStrings--Db'],
    ['ConnectionStrings:Db', 'ConnectionStrings--Db'],
    ['my.setting_name', 'my-setting-name'],
    ['__x__', 'x'],
    ['***', 'secret'],
    ['a'.repeat(200), 'a'.repeat(127)],
  ];
  for (const [raw, want] of names) it(`secret name for ${raw.slice(0, 30)} is ${want.slice(0, 30)}`, () => {
    assert.equal(toSecretName(raw), want);
    assert.ok(isValidSecretName(toSecretName(raw)));
  });
});

describe('Key Vault move: the format specs decide the move of each file kind', () => {
  /** The syntax each move writes, checked independently of the planner. */
  const SYNTAX: Record<Exclude<ReferenceForm, 'app-service-reference'>, RegExp> = {
    'arm-parameter-reference': /^"reference": \{ "keyVault": \{ "id": "\/subscriptions\/[^"]+" \}, "secretName": "[^"]+" \}$/,
    'bicepparam-getsecret': /^getSecret\('[^']+', '[^']+', '[^']+', '[^']+'\)$/,
    'aspnet-keyvault-provider': /^$/,
    'env-removed': /^$/,
    'code-env-read': /^(process\.env\.|Environment\.GetEnvironmentVariable\(|os\.environ\[)/,
  };
  /** Kinds whose spec offers no move: a secret in them is refused. */
  const UNMOVABLE: Partial<Record<string, { path: string; text: (secret: string) => string }>> = {
    yaml: { path: 'deploy.yaml', text: (s) => `env:\n  - name: STORAGE_KEY\n    value: "${s}"\n` },
    xml: { path: 'web.config', text: (s) => `<configuration>\n  <appSettings>\n    <add key="StorageKey" value="${s}" />\n  </appSettings>\n</configuration>\n` },
  };
  const sampleOf = (kind: string, form: ReferenceForm) => cases.filter((c) => c.form === form && detectFileKind(c.path, c.text('x')) === kind);

  for (const spec of FORMATS) {
    const forms = moveFormsOf(spec);
    if (!forms.length) {
      it(`${spec.kind}: no move in its spec, so a secret there is refused with the reason`, () => {
        const sample = UNMOVABLE[spec.kind];
        assert.ok(sample, `no sample of a ${spec.kind} file: add one to UNMOVABLE`);
        const text = sample.text(storageKey());
        const scanned = scanWithProfile(createScanProfile({}), text, sample.path);
        assert.equal(scanned.kind, spec.kind);
        const r = planKeyVaultMove(scanned.doc, sample.path, scanned.findings.find((x) => x.tag === 'secret')!);
        assert.deepEqual(r, { ok: false, reason: `moving a secret out of this place in a ${spec.kind} file is not supported: move it by hand and reference it` });
      });
      continue;
    }
    for (const form of forms) {
      it(`${spec.kind}: ${form} writes the syntax its spec names`, () => {
        const samples = sampleOf(spec.kind, form);
        assert.ok(samples.length > 0, `no sample of a ${spec.kind} file for ${form}: add one to the cases above`);
        for (const c of samples) {
          const text = c.text(storageKey());
          const scanned = scanWithProfile(createScanProfile({}), text, c.path);
          assert.equal(scanned.kind, spec.kind);
          const r = planKeyVaultMove(scanned.doc, c.path, scanned.findings.find((x) => x.tag === 'secret')!);
          assert.ok(r.ok, r.ok ? '' : r.reason);
          assert.equal(r.plan.form, form);
          const written = r.plan.replacement(vault, 'name');
          if (form === 'app-service-reference') {
            // In the kind's own string quotes, as the spec says.
            const q = spec.keyVault.quote;
            assert.equal(written, `${q}${ref('name')}${q}`);
          } else {
            assert.equal(form, spec.keyVault.form, 'a move other than the App Service reference is the one the spec names');
            assert.match(written, SYNTAX[form]);
          }
        }
      });
    }
  }

  it('offers the App Service reference exactly where the spec puts App Service settings that App Service resolves', () => {
    const offering = FORMATS.filter((f) => moveFormsOf(f).includes('app-service-reference')).map((f) => f.kind).sort();
    assert.deepEqual(offering, ['appservice-settings', 'arm-template', 'bicep', 'json', 'local-settings', 'terraform']);
    // .env, appsettings.json and web.config hold settings the app reads itself: their own form, or none.
    assert.deepEqual(FORMATS.filter((f) => f.settings && !offering.includes(f.kind)).map((f) => [f.kind, f.keyVault.form]), [
      ['appsettings', 'aspnet-keyvault-provider'],
      ['env', 'env-removed'],
      ['xml', undefined],
    ]);
  });
});
