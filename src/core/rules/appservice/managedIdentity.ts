// APPSVC-MANAGED-IDENTITY: the app has a managed identity (an identity block whose type is not None).

import type { RuleMeta } from '../../model';
import { identityFix, isObject, str, unknown, unreadable, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, strValue, STRUCTURAL, type EntryCtx } from './context';
import { bicepApp, terraformApp } from './exampleDocs';
import { isReferenceOnly } from './rule';

export const MANAGED_IDENTITY = 'APPSVC-MANAGED-IDENTITY';

const rules: RuleMeta[] = [
  {
    id: MANAGED_IDENTITY,
    title: 'App has no managed identity',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description:
      'The app has no managed identity, so it must use keys or passwords to reach Key Vault, Storage and databases; add a system- or user-assigned identity.',
  },
];

const IDENTITY_BIT = STRUCTURAL.identity;

function liveManagedIdentity(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return unknown(why);
  const id = c.site?.identity;
  const type = str(id?.type) ?? 'None';
  const uami = isObject(id?.userAssignedIdentities) ? Object.keys(id!.userAssignedIdentities as object).length : 0;
  const l = type.toLowerCase();
  if (l.includes('systemassigned') || (l.includes('userassigned') && uami > 0)) {
    const parts: string[] = [];
    if (l.includes('systemassigned')) parts.push('system-assigned');
    if (uami > 0) parts.push(`${uami} user-assigned`);
    return { status: 'pass', value: parts.join(' + ') };
  }
  return { status: 'fail', value: 'None', fix: identityFix(c, 'Turn on the system-assigned managed identity.') };
}

const live: LiveCheck[] = [
  {
    ruleId: MANAGED_IDENTITY,
    category: 'Identity',
    rank: 40,
    label: 'Managed identity',
    why: 'A managed identity lets the app reach Key Vault, Storage and SQL with Entra ID tokens instead of stored keys and passwords.',
    sources: ['site'],
    scope: 'site',
    evaluate: liveManagedIdentity,
  },
];

export const managedIdentity: RuleUnit = {
  rules,
  detector: {
    // Anything on an identity path of a site.
    keys: ['identity'],
    bits: STRUCTURAL.identity,
    create(s) {
      const hasIdentity = new Set<number>();
      return {
        onEntry(c: EntryCtx) {
          if (c.res?.role !== 'site' || (c.lkey !== 'identity' && !(c.bits & IDENTITY_BIT))) return;
          hasIdentity.add(c.res.index);
          const e = c.entry;
          if (c.lkey === 'type' && c.parent === 'identity' && strValue(e)?.toLowerCase() === 'none') {
            s.out.push(finding(MANAGED_IDENTITY, e, { message: "identity type is 'None', so the app has no managed identity; use SystemAssigned or UserAssigned." }, 'identity'));
          }
        },
        finish() {
          for (const r of s.resources) {
            if (!r || r.role !== 'site' || hasIdentity.has(r.index) || isReferenceOnly(s, r)) continue;
            s.out.push({
              ruleId: MANAGED_IDENTITY,
              start: r.block.anchorStart,
              end: r.block.anchorEnd,
              settingName: 'identity',
              message: 'The app has no identity block, so it must use keys or passwords to reach other services; add a managed identity.',
            });
          }
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [MANAGED_IDENTITY]: {
      positives: [
        { name: "Bicep identity type 'None'", file: 'main.bicep', text: bicepApp().replace("type: 'SystemAssigned'", "type: 'None'"), at: "'None'" },
        { name: 'Terraform app without an identity block (reported on the type)', file: 'main.tf', text: terraformApp().replace('  identity {\n    type = "SystemAssigned"\n  }\n', ''), at: 'azurerm_linux_web_app' },
      ],
      negatives: [
        { name: 'system-assigned identity', file: 'main.bicep', text: bicepApp() },
        { name: 'user-assigned identity', file: 'main.tf', text: terraformApp().replace('type = "SystemAssigned"', 'type         = "UserAssigned"\n    identity_ids = [azurerm_user_assigned_identity.api.id]') },
      ],
    },
  };
}
