// Identity instead of keys: APPSVC-MANAGED-IDENTITY, FUNC-STORAGE-IDENTITY.

import type { RuleMeta } from '../../model';
import { finding, isTfSiteArgument, strValue, STRUCTURAL, type EntryCtx } from './context';
import { isReferenceOnly, type RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-MANAGED-IDENTITY',
    title: 'App has no managed identity',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description:
      'The app has no managed identity, so it must use keys or passwords to reach Key Vault, Storage and databases; add a system- or user-assigned identity.',
  },
  {
    id: 'FUNC-STORAGE-IDENTITY',
    title: 'Functions host storage uses an account key',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description:
      'The Functions host connects to Storage with an account key (AzureWebJobsStorage connection string or storage_account_access_key); use an identity-based connection (AzureWebJobsStorage__accountName) instead.',
  },
];

const IDENTITY_BIT = STRUCTURAL.identity;

export const identity: RuleModule = {
  rules,
  // Anything on an identity path of a site, the Terraform storage key argument, and app settings (AzureWebJobsStorage).
  keys: ['identity', 'storage_account_access_key'],
  bits: STRUCTURAL.identity,
  settings: true,
  create(s) {
    const hasIdentity = new Set<number>();
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        if (c.res?.role === 'site') {
          if (c.lkey === 'identity' || c.bits & IDENTITY_BIT) {
            hasIdentity.add(c.res.index);
            if (c.lkey === 'type' && c.parent === 'identity' && strValue(e)?.toLowerCase() === 'none') {
              s.out.push(finding('APPSVC-MANAGED-IDENTITY', e, { message: "identity type is 'None', so the app has no managed identity; use SystemAssigned or UserAssigned." }, 'identity'));
            }
            return;
          }
          if (isTfSiteArgument(c, 'storage_account_access_key') && e.valueType !== 'null' && e.value.trim() !== '') {
            s.out.push(finding('FUNC-STORAGE-IDENTITY', e));
            return;
          }
        }
        const st = c.setting;
        if (!st || st.lname !== 'azurewebjobsstorage') return;
        if (st.origin !== 'iac' && st.origin !== 'export' && st.origin !== 'local') return;
        // Works on the source text, so ARM concat(...) and Bicep interpolation that build a keyed string count too.
        const raw = s.doc.text.slice(e.contentStart, e.contentEnd).toLowerCase();
        if (raw.includes('accountkey=')) s.out.push(finding('FUNC-STORAGE-IDENTITY', e, {}, st.name));
      },
      finish() {
        for (const r of s.resources) {
          if (!r || r.role !== 'site' || hasIdentity.has(r.index) || isReferenceOnly(s, r)) continue;
          s.out.push({
            ruleId: 'APPSVC-MANAGED-IDENTITY',
            start: r.block.anchorStart,
            end: r.block.anchorEnd,
            settingName: 'identity',
            message: 'The app has no identity block, so it must use keys or passwords to reach other services; add a managed identity.',
          });
        }
      },
    };
  },
};
