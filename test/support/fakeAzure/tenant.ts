// A synthetic tenant for sweep tests and the tenant benchmark: deterministic apps with varied posture over
// several subscriptions, deployment slots on every Nth app, and app settings that agree with their Key Vault
// reference status (configreferences lists exactly the settings that are references, as in Azure).

import { fakeSecret } from '../fakeSecrets';
import type { FakeAzure } from './server';

export interface TenantSpec {
  subscriptions: number;
  /** Sites (slots come on top). */
  sites: number;
  /** Every Nth site gets a 'staging' slot (0: none). */
  slotEvery?: number;
  /** Every Nth app holds a plain secret in its settings (0: none). */
  plainSecretEvery?: number;
  /** Every Nth app uses a Key Vault reference (0: none). */
  keyVaultEvery?: number;
  seed?: number;
}

export interface SeededTenant {
  subscriptions: string[];
  sites: string[];
  slots: string[];
}

export function tenantSubscriptionId(i: number): string {
  return `${(0x5e000000 + i).toString(16)}-0000-4000-8000-00000000${String(1000 + i).slice(-4)}`;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedTenant(fake: FakeAzure, spec: TenantSpec): SeededTenant {
  const r = rng(spec.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: SeededTenant = { subscriptions: [], sites: [], slots: [] };
  for (let s = 0; s < spec.subscriptions; s++) {
    const id = tenantSubscriptionId(s);
    out.subscriptions.push(id);
    fake.addSubscription({ subscriptionId: id, displayName: `tenant ${s}` });
    fake.setDefenderTier(id, s % 2 ? 'Free' : 'Standard');
  }
  let n = 0;
  const seedApp = (subscriptionId: string, resourceGroup: string, name: string, slot?: string): string => {
    n++;
    const settings: Record<string, string> = { WEBSITE_RUN_FROM_PACKAGE: '1' };
    const refs: Array<{ name: string; properties: Record<string, unknown> }> = [];
    if (spec.plainSecretEvery && n % spec.plainSecretEvery === 0) settings.STORAGE_KEY = fakeSecret('azure-storage-key', n);
    if (spec.keyVaultEvery && n % spec.keyVaultEvery === 0) {
      const reference = `@Microsoft.KeyVault(SecretUri=https://kv-tenant-${n % 3}.vault.azure.net/secrets/db/)`;
      settings.DB_PASSWORD = reference;
      refs.push({ name: 'DB_PASSWORD', properties: { reference, status: pick(['Resolved', 'AccessToKeyVaultDenied']), vaultName: `kv-tenant-${n % 3}`, secretName: 'db' } });
    }
    const restricted = r() < 0.3;
    return fake.addApp({
      subscriptionId,
      resourceGroup,
      name,
      ...(slot ? { slot } : {}),
      kind: pick(['app', 'app,linux', 'functionapp,linux']),
      siteProperties: { httpsOnly: r() < 0.7, ...(r() < 0.1 ? { publicNetworkAccess: 'Disabled' } : {}) },
      ...(r() < 0.5 ? { identity: { type: 'SystemAssigned', principalId: `00000000-0000-4000-8000-${String(100000000000 + n)}` } } : {}),
      config: {
        minTlsVersion: pick(['1.0', '1.1', '1.2', '1.3']),
        scmMinTlsVersion: pick(['1.0', '1.2']),
        ftpsState: pick(['AllAllowed', 'FtpsOnly', 'Disabled']),
        remoteDebuggingEnabled: r() < 0.1,
        http20Enabled: r() < 0.5,
        ipSecurityRestrictions: restricted ? [{ ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' }] : [],
        ipSecurityRestrictionsDefaultAction: restricted ? 'Deny' : 'Allow',
        scmIpSecurityRestrictionsUseMain: r() < 0.5,
        cors: { allowedOrigins: r() < 0.1 ? ['*'] : [], supportCredentials: false },
      },
      publishing: { ftp: r() < 0.5, scm: r() < 0.5 },
      authSettingsV2:
        r() < 0.3
          ? { platform: { enabled: true }, globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'RedirectToLoginPage' } }
          : { platform: { enabled: false } },
      appSettings: settings,
      configReferences: refs,
    }).id;
  };
  for (let i = 0; i < spec.sites; i++) {
    const sub = out.subscriptions[i % spec.subscriptions];
    const name = `app-${String(i).padStart(5, '0')}`;
    // A slot lives in its site's resource group.
    const group = `rg-${i % 7}`;
    out.sites.push(seedApp(sub, group, name));
    // Counted per subscription, so every subscription gets the same share of slots.
    if (spec.slotEvery && Math.floor(i / spec.subscriptions) % spec.slotEvery === 0) out.slots.push(seedApp(sub, group, name, 'staging'));
  }
  return out;
}
