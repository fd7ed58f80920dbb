// Declared (IaC) vs deployed (live) values of the properties posture rules read. Secret-free: app settings are
// compared by name and by whether the value is a Key Vault reference; no value leaves this module.

import { isObject, str } from '../posture/common';
import type { ArmAppSettings, ArmPublishingPolicy, ArmSite, ArmSiteConfig, IpSecurityRestriction, PostureInput, SourceResult } from '../posture/types';
import { displayValue, isKeyVaultReference, restrictionLabel } from './properties';
import type { Declaration, DeclaredProperty, DeclaredPropertyName, DeclaredSetting, DeclaredValue, DriftState } from './types';

/** The properties each posture rule reads, the one that decides it first. */
export const RULE_PROPERTIES: Readonly<Record<string, readonly DeclaredPropertyName[]>> = {
  'APPSVC-HTTPS-ONLY': ['httpsOnly'],
  'APPSVC-MIN-TLS': ['minTlsVersion'],
  'APPSVC-SCM-MIN-TLS': ['scmMinTlsVersion'],
  'APPSVC-FTPS': ['ftpsState'],
  'APPSVC-HTTP2': ['http20Enabled'],
  'APPSVC-REMOTE-DEBUG': ['remoteDebuggingEnabled'],
  'APPSVC-CORS-WILDCARD': ['corsAllowedOrigins'],
  'APPSVC-PUBLIC-NETWORK': ['publicNetworkAccess', 'ipSecurityRestrictions'],
  'APPSVC-ACCESS-RESTRICTIONS': ['ipSecurityRestrictions', 'ipSecurityRestrictionsDefaultAction', 'publicNetworkAccess'],
  'APPSVC-SCM-EXPOSED': ['scmIpSecurityRestrictionsUseMain', 'scmIpSecurityRestrictions'],
  'APPSVC-MANAGED-IDENTITY': ['identity'],
  'APPSVC-CLIENT-CERT': ['clientCertEnabled', 'clientCertMode'],
  'APPSVC-BASIC-AUTH-FTP': ['ftpBasicAuth'],
  'APPSVC-BASIC-AUTH-SCM': ['scmBasicAuth'],
  'APPSVC-SETTING-PLAINTEXT-SECRET': ['appSettings'],
  'APPSVC-KVREF-UNRESOLVED': ['appSettings'],
  'KV-APP-ACCESS': ['identity', 'appSettings'],
  'KV-APP-REACHABILITY': ['appSettings'],
  'APPSVC-KVREF-IDENTITY': ['identity'],
};

/** What the platform uses when a template leaves a property out, where that is certain (else no entry). */
const PLATFORM_DEFAULTS: Partial<Record<DeclaredPropertyName, DeclaredValue>> = {
  httpsOnly: false,
  remoteDebuggingEnabled: false,
  clientCertEnabled: false,
  scmIpSecurityRestrictionsUseMain: false,
  publicNetworkAccess: 'Enabled',
  identity: 'None',
  corsAllowedOrigins: [],
};

function body<T>(r: SourceResult<T> | undefined): T | undefined {
  return r?.ok ? r.body : undefined;
}

function deployedRestrictions(rows: unknown): string[] | undefined {
  if (!Array.isArray(rows)) return undefined;
  return (rows as IpSecurityRestriction[])
    .filter(isObject)
    // The platform's implicit "Allow all" / "Deny all" row is not declared by anyone.
    .filter((r) => r.priority !== 2147483647)
    .map((r) => {
      const fields = new Map<string, string>();
      const action = str(r.action);
      if (action) fields.set('action', action);
      const address = str(r.ipAddress) ?? str(r.vnetSubnetResourceId);
      if (address) fields.set('ipaddress', address);
      return restrictionLabel(fields);
    })
    .sort();
}

/**
 * The deployed values of the same properties, from the posture reads. Settings keep their names and whether
 * each is a Key Vault reference; the values are dropped here.
 */
export function deployedProperties(input: PostureInput): Map<DeclaredPropertyName, DeclaredValue> {
  const out = new Map<DeclaredPropertyName, DeclaredValue>();
  const site = body<ArmSite>(input.site);
  const web = body<ArmSiteConfig>(input.web)?.properties;
  const set = (k: DeclaredPropertyName, v: unknown) => {
    if (typeof v === 'boolean' || typeof v === 'string') out.set(k, v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out.set(k, v as string[]);
  };
  if (site) {
    const p = site.properties ?? {};
    set('httpsOnly', p.httpsOnly ?? false);
    set('publicNetworkAccess', str(p.publicNetworkAccess) ?? 'Enabled');
    set('clientCertEnabled', (p as Record<string, unknown>).clientCertEnabled ?? false);
    set('clientCertMode', (p as Record<string, unknown>).clientCertMode);
    set('identity', str(site.identity?.type) ?? 'None');
  }
  if (web) {
    set('minTlsVersion', web.minTlsVersion);
    set('scmMinTlsVersion', web.scmMinTlsVersion);
    set('ftpsState', web.ftpsState);
    set('remoteDebuggingEnabled', web.remoteDebuggingEnabled ?? false);
    set('http20Enabled', web.http20Enabled ?? false);
    set('scmIpSecurityRestrictionsUseMain', web.scmIpSecurityRestrictionsUseMain ?? false);
    set('ipSecurityRestrictionsDefaultAction', web.ipSecurityRestrictionsDefaultAction);
    set('corsAllowedOrigins', Array.isArray(web.cors?.allowedOrigins) ? web.cors!.allowedOrigins : []);
    const main = deployedRestrictions(web.ipSecurityRestrictions);
    if (main) out.set('ipSecurityRestrictions', main);
    const scm = deployedRestrictions(web.scmIpSecurityRestrictions);
    if (scm) out.set('scmIpSecurityRestrictions', scm);
  }
  const ftp = body<ArmPublishingPolicy>(input.ftpPolicy)?.properties?.allow;
  if (typeof ftp === 'boolean') out.set('ftpBasicAuth', ftp);
  const scm = body<ArmPublishingPolicy>(input.scmPolicy)?.properties?.allow;
  if (typeof scm === 'boolean') out.set('scmBasicAuth', scm);
  const settings = body<ArmAppSettings>(input.appSettings)?.properties;
  if (isObject(settings)) {
    out.set(
      'appSettings',
      Object.entries(settings).map(([name, value]) => ({ name, keyVaultReference: typeof value === 'string' && isKeyVaultReference(value), range: NO_RANGE })),
    );
  }
  return out;
}

const NO_RANGE = { start: 0, end: 0, line: 0, column: 0, endLine: 0, endColumn: 0 };

function same(property: DeclaredPropertyName, a: DeclaredValue, b: DeclaredValue): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    if (property === 'minTlsVersion' || property === 'scmMinTlsVersion') return Number(a) === Number(b) || a === b;
    if (property === 'identity') return identityKinds(a) === identityKinds(b);
    return a.toLowerCase() === b.toLowerCase();
  }
  if (property === 'appSettings') {
    const x = a as readonly DeclaredSetting[];
    const y = b as readonly DeclaredSetting[];
    if (x.length !== y.length) return false;
    const deployed = new Map(y.map((s) => [s.name.toLowerCase(), s.keyVaultReference]));
    // An unknown Key Vault flag (an expression) matches either way.
    return x.every((s) => deployed.has(s.name.toLowerCase()) && (s.keyVaultReference === undefined || deployed.get(s.name.toLowerCase()) === s.keyVaultReference));
  }
  const x = [...(a as readonly string[])].map((s) => s.toLowerCase()).sort();
  const y = [...(b as readonly string[])].map((s) => s.toLowerCase()).sort();
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

function identityKinds(t: string): string {
  return t
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none')
    .sort()
    .join(',');
}

/**
 * Declared vs deployed for one property. `declared` undefined means the template leaves it out: compared with
 * the platform default where that is certain, else 'unknown'. 'unknown' too when either side is not known.
 */
export function compareDeclared(property: DeclaredPropertyName, declared: DeclaredProperty | DeclaredValue | undefined, deployed: DeclaredValue | undefined): DriftState {
  const value = isDeclaredProperty(declared) ? declared.value : declared;
  if (isDeclaredProperty(declared) && value === undefined) return 'unknown';
  const d = value ?? PLATFORM_DEFAULTS[property];
  if (d === undefined || deployed === undefined) return 'unknown';
  return same(property, d, deployed) ? 'same' : 'drift';
}

function isDeclaredProperty(v: unknown): v is DeclaredProperty {
  return isObject(v) && typeof (v as { property?: unknown }).property === 'string' && 'declared' in (v as object);
}

export interface RuleDrift {
  ruleId: string;
  /** The property compared (the first the rule reads that the template declares, else the rule's main one). */
  property?: DeclaredPropertyName;
  /** The property as declared; undefined when the template leaves it out. */
  declaredProperty?: DeclaredProperty;
  state: DriftState;
  /** Display strings, secret-free: declared as written (or 'not set'), deployed normalised. */
  declared: string;
  deployed: string;
  /** For app settings: the names that differ (missing on one side, or Key Vault reference on one side only). */
  differences?: string[];
}

/** Declared vs deployed for a posture rule on one declaration; undefined for rules that read nothing declarable. */
export function ruleDrift(ruleId: string, declaration: Declaration, deployed: ReadonlyMap<DeclaredPropertyName, DeclaredValue>): RuleDrift | undefined {
  const props = RULE_PROPERTIES[ruleId];
  if (!props) return undefined;
  const property = props.find((p) => declaration.properties.has(p)) ?? props[0];
  const declaredProperty = declaration.properties.get(property);
  const live = deployed.get(property);
  const state = compareDeclared(property, declaredProperty, live);
  const out: RuleDrift = {
    ruleId,
    property,
    state,
    declared: declaredProperty ? (declaredProperty.value === undefined ? `${declaredProperty.declared} (unresolved)` : displayValue(declaredProperty.value)) : 'not set',
    deployed: live === undefined ? 'unknown' : displayValue(live),
  };
  if (declaredProperty) out.declaredProperty = declaredProperty;
  if (property === 'appSettings' && state === 'drift' && Array.isArray(declaredProperty?.value) && Array.isArray(live)) {
    out.differences = settingDifferences(declaredProperty!.value as DeclaredSetting[], live as DeclaredSetting[]);
  }
  return out;
}

function settingDifferences(declared: readonly DeclaredSetting[], deployed: readonly DeclaredSetting[]): string[] {
  const live = new Map(deployed.map((s) => [s.name.toLowerCase(), s]));
  const decl = new Map(declared.map((s) => [s.name.toLowerCase(), s]));
  const out: string[] = [];
  for (const s of declared) {
    const d = live.get(s.name.toLowerCase());
    if (!d) out.push(`${s.name}: declared, not deployed`);
    else if (s.keyVaultReference !== undefined && d.keyVaultReference !== s.keyVaultReference) {
      out.push(`${s.name}: ${s.keyVaultReference ? 'declared as a Key Vault reference, deployed as a plain value' : 'declared as a plain value, deployed as a Key Vault reference'}`);
    }
  }
  for (const s of deployed) if (!decl.has(s.name.toLowerCase())) out.push(`${s.name}: deployed, not declared`);
  return out;
}
