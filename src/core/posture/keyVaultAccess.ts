// Cross-resource checks between an app and the Key Vaults its Key Vault references use:
//   KV-APP-ACCESS        the identity that resolves the references can read the secrets, and only read them;
//   KV-APP-REACHABILITY  a network-restricted vault lets the app in (VNet rule, private endpoint).
// Pure: reads the vault bodies and role assignments the reader fetched. Vault names and setting names only;
// a setting value is parsed only when it is a Key Vault reference, and never copied into the report.

import { isKeyVaultReference, parseKeyVaultReference } from '../references/keyVault';
import { body, clip, isObject, str, unknown, unreadable, type PostureContext, type Verdict } from './common';
import { settingsOf } from './secrets';
import type { ArmConfigReferences, ArmRoleAssignment, ArmRoleAssignmentList, ArmSite, ArmVault, ManagedServiceIdentity, PostureInput, PostureItem, PostureStatus, SourceResult } from './types';

/** The reader looks at no more vaults than this per app (each costs a vault GET and maybe a role assignment list). */
export const MAX_VAULTS_PER_APP = 5;

/** Built-in role definition ids (the GUID at the end of roleDefinitionId). */
export const KEY_VAULT_ROLES = Object.freeze({
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  administrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
});

interface RoleInfo {
  name: string;
  /** Grants Microsoft.KeyVault/vaults/secrets/getSecret/action on an RBAC vault. */
  reads: boolean;
  /** More than reading secrets: writes secrets, or can change who has access. */
  over: boolean;
}

const ROLES: Record<string, RoleInfo> = {
  [KEY_VAULT_ROLES.secretsUser]: { name: 'Key Vault Secrets User', reads: true, over: false },
  [KEY_VAULT_ROLES.secretsOfficer]: { name: 'Key Vault Secrets Officer', reads: true, over: true },
  [KEY_VAULT_ROLES.administrator]: { name: 'Key Vault Administrator', reads: true, over: true },
  // Control plane: no data actions (no secret reads on an RBAC vault), but they can grant access.
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', reads: false, over: true },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { name: 'Contributor', reads: false, over: true },
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': { name: 'User Access Administrator', reads: false, over: true },
  'f25e0fa2-a7c8-4377-a976-54943a77a395': { name: 'Key Vault Contributor', reads: false, over: true },
  // Known not to read secret values.
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', reads: false, over: false },
  '21090545-7ca7-4776-b22c-e363652d74d2': { name: 'Key Vault Reader', reads: false, over: false },
  '12338af0-0e69-4776-bea7-57ae8d297424': { name: 'Key Vault Crypto User', reads: false, over: false },
  'e147488a-f6f5-4113-8e2d-b22465e65bf6': { name: 'Key Vault Crypto Service Encryption User', reads: false, over: false },
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const READ_ONLY_SECRET_PERMISSIONS = new Set(['get', 'list']);

// ---------------------------------------------------------------------------------------------------------------
// Which vaults, which identity

/** A vault that Key Vault references of the app point at. */
export interface KeyVaultTarget {
  /** As first spelled in a reference. */
  vault: string;
  /** Setting names that refer to it (never their values). */
  settings: string[];
  /** Secret names referred to (for secret-scope role assignments). */
  secrets: string[];
}

function addTarget(out: Map<string, KeyVaultTarget>, vault: string, setting: string, secret: string | undefined): void {
  const key = vault.toLowerCase();
  const t = out.get(key) ?? { vault, settings: [], secrets: [] };
  if (setting && !t.settings.includes(setting)) t.settings.push(setting);
  if (secret && !t.secrets.some((s) => s.toLowerCase() === secret.toLowerCase())) t.secrets.push(secret);
  out.set(key, t);
}

/**
 * The vaults the app's Key Vault references use, in order of first appearance: from `config/configreferences`
 * (vaultName, or the reference text) and from the app settings whose value is a Key Vault reference. Undefined
 * when neither source could be read.
 */
export function keyVaultReferenceTargets(input: Pick<PostureInput, 'configReferences' | 'appSettings'>): KeyVaultTarget[] | undefined {
  const out = new Map<string, KeyVaultTarget>();
  let read = false;
  const refs = body<ArmConfigReferences>(input.configReferences);
  if (refs) {
    read = true;
    for (const r of objects(refs.value)) {
      const p = isObject(r.properties) ? r.properties : {};
      const id = str(r.id) ?? str(r.name) ?? '';
      const setting = id.slice(id.lastIndexOf('/') + 1);
      let vault = str(p.vaultName);
      let secret = str(p.secretName);
      const reference = str(p.reference);
      if (!vault && reference) {
        const parsed = parseKeyVaultReference(reference);
        if ('vault' in parsed) {
          vault = parsed.vault;
          secret = secret ?? parsed.secretName;
        }
      }
      if (vault) addTarget(out, vault, setting, secret);
    }
  }
  const settings = settingsOf(body(input.appSettings));
  if (settings) {
    read = true;
    for (const [name, value] of Object.entries(settings)) {
      if (!isKeyVaultReference(value)) continue;
      const parsed = parseKeyVaultReference(value);
      if ('vault' in parsed) addTarget(out, parsed.vault, name, parsed.secretName);
    }
  }
  return read ? [...out.values()] : undefined;
}

/** The identity App Service resolves Key Vault references with (`keyVaultReferenceIdentity`, default system-assigned). */
export interface ReferenceIdentity {
  /** 'the system-assigned identity' / "user-assigned identity 'name'". */
  label: string;
  /** Object (principal) id, when the site reports it. */
  principalId?: string;
  /** Set when the app does not have that identity at all. */
  missing?: string;
}

export function keyVaultReferenceIdentity(site: ArmSite | undefined): ReferenceIdentity {
  const configured = str(site?.properties?.keyVaultReferenceIdentity) || 'SystemAssigned';
  const identity: ManagedServiceIdentity = isObject(site?.identity) ? site!.identity! : {};
  const type = (str(identity.type) ?? '').toLowerCase();
  if (configured.toLowerCase() === 'systemassigned') {
    const label = 'the system-assigned identity';
    if (!type.includes('systemassigned')) return { label, missing: 'the app has no system-assigned identity' };
    const principalId = str(identity.principalId);
    return principalId ? { label, principalId } : { label };
  }
  const label = `user-assigned identity '${clip(configured.slice(configured.lastIndexOf('/') + 1), 80)}'`;
  const uami = isObject(identity.userAssignedIdentities) ? (identity.userAssignedIdentities as Record<string, unknown>) : {};
  const key = Object.keys(uami).find((k) => k.toLowerCase() === configured.toLowerCase());
  if (key === undefined) return { label, missing: 'it is not assigned to the app' };
  const entry = uami[key];
  const principalId = isObject(entry) ? str(entry.principalId) : undefined;
  return principalId ? { label, principalId } : { label };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared plumbing

interface VaultVerdict {
  status: PostureStatus;
  detail: string;
  /** Unknown: why, for the check's unknownReason. */
  reason?: string;
  /** Fail: what would fix it. */
  hint?: string;
}

/** The object members of an array (anything else: none). */
function objects<T extends object>(v: readonly T[] | null | undefined): T[] {
  return Array.isArray(v) ? v.filter((x): x is T => isObject(x)) : [];
}

function lookup<T>(map: Record<string, T> | undefined, vault: string): T | undefined {
  if (!map) return undefined;
  const key = Object.keys(map).find((k) => k.toLowerCase() === vault.toLowerCase());
  return key === undefined ? undefined : map[key];
}

function listShort(names: string[], max = 4): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Why the check cannot start, or the targets to judge. */
function prepare(c: PostureContext): { verdict: Verdict } | { targets: KeyVaultTarget[] } {
  const siteWhy = unreadable('site', c.input.site);
  if (siteWhy) return { verdict: unknown(siteWhy) };
  const targets = keyVaultReferenceTargets(c.input);
  if (!targets) return { verdict: unknown(unreadable('configReferences', c.input.configReferences) ?? 'Key Vault references could not be read.') };
  if (!targets.length) return { verdict: { status: 'pass', value: 'No Key Vault references' } };
  if (!c.input.vaults) return { verdict: unknown(`Not read: the key vaults the references use (${targets.map((t) => t.vault).join(', ')}; GET Microsoft.KeyVault/vaults/{vault}).`) };
  return { targets };
}

/** The vault body, or a verdict saying why there is none. */
function vaultOf(c: PostureContext, t: KeyVaultTarget, index: number): { vault: ArmVault } | { verdict: VaultVerdict } {
  const r = lookup(c.input.vaults, t.vault);
  if (!r) {
    const reason =
      index >= MAX_VAULTS_PER_APP
        ? `Not read: vault ${t.vault} (only the first ${MAX_VAULTS_PER_APP} vaults of an app are checked).`
        : `Not read: vault ${t.vault} (GET Microsoft.KeyVault/vaults/${t.vault}).`;
    return { verdict: { status: 'unknown', detail: reason, reason } };
  }
  const why = unreadable('vaults', r);
  if (why) {
    const reason = `Vault ${t.vault}: ${why}`;
    return { verdict: { status: 'unknown', detail: why, reason } };
  }
  return { vault: body(r) as ArmVault };
}

const RANK: Record<PostureStatus, number> = { pass: 0, warning: 1, unknown: 2, fail: 3 };

function combine(targets: KeyVaultTarget[], verdicts: VaultVerdict[], words: { pass: (n: string) => string; fail: string; warning: string; unknown: string }): Verdict {
  const items: PostureItem[] = targets.map((t, i) => ({ name: t.vault, status: verdicts[i].status, detail: verdicts[i].detail }));
  const worst = verdicts.reduce<PostureStatus>((w, v) => (RANK[v.status] > RANK[w] ? v.status : w), 'pass');
  const named = (s: PostureStatus) => targets.filter((_, i) => verdicts[i].status === s).map((t) => t.vault);
  const of = (n: number) => (targets.length > 1 ? ` (${n} of ${targets.length} vaults)` : '');
  const hints = [...new Set(verdicts.map((v) => v.hint).filter((h): h is string => !!h))];
  const out: Verdict = { status: worst, value: '', items };
  if (hints.length) out.hint = hints.join(' ');
  if (worst === 'pass') out.value = words.pass(listShort(targets.map((t) => t.vault)));
  else {
    const names = named(worst);
    out.value = `${words[worst]} ${listShort(names)}${of(names.length)}`;
  }
  if (worst === 'unknown') out.unknownReason = verdicts.filter((v) => v.status === 'unknown').map((v) => v.reason ?? v.detail).join(' ');
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// KV-APP-ACCESS

function roleGuid(a: ArmRoleAssignment): string {
  const id = str(a.properties?.roleDefinitionId) ?? '';
  return id.slice(id.lastIndexOf('/') + 1).toLowerCase();
}

function scopeOf(a: ArmRoleAssignment): string {
  const s = str(a.properties?.scope);
  if (s) return s;
  const id = str(a.id) ?? '';
  const i = id.toLowerCase().indexOf('/providers/microsoft.authorization/roleassignments/');
  return i >= 0 ? id.slice(0, i) : '';
}

type ScopeRelation = { kind: 'vault' | 'above' } | { kind: 'secret'; secret: string } | { kind: 'other' };

/** Lower case, without trailing slashes (no regex: linear on any input). */
function normId(id: string): string {
  let end = id.length;
  while (end > 0 && id.charCodeAt(end - 1) === 47) end--;
  return id.slice(0, end).toLowerCase();
}

function relation(scope: string, vaultId: string | undefined): ScopeRelation {
  const s = normId(scope);
  if (!vaultId) return { kind: 'vault' };
  const v = normId(vaultId);
  if (s === v) return { kind: 'vault' };
  if (s === '' || s === '/' || v.startsWith(`${s}/`) || s.startsWith('/providers/microsoft.management/managementgroups/')) return { kind: 'above' };
  if (s.startsWith(`${v}/secrets/`)) return { kind: 'secret', secret: s.slice(v.length + '/secrets/'.length).split('/')[0] };
  return { kind: 'other' };
}

function rbacAccess(c: PostureContext, t: KeyVaultTarget, vault: ArmVault, who: ReferenceIdentity & { principalId: string }): VaultVerdict {
  const r = lookup(c.input.roleAssignments, t.vault);
  if (!r) {
    const reason = `Not read: role assignments on vault ${t.vault} (GET {vault}/providers/Microsoft.Authorization/roleAssignments).`;
    return { status: 'unknown', detail: reason, reason };
  }
  const why = unreadable('roleAssignments', r as SourceResult);
  if (why) return { status: 'unknown', detail: why, reason: `Vault ${t.vault} uses RBAC: ${why}` };
  const list = body<ArmRoleAssignmentList>(r as SourceResult<ArmRoleAssignmentList>);
  const all = objects(list?.value);
  const vaultId = str(vault.id);
  const readers: string[] = [];
  const over: string[] = [];
  const overRoles = new Set<string>();
  const unrecognised: string[] = [];
  const secretReads = new Set<string>();
  for (const a of all) {
    const principal = (str(a.properties?.principalId) ?? '').toLowerCase();
    const viaGroup = principal !== who.principalId.toLowerCase();
    // assignedTo() also returns assignments to groups the identity is in; anything else is not ours.
    if (viaGroup && (str(a.properties?.principalType) ?? '').toLowerCase() !== 'group') continue;
    const rel = relation(scopeOf(a), vaultId);
    if (rel.kind === 'other') continue;
    const guid = roleGuid(a);
    const role = ROLES[guid];
    const where = rel.kind === 'above' ? ' (inherited)' : rel.kind === 'secret' ? ` (secret ${rel.secret})` : '';
    const name = `${role?.name ?? `role ${clip(guid, 40)}`}${where}${viaGroup ? ' via a group' : ''}`;
    if (!role) {
      unrecognised.push(name);
      continue;
    }
    if (role.over) {
      over.push(name);
      overRoles.add(role.name);
    }
    if (!role.reads) continue;
    if (rel.kind === 'secret') secretReads.add(rel.secret);
    else readers.push(name);
  }
  let reads = readers.length > 0;
  let partial = '';
  if (!reads && secretReads.size) {
    const missing = t.secrets.filter((s) => !secretReads.has(s.toLowerCase()));
    if (t.secrets.length && !missing.length) reads = true;
    else if (missing.length) partial = ` Secret-scope assignments cover some secrets but not ${listShort(missing)}.`;
  }
  const assign = `az role assignment create --role "Key Vault Secrets User" --assignee-object-id ${who.principalId} --assignee-principal-type ServicePrincipal --scope ${vaultId ?? `<vault ${t.vault} resource id>`}`;
  if (reads) {
    if (over.length) {
      return {
        status: 'warning',
        detail: `RBAC: ${who.label} can read secrets but is over-privileged: ${listShort(over)}.`,
        hint: `Give ${who.label} Key Vault Secrets User on the vault and remove ${listShort([...overRoles])}.`,
      };
    }
    return { status: 'pass', detail: `RBAC: ${listShort(readers.length ? readers : [...secretReads].map((s) => `Key Vault Secrets User (secret ${s})`))}` };
  }
  if (unrecognised.length) {
    const reason = `Vault ${t.vault} uses RBAC and ${who.label} holds ${listShort(unrecognised)}, which this check does not recognise; it cannot tell whether that allows Microsoft.KeyVault/vaults/secrets/getSecret/action.`;
    return { status: 'unknown', detail: reason, reason };
  }
  const held = over.length ? ` It holds ${listShort(over)}, which does not allow reading secret values on an RBAC vault.` : '';
  return {
    status: 'fail',
    detail: `RBAC: ${who.label} has no role that reads secrets.${held}${partial}`,
    hint: `Grant ${who.label} Key Vault Secrets User on vault ${t.vault}: ${assign}`,
  };
}

function policyAccess(t: KeyVaultTarget, vault: ArmVault, who: ReferenceIdentity & { principalId: string }): VaultVerdict {
  const policies = objects(vault.properties?.accessPolicies);
  // Compound entries (objectId + applicationId) only apply when that application acts for the object.
  const mine = policies.filter((p) => (str(p.objectId) ?? '').toLowerCase() === who.principalId.toLowerCase() && !str(p.applicationId));
  const perms = new Set<string>();
  for (const p of mine) for (const s of Array.isArray(p.permissions?.secrets) ? p.permissions!.secrets : []) if (typeof s === 'string') perms.add(s.toLowerCase());
  const setPolicy = `az keyvault set-policy --name ${t.vault} --object-id ${who.principalId} --secret-permissions get list`;
  if (!perms.has('get') && !perms.has('all')) {
    return {
      status: 'fail',
      detail: mine.length
        ? `Access policy: ${who.label} has secrets [${[...perms].join(', ') || 'none'}], no get.`
        : `Access policy: no entry for ${who.label}.`,
      hint: `Add an access policy with secrets get for ${who.label} on vault ${t.vault}: ${setPolicy} (or move the vault to RBAC and grant Key Vault Secrets User).`,
    };
  }
  const extra = [...perms].filter((p) => !READ_ONLY_SECRET_PERMISSIONS.has(p));
  if (extra.length) {
    return {
      status: 'warning',
      detail: `Access policy: ${who.label} can read secrets but is over-privileged: secrets ${extra.join(', ')}.`,
      hint: `Reduce the access policy of ${who.label} on vault ${t.vault} to secrets get (and list): ${setPolicy} after removing the old entry (az keyvault delete-policy).`,
    };
  }
  return { status: 'pass', detail: `Access policy: secrets ${[...perms].join(', ')}` };
}

export function kvAppAccessCheck(c: PostureContext): Verdict {
  const p = prepare(c);
  if ('verdict' in p) return p.verdict;
  const who = keyVaultReferenceIdentity(c.site);
  if (who.missing) {
    return {
      status: 'fail',
      value: `References resolve with ${who.label}, but ${who.missing}`,
      hint: 'Fix the identity first (see APPSVC-KVREF-IDENTITY), then grant it Key Vault Secrets User on each vault.',
    };
  }
  if (!who.principalId || !GUID.test(who.principalId)) return unknown(`The app did not report the principal id of ${who.label}, so its access to the vaults cannot be looked up.`);
  const principal = { ...who, principalId: who.principalId };
  const verdicts = p.targets.map((t, i): VaultVerdict => {
    const v = vaultOf(c, t, i);
    if ('verdict' in v) return v.verdict;
    return v.vault.properties?.enableRbacAuthorization === true ? rbacAccess(c, t, v.vault, principal) : policyAccess(t, v.vault, principal);
  });
  return combine(p.targets, verdicts, {
    pass: (names) => `${capitalizeFirst(who.label)} can read secrets in ${names}`,
    fail: 'No secret read access on',
    warning: 'Over-privileged on',
    unknown: 'Could not verify access on',
  });
}

function capitalizeFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// KV-APP-REACHABILITY

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function inRule(ip: number, rule: string): boolean {
  const [addr, bits] = rule.split('/');
  const base = ipv4(addr);
  if (base === undefined) return false;
  const n = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return ((ip & mask) >>> 0) === ((base & mask) >>> 0);
}

function sameId(a: string, b: string): boolean {
  return normId(a) === normId(b);
}

function routeAll(site: ArmSite | undefined): boolean {
  const p = site?.properties ?? {};
  const o = isObject(p.outboundVnetRouting) ? p.outboundVnetRouting : {};
  return p.vnetRouteAllEnabled === true || o.allTraffic === true || o.applicationTraffic === true;
}

const REACH_HINT =
  "Integrate the app with a VNet (virtualNetworkSubnetId) and either add that subnet to the vault's virtual network rules (the subnet needs the Microsoft.KeyVault service endpoint) or reach the vault through a private endpoint whose private DNS zone (privatelink.vaultcore.azure.net) is linked to the app's VNet.";

function reach(c: PostureContext, vault: ArmVault): VaultVerdict {
  const p = vault.properties ?? {};
  const publicAccess = (str(p.publicNetworkAccess) ?? '').toLowerCase();
  const acl = isObject(p.networkAcls) ? p.networkAcls : {};
  const defaultAction = (str(acl.defaultAction) ?? 'Allow').toLowerCase();
  const disabled = publicAccess === 'disabled';
  if (!disabled && defaultAction !== 'deny') return { status: 'pass', detail: 'Open to public networks (the firewall allows all).' };

  const subnet = str(c.site?.properties?.virtualNetworkSubnetId) || undefined;
  const subnetName = subnet ? subnet.slice(subnet.lastIndexOf('/') + 1) : '';
  const privateEndpoints = objects(p.privateEndpointConnections).filter(
    (x) => (str(x.properties?.privateLinkServiceConnectionState?.status) ?? '').toLowerCase() === 'approved',
  );
  const linux = (str(c.site?.kind) ?? '').toLowerCase().includes('linux') || c.site?.properties?.reserved === true;
  const peWarning = (): VaultVerdict => ({
    status: 'warning',
    detail: `${disabled ? 'Public access disabled' : 'Firewall denies by default'}; the app is VNet-integrated (subnet ${subnetName}) and the vault has ${privateEndpoints.length} private endpoint${privateEndpoints.length === 1 ? '' : 's'}: cannot verify private endpoint routing (private DNS, VNet peering)${linux && !routeAll(c.site) ? '; route all traffic through the VNet is off' : ''}.`,
    hint: "Check that the app's VNet resolves the vault to the private endpoint (privatelink.vaultcore.azure.net linked to the VNet) and that the resolution status of the references is Resolved.",
  });

  if (disabled) {
    if (!subnet) return { status: 'fail', detail: 'Public access disabled (private endpoints only) and the app has no VNet integration.', hint: REACH_HINT };
    if (privateEndpoints.length) return peWarning();
    return { status: 'fail', detail: `Public access disabled and the vault has no approved private endpoint, so subnet ${subnetName} cannot reach it.`, hint: REACH_HINT };
  }

  const rules = objects(acl.virtualNetworkRules).map((r) => str(r.id) ?? '').filter(Boolean);
  if (subnet) {
    if (rules.some((r) => sameId(r, subnet))) return { status: 'pass', detail: `Firewall denies by default; the app's subnet ${subnetName} is in the vault's virtual network rules.` };
    if (privateEndpoints.length) return peWarning();
    return { status: 'fail', detail: `Firewall denies by default and the app's subnet ${subnetName} is not in the vault's virtual network rules (${rules.length} rule${rules.length === 1 ? '' : 's'}).`, hint: REACH_HINT };
  }

  // No VNet integration: only the firewall's IP rules can let the app's outbound addresses in.
  const ipRules = objects(acl.ipRules).map((r) => str(r.value) ?? '').filter(Boolean);
  const outbound = (str(c.site?.properties?.outboundIpAddresses) ?? '')
    .split(',')
    .map((s) => ipv4(s))
    .filter((x): x is number => x !== undefined);
  if (outbound.length && ipRules.length && outbound.every((ip) => ipRules.some((r) => inRule(ip, r)))) {
    return {
      status: 'warning',
      detail: "Firewall denies by default; the app gets in only through IP rules for its current outbound addresses, which change when the app moves to another scale unit or plan.",
      hint: REACH_HINT,
    };
  }
  return { status: 'fail', detail: 'Firewall denies by default and the app has no VNet integration.', hint: REACH_HINT };
}

export function kvAppReachabilityCheck(c: PostureContext): Verdict {
  const p = prepare(c);
  if ('verdict' in p) return p.verdict;
  const verdicts = p.targets.map((t, i): VaultVerdict => {
    const v = vaultOf(c, t, i);
    return 'verdict' in v ? v.verdict : reach(c, v.vault);
  });
  return combine(p.targets, verdicts, {
    pass: (names) => `App can reach ${names}`,
    fail: 'App cannot reach',
    warning: 'Cannot verify the network path to',
    unknown: 'Could not read the network rules of',
  });
}
