// The storage account behind an App Service or Functions app (AzureWebJobsStorage, run-from-package, content
// share) in ARM, Bicep and Terraform: STORAGE-MIN-TLS, STORAGE-HTTPS-ONLY, STORAGE-PUBLIC-BLOB,
// STORAGE-SHARED-KEY. Only values written in the file are judged: current API versions and azurerm default to
// the secure value, so a missing property is not a finding (except shared key access, see below).

import type { Checker, Entry, ParsedDocument, RawFinding, RuleMeta } from '../../model';
import { iacKinds } from '../../formats';
import { boolValue, classifyResources, contentFix, finding, strValue } from '../appservice/context';

export const storageRules: RuleMeta[] = [
  {
    id: 'STORAGE-MIN-TLS',
    title: 'Storage account minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account accepts TLS 1.0/1.1, which are deprecated and weak; set the minimum TLS version to TLS1_2.',
  },
  {
    id: 'STORAGE-HTTPS-ONLY',
    title: 'Storage account accepts plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account accepts requests over plain HTTP, so data and shared access signatures can travel unencrypted; require HTTPS.',
  },
  {
    id: 'STORAGE-PUBLIC-BLOB',
    title: 'Anonymous blob access allowed',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The storage account allows anonymous public read access to blobs, so any container set to public is readable by anyone; disallow blob public access.',
  },
  {
    id: 'STORAGE-SHARED-KEY',
    title: 'Storage shared key access left on beside an app identity',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'medium',
    description:
      'The app has a managed identity but its storage account still accepts shared keys, long-lived secrets that bypass Microsoft Entra ID; grant the identity a data role and disable shared key access.',
  },
];

const ARM_STORAGE = /^microsoft\.storage\/storageaccounts$/i;
const TF_STORAGE = 'azurerm_storage_account';
/** The file reads the account keys somewhere (an app setting built from them): shared keys are in use. */
const KEYS_IN_USE = /listKeys\(|primary_access_key|secondary_access_key|primary_connection_string|secondary_connection_string|primary_blob_connection_string|AccountKey=/i;
const EXISTING = /\bexisting\b/;
const TF_DATA = /^\s*data\b/;
export const storagePatterns: RegExp[] = [ARM_STORAGE, KEYS_IN_USE, EXISTING, TF_DATA];

const WEAK_TLS = new Set(['tls1_0', 'tls1_1']);

interface Account {
  tf: boolean;
  sharedKey?: Entry;
}

function isReferenceOnly(doc: ParsedDocument, index: number, tf: boolean): boolean {
  const b = doc.resources[index];
  if (tf) return TF_DATA.test(doc.text.slice(b.start, b.anchorStart));
  const brace = doc.text.indexOf('{', b.anchorEnd);
  return EXISTING.test(doc.text.slice(b.anchorEnd, brace === -1 ? Math.min(doc.text.length, b.anchorEnd + 200) : Math.min(brace, b.anchorEnd + 200)));
}

export const storageChecker: Checker = {
  ruleIds: storageRules.map((r) => r.id),
  kinds: iacKinds(true),
  check(doc) {
    const out: RawFinding[] = [];
    const accounts = new Map<number, Account>();
    doc.resources.forEach((r, i) => {
      if (ARM_STORAGE.test(r.type)) accounts.set(i, { tf: false });
      else if (r.type === TF_STORAGE) accounts.set(i, { tf: true });
    });
    if (accounts.size === 0) return out;
    let siteIdentity = false;
    const roles = classifyResources(doc);
    for (const e of doc.entries) {
      if (e.resource === undefined) continue;
      const account = accounts.get(e.resource);
      if (!account) {
        // A managed identity on an App Service / Functions app of the same file.
        if (!siteIdentity && roles[e.resource]?.role === 'site' && e.key.toLowerCase() === 'type' && e.path.length >= 2 && e.path[e.path.length - 2].toLowerCase() === 'identity') {
          const v = strValue(e)?.toLowerCase();
          siteIdentity = v === undefined ? e.valueType === 'expression' : v !== 'none' && v !== '';
        }
        continue;
      }
      const key = e.key.toLowerCase();
      const parent = e.path.length >= 2 ? e.path[e.path.length - 2].toLowerCase() : '';
      // ARM/Bicep: properties.<key> of the account; Terraform: a top-level argument of the resource block.
      const own = account.tf ? e.path.length >= 3 && e.path[e.path.length - 3] === TF_STORAGE : parent === 'properties';
      if (!own) continue;
      checkProperty(e, key, account, out);
    }
    if (siteIdentity && !KEYS_IN_USE.test(doc.text)) {
      for (const [index, account] of accounts) {
        if (isReferenceOnly(doc, index, account.tf)) continue;
        const name = account.tf ? 'shared_access_key_enabled' : 'allowSharedKeyAccess';
        if (account.sharedKey) {
          const e = account.sharedKey;
          if (boolValue(e) === true) out.push(finding('STORAGE-SHARED-KEY', e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
          continue;
        }
        const b = doc.resources[index];
        out.push({
          ruleId: 'STORAGE-SHARED-KEY',
          start: b.anchorStart,
          end: b.anchorEnd,
          settingName: name,
          message: `${name} is not set, so the storage account accepts shared keys (the default) although the app has a managed identity; set ${name} to false once the app uses its identity.`,
        });
      }
    }
    return out;
  },
};

function checkProperty(e: Entry, key: string, account: Account, out: RawFinding[]): void {
  switch (key) {
    case 'minimumtlsversion':
    case 'min_tls_version': {
      const v = strValue(e);
      if (v !== undefined && WEAK_TLS.has(v.toLowerCase())) out.push(finding('STORAGE-MIN-TLS', e, { fix: contentFix(e, 'TLS1_2', `Set ${e.key} to TLS1_2`) }));
      return;
    }
    case 'supportshttpstrafficonly':
    case 'https_traffic_only_enabled':
    case 'enable_https_traffic_only':
      if (boolValue(e) === false) out.push(finding('STORAGE-HTTPS-ONLY', e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
      return;
    case 'allowblobpublicaccess':
    case 'allow_nested_items_to_be_public':
    case 'allow_blob_public_access':
      if (boolValue(e) === true) out.push(finding('STORAGE-PUBLIC-BLOB', e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
      return;
    case 'allowsharedkeyaccess':
    case 'shared_access_key_enabled':
      account.sharedKey = e;
      return;
    default:
      return;
  }
}
