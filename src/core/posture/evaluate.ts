// Live posture of one App Service app or slot from the raw Resource Manager bodies. Pure: no I/O, no clock.
// Never copies an app setting value into the report: settings are reported by name only.

import { postureChecks, postureRule, SECURITY_PRICING_API_VERSION, type PostureCheckMeta } from './checks';
import { body, capitalize, clip, identityFix, isObject, policyFix, postureContext, siteFix, str, unknown, unreadable, webFix, type PostureContext, type Verdict } from './common';
import { kvAppAccessCheck, kvAppReachabilityCheck } from './keyVaultAccess';
import { kvReferenceCheck, kvReferenceIdentityCheck, plainSecretCheck } from './secrets';
import { terraformSite, toHcl } from './snippets';
import type { Level } from '../model';
import type { ArmAuthSettingsV2, ArmDefenderPricing, ArmPublishingPolicy, IpSecurityRestriction, PostureCheck, PostureInput, PostureReport, PostureStatus, PostureSummary, SourceResult } from './types';

// ---------------------------------------------------------------------------------------------------------------
// Transport

const TLS_OK = new Set(['1.2', '1.3']);

function tlsAtLeast12(v: string): boolean {
  if (TLS_OK.has(v)) return true;
  const n = Number(v);
  return Number.isFinite(n) && n >= 1.2;
}

function httpsOnly(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return unknown(why);
  const v = c.site?.properties?.httpsOnly;
  if (v === true) return { status: 'pass', value: 'On' };
  return {
    status: 'fail',
    value: v === false ? 'Off' : 'Not set (off)',
    fix: siteFix(c, 'httpsOnly', v ?? null, true, 'Redirect HTTP to HTTPS (httpsOnly = true).', ['https_only = true']),
  };
}

function minTls(c: PostureContext, scm: boolean): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const prop = scm ? 'scmMinTlsVersion' : 'minTlsVersion';
  const v = str(c.web?.[prop]);
  if (!v) return unknown(`The site configuration did not report ${prop}.`);
  if (tlsAtLeast12(v)) return { status: 'pass', value: `TLS ${v}` };
  return {
    status: 'fail',
    value: `TLS ${v}`,
    fix: webFix(c, { [prop]: '1.2' }, prop, v, '1.2', `Require TLS 1.2 or later${scm ? ' on the SCM site' : ''} (${prop} = 1.2).`, [
      `${scm ? 'scm_minimum_tls_version' : 'minimum_tls_version'} = "1.2"`,
    ]),
  };
}

function ftps(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = str(c.web?.ftpsState);
  if (!v) return unknown('The site configuration did not report ftpsState.');
  const l = v.toLowerCase();
  if (l === 'disabled') return { status: 'pass', value: 'Disabled' };
  if (l === 'ftpsonly') return { status: 'pass', value: 'FTPS only', hint: 'Disable FTP altogether if nobody deploys over FTPS.' };
  return {
    status: 'fail',
    value: v === 'AllAllowed' ? 'FTP and FTPS allowed' : v,
    fix: webFix(c, { ftpsState: 'Disabled' }, 'ftpsState', v, 'Disabled', 'Turn off FTP and FTPS (ftpsState = Disabled).', ['ftps_state = "Disabled"'], 'FTP deployments stop working; use zip deploy or a pipeline instead.'),
  };
}

function http2(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = c.web?.http20Enabled;
  if (v === true) return { status: 'pass', value: 'On' };
  return {
    status: 'warning',
    value: 'Off',
    fix: webFix(c, { http20Enabled: true }, 'http20Enabled', v ?? null, true, 'Turn on HTTP/2 (http20Enabled = true).', ['http2_enabled = true']),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Identity

function basicAuth(c: PostureContext, which: 'ftp' | 'scm'): Verdict {
  const source = which === 'ftp' ? 'ftpPolicy' : 'scmPolicy';
  const r = c.input[source];
  const why = unreadable(source, r);
  if (why) return unknown(why);
  const allow = body<ArmPublishingPolicy>(r)?.properties?.allow;
  if (allow === false) return { status: 'pass', value: 'Off' };
  if (allow === true) return { status: 'fail', value: 'On', fix: policyFix(c, which, true) };
  return unknown(`The ${which} publishing credentials policy did not report properties.allow.`);
}

const BLOCKING_ACTIONS = new Set(['redirecttologinpage', 'return401', 'return403', 'return404']);

function isApiLike(c: PostureContext): boolean {
  const kind = (c.site?.kind ?? '').toLowerCase();
  return kind.includes('functionapp') || kind.split(',').includes('api');
}

function authEnabled(c: PostureContext): Verdict {
  const why = unreadable('authSettingsV2', c.input.authSettingsV2);
  if (why) return unknown(why);
  const p = body<ArmAuthSettingsV2>(c.input.authSettingsV2)?.properties;
  const enabled = p?.platform?.enabled === true;
  const gv = p?.globalValidation;
  const action = str(gv?.unauthenticatedClientAction);
  const providers = isObject(p?.identityProviders)
    ? Object.entries(p!.identityProviders as Record<string, { enabled?: boolean | null } | null>)
        .filter(([, v]) => isObject(v) && v.enabled !== false)
        .map(([k]) => k)
    : [];
  const providerText = providers.length ? `; providers: ${providers.join(', ')}` : '';
  const hint =
    'Portal: Authentication > Add identity provider (Microsoft) with "Require authentication"; CLI: az webapp auth update --enabled true --unauthenticated-client-action RedirectToLoginPage (Return401 for APIs).';
  if (enabled && (gv?.requireAuthentication === true || (action !== undefined && BLOCKING_ACTIONS.has(action.toLowerCase())))) {
    return { status: 'pass', value: `On, requires authentication${action ? ` (${action})` : ''}${providerText}` };
  }
  if (enabled) return { status: 'fail', value: `On, but anonymous requests allowed${action ? ` (${action})` : ''}${providerText}`, hint };
  // APIs and function apps often validate tokens in code: a missing platform check is worth a look, not an alarm.
  return { status: isApiLike(c) ? 'warning' : 'fail', value: 'Off', hint };
}

function managedIdentity(c: PostureContext): Verdict {
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

function remoteDebug(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = c.web?.remoteDebuggingEnabled;
  if (v !== true) return { status: 'pass', value: 'Off' };
  const version = str(c.web?.remoteDebuggingVersion);
  return {
    status: 'fail',
    value: `On${version ? ` (${version})` : ''}`,
    fix: webFix(c, { remoteDebuggingEnabled: false }, 'remoteDebuggingEnabled', true, false, 'Turn off remote debugging.', ['remote_debugging_enabled = false']),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Network

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

function accessRestrictions(c: PostureContext): Verdict {
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

function scmExposed(c: PostureContext): Verdict {
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

function publicNetwork(c: PostureContext): Verdict {
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

function cors(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const cfg = c.web?.cors;
  const origins = Array.isArray(cfg?.allowedOrigins) ? (cfg!.allowedOrigins as unknown[]).filter((o): o is string => typeof o === 'string') : [];
  if (!origins.includes('*')) return { status: 'pass', value: origins.length ? `${origins.length} origin${origins.length === 1 ? '' : 's'}` : 'Not configured' };
  const credentials = cfg?.supportCredentials === true;
  const rest = origins.filter((o) => o !== '*');
  const properties = { cors: { allowedOrigins: rest, supportCredentials: credentials } };
  const fix = webFix(c, properties, 'cors.allowedOrigins', origins, rest, "Remove '*' from the CORS allowed origins.", [], 'Browsers on origins not listed lose access; add the origins that need it.');
  fix.terraform = terraformSite(c.target, [`site_config {\n  cors {\n    allowed_origins     = ${toHcl(rest)}\n    support_credentials = ${credentials}\n  }\n}`]);
  return { status: 'fail', value: `'*'${rest.length ? ` and ${rest.length} more` : ''}${credentials ? ', with credentials' : ''}`, fix };
}

// ---------------------------------------------------------------------------------------------------------------
// Monitoring

function defender(c: PostureContext): Verdict {
  const why = unreadable('defenderPricing', c.input.defenderPricing);
  if (why) return unknown(why);
  const p = body<ArmDefenderPricing>(c.input.defenderPricing)?.properties;
  const tier = str(p?.pricingTier);
  if (!tier) return unknown('The Defender plan did not report pricingTier.');
  if (tier.toLowerCase() === 'standard') return { status: 'pass', value: `Standard${str(p?.subPlan) ? ` (${p!.subPlan})` : ''}` };
  return {
    status: 'fail',
    value: tier,
    fix: {
      kind: 'put-defender',
      method: 'PUT',
      scope: 'subscription',
      pathSuffix: '/providers/Microsoft.Security/pricings/AppServices',
      apiVersion: SECURITY_PRICING_API_VERSION,
      body: { properties: { pricingTier: 'Standard' } },
      property: 'properties.pricingTier',
      oldValue: tier,
      newValue: 'Standard',
      summary: 'Turn on Microsoft Defender for App Service for the whole subscription.',
      caution: 'Billed per App Service plan instance for every plan in the subscription.',
      bicep: "targetScope = 'subscription'\n\nresource defenderAppServices 'Microsoft.Security/pricings@2024-01-01' = {\n  name: 'AppServices'\n  properties: {\n    pricingTier: 'Standard'\n  }\n}",
      terraform: 'resource "azurerm_security_center_subscription_pricing" "app_services" {\n  tier          = "Standard"\n  resource_type = "AppServices"\n}',
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const EVALUATORS: Record<string, (c: PostureContext) => Verdict> = {
  'APPSVC-HTTPS-ONLY': httpsOnly,
  'APPSVC-MIN-TLS': (c) => minTls(c, false),
  'APPSVC-SCM-MIN-TLS': (c) => minTls(c, true),
  'APPSVC-FTPS': ftps,
  'APPSVC-HTTP2': http2,
  'APPSVC-BASIC-AUTH-SCM': (c) => basicAuth(c, 'scm'),
  'APPSVC-BASIC-AUTH-FTP': (c) => basicAuth(c, 'ftp'),
  'APPSVC-AUTH-ENABLED': authEnabled,
  'APPSVC-MANAGED-IDENTITY': managedIdentity,
  'APPSVC-REMOTE-DEBUG': remoteDebug,
  'APPSVC-ACCESS-RESTRICTIONS': accessRestrictions,
  'APPSVC-SCM-EXPOSED': scmExposed,
  'APPSVC-PUBLIC-NETWORK': publicNetwork,
  'APPSVC-CORS-WILDCARD': cors,
  'APPSVC-SETTING-PLAINTEXT-SECRET': plainSecretCheck,
  'APPSVC-KVREF-UNRESOLVED': kvReferenceCheck,
  'APPSVC-KVREF-IDENTITY': kvReferenceIdentityCheck,
  'KV-APP-ACCESS': kvAppAccessCheck,
  'KV-APP-REACHABILITY': kvAppReachabilityCheck,
  'DEFENDER-APPSERVICE': defender,
};

function runCheck(meta: PostureCheckMeta, c: PostureContext): PostureCheck {
  const rule = postureRule(meta.ruleId);
  let v: Verdict;
  try {
    v = EVALUATORS[meta.ruleId](c);
  } catch (e) {
    // A malformed body must not take the other checks down.
    v = unknown(`Could not evaluate: ${clip(e instanceof Error ? e.message : String(e), 120)}`);
  }
  const check: PostureCheck = {
    ruleId: meta.ruleId,
    title: rule?.title ?? meta.label,
    category: meta.category,
    status: v.status,
    value: v.value,
    why: meta.why,
    sources: meta.sources,
    scope: meta.scope,
  };
  if (v.unknownReason) check.unknownReason = v.unknownReason;
  if (v.hint) check.hint = v.hint;
  if (v.items) check.items = v.items;
  if (v.fix && v.status !== 'pass' && v.status !== 'unknown') check.fix = v.fix;
  return check;
}

export interface EvaluateOptions {
  /**
   * Per-rule levels, the same map as the editor's `azureSecureDev.rules`: a rule set to 'off' is left out of the
   * report, and the levels also steer the secret detectors run over app settings.
   */
  levels?: Readonly<Record<string, Level>>;
}

/** Evaluate every posture check for one app or slot. Never throws. */
export function evaluatePosture(input: PostureInput, options: EvaluateOptions = {}): PostureReport {
  const c = postureContext(input ?? {}, options.levels);
  const off = (id: string) => options.levels?.[id] === 'off';
  const checks = postureChecks.filter((m) => !off(m.ruleId)).map((m) => runCheck(m, c));
  const counts: Record<PostureStatus, number> = { pass: 0, fail: 0, warning: 0, unknown: 0 };
  for (const ch of checks) counts[ch.status]++;
  const report: PostureReport = { isSlot: c.target.isSlot, checks, counts };
  if (c.site?.id) report.resourceId = c.site.id;
  if (c.site?.name) report.name = c.site.name;
  if (c.site?.kind) report.kind = c.site.kind;
  return report;
}

/**
 * Split a `GET {site}/basicPublishingCredentialsPolicies` list result into the ftp and scm inputs, so one call
 * can replace two.
 */
export function splitPublishingPolicies(list: SourceResult<{ value?: ArmPublishingPolicy[] | null }> | undefined): Pick<PostureInput, 'ftpPolicy' | 'scmPolicy'> {
  if (!list) return {};
  if (!list.ok) return { ftpPolicy: list, scmPolicy: list };
  const items = isObject(list.body) && Array.isArray(list.body.value) ? list.body.value.filter(isObject) : [];
  const find = (n: string): SourceResult<ArmPublishingPolicy> => {
    const p = items.find((i) => (str(i.name) ?? str(i.id) ?? '').toLowerCase().endsWith(n));
    return p ? { ok: true, body: p } : { ok: false, status: 404, code: 'NotInList', message: `the policy list has no '${n}' entry` };
  };
  return { ftpPolicy: find('ftp'), scmPolicy: find('scm') };
}

function subscriptionOf(resourceId: string | undefined): string {
  const m = /^\/subscriptions\/([^/]{1,64})/i.exec(resourceId ?? '');
  return m ? m[1].toLowerCase() : '';
}

/** Counts over many reports for a view badge; subscription-wide checks are counted once per subscription. */
export function summarizePosture(reports: readonly PostureReport[]): PostureSummary {
  const summary: PostureSummary = { reports: reports.length, failing: 0, warnings: 0, unknown: 0, passing: 0, byRule: {}, failingResources: 0 };
  const seen = new Set<string>();
  for (const r of reports) {
    let failed = false;
    for (const ch of r.checks) {
      if (ch.scope === 'subscription') {
        const key = `${ch.ruleId}\u0000${subscriptionOf(r.resourceId)}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      if (ch.status === 'fail') {
        summary.failing++;
        summary.byRule[ch.ruleId] = (summary.byRule[ch.ruleId] ?? 0) + 1;
        failed = true;
      } else if (ch.status === 'warning') summary.warnings++;
      else if (ch.status === 'unknown') summary.unknown++;
      else summary.passing++;
    }
    if (failed) summary.failingResources++;
  }
  return summary;
}

