// Reads what the posture checks need for one app or slot from Resource Manager, each read on its own, so
// a 403 on app settings (Reader role) leaves the other checks working. Used by the posture view and the CLI.
import type { PostureInput, SourceResult } from '../core/posture';
import type { ArmClient, CallOptions } from './arm';
import { describeAzureError, errorDetails } from './errors';

const WEB_API = '2025-03-01';

async function read<T>(what: () => Promise<unknown>): Promise<SourceResult<T>> {
  try {
    return { ok: true, body: (await what()) as T };
  } catch (e) {
    const d = errorDetails(e);
    return { ok: false, status: d.status, code: d.code, message: describeAzureError(e).message };
  }
}

/**
 * All posture sources of one site (or slot) id. `defender` caches the subscription-level read, so 200 apps
 * of one subscription cost one pricing call.
 */
export async function readPostureInput(arm: ArmClient, siteId: string, defender: Map<string, Promise<SourceResult>>, o: CallOptions = {}): Promise<PostureInput> {
  const subscription = /^\/subscriptions\/([^/]+)\//i.exec(siteId)?.[1] ?? '';
  let pricing = defender.get(subscription.toLowerCase());
  if (!pricing) {
    pricing = read(() => arm.getDefenderPricing(subscription, 'AppServices', o));
    defender.set(subscription.toLowerCase(), pricing);
  }
  const [site, web, appSettings, authSettingsV2, ftpPolicy, scmPolicy, configReferences, defenderPricing] = await Promise.all([
    read(() => arm.getSite(siteId, o)),
    read(() => arm.getSiteConfig(siteId, o)),
    read(() => arm.listAppSettings(siteId, o)),
    read(() => arm.request('GET', `${siteId}/config/authsettingsV2`, { apiVersion: WEB_API, abortSignal: o.abortSignal })),
    read(() => arm.getPublishingPolicy(siteId, 'ftp', o)),
    read(() => arm.getPublishingPolicy(siteId, 'scm', o)),
    read(async () => ({ value: await arm.getConfigReferences(siteId, o) })),
    pricing,
  ]);
  return { site, web, appSettings, authSettingsV2, ftpPolicy, scmPolicy, configReferences, defenderPricing } as PostureInput;
}
