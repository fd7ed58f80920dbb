// STORAGE-PUBLIC-BLOB: the storage account behind the app allows anonymous blob access (allowBlobPublicAccess /
// allow_nested_items_to_be_public true).

import type { RuleMeta } from '../../model';
import { boolValue, contentFix, finding, type EntryCtx } from '../appservice/context';
import type { RuleExamples, RuleUnit } from '../unit';
import { isAccountSetting } from './account';
import { armAccount, bicepAccount, terraformAccount } from './exampleDocs';

export const STORAGE_PUBLIC_BLOB = 'STORAGE-PUBLIC-BLOB';

const rules: RuleMeta[] = [
  {
    id: STORAGE_PUBLIC_BLOB,
    title: 'Anonymous blob access allowed',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account allows anonymous public read access to blobs, so any container set to public is readable by anyone; disallow blob public access.',
  },
];

export const storagePublicBlob: RuleUnit = {
  rules,
  detector: {
    // allow_blob_public_access is the azurerm 2 name.
    keys: ['allowblobpublicaccess', 'allow_nested_items_to_be_public', 'allow_blob_public_access'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isAccountSetting(c)) return;
          const e = c.entry;
          if (boolValue(e) === true) s.out.push(finding(STORAGE_PUBLIC_BLOB, e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [STORAGE_PUBLIC_BLOB]: {
      positives: [
        { name: 'Bicep allowBlobPublicAccess true', file: 'main.bicep', text: bicepAccount('allowBlobPublicAccess: true'), at: 'true' },
        { name: 'ARM allowBlobPublicAccess true', file: 'azuredeploy.json', text: armAccount('"allowBlobPublicAccess": true'), at: 'true' },
        { name: 'Terraform allow_nested_items_to_be_public = true', file: 'main.tf', text: terraformAccount('allow_nested_items_to_be_public = true'), at: 'true' },
        { name: 'Terraform allow_blob_public_access = true (azurerm 2)', file: 'main.tf', text: terraformAccount('allow_blob_public_access = true'), at: 'true' },
      ],
      negatives: [
        { name: 'allowBlobPublicAccess false', file: 'main.bicep', text: bicepAccount('allowBlobPublicAccess: false') },
        { name: 'not set (current API versions disallow it)', file: 'main.tf', text: terraformAccount() },
        { name: 'a parameter of unknown value', file: 'main.bicep', text: `param pub bool\n${bicepAccount('allowBlobPublicAccess: pub')}` },
      ],
    },
  };
}
