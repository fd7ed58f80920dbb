import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { FakeAzure } from '../support/fakeAzure';
import { writeFakeAzCli } from '../support/fakeAzCli';
import { fakeSecret } from '../support/fakeSecrets';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SUB = '11111111-2222-3333-4444-555555555555';
const SARIF_SCHEMA = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// The template says HTTPS only and no remote debugging; the deployed app was switched to HTTP and has remote
// debugging on (drift on both). TLS is left out of the template (not set). The slot is declared in Terraform.
const MAIN_BICEP = `param siteName string
resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: siteName
  properties: {
    httpsOnly: true
    siteConfig: {
      remoteDebuggingEnabled: false
      ftpsState: 'AllAllowed'
    }
  }
}
`;
const PARAMS = JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { siteName: { value: 'drift-app' } } }, null, 2);
const SLOT_TF = `resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_name = "drift-app"
  https_only     = false
}
`;
const LOOP_BICEP = "param names array\nresource many 'Microsoft.Web/sites@2024-04-01' = [for n in names: {\n  name: n\n}]\n";

describe('CLI posture --iac and --format sarif against the local fake Azure', function () {
  this.timeout(90_000);
  let fake: FakeAzure;
  let env: NodeJS.ProcessEnv;
  let app: string;
  let slot: string;
  let other: string;
  let iac: string;
  let plain: string;

  before(async function () {
    if (!fs.existsSync(CLI)) this.skip();
    fake = await FakeAzure.start();
    fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso' });
    fake.setDefenderTier(SUB, 'Standard');
    plain = fakeSecret('azure-storage-key', 3);
    app = fake.addApp({
      subscriptionId: SUB,
      resourceGroup: 'rg',
      name: 'drift-app',
      siteProperties: { httpsOnly: false },
      config: { minTlsVersion: '1.0', ftpsState: 'AllAllowed', remoteDebuggingEnabled: true },
      appSettings: { STORAGE_KEY: plain },
      publishing: { ftp: true, scm: true },
    }).id;
    slot = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg', name: 'drift-app', slot: 'staging', siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.2' } }).id;
    other = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg', name: 'undeclared-app', siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.2' } }).id;
    iac = fs.mkdtempSync(path.join(os.tmpdir(), 'iac-'));
    fs.mkdirSync(path.join(iac, 'infra', 'slots'), { recursive: true });
    fs.writeFileSync(path.join(iac, 'infra', 'main.bicep'), MAIN_BICEP);
    fs.writeFileSync(path.join(iac, 'infra', 'main.parameters.json'), PARAMS);
    fs.writeFileSync(path.join(iac, 'infra', 'slots', 'slot.tf'), SLOT_TF);
    fs.writeFileSync(path.join(iac, 'infra', 'loop.bicep'), LOOP_BICEP);
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-ca-')), 'ca.pem');
    fs.writeFileSync(caFile, fake.caPem);
    env = {
      PATH: `${writeFakeAzCli()}:${process.env.PATH}`,
      HOME: process.env.HOME,
      NODE_EXTRA_CA_CERTS: caFile,
      HTTPS_PROXY: `http://127.0.0.1:${fake.proxy!.port}`,
      NO_PROXY: '127.0.0.1,localhost',
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    };
  });
  after(async () => fake?.dispose());

  type Result = {
    ruleId: string;
    level: string;
    message: { text: string };
    locations: { logicalLocations: { fullyQualifiedName: string }[]; physicalLocation?: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[];
    properties: Record<string, unknown>;
  };

  it('writes SARIF 2.1.0 valid against the schema: failing checks at the IaC line with declared, deployed and drift', async () => {
    const r = await runCli(['posture', '--app', app, '--app', slot, '--app', other, '--iac', iac, '--format', 'sarif'], env);
    assert.equal(r.code, 1, r.err);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SARIF is checked against its schema, not typed here
    const sarif: any = JSON.parse(r.out);
    const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(r.out)), JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ message: 'not an object' }] }] }), false, 'the validator rejects a broken result');

    const results = sarif.runs[0].results as Result[];
    const of = (resourceId: string, ruleId: string) => results.find((x) => x.ruleId === ruleId && x.properties.resourceId === resourceId);
    for (const x of results) {
      assert.ok(x.level === 'error' || x.level === 'warning', x.level);
      assert.ok(x.locations[0].logicalLocations[0].fullyQualifiedName === x.properties.resourceId);
    }
    assert.ok(!results.some((x) => x.properties.status === 'pass' || x.properties.status === 'unknown'), 'only failing and warning checks');

    // Declared true, deployed false: at the httpsOnly line of main.bicep, relative to the --iac folder.
    const https = of(app, 'APPSVC-HTTPS-ONLY')!;
    assert.equal(https.level, 'error');
    assert.deepEqual(https.locations[0].physicalLocation!.artifactLocation, { uri: 'infra/main.bicep', uriBaseId: 'SRCROOT' });
    assert.deepEqual(https.locations[0].physicalLocation!.region, { startLine: 5, startColumn: 16, endLine: 5, endColumn: 20 });
    assert.equal(https.properties.declared, 'true');
    assert.equal(https.properties.deployed, 'Off');
    assert.equal(https.properties.drift, true);
    assert.match(https.message.text, /declared at infra\/main\.bicep:5: httpsOnly = true — drift: deployed false/);

    // Declared off, deployed on: drift the other way.
    const debug = of(app, 'APPSVC-REMOTE-DEBUG')!;
    assert.equal(debug.properties.drift, true);
    assert.equal(debug.locations[0].physicalLocation!.region.startLine, 7);

    // Declared and deployed agree (both insecure): no drift, still at the line.
    const ftps = of(app, 'APPSVC-FTPS')!;
    assert.equal(ftps.properties.declared, 'AllAllowed');
    assert.equal(ftps.properties.drift, undefined);
    assert.equal(ftps.locations[0].physicalLocation!.region.startLine, 8);

    // Not set in the template: points at the resource and says so.
    const tls = of(app, 'APPSVC-MIN-TLS')!;
    assert.equal(tls.properties.declared, 'not set');
    assert.equal(tls.locations[0].physicalLocation!.region.startLine, 2);

    // The slot is declared in Terraform in a sub-folder.
    const slotHttps = of(slot, 'APPSVC-HTTPS-ONLY')!;
    assert.equal(slotHttps.locations[0].physicalLocation!.artifactLocation.uri, 'infra/slots/slot.tf');
    assert.equal(slotHttps.locations[0].physicalLocation!.region.startLine, 4);
    assert.equal(slotHttps.properties.drift, undefined, 'declared false, deployed false');

    // An app the folder does not declare: logical location only.
    const undeclared = of(other, 'APPSVC-HTTPS-ONLY')!;
    assert.equal(undeclared.locations[0].physicalLocation, undefined);
    assert.equal(undeclared.properties.declared, 'not declared');

    // The unresolvable loop is reported as a notification, and no secret value appears anywhere.
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.ok(notes.some((t: string) => /infra\/loop\.bicep:2: .*declared in a loop/.test(t)), notes.join('\n'));
    assert.ok(!r.out.includes(plain) && !r.err.includes(plain), 'no app setting value in the output');
  });

  it('text and json gain the declaration and drift; without --iac nothing is read and the output is unchanged', async () => {
    const text = await runCli(['posture', '--app', app, '--iac', iac], env);
    if (process.env.SHOW_OUTPUT) console.log(text.out, text.err);
    assert.equal(text.code, 1, text.err);
    assert.match(text.out, /fail +APPSVC-HTTPS-ONLY +Off\n +declared at infra\/main\.bicep:5: httpsOnly = true — drift: deployed false\n/);
    assert.match(text.err, /infra\/loop\.bicep:2: App Service app not linked: it is declared in a loop/);

    const json = await runCli(['posture', '--app', app, '--iac', iac, '--format', 'json'], env);
    const check = JSON.parse(json.out).apps[0].checks.find((c: { ruleId: string }) => c.ruleId === 'APPSVC-HTTPS-ONLY');
    assert.deepEqual(check.declaration, { file: 'infra/main.bicep', line: 5, column: 16, property: 'httpsOnly', declared: 'true', deployed: 'false', driftState: 'drift', drift: true });
    assert.ok(!json.out.includes(plain));

    // Run from inside the IaC folder without --iac: nothing declared is linked.
    const bare = await runCli(['posture', '--app', app, '--format', 'json'], env, iac);
    assert.equal(JSON.parse(bare.out).apps[0].checks.some((c: { declaration?: unknown }) => c.declaration), false);
    const bareSarif = await runCli(['posture', '--app', app, '--format', 'sarif'], env, iac);
    assert.ok(JSON.parse(bareSarif.out).runs[0].results.every((x: Result) => !x.locations[0].physicalLocation && x.properties.declared === undefined));
  });

  it('a missing --iac folder: exit 2 with a clear message, before any Azure call', async () => {
    const before = fake.requests().length;
    const missing = path.join(iac, 'nope');
    const r = await runCli(['posture', '--app', app, '--iac', missing, '--format', 'sarif'], env);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, `azure-secure-dev: --iac ${JSON.stringify(missing)}: no such folder\n`);
    assert.equal(fake.requests().length, before, 'no request reached Azure');
    const file = await runCli(['posture', '--app', app, '--iac', path.join(iac, 'infra', 'main.bicep')], env);
    assert.equal(file.code, 2);
    assert.match(file.err, /is not a folder/);
  });
});
