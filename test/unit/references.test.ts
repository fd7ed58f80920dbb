import * as assert from 'node:assert/strict';
import { portalFor, referenceAt } from '../../src/core/references/locate';

describe('Key Vault reference location (hover)', () => {
  const line = '  "value": "@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/db/)", "other": "x"';
  it('finds the reference under the cursor, and nothing elsewhere', () => {
    const at = line.indexOf('kv1');
    const r = referenceAt(line, at)!;
    assert.equal(r.text, '@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/db/)');
    assert.equal(referenceAt(line, line.indexOf('other')), undefined);
    assert.equal(referenceAt(line, 2), undefined);
  });
  it('stops an unclosed reference at the end of the quoted value', () => {
    const half = '"@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/db", "x": ")"';
    assert.equal(referenceAt(half, 5)!.text, '@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/db');
  });
  it('finds the second of two references on a line', () => {
    const two = "'@Microsoft.KeyVault(VaultName=a1b;SecretName=s1)' '@Microsoft.KeyVault(VaultName=c2d;SecretName=s2)'";
    assert.match(referenceAt(two, two.lastIndexOf('s2'))!.text, /SecretName=s2\)$/);
  });
  it('links the portal of the vault cloud', () => {
    assert.equal(portalFor('kv.vault.azure.cn'), 'https://portal.azure.cn');
    assert.equal(portalFor('kv.vault.usgovcloudapi.net'), 'https://portal.azure.us');
    assert.equal(portalFor('kv.vault.azure.net'), 'https://portal.azure.com');
  });
});
