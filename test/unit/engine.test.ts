import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { scanText } from '../../src/core/engine';
import { maskRanges, maskSecret } from '../../src/core/mask';
import type { Checker, RuleMeta } from '../../src/core/model';
import { suppressionComment } from '../../src/core/suppressionEdit';
import { matchGlob } from '../../src/core/glob';
import { detectFileKind } from '../../src/core/fileKind';
import { hmacSha256, sha256Hex } from '../../src/core/hash';

// A test-only rule that flags the word TOKEN_X, so engine mechanics are tested apart from the real rules.
const RULE: RuleMeta = { id: 'TEST-WORD', title: 'Test word', tag: 'secret', severity: 'warning', confidence: 'high', description: 'A test word was found.' };
const checker: Checker = {
  ruleIds: ['TEST-WORD'],
  check: (doc) => {
    const out = [];
    for (let i = doc.text.indexOf('TOKEN_X'); i !== -1; i = doc.text.indexOf('TOKEN_X', i + 1)) out.push({ ruleId: 'TEST-WORD', start: i, end: i + 7, secret: 'TOKEN_X' });
    return out;
  },
};
const scan = (text: string, path = 'a.env', extra = {}) => scanText(text, path, { extraCheckers: [checker], extraRules: [RULE], ...extra });

describe('engine', () => {
  it('reports the token range with 0-based line and column, and a stable fingerprint', () => {
    const r = scan('A=1\r\nB=TOKEN_X\n');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0];
    assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [1, 2, 1, 9]);
    assert.equal(f.message, RULE.description);
    assert.equal(f.fingerprint, scan('\n\n\nB=TOKEN_X').findings[0].fingerprint, 'fingerprint survives line moves');
  });

  it('applies rule levels: off disables, a severity overrides', () => {
    assert.equal(scan('TOKEN_X', 'a.env', { levels: { 'TEST-WORD': 'off' } }).findings.length, 0);
    assert.equal(scan('TOKEN_X', 'a.env', { levels: { 'TEST-WORD': 'error' } }).findings[0].severity, 'error');
  });

  const suppressionCases: [string, string, string, number][] = [
    ['same line, #', 'a.env', 'B=TOKEN_X # azure-secure-dev-ignore TEST-WORD -- test fixture', 0],
    ['line above, alone', 'a.env', '# azure-secure-dev-ignore TEST-WORD -- fixture\nB=TOKEN_X', 0],
    ['next-line, //', 'a.ts', '// azure-secure-dev-ignore-next-line TEST-WORD -- fixture\nconst b = "TOKEN_X";', 0],
    ['block comment', 'a.ts', 'const b = "TOKEN_X"; /* azure-secure-dev-ignore TEST-WORD -- x */', 0],
    ['xml comment', 'web.config', '<!-- azure-secure-dev-ignore-next-line TEST-WORD -- x -->\n<add value="TOKEN_X"/>', 0],
    ['file-wide', 'a.env', 'A=1\n# azure-secure-dev-ignore-file TEST-WORD -- samples\nB=TOKEN_X\nC=TOKEN_X', 0],
    ['wildcard', 'a.env', 'B=TOKEN_X # azure-secure-dev-ignore * -- fixture', 0],
    ['several ids', 'a.env', 'B=TOKEN_X # azure-secure-dev-ignore OTHER, TEST-WORD -- fixture', 0],
    ['other rule only', 'a.env', 'B=TOKEN_X # azure-secure-dev-ignore OTHER -- fixture', 1],
    ['two lines above', 'a.env', '# azure-secure-dev-ignore-next-line TEST-WORD\n\nB=TOKEN_X', 1],
    ['trailing comment does not cover the next line', 'a.env', 'A=1 # azure-secure-dev-ignore TEST-WORD\nB=TOKEN_X', 1],
  ];
  for (const [name, path, text, expected] of suppressionCases) {
    it(`suppression: ${name}`, () => {
      const r = scan(text, path);
      assert.equal(r.findings.length, expected);
      assert.equal(r.suppressed.length + r.findings.length, (text.match(/TOKEN_X/g) ?? []).length, 'suppressed findings are counted, not dropped');
    });
  }

  it('can ignore inline suppressions (for teams that forbid them)', () => {
    assert.equal(scan('B=TOKEN_X # azure-secure-dev-ignore TEST-WORD', 'a.env', { ignoreInlineSuppressions: true }).findings.length, 1);
  });

  it('writes suppression comments that the engine honours, in each comment syntax', () => {
    const files: [string, string][] = [
      ['a.env', 'A=1\nB=TOKEN_X\n'],
      ['main.bicep', "param a string\nvar b = 'TOKEN_X'\n"],
      ['web.config', '<?xml version="1.0"?>\n<configuration>\n  <add value="TOKEN_X"/>\n</configuration>\n'],
      ['app.py', 'x = 1\ny = "TOKEN_X"\n'],
      ['appsettings.json', '{\n  "a": "TOKEN_X"\n}\n'],
      ['crlf.env', 'A=1\r\nB=TOKEN_X\r\n'],
    ];
    for (const [path, text] of files) {
      const f = scan(text, path).findings[0];
      for (const scope of ['line', 'file'] as const) {
        const edit = suppressionComment(text, path, 'TEST-WORD', scope, f.line);
        const next = text.slice(0, edit.offset) + edit.text + text.slice(edit.offset);
        const r = scan(next, path);
        assert.equal(r.findings.length, 0, `${path} ${scope}:\n${next}`);
        assert.equal(r.suppressed.length, 1);
        if (path === 'web.config' && scope === 'file') assert.ok(next.startsWith('<?xml'), 'XML declaration stays first');
      }
    }
  });
});

describe('masking', () => {
  it('keeps at most two characters and the length', () => {
    const s = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const m = maskSecret(s);
    assert.ok(!m.includes('cdef'));
    assert.match(m, /^ab•+ \(36 chars\)$/);
    assert.equal(maskSecret('short'), '•••••• (5 chars)');
    assert.equal(maskRanges('x=SECRETSECRET1;', [{ start: 2, end: 15 }]), `x=${maskSecret('SECRETSECRET1')};`);
  });
});

describe('globs, file kinds, hashing', () => {
  const globs: [string, string, boolean][] = [
    ['test/fixtures/a.json', 'test/fixtures/**', true],
    ['src/a.json', 'test/**', false],
    ['deep/x/y.snap', '*.snap', true],
    ['a/b/c.env', '**/b/*.env', true],
    ['a/b/c.env', 'b/*.env', false],
    ['node_modules/x/y.js', 'node_modules/', true],
  ];
  for (const [path, pattern, expected] of globs) it(`glob ${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matchGlob(path, pattern), expected));

  it('matches a hostile glob in linear-ish time', () => {
    const started = Date.now();
    assert.equal(matchGlob('a'.repeat(5000), '*a*a*a*a*a*a*a*a*b'), false);
    assert.ok(Date.now() - started < 1000);
  });

  const kinds: [string, string, string][] = [
    ['infra/main.bicep', '', 'bicep'],
    ['main.bicepparam', '', 'bicepparam'],
    ['infra/main.tf', '', 'terraform'],
    ['prod.tfvars', '', 'terraform'],
    ['.env', '', 'env'],
    ['.env.production', '', 'env'],
    ['web.config', '', 'xml'],
    ['.github/workflows/deploy.yml', '', 'yaml'],
    ['appsettings.Development.json', '', 'appsettings'],
    ['local.settings.json', '', 'local-settings'],
    ['azuredeploy.json', '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}', 'arm-template'],
    ['azuredeploy.parameters.json', '{}', 'arm-parameters'],
    ['settings.json', '[{"name":"A","value":"b","slotSetting":false}]', 'appservice-settings'],
    ['Program.cs', '', 'code'],
  ];
  for (const [path, text, kind] of kinds) it(`file kind of ${path} is ${kind}`, () => assert.equal(detectFileKind(path, text), kind));

  it('computes SHA-256 like the standard', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex('a'.repeat(1000)), createHash('sha256').update('a'.repeat(1000)).digest('hex'));
  });

  it('computes SHA-256 like Node for every length around the block edges, non-ASCII text and bytes, call after call', () => {
    const pieces = ['a', 'Z', '0', ' ', 'é', '€', '😀', '\u0000', '='];
    let seed = 5;
    const next = () => (seed = (seed * 16807) % 2147483647);
    for (let len = 0; len < 300; len++) {
      const text = Array.from({ length: len }, () => pieces[next() % pieces.length]).join('');
      assert.equal(sha256Hex(text), createHash('sha256').update(text, 'utf8').digest('hex'), `length ${len}`);
      const bytes = Uint8Array.from({ length: len }, () => next() & 0xff);
      assert.equal(sha256Hex(bytes), createHash('sha256').update(bytes).digest('hex'), `bytes ${len}`);
    }
    // A long input after short ones, and a short one after it (shared buffers are cleared).
    const long = 'x'.repeat(100_000);
    assert.equal(sha256Hex(long), createHash('sha256').update(long).digest('hex'));
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('computes HMAC-SHA256 like Node, for short, block-sized and long keys', () => {
    for (const keyLength of [0, 6, 32, 64, 65, 200]) {
      const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 31 + 7) & 0xff);
      for (const message of ['', 'abc', 'x'.repeat(70), 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0']) {
        const bytes = new TextEncoder().encode(message);
        assert.equal(Buffer.from(hmacSha256(key, bytes)).toString('hex'), createHmac('sha256', key).update(bytes).digest('hex'), `key ${keyLength}, message ${message.length}`);
      }
    }
  });
});

describe('engine: one problem, one finding', () => {
  it('reports a keyed connection string in IaC app settings once, as the specific secret', () => {
    const password = ['Xq4', 'Lm9', 'Tz2', 'Wp7', 'Rk5'].join('');
    const text = JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      resources: [{ type: 'Microsoft.Web/sites', name: 'a', identity: { type: 'SystemAssigned' }, properties: { httpsOnly: true, siteConfig: { appSettings: [{ name: 'DbConnectionString', value: `Server=tcp:x.database.windows.net;Database=d;User ID=app;Password=${password};Encrypt=True` }] } } }],
    });
    const ids = scanText(text, 'azuredeploy.json').findings.map((f) => f.ruleId);
    assert.deepEqual(ids, ['SECRET-CONNECTION-STRING']);
    const withoutDetector = scanText(text, 'azuredeploy.json', { levels: { 'SECRET-CONNECTION-STRING': 'off' } }).findings.map((f) => f.ruleId);
    assert.deepEqual(withoutDetector, ['APPSVC-SETTING-PLAINTEXT-SECRET']);
  });
});
