// Azure clouds: Resource Manager endpoint, token scopes, Key Vault DNS suffix, portal URL.

import { KEY_VAULT_DNS_SUFFIXES } from '../core/references/keyVault';

export type AzureCloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment' | 'Custom';

export interface AzureCloud {
  name: AzureCloudName;
  /** Resource Manager endpoint, no trailing slash. */
  armEndpoint: string;
  /** Token scope for Resource Manager. */
  armScope: string;
  /** Key Vault DNS suffix (a vault host is `<vault>.<suffix>`). */
  keyVaultSuffix: (typeof KEY_VAULT_DNS_SUFFIXES)[number];
  /** Token scope for the Key Vault data plane. */
  keyVaultScope: string;
  portalUrl: string;
}

const cloud = (name: AzureCloudName, armEndpoint: string, keyVaultSuffix: AzureCloud['keyVaultSuffix'], portalUrl: string): AzureCloud =>
  Object.freeze({ name, armEndpoint, armScope: `${armEndpoint}/.default`, keyVaultSuffix, keyVaultScope: `https://${keyVaultSuffix}/.default`, portalUrl });

export const AZURE_CLOUDS: Readonly<Record<Exclude<AzureCloudName, 'Custom'>, AzureCloud>> = Object.freeze({
  AzureCloud: cloud('AzureCloud', 'https://management.azure.com', 'vault.azure.net', 'https://portal.azure.com'),
  AzureChinaCloud: cloud('AzureChinaCloud', 'https://management.chinacloudapi.cn', 'vault.azure.cn', 'https://portal.azure.cn'),
  AzureUSGovernment: cloud('AzureUSGovernment', 'https://management.usgovcloudapi.net', 'vault.usgovcloudapi.net', 'https://portal.azure.us'),
});

/** The cloud by name, or the object itself; defaults to the public cloud. */
export function resolveCloud(c: AzureCloud | Exclude<AzureCloudName, 'Custom'> | undefined): AzureCloud {
  if (!c) return AZURE_CLOUDS.AzureCloud;
  if (typeof c === 'string') {
    const found = AZURE_CLOUDS[c];
    if (!found) throw new Error(`Unknown Azure cloud '${String(c)}' (expected AzureCloud, AzureChinaCloud or AzureUSGovernment).`);
    return found;
  }
  return c;
}

/**
 * A custom cloud (Azure Stack, or a test endpoint): its own ARM endpoint (https only), with the Key Vault suffix,
 * scopes and portal of `base` unless given.
 */
export function customCloud(options: {
  armEndpoint: string;
  armScope?: string;
  base?: Exclude<AzureCloudName, 'Custom'>;
  portalUrl?: string;
}): AzureCloud {
  const u = new URL(options.armEndpoint);
  if (u.protocol !== 'https:') throw new Error(`The Resource Manager endpoint must use https: ${u.origin}`);
  const base = AZURE_CLOUDS[options.base ?? 'AzureCloud'];
  const armEndpoint = u.origin;
  return Object.freeze({
    ...base,
    name: 'Custom' as const,
    armEndpoint,
    armScope: options.armScope ?? base.armScope,
    portalUrl: options.portalUrl ?? base.portalUrl,
  });
}
