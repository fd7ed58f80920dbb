import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { IncrementalScanner } from '../../src/core/incremental';
import { fakeSecret } from '../support/fakeSecrets';

// The same planted key in files that different things read: the message must say the remedy that applies there.
const key = fakeSecret('entra-client-secret', 7);

function secretMessage(path: string, text: string): string {
  const found = scanText(text, path).findings.filter((f) => f.ruleId.startsWith('SECRET-'));
  assert.equal(found.length, 1, `${path}: ${JSON.stringify(found.map((f) => f.ruleId))}`);
  assert.ok(!found[0].message.includes(key.slice(3, 20)), 'never the value');
  return found[0].message;
}

const KV_REFERENCE = /@Microsoft\.KeyVault\(\.\.\.\)/;

describe('secret messages say the remedy that fits the file', () => {
  it('a GitHub workflow: a repository or environment secret, ${{ secrets.NAME }}, not a Key Vault reference', () => {
    const m = secretMessage('.github/workflows/deploy.yml', `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      CLIENT_SECRET: ${key}\n`);
    assert.match(m, / in plain text: store it as a GitHub Actions secret \(a repository or environment secret\) and use \$\{\{ secrets\.NAME \}\}/);
    assert.doesNotMatch(m, KV_REFERENCE);
  });

  it('an Azure Pipelines file: a secret pipeline variable', () => {
    const m = secretMessage('azure-pipelines.yml', `trigger: [main]\nvariables:\n  clientSecret: ${key}\n`);
    assert.match(m, /make it a secret pipeline variable \(or a variable group linked to Azure Key Vault\) and use \$\(NAME\)/);
    assert.doesNotMatch(m, KV_REFERENCE);
  });

  it('.env and code: the vault, then an environment read at run time', () => {
    const env = secretMessage('.env', `AZURE_CLIENT_SECRET=${key}\n`);
    assert.match(env, /move it to Azure Key Vault and read it from the environment at run time/);
    const code = secretMessage('src/app.py', `client_secret = "${key}"\n`);
    assert.match(code, /move it to Azure Key Vault and read it at run time, from an environment variable .* or with the Key Vault SDK and a managed identity/);
  });

  it('App Service settings, ARM and Bicep keep the Key Vault reference; ARM parameters and Bicep say how to pass it', () => {
    const exported = secretMessage('settings.json', `[\n  { "name": "CLIENT_SECRET", "value": "${key}", "slotSetting": false }\n]\n`);
    assert.match(exported, /reference it \(@Microsoft\.KeyVault\(\.\.\.\) or a managed identity\)\.$/);
    const params = secretMessage('infra/azuredeploy.parameters.json', `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",\n  "parameters": { "clientSecret": { "value": "${key}" } }\n}\n`);
    assert.match(params, /Key Vault reference in the parameter file/);
    const bicep = secretMessage('infra/main.bicep', `param clientSecret string = '${key}'\n`);
    assert.match(bicep, /@secure\(\) parameter with getSecret\(\)/);
  });

  it('a Kubernetes manifest: the Secrets Store CSI driver, not the manifest', () => {
    const m = secretMessage('k8s/deploy.yaml', `apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: CLIENT_SECRET\n              value: "${key}"\n`);
    assert.match(m, /Secrets Store CSI driver/);
  });

  it('an ASP.NET Core Data Protection key ring: Blob Storage and a Key Vault key, not a Key Vault reference', () => {
    const masterKey = fakeSecret('azure-storage-key-legacy', 8);
    const text = `<?xml version="1.0" encoding="utf-8"?>\n<key id="768c1632" version="1">\n  <descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection">\n    <descriptor>\n      <masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection">\n        <value>${masterKey}</value>\n      </masterKey>\n    </descriptor>\n  </descriptor>\n</key>\n`;
    const found = scanText(text, 'src/Web/key-768c1632.xml').findings.filter((f) => f.ruleId.startsWith('SECRET-'));
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^ASP\.NET Core Data Protection key in plain text: remove the key ring from source control, .*ProtectKeysWithAzureKeyVault/);
    assert.doesNotMatch(found[0].message, KV_REFERENCE);
    assert.ok(!found[0].message.includes(masterKey.slice(2, 12)), 'never the value');
  });

  it('the editor (incremental scanner) shows the same message as a full scan', () => {
    const text = `A=1\nAZURE_CLIENT_SECRET=${key}\n`;
    const s = new IncrementalScanner('.env');
    const first = s.full(text).findings.find((f) => f.ruleId.startsWith('SECRET-'))!;
    const edited = `A=12\nAZURE_CLIENT_SECRET=${key}\n`;
    const after = s.update(edited, { unchangedPrefix: 3, unchangedSuffix: edited.length - 4 }).findings.find((f) => f.ruleId.startsWith('SECRET-'))!;
    assert.equal(after.message, first.message);
    assert.equal(first.message, secretMessage('.env', text));
  });
});
