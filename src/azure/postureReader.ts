// Reads what the posture checks need for one app or slot from Resource Manager, each read on its own, so
// a 403 on app settings (Reader role) leaves the other checks working. Used by the posture view and the CLI.
import {
  keyVaultReferenceIdentity,
  keyVaultReferenceTargets,
  MAX_VAULTS_PER_APP,
  type ArmRoleAssignmentList,
  type ArmSite,
  type ArmVault,
  type PostureInput,
  type SourceResult,
} from '../core/posture';
import { ARM_API_VERSIONS, type ArmClient, type CallOptions, type VaultSummary } from './arm';
import { describeAzureError, errorDetails } from './errors';
import { TimeBudgetError } from './scheduler';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One read as a SourceResult: the body, or why it failed in our words (a read the time budget skipped says so). */
export async function read<T>(what: () => Promise<unknown>): Promise<SourceResult<T>> {
  try {
    return { ok: true, body: (await what()) as T };
  } catch (e) {
    if (e instanceof TimeBudgetError) return { ok: false, code: 'TimeBudgetExhausted', message: e.message };
    const d = errorDetails(e);
    return { ok: false, status: d.status, code: d.code, message: describeAzureError(e).message };
  }
}

type Cache = Map<string, Promise<SourceResult>>;

/**
 * Per-run caches that ride on the caller's `defender` map (a new map = a new run), so callers keep passing one
 * map: the Key Vault inventory of a subscription is one Resource Graph query however many apps use it.
 */
const vaultIndexes = new WeakMap<Cache, Map<string, Promise<SourceResult<VaultSummary[]>>>>();

function vaultIndex(arm: ArmClient, subscription: string, run: Cache, o: CallOptions): Promise<SourceResult<VaultSummary[]>> {
  let perRun = vaultIndexes.get(run);
  if (!perRun) {
    perRun = new Map();
    vaultIndexes.set(run, perRun);
  }
  const key = subscription.toLowerCase();
  let index = perRun.get(key);
  if (!index) {
    index = read<VaultSummary[]>(() => arm.listVaults([subscription], o));
    perRun.set(key, index);
  }
  return index;
}

/**
 * The vaults the app's Key Vault references use (at most MAX_VAULTS_PER_APP), each: resolve its id through
 * Resource Graph over the app's subscription, GET it, and for an RBAC vault list the role assignments of the
 * reference identity at its scope. Failures stay per vault.
 */
export async function readVaults(arm: ArmClient, subscription: string, input: PostureInput, run: Cache, o: CallOptions): Promise<Pick<PostureInput, 'vaults' | 'roleAssignments'>> {
  const targets = keyVaultReferenceTargets(input);
  if (!targets?.length || !input.site?.ok) return {};
  const who = keyVaultReferenceIdentity(input.site.body as ArmSite);
  const index = await vaultIndex(arm, subscription, run, o);
  const vaults: Record<string, SourceResult<ArmVault>> = {};
  const roleAssignments: Record<string, SourceResult<ArmRoleAssignmentList>> = {};
  await Promise.all(
    targets.slice(0, MAX_VAULTS_PER_APP).map(async (t) => {
      const key = t.vault.toLowerCase();
      if (!index.ok) {
        vaults[key] = { ...index, message: `Resource Graph could not list the key vaults of the subscription: ${index.message}` };
        return;
      }
      const found = index.body.find((v) => v.name.toLowerCase() === key);
      if (!found) {
        vaults[key] = {
          ok: false,
          status: 404,
          code: 'VaultNotFound',
          message: `Resource Graph finds no key vault '${t.vault}' you can read in subscription ${subscription}; it may be in another subscription, deleted, or hidden from your role.`,
        };
        return;
      }
      const vault = await read<ArmVault>(() => arm.getVault(found.id, o));
      vaults[key] = vault;
      if (!vault.ok || vault.body?.properties?.enableRbacAuthorization !== true) return;
      if (!who.principalId || !GUID.test(who.principalId)) return;
      const filter = encodeURIComponent(`assignedTo('${who.principalId}')`);
      roleAssignments[key] = await read<ArmRoleAssignmentList>(async () => ({
        value: await arm.listAll(`${found.id}/providers/Microsoft.Authorization/roleAssignments?$filter=${filter}`, ARM_API_VERSIONS.authorization, o),
      }));
    }),
  );
  return { vaults, roleAssignments };
}

/** The Defender for App Service plan of a subscription, read once per run (`run` is the caller's per-run map). */
export function subscriptionPricing(arm: ArmClient, subscription: string, run: Cache, o: CallOptions = {}): Promise<SourceResult> {
  let pricing = run.get(subscription.toLowerCase());
  if (!pricing) {
    pricing = read(() => arm.getDefenderPricing(subscription, 'AppServices', o));
    run.set(subscription.toLowerCase(), pricing);
  }
  return pricing;
}

/**
 * All posture sources of one site (or slot) id. `defender` caches the subscription-level reads, so 200 apps
 * of one subscription cost one pricing call (and one Resource Graph query for the key vaults).
 */
export async function readPostureInput(arm: ArmClient, siteId: string, defender: Map<string, Promise<SourceResult>>, o: CallOptions = {}): Promise<PostureInput> {
  const subscription = /^\/subscriptions\/([^/]+)\//i.exec(siteId)?.[1] ?? '';
  const pricing = subscriptionPricing(arm, subscription, defender, o);
  const [site, web, appSettings, authSettingsV2, ftpPolicy, scmPolicy, configReferences, defenderPricing] = await Promise.all([
    read(() => arm.getSite(siteId, o)),
    read(() => arm.getSiteConfig(siteId, o)),
    read(() => arm.listAppSettings(siteId, o)),
    read(() => arm.request('GET', `${siteId}/config/authsettingsV2`, { apiVersion: ARM_API_VERSIONS.web, abortSignal: o.abortSignal })),
    read(() => arm.getPublishingPolicy(siteId, 'ftp', o)),
    read(() => arm.getPublishingPolicy(siteId, 'scm', o)),
    read(async () => ({ value: await arm.getConfigReferences(siteId, o) })),
    pricing,
  ]);
  const input = { site, web, appSettings, authSettingsV2, ftpPolicy, scmPolicy, configReferences, defenderPricing } as PostureInput;
  return { ...input, ...(await readVaults(arm, subscription, input, defender, o)) };
}
