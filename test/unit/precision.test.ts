import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { detectFileKind, isDocumentationPath, isIgnoredByDefault, isUnquotedConfigPath } from '../../src/core/fileKind';
import { secretRules } from '../../src/core/rules/secrets';
import { classifyLiteral, hasPasswordWord, isNameLike } from '../../src/core/rules/secrets/negatives';
import { fakeSecret } from '../support/fakeSecrets';

// The literal-shape judgement behind every name = value secret rule (issue 10: precision on real code).
// Rule-level true and false positives live in src/core/rules/secrets/examples (test/unit/ruleExamples.test.ts).

describe('precision: literal shape', () => {
  it('reads identifiers, words, paths and sentences as names', () => {
    const names = [
      'acquireTokenByRefreshToken', 'password_recently_used', 'lock-token', 'AZURE_FINETUNING_TOKEN_SCOPE', 'Authentication', 'next-page', 'AzureIdentity',
      'Disabled', 'RES_TYPE', 'Get-AzKeyVaultSecret', 'EventHubConnectionString', 'MySendGridKey', 'AzureWebJobsSecretStorageKeyVaultClientSecret',
      'azure.identity.token.acquired', 'CancellationTokenRegistration', 'oobeSystem', 'X509Certificate', 'HTTPClientFactory', 'SQLServerPassword',
      'application/json', '/etc/secrets/db-password.txt', 'C:\\Users\\me\\secrets.json', '@azure/identity', 'x-ms-client-secret', 'KafkaPassword',
    ];
    assert.deepEqual(names.filter((n) => !isNameLike(n)), []);
  });

  it('never reads a random password as a name (1,000 fake passwords)', () => {
    const named: number[] = [];
    for (let seed = 0; seed < 1000; seed++) if (isNameLike(fakeSecret('password', seed))) named.push(seed);
    assert.deepEqual(named, [], 'seeds whose fake password reads as a name');
  });

  it('classifies literals: placeholder, name, weak, random, plain', () => {
    const random = fakeSecret('password', 3);
    const cases: [string, string | undefined, string][] = [
      ['<your-password>', undefined, 'placeholder'],
      ['${DB_PASSWORD}', undefined, 'placeholder'],
      ['changeme', undefined, 'placeholder'],
      ['Password123', undefined, 'placeholder'],
      ['Test1234', undefined, 'placeholder'],
      ['credentials.password', undefined, 'name'],
      ["this.get_option('password')", undefined, 'name'],
      ['getPassword()', undefined, 'name'],
      ['id=npmrc,src=/run/npmrc', undefined, 'name'],
      ['$ResourceGroupName/$KeyVaultName', undefined, 'placeholder'],
      ['AZFD0012', undefined, 'name'],
      ['/api/specialize?api-version=2021-01-01', undefined, 'name'],
      ['AzureWebJobsSecretStorageKeyVaultClientSecret', 'KeyVaultClientSecret', 'name'],
      ['Change this password', undefined, 'placeholder'],
      ['the password of the admin account', undefined, 'name'],
      [['P@$$', 'w0rd1234!'].join(''), undefined, 'weak'],
      [['Pass', 'word1234!'].join(''), undefined, 'weak'],
      [['Jumpbox', 'AdminP@ssw0rd1234!'].join(''), undefined, 'weak'],
      [random, 'password', 'random'],
      ['a b c d e f g h', undefined, 'plain'],
    ];
    for (const [value, key, want] of cases) assert.equal(classifyLiteral(value, key), want, `${want} case #${cases.findIndex((c) => c[0] === value)}`);
  });

  it('finds dictionary password words through the usual substitutions', () => {
    assert.ok(hasPasswordWord('P@$$w0rd!'));
    assert.ok(hasPasswordWord('Adm1nAdmin'));
    assert.ok(!hasPasswordWord(fakeSecret('password', 8).replace(/pass|adm|test|demo|secr|welc|qwer|letm|defa/gi, 'x')));
  });
});

describe('precision: files with unquoted values', () => {
  it('reads extension-less dotfiles and credentials files as unquoted configuration', () => {
    for (const p of ['home/.bash_profile', '.bashrc', '.credentials', '.npmrc', '.netrc', '.git-credentials', '.aws/credentials', 'etc/app.properties', 'run.sh']) {
      assert.equal(detectFileKind(p), 'code', p);
      assert.ok(isUnquotedConfigPath(p), p);
    }
    for (const p of ['src/app.js', '.eslintrc.js', 'README.md', 'Program.cs']) assert.ok(!isUnquotedConfigPath(p), p);
  });

  it("skips npm's hidden lockfile like package-lock.json, and knows documentation files", () => {
    assert.ok(isIgnoredByDefault('node_modules/.package-lock.json'));
    assert.ok(isDocumentationPath('docs/README.md') && isDocumentationPath('guide.rst') && !isDocumentationPath('main.bicep'));
  });
});

describe('precision: severity of heuristic findings', () => {
  it('low-confidence secret rules are hints, so they never reach the Problems panel as errors or warnings', () => {
    const loud = secretRules.filter((r) => r.confidence === 'low' && r.severity !== 'hint').map((r) => r.id);
    assert.deepEqual(loud, []);
  });

  it('sample passwords in connection strings, URIs and IaC are hints, never errors', () => {
    const sample = ['P@ss', 'w0rd1234!'].join('');
    const docs: [string, string][] = [
      ['appsettings.json', JSON.stringify({ ConnectionStrings: { Db: `Server=db;Database=app;User Id=sa;Password=${sample};` } })],
      ['app.js', `const url = "mongodb://admin:${sample.replace('@', 'a')}@mongo:27017/db";\n`],
      ['main.tf', `admin_password = "${sample}"\n`],
      ['main.bicep', `param adminPassword string = '${sample}'\n`],
    ];
    for (const [file, text] of docs) {
      const found = scanText(text, file).findings.filter((f) => f.tag === 'secret');
      assert.equal(found.length, 1, `${file}: one finding`);
      assert.equal(found[0].severity, 'hint', `${file}: severity`);
      assert.equal(found[0].ruleId, 'SECRET-GENERIC-PASSWORD', file);
    }
  });

  it('a password statement in code is never an error-level connection string', () => {
    const pw = fakeSecret('password', 21);
    for (const [file, text] of [
      ['login.js', `const password = "${pw}";\n`],
      ['Login.cs', `var cfg = new Config { Username = "app", Password = "${pw}", Timeout = 30 };\n`],
      ['login.py', `password = "${pw}"; user = "app"\n`],
    ]) {
      const levels = scanText(text, file).findings.map((f) => `${f.ruleId}:${f.severity}`);
      assert.deepEqual(levels, ['SECRET-GENERIC-PASSWORD:hint'], file);
    }
  });
});
