// Which entry of a site (or of its config/policy child) sets which posture property, and its normalised value.
// App setting values are read only to tell whether they are Key Vault references; they are never kept.

import type { Entry } from '../model';
import type { ResourceRole } from '../rules/appservice/context';
import type { DeclaredPropertyName, DeclaredSetting, DeclaredValue } from './types';

/** Where an entry sits, relative to its resource, lower case. */
export type RelPath = readonly string[];

export type Slot =
  | { kind: 'scalar'; property: DeclaredPropertyName; type: 'bool' | 'string' | 'enabledBool' }
  | { kind: 'origin'; property: 'corsAllowedOrigins' }
  | { kind: 'restriction'; property: 'ipSecurityRestrictions' | 'scmIpSecurityRestrictions'; item: string | undefined; field: string }
  | { kind: 'setting'; name: string };

const ARM_SITE_PROPERTIES: Record<string, Slot> = {
  httpsonly: { kind: 'scalar', property: 'httpsOnly', type: 'bool' },
  publicnetworkaccess: { kind: 'scalar', property: 'publicNetworkAccess', type: 'string' },
  clientcertenabled: { kind: 'scalar', property: 'clientCertEnabled', type: 'bool' },
  clientcertmode: { kind: 'scalar', property: 'clientCertMode', type: 'string' },
};

const ARM_SITE_CONFIG: Record<string, Slot> = {
  mintlsversion: { kind: 'scalar', property: 'minTlsVersion', type: 'string' },
  scmmintlsversion: { kind: 'scalar', property: 'scmMinTlsVersion', type: 'string' },
  ftpsstate: { kind: 'scalar', property: 'ftpsState', type: 'string' },
  remotedebuggingenabled: { kind: 'scalar', property: 'remoteDebuggingEnabled', type: 'bool' },
  http20enabled: { kind: 'scalar', property: 'http20Enabled', type: 'bool' },
  ipsecurityrestrictionsdefaultaction: { kind: 'scalar', property: 'ipSecurityRestrictionsDefaultAction', type: 'string' },
  scmipsecurityrestrictionsusemain: { kind: 'scalar', property: 'scmIpSecurityRestrictionsUseMain', type: 'bool' },
  publicnetworkaccess: { kind: 'scalar', property: 'publicNetworkAccess', type: 'string' },
};

const TF_SITE: Record<string, Slot> = {
  https_only: { kind: 'scalar', property: 'httpsOnly', type: 'bool' },
  public_network_access_enabled: { kind: 'scalar', property: 'publicNetworkAccess', type: 'enabledBool' },
  client_certificate_enabled: { kind: 'scalar', property: 'clientCertEnabled', type: 'bool' },
  client_cert_enabled: { kind: 'scalar', property: 'clientCertEnabled', type: 'bool' },
  client_certificate_mode: { kind: 'scalar', property: 'clientCertMode', type: 'string' },
  ftp_publish_basic_authentication_enabled: { kind: 'scalar', property: 'ftpBasicAuth', type: 'bool' },
  webdeploy_publish_basic_authentication_enabled: { kind: 'scalar', property: 'scmBasicAuth', type: 'bool' },
};

const TF_SITE_CONFIG: Record<string, Slot> = {
  minimum_tls_version: { kind: 'scalar', property: 'minTlsVersion', type: 'string' },
  min_tls_version: { kind: 'scalar', property: 'minTlsVersion', type: 'string' },
  scm_minimum_tls_version: { kind: 'scalar', property: 'scmMinTlsVersion', type: 'string' },
  scm_min_tls_version: { kind: 'scalar', property: 'scmMinTlsVersion', type: 'string' },
  ftps_state: { kind: 'scalar', property: 'ftpsState', type: 'string' },
  remote_debugging_enabled: { kind: 'scalar', property: 'remoteDebuggingEnabled', type: 'bool' },
  http2_enabled: { kind: 'scalar', property: 'http20Enabled', type: 'bool' },
  scm_use_main_ip_restriction: { kind: 'scalar', property: 'scmIpSecurityRestrictionsUseMain', type: 'bool' },
  ip_restriction_default_action: { kind: 'scalar', property: 'ipSecurityRestrictionsDefaultAction', type: 'string' },
};

const RESTRICTION_LISTS: Record<string, 'ipSecurityRestrictions' | 'scmIpSecurityRestrictions'> = {
  ipsecurityrestrictions: 'ipSecurityRestrictions',
  scmipsecurityrestrictions: 'scmIpSecurityRestrictions',
  ip_restriction: 'ipSecurityRestrictions',
  scm_ip_restriction: 'scmIpSecurityRestrictions',
};

const isIndex = (s: string | undefined) => s !== undefined && /^\d{1,6}$/.test(s);

/** siteConfig (ARM) or site_config (Terraform) members, `rest` relative to the config object. */
function configSlot(rest: RelPath, entry: Entry, tf: boolean): Slot | undefined {
  const [first, second, third] = rest;
  if (rest.length === 1) return (tf ? TF_SITE_CONFIG : ARM_SITE_CONFIG)[first];
  if (first === 'cors' && (second === 'allowedorigins' || second === 'allowed_origins') && (rest.length === 2 || isIndex(third))) return { kind: 'origin', property: 'corsAllowedOrigins' };
  const list = RESTRICTION_LISTS[first];
  if (list) {
    // ARM lists carry an index; Terraform repeats the block (same path), so items are told apart by order.
    if (isIndex(second) && rest.length === 3) return { kind: 'restriction', property: list, item: second, field: rest[2] };
    if (rest.length === 2) return { kind: 'restriction', property: list, item: undefined, field: second };
  }
  if ((first === 'appsettings' || first === 'app_settings') && rest.length === 2 && !isIndex(second)) return { kind: 'setting', name: entry.key };
  return undefined;
}

/** The posture property an entry of a resource with this role sets, if any. */
export function slotOf(role: ResourceRole, tf: boolean, rel: RelPath, entry: Entry): Slot | undefined {
  const [first, second] = rel;
  if (tf) {
    if (role !== 'site') return undefined;
    if (rel.length === 1) return TF_SITE[first];
    if (first === 'identity' && second === 'type' && rel.length === 2) return { kind: 'scalar', property: 'identity', type: 'string' };
    if (first === 'site_config') return configSlot(rel.slice(1), entry, true);
    if (first === 'app_settings' && rel.length === 2) return { kind: 'setting', name: entry.key };
    return undefined;
  }
  switch (role) {
    case 'site':
      if (first === 'identity' && second === 'type' && rel.length === 2) return { kind: 'scalar', property: 'identity', type: 'string' };
      if (first !== 'properties') return undefined;
      if (rel.length === 2) return ARM_SITE_PROPERTIES[second];
      if (second === 'siteconfig') return configSlot(rel.slice(2), entry, false);
      return undefined;
    case 'webConfig':
      return first === 'properties' ? configSlot(rel.slice(1), entry, false) : undefined;
    case 'appSettingsConfig':
      return first === 'properties' && rel.length === 2 ? { kind: 'setting', name: entry.key } : undefined;
    case 'ftpPolicy':
    case 'scmPolicy':
      return first === 'properties' && second === 'allow' && rel.length === 2 ? { kind: 'scalar', property: role === 'ftpPolicy' ? 'ftpBasicAuth' : 'scmBasicAuth', type: 'bool' } : undefined;
    default:
      return undefined;
  }
}

/** A scalar as the property's type: booleans from true/false, Terraform's public_network_access_enabled as Enabled/Disabled. */
export function normalizeScalar(type: 'bool' | 'string' | 'enabledBool', v: string | boolean | number): DeclaredValue | undefined {
  if (type === 'string') return String(v);
  const b = typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true' ? true : String(v).toLowerCase() === 'false' ? false : undefined;
  if (b === undefined) return undefined;
  return type === 'enabledBool' ? (b ? 'Enabled' : 'Disabled') : b;
}

const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

/** Whether an app setting value is a Key Vault reference; the value itself is not kept. */
export function isKeyVaultReference(value: string): boolean {
  return KEY_VAULT_REFERENCE.test(value);
}

/** One access-restriction row as "Allow 10.0.0.0/8", comparable with the deployed rows. */
export function restrictionLabel(fields: ReadonlyMap<string, string>): string {
  const action = fields.get('action') ?? 'Allow';
  const address = fields.get('ipaddress') ?? fields.get('ip_address') ?? fields.get('service_tag') ?? fields.get('vnetsubnetresourceid') ?? fields.get('virtual_network_subnet_id') ?? '?';
  return `${capitalize(action)} ${address}`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s;
}

/** Short display of a declared value, safe to show (settings by name). */
export function displayValue(v: DeclaredValue | undefined): string {
  if (v === undefined) return 'unresolved';
  if (typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (v.length === 0) return '(none)';
  if (typeof v[0] === 'string') return (v as readonly string[]).join(', ');
  return (v as readonly DeclaredSetting[]).map((s) => `${s.name}${s.keyVaultReference ? ' (Key Vault reference)' : ''}`).join(', ');
}
