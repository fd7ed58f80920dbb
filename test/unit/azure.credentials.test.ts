import * as assert from 'node:assert/strict';
import { AggregateAuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { credentialChain, credentialFailures, CredentialSelectionError, DEFAULT_CREDENTIAL_CHAIN, describeAzureError, signInFailureMessage, toAzureRequestError } from '../../src/azure';

// What DefaultAzureCredential throws outside Azure with no tool signed in (the SDK's own phrases), built here
// so no test lets a real chain probe the managed-identity endpoint.
function defaultChainOutsideAzure(): AggregateAuthenticationError {
  return new AggregateAuthenticationError(
    [
      new CredentialUnavailableError('EnvironmentCredential is unavailable. No underlying credential could be used.'),
      new CredentialUnavailableError('ManagedIdentityCredential: Network unreachable. Message: connect EHOSTUNREACH 169.254.169.254:80'),
      new CredentialUnavailableError('Visual Studio Code Authentication is not available.'),
      new CredentialUnavailableError("Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'."),
      new CredentialUnavailableError('Error: Unable to execute PowerShell. Ensure that it is installed in your system.'),
      new CredentialUnavailableError("Azure Developer CLI couldn't be found."),
    ],
    'ChainedTokenCredential authentication failed.',
  );
}

describe('Azure sign-in failures in our words', () => {
  it('the default chain failing outside Azure is a sign-in problem, not the network: each credential and what to run', () => {
    const message = signInFailureMessage(credentialFailures(defaultChainOutsideAzure()), credentialChain(undefined));
    assert.doesNotMatch(message, /network connection|proxy/i);
    assert.deepEqual(message.split('\n'), [
      'Could not sign in to Azure. DefaultAzureCredential tried:',
      '  EnvironmentCredential: not set up (AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate are not all set)',
      '  WorkloadIdentityCredential: not set up',
      '  ManagedIdentityCredential: no managed identity here (there is one only on an Azure host)',
      '  VisualStudioCodeCredential: not signed in',
      '  AzureCliCredential: the Azure CLI (az) is not installed or not on PATH',
      '  AzurePowerShellCredential: Azure PowerShell (pwsh with the Az module) is not installed',
      '  AzureDeveloperCliCredential: the Azure Developer CLI (azd) is not installed or not on PATH',
      "To fix: sign in with 'az login' (Azure CLI) or 'azd auth login' (Azure Developer CLI) and retry. To try only that one (and skip the others, the managed-identity probe included), set AZURE_TOKEN_CREDENTIALS=AzureCliCredential or AzureDeveloperCliCredential; in CI, the credential your pipeline provides (for example WorkloadIdentityCredential).",
    ]);
  });

  it('describeAzureError (every Azure call) calls a failed chain a sign-in failure, also after a request wrapped it', () => {
    for (const e of [defaultChainOutsideAzure(), toAzureRequestError(defaultChainOutsideAzure(), { operation: 'read the app', resource: '/subscriptions/x' })]) {
      const d = describeAzureError(e);
      assert.equal(d.kind, 'auth');
      assert.doesNotMatch(d.message, /network connection|proxy|Could not complete/i);
      assert.match(d.message, /^Could not sign in to Azure: .*AzureCliCredential: the Azure CLI \(az\) is not installed or not on PATH; .*To fix: sign in with 'az login'/);
      assert.ok(!d.message.includes('\n'), 'one line for notifications');
    }
  });

  it('a tool message the SDK passes through is never shown', () => {
    const text = 'az: account someone@contoso.example token eyJ0eXAi...';
    const d = describeAzureError(new CredentialUnavailableError(text));
    assert.equal(d.kind, 'auth');
    assert.ok(!d.message.includes('contoso') && !d.message.includes('eyJ0'), d.message);
  });

  it('AZURE_TOKEN_CREDENTIALS: the SDK values, case-insensitive; anything else is refused with the valid list', () => {
    assert.deepEqual(credentialChain(' azureclicredential '), ['AzureCliCredential']);
    assert.deepEqual(credentialChain('dev'), DEFAULT_CREDENTIAL_CHAIN.slice(3));
    assert.deepEqual(credentialChain('prod'), ['EnvironmentCredential', 'WorkloadIdentityCredential', 'ManagedIdentityCredential']);
    assert.throws(() => credentialChain('az\u001b[31m'), (e: Error) => e instanceof CredentialSelectionError && !e.message.includes('\u001b') && /use dev, prod or one of/.test(e.message));
  });
});
