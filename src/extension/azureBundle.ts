// Everything that talks to Azure, bundled apart (dist/azure.js) so activation never parses the Azure SDK.
export * from '../azure';
export { AzureCliCredential, AzureDeveloperCliCredential } from '@azure/identity';
export { readPostureInput } from '../azure/postureReader';
