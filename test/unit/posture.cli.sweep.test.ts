import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAzure, seedTenant, type SeededTenant } from '../support/fakeAzure';
import { writeFakeAzCli } from '../support/fakeAzCli';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

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

describe('CLI posture sweep: --subscription with slots, --management-group, --checks, --format jsonl (fake Azure, Azure CLI credential chosen explicitly)', function () {
  this.timeout(60_000);
  let fake: FakeAzure;
  let env: NodeJS.ProcessEnv;
  let tenant: SeededTenant;

  before(async function () {
    if (!fs.existsSync(CLI)) this.skip();
    fake = await FakeAzure.start();
    tenant = seedTenant(fake, { subscriptions: 2, sites: 6, slotEvery: 2, plainSecretEvery: 3 });
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
  beforeEach(() => {
    fake?.clearLog();
    fake?.deniedSubscriptions.clear();
  });

  it('--format jsonl streams one app per line, deployment slots included, then a summary line; exit 1 on failures', async () => {
    const r = await runCli(['posture', '--subscription', tenant.subscriptions[0], '--subscription', tenant.subscriptions[1], '--format', 'jsonl'], env);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    const apps = lines.slice(0, -1);
    assert.equal(apps.length, tenant.sites.length + tenant.slots.length);
    assert.deepEqual(apps.map((a) => a.resourceId.toLowerCase()).sort(), [...tenant.sites, ...tenant.slots].map((x) => x.toLowerCase()).sort());
    assert.equal(apps.filter((a) => a.isSlot).length, tenant.slots.length);
    assert.ok(apps.every((a) => Array.isArray(a.checks) && a.checks.length > 10));
    const last = lines[lines.length - 1];
    assert.equal(last.summary.reports, apps.length);
    assert.deepEqual(last.errors, []);
    // Never a setting value in the output.
    assert.doesNotMatch(r.out, /STORAGE_KEY"?\s*[:=]\s*"?[A-Za-z0-9+/]{20}/);
  });

  it('--checks resource-graph reads nothing per app; an unknown rule id is one usage line with the closest id', async () => {
    const r = await runCli(['posture', '--subscription', tenant.subscriptions[0], '--checks', 'resource-graph', '--format', 'json'], env);
    const report = JSON.parse(r.out);
    assert.ok(report.apps.length > 0);
    assert.ok(fake.requests().every((e) => /resourcegraph/i.test(e.path)), fake.requests().map((e) => e.path).join('\n'));
    const bad = await runCli(['posture', '--subscription', tenant.subscriptions[0], '--checks', 'APPSVC-MIN-TSL'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown rule id "?APPSVC-MIN-TSL"? \(did you mean APPSVC-MIN-TLS\?\)/);
  });

  it('--management-group sweeps its subscriptions; a subscription the identity cannot read is named on stderr and the others are reported, exit 2', async () => {
    fake.addManagementGroup('mg-test', tenant.subscriptions);
    const ok = await runCli(['posture', '--management-group', 'mg-test', '--checks', 'APPSVC-HTTPS-ONLY,APPSVC-MIN-TLS', '--format', 'json'], env);
    assert.equal(JSON.parse(ok.out).apps.length, tenant.sites.length + tenant.slots.length, ok.err);
    fake.denySubscription(tenant.subscriptions[1]);
    const r = await runCli(['posture', '--subscription', tenant.subscriptions[0], '--subscription', tenant.subscriptions[1], '--checks', 'APPSVC-HTTPS-ONLY'], env);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`subscription ${tenant.subscriptions[1]}: the identity cannot read it`));
    assert.ok(tenant.sites.filter((s) => s.includes(tenant.subscriptions[0])).every((s) => r.out.includes(s)));
    const badGroup = await runCli(['posture', '--management-group', 'bad group!'], env);
    assert.equal(badGroup.code, 2);
    assert.match(badGroup.err, /is not a management group id/);
  });
});
