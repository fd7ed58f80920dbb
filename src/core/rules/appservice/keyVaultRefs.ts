// Key Vault references in any setting value: KV-REF-MALFORMED, APPSVC-KVREF-PINNED-VERSION.

import type { RuleMeta } from '../../model';
import { isKeyVaultReference, keyVaultPatterns, parseKeyVaultReference } from '../../references/keyVault';
import { finding, isLiteral, type EntryCtx } from './context';
import type { RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'KV-REF-MALFORMED',
    title: 'Malformed Key Vault reference',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'The value starts with @Microsoft.KeyVault( but is not a valid reference, so App Service will not resolve it and the app receives the literal text; use SecretUri=https://<vault>.vault.azure.net/secrets/<name>/ or VaultName=...;SecretName=....',
  },
  {
    id: 'APPSVC-KVREF-PINNED-VERSION',
    title: 'Key Vault reference pins a secret version',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description: 'The Key Vault reference pins a secret version, so rotating the secret needs a configuration change; omit the version to pick up the latest one.',
  },
];

export const keyVaultRefs: RuleModule = {
  rules,
  patterns: keyVaultPatterns,
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
          s.out.push(finding('KV-REF-MALFORMED', e, { message: `Malformed Key Vault reference: ${ref.error}. App Service will pass the literal text to the app.` }, name));
        } else if (ref.version) {
          s.out.push(finding('APPSVC-KVREF-PINNED-VERSION', e, {}, name));
        }
      },
    };
  },
};
