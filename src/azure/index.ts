// Azure clients (no vscode import): Key Vault data plane for the quick fix, Resource Manager for posture.

export { AZURE_CLOUDS, customCloud, resolveCloud, type AzureCloud, type AzureCloudName } from './clouds';
export {
  AzureRequestError,
  describeAzureError,
  redactValues,
  toAzureRequestError,
  type AzureErrorContext,
  type AzureErrorDescription,
  type AzureErrorDetails,
  type AzureErrorKind,
} from './errors';
export {
  checkSecretName,
  checkVaultUrl,
  recoverSecret,
  secretExists,
  storeSecret,
  toSecretName,
  type CheckedVaultUrl,
  type KeyVaultCallOptions,
  type StoredSecret,
  type StoreSecretOptions,
} from './keyVault';
export {
  ARM_API_VERSIONS,
  ArmClient,
  createArmClient,
  isSiteId,
  ROLE_DEFINITIONS,
  type ArmClientOptions,
  type ArmResource,
  type CallOptions,
  type PublishingEndpoint,
  type SiteSummary,
  type Subscription,
  type VaultSummary,
} from './arm';
export {
  credentialChain,
  credentialFailures,
  CredentialSelectionError,
  DEFAULT_CREDENTIAL_CHAIN,
  isCredentialError,
  signInFailureLine,
  signInFailureMessage,
  type CredentialFailure,
  type CredentialName,
} from './credentials';
export { mapWithConcurrency, withDeadline, type MapLimitOptions } from './concurrency';
