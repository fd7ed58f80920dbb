// Live posture of App Service apps and slots: pure evaluation of Resource Manager reads (browser-safe).

export * from './types';
export { postureChecks, postureOnlyRules, postureRule, SOURCE_INFO, WEB_API_VERSION, SECURITY_PRICING_API_VERSION, type PostureCheckMeta } from './checks';
export { identityPatchBody, unreadable, type LiveCheck } from './common';
export { enabledPostureChecks, evaluatePosture, restrictionFacts, splitPublishingPolicies, summarizePosture, type EvaluateOptions, type RestrictionFacts } from './evaluate';
export { buildAppSettingsBody, KV_STATUS_HINTS, plainSecretSettings } from './secrets';
export { keyVaultReferenceIdentity, keyVaultReferenceTargets, KEY_VAULT_ROLES, MAX_VAULTS_PER_APP, type KeyVaultTarget, type ReferenceIdentity } from './keyVaultAccess';
