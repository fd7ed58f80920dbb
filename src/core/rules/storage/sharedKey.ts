// STORAGE-SHARED-KEY: an app of the file has a managed identity, yet its storage account still accepts shared keys
// (allowSharedKeyAccess / shared_access_key_enabled true or, unlike the other storage settings, not set: shared
// keys are on by default). Not reported while the file itself reads the account keys (they are in use).

import type { RawFinding, RuleMeta } from '../../model';
import { boolValue, contentFix, finding, strValue, type EntryCtx } from '../appservice/context';
import { isReferenceOnly } from '../appservice/rule';
import type { RuleExamples, RuleUnit } from '../unit';
import { accountKind, isAccountSetting } from './account';
import { bicepAccount, terraformAccount } from './exampleDocs';

export const STORAGE_SHARED_KEY = 'STORAGE-SHARED-KEY';

const rules: RuleMeta[] = [
  {
    id: STORAGE_SHARED_KEY,
    title: 'Storage shared key access left on beside an app identity',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'medium',
    description:
      'The app has a managed identity but its storage account still accepts shared keys, long-lived secrets that bypass Microsoft Entra ID; grant the identity a data role and disable shared key access.',
  },
];

/** The file reads the account keys somewhere (an app setting built from them): shared keys are in use. */
const KEYS_IN_USE = /listKeys\(|primary_access_key|secondary_access_key|primary_connection_string|secondary_connection_string|primary_blob_connection_string|AccountKey=/i;

export const storageSharedKey: RuleUnit = {
  rules,
  detector: {
    // The account's setting, and the `type` of an app's identity block.
    keys: ['allowsharedkeyaccess', 'shared_access_key_enabled', 'type'],
    create(s) {
      let siteIdentity = false;
      /** The shared key setting of each account that writes one, by resource index. */
      const written = new Map<number, EntryCtx['entry']>();
      return {
        onEntry(c: EntryCtx) {
          if (c.lkey === 'type') {
            if (!siteIdentity && c.res?.role === 'site' && c.parent === 'identity') {
              const v = strValue(c.entry)?.toLowerCase();
              siteIdentity = v === undefined ? c.entry.valueType === 'expression' : v !== 'none' && v !== '';
            }
            return;
          }
          if (isAccountSetting(c)) written.set(c.res!.index, c.entry);
        },
        finish() {
          if (!siteIdentity) return;
          // The whole-text test costs ~0.5 ms per MB: run it once, and only when there is an account to report.
          let keysInUse: boolean | undefined;
          for (const r of s.resources) {
            const kind = accountKind(r);
            if (!r || !kind) continue;
            const tf = kind === 'terraform';
            // classifyResources marks only sites as Terraform; the reference test needs to know.
            if (isReferenceOnly(s, tf ? { ...r, tf } : r)) continue;
            if ((keysInUse ??= KEYS_IN_USE.test(s.doc.text))) return;
            const e = written.get(r.index);
            if (e) {
              if (boolValue(e) === true) s.out.push(finding(STORAGE_SHARED_KEY, e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
              continue;
            }
            s.out.push(notSet(r.block.anchorStart, r.block.anchorEnd, tf ? 'shared_access_key_enabled' : 'allowSharedKeyAccess'));
          }
        },
      };
    },
  },
};

function notSet(start: number, end: number, name: string): RawFinding {
  return {
    ruleId: STORAGE_SHARED_KEY,
    start,
    end,
    settingName: name,
    message: `${name} is not set, so the storage account accepts shared keys (the default) although the app has a managed identity; set ${name} to false once the app uses its identity.`,
  };
}

const bicepSite = "resource app 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'app'\n  identity: { type: 'SystemAssigned' }\n  properties: { httpsOnly: true }\n}\n";
const terraformSite = 'resource "azurerm_linux_function_app" "fn" {\n  name = "fn"\n  https_only = true\n  identity {\n    type = "SystemAssigned"\n  }\n  site_config {}\n}\n';

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [STORAGE_SHARED_KEY]: {
      positives: [
        { name: 'shared key explicitly on beside an app identity (Bicep)', file: 'main.bicep', text: bicepSite + bicepAccount('allowSharedKeyAccess: true'), at: 'true' },
        { name: 'shared key left at its default beside an app identity (Terraform, on the type)', file: 'main.tf', text: terraformSite + terraformAccount(), at: 'azurerm_storage_account' },
      ],
      negatives: [
        { name: 'shared key off', file: 'main.bicep', text: bicepSite + bicepAccount('allowSharedKeyAccess: false') },
        { name: 'no app identity in the file', file: 'main.bicep', text: bicepAccount("minimumTlsVersion: 'TLS1_2'") },
        { name: 'the app identity is None', file: 'main.bicep', text: bicepSite.replace("'SystemAssigned'", "'None'") + bicepAccount() },
        { name: 'the file reads the account keys (they are in use)', file: 'main.bicep', text: `${bicepSite}${bicepAccount()}output cs string = 'AccountKey=\${st.listKeys().keys[0].value}'\n` },
        { name: 'an existing account (declared elsewhere)', file: 'main.bicep', text: `${bicepSite}resource st 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {\n  name: 'stcontoso'\n}\n` },
        { name: 'a Terraform data source', file: 'main.tf', text: `${terraformSite}data "azurerm_storage_account" "st" {\n  name                = "stcontoso"\n  resource_group_name = "rg"\n}\n` },
      ],
    },
  };
}
