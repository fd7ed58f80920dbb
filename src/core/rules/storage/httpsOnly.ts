// STORAGE-HTTPS-ONLY: the storage account behind the app accepts plain HTTP (supportsHttpsTrafficOnly /
// https_traffic_only_enabled false).

import type { RuleMeta } from '../../model';
import { boolValue, contentFix, finding, type EntryCtx } from '../appservice/context';
import type { RuleExamples, RuleUnit } from '../unit';
import { isAccountSetting } from './account';
import { armAccount, bicepAccount, terraformAccount } from './exampleDocs';

export const STORAGE_HTTPS_ONLY = 'STORAGE-HTTPS-ONLY';

const rules: RuleMeta[] = [
  {
    id: STORAGE_HTTPS_ONLY,
    title: 'Storage account accepts plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account accepts requests over plain HTTP, so data and shared access signatures can travel unencrypted; require HTTPS.',
  },
];

export const storageHttpsOnly: RuleUnit = {
  rules,
  detector: {
    // enable_https_traffic_only is the azurerm 3 name.
    keys: ['supportshttpstrafficonly', 'https_traffic_only_enabled', 'enable_https_traffic_only'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isAccountSetting(c)) return;
          const e = c.entry;
          if (boolValue(e) === false) s.out.push(finding(STORAGE_HTTPS_ONLY, e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [STORAGE_HTTPS_ONLY]: {
      positives: [
        { name: 'Bicep supportsHttpsTrafficOnly false', file: 'main.bicep', text: bicepAccount('supportsHttpsTrafficOnly: false'), at: 'false' },
        { name: 'ARM supportsHttpsTrafficOnly false', file: 'azuredeploy.json', text: armAccount('"supportsHttpsTrafficOnly": false'), at: 'false' },
        { name: 'Terraform https_traffic_only_enabled = false', file: 'main.tf', text: terraformAccount('https_traffic_only_enabled = false'), at: 'false' },
        { name: 'Terraform enable_https_traffic_only = false (azurerm 3)', file: 'main.tf', text: terraformAccount('enable_https_traffic_only = false'), at: 'false' },
      ],
      negatives: [
        { name: 'supportsHttpsTrafficOnly true', file: 'main.bicep', text: bicepAccount('supportsHttpsTrafficOnly: true') },
        { name: 'not set (HTTPS only is the default)', file: 'main.tf', text: terraformAccount() },
        { name: 'a parameter of unknown value', file: 'main.bicep', text: `param https bool\n${bicepAccount('supportsHttpsTrafficOnly: https')}` },
      ],
    },
  };
}
