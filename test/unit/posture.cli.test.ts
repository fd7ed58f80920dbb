import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAzure } from '../support/fakeAzure';
import { writeFakeAzCli } from '../support/fakeAzCli';
import { fakeSecret } from '../support/fakeSecrets';

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

  it('a failed run prints its error once, says why, and ends with a failure mark, never a success mark', async () => {
    const missing = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/nope`;
    const r = await runCli(['posture', '--app', bad, '--app', missing], env);
    assert.equal(r.code, 2, r.err);
    const screen = r.out + r.err;
    assert.equal(screen.split('was not found').length - 1, 1, screen);
    assert.match(r.err, /sites\/nope: '.*sites\/nope' was not found \(404/);
    assert.doesNotMatch(screen, /Could not complete the request/);
    const last = r.out.trimEnd().split('\n').pop()!;
    assert.match(last, /^✖ 1 of 2 app\(s\) could not be read; \d+ failing/);
    assert.doesNotMatch(r.out, /^✔ /m);
  });

  it('--app that is not a resource id: one line naming it and the expected form, exit 2, no Azure call', async () => {
    const before = fake.requests().length;
    const r = await runCli(['posture', '--app', 'not-a-resource-id'], env);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    const [first, ...rest] = r.err.trimEnd().split('\n');
    assert.equal(first, 'azure-secure-dev: --app "not-a-resource-id" is not an App Service resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Web/sites/<app>[/slots/<slot>]');
    assert.deepEqual(rest, ["Run 'azure-secure-dev --help' for the commands and options."]);
    assert.equal(fake.requests().length, before, 'no request reached Azure');
  });
});

describe('CLI posture sign-in failures (AzureCliCredential chosen explicitly: nothing probes the network)', function () {
  this.timeout(60_000);
  const APP = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app`;
  let noAz: string;

  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
    // A PATH with no `az` (nor anything else): the CLI runs with process.execPath.
    noAz = fs.mkdtempSync(path.join(os.tmpdir(), 'no-az-'));
  });

  function azScript(body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-'));
    fs.writeFileSync(path.join(dir, 'az'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return `${dir}:/usr/bin:/bin`;
  }

  it('no Azure CLI installed: names AzureCliCredential, says az is missing and to run az login, once; no summary line', async () => {
    const r = await runCli(['posture', '--app', APP], { PATH: noAz, HOME: noAz, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
    assert.equal(r.code, 2, r.err);
    assert.equal(r.out, '', 'nothing on stdout: no success mark, no empty report');
    assert.match(r.err, /^azure-secure-dev: Could not sign in to Azure with AzureCliCredential \(chosen by AZURE_TOKEN_CREDENTIALS\):\n/);
    assert.match(r.err, /\n {2}AzureCliCredential: the Azure CLI \(az\) is not installed or not on PATH\n/);
    assert.match(r.err, /install the Azure CLI .* and run 'az login'; or, with the Azure Developer CLI, run 'azd auth login' and set AZURE_TOKEN_CREDENTIALS=AzureDeveloperCliCredential/);
    assert.equal(r.err.split('Could not sign in').length - 1, 1, 'printed once');
    assert.doesNotMatch(r.err, /Could not complete the request|network connection/);
  });

  it('Azure CLI installed but signed out: says to run az login', async () => {
    const PATH = azScript(`echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`);
    const r = await runCli(['posture', '--app', APP], { PATH, HOME: noAz, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /AzureCliCredential: not signed in: run 'az login'\n/);
    assert.match(r.err, /To fix: run 'az login' \(add --tenant <tenant id> for another tenant\) and retry\./);
  });

  it("never shows what the az tool printed (it may hold a token or account data)", async () => {
    const leaked = fakeSecret('entra-client-secret', 16);
    const PATH = azScript(`echo "unexpected: ${leaked}" >&2; exit 1`);
    const r = await runCli(['posture', '--app', APP], { PATH, HOME: noAz, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
    assert.equal(r.code, 2);
    assert.match(r.err, /AzureCliCredential: did not return a token/);
    assert.ok(!(r.out + r.err).includes(leaked.slice(4, 20)), 'tool output not shown');
  });

  it('an AZURE_TOKEN_CREDENTIALS value the SDK does not know: one line listing the valid ones', async () => {
    const r = await runCli(['posture', '--app', APP], { PATH: noAz, HOME: noAz, AZURE_TOKEN_CREDENTIALS: 'AzureCLI' });
    assert.equal(r.code, 2);
    assert.match(r.err, /^azure-secure-dev: AZURE_TOKEN_CREDENTIALS is "AzureCLI"; use dev, prod or one of EnvironmentCredential, .*AzureCliCredential/);
  });

  it('a mistyped posture flag: one line naming it and the closest valid one, not the whole help', async () => {
    const r = await runCli(['posture', '--ap', APP], { PATH: noAz, HOME: noAz, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, "azure-secure-dev: unknown option --ap (did you mean --app?)\nRun 'azure-secure-dev --help' for the commands and options.\n");
  });
});
