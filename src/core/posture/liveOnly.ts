// Rules only the live posture view can judge (no editor detector), and the live twin of
// APPSVC-SETTING-PLAINTEXT-SECRET, which runs the whole secret engine over the deployed settings and so cannot
// live in its rule module (the engine imports the rule registry). Each unit: metadata and live checks.

import type { RuleMeta } from '../model';
import { PLAINTEXT_SECRET_SETTING } from '../rules/appservice/plaintextSecret';
import { body, isObject, str, unknown, unreadable, type LiveCheck, type PostureContext, type Verdict } from './common';
import { kvAppAccessCheck, kvAppReachabilityCheck } from './keyVaultAccess';
import { kvReferenceCheck, kvReferenceIdentityCheck, plainSecretCheck } from './secrets';
import { SECURITY_PRICING_API_VERSION } from './sources';
import type { ArmAuthSettingsV2, ArmDefenderPricing } from './types';

export const AUTH_ENABLED = 'APPSVC-AUTH-ENABLED';
export const KVREF_UNRESOLVED = 'APPSVC-KVREF-UNRESOLVED';
export const KVREF_IDENTITY = 'APPSVC-KVREF-IDENTITY';
export const KV_APP_ACCESS = 'KV-APP-ACCESS';
export const KV_APP_REACHABILITY = 'KV-APP-REACHABILITY';
export const DEFENDER_APPSERVICE = 'DEFENDER-APPSERVICE';

/** A posture-only unit: the rule's metadata and its live checks. */
export interface LiveOnlyUnit {
  rules: readonly RuleMeta[];
  live: readonly LiveCheck[];
}

const BLOCKING_ACTIONS = new Set(['redirecttologinpage', 'return401', 'return403', 'return404']);

function isApiLike(c: PostureContext): boolean {
  const kind = (c.site?.kind ?? '').toLowerCase();
  return kind.includes('functionapp') || kind.split(',').includes('api');
}

function liveAuthEnabled(c: PostureContext): Verdict {
  const why = unreadable('authSettingsV2', c.input.authSettingsV2);
  if (why) return unknown(why);
  const p = body<ArmAuthSettingsV2>(c.input.authSettingsV2)?.properties;
  const enabled = p?.platform?.enabled === true;
  const gv = p?.globalValidation;
  const action = str(gv?.unauthenticatedClientAction);
  const providers = isObject(p?.identityProviders)
    ? Object.entries(p!.identityProviders as Record<string, { enabled?: boolean | null } | null>)
        .filter(([, v]) => isObject(v) && v.enabled !== false)
        .map(([k]) => k)
    : [];
  const providerText = providers.length ? `; providers: ${providers.join(', ')}` : '';
  const hint =
    'Portal: Authentication > Add identity provider (Microsoft) with "Require authentication"; CLI: az webapp auth update --enabled true --unauthenticated-client-action RedirectToLoginPage (Return401 for APIs).';
  if (enabled && (gv?.requireAuthentication === true || (action !== undefined && BLOCKING_ACTIONS.has(action.toLowerCase())))) {
    return { status: 'pass', value: `On, requires authentication${action ? ` (${action})` : ''}${providerText}` };
  }
  if (enabled) return { status: 'fail', value: `On, but anonymous requests allowed${action ? ` (${action})` : ''}${providerText}`, hint };
  // APIs and function apps often validate tokens in code: a missing platform check is worth a look, not an alarm.
  return { status: isApiLike(c) ? 'warning' : 'fail', value: 'Off', hint };
}


function liveDefender(c: PostureContext): Verdict {
  const why = unreadable('defenderPricing', c.input.defenderPricing);
  if (why) return unknown(why);
  const p = body<ArmDefenderPricing>(c.input.defenderPricing)?.properties;
  const tier = str(p?.pricingTier);
  if (!tier) return unknown('The Defender plan did not report pricingTier.');
  if (tier.toLowerCase() === 'standard') return { status: 'pass', value: `Standard${str(p?.subPlan) ? ` (${p!.subPlan})` : ''}` };
  return {
    status: 'fail',
    value: tier,
    fix: {
      kind: 'put-defender',
      method: 'PUT',
      scope: 'subscription',
      pathSuffix: '/providers/Microsoft.Security/pricings/AppServices',
      apiVersion: SECURITY_PRICING_API_VERSION,
      body: { properties: { pricingTier: 'Standard' } },
      property: 'properties.pricingTier',
      oldValue: tier,
      newValue: 'Standard',
      summary: 'Turn on Microsoft Defender for App Service for the whole subscription.',
      caution: 'Billed per App Service plan instance for every plan in the subscription.',
      bicep: "targetScope = 'subscription'\n\nresource defenderAppServices 'Microsoft.Security/pricings@2024-01-01' = {\n  name: 'AppServices'\n  properties: {\n    pricingTier: 'Standard'\n  }\n}",
      terraform: 'resource "azurerm_security_center_subscription_pricing" "app_services" {\n  tier          = "Standard"\n  resource_type = "AppServices"\n}',
    },
  };
}


export const liveOnlyUnits: readonly LiveOnlyUnit[] = [
  {
    rules: [
      {
  id: AUTH_ENABLED,
  title: 'App Service Authentication not enforced',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'medium',
  description:
    'App Service Authentication (Easy Auth) is off or lets anonymous requests through, so the app relies entirely on its own code to check who is calling; turn it on and require authentication.',
},
    ],
    live: [
      {
        ruleId: AUTH_ENABLED,
        category: 'Identity',
        rank: 30,
        label: 'App Service Authentication',
        why: 'With platform authentication enforced, unauthenticated requests never reach the app code.',
        sources: ['authSettingsV2', 'site'],
        scope: 'site',
        evaluate: liveAuthEnabled,
      },
    ],
  },
  {
    // The editor rule's live twin (its metadata is the editor rule's).
    rules: [],
    live: [
      {
        ruleId: PLAINTEXT_SECRET_SETTING,
        category: 'Secrets',
        rank: 10,
        label: 'Secrets in app settings',
        why: 'Secrets in plain app settings are visible to anyone who can list settings and end up in exports and deployment history; Key Vault references keep them in the vault.',
        sources: ['appSettings'],
        scope: 'site',
        evaluate: plainSecretCheck,
      },
    ],
  },
  {
    rules: [
      {
  id: KVREF_UNRESOLVED,
  title: 'Key Vault reference does not resolve',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'high',
  description:
    'An app setting refers to Key Vault but the platform cannot resolve it, so the app receives the literal @Microsoft.KeyVault(...) text instead of the secret; fix the identity, access or reference.',
},
    ],
    live: [
      {
        ruleId: KVREF_UNRESOLVED,
        category: 'Secrets',
        rank: 20,
        label: 'Key Vault references resolve',
        why: 'A reference that does not resolve hands the app the literal @Microsoft.KeyVault(...) text instead of the secret.',
        sources: ['configReferences'],
        scope: 'site',
        evaluate: kvReferenceCheck,
      },
    ],
  },
  {
    rules: [
      {
  id: KVREF_IDENTITY,
  title: 'Key Vault reference identity not assigned',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'high',
  description:
    'keyVaultReferenceIdentity names an identity the app does not have (SystemAssigned without a system identity, or a user-assigned identity that is not assigned), so Key Vault references cannot resolve.',
},
    ],
    live: [
      {
        ruleId: KVREF_IDENTITY,
        category: 'Secrets',
        rank: 40,
        label: 'Key Vault reference identity',
        why: 'Key Vault references resolve with the identity named by keyVaultReferenceIdentity; it must be assigned to the app.',
        sources: ['site', 'configReferences'],
        scope: 'site',
        evaluate: kvReferenceIdentityCheck,
      },
    ],
  },
  {
    rules: [
      {
  id: KV_APP_ACCESS,
  title: 'App identity cannot read its Key Vault secrets (or is over-privileged)',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'high',
  description:
    "The identity that resolves the app's Key Vault references has no Key Vault Secrets User role (RBAC vault) or no access policy with secrets get (access-policy vault), so the references fail; or it holds more than read access (Secrets Officer, Administrator, all or purge).",
},
    ],
    live: [
      {
        ruleId: KV_APP_ACCESS,
        category: 'Secrets',
        rank: 30,
        label: 'App identity access to Key Vault',
        why: "The app's identity needs read access to its secrets to resolve Key Vault references, and nothing more: write or purge rights turn an app compromise into a vault compromise.",
        sources: ['site', 'configReferences', 'appSettings', 'vaults', 'roleAssignments'],
        scope: 'site',
        evaluate: kvAppAccessCheck,
      },
    ],
  },
  {
    rules: [
      {
  id: KV_APP_REACHABILITY,
  title: 'App cannot reach its network-restricted Key Vault',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'medium',
  description:
    "A vault the app's Key Vault references use denies public traffic, and the app has no VNet integration into a subnet the vault allows, so the references fail with a network error.",
},
    ],
    live: [
      {
        ruleId: KV_APP_REACHABILITY,
        category: 'Network',
        rank: 30,
        label: 'App to Key Vault network path',
        why: 'A vault that denies public traffic only answers apps that come from an allowed subnet or a private endpoint; anything else breaks every Key Vault reference.',
        sources: ['site', 'configReferences', 'appSettings', 'vaults'],
        scope: 'site',
        evaluate: kvAppReachabilityCheck,
      },
    ],
  },
  {
    rules: [
      {
  id: DEFENDER_APPSERVICE,
  title: 'Defender for App Service off',
  tag: 'insecure-setting',
  severity: 'warning',
  confidence: 'high',
  description:
    'The subscription does not have the Microsoft Defender for App Service plan, so attacks on the apps (dangling DNS, web shells, suspicious Kudu use) raise no alerts; enable the Standard tier.',
},
    ],
    live: [
      {
        ruleId: DEFENDER_APPSERVICE,
        category: 'Monitoring',
        rank: 10,
        label: 'Defender for App Service',
        why: 'Defender for App Service detects attacks on the apps (web shells, dangling DNS, suspicious Kudu use) and raises alerts.',
        sources: ['defenderPricing'],
        scope: 'subscription',
        evaluate: liveDefender,
      },
    ],
  },
];
