// Key Vault references in any setting value, one family sharing one parse: KV-REF-MALFORMED,
// APPSVC-KVREF-PINNED-VERSION.

import type { RuleMeta } from '../../model';
import { isKeyVaultReference, keyVaultPatterns, parseKeyVaultReference } from '../../references/keyVault';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isLiteral, type EntryCtx } from './context';
import { bicepApp } from './exampleDocs';

export const KV_REF_MALFORMED = 'KV-REF-MALFORMED';
export const KVREF_PINNED_VERSION = 'APPSVC-KVREF-PINNED-VERSION';

const rules: RuleMeta[] = [
  {
    id: KV_REF_MALFORMED,
    title: 'Malformed Key Vault reference',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'The value starts with @Microsoft.KeyVault( but is not a valid reference, so App Service will not resolve it and the app receives the literal text; use SecretUri=https://<vault>.vault.azure.net/secrets/<name>/ or VaultName=...;SecretName=....',
  },
  {
    id: KVREF_PINNED_VERSION,
    title: 'Key Vault reference pins a secret version',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description: 'The Key Vault reference pins a secret version, so rotating the secret needs a configuration change; omit the version to pick up the latest one.',
  },
];

const setting = (value: string) => bicepApp('', `appSettings: [\n        { name: 'Db__Password', value: '${value}' }\n      ]`);
const VAULT = 'https://kv-orders.vault.azure.net/secrets/db-password';
const VERSION = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export const keyVaultRefs: RuleUnit = {
  rules,
  patterns: keyVaultPatterns,
  detector: {
    keys: ['*'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          if (e.valueType !== 'string') return;
          // A reference starts with '@' (after any whitespace): a value starting with another visible ASCII
          // character is rejected here without the prefix check's copies.
          const c0 = e.value.charCodeAt(0);
          if (c0 > 32 && c0 < 127 && c0 !== 64) return;
          if (!isLiteral(e) || !isKeyVaultReference(e.value)) return;
          const name = c.setting?.name ?? e.key;
          const ref = parseKeyVaultReference(e.value);
          if ('error' in ref) {
            s.out.push(finding(KV_REF_MALFORMED, e, { message: `Malformed Key Vault reference: ${ref.error}. App Service will pass the literal text to the app.` }, name));
          } else if (ref.version) {
            s.out.push(finding(KVREF_PINNED_VERSION, e, {}, name));
          }
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [KV_REF_MALFORMED]: {
      positives: [
        { name: 'not a Key Vault host', file: 'main.bicep', text: setting('@Microsoft.KeyVault(SecretUri=https://kv-orders.example.com/secrets/db-password)'), at: "'@Microsoft.KeyVault(SecretUri=https://kv-orders.example.com/secrets/db-password)'" },
        { name: 'missing parenthesis', file: 'settings.json', text: '[ { "name": "Db", "value": "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db", "slotSetting": false } ]', at: '"@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db"' },
      ],
      negatives: [
        { name: 'SecretUri form', file: 'main.bicep', text: setting(`@Microsoft.KeyVault(SecretUri=${VAULT}/)`) },
        { name: 'VaultName form', file: 'local.settings.json', text: '{ "Values": { "Db": "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db-password)" } }' },
      ],
    },
    [KVREF_PINNED_VERSION]: {
      positives: [
        { name: 'SecretUri with a version', file: 'main.bicep', text: setting(`@Microsoft.KeyVault(SecretUri=${VAULT}/${VERSION})`), at: `'@Microsoft.KeyVault(SecretUri=${VAULT}/${VERSION})'` },
        { name: 'VaultName form with SecretVersion', file: 'local.settings.json', text: `{ "Values": { "Db": "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db;SecretVersion=${VERSION})" } }`, at: `"@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db;SecretVersion=${VERSION})"` },
      ],
      negatives: [{ name: 'versionless reference', file: 'main.bicep', text: setting(`@Microsoft.KeyVault(SecretUri=${VAULT}/)`) }],
    },
  };
}
