import type { RuleExamples } from './types';

const hex = { fake: 'azure-hex-key' };

/** SECRET-AZURE-IDENTIFIABLE-KEY: signature and checksum, anywhere. */
export const identifiableKeyExamples: RuleExamples = {
  positives: [
    { name: 'Storage key in a C# test', file: 'tests/StorageTests.cs', text: 'var key = "{secret}";\n', secret: { fake: 'azure-storage-key' }, kind: 'Azure Storage account key' },
    { name: 'Functions key in a comment', file: 'README.md', text: 'Call it with `?code={secret}`\n', secret: { fake: 'azure-functions-key' } },
  ],
  negatives: [
    { name: 'emulator key (public)', file: 'local.settings.json', text: '{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true" } }' },
    { name: 'legacy key without signature under a neutral name', file: 'data.json', text: '{ "blob": "{secret}" }', secret: { fake: 'azure-storage-key-legacy', seed: 5 } },
  ],
};

/** SECRET-ENTRA-CLIENT-SECRET: the Q~ format with its checksum. */
export const entraSecretExamples: RuleExamples = {
  positives: [{ name: 'appsettings AzureAd:ClientSecret', file: 'appsettings.json', text: '{ "AzureAd": { "ClientSecret": "{secret}" } }', secret: { fake: 'entra-client-secret' } }],
  negatives: [{ name: 'client secret setting that names a Key Vault secret', file: 'appsettings.json', text: '{ "AzureAd": { "ClientSecret": "@Microsoft.KeyVault(VaultName=kv;SecretName=app-secret)" } }' }],
};

/** SECRET-AZURE-KEY-SETTING: an old Azure key shape (88/44 base64, 32 hex) under a key-like setting name. */
export const keySettingExamples: RuleExamples = {
  positives: [
    { name: 'search key in a Bicep parameter file', file: 'main.bicepparam', text: "param searchApiKey = '{secret}'\n", secret: hex, kind: 'Azure AI Search key' },
    { name: '32-hex under a generic name in an ARM template is an Azure API key', file: 'azuredeploy.json', text: '{ "resources": [ { "properties": { "apiKey": "{secret}" } } ] }', secret: hex, kind: 'Azure API key' },
    { name: 'Heroku key is labelled Heroku, not Azure', file: '.env', text: 'HEROKU_API_KEY={secret}\n', secret: hex, kind: 'Heroku API key' },
    { name: 'DigitalOcean key is labelled DigitalOcean', file: 'deploy.sh', text: 'export DIGITALOCEAN_ACCESS_KEY={secret}\n', secret: { fake: 'azure-hex-key', seed: 2 }, kind: 'DigitalOcean API key' },
    { name: '32-hex under a key name with no Azure context is an API key', file: 'settings.py', text: 'API_KEY = "{secret}"\n', secret: { fake: 'azure-hex-key', seed: 3 }, kind: 'API key' },
  ],
  negatives: [
    { name: 'hash under a key name', file: 'manifest.json', text: '{ "keyHash": "d41d8cd98f00b204e9800998ecf8427e", "cacheKey": "9e107d9d372bb6826bd81d3542a419d6" }' },
    { name: 'instrumentation key GUID', file: 'appsettings.json', text: '{ "ApplicationInsights": { "InstrumentationKey": "6f1c2d3e-9a8b-4c7d-b6e5-f4a3b2c1d0e9" } }' },
  ],
};

/** SECRET-AZURE-DEVOPS-PAT: new AZDO PATs by checksum, legacy 52-char PATs by checksum or name. */
export const devopsPatExamples: RuleExamples = {
  positives: [{ name: 'PAT in .env', file: '.env', text: 'ADO_TOKEN={secret}\n', secret: { fake: 'azure-devops-pat' } }],
  negatives: [{ name: 'pipeline variable reference', file: 'azure-pipelines.yml', text: 'variables:\n  token: $(System.AccessToken)\n' }],
};
