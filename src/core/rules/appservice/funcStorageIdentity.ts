// FUNC-STORAGE-IDENTITY: the Functions host reaches Storage with an account key (AzureWebJobsStorage connection
// string, Terraform storage_account_access_key) instead of an identity-based connection.

import type { RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isTfSiteArgument, STRUCTURAL, type EntryCtx } from './context';
import { terraformApp } from './exampleDocs';

export const FUNC_STORAGE_IDENTITY = 'FUNC-STORAGE-IDENTITY';

const rules: RuleMeta[] = [
  {
    id: FUNC_STORAGE_IDENTITY,
    title: 'Functions host storage uses an account key',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description:
      'The Functions host connects to Storage with an account key (AzureWebJobsStorage connection string or storage_account_access_key); use an identity-based connection (AzureWebJobsStorage__accountName) instead.',
  },
];

const IDENTITY_BIT = STRUCTURAL.identity;

export const funcStorageIdentity: RuleUnit = {
  rules,
  detector: {
    // The Terraform storage key argument and app settings (AzureWebJobsStorage).
    keys: ['storage_account_access_key'],
    settings: true,
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          if (c.res?.role === 'site') {
            // Entries of the identity block are the managed-identity rule's.
            if (c.lkey === 'identity' || c.bits & IDENTITY_BIT) return;
            if (isTfSiteArgument(c, 'storage_account_access_key') && e.valueType !== 'null' && e.value.trim() !== '') {
              s.out.push(finding(FUNC_STORAGE_IDENTITY, e));
              return;
            }
          }
          const st = c.setting;
          if (!st || st.lname !== 'azurewebjobsstorage') return;
          if (st.origin !== 'iac' && st.origin !== 'export' && st.origin !== 'local') return;
          // Works on the source text, so ARM concat(...) and Bicep interpolation that build a keyed string count too.
          const raw = s.doc.text.slice(e.contentStart, e.contentEnd).toLowerCase();
          if (raw.includes('accountkey=')) s.out.push(finding(FUNC_STORAGE_IDENTITY, e, {}, st.name));
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [FUNC_STORAGE_IDENTITY]: {
      positives: [
        {
          name: 'Terraform function app with storage_account_access_key',
          file: 'main.tf',
          text: terraformApp('storage_account_name       = azurerm_storage_account.fn.name\n  storage_account_access_key = azurerm_storage_account.fn.primary_access_key', '', 'azurerm_linux_function_app'),
          at: 'azurerm_storage_account.fn.primary_access_key',
        },
        {
          name: 'Bicep AzureWebJobsStorage built with the account key',
          file: 'main.bicep',
          text: "resource fn 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'fn'\n  kind: 'functionapp'\n  identity: { type: 'SystemAssigned' }\n  properties: {\n    httpsOnly: true\n    siteConfig: {\n      appSettings: [\n        { name: 'AzureWebJobsStorage', value: 'DefaultEndpointsProtocol=https;AccountName=${st.name};AccountKey=${st.listKeys().keys[0].value}' }\n      ]\n    }\n  }\n}\n",
          at: "'DefaultEndpointsProtocol=https;AccountName=${st.name};AccountKey=${st.listKeys().keys[0].value}'",
        },
      ],
      negatives: [
        {
          name: 'Terraform function app with the managed identity',
          file: 'main.tf',
          text: terraformApp('storage_account_name          = azurerm_storage_account.fn.name\n  storage_uses_managed_identity = true', '', 'azurerm_linux_function_app'),
        },
        { name: 'identity-based AzureWebJobsStorage__accountName', file: 'local.settings.json', text: '{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage__accountName": "stcontoso" } }' },
        { name: 'the storage emulator', file: 'local.settings.json', text: '{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true" } }' },
      ],
    },
  };
}
