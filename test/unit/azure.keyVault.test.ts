// Key Vault client (src/azure/keyVault.ts) against the fake Azure, with the real SecretClient.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { checkVaultUrl, describeAzureError, recoverSecret, secretExists, storeSecret, toSecretName, type KeyVaultCallOptions } from '../../src/azure';
import { FakeAzure, staticCredential, type RecordingCredential } from '../support/fakeAzure';

/** Everything written to stdout/stderr while `fn` runs (swallowed, so the test output stays readable). */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  let output = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (orig: typeof out) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      void orig;
      void rest;
      return true;
    };
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  try {
    return { result: await fn(), output };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('azure/keyVault against the fake Azure', function () {
  this.timeout(15000);
  let fake: FakeAzure;
  let credential: RecordingCredential;
  // Made at run time; must never show up in any message, log or printed error.
  const secretValue = `S3cr3t-${randomBytes(12).toString('hex')}`;
  const vaultUrl = 'https://kv-test-01.vault.azure.net';

  const base = (extra: Partial<KeyVaultCallOptions> = {}): KeyVaultCallOptions => ({
    vaultUrl,
    name: 'db-password',
    credential,
    clientOptions: { httpClient: fake.httpClient(), retryOptions: { maxRetries: 1, retryDelayInMs: 20, maxRetryDelayInMs: 50 } },
    ...extra,
  });

  /** Run a failing store, print what a careless caller would print, and check the value appears nowhere. */
  async function failingStore(extra: Partial<KeyVaultCallOptions> = {}) {
    const { result, output } = await captureOutput(async () => {
      try {
        await storeSecret({ ...base(extra), value: secretValue, contentType: 'text/plain' });
      } catch (e) {
        const d = describeAzureError(e);
        console.log('caught:', e);
        console.log(inspect(e, { depth: 10, showHidden: true }));
        console.log(d.message, JSON.stringify(d), JSON.stringify(e), String((e as Error).stack));
        return { e, d };
      }
      throw new Error('expected storeSecret to fail');
    });
    assert.ok(!output.includes(secretValue), 'secret value printed');
    assert.ok(!result.d.message.includes(secretValue));
    assert.ok(!JSON.stringify(fake.requests()).includes(secretValue), 'secret value in the fake request log');
    return { ...result, output };
  }

  beforeEach(async () => {
    fake = await FakeAzure.start();
    fake.addVault({ name: 'kv-test-01', tenantId: '11111111-2222-3333-4444-555555555555' });
    credential = staticCredential();
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('stores a secret through the 401 challenge; the fake holds name, content type and tags; nothing echoes the value', async () => {
    const stored = await storeSecret({ ...base(), value: secretValue, contentType: 'text/plain', tags: { source: 'azure-secure-dev', file: 'appsettings.json' } });
    assert.match(stored.id, /^https:\/\/kv-test-01\.vault\.azure\.net\/secrets\/db-password\/[0-9a-f]{32}$/);
    assert.equal(stored.versionlessId, 'https://kv-test-01.vault.azure.net/secrets/db-password');
    assert.equal(stored.contentType, 'text/plain');
    assert.ok(!JSON.stringify(stored).includes(secretValue), 'the result carries no value');

    const held = fake.secret('kv-test-01', 'db-password');
    assert.ok(held);
    assert.equal(held.value, secretValue);
    assert.equal(held.contentType, 'text/plain');
    assert.deepEqual(held.tags, { source: 'azure-secure-dev', file: 'appsettings.json' });
    assert.equal(held.version, stored.version);

    // Challenge flow: body-less unauthenticated probe → 401 with WWW-Authenticate → token for the vault's tenant → PUT.
    const log = fake.requests({ host: 'kv-test-01.vault.azure.net' });
    assert.deepEqual(
      log.map((e) => [e.method, e.status, e.authenticated]),
      [
        ['PUT', 401, false],
        ['PUT', 200, true],
      ],
    );
    assert.deepEqual(credential.calls, [{ scopes: ['https://vault.azure.net/.default'], tenantId: '11111111-2222-3333-4444-555555555555' }]);
    assert.deepEqual(log[1].body, { value: '***', attributes: {}, contentType: 'text/plain', tags: { source: 'azure-secure-dev', file: 'appsettings.json' } });
    assert.ok(!JSON.stringify(fake.requests()).includes(secretValue));

    // A second store makes a new version.
    const again = await storeSecret({ ...base(), value: `${secretValue}-2` });
    assert.notEqual(again.version, stored.version);
    assert.equal(fake.vault('kv-test-01').secrets.get('db-password')?.length, 2);
    assert.equal(await secretExists(base()), 'exists');
    assert.equal(await secretExists(base({ name: 'other' })), 'absent');
  });

  it('works for a sovereign-cloud vault (China) with that cloud\'s challenge resource', async () => {
    fake.addVault({ name: 'kv-cn', cloud: 'AzureChinaCloud' });
    await storeSecret({ ...base({ vaultUrl: 'https://kv-cn.vault.azure.cn/', cloud: 'AzureChinaCloud' }), value: secretValue });
    assert.equal(fake.secret('kv-cn.vault.azure.cn', 'db-password')?.value, secretValue);
    assert.deepEqual(credential.calls[0].scopes, ['https://vault.azure.cn/.default']);
  });

  it('refuses vault URLs off the cloud\'s Key Vault suffix before any request', async () => {
    const bad = [
      'http://kv-test-01.vault.azure.net',
      'https://kv-test-01.vault.azure.net.evil.example',
      'https://evil.example/kv-test-01.vault.azure.net',
      'https://kv-test-01.vault.azure.cn', // China vault while signed in to the public cloud
      'https://kv-test-01.vault.azure.net:8443',
      'https://user:pw@kv-test-01.vault.azure.net',
      'https://kv-test-01.vault.azure.net/secrets/x',
      'https://kv-test-01.vault.azure.net/?x=1',
      'https://vault.azure.net',
      'https://a.b.vault.azure.net',
      'https://kv-test-01.managedhsm.azure.net',
      'not a url',
    ];
    for (const url of bad) {
      await assert.rejects(storeSecret({ ...base({ vaultUrl: url }), value: secretValue }), (e: Error) => {
        assert.match(e.message, /^Refusing vault URL/);
        assert.equal(describeAzureError(e).kind, 'bad-request');
        assert.ok(!e.message.includes(secretValue));
        return true;
      }, url);
      assert.throws(() => checkVaultUrl(url, 'AzureCloud'), /Refusing vault URL/, url);
    }
    await assert.rejects(storeSecret({ ...base({ name: 'ConnectionStrings__Db' }), value: secretValue }), /not a valid secret name/);
    assert.deepEqual(fake.requests(), [], 'no request reached the fake');
    assert.deepEqual(credential.calls, [], 'no token was requested');

    assert.equal(checkVaultUrl('https://KV-Test-01.vault.azure.net/').vaultUrl, 'https://kv-test-01.vault.azure.net/');
    assert.equal(checkVaultUrl('https://kv-gov.vault.usgovcloudapi.net', 'AzureUSGovernment').vaultName, 'kv-gov');
    assert.equal(toSecretName('ConnectionStrings__Db'), 'ConnectionStrings--Db');
    assert.equal(toSecretName('My_App.Key'), 'My-App-Key');
  });

  it('403 → forbidden, telling which role is needed on which vault', async () => {
    fake.fault({ route: 'PUT kv-test-01.vault.azure.net/secrets/', status: 403 });
    const { d } = await failingStore();
    assert.equal(d.kind, 'forbidden');
    assert.match(d.message, /Key Vault Secrets Officer role \(or an access policy with Set\) on vault kv-test-01/);
    assert.match(d.message, /Request id: [0-9a-f-]{36}/);
  });

  it('409 on a soft-deleted name → conflict-deleted; secretExists says deleted; recover, then store works', async () => {
    fake.addVault({ name: 'kv-test-01', deletedSecrets: [{ name: 'db-password', value: 'old-value-from-before' }] });
    const { d } = await failingStore();
    assert.equal(d.kind, 'conflict-deleted');
    assert.match(d.message, /deleted secret named 'db-password' still exists in vault kv-test-01/);
    assert.match(d.message, /Recover it .* or choose another secret name/);

    assert.equal(await secretExists(base()), 'deleted');
    const recovered = await recoverSecret({ ...base(), pollIntervalMs: 20 });
    assert.equal(recovered.name, 'db-password');
    assert.equal(await secretExists(base()), 'exists');
    await storeSecret({ ...base(), value: secretValue });
    assert.equal(fake.secret('kv-test-01', 'db-password')?.value, secretValue);
    assert.ok(fake.requests({ method: 'POST', pathIncludes: '/deletedsecrets/db-password/recover' }).some((e) => e.status === 200));
  });

  it('429 with Retry-After is retried once and then succeeds', async () => {
    const f = fake.fault({ route: 'PUT kv-test-01.vault.azure.net/secrets/db-password', status: 429, retryAfterSeconds: 1, times: 1 });
    const t0 = Date.now();
    await storeSecret({ ...base(), value: secretValue });
    const elapsed = Date.now() - t0;
    assert.equal(f.hits, 1);
    assert.ok(elapsed >= 900, `waited for Retry-After (${elapsed} ms)`);
    assert.deepEqual(
      fake.requests({ method: 'PUT' }).map((e) => e.status),
      [401, 429, 200],
    );
    assert.equal(fake.secret('kv-test-01', 'db-password')?.value, secretValue);
  });

  it('429 that persists → throttled', async () => {
    fake.fault({ route: '/secrets/', status: 429, retryAfterSeconds: 1 });
    const { d } = await failingStore();
    assert.equal(d.kind, 'throttled');
    assert.match(d.message, /throttling .* retried automatically/);
    assert.match(d.message, /Wait 1 s/);
  });

  it('500 → server', async () => {
    fake.fault({ route: '/secrets/', status: 500 });
    const { d } = await failingStore();
    assert.equal(d.kind, 'server');
    assert.match(d.message, /server error .* retry in a minute/);
    assert.ok(d.retryable);
  });

  it('no answer within the time limit → timeout', async () => {
    fake.fault({ route: '/secrets/', timeout: true });
    const t0 = Date.now();
    const { d } = await failingStore({ timeoutMs: 300 });
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(d.kind, 'timeout');
    assert.match(d.message, /did not answer in time/);
  });

  it('dropped connection → network, telling to check connection and proxy', async () => {
    fake.fault({ route: '/secrets/', drop: true });
    const { d } = await failingStore();
    assert.equal(d.kind, 'network');
    assert.match(d.message, /Check your network connection and proxy settings/);
    assert.ok(fake.requests().some((e) => e.outcome === 'dropped'));
  });

  it('a dropped connection once is retried by the SDK and succeeds', async () => {
    fake.fault({ route: 'PUT kv-test-01.vault.azure.net/secrets/', drop: true, times: 1 });
    await storeSecret({ ...base(), value: secretValue });
    assert.equal(fake.secret('kv-test-01', 'db-password')?.value, secretValue);
  });

  it('a server that echoes the request body cannot leak the value into the message', async () => {
    fake.fault({ route: '/secrets/', status: 400, echoRequestBody: true });
    const { d, e } = await failingStore();
    assert.equal(d.kind, 'bad-request');
    assert.match(d.message, /rejected the request .* as invalid \(400/);
    assert.doesNotMatch(d.message, /Azure said|Invalid request body/, 'no server text in the message');
    assert.ok(!(e as Error).message.includes(secretValue));
  });

  it('a server that echoes the value upper-cased, URL-encoded, escaped or cut short cannot leak it into the message either', async () => {
    const echoes = [secretValue.toUpperCase(), encodeURIComponent(secretValue).replace(/-/g, '%2D'), secretValue.replace(/-/g, '\\u002d'), secretValue.slice(3)];
    for (const echo of echoes) {
      fake.clearFaults();
      fake.fault({ route: '/secrets/', status: 400, body: { error: { code: 'BadParameter', message: `Invalid value '${echo}'.` } } });
      const { d, output } = await failingStore();
      assert.equal(d.kind, 'bad-request');
      const printed = output.toLowerCase();
      for (let i = 0; i + 8 <= secretValue.length; i++) {
        assert.ok(!printed.includes(secretValue.slice(i, i + 8).toLowerCase()), `an 8-character piece (at ${i}) of the value was printed`);
      }
    }
  });

  it('cancelling through the abort signal → cancelled', async () => {
    fake.fault({ route: '/secrets/', delayMs: 2000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const { d } = await failingStore({ abortSignal: ac.signal });
    assert.equal(d.kind, 'cancelled');
  });
});
