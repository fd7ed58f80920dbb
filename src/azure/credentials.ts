// Which credential DefaultAzureCredential tries, and why a sign-in failed, in our own words. The SDK's
// messages can carry a tool's stderr (`az`, `azd`, PowerShell) or Entra text, so they are only matched against
// the SDK's fixed phrases, never shown.

/** The credentials of DefaultAzureCredential in @azure/identity 4.x, in the order it tries them. */
export const DEFAULT_CREDENTIAL_CHAIN = [
  'EnvironmentCredential',
  'WorkloadIdentityCredential',
  'ManagedIdentityCredential',
  'VisualStudioCodeCredential',
  'AzureCliCredential',
  'AzurePowerShellCredential',
  'AzureDeveloperCliCredential',
] as const;

export type CredentialName = (typeof DEFAULT_CREDENTIAL_CHAIN)[number];

const PROD: readonly CredentialName[] = DEFAULT_CREDENTIAL_CHAIN.slice(0, 3);
const DEV: readonly CredentialName[] = DEFAULT_CREDENTIAL_CHAIN.slice(3);

export class CredentialSelectionError extends Error {
  override readonly name = 'CredentialSelectionError';
}

/**
 * The credentials DefaultAzureCredential will try for this AZURE_TOKEN_CREDENTIALS value (same rules as the
 * SDK: dev, prod or one credential name, case-insensitive). Throws CredentialSelectionError for any other value.
 */
export function credentialChain(azureTokenCredentials: string | undefined): readonly CredentialName[] {
  const v = azureTokenCredentials?.trim().toLowerCase();
  if (!v) return DEFAULT_CREDENTIAL_CHAIN;
  if (v === 'dev') return DEV;
  if (v === 'prod') return PROD;
  const one = DEFAULT_CREDENTIAL_CHAIN.find((c) => c.toLowerCase() === v);
  if (one) return [one];
  const shown = azureTokenCredentials!.trim().slice(0, 40).replace(/[^\w.-]/g, '?');
  throw new CredentialSelectionError(`AZURE_TOKEN_CREDENTIALS is "${shown}"; use dev, prod or one of ${DEFAULT_CREDENTIAL_CHAIN.join(', ')}.`);
}

export type CredentialFailureReason = 'not-installed' | 'not-signed-in' | 'not-configured' | 'no-managed-identity' | 'rejected' | 'failed';

export interface CredentialFailure {
  credential: CredentialName | undefined;
  reason: CredentialFailureReason;
}

const CREDENTIAL_ERROR_NAMES = new Set(['CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationRequiredError', 'AuthenticationError']);

/** An error from @azure/identity (one credential or a chain). */
export function isCredentialError(e: unknown): boolean {
  const name = (e as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && CREDENTIAL_ERROR_NAMES.has(name);
}

// The SDK's fixed phrases (@azure/identity 4.x); anything else is 'failed' without detail.
const PHRASES: { credential: CredentialName | undefined; test: RegExp; reason: CredentialFailureReason }[] = [
  { credential: 'AzureCliCredential', test: /^Azure CLI could not be found/, reason: 'not-installed' },
  { credential: 'AzureCliCredential', test: /^Please run 'az login'/, reason: 'not-signed-in' },
  { credential: 'AzureDeveloperCliCredential', test: /^Azure Developer CLI couldn't be found/, reason: 'not-installed' },
  { credential: 'AzureDeveloperCliCredential', test: /^Please run 'azd auth login'/, reason: 'not-signed-in' },
  { credential: 'AzurePowerShellCredential', test: /^(?:Error: )?Unable to execute PowerShell/, reason: 'not-installed' },
  { credential: 'AzurePowerShellCredential', test: /^The 'Az\.Account' module/, reason: 'not-installed' },
  { credential: 'AzurePowerShellCredential', test: /^Please run 'Connect-AzAccount'/, reason: 'not-signed-in' },
  { credential: 'VisualStudioCodeCredential', test: /^Visual Studio Code Authentication/, reason: 'not-signed-in' },
  { credential: 'VisualStudioCodeCredential', test: /^Cannot load authentication record in Visual Studio Code/, reason: 'not-signed-in' },
  { credential: 'EnvironmentCredential', test: /^EnvironmentCredential is unavailable/, reason: 'not-configured' },
  { credential: 'WorkloadIdentityCredential', test: /^WorkloadIdentityCredential: is unavailable/, reason: 'not-configured' },
  { credential: 'ManagedIdentityCredential', test: /^ManagedIdentityCredential: Network unreachable/, reason: 'no-managed-identity' },
  { credential: 'ManagedIdentityCredential', test: /^Attempted to use the IMDS endpoint, but it is not available/, reason: 'no-managed-identity' },
  { credential: 'ManagedIdentityCredential', test: /^ManagedIdentityCredential\b/, reason: 'failed' },
  // The chain's own error when every credential it holds was skipped as not set up.
  { credential: undefined, test: /^Failed to retrieve a valid token/, reason: 'not-configured' },
];

function classifyOne(e: unknown): CredentialFailure {
  const err = e as { name?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : '';
  for (const p of PHRASES) if (p.test.test(message)) return { credential: p.credential, reason: p.reason };
  return { credential: undefined, reason: err?.name === 'AuthenticationError' ? 'rejected' : 'failed' };
}

/** One entry per credential error inside `e` (a chain's errors, or the error itself). */
export function credentialFailures(e: unknown): CredentialFailure[] {
  const inner = (e as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(inner) && inner.length) return inner.map(classifyOne);
  return [classifyOne(e)];
}

const WHY: Record<CredentialFailureReason, (c: CredentialName | undefined) => string> = {
  'not-installed': (c) => (c === 'AzureCliCredential' ? 'the Azure CLI (az) is not installed or not on PATH' : c === 'AzureDeveloperCliCredential' ? 'the Azure Developer CLI (azd) is not installed or not on PATH' : c === 'AzurePowerShellCredential' ? 'Azure PowerShell (pwsh with the Az module) is not installed' : 'not installed'),
  'not-signed-in': (c) => (c === 'AzureCliCredential' ? "not signed in: run 'az login'" : c === 'AzureDeveloperCliCredential' ? "not signed in: run 'azd auth login'" : c === 'AzurePowerShellCredential' ? "not signed in: run 'Connect-AzAccount'" : 'not signed in'),
  'not-configured': (c) => (c === 'EnvironmentCredential' ? 'not set up (AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate are not all set)' : c === 'WorkloadIdentityCredential' ? 'not set up (AZURE_FEDERATED_TOKEN_FILE and its client and tenant ids are not set)' : 'not set up'),
  'no-managed-identity': () => 'no managed identity here (there is one only on an Azure host)',
  rejected: () => 'Microsoft Entra ID refused the sign-in; check the tenant, client id and secret or certificate',
  failed: () => 'did not return a token',
};

/**
 * What went wrong signing in and what to do. With `tried` (credentialChain()), every credential of the chain is
 * listed, one the chain skipped without an error as not set up; without it, the failures alone.
 */
export function signInFailureMessage(failures: readonly CredentialFailure[], tried?: readonly CredentialName[]): string {
  const lines: string[] = [];
  const unattributed = failures.filter((f) => !f.credential);
  if (tried) {
    for (const c of tried) {
      // With one credential tried, an error the phrases do not recognise is still that credential's.
      const f = failures.find((x) => x.credential === c) ?? (tried.length === 1 ? unattributed[0] : undefined);
      lines.push(`  ${c}: ${f ? WHY[f.reason](c) : 'not set up'}`);
    }
    if (tried.length > 1) for (const f of unattributed) lines.push(`  ${WHY[f.reason](undefined)}`);
  } else {
    for (const f of failures) lines.push(`  ${f.credential ? `${f.credential}: ` : ''}${WHY[f.reason](f.credential)}`);
  }
  const narrowed = tried !== undefined && tried.length < DEFAULT_CREDENTIAL_CHAIN.length;
  const head =
    tried?.length === 1
      ? `Could not sign in to Azure with ${tried[0]}${narrowed ? ' (chosen by AZURE_TOKEN_CREDENTIALS)' : ''}:`
      : tried
        ? `Could not sign in to Azure. DefaultAzureCredential tried${narrowed ? ' (narrowed by AZURE_TOKEN_CREDENTIALS)' : ''}:`
        : 'Could not sign in to Azure:';
  const fix = `To fix: ${remedy(failures, tried)}`;
  return [head, ...lines, fix].join('\n');
}

const AZ_LOGIN = "sign in with 'az login' (Azure CLI) or 'azd auth login' (Azure Developer CLI) and retry";

/** What to do, for the credentials that were tried. */
function remedy(failures: readonly CredentialFailure[], tried: readonly CredentialName[] | undefined): string {
  const only = tried?.length === 1 ? tried[0] : undefined;
  const reason = (c: CredentialName) => failures.find((f) => f.credential === c || (only && !f.credential))?.reason;
  if (only === 'AzureCliCredential') {
    return reason(only) === 'not-installed'
      ? "install the Azure CLI (https://aka.ms/azure-cli) and run 'az login'; or, with the Azure Developer CLI, run 'azd auth login' and set AZURE_TOKEN_CREDENTIALS=AzureDeveloperCliCredential."
      : "run 'az login' (add --tenant <tenant id> for another tenant) and retry.";
  }
  if (only === 'AzureDeveloperCliCredential') {
    return reason(only) === 'not-installed'
      ? "install the Azure Developer CLI (https://aka.ms/azd) and run 'azd auth login'; or, with the Azure CLI, run 'az login' and set AZURE_TOKEN_CREDENTIALS=AzureCliCredential."
      : "run 'azd auth login' and retry.";
  }
  if (only) return `set up ${only}, or set AZURE_TOKEN_CREDENTIALS=AzureCliCredential after 'az login' (or AzureDeveloperCliCredential after 'azd auth login').`;
  if (!tried) return `${AZ_LOGIN}.`;
  return `${AZ_LOGIN}. To try only that one (and skip the others, the managed-identity probe included), set AZURE_TOKEN_CREDENTIALS=AzureCliCredential or AzureDeveloperCliCredential; in CI, the credential your pipeline provides (for example WorkloadIdentityCredential).`;
}

/** signInFailureMessage on one line (notifications, per-request errors). */
export function signInFailureLine(failures: readonly CredentialFailure[]): string {
  const [head, ...rest] = signInFailureMessage(failures).split('\n');
  const fix = rest.pop() ?? '';
  return `${head} ${rest.map((l) => l.trim()).join('; ')}. ${fix}`;
}
