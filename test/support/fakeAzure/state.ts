// In-memory state of the fake Azure: subscriptions, App Service apps (and slots), Key Vaults (ARM resource + data
// plane secrets), Defender pricing and role assignments. Seeded by tests, read back by tests. Secret values live
// here (the fake is a vault) but never reach the request log.

import getWebApp from '../../fixtures/arm/GetWebApp.json';
import getSiteConfig from '../../fixtures/arm/GetSiteConfig.json';
import listAppSettings from '../../fixtures/arm/ListAppSettings.json';
import getAuthSettingsV2 from '../../fixtures/arm/GetAuthSettingsV2WithoutSecrets.json';
import getConfigReferences from '../../fixtures/arm/GetKeyVaultReferencesForAppSettings.json';

/** Loosely typed JSON object (the fake mirrors ARM bodies, it does not model them). */
export type Json = Record<string, unknown>;

export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';

export const VAULT_SUFFIX: Record<CloudName, string> = {
  AzureCloud: 'vault.azure.net',
  AzureChinaCloud: 'vault.azure.cn',
  AzureUSGovernment: 'vault.usgovcloudapi.net',
};

export const LOGIN_AUTHORITY: Record<CloudName, string> = {
  AzureCloud: 'https://login.microsoftonline.com',
  AzureChinaCloud: 'https://login.chinacloudapi.cn',
  AzureUSGovernment: 'https://login.microsoftonline.us',
};

export const DEFAULT_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface FakeSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state: string;
}

export interface FakeApp {
  /** Resource id as seeded (original casing). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  /** Site name (for a slot: the parent site's name). */
  name: string;
  /** Slot name, when this entry is a deployment slot. */
  slot?: string;
  /** Full GET-site body (id, name, type, kind, location, identity, properties). */
  site: Json;
  /** Full GET config/web body. */
  config: Json;
  /** App settings name → value (secrets in clear, like the real API). */
  appSettings: Record<string, string>;
  /** Connection strings name → { value, type }. */
  connectionStrings: Record<string, { value: string; type: string }>;
  /** Full GET config/authsettingsV2 body (without secrets). */
  authSettingsV2: Json;
  /** basicPublishingCredentialsPolicies: allow flag per endpoint. */
  publishing: { ftp: boolean; scm: boolean };
  /** configreferences/appsettings entries: { name, properties }. */
  configReferences: Array<{ name: string; properties: Json }>;
}

export interface AppSeed {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  slot?: string;
  kind?: string;
  location?: string;
  /** Merged into the site body's `properties` (fixture GetWebApp.json otherwise). */
  siteProperties?: Json;
  identity?: Json;
  /** Merged into config/web `properties` (fixture GetSiteConfig.json otherwise). */
  config?: Json;
  /** Replaces the app settings (fixture ListAppSettings.json otherwise). */
  appSettings?: Record<string, string>;
  connectionStrings?: Record<string, { value: string; type: string }>;
  /** Replaces authsettingsV2 `properties` (fixture otherwise). */
  authSettingsV2?: Json;
  publishing?: { ftp?: boolean; scm?: boolean };
  /** Replaces the configreferences (fixture otherwise). */
  configReferences?: Array<{ name: string; properties: Json }>;
}

export interface FakeSecretVersion {
  name: string;
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: Json;
}

export interface FakeDeletedSecret {
  versions: FakeSecretVersion[];
  deletedDate: number;
  scheduledPurgeDate: number;
}

export interface FakeVault {
  name: string;
  host: string;
  cloud: CloudName;
  tenantId: string;
  /** ARM resource id and body (GET Microsoft.KeyVault/vaults/{v}). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  resource: Json;
  /** lower-case secret name → versions, oldest first. */
  secrets: Map<string, FakeSecretVersion[]>;
  /** lower-case secret name → soft-deleted secret. */
  deleted: Map<string, FakeDeletedSecret>;
}

export interface SecretSeed {
  name: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
}

export interface VaultSeed {
  name: string;
  cloud?: CloudName;
  subscriptionId?: string;
  resourceGroup?: string;
  tenantId?: string;
  location?: string;
  /** Merged into the ARM vault `properties`. */
  properties?: Json;
  secrets?: SecretSeed[];
  deletedSecrets?: SecretSeed[];
}

export interface FakeRoleAssignment {
  id: string;
  scope: string;
  body: Json;
}

const clone = <T>(v: T): T => structuredClone(v);

export function siteId(s: { subscriptionId: string; resourceGroup: string; name: string; slot?: string }): string {
  const base = `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Web/sites/${s.name}`;
  return s.slot ? `${base}/slots/${s.slot}` : base;
}

/** Build an app from the verbatim spec fixtures, re-targeted to the seed's subscription / group / name. */
export function buildApp(seed: AppSeed): FakeApp {
  const id = siteId(seed);
  const fullName = seed.slot ? `${seed.name}/${seed.slot}` : seed.name;
  const host = seed.slot ? `${seed.name}-${seed.slot}` : seed.name;
  const site = clone(getWebApp.responses['200'].body) as Json;
  const props = site.properties as Json;
  site.id = id;
  site.name = fullName;
  site.type = seed.slot ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites';
  site.kind = seed.kind ?? 'app';
  site.location = seed.location ?? 'East US';
  if (seed.identity) site.identity = clone(seed.identity);
  props.resourceGroup = seed.resourceGroup;
  props.repositorySiteName = seed.name;
  props.hostNames = [`${host}.azurewebsites.net`];
  props.enabledHostNames = [`${host}.azurewebsites.net`, `${host}.scm.azurewebsites.net`];
  props.defaultHostName = `${host}.azurewebsites.net`;
  props.hostNameSslStates = [
    { name: `${host}.azurewebsites.net`, sslState: 'Disabled', hostType: 'Standard' },
    { name: `${host}.scm.azurewebsites.net`, sslState: 'Disabled', hostType: 'Repository' },
  ];
  props.serverFarmId = `/subscriptions/${seed.subscriptionId}/resourceGroups/${seed.resourceGroup}/providers/Microsoft.Web/serverfarms/DefaultAsp`;
  Object.assign(props, clone(seed.siteProperties ?? {}));

  const config = clone(getSiteConfig.responses['200'].body) as Json;
  config.id = `${id}/config/web`;
  Object.assign(config.properties as Json, clone(seed.config ?? {}));

  const auth = clone(getAuthSettingsV2.responses['200'].body) as Json;
  auth.id = `${id}/config/authsettingsv2`;
  if (seed.authSettingsV2) auth.properties = clone(seed.authSettingsV2);

  const refs =
    seed.configReferences ??
    getConfigReferences.responses['200'].body.value.map((r) => ({ name: r.id.slice(r.id.lastIndexOf('/') + 1), properties: clone(r.properties) as Json }));

  return {
    id,
    subscriptionId: seed.subscriptionId,
    resourceGroup: seed.resourceGroup,
    name: seed.name,
    ...(seed.slot ? { slot: seed.slot } : {}),
    site,
    config,
    appSettings: clone(seed.appSettings ?? (listAppSettings.responses['200'].body.properties as Record<string, string>)),
    connectionStrings: clone(seed.connectionStrings ?? {}),
    authSettingsV2: auth,
    publishing: { ftp: seed.publishing?.ftp ?? true, scm: seed.publishing?.scm ?? true },
    configReferences: clone(refs),
  };
}

export function buildVault(seed: VaultSeed): FakeVault {
  const cloud = seed.cloud ?? 'AzureCloud';
  const host = `${seed.name.toLowerCase()}.${VAULT_SUFFIX[cloud]}`;
  const subscriptionId = seed.subscriptionId ?? '00000000-0000-0000-0000-000000000001';
  const resourceGroup = seed.resourceGroup ?? 'rg-vaults';
  const tenantId = seed.tenantId ?? DEFAULT_TENANT;
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${seed.name}`;
  const resource: Json = {
    id,
    name: seed.name,
    type: 'Microsoft.KeyVault/vaults',
    location: seed.location ?? 'eastus',
    tags: {},
    properties: {
      tenantId,
      sku: { family: 'A', name: 'standard' },
      accessPolicies: [],
      vaultUri: `https://${host}/`,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: true,
      enablePurgeProtection: false,
      publicNetworkAccess: 'Enabled',
      networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      provisioningState: 'Succeeded',
      ...clone(seed.properties ?? {}),
    },
  };
  return {
    name: seed.name,
    host,
    cloud,
    tenantId,
    id,
    subscriptionId,
    resourceGroup,
    resource,
    secrets: new Map(),
    deleted: new Map(),
  };
}
