// Inbound exposure: APPSVC-CORS-WILDCARD, APPSVC-SCM-EXPOSED, APPSVC-PUBLIC-NETWORK, APPSVC-ACCESS-RESTRICTIONS.
// None of these offers an automatic fix: the right restriction depends on who must reach the app.

import type { Entry, RuleMeta } from '../../model';
import { boolValue, finding, isSiteConfigProperty, isSiteProperty, isTfSiteArgument, strValue, STRUCTURAL, type EntryCtx } from './context';
import type { RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-CORS-WILDCARD',
    title: 'CORS allows any origin',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: "CORS allowed origins contain '*', so any web site can call the app from a user's browser; list the origins that need access.",
  },
  {
    id: 'APPSVC-SCM-EXPOSED',
    title: 'SCM (Kudu) site not covered by access restrictions',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'The main site has access restrictions but the SCM/Kudu site neither uses them nor has its own, leaving the deployment endpoint open; use the main rules or add SCM rules.',
  },
  {
    id: 'APPSVC-PUBLIC-NETWORK',
    title: 'Public network access enabled without restrictions',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'medium',
    description:
      'Public network access is enabled and no access restriction limits it, so the app is reachable from the whole internet; disable it behind a private endpoint or add restrictions.',
  },
  {
    id: 'APPSVC-ACCESS-RESTRICTIONS',
    title: 'Access restrictions allow everyone',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'An access restriction allows all addresses (default action Allow, or an Allow rule for Any/0.0.0.0/0), so the restriction list does not restrict; default to Deny and allow only known sources.',
  },
];

const WILDCARD_ITEM = /["']\*["']/;
export const patterns: RegExp[] = [WILDCARD_ITEM];

const ALLOW_ALL = new Set(['any', '0.0.0.0/0', '::/0', '*', '0.0.0.0/0,::/0']);

interface RestrictionRule {
  ip?: Entry;
  action?: string;
  scm: boolean;
}

interface NetFacts {
  publicEnabled?: Entry;
  publicDisabled: boolean;
  /** Restriction rules by object path, main and SCM. */
  rules: Map<string, RestrictionRule>;
  mainDefault?: Entry;
  scmDefault?: Entry;
  scmUseMain?: Entry;
}

function isCorsOrigin(c: EntryCtx): boolean {
  const parent = c.parent;
  if (!c.res || (c.res.role !== 'site' && c.res.role !== 'webConfig')) return false;
  return (parent === 'allowedorigins' || parent === 'allowed_origins') && (c.bits & CORS_BIT) !== 0;
}

/** Keys the network rules read (the keyed checks below all compare the key first). */
const KEYS = [
  'allowed_origins',
  'publicnetworkaccess',
  'public_network_access_enabled',
  'ipsecurityrestrictionsdefaultaction',
  'ip_restriction_default_action',
  'scmipsecurityrestrictionsdefaultaction',
  'scm_ip_restriction_default_action',
  'scmipsecurityrestrictionsusemain',
  'scm_use_main_ip_restriction',
];
const KEYED = new Set(KEYS);
const CORS_BIT = STRUCTURAL.cors;

export const network: RuleModule = {
  rules,
  patterns,
  keys: KEYS,
  // CORS origin lists (items sit under allowedOrigins), restriction rules, WEBSITE_CORS_ALLOWED_ORIGINS.
  parents: ['allowedorigins', 'allowed_origins'],
  restrictionLists: true,
  settings: true,
  create(s) {
    const facts = new Map<number, NetFacts>();
    const lastOfList = new Map<string, { rule: RestrictionRule; end: number }>();
    const factsOf = (c: EntryCtx): NetFacts => {
      const g = c.res!.group;
      let f = facts.get(g);
      if (!f) facts.set(g, (f = { publicDisabled: false, rules: new Map() }));
      return f;
    };
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        // CORS: ARM/Bicep cors.allowedOrigins[], Terraform cors { allowed_origins = [...] }, WEBSITE_CORS_ALLOWED_ORIGINS.
        if (isCorsOrigin(c)) {
          if (strValue(e) === '*') s.out.push(finding('APPSVC-CORS-WILDCARD', e, {}, 'allowedOrigins'));
          return;
        }
        if (c.res?.tf && c.lkey === 'allowed_origins' && c.res.role === 'site' && WILDCARD_ITEM.test(s.doc.text.slice(e.valueStart, e.valueEnd))) {
          s.out.push(finding('APPSVC-CORS-WILDCARD', e));
          return;
        }
        if (c.setting && c.setting.lname === 'website_cors_allowed_origins') {
          const v = strValue(e);
          if (v !== undefined && v.split(',').some((o) => o.trim() === '*')) s.out.push(finding('APPSVC-CORS-WILDCARD', e, {}, c.setting.name));
          return;
        }
        if (!c.res || (c.res.role !== 'site' && c.res.role !== 'webConfig')) return;

        if (KEYED.has(c.lkey)) {
          if (isSiteProperty(c, 'publicnetworkaccess') || isSiteConfigProperty(c, 'publicnetworkaccess')) {
            const v = strValue(e)?.toLowerCase();
            if (v === 'enabled') factsOf(c).publicEnabled = e;
            else if (v === 'disabled') factsOf(c).publicDisabled = true;
            return;
          }
          if (isTfSiteArgument(c, 'public_network_access_enabled')) {
            const b = boolValue(e);
            if (b === true) factsOf(c).publicEnabled = e;
            else if (b === false) factsOf(c).publicDisabled = true;
            return;
          }
          if (isSiteConfigProperty(c, 'ipsecurityrestrictionsdefaultaction') || isTfSiteArgument(c, 'ip_restriction_default_action')) {
            factsOf(c).mainDefault = e;
            return;
          }
          if (isSiteConfigProperty(c, 'scmipsecurityrestrictionsdefaultaction') || isTfSiteArgument(c, 'scm_ip_restriction_default_action')) {
            factsOf(c).scmDefault = e;
            return;
          }
          if (isSiteConfigProperty(c, 'scmipsecurityrestrictionsusemain') || isTfSiteArgument(c, 'scm_use_main_ip_restriction')) {
            factsOf(c).scmUseMain = e;
            return;
          }
        }
        // The nearest restriction list on the path above the key (ipSecurityRestrictions, ip_restriction, SCM lists).
        const list = c.place.restriction;
        if (list !== 0) {
          const f = factsOf(c);
          // One rule = the object holding the entry: ARM [..., ipSecurityRestrictions, 0, ipAddress],
          // Terraform [..., ip_restriction, (index,) ip_address].
          // Terraform repeats `ip_restriction { }` blocks without an index: a '{' since the list's previous
          // entry starts a new rule.
          const listKey = e.path.slice(0, -1).join('\u0000');
          const prev = lastOfList.get(listKey);
          let r = prev?.rule;
          if (!r || (c.res.tf && s.doc.text.slice(prev!.end, e.keyStart ?? e.valueStart).includes('{'))) {
            r = { scm: list === 2 };
            f.rules.set(`${listKey}\u0000${e.valueStart}`, r);
          }
          lastOfList.set(listKey, { rule: r, end: e.valueEnd });
          if (c.lkey === 'ipaddress' || c.lkey === 'ip_address') r.ip = e;
          else if (c.lkey === 'action') r.action = strValue(e)?.toLowerCase() ?? 'expr';
        }
      },
      finish() {
        for (const f of facts.values()) {
          const isAllowAll = (r: RestrictionRule) => {
            const ip = r.ip ? strValue(r.ip) : undefined;
            return ip !== undefined && ALLOW_ALL.has(ip.toLowerCase().split(' ').join('')) && (r.action === undefined || r.action === 'allow');
          };
          let mainRestricting = 0;
          let scmRestricting = 0;
          for (const r of f.rules.values()) {
            if (isAllowAll(r)) {
              if (!f.publicDisabled && r.ip) s.out.push(finding('APPSVC-ACCESS-RESTRICTIONS', r.ip));
            } else if (r.scm) scmRestricting++;
            else mainRestricting++;
          }
          const mainDefault = f.mainDefault ? strValue(f.mainDefault)?.toLowerCase() : undefined;
          const scmDefault = f.scmDefault ? strValue(f.scmDefault)?.toLowerCase() : undefined;
          const useMain = f.scmUseMain ? boolValue(f.scmUseMain) : undefined;
          if (!f.publicDisabled) {
            if (f.mainDefault && mainDefault === 'allow') s.out.push(finding('APPSVC-ACCESS-RESTRICTIONS', f.mainDefault));
            if (f.scmDefault && scmDefault === 'allow' && useMain !== true) s.out.push(finding('APPSVC-ACCESS-RESTRICTIONS', f.scmDefault));
          }
          const mainLocked = mainRestricting > 0 || mainDefault === 'deny';
          if (f.scmUseMain && useMain === false && mainLocked && scmRestricting === 0 && scmDefault !== 'deny' && !f.publicDisabled) {
            s.out.push(finding('APPSVC-SCM-EXPOSED', f.scmUseMain));
          }
          if (f.publicEnabled && !mainLocked) s.out.push(finding('APPSVC-PUBLIC-NETWORK', f.publicEnabled));
        }
      },
    };
  },
};
