// STORAGE-MIN-TLS: the storage account behind the app accepts TLS 1.0/1.1 (minimumTlsVersion / min_tls_version).

import type { RuleMeta } from '../../model';
import { contentFix, finding, strValue, type EntryCtx } from '../appservice/context';
import type { RuleExamples, RuleUnit } from '../unit';
import { isAccountSetting } from './account';
import { armAccount, bicepAccount, terraformAccount } from './exampleDocs';

export const STORAGE_MIN_TLS = 'STORAGE-MIN-TLS';

const rules: RuleMeta[] = [
  {
    id: STORAGE_MIN_TLS,
    title: 'Storage account minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account accepts TLS 1.0/1.1, which are deprecated and weak; set the minimum TLS version to TLS1_2.',
  },
];

const WEAK_TLS = new Set(['tls1_0', 'tls1_1']);

export const storageMinTls: RuleUnit = {
  rules,
  detector: {
    keys: ['minimumtlsversion', 'min_tls_version'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isAccountSetting(c)) return;
          const e = c.entry;
          const v = strValue(e);
          if (v !== undefined && WEAK_TLS.has(v.toLowerCase())) s.out.push(finding(STORAGE_MIN_TLS, e, { fix: contentFix(e, 'TLS1_2', `Set ${e.key} to TLS1_2`) }));
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [STORAGE_MIN_TLS]: {
      positives: [
        { name: 'Bicep minimumTlsVersion TLS1_0', file: 'main.bicep', text: bicepAccount("minimumTlsVersion: 'TLS1_0'"), at: "'TLS1_0'" },
        { name: 'ARM minimumTlsVersion TLS1_1', file: 'azuredeploy.json', text: armAccount('"minimumTlsVersion": "TLS1_1"'), at: '"TLS1_1"' },
        { name: 'Terraform min_tls_version TLS1_0', file: 'main.tf', text: terraformAccount('min_tls_version = "TLS1_0"'), at: '"TLS1_0"' },
      ],
      negatives: [
        { name: 'TLS1_2', file: 'main.bicep', text: bicepAccount("minimumTlsVersion: 'TLS1_2'") },
        { name: 'not set (current API versions default to TLS1_2)', file: 'main.tf', text: terraformAccount() },
        { name: 'a parameter of unknown value', file: 'main.bicep', text: `param tls string\n${bicepAccount('minimumTlsVersion: tls')}` },
        { name: 'a nested property with the same name', file: 'main.bicep', text: bicepAccount("networkAcls: {\n      minimumTlsVersion: 'TLS1_0'\n    }") },
        { name: 'another resource type', file: 'main.tf', text: 'resource "azurerm_redis_cache" "r" {\n  min_tls_version = "TLS1_0"\n}\n' },
      ],
    },
  };
}
