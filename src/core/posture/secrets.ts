// Secrets checks of the live posture: plain secrets in app settings (names only, never values) and the
// health of Key Vault references.

import { scanText } from '../engine';
import type { Finding, Level } from '../model';
import { maskText } from '../mask';
import { isAppConfigurationReference, isKeyVaultReference } from '../references/keyVault';
import { getRule } from '../rules';
import { PLAINTEXT_SECRET_SETTING } from '../rules/appservice/plaintextSecret';
import { toSecretName } from '../vocabulary/azure';
import { WEB_API_VERSION } from './sources';
import { identityFix, isObject, unreadable, type PostureContext, type Verdict } from './common';
import { bicepChild, RawBicep, terraformLabel, terraformSite } from './snippets';
import type { ArmAppSettings, ArmConfigReferences, PostureFix, PostureItem } from './types';

const MAX_NAMES = 5;

function listNames(names: string[]): string {
  const shown = names.slice(0, MAX_NAMES).join(', ');
  return names.length > MAX_NAMES ? `${shown} and ${names.length - MAX_NAMES} more` : shown;
}


/** The settings map of an appsettings/list body, or undefined when it has none. */
export function settingsOf(b: ArmAppSettings | undefined): Record<string, string> | undefined {
  if (!isObject(b?.properties)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(b!.properties as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Secret findings per setting name, from the core's detectors run over a synthetic App Service settings export. */
export function plainSecretSettings(settings: Record<string, string>, levels?: Readonly<Record<string, Level>>): Map<string, string[]> {
  const names: string[] = [];
  const lines: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    const v = value.trim();
    if (!v || isKeyVaultReference(v) || isAppConfigurationReference(v)) continue;
    names.push(name);
    // One setting per line, so a finding's line leads back to its setting even without settingName.
    lines.push(`  {"name": ${JSON.stringify(name)}, "value": ${JSON.stringify(value)}, "slotSetting": false}`);
  }
  const out = new Map<string, string[]>();
  if (!names.length) return out;
  const text = `[\n${lines.join(',\n')}\n]`;
  let findings: Finding[];
  try {
    findings = scanText(text, 'appsettings.live.json', { kind: 'appservice-settings', ignoreInlineSuppressions: true, ...(levels ? { levels } : {}) }).findings;
  } catch {
    return out;
  }
  for (const f of findings) {
    if (f.tag !== 'secret' && f.ruleId !== PLAINTEXT_SECRET_SETTING) continue;
    const byLine = names[f.line - 1];
    const name = byLine !== undefined && f.line === f.endLine ? byLine : (f.settingName ?? f.path?.[0]);
    if (name === undefined || !(name in settings)) continue;
    const kind = f.secretKind ?? (f.ruleId === PLAINTEXT_SECRET_SETTING ? 'secret-named setting' : (getRule(f.ruleId)?.title ?? f.ruleId));
    const kinds = out.get(name) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    out.set(name, kinds);
  }
  return out;
}

/**
 * The PUT body for an app-settings fix: the whole current set (fresh from appsettings/list) with the fixed
 * settings replaced by Key Vault references. Call at apply time; never show or log the result.
 */
export function buildAppSettingsBody(current: Record<string, string>, fix: PostureFix, vaultUri: string): { properties: Record<string, string> } {
  const rmw = fix.readModifyWrite;
  if (fix.kind !== 'put-appsettings' || !rmw) throw new Error('not an app settings fix');
  const uri = vaultUri.endsWith('/') ? vaultUri : `${vaultUri}/`;
  const properties: Record<string, string> = { ...current };
  for (const [name, template] of Object.entries(rmw.set)) {
    if (!(name in current)) throw new Error(`setting '${name}' no longer exists`);
    properties[name] = template.split('{vaultUri}').join(uri);
  }
  return { properties };
}

function appSettingsFix(c: PostureContext, names: string[]): PostureFix {
  const set: Record<string, string> = {};
  const secretNames: Record<string, string> = {};
  const bicepProps: Record<string, unknown> = {};
  const tf: string[] = [];
  for (const n of names) {
    const secret = toSecretName(n);
    secretNames[n] = secret;
    set[n] = `@Microsoft.KeyVault(SecretUri={vaultUri}secrets/${secret}/)`;
    bicepProps[n] = new RawBicep(`'@Microsoft.KeyVault(SecretUri=\${kv.properties.vaultUri}secrets/${secret}/)'`);
    tf.push(`  ${JSON.stringify(n)} = "@Microsoft.KeyVault(SecretUri=\${azurerm_key_vault_secret.${terraformLabel(secret)}.versionless_id})"`);
  }
  return {
    kind: 'put-appsettings',
    method: 'PUT',
    scope: 'site',
    pathSuffix: '/config/appsettings',
    apiVersion: WEB_API_VERSION,
    property: 'properties',
    oldValue: names,
    newValue: set,
    summary: `Move ${names.length} setting${names.length === 1 ? '' : 's'} to Key Vault (${listNames(names)}) and replace ${names.length === 1 ? 'it' : 'them'} with Key Vault references.`,
    caution:
      'Creates one Key Vault secret per setting, then PUTs the whole settings set (read fresh, changed, written back), which restarts the app. The app identity needs Key Vault Secrets User on the vault.',
    readModifyWrite: { read: { method: 'POST', pathSuffix: '/config/appsettings/list' }, set, secretNames },
    bicep: `resource kv 'Microsoft.KeyVault/vaults@2024-11-01' existing = {\n  name: '<vault-name>'\n}\n\n${bicepChild(c.target, 'config', 'appsettings', bicepProps, 'this resource replaces the whole set: keep the other settings here too')}`,
    terraform: terraformSite(c.target, [`app_settings = {\n  # ... keep the other settings\n${tf.join('\n')}\n}`]),
  };
}

export function plainSecretCheck(c: PostureContext): Verdict {
  const why = unreadable('appSettings', c.input.appSettings);
  if (why) return { status: 'unknown', value: 'Unknown', unknownReason: why };
  const settings = settingsOf(c.input.appSettings?.ok ? c.input.appSettings.body : undefined);
  if (!settings) return { status: 'unknown', value: 'Unknown', unknownReason: 'The app settings response had no properties map.' };
  const all = Object.keys(settings);
  const refs = all.filter((n) => isKeyVaultReference(settings[n]) || isAppConfigurationReference(settings[n])).length;
  const found = plainSecretSettings(settings, c.levels);
  const names = [...found.keys()];
  if (!names.length) {
    return { status: 'pass', value: `No plain secrets in ${all.length} setting${all.length === 1 ? '' : 's'}${refs ? ` (${refs} reference${refs === 1 ? '' : 's'})` : ''}` };
  }
  const items: PostureItem[] = names.map((n) => ({ name: n, status: 'fail', detail: found.get(n)!.join(', ') }));
  return {
    status: 'fail',
    value: names.length === 1 ? `1 setting holds a plain secret: ${names[0]}` : `${names.length} settings hold plain secrets: ${listNames(names)}`,
    items,
    fix: appSettingsFix(c, names),
  };
}

// ---- Key Vault references ----

/** What to do for each reference status (configreferences `status`). */
export const KV_STATUS_HINTS: Record<string, string> = {
  Initialized: 'The platform has not resolved it yet: wait a few minutes or restart the app; if it stays, check identity and access.',
  InvalidSyntax: 'Fix the reference: @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>).',
  MSINotEnabled: 'Enable a managed identity on the app (or point keyVaultReferenceIdentity at an assigned user-assigned identity) and grant it access to the vault.',
  VaultNotFound: 'Check the vault name: the vault must exist (not deleted) in the same tenant, and its name must be spelled as in Azure.',
  SecretNotFound: 'Create the secret in the vault or fix the secret name in the reference.',
  SecretVersionNotFound: 'The pinned version does not exist: fix it, or drop the version so the reference follows the latest one.',
  AccessToKeyVaultDenied:
    "Grant the app's identity Key Vault Secrets User on the vault (RBAC) or an access policy with secrets get, and check the vault firewall lets the app in (VNet integration or private endpoint).",
  OtherReasons: 'See the details; check identity, vault access and the vault firewall, then restart the app.',
  FetchTimedOut: 'The vault did not answer in time: check the network path (VNet integration, private endpoint DNS, vault firewall) and restart the app.',
  UnauthorizedClient: 'The identity used is not allowed: check that keyVaultReferenceIdentity names an identity assigned to the app and that it has access to the vault.',
};

function settingNameOfReference(r: { id?: unknown; name?: unknown; properties?: { secretName?: unknown } | null }): string {
  const id = typeof r.id === 'string' ? r.id : '';
  if (id) return id.slice(id.lastIndexOf('/') + 1);
  const name = typeof r.name === 'string' ? r.name : '';
  if (name) return name.slice(name.lastIndexOf('/') + 1);
  return typeof r.properties?.secretName === 'string' ? r.properties.secretName : '(unnamed)';
}

export function kvReferenceCheck(c: PostureContext): Verdict {
  const why = unreadable('configReferences', c.input.configReferences);
  if (why) return { status: 'unknown', value: 'Unknown', unknownReason: why };
  const b = (c.input.configReferences?.ok ? c.input.configReferences.body : undefined) as ArmConfigReferences | undefined;
  const list = Array.isArray(b?.value) ? b!.value.filter(isObject) : [];
  if (!list.length) return { status: 'pass', value: 'No Key Vault references' };
  const items: PostureItem[] = [];
  const causes: string[] = [];
  const hints: string[] = [];
  let bad = 0;
  let pending = 0;
  let missing = 0;
  for (const r of list) {
    const p = isObject(r.properties) ? r.properties : {};
    const name = settingNameOfReference(r);
    const status = typeof p.status === 'string' ? p.status : '';
    const where = [typeof p.vaultName === 'string' ? `vault ${p.vaultName}` : '', typeof p.secretName === 'string' ? `secret ${p.secretName}` : ''].filter(Boolean).join(', ');
    if (!status) {
      missing++;
      items.push({ name, status: 'unknown', detail: `No status reported${where ? ` (${where})` : ''}` });
    } else if (status.toLowerCase() === 'resolved') {
      items.push({ name, status: 'pass', detail: `Resolved${where ? ` (${where})` : ''}` });
    } else {
      const hint = KV_STATUS_HINTS[status] ?? KV_STATUS_HINTS.OtherReasons;
      const details = typeof p.details === 'string' && p.details ? ` Details: ${maskText(p.details).slice(0, 240)}` : '';
      const initial = status === 'Initialized';
      if (initial) pending++;
      else bad++;
      causes.push(`${name} (${status.slice(0, 40)})`);
      if (!hints.includes(hint)) hints.push(hint);
      items.push({ name, status: initial ? 'warning' : 'fail', detail: `${status}${where ? ` (${where})` : ''}: ${hint}${details}` });
    }
  }
  if (bad || pending) {
    return {
      status: bad ? 'fail' : 'warning',
      value: `${causes.length} of ${list.length} reference${list.length === 1 ? '' : 's'} unresolved: ${listNames(causes)}`,
      hint: hints.join(' '),
      items,
    };
  }
  if (missing) {
    return {
      status: 'unknown',
      value: `${list.length - missing} of ${list.length} resolved`,
      unknownReason: `The service reported no status for ${missing} reference${missing === 1 ? '' : 's'}; restart the app or open Environment variables in the portal to refresh it.`,
      items,
    };
  }
  return { status: 'pass', value: `${list.length} reference${list.length === 1 ? '' : 's'} resolved`, items };
}

/** APPSVC-KVREF-IDENTITY: keyVaultReferenceIdentity names an identity the app has. */
export function kvReferenceIdentityCheck(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return { status: 'unknown', value: 'Unknown', unknownReason: why };
  const configured = typeof c.site?.properties?.keyVaultReferenceIdentity === 'string' && c.site.properties.keyVaultReferenceIdentity ? c.site.properties.keyVaultReferenceIdentity : 'SystemAssigned';
  const identity = c.site?.identity;
  const type = (typeof identity?.type === 'string' ? identity.type : '').toLowerCase();
  const uami = isObject(identity?.userAssignedIdentities) ? Object.keys(identity!.userAssignedIdentities as object) : [];

  // How many references depend on it: from configreferences, else from the settings themselves.
  let refs: number | undefined;
  const cr = c.input.configReferences;
  if (cr?.ok && isObject(cr.body)) refs = Array.isArray((cr.body as ArmConfigReferences).value) ? (cr.body as ArmConfigReferences).value!.length : 0;
  else if (c.input.appSettings?.ok) {
    const s = settingsOf(c.input.appSettings.body);
    if (s) refs = Object.values(s).filter(isKeyVaultReference).length;
  }
  if (refs === 0) return { status: 'pass', value: 'No Key Vault references' };

  const system = configured.toLowerCase() === 'systemassigned';
  const shown = system ? 'SystemAssigned' : `user-assigned ${configured.slice(configured.lastIndexOf('/') + 1)}`;
  const ok = system ? type.includes('systemassigned') : uami.some((id) => id.toLowerCase() === configured.toLowerCase());
  if (ok) return { status: 'pass', value: shown };
  const status = refs === undefined ? 'warning' : 'fail';
  if (system && uami.length === 1) {
    const only = uami[0];
    const fix: PostureFix = {
      kind: 'patch-site',
      method: 'PATCH',
      scope: 'site',
      pathSuffix: '',
      apiVersion: WEB_API_VERSION,
      body: { properties: { keyVaultReferenceIdentity: only } },
      property: 'properties.keyVaultReferenceIdentity',
      oldValue: c.site?.properties?.keyVaultReferenceIdentity ?? null,
      newValue: only,
      summary: `Resolve Key Vault references with the app's user-assigned identity ${only.slice(only.lastIndexOf('/') + 1)}.`,
      caution: 'That identity needs Key Vault Secrets User (or an access policy with secrets get) on each referenced vault.',
      bicep: bicepSiteIdentityRef(c, only),
      terraform: terraformSite(c.target, [`key_vault_reference_identity_id = ${JSON.stringify(only)}`]),
    };
    return { status, value: `${shown}, but the app has no system-assigned identity`, fix };
  }
  if (system) return { status, value: `${shown}, but the app has no system-assigned identity`, fix: identityFix(c, 'Turn on the system-assigned identity used by Key Vault references.') };
  return { status, value: `${shown}, not assigned to the app`, hint: 'Assign that user-assigned identity to the app, or point keyVaultReferenceIdentity at one it has.' };
}

function bicepSiteIdentityRef(c: PostureContext, id: string): string {
  return `resource app '${c.target.isSlot ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites'}@2024-04-01' = {\n  name: '${c.target.name.split("'").join("\\'")}'\n  // ... keep the other properties\n  properties: {\n    keyVaultReferenceIdentity: '${id.split("'").join("\\'")}'\n  }\n}`;
}
