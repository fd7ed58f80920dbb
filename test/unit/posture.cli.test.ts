import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAzure } from '../support/fakeAzure';
import { writeFakeAzCli } from '../support/fakeAzCli';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SUB = '11111111-2222-3333-4444-555555555555';

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('CLI posture against the local fake Azure (real SDK, DefaultAzureCredential narrowed to the Azure CLI)', function () {
  this.timeout(60_000);
  let fake: FakeAzure;
  let env: NodeJS.ProcessEnv;
  let good: string;
  let bad: string;

  before(async function () {
    if (!fs.existsSync(CLI)) this.skip();
    fake = await FakeAzure.start();
    fake.addSubscription({ subscriptionId: SUB, displayName: 'Contoso' });
    fake.setDefenderTier(SUB, 'Standard');
    good = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg', name: 'good-app', identity: { type: 'SystemAssigned' }, siteProperties: { httpsOnly: true }, config: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false }, publishing: { ftp: false, scm: false } }).id;
    bad = fake.addApp({ subscriptionId: SUB, resourceGroup: 'rg', name: 'bad-app', siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.0', ftpsState: 'AllAllowed' }, publishing: { ftp: true, scm: true } }).id;
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-ca-')), 'ca.pem');
    fs.writeFileSync(caFile, fake.caPem);
    env = {
      PATH: `${writeFakeAzCli()}:${process.env.PATH}`,
      HOME: process.env.HOME,
      NODE_EXTRA_CA_CERTS: caFile,
      HTTPS_PROXY: `http://127.0.0.1:${fake.proxy!.port}`,
      NO_PROXY: '127.0.0.1,localhost',
      // Never let the chain probe the managed-identity endpoint or anything else.
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    };
  });
  after(async () => fake?.dispose());

  it('reports the failing checks of an insecure app with the editor rule ids, exit 1', async () => {
    const r = await runCli(['posture', '--app', bad], env);
    assert.equal(r.code, 1, r.err);
    for (const id of ['APPSVC-HTTPS-ONLY', 'APPSVC-MIN-TLS', 'APPSVC-FTPS', 'APPSVC-BASIC-AUTH-FTP', 'APPSVC-BASIC-AUTH-SCM']) assert.match(r.out, new RegExp(`fail +${id}`), r.out);
    assert.ok(fake.requests({ pathIncludes: '/config/web' }).length >= 1, 'config/web was read (siteConfig on the site GET is not trusted)');
  });

  it('exit 0 when every check of a compliant app passes or is only a warning/unknown', async () => {
    const r = await runCli(['posture', '--app', good, '--format', 'json'], env);
    const report = JSON.parse(r.out);
    const failing = report.apps[0].checks.filter((c: { status: string }) => c.status === 'fail').map((c: { ruleId: string }) => c.ruleId);
    assert.equal(r.code, failing.length ? 1 : 0, failing.join(','));
    assert.ok(!failing.includes('APPSVC-MIN-TLS') && !failing.includes('APPSVC-HTTPS-ONLY'));
  });

  it('lists every app of a subscription through Resource Graph', async () => {
    const r = await runCli(['posture', '--subscription', SUB, '--format', 'json'], env);
    const report = JSON.parse(r.out);
    assert.equal(report.apps.length, 2, r.err);
    assert.ok(fake.requests({ pathIncludes: 'Microsoft.ResourceGraph' }).length >= 1);
  });

  it('a 403 on app settings leaves the secrets check unknown with the missing permission; other checks still run', async () => {
    const h = fake.fault({ route: '/config/appsettings/list', status: 403 });
    try {
      const r = await runCli(['posture', '--app', bad, '--format', 'json'], env);
      const checks = JSON.parse(r.out).apps[0].checks as { ruleId: string; status: string; unknownReason?: string }[];
      const secrets = checks.find((c) => c.ruleId === 'APPSVC-SETTING-PLAINTEXT-SECRET')!;
      assert.equal(secrets.status, 'unknown');
      assert.match(secrets.unknownReason ?? '', /config\/list\/action/);
      assert.equal(checks.find((c) => c.ruleId === 'APPSVC-MIN-TLS')!.status, 'fail');
    } finally {
      h.remove();
    }
  });

  it('an app that does not exist is an error, exit 2', async () => {
    const r = await runCli(['posture', '--app', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/nope`], env);
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /nope/);
  });
});
