import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAzure } from '../support/fakeAzure';
import { writeFakeAzCli } from '../support/fakeAzCli';

// `posture` applies the project config's rule levels, as the editor and `scan` do: a default-off rule
// (APPSVC-CLIENT-CERT) is reported once the config turns it on, and a rule set to off is left out.

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SUB = '11111111-2222-3333-4444-666666666666';

interface Check {
  ruleId: string;
  status: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('CLI posture: rule levels of the project config', function () {
  this.timeout(60_000);
  let fake: FakeAzure;
  let env: NodeJS.ProcessEnv;
  let app: string;
  let project: string;
  let bare: string;

  before(async function () {
    if (!fs.existsSync(CLI)) this.skip();
    fake = await FakeAzure.start();
    fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso' });
    app = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg', name: 'no-client-cert', identity: { type: 'SystemAssigned' }, siteProperties: { httpsOnly: true, clientCertEnabled: false }, config: { minTlsVersion: '1.2' } }).id;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'posture-levels-'));
    const caFile = path.join(tmp, 'ca.pem');
    fs.writeFileSync(caFile, fake.caPem);
    project = path.join(tmp, 'project');
    bare = path.join(tmp, 'bare');
    fs.mkdirSync(project);
    fs.mkdirSync(bare);
    fs.writeFileSync(path.join(project, '.azure-secure-dev.json'), JSON.stringify({ rules: { 'APPSVC-CLIENT-CERT': 'warning', 'APPSVC-FTPS': 'off' } }));
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

  async function checks(args: string[], cwd: string): Promise<Check[]> {
    const r = await runCli(['posture', '--app', app, '--format', 'json', ...args], env, cwd);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    return JSON.parse(r.out).apps[0].checks as Check[];
  }

  it('without a config, APPSVC-CLIENT-CERT is off and APPSVC-FTPS runs', async () => {
    const ids = (await checks([], bare)).map((c) => c.ruleId);
    assert.ok(!ids.includes('APPSVC-CLIENT-CERT'));
    assert.ok(ids.includes('APPSVC-FTPS'));
  });

  it('the config in the current folder turns APPSVC-CLIENT-CERT on and APPSVC-FTPS off', async () => {
    const found = await checks([], project);
    assert.equal(found.find((c) => c.ruleId === 'APPSVC-CLIENT-CERT')?.status, 'warning');
    assert.ok(!found.some((c) => c.ruleId === 'APPSVC-FTPS'));
  });

  it('--config names the config file', async () => {
    const found = await checks(['--config', path.join(project, '.azure-secure-dev.json')], bare);
    assert.equal(found.find((c) => c.ruleId === 'APPSVC-CLIENT-CERT')?.status, 'warning');
  });
});
