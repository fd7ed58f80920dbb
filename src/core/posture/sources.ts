// What each Resource Manager read is and the api-versions of the writes: shared by the live checks of every
// rule module (src/core/rules/**) and the posture runner, so it imports nothing from either.

import { API_VERSIONS } from '../vocabulary/azure';
import type { PostureSourceName } from './types';

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
