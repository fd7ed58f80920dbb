// Inbound exposure, one family sharing the facts of the access restrictions: APPSVC-ACCESS-RESTRICTIONS,
// APPSVC-SCM-EXPOSED, APPSVC-PUBLIC-NETWORK. None offers an automatic fix in the editor: the right restriction
// depends on who must reach the app.

import type { Entry, RuleMeta } from '../../model';
import { body, capitalize, clip, isObject, siteFix, str, unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { ArmPublishingPolicy, IpSecurityRestriction } from '../../posture/types';
import type { RuleExamples, RuleUnit } from '../unit';
import { isCorsEntry } from './cors';
import { boolValue, finding, isSiteConfigProperty, isSiteProperty, isTfSiteArgument, strValue, type EntryCtx } from './context';
import { bicepApp, terraformApp } from './exampleDocs';
import type { Detector } from './rule';

export const ACCESS_RESTRICTIONS = 'APPSVC-ACCESS-RESTRICTIONS';
export const SCM_EXPOSED = 'APPSVC-SCM-EXPOSED';
export const PUBLIC_NETWORK = 'APPSVC-PUBLIC-NETWORK';

const rules: RuleMeta[] = [
  {
    id: SCM_EXPOSED,
    title: 'SCM (Kudu) site not covered by access restrictions',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'The main site has access restrictions but the SCM/Kudu site neither uses them nor has its own, leaving the deployment endpoint open; use the main rules or add SCM rules.',
  },
  {
    id: PUBLIC_NETWORK,
    title: 'Public network access enabled without restrictions',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'medium',
    description:
      'Public network access is enabled and no access restriction limits it, so the app is reachable from the whole internet; disable it behind a private endpoint or add restrictions.',
  },
  {
    id: ACCESS_RESTRICTIONS,
    title: 'Access restrictions allow everyone',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'An access restriction allows all addresses (default action Allow, or an Allow rule for Any/0.0.0.0/0), so the restriction list does not restrict; default to Deny and allow only known sources.',
  },
];

const ALLOW_ALL = new Set(['any', '0.0.0.0/0', '::/0', '*', '0.0.0.0/0,::/0']);

/** An address that stands for every source ('Any', 0.0.0.0/0, ...): a rule for it restricts nothing. */
export function isAllowAllAddress(ip: string): boolean {
  return ALLOW_ALL.has(ip.toLowerCase().split(' ').join(''));
}

// ---- editor ---------------------------------------------------------------------------------------------

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

/** Keys the network rules read (the keyed checks below all compare the key first). */
const KEYS = [
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

const detector: Detector = {
  keys: KEYS,
  // Entries of restriction rules.
  restrictionLists: true,
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
        // The CORS rule's entries (its own unit) are none of this family's.
        if (isCorsEntry(c)) return;
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
            return ip !== undefined && isAllowAllAddress(ip) && (r.action === undefined || r.action === 'allow');
          };
          let mainRestricting = 0;
          let scmRestricting = 0;
          for (const r of f.rules.values()) {
            if (isAllowAll(r)) {
              if (!f.publicDisabled && r.ip) s.out.push(finding(ACCESS_RESTRICTIONS, r.ip));
            } else if (r.scm) scmRestricting++;
            else mainRestricting++;
          }
          const mainDefault = f.mainDefault ? strValue(f.mainDefault)?.toLowerCase() : undefined;
          const scmDefault = f.scmDefault ? strValue(f.scmDefault)?.toLowerCase() : undefined;
          const useMain = f.scmUseMain ? boolValue(f.scmUseMain) : undefined;
          if (!f.publicDisabled) {
            if (f.mainDefault && mainDefault === 'allow') s.out.push(finding(ACCESS_RESTRICTIONS, f.mainDefault));
            if (f.scmDefault && scmDefault === 'allow' && useMain !== true) s.out.push(finding(ACCESS_RESTRICTIONS, f.scmDefault));
          }
          const mainLocked = mainRestricting > 0 || mainDefault === 'deny';
          if (f.scmUseMain && useMain === false && mainLocked && scmRestricting === 0 && scmDefault !== 'deny' && !f.publicDisabled) {
            s.out.push(finding(SCM_EXPOSED, f.scmUseMain));
          }
          if (f.publicEnabled && !mainLocked) s.out.push(finding(PUBLIC_NETWORK, f.publicEnabled));
        }
      },
    };
  },
};

// ---- live -----------------------------------------------------------------------------------------------

const ANY_ADDRESS = new Set(['any', '*', '0.0.0.0/0', '::/0', '0.0.0.0/0,::/0']);
/** The platform's own "Allow all"/"Deny all" rows carry the largest priority. */
const IMPLICIT_PRIORITY = 2147483647;

export interface RestrictionFacts {
  /** Allow rules that admit a specific source (CIDR, service tag, subnet). */
  allowRules: number;
  denyRules: number;
  /** Explicit Allow rules for any address (names), the platform's implicit row excluded. */
  allowAny: string[];
  defaultAction: string;
  /** Only listed sources get in. */
  locked: boolean;
}

export function restrictionFacts(rules: unknown, defaultAction: unknown): RestrictionFacts {
  const list = Array.isArray(rules) ? (rules as IpSecurityRestriction[]).filter(isObject) : [];
  let allowRules = 0;
  let denyRules = 0;
  const allowAny: string[] = [];
  for (const r of list) {
    const action = (str(r.action) ?? 'Allow').toLowerCase();
    const ip = (str(r.ipAddress) ?? '').toLowerCase().split(' ').join('');
    const tag = (str(r.tag) ?? 'Default').toLowerCase();
    const any = ANY_ADDRESS.has(ip) && !r.vnetSubnetResourceId && tag !== 'servicetag';
    if (action === 'deny') {
      if (!(any && r.priority === IMPLICIT_PRIORITY)) denyRules++;
    } else if (any) {
      if (r.priority !== IMPLICIT_PRIORITY) allowAny.push(str(r.name) ?? str(r.ipAddress) ?? 'Any');
    } else allowRules++;
  }
  const def = (str(defaultAction) ?? '').toLowerCase();
  // Without an explicit default, any Allow rule implies "deny everything else".
  const locked = allowAny.length === 0 && (def === 'deny' || (def !== 'allow' && allowRules > 0));
  return { allowRules, denyRules, allowAny, defaultAction: def, locked };
}

function describeRestrictions(f: RestrictionFacts): string {
  const parts: string[] = [];
  if (f.allowRules) parts.push(`${f.allowRules} allow rule${f.allowRules === 1 ? '' : 's'}`);
  if (f.denyRules) parts.push(`${f.denyRules} deny rule${f.denyRules === 1 ? '' : 's'}`);
  if (f.allowAny.length) parts.push(`allow-any rule ${f.allowAny.map((n) => `'${clip(n, 40)}'`).join(', ')}`);
  parts.push(`default ${f.defaultAction ? capitalize(f.defaultAction) : f.locked ? 'Deny (implicit)' : 'Allow'}`);
  return parts.join(', ');
}

function publicDisabled(c: PostureContext): boolean {
  return (str(c.site?.properties?.publicNetworkAccess) ?? '').toLowerCase() === 'disabled';
}

function inAse(c: PostureContext): boolean {
  return !!str(c.site?.properties?.hostingEnvironmentProfile?.id);
}

function liveAccessRestrictions(c: PostureContext): Verdict {
  if (c.site && publicDisabled(c)) return { status: 'pass', value: 'Public network access disabled' };
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const f = restrictionFacts(c.web?.ipSecurityRestrictions, c.web?.ipSecurityRestrictionsDefaultAction);
  const value = describeRestrictions(f);
  const hint = 'Allow only the sources that need the app (Front Door service tag with an x-azure-fdid header, gateway subnet, office ranges) and set the default action to Deny.';
  if (f.locked) return { status: 'pass', value };
  if (f.allowAny.length || (f.defaultAction === 'allow' && f.allowRules > 0)) {
    // Rules were written but do not restrict: an allow-any rule, or allow rules under a default of Allow.
    return { status: 'fail', value, hint };
  }
  if (inAse(c)) return { status: 'pass', value: `${value} (inside an App Service Environment)` };
  return { status: 'warning', value: f.denyRules ? `${value}: reachable from any other address` : 'No restrictions: reachable from any address', hint };
}

function liveScmExposed(c: PostureContext): Verdict {
  if (c.site && publicDisabled(c)) return { status: 'pass', value: 'Public network access disabled' };
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const w = c.web;
  const main = restrictionFacts(w?.ipSecurityRestrictions, w?.ipSecurityRestrictionsDefaultAction);
  if (w?.scmIpSecurityRestrictionsUseMain === true) {
    return { status: main.locked ? 'pass' : 'warning', value: `Uses the main site's rules${main.locked ? '' : ' (which allow any address)'}` };
  }
  const scm = restrictionFacts(w?.scmIpSecurityRestrictions, w?.scmIpSecurityRestrictionsDefaultAction);
  if (scm.locked) return { status: 'pass', value: `Own rules: ${describeRestrictions(scm)}` };
  if (main.locked) {
    return {
      status: 'fail',
      value: 'Open while the main site is restricted',
      fix: webFix(c, { scmIpSecurityRestrictionsUseMain: true }, 'scmIpSecurityRestrictionsUseMain', w?.scmIpSecurityRestrictionsUseMain ?? false, true, "Apply the main site's access restrictions to the SCM site.", [
        'scm_use_main_ip_restriction = true',
      ]),
    };
  }
  const basic = body<ArmPublishingPolicy>(c.input.scmPolicy)?.properties?.allow === true;
  return {
    status: 'warning',
    value: `Open to any address, like the main site${basic ? '; basic authentication on' : ''}`,
    hint: 'Restrict the SCM site to your deployment agents (scmIpSecurityRestrictions with default Deny) or put both sites behind restrictions.',
  };
}

function livePublicNetwork(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return unknown(why);
  const raw = str(c.site?.properties?.publicNetworkAccess);
  if (publicDisabled(c)) return { status: 'pass', value: 'Disabled' };
  if (inAse(c)) return { status: 'pass', value: 'App Service Environment' };
  const value = raw ? raw : 'Enabled (default)';
  const webWhy = unreadable('web', c.input.web);
  if (webWhy) return unknown(webWhy, value);
  const f = restrictionFacts(c.web?.ipSecurityRestrictions, c.web?.ipSecurityRestrictionsDefaultAction);
  if (f.locked) return { status: 'pass', value: `${value}, limited by access restrictions` };
  return {
    status: 'warning',
    value: `${value}, no access restrictions`,
    hint: 'If the app is reached through a private endpoint, disable public network access; otherwise add access restrictions.',
    fix: siteFix(c, 'publicNetworkAccess', raw ?? null, 'Disabled', 'Disable public network access.', ['public_network_access_enabled = false'], 'The app becomes unreachable from the internet; only private endpoints can reach it.'),
  };
}


const live: LiveCheck[] = [
  {
    ruleId: ACCESS_RESTRICTIONS,
    category: 'Network',
    rank: 10,
    label: 'Access restrictions',
    why: 'Without inbound restrictions the app is reachable from the whole internet, bypassing any Front Door or gateway in front of it.',
    sources: ['web', 'site'],
    scope: 'site',
    evaluate: liveAccessRestrictions,
  },
  {
    ruleId: SCM_EXPOSED,
    category: 'Network',
    rank: 20,
    label: 'SCM (Kudu) site exposure',
    why: 'An SCM site left open while the app is locked down is a common way around the restrictions to deploy or read files.',
    sources: ['web', 'site'],
    scope: 'site',
    evaluate: liveScmExposed,
  },
  {
    ruleId: PUBLIC_NETWORK,
    category: 'Network',
    rank: 40,
    label: 'Public network access',
    why: 'Apps reached only through a private endpoint should refuse public traffic altogether.',
    sources: ['site', 'web'],
    scope: 'site',
    evaluate: livePublicNetwork,
  },
];

const restricted = (rule: string) => `ipSecurityRestrictions: [
        ${rule}
      ]`;

export const network: RuleUnit = {
  rules,
  detector,
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [ACCESS_RESTRICTIONS]: {
      positives: [
        { name: 'Bicep default action Allow', file: 'main.bicep', text: bicepApp('', "ipSecurityRestrictionsDefaultAction: 'Allow'"), at: "'Allow'" },
        { name: 'Bicep Allow rule for Any', file: 'main.bicep', text: bicepApp('', restricted("{ ipAddress: 'Any', action: 'Allow', priority: 100, name: 'all' }")), at: "'Any'" },
        { name: 'Terraform ip_restriction for 0.0.0.0/0', file: 'main.tf', text: terraformApp('', 'ip_restriction {\n      ip_address = "0.0.0.0/0"\n      action     = "Allow"\n    }'), at: '"0.0.0.0/0"' },
      ],
      negatives: [
        { name: 'default action Deny with one office range', file: 'main.bicep', text: bicepApp('', `ipSecurityRestrictionsDefaultAction: 'Deny'\n      ${restricted("{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' }")}`) },
        { name: 'allow-all behind disabled public access', file: 'main.bicep', text: bicepApp("publicNetworkAccess: 'Disabled'", "ipSecurityRestrictionsDefaultAction: 'Allow'") },
      ],
    },
    [SCM_EXPOSED]: {
      positives: [
        {
          name: 'main site restricted, SCM told not to use the main rules and left open',
          file: 'main.bicep',
          text: bicepApp('', `ipSecurityRestrictionsDefaultAction: 'Deny'\n      scmIpSecurityRestrictionsUseMain: false\n      ${restricted("{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' }")}`),
          at: 'false',
        },
      ],
      negatives: [
        { name: 'SCM uses the main rules', file: 'main.bicep', text: bicepApp('', "ipSecurityRestrictionsDefaultAction: 'Deny'\n      scmIpSecurityRestrictionsUseMain: true") },
        { name: 'SCM has its own default Deny', file: 'main.bicep', text: bicepApp('', "ipSecurityRestrictionsDefaultAction: 'Deny'\n      scmIpSecurityRestrictionsUseMain: false\n      scmIpSecurityRestrictionsDefaultAction: 'Deny'") },
      ],
    },
    [PUBLIC_NETWORK]: {
      positives: [
        { name: 'Bicep publicNetworkAccess Enabled with no restrictions', file: 'main.bicep', text: bicepApp("publicNetworkAccess: 'Enabled'"), at: "'Enabled'" },
        { name: 'Terraform public_network_access_enabled true', file: 'main.tf', text: terraformApp('public_network_access_enabled = true'), at: 'true' },
      ],
      negatives: [
        { name: 'public access disabled', file: 'main.tf', text: terraformApp('public_network_access_enabled = false') },
        { name: 'public but restricted to an office range', file: 'main.bicep', text: bicepApp("publicNetworkAccess: 'Enabled'", restricted("{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' }")) },
      ],
    },
  };
}
