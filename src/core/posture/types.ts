// Live posture of one App Service app or slot: what the Resource Manager reads return (input) and the
// checks the posture view shows (output). Pure data; no editor, no Azure SDK, no Node built-ins.

/** The outcome of one Resource Manager read: the raw JSON body, or why it could not be read. */
export type SourceResult<T = unknown> =
  | { ok: true; body: T }
  | {
      ok: false;
      /** HTTP status when the service answered (403, 404, 429, 500 ...); undefined for network errors. */
      status?: number;
      /** ARM error code (`AuthorizationFailed`, `ResourceNotFound`, ...). */
      code?: string;
      message: string;
    };

/** The Resource Manager reads the posture checks consume (see docs/design azure-apis.md section 2). */
export type PostureSourceName =
  | 'site'
  | 'web'
  | 'appSettings'
  | 'authSettingsV2'
  | 'ftpPolicy'
  | 'scmPolicy'
  | 'configReferences'
  | 'defenderPricing'
  | 'vaults'
  | 'roleAssignments';

// Loose shapes of the bodies: every member optional, because real responses leave many of them null or absent.
// The evaluator reads them defensively and never trusts a type.

export interface ManagedServiceIdentity {
  type?: string | null;
  principalId?: string | null;
  tenantId?: string | null;
  userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string } | null> | null;
}

/** `GET {site}` (or `{site}/slots/{slot}`). */
export interface ArmSite {
  id?: string;
  name?: string;
  type?: string;
  kind?: string;
  identity?: ManagedServiceIdentity | null;
  properties?: {
    httpsOnly?: boolean | null;
    publicNetworkAccess?: string | null;
    keyVaultReferenceIdentity?: string | null;
    hostingEnvironmentProfile?: { id?: string | null } | null;
    reserved?: boolean | null;
    [key: string]: unknown;
  } | null;
}

export interface IpSecurityRestriction {
  ipAddress?: string | null;
  tag?: string | null;
  vnetSubnetResourceId?: string | null;
  action?: string | null;
  priority?: number | null;
  name?: string | null;
  headers?: Record<string, string[]> | null;
}

/** `GET {site}/config/web`. */
export interface ArmSiteConfig {
  id?: string;
  properties?: {
    minTlsVersion?: string | null;
    scmMinTlsVersion?: string | null;
    ftpsState?: string | null;
    remoteDebuggingEnabled?: boolean | null;
    remoteDebuggingVersion?: string | null;
    http20Enabled?: boolean | null;
    ipSecurityRestrictions?: IpSecurityRestriction[] | null;
    ipSecurityRestrictionsDefaultAction?: string | null;
    scmIpSecurityRestrictions?: IpSecurityRestriction[] | null;
    scmIpSecurityRestrictionsDefaultAction?: string | null;
    scmIpSecurityRestrictionsUseMain?: boolean | null;
    cors?: { allowedOrigins?: string[] | null; supportCredentials?: boolean | null } | null;
    [key: string]: unknown;
  } | null;
}

/** `POST {site}/config/appsettings/list`: the response body; `properties` maps names to values (secrets in clear). */
export interface ArmAppSettings {
  id?: string;
  properties?: Record<string, string | null> | null;
}

/** `GET {site}/config/authsettingsV2` (the variant without secrets). */
export interface ArmAuthSettingsV2 {
  properties?: {
    platform?: { enabled?: boolean | null } | null;
    globalValidation?: { requireAuthentication?: boolean | null; unauthenticatedClientAction?: string | null; redirectToProvider?: string | null } | null;
    identityProviders?: Record<string, { enabled?: boolean | null } | null> | null;
  } | null;
}

/** `GET {site}/basicPublishingCredentialsPolicies/{ftp|scm}`. */
export interface ArmPublishingPolicy {
  id?: string;
  name?: string;
  properties?: { allow?: boolean | null } | null;
}

/** Key Vault reference statuses of `config/configreferences/appsettings` (API model enum). */
export type ConfigReferenceStatus =
  | 'Initialized'
  | 'Resolved'
  | 'InvalidSyntax'
  | 'MSINotEnabled'
  | 'VaultNotFound'
  | 'SecretNotFound'
  | 'SecretVersionNotFound'
  | 'AccessToKeyVaultDenied'
  | 'OtherReasons'
  | 'FetchTimedOut'
  | 'UnauthorizedClient';

/** `GET {site}/config/configreferences/appsettings`. */
export interface ArmConfigReferences {
  value?: {
    id?: string;
    name?: string;
    properties?: {
      reference?: string | null;
      status?: string | null;
      details?: string | null;
      vaultName?: string | null;
      secretName?: string | null;
      secretVersion?: string | null;
      identityType?: unknown;
      source?: string | null;
      activeVersion?: string | null;
    } | null;
  }[] | null;
}

/** `GET /subscriptions/{s}/providers/Microsoft.Security/pricings/AppServices`. */
export interface ArmDefenderPricing {
  id?: string;
  properties?: { pricingTier?: string | null; subPlan?: string | null } | null;
}

/** `GET /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{v}` (api-version 2024-11-01). */
export interface ArmVault {
  id?: string;
  name?: string;
  properties?: {
    tenantId?: string | null;
    vaultUri?: string | null;
    enableRbacAuthorization?: boolean | null;
    publicNetworkAccess?: string | null;
    networkAcls?: {
      bypass?: string | null;
      defaultAction?: string | null;
      ipRules?: { value?: string | null }[] | null;
      virtualNetworkRules?: { id?: string | null; ignoreMissingVnetServiceEndpoint?: boolean | null }[] | null;
    } | null;
    accessPolicies?: {
      tenantId?: string | null;
      objectId?: string | null;
      applicationId?: string | null;
      permissions?: { secrets?: string[] | null; keys?: string[] | null; certificates?: string[] | null } | null;
    }[] | null;
    privateEndpointConnections?: { id?: string | null; properties?: { privateLinkServiceConnectionState?: { status?: string | null } | null } | null }[] | null;
    [key: string]: unknown;
  } | null;
}

/** One entry of `GET {scope}/providers/Microsoft.Authorization/roleAssignments` (api-version 2022-04-01). */
export interface ArmRoleAssignment {
  id?: string;
  name?: string;
  properties?: {
    roleDefinitionId?: string | null;
    principalId?: string | null;
    principalType?: string | null;
    scope?: string | null;
    condition?: string | null;
  } | null;
}

/** The role assignments list, as the reader hands it over (all pages joined). */
export interface ArmRoleAssignmentList {
  value?: ArmRoleAssignment[] | null;
}

/**
 * Everything read for one app or slot. A missing member means "not read" (reported as unknown, never as a pass);
 * a failed read carries the status so the check can say which permission is missing.
 */
export interface PostureInput {
  site?: SourceResult<ArmSite>;
  web?: SourceResult<ArmSiteConfig>;
  appSettings?: SourceResult<ArmAppSettings>;
  authSettingsV2?: SourceResult<ArmAuthSettingsV2>;
  ftpPolicy?: SourceResult<ArmPublishingPolicy>;
  scmPolicy?: SourceResult<ArmPublishingPolicy>;
  configReferences?: SourceResult<ArmConfigReferences>;
  /** Subscription-level: the same result may be passed for every app of the subscription. */
  defenderPricing?: SourceResult<ArmDefenderPricing>;
  /**
   * The Key Vaults the app's Key Vault references point at, keyed by vault name in lower case. A vault the
   * reader looked for but could not read (not found by Resource Graph, 403) carries the failure.
   */
  vaults?: Record<string, SourceResult<ArmVault>>;
  /**
   * Role assignments of the identity that resolves the references, listed at each RBAC vault's scope with
   * `$filter=assignedTo('{principalId}')`, keyed by vault name in lower case. Absent for access-policy vaults.
   */
  roleAssignments?: Record<string, SourceResult<ArmRoleAssignmentList>>;
}

export type PostureCategory = 'Transport' | 'Identity' | 'Network' | 'Secrets' | 'Monitoring';
export const POSTURE_CATEGORIES: readonly PostureCategory[] = ['Transport', 'Identity', 'Network', 'Secrets', 'Monitoring'];

/**
 * pass: compliant. fail: non-compliant (high/medium rules). warning: non-compliant but low severity or often
 * intended (HTTP/2 off, a deliberately public app). unknown: the value could not be read or was not reported.
 */
export type PostureStatus = 'pass' | 'fail' | 'warning' | 'unknown';

export type PostureFixKind = 'patch-site' | 'patch-web' | 'put-policy' | 'put-appsettings' | 'put-defender';

/** An exact Resource Manager write that fixes a check. */
export interface PostureFix {
  kind: PostureFixKind;
  method: 'PATCH' | 'PUT';
  /**
   * Where to send it: 'site' = appended to the app's (or slot's) resource id; 'subscription' = appended to
   * `/subscriptions/{id}` (Defender plans).
   */
  scope: 'site' | 'subscription';
  /** '' (the site itself), '/config/web', '/basicPublishingCredentialsPolicies/ftp', '/config/appsettings', '/providers/Microsoft.Security/pricings/AppServices'. */
  pathSuffix: string;
  apiVersion: string;
  /**
   * The exact JSON to send. For `put-appsettings` it is undefined: the body is the whole current set, which
   * holds secrets; build it at apply time with `buildAppSettingsBody` from a fresh `appsettings/list` read.
   */
  body?: unknown;
  /** Property path changed, e.g. 'properties.minTlsVersion', 'identity', 'properties.allow'. */
  property: string;
  /** Current and new value (never a setting value: for settings these are the setting names). */
  oldValue: unknown;
  newValue: unknown;
  /** One line for the confirmation dialog. */
  summary: string;
  /** Side effects the user must confirm (restart, broken CI, cost, app becomes unreachable). */
  caution?: string;
  /** put-appsettings only: read the set, replace these settings' values with the given Key Vault reference templates, PUT it all back. */
  readModifyWrite?: {
    read: { method: 'POST'; pathSuffix: string };
    /** Setting name -> new value template; `{vaultUri}` is the chosen vault's URI (ends with '/'). */
    set: Record<string, string>;
    /** Setting name -> Key Vault secret name to create first (sanitised: letters, digits, dashes). */
    secretNames: Record<string, string>;
  };
  /** The same change for infrastructure as code ("copy the fix as Bicep/Terraform"). */
  bicep: string;
  terraform: string;
}

/** One row of a multi-item check (a setting, a Key Vault reference). Names only, never values. */
export interface PostureItem {
  name: string;
  status: PostureStatus;
  detail: string;
}

export interface PostureCheck {
  ruleId: string;
  title: string;
  category: PostureCategory;
  status: PostureStatus;
  /** Short display string of the current value; for settings, names only. */
  value: string;
  /** One sentence: why this matters. */
  why: string;
  /** Set when status is 'unknown': what could not be read and what would let us read it. */
  unknownReason?: string;
  /** What to do when no deterministic fix exists (or in addition to it). */
  hint?: string;
  /** Which reads the check used. */
  sources: PostureSourceName[];
  /** 'subscription' for checks that are the same for every app of a subscription (show once). */
  scope: 'site' | 'subscription';
  items?: PostureItem[];
  fix?: PostureFix;
}

export interface PostureReport {
  /** The app's or slot's resource id, when the site read returned one. */
  resourceId?: string;
  name?: string;
  kind?: string;
  isSlot: boolean;
  checks: PostureCheck[];
  /** Counts by status. */
  counts: Record<PostureStatus, number>;
}

export interface PostureSummary {
  reports: number;
  /** Failing checks over all reports (the view badge); subscription-scoped checks counted once per subscription. */
  failing: number;
  warnings: number;
  unknown: number;
  passing: number;
  /** Failing check count per rule id. */
  byRule: Record<string, number>;
  /** Reports with at least one failing check. */
  failingResources: number;
}

/** How a live check shows in the posture view (the rule module that owns the check declares it). */
export interface PostureCheckMeta {
  ruleId: string;
  category: PostureCategory;
  /** Neutral label for a tree row ("Minimum TLS version"), whatever the status. */
  label: string;
  /** One sentence shown as "why". */
  why: string;
  sources: PostureSourceName[];
  scope: 'site' | 'subscription';
}
