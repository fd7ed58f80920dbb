import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../..');
const INJECTION = 'keyvault-reference.injection';

// A minimal host language with strings and comments, standing in for JSON, Bicep, YAML, …: the injection
// grammar must colour Key Vault references inside strings and nowhere else.
const HOST = {
  scopeName: 'source.asd-test',
  patterns: [
    { name: 'comment.line.double-slash', match: '//.*$' },
    { name: 'string.quoted.double', begin: '"', end: '"' },
    { name: 'string.quoted.single', begin: "'", end: "'" },
  ],
};

let registry: vsctm.Registry;

before(async () => {
  const wasm = fs.readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => {
      if (scope === HOST.scopeName) return vsctm.parseRawGrammar(JSON.stringify(HOST), 'host.json');
      if (scope === INJECTION) {
        const file = path.join(ROOT, 'syntaxes/keyvault-reference.injection.tmLanguage.json');
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      return null;
    },
    getInjections: (scope) => (scope === HOST.scopeName ? [INJECTION] : undefined),
  });
});

async function tokens(line: string): Promise<{ text: string; scopes: string[] }[]> {
  const grammar = await registry.loadGrammar(HOST.scopeName);
  const r = grammar!.tokenizeLine(line, vsctm.INITIAL);
  return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

const scopeOf = async (line: string, text: string) => (await tokens(line)).find((t) => t.text === text)?.scopes ?? [];

describe('Key Vault reference grammar', () => {
  it('is contributed as an injection into the file kinds we check', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const g = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === INJECTION);
    assert.ok(g, 'grammar not contributed');
    for (const scope of ['source.json', 'source.yaml', 'source.bicep', 'source.terraform', 'text.xml']) assert.ok(g.injectTo.includes(scope), scope);
  });

  it('scopes the vault, the secret and the version of a SecretUri reference separately', async () => {
    const line = '"value": "@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef)"';
    assert.ok((await scopeOf(line, '@Microsoft.KeyVault')).includes('support.function.keyvault-reference'));
    assert.ok((await scopeOf(line, 'contoso-kv')).includes('entity.name.type.keyvault-reference.vault'));
    assert.ok((await scopeOf(line, 'db-password')).includes('variable.other.constant.keyvault-reference.secret'));
    assert.ok((await scopeOf(line, '0123456789abcdef0123456789abcdef')).includes('constant.numeric.keyvault-reference.version'));
    assert.ok((await scopeOf(line, 'db-password')).includes('string.quoted.double'), 'stays inside the string');
  });

  it('scopes the VaultName/SecretName/SecretVersion form, in single quotes (Bicep)', async () => {
    const line = "value: '@Microsoft.KeyVault(VaultName=contoso-kv;SecretName=api-key;SecretVersion=0123456789abcdef0123456789abcdef)'";
    assert.ok((await scopeOf(line, 'contoso-kv')).includes('entity.name.type.keyvault-reference.vault'));
    assert.ok((await scopeOf(line, 'api-key')).includes('variable.other.constant.keyvault-reference.secret'));
    assert.ok((await scopeOf(line, 'SecretVersion')).includes('variable.parameter.keyvault-reference'));
  });

  it('sovereign cloud vault suffixes are recognised', async () => {
    const line = '"@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.cn/secrets/s1/)"';
    assert.ok((await scopeOf(line, 'kv1')).includes('entity.name.type.keyvault-reference.vault'));
  });

  it('leaves comments and text outside strings alone', async () => {
    const comment = await tokens('// @Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)');
    assert.ok(comment.every((t) => !t.scopes.some((s) => s.includes('keyvault'))));
  });

  it('does not run past the end of the string on a half-typed reference', async () => {
    const line = '"@Microsoft.KeyVault(SecretUri=https://kv" , "next"';
    assert.ok(!(await scopeOf(line, 'next')).some((s) => s.includes('keyvault')));
  });
});
