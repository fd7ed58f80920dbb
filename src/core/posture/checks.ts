// Metadata of the live posture checks. Rules the editor also has keep their editor metadata (getRule);
// posture-only rules (no IaC counterpart in the editor) are described here with the same RuleMeta shape.

import { API_VERSIONS } from '../vocabulary/azure';
import type { RuleMeta } from '../model';
import { getRule } from '../rules';
import type { PostureCategory, PostureSourceName } from './types';

/** Rules only the live posture view reports (ids from the posture rule catalog). */
export const postureOnlyRules: readonly RuleMeta[] = [
  {
    id: 'APPSVC-AUTH-ENABLED',
    title: 'App Service Authentication not enforced',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'App Service Authentication (Easy Auth) is off or lets anonymous requests through, so the app relies entirely on its own code to check who is calling; turn it on and require authentication.',
  },
  {
    id: 'APPSVC-KVREF-UNRESOLVED',
    title: 'Key Vault reference does not resolve',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'An app setting refers to Key Vault but the platform cannot resolve it, so the app receives the literal @Microsoft.KeyVault(...) text instead of the secret; fix the identity, access or reference.',
  },
  {
    id: 'APPSVC-KVREF-IDENTITY',
    title: 'Key Vault reference identity not assigned',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'keyVaultReferenceIdentity names an identity the app does not have (SystemAssigned without a system identity, or a user-assigned identity that is not assigned), so Key Vault references cannot resolve.',
  },
  {
    id: 'KV-APP-ACCESS',
    title: 'App identity cannot read its Key Vault secrets (or is over-privileged)',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      "The identity that resolves the app's Key Vault references has no Key Vault Secrets User role (RBAC vault) or no access policy with secrets get (access-policy vault), so the references fail; or it holds more than read access (Secrets Officer, Administrator, all or purge).",
  },
  {
    id: 'KV-APP-REACHABILITY',
    title: 'App cannot reach its network-restricted Key Vault',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      "A vault the app's Key Vault references use denies public traffic, and the app has no VNet integration into a subnet the vault allows, so the references fail with a network error.",
  },
  {
    id: 'DEFENDER-APPSERVICE',
    title: 'Defender for App Service off',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'The subscription does not have the Microsoft Defender for App Service plan, so attacks on the apps (dangling DNS, web shells, suspicious Kudu use) raise no alerts; enable the Standard tier.',
  },
];

const postureOnlyById = new Map(postureOnlyRules.map((r) => [r.id, r]));

/** Editor metadata when the editor has the rule, else the posture-only metadata. */
export function postureRule(id: string): RuleMeta | undefined {
  return getRule(id) ?? postureOnlyById.get(id);
}

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

/** The checks in display order (Top 12 of the catalog first within each category). */
export const postureChecks: readonly PostureCheckMeta[] = [
  // Transport
  { ruleId: 'APPSVC-HTTPS-ONLY', category: 'Transport', label: 'HTTPS only', why: 'Without HTTPS-only the app answers plain HTTP, so requests, cookies and tokens can be read or changed on the way.', sources: ['site'], scope: 'site' },
  { ruleId: 'APPSVC-MIN-TLS', category: 'Transport', label: 'Minimum TLS version', why: 'TLS 1.0 and 1.1 have known weaknesses and are deprecated; clients should be held to TLS 1.2 or later.', sources: ['web'], scope: 'site' },
  { ruleId: 'APPSVC-SCM-MIN-TLS', category: 'Transport', label: 'SCM (Kudu) minimum TLS version', why: 'The SCM site takes deployments and exposes the file system, so it deserves at least the TLS floor of the app itself.', sources: ['web'], scope: 'site' },
  { ruleId: 'APPSVC-FTPS', category: 'Transport', label: 'FTP state', why: 'Plain FTP sends the deployment credentials and files unencrypted; allow FTPS only, or turn FTP off.', sources: ['web'], scope: 'site' },
  { ruleId: 'APPSVC-HTTP2', category: 'Transport', label: 'HTTP/2', why: 'HTTP/2 requires modern TLS and improves performance; Azure Policy audits apps that leave it off.', sources: ['web'], scope: 'site' },
  // Identity
  { ruleId: 'APPSVC-BASIC-AUTH-SCM', category: 'Identity', label: 'SCM/WebDeploy basic authentication', why: 'Publishing-profile user names and passwords bypass Entra ID, MFA and RBAC; anyone holding them can deploy code.', sources: ['scmPolicy'], scope: 'site' },
  { ruleId: 'APPSVC-BASIC-AUTH-FTP', category: 'Identity', label: 'FTP basic authentication', why: 'FTP publishing credentials bypass Entra ID, MFA and RBAC and give write access to the app files.', sources: ['ftpPolicy'], scope: 'site' },
  { ruleId: 'APPSVC-AUTH-ENABLED', category: 'Identity', label: 'App Service Authentication', why: 'With platform authentication enforced, unauthenticated requests never reach the app code.', sources: ['authSettingsV2', 'site'], scope: 'site' },
  { ruleId: 'APPSVC-MANAGED-IDENTITY', category: 'Identity', label: 'Managed identity', why: 'A managed identity lets the app reach Key Vault, Storage and SQL with Entra ID tokens instead of stored keys and passwords.', sources: ['site'], scope: 'site' },
  { ruleId: 'APPSVC-REMOTE-DEBUG', category: 'Identity', label: 'Remote debugging', why: 'Remote debugging opens extra inbound ports and lets a debugger attach to the running app.', sources: ['web'], scope: 'site' },
  // Network
  { ruleId: 'APPSVC-ACCESS-RESTRICTIONS', category: 'Network', label: 'Access restrictions', why: 'Without inbound restrictions the app is reachable from the whole internet, bypassing any Front Door or gateway in front of it.', sources: ['web', 'site'], scope: 'site' },
  { ruleId: 'APPSVC-SCM-EXPOSED', category: 'Network', label: 'SCM (Kudu) site exposure', why: 'An SCM site left open while the app is locked down is a common way around the restrictions to deploy or read files.', sources: ['web', 'site'], scope: 'site' },
  { ruleId: 'KV-APP-REACHABILITY', category: 'Network', label: 'App to Key Vault network path', why: 'A vault that denies public traffic only answers apps that come from an allowed subnet or a private endpoint; anything else breaks every Key Vault reference.', sources: ['site', 'configReferences', 'appSettings', 'vaults'], scope: 'site' },
  { ruleId: 'APPSVC-PUBLIC-NETWORK', category: 'Network', label: 'Public network access', why: 'Apps reached only through a private endpoint should refuse public traffic altogether.', sources: ['site', 'web'], scope: 'site' },
  { ruleId: 'APPSVC-CORS-WILDCARD', category: 'Network', label: 'CORS allowed origins', why: "A '*' origin lets any web site call the app from a signed-in user's browser.", sources: ['web'], scope: 'site' },
  // Secrets
  { ruleId: 'APPSVC-SETTING-PLAINTEXT-SECRET', category: 'Secrets', label: 'Secrets in app settings', why: 'Secrets in plain app settings are visible to anyone who can list settings and end up in exports and deployment history; Key Vault references keep them in the vault.', sources: ['appSettings'], scope: 'site' },
  { ruleId: 'APPSVC-KVREF-UNRESOLVED', category: 'Secrets', label: 'Key Vault references resolve', why: 'A reference that does not resolve hands the app the literal @Microsoft.KeyVault(...) text instead of the secret.', sources: ['configReferences'], scope: 'site' },
  { ruleId: 'KV-APP-ACCESS', category: 'Secrets', label: 'App identity access to Key Vault', why: "The app's identity needs read access to its secrets to resolve Key Vault references, and nothing more: write or purge rights turn an app compromise into a vault compromise.", sources: ['site', 'configReferences', 'appSettings', 'vaults', 'roleAssignments'], scope: 'site' },
  { ruleId: 'APPSVC-KVREF-IDENTITY', category: 'Secrets', label: 'Key Vault reference identity', why: 'Key Vault references resolve with the identity named by keyVaultReferenceIdentity; it must be assigned to the app.', sources: ['site', 'configReferences'], scope: 'site' },
  // Monitoring
  { ruleId: 'DEFENDER-APPSERVICE', category: 'Monitoring', label: 'Defender for App Service', why: 'Defender for App Service detects attacks on the apps (web shells, dangling DNS, suspicious Kudu use) and raises alerts.', sources: ['defenderPricing'], scope: 'subscription' },
];

/** What each read is, and what permission it needs (for "unknown" explanations). */
export const SOURCE_INFO: Record<PostureSourceName, { what: string; call: string; permission: string }> = {
  site: { what: 'the app', call: 'GET site', permission: 'Microsoft.Web/sites/read (Reader)' },
  web: { what: 'the site configuration', call: 'GET config/web', permission: 'Microsoft.Web/sites/config/read (Reader)' },
  appSettings: { what: 'app settings', call: 'POST config/appsettings/list', permission: 'Microsoft.Web/sites/config/list/action (Contributor or Website Contributor)' },
  authSettingsV2: { what: 'authentication settings', call: 'GET config/authsettingsV2', permission: 'Microsoft.Web/sites/config/read (Reader)' },
  ftpPolicy: { what: 'the FTP publishing credentials policy', call: 'GET basicPublishingCredentialsPolicies/ftp', permission: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies/read (Reader)' },
  scmPolicy: { what: 'the SCM publishing credentials policy', call: 'GET basicPublishingCredentialsPolicies/scm', permission: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies/read (Reader)' },
  configReferences: { what: 'Key Vault reference status', call: 'GET config/configreferences/appsettings', permission: 'Microsoft.Web/sites/config/read (Reader)' },
  defenderPricing: { what: 'the Defender for Cloud plans', call: 'GET Microsoft.Security/pricings/AppServices', permission: 'Microsoft.Security/pricings/read (Reader or Security Reader on the subscription)' },
  vaults: { what: 'the key vault', call: 'GET Microsoft.KeyVault/vaults/{vault}', permission: 'Microsoft.KeyVault/vaults/read (Reader on the vault)' },
  roleAssignments: {
    what: 'role assignments on the key vault',
    call: 'GET {vault}/providers/Microsoft.Authorization/roleAssignments',
    permission: 'Microsoft.Authorization/roleAssignments/read (Reader on the vault)',
  },
};

/** api-versions of the writes (azure-apis.md section 1). */
export const WEB_API_VERSION = API_VERSIONS.web;
export const SECURITY_PRICING_API_VERSION = API_VERSIONS.security;
