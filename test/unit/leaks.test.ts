// Places other than a finding's output where a value from the user's files or requests could be echoed:
// Key Vault reference errors (rule message, diagnostic and hover), config errors, Azure error messages,
// and the masking helpers themselves.
import * as assert from 'node:assert/strict';
import { describeAzureError, toAzureRequestError } from '../../src/azure';
import { ConfigError, parseConfig } from '../../src/core/config';
import { looksSecret, maskName, maskText, maskValue } from '../../src/core/mask';
import { parseKeyVaultReference } from '../../src/core/references/keyVault';
import { allRules } from '../../src/core/rules';
import { FAKE_SECRET_KINDS, fakeSecret } from '../support/fakeSecrets';

/** Where in `secret` an 8-character piece of it appears in `text` (compared in lower case), or -1. */
function leakAt(text: string, secret: string): number {
  const hay = text.toLowerCase();
  for (let i = 0; i + 8 <= secret.length; i++) if (hay.includes(secret.slice(i, i + 8).toLowerCase())) return i;
  return -1;
}

function assertNoLeak(text: string, secret: string, where: string): void {
  const at = leakAt(text, secret);
  // The message says where the piece sits in the secret, never the piece.
  assert.ok(at === -1, `${where} holds an 8-character piece (at ${at}) of the secret`);
}

describe('leaks: Key Vault reference errors quote nothing from the reference', () => {
  const entra = fakeSecret('entra-client-secret', 31);
  const token = fakeSecret('github-pat', 32);
  const cases: [string, string, string][] = [
    ['a secret pasted as the whole reference', `@Microsoft.KeyVault(${entra})`, entra],
    ['a token as the SecretUri user', `@Microsoft.KeyVault(SecretUri=https://${token}@myvault.vault.azure.net/secrets/api)`, token],
    ['a token as the SecretUri host', `@Microsoft.KeyVault(SecretUri=https://${token}.example.com/secrets/api)`, token],
    ['a secret as an unknown parameter', `@Microsoft.KeyVault(VaultName=myvault;SecretName=db;${token}=x)`, token],
    ['a secret as a duplicated parameter', `@Microsoft.KeyVault(${token}=a;${token}=b)`, token],
  ];
  for (const [what, reference, secret] of cases) {
    it(`${what}: the error (shown in the finding, the diagnostic and the hover) says what is wrong in our words`, () => {
      const ref = parseKeyVaultReference(reference);
      assert.ok('error' in ref, 'the reference is reported malformed');
      assertNoLeak(ref.error, secret, 'the error');
      assert.ok(ref.error.length > 10);
    });
  }

  it('names the problem: user info in the SecretUri, a non-Key Vault host, an unknown parameter, a duplicate', () => {
    const err = (t: string) => (parseKeyVaultReference(t) as { error: string }).error;
    assert.match(err(`@Microsoft.KeyVault(SecretUri=https://${token}@myvault.vault.azure.net/secrets/api)`), /must not hold a user name or password/);
    assert.match(err('@Microsoft.KeyVault(SecretUri=https://myvault.example.com/secrets/api)'), /not a Key Vault host \(<vault>\.vault\.azure\.net/);
    assert.match(err('@Microsoft.KeyVault(VaultName=myvault;SecretName=db;Version=1)'), /unknown parameter: use VaultName, SecretName and optionally SecretVersion/);
    assert.match(err('@Microsoft.KeyVault(VaultName=a1;vaultname=b2)'), /duplicate VaultName/);
    assert.match(err('@Microsoft.KeyVault(justtext)'), /expected Name=Value pairs/);
  });
});

describe('leaks: config errors never echo the file', () => {
  const jwt = fakeSecret('jwt', 33);
  const secretKey = fakeSecret('github-pat', 34);
  const configError = (text: string): string => {
    try {
      parseConfig(text, 'cfg.json');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message;
    }
    assert.fail('expected a config error');
  };

  it('a secret as a rule level: the rule and the line, not the value', () => {
    const message = configError(`{\n  "rules": {\n    "SECRET-JWT": "${jwt}"\n  }\n}`);
    assertNoLeak(message, jwt, 'the config error');
    assert.match(message, /^cfg\.json:3: rule SECRET-JWT has an unknown level; use one of error, warning, info, hint, off$/);
  });

  it('a secret as a rule id: not repeated', () => {
    const message = configError(`{ "rules": { "${secretKey}": "loud" } }`);
    assertNoLeak(message, secretKey, 'the config error');
    assert.match(message, /a rule has an unknown level/);
  });

  it('an unknown property (a credentials file given as --config): the line, not the name', () => {
    const message = configError(`{\n  "tenantId": "x",\n  "clientSecret": "${secretKey}"\n}`);
    assert.doesNotMatch(message, /tenantId|clientSecret/);
    assertNoLeak(message, secretKey, 'the config error');
    assert.match(message, /^cfg\.json:2: unknown property; the known ones are \$schema, rules, ignorePaths/);
    const asKey = configError(`{ "${secretKey}": 1 }`);
    assertNoLeak(asKey, secretKey, 'the config error');
  });
});

describe('leaks: Azure error messages hold no server text', () => {
  const value = `${fakeSecret('azure-storage-key-legacy', 35)}`;
  // How servers have been seen to echo a sent value back.
  const echoes: [string, string][] = [
    ['verbatim', value],
    ['upper-cased', value.toUpperCase()],
    ['URL-encoded', encodeURIComponent(value)],
    ['suffixed', `${value}'.`],
    ['cut short', value.slice(0, 40)],
    ['\\u003d-escaped', value.replace(/=/g, '\\u003d').replace(/\+/g, '\\u002b').replace(/\//g, '\\u002f')],
  ];
  for (const [how, echo] of echoes) {
    it(`a 400 that echoes the value ${how}: Key Vault store and Resource Manager (posture) errors`, () => {
      const body = JSON.stringify({ error: { code: 'BadParameter', message: `The parameter value '${echo}' is not valid.`, innererror: { code: 'InvalidValue' } } });
      const restError = { name: 'RestError', statusCode: 400, response: { status: 400, headers: { 'x-ms-request-id': 'a1b2c3d4-0000-1111-2222-333344445555' }, bodyAsText: body } };
      const kv = toAzureRequestError(restError, { operation: 'store the secret', vault: 'kv1', secretName: 'db' }, [value]);
      const arm = toAzureRequestError(restError, { operation: 'update app settings', resource: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/app' }, [value]);
      for (const e of [kv, arm]) {
        for (const text of [e.message, describeAzureError(e).message, JSON.stringify(e.details), JSON.stringify(describeAzureError(restError))]) {
          assertNoLeak(text, value, `the ${how} echo`);
          if (echo.length >= 8) assertNoLeak(text, echo, `the ${how} echo`);
        }
        assert.match(e.message, /rejected the request to .* as invalid \(400 BadParameter\)\. Reason code: InvalidValue\./);
      }
    });
  }

  it('still tells a deleted-but-recoverable conflict and a missing list/action from the server words', () => {
    const conflict = { statusCode: 409, response: { status: 409, headers: {}, bodyAsText: JSON.stringify({ error: { code: 'Conflict', message: 'Secret db is currently in a deleted but recoverable state.' } }) } };
    assert.equal(describeAzureError(conflict, { vault: 'kv1', secretName: 'db' }).kind, 'conflict-deleted');
    const forbidden = { statusCode: 403, response: { status: 403, headers: {}, bodyAsText: JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'does not have authorization to perform action Microsoft.Web/sites/config/list/action' } }) } };
    assert.match(describeAzureError(forbidden, { operation: 'read app settings', resource: '/subscriptions/x/sites/app' }).message, /Settings are not readable with your role/);
  });

  it('drops an error code that is not a word (a server that echoes the value there)', () => {
    const token = fakeSecret('github-pat', 36);
    const e = { statusCode: 400, response: { status: 400, headers: {}, bodyAsText: JSON.stringify({ error: { code: token, message: 'x' } }) } };
    assertNoLeak(toAzureRequestError(e, { operation: 'store the secret', vault: 'kv1' }, []).message, token, 'the error code');
  });
});

describe('leaks: the masking helpers', () => {
  it('leave every rule title and description as written (no false masking of our own words)', () => {
    for (const r of allRules) {
      assert.equal(maskText(r.title), r.title, r.id);
      assert.equal(maskText(r.description), r.description, r.id);
    }
  });

  it('leave setting names and keys people write as written', () => {
    const names = [
      'AzureWebJobsStorage',
      'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'ServiceBus__ConnectionString',
      'ConnectionStrings:DefaultConnection',
      'scmIpSecurityRestrictionsUseMain',
      'azurerm_linux_web_app',
      'x509Certificate',
      'OAuth2Settings',
      'app-prod-eastus-001',
      '2024-04-01',
    ];
    for (const n of names) assert.equal(maskName(n), n, n);
  });

  it('mask every kind of fake secret used as a name (AWS key ids aside: identifiers, not secrets)', () => {
    for (const kind of FAKE_SECRET_KINDS) {
      if (kind === 'aws-access-key-id') continue;
      for (let seed = 1; seed <= 5; seed++) {
        const s = fakeSecret(kind, seed);
        assert.ok(looksSecret(s), `${kind} #${seed} does not look secret`);
        assertNoLeak(maskName(s), s, `${kind} #${seed} masked`);
        // A PEM's BEGIN/END lines are public words; its body lines are what must not show.
        const material = s.split('\n').filter((l) => !l.startsWith('-----'));
        for (const m of material) assertNoLeak(maskText(`App setting '${s}' holds a literal secret`), m, `${kind} #${seed} in a message`);
      }
    }
  });

  it('show a setting value only when it is plainly not a secret', () => {
    for (const v of ['false', 'true', "'1.0'", '"1.2"', "'AllAllowed'", "'Disabled'", "'*'", 'Encrypt=False', '0', "'None'"]) assert.equal(maskValue(v), v, v);
    const key = fakeSecret('azure-storage-key-legacy', 37);
    for (const v of [`'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${key}'`, `'http://user:${fakeSecret('password', 38)}@api.example.com/'`, `'${fakeSecret('password', 13)}'`, `"${key}"`]) {
      assert.notEqual(maskValue(v), v);
    }
  });

  it('are idempotent: masking masked text changes nothing', () => {
    const s = fakeSecret('github-pat', 39);
    const once = maskText(`Use https:// for ${s}_URL`);
    assert.equal(maskText(once), once);
  });
});
