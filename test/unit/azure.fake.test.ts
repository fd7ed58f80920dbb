// The fake Azure itself: TLS material, the CONNECT proxy (as a real client would use it), faults, clean shutdown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { FakeAzure, testCertificates } from '../support/fakeAzure';

/** GET through an HTTP CONNECT proxy with plain Node https, trusting only `ca`. */
function getViaProxy(proxyPort: number, host: string, path: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: host.includes(':') ? host : `${host}:443` });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT answered ${res.statusCode}`));
        return;
      }
      const req = https.request(
        { host, path, method: 'GET', headers, createConnection: () => tls.connect({ socket, servername: host, ...(ca ? { ca } : {}) }) },
        (r) => {
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (body += c));
          r.on('end', () => {
            socket.destroy();
            resolve({ status: r.statusCode ?? 0, body, headers: r.headers });
          });
        },
      );
      req.once('error', reject);
      req.end();
    });
    connect.once('error', reject);
    connect.end();
  });
}

describe('fake Azure', function () {
  this.timeout(15000);
  let fake: FakeAzure;
  beforeEach(async () => {
    fake = await FakeAzure.start();
    fake.addSubscription({ subscriptionId: '00000000-0000-0000-0000-0000000000aa', displayName: 'Test subscription' });
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('makes a CA and a leaf covering the Azure hosts, once per process', () => {
    const a = testCertificates();
    assert.equal(testCertificates(), a, 'cached');
    const leaf = new X509Certificate(a.certPem);
    const ca = new X509Certificate(a.caPem);
    assert.ok(leaf.verify(ca.publicKey), 'leaf signed by the CA');
    assert.ok(ca.ca && !leaf.ca);
    for (const h of ['kv1.vault.azure.net', 'kv1.vault.azure.cn', 'kv1.vault.usgovcloudapi.net', 'management.azure.com', 'schema.management.azure.com', 'management.chinacloudapi.cn', 'management.usgovcloudapi.net', 'localhost']) {
      assert.ok(leaf.checkHost(h), h);
    }
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(leaf.checkHost('evil.example'), undefined);
  });

  it('serves an open-ended ARM template schema, so a JSON editor opening a template through the proxy shows no schema error', async () => {
    assert.ok(fake.proxy);
    const schema = await getViaProxy(fake.proxy.port, 'schema.management.azure.com', '/schemas/2019-04-01/deploymentTemplate.json', fake.caPem);
    assert.equal(schema.status, 200);
    assert.equal(JSON.parse(schema.body).type, 'object');
  });

  it('the CONNECT proxy tunnels host:443 to the fake; a Node https client trusting the CA reaches ARM and Key Vault', async () => {
    assert.ok(fake.proxy);
    const ca = fake.caPem;
    const arm = await getViaProxy(fake.proxy.port, 'management.azure.com', '/subscriptions?api-version=2022-12-01', ca, { authorization: 'Bearer t' });
    assert.equal(arm.status, 200);
    assert.equal(JSON.parse(arm.body).value[0].displayName, 'Test subscription');

    const kv = await getViaProxy(fake.proxy.port, 'kv-proxy.vault.azure.net', '/secrets/x?api-version=7.5', ca);
    assert.equal(kv.status, 401);
    assert.match(String(kv.headers['www-authenticate']), /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/);

    assert.deepEqual(
      fake.proxy.log.map((e) => e.outcome),
      ['tunnelled', 'tunnelled'],
    );
    // Without the CA the TLS handshake fails (the certificate is not publicly trusted).
    await assert.rejects(getViaProxy(fake.proxy.port, 'management.azure.com', '/subscriptions', ''), /certificate|self[- ]signed|issuer/i);
    // Only port 443 is tunnelled.
    await assert.rejects(getViaProxy(fake.proxy.port, 'management.azure.com:22', '/', ca), /CONNECT answered 403/);
  });

  it('a child process using the SDK pipeline reaches the fake with only HTTPS_PROXY and NODE_EXTRA_CA_CERTS set', async () => {
    assert.ok(fake.proxy);
    const dir = mkdtempSync(join(tmpdir(), 'fake-azure-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, fake.caPem);
      const script = `
        const p = require('@azure/core-rest-pipeline');
        const pipeline = p.createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
        const req = p.createPipelineRequest({ url: 'https://management.azure.com/subscriptions?api-version=2022-12-01', headers: p.createHttpHeaders({ authorization: 'Bearer t' }) });
        pipeline.sendRequest(p.createDefaultHttpClient(), req).then((r) => { process.stdout.write(r.status + ' ' + r.bodyAsText); }, (e) => { process.stdout.write('ERR ' + e.message); process.exitCode = 1; });
      `;
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['-e', script],
          {
            cwd: process.cwd(),
            timeout: 10000,
            env: { PATH: process.env.PATH ?? '', HTTPS_PROXY: fake.proxy!.url, NODE_EXTRA_CA_CERTS: caFile, NO_PROXY: '' },
          },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
        );
      });
      assert.match(out, /^200 /);
      assert.equal(JSON.parse(out.slice(4)).value[0].subscriptionId, '00000000-0000-0000-0000-0000000000aa');
      assert.deepEqual(fake.proxy.log, [{ target: 'management.azure.com:443', outcome: 'tunnelled' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one-shot faults apply to the first N matching requests only; latency applies to every request', async () => {
    const client = fake.httpClient();
    const { createPipelineRequest, createHttpHeaders } = await import('@azure/core-rest-pipeline');
    const get = async (path: string) =>
      (
        await client.sendRequest(
          createPipelineRequest({ url: `https://management.azure.com${path}`, headers: createHttpHeaders({ authorization: 'Bearer t' }) }),
        )
      ).status;
    const f = fake.fault({ route: /^GET management\.azure\.com\/subscriptions$/, status: 503, times: 2 });
    assert.deepEqual([await get('/subscriptions?api-version=1'), await get('/subscriptions?api-version=1'), await get('/subscriptions?api-version=1')], [503, 503, 200]);
    assert.equal(f.hits, 2);
    assert.equal(await get('/subscriptions'), 400, 'api-version is required');
    fake.latencyMs = 100;
    const t0 = Date.now();
    await get('/subscriptions?api-version=1');
    assert.ok(Date.now() - t0 >= 95);
    assert.equal(await get('/nowhere?api-version=1'), 404);
  });

  it('dispose closes a held (timeout) request and frees the port', async () => {
    fake.fault({ route: '/subscriptions', timeout: true });
    const client = fake.httpClient();
    const { createPipelineRequest, createHttpHeaders } = await import('@azure/core-rest-pipeline');
    const pending = client
      .sendRequest(createPipelineRequest({ url: 'https://management.azure.com/subscriptions?api-version=1', headers: createHttpHeaders({ authorization: 'Bearer t' }) }))
      .then(
        () => 'answered',
        () => 'failed',
      );
    await new Promise((r) => setTimeout(r, 100));
    const port = fake.port;
    await fake.dispose();
    assert.equal(await pending, 'failed');
    await new Promise<void>((resolve, reject) => {
      const s = http.createServer().listen(port, '127.0.0.1', () => s.close(() => resolve()));
      s.once('error', reject);
    });
  });
});
