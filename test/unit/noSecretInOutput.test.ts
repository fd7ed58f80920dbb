// For every rule of the catalog: plant a secret where the rule reports (in the flagged value, or in a key or
// resource name on the finding's path when the value is a plain `false`), run the real CLI in text, JSON and
// SARIF, and look for any 8-character piece of the planted secret in what it prints. A new rule without a
// case here fails the catalog test below.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../src/core/rules';
import { runCli } from '../support/cli';
import { fakeSecret } from '../support/fakeSecrets';

interface LeakCase {
  /** What the case plants, for the test title. */
  what: string;
  file: string;
  text: string;
  /** The planted secret(s): none of their 8-character pieces may appear in any output. */
  secrets: string[];
  /** Extra rule levels (the rule under test is always turned on). */
  rules?: Record<string, string>;
}

/** A random-looking name a Bicep symbol or Terraform label can hold (letters and digits only). */
function secretIdentifier(seed: number): string {
  return `s${fakeSecret('entra-client-secret', seed).replace(/[^A-Za-z0-9]/g, '')}`;
}

const ID = secretIdentifier(3);
const ID2 = secretIdentifier(4);

/** A Bicep storage account whose symbol is `symbol`, with one property line. */
function storageAccount(symbol: string, property: string): string {
  return [`resource ${symbol} 'Microsoft.Storage/storageAccounts@2023-05-01' = {`, `  name: 'st'`, `  location: 'westeurope'`, `  kind: 'StorageV2'`, `  properties: {`, `    ${property}`, `  }`, `}`, ''].join('\n');
}

/** A Bicep site whose symbol is a planted secret. */
function bicepSite(opts: { props?: string; siteConfig?: string; appSettings?: Record<string, string>; identity?: boolean; symbol?: string }): string {
  const settings = Object.entries(opts.appSettings ?? {})
    .map(([k, v]) => `        { name: '${k}', value: '${v}' }`)
    .join('\n');
  return [
    `resource ${opts.symbol ?? ID} 'Microsoft.Web/sites@2023-01-01' = {`,
    `  name: 'app'`,
    `  location: 'westeurope'`,
    opts.identity === false ? '' : `  identity: { type: 'SystemAssigned' }`,
    `  properties: {`,
    `    ${opts.props ?? 'httpsOnly: true'}`,
    `    siteConfig: {`,
    `      ${opts.siteConfig ?? "minTlsVersion: '1.2'"}`,
    `      appSettings: [`,
    settings,
    `      ]`,
    `    }`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

function basicAuthPolicy(name: 'ftp' | 'scm'): string {
  return `${bicepSite({})}resource ${ID2} 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-01-01' = {\n  parent: ${ID}\n  name: '${name}'\n  properties: { allow: true }\n}\n`;
}

const storageKey = fakeSecret('azure-storage-key', 11);
const legacyStorageKey = fakeSecret('azure-storage-key-legacy', 12);
const password = fakeSecret('password', 13);
const entra = fakeSecret('entra-client-secret', 14);
const githubToken = fakeSecret('github-pat', 15);
const sasSig = encodeURIComponent(fakeSecret('sas-signature', 16));
const version = fakeSecret('azure-hex-key', 17);
const pemBody = fakeSecret('rsa-private-key', 18)
  .split('\n')
  .filter((l) => !l.startsWith('-----'));
const sqlPassword = fakeSecret('password', 19);
const keyNameSecret = fakeSecret('github-pat', 20);

const CASES: Record<string, LeakCase[]> = {
  'SECRET-AZURE-IDENTIFIABLE-KEY': [{ what: 'a Storage key in code', file: 'app.js', text: `const key = '${storageKey}';\n`, secrets: [storageKey] }],
  'SECRET-ENTRA-CLIENT-SECRET': [{ what: 'an Entra client secret in code', file: 'app.js', text: `const clientSecret = '${entra}';\n`, secrets: [entra] }],
  'SECRET-CONNECTION-STRING': [
    {
      what: 'a Storage connection string in code',
      file: 'app.js',
      text: `const cs = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${legacyStorageKey};EndpointSuffix=core.windows.net';\n`,
      secrets: [legacyStorageKey],
    },
  ],
  'SECRET-AZURE-KEY-SETTING': [{ what: 'a key in a key-named setting', file: '.env', text: `AZURE_STORAGE_KEY=${legacyStorageKey}\n`, secrets: [legacyStorageKey] }],
  'SECRET-URI-CREDENTIALS': [{ what: 'a password in a URL', file: '.env', text: `DATABASE_URL=postgres://admin:${password}@db.example.com:5432/app\n`, secrets: [password] }],
  'SECRET-SAS-TOKEN': [
    {
      what: 'a SAS signature in a URL',
      file: 'app.js',
      text: `const url = 'https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00:00:00Z&sig=${sasSig}';\n`,
      secrets: [sasSig],
    },
  ],
  'SECRET-PRIVATE-KEY': [{ what: 'a PEM private key', file: 'key.pem', text: `${fakeSecret('rsa-private-key', 18)}\n`, secrets: pemBody }],
  'SECRET-JWT': [{ what: 'a JWT in code', file: 'app.js', text: `const token = '${fakeSecret('jwt', 21)}';\n`, secrets: [fakeSecret('jwt', 21).split('.').slice(1).join('.')] }],
  'SECRET-THIRD-PARTY-TOKEN': [{ what: 'a GitHub token in code', file: 'app.js', text: `const gh = '${githubToken}';\n`, secrets: [githubToken] }],
  'SECRET-AZURE-DEVOPS-PAT': [{ what: 'an Azure DevOps PAT in code', file: 'app.js', text: `const pat = '${fakeSecret('azure-devops-pat', 22)}';\n`, secrets: [fakeSecret('azure-devops-pat', 22)] }],
  'SECRET-GENERIC-PASSWORD': [{ what: 'a password assignment in code', file: 'app.py', text: `password = "${password}"\n`, secrets: [password] }],

  'APPSVC-HTTPS-ONLY': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ props: 'httpsOnly: false' }), secrets: [ID] }],
  'APPSVC-MIN-TLS': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: "minTlsVersion: '1.0'" }), secrets: [ID] }],
  'APPSVC-SCM-MIN-TLS': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: "minTlsVersion: '1.2'\n      scmMinTlsVersion: '1.0'" }), secrets: [ID] }],
  'APPSVC-FTPS': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: "ftpsState: 'AllAllowed'" }), secrets: [ID] }],
  'APPSVC-HTTP2': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: 'http20Enabled: false' }), secrets: [ID] }],
  'APPSVC-REMOTE-DEBUG': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: 'remoteDebuggingEnabled: true' }), secrets: [ID] }],
  'APPSVC-DETAILED-ERRORS': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ appSettings: { ASPNETCORE_ENVIRONMENT: 'Development' } }), secrets: [ID] }],
  'APPSVC-CORS-WILDCARD': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: "cors: { allowedOrigins: ['*'] }" }), secrets: [ID] }],
  'APPSVC-SCM-EXPOSED': [
    {
      what: 'a secret as the Bicep symbol',
      file: 'main.bicep',
      text: bicepSite({ siteConfig: "ipSecurityRestrictionsDefaultAction: 'Deny'\n      scmIpSecurityRestrictionsUseMain: false" }),
      secrets: [ID],
    },
  ],
  'APPSVC-PUBLIC-NETWORK': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ props: "publicNetworkAccess: 'Enabled'" }), secrets: [ID] }],
  'APPSVC-ACCESS-RESTRICTIONS': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ siteConfig: "ipSecurityRestrictionsDefaultAction: 'Allow'" }), secrets: [ID] }],
  'APPSVC-BASIC-AUTH-FTP': [{ what: 'secrets as the Bicep symbols', file: 'main.bicep', text: basicAuthPolicy('ftp'), secrets: [ID, ID2] }],
  'APPSVC-BASIC-AUTH-SCM': [{ what: 'secrets as the Bicep symbols', file: 'main.bicep', text: basicAuthPolicy('scm'), secrets: [ID, ID2] }],
  'APPSVC-MANAGED-IDENTITY': [{ what: 'a secret as the Bicep symbol', file: 'main.bicep', text: bicepSite({ identity: false }), secrets: [ID] }],
  'APPSVC-CLIENT-CERT': [
    { what: 'a secret as the Bicep symbol (certificates off)', file: 'main.bicep', text: bicepSite({ props: 'clientCertEnabled: false' }), secrets: [ID] },
    { what: 'a secret as the Bicep symbol (optional mode)', file: 'main.bicep', text: bicepSite({ props: "clientCertEnabled: true\n    clientCertMode: 'Optional'" }), secrets: [ID] },
  ],
  'FUNC-STORAGE-IDENTITY': [
    {
      what: 'an account key in AzureWebJobsStorage (Bicep)',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${legacyStorageKey};EndpointSuffix=core.windows.net` } }),
      secrets: [legacyStorageKey, ID],
    },
    {
      what: 'storage_account_access_key (Terraform)',
      file: 'main.tf',
      text: `resource "azurerm_linux_function_app" "${ID}" {\n  name = "fn"\n  storage_account_access_key = "${legacyStorageKey}"\n  identity {\n    type = "SystemAssigned"\n  }\n}\n`,
      secrets: [legacyStorageKey, ID],
    },
  ],
  'APPSVC-SETTING-PLAINTEXT-SECRET': [
    {
      what: "a password setting with the README's config (SECRET-GENERIC-PASSWORD off)",
      file: 'main.bicep',
      text: bicepSite({ appSettings: { DB_PASSWORD: password } }),
      secrets: [password, ID],
      rules: { 'SECRET-GENERIC-PASSWORD': 'off' },
    },
  ],
  'APPSVC-RUN-FROM-PACKAGE-SAS': [
    {
      what: 'a SAS signature in WEBSITE_RUN_FROM_PACKAGE',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { WEBSITE_RUN_FROM_PACKAGE: `https://acct.blob.core.windows.net/pkg/app.zip?sv=2022-11-02&sr=b&sp=r&se=2030-01-01T00:00:00Z&sig=${sasSig}` } }),
      secrets: [sasSig, ID],
    },
  ],
  'APPSVC-HTTP-ENDPOINT': [
    {
      what: 'a password in an http:// URL',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { API_URL: `http://user:${password}@api.example.com/` } }),
      secrets: [password, ID],
    },
    {
      what: 'a secret used as a key name on the path',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { [`${keyNameSecret}_URL`]: 'http://api.example.com/' } }),
      secrets: [keyNameSecret, ID],
    },
  ],
  'APPSVC-SQL-ENCRYPT': [
    {
      what: 'a password in a SQL connection string with Encrypt=False',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { SQL_CONNECTION: `Server=tcp:db.database.windows.net;Database=app;User ID=admin;Password=${sqlPassword};Encrypt=False` } }),
      secrets: [sqlPassword, ID],
    },
  ],
  'KV-REF-MALFORMED': [
    { what: 'an Entra client secret pasted into a reference', file: 'main.bicep', text: bicepSite({ appSettings: { CLIENT_SECRET: `@Microsoft.KeyVault(${entra})` } }), secrets: [entra, ID] },
    {
      what: 'a token as the user of the SecretUri',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { API_TOKEN: `@Microsoft.KeyVault(SecretUri=https://${githubToken}@myvault.vault.azure.net/secrets/api-token)` } }),
      secrets: [githubToken, ID],
    },
  ],
  'STORAGE-MIN-TLS': [{ what: 'a secret as the Bicep symbol of the account', file: 'main.bicep', text: storageAccount(ID, "minimumTlsVersion: 'TLS1_0'"), secrets: [ID] }],
  'STORAGE-HTTPS-ONLY': [{ what: 'a secret as the Bicep symbol of the account', file: 'main.bicep', text: storageAccount(ID, 'supportsHttpsTrafficOnly: false'), secrets: [ID] }],
  'STORAGE-PUBLIC-BLOB': [{ what: 'a secret as the Bicep symbol of the account', file: 'main.bicep', text: storageAccount(ID, 'allowBlobPublicAccess: true'), secrets: [ID] }],
  'STORAGE-SHARED-KEY': [
    { what: 'secrets as the symbols of the account and the app', file: 'main.bicep', text: `${bicepSite({ identity: true, symbol: ID2 })}\n${storageAccount(ID, 'allowSharedKeyAccess: true')}`, secrets: [ID, ID2] },
  ],
  'APPSVC-VERSION-HEADER': [
    {
      what: 'a secret in another attribute of the flagged element',
      file: 'web.config',
      text: `<configuration><system.web><httpRuntime enableVersionHeader="true" requestValidationType="${ID}" /></system.web></configuration>\n`,
      secrets: [ID],
    },
  ],
  'APPSVC-KVREF-PINNED-VERSION': [
    {
      what: 'a pinned version',
      file: 'main.bicep',
      text: bicepSite({ appSettings: { DB_PASSWORD: `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/db/${version})` } }),
      secrets: [version, ID],
    },
  ],
};

/** The first 8-character piece of `secret` found in `output`. */
function leakedPiece(output: string, secret: string): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    if (output.includes(piece)) return piece;
  }
  return undefined;
}

function runCase(ruleId: string, c: LeakCase): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-leak-'));
  try {
    const severity = allRules.find((r) => r.id === ruleId)!.severity;
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), JSON.stringify({ rules: { [ruleId]: severity, ...c.rules } }));
    fs.writeFileSync(path.join(dir, c.file), c.text);
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json', 'sarif']) {
      const r = runCli(['scan', dir, '--format', format, '--no-color', '--fail-on', 'hint']);
      assert.equal(r.code, 1, `${format}: ${r.err}`);
      outputs[format] = r.out + r.err;
    }
    const report = JSON.parse(outputs.json) as { files: { findings: { ruleId: string }[] }[] };
    const reported = report.files.flatMap((f) => f.findings.map((x) => x.ruleId));
    assert.ok(reported.includes(ruleId), `the case does not trigger ${ruleId} (got ${reported.join(', ')})`);
    for (const [format, output] of Object.entries(outputs)) {
      for (const secret of c.secrets) {
        assert.ok(secret.length >= 8, 'a planted secret is at least 8 characters');
        const piece = leakedPiece(output, secret);
        // Never print the piece itself: say where it was.
        assert.ok(piece === undefined, `${format} output holds ${piece === undefined ? '' : `an 8-character piece (at ${secret.indexOf(piece)}) of`} the planted secret`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('no secret in output: every rule, text, JSON and SARIF', function () {
  this.timeout(60_000);

  it('has a case for every rule of the catalog, and no case for an unknown rule', () => {
    const ids = allRules.map((r) => r.id);
    assert.deepEqual(
      ids.filter((id) => !CASES[id]?.length),
      [],
      'rules without a no-secret-in-output case',
    );
    assert.deepEqual(
      Object.keys(CASES).filter((id) => !ids.includes(id)),
      [],
      'cases for rules that are not in the catalog',
    );
  });

  for (const rule of allRules) {
    for (const c of CASES[rule.id] ?? []) {
      it(`${rule.id}: ${c.what}`, () => runCase(rule.id, c));
    }
  }
});
