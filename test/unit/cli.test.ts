import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { defaultThreads, scanPathsParallel } from '../../src/cli/scan';
import { runCli } from '../support/cli';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SARIF is checked against its schema, not typed here
type Json = any;

const cli = runCli;

// A password built from pieces at run time, so the repository never holds it whole.
const PASSWORD = ['Zq7', 'xW2m', 'Pr9v', 'Lk4t', 'Hs8n'].join('');

function makeTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-cli-'));
  fs.mkdirSync(path.join(dir, 'infra'));
  fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'infra', 'site.json'),
    JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        resources: [{ type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: 'app', identity: { type: 'SystemAssigned' }, properties: { httpsOnly: false, siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' } } }],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, '.env'), `DB_HOST=db.internal\nDB_PASSWORD=${PASSWORD}\n`);
  fs.writeFileSync(path.join(dir, 'node_modules', 'x', '.env'), `DB_PASSWORD=${PASSWORD}\n`);
  fs.writeFileSync(path.join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing to see\n');
  return dir;
}

describe('CLI', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = makeTree();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds problems in dotfiles and nested folders, skips node_modules and binaries, exit 1', () => {
    const r = cli(['scan', dir, '--no-color']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^infra\/site\.json:\d+:\d+ +warning +APPSVC-HTTPS-ONLY /m);
    assert.match(r.out, /^\.env:2:13 /m);
    assert.doesNotMatch(r.out, /node_modules/);
    assert.doesNotMatch(r.out, /^image\.png:\d/m, 'no finding in a binary file');
    assert.match(r.out, /^1 binary file skipped \(listed in --format json\)$/m, 'a binary file is counted as skipped, not dropped silently');
    assert.ok(JSON.parse(cli(['scan', dir, '--format', 'json']).out).summary.skipped.some((s: { path: string }) => s.path === 'image.png'), 'the JSON report lists it');
    assert.match(r.out, /3 files scanned, 1 skipped$/m);
    assert.ok(!r.out.includes(PASSWORD), 'the secret value never reaches the output');
  });

  it('--help states when --output refuses a symbolic link', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out.replace(/\s+/g, ' '), /--output FILE .*Inside a scanned folder or the current folder, FILE and the folders on its way must not be symbolic links \(exit 2\)/);
  });

  it('writes --output over a regular file it wrote before, inside the scanned folder', () => {
    const out = path.join(dir, 'report.json');
    fs.writeFileSync(out, 'x'.repeat(100_000));
    assert.equal(cli(['scan', dir, '--format', 'json', '--output', out]).code, 1);
    assert.ok(JSON.parse(fs.readFileSync(out, 'utf8')).files.length > 0, 'replaced and truncated');
  });

  it('exits 0 with no findings', () => {
    const r = cli(['scan', path.join(dir, 'clean.txt')]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /0 problems/);
  });

  it('exits 2 on unreadable paths, bad config, bad format', () => {
    assert.equal(cli(['scan', path.join(dir, 'missing')]).code, 2);
    assert.equal(cli(['scan', dir, '--format', 'xml']).code, 2);
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ "rules": { "X": "loud" } }');
    const r = cli(['scan', dir]);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.azure-secure-dev\.json:1: a rule has an unknown level; use one of error/);
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ "baseline": "../../etc/passwd" }');
    const outside = cli(['scan', dir]);
    assert.equal(outside.code, 2);
    assert.match(outside.err, /outside/);
  });

  describe('exit policy (--fail-on)', () => {
    // Only hints: the https rule lowered to hint, the .env ignored.
    const hintsOnly = () => fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ "rules": { "APPSVC-HTTPS-ONLY": "hint" }, "ignorePaths": [".env"] }');

    it('exits 0 when the only findings are hints, and still reports them', () => {
      hintsOnly();
      const r = cli(['scan', dir, '--no-color']);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /^infra\/site\.json:\d+:\d+ +hint +APPSVC-HTTPS-ONLY /m);
      const sarif = JSON.parse(cli(['scan', dir, '--format', 'sarif']).out);
      assert.equal(sarif.runs[0].results[0].level, 'note');
    });

    it('--fail-on hint makes hints fail the run; --fail-on none never fails on findings', () => {
      hintsOnly();
      assert.equal(cli(['scan', dir, '--fail-on', 'hint']).code, 1);
      assert.equal(cli(['scan', dir, '--fail-on', 'info']).code, 0);
      fs.rmSync(path.join(dir, '.azure-secure-dev.json'));
      assert.equal(cli(['scan', dir]).code, 1, 'warnings and errors fail by default');
      assert.equal(cli(['scan', dir, '--fail-on', 'none']).code, 0);
      assert.equal(cli(['scan', dir, '--fail-on', 'error']).code, 0, 'a warning and a hint do not fail --fail-on error');
    });

    it('takes failOn from the config file; the flag wins', () => {
      fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ "rules": { "APPSVC-HTTPS-ONLY": "hint" }, "ignorePaths": [".env"], "failOn": "hint" }');
      assert.equal(cli(['scan', dir]).code, 1);
      assert.equal(cli(['scan', dir, '--fail-on', 'warning']).code, 0);
    });

    it('refuses a bad value with exit 2 and one clear line', () => {
      const r = cli(['scan', dir, '--fail-on', 'loud']);
      assert.equal(r.code, 2);
      assert.match(r.err, /^azure-secure-dev: --fail-on must be one of error, warning, info, hint, none, not "loud"$/m);
      assert.ok(r.err.split('\n').length <= 3, 'the whole help is not printed after the error');
      fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{\n "failOn": "sometimes" }');
      const c = cli(['scan', dir]);
      assert.equal(c.code, 2);
      assert.match(c.err, /\.azure-secure-dev\.json:2: "failOn" must be one of error, warning, info, hint, none/);
    });

    it('documents --fail-on in --help', () => {
      assert.match(cli(['--help']).out, /--fail-on error\|warning\|info\|hint\|none/);
    });
  });

  it('sums up info findings per rule in text output; --verbose and JSON list each one', () => {
    const site = (name: string) => ({ type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name, properties: { httpsOnly: true, siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' } } });
    const arm = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', resources: [site('a'), site('b')] };
    fs.writeFileSync(path.join(dir, 'infra', 'site.json'), JSON.stringify(arm, null, 2));
    fs.writeFileSync(path.join(dir, 'infra', 'other.json'), JSON.stringify(arm, null, 2));
    const r = cli(['scan', path.join(dir, 'infra'), '--no-color']);
    assert.doesNotMatch(r.out, /^\S+:\d+:\d+ +info /m, 'no info line per finding');
    assert.match(r.out, /^info +APPSVC-MANAGED-IDENTITY +4 findings in 2 files \(listed with --verbose or --format json\)$/m);
    assert.match(r.out, /4 problems in 2 files/);
    const verbose = cli(['scan', path.join(dir, 'infra'), '--no-color', '--verbose']);
    assert.equal(verbose.out.match(/^\S+:\d+:\d+ +info +APPSVC-MANAGED-IDENTITY /gm)?.length, 4);
    const json = JSON.parse(cli(['scan', path.join(dir, 'infra'), '--format', 'json']).out);
    assert.equal(json.files.flatMap((f: { findings: unknown[] }) => f.findings).length, 4);
  });

  it('names a mistyped flag and the closest valid one, in one line', () => {
    const r = cli(['scan', dir, '--formt', 'json']);
    assert.equal(r.code, 2);
    assert.equal(r.err, "azure-secure-dev: unknown option --formt (did you mean --format?)\nRun 'azure-secure-dev --help' for the commands and options.\n");
    assert.match(cli(['scan', dir, '--fail-on']).err, /option --fail-on needs a value/);
  });

  it('honours the project config: rule levels and ignored paths', () => {
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ // comments are fine\n "rules": { "APPSVC-HTTPS-ONLY": "off" }, "ignorePaths": [".env"] }');
    const r = cli(['scan', dir, '--format', 'json']);
    const report = JSON.parse(r.out);
    assert.equal(report.files.length, 0, r.out);
    assert.equal(r.code, 0);
  });

  it('reports a custom-pattern finding from the project config (text, JSON and SARIF), and says which pattern it refused', () => {
    // An internal token format only this project knows; built from pieces so the repository never holds one whole.
    const token = ['ctso', '_', '9f3k', 'x2m8', 'q7wz', 'p4ld'].join('');
    fs.writeFileSync(path.join(dir, 'deploy.sh'), `curl -H "X-Token: ${token}" https://internal.example\n`);
    fs.writeFileSync(
      path.join(dir, '.azure-secure-dev.json'),
      JSON.stringify({ customPatterns: [{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}', message: 'Contoso internal token.' }, { id: 'bad', pattern: '(a+)+$' }] }),
    );
    const r = cli(['scan', dir, '--no-color']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^deploy\.sh:1:\d+ +warning +CUSTOM-CONTOSO-TOKEN +Contoso internal token\./m);
    assert.match(r.err, /custom pattern CUSTOM-BAD is not used: may backtrack catastrophically/);
    const json = cli(['scan', dir, '--format', 'json']);
    assert.ok(!json.out.includes(token) && !r.out.includes(token), 'the token is never printed');
    const sarif = JSON.parse(cli(['scan', dir, '--format', 'sarif']).out);
    const run = sarif.runs[0];
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'CUSTOM-CONTOSO-TOKEN');
    assert.ok(result, 'the SARIF report holds the finding');
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, 'CUSTOM-CONTOSO-TOKEN', 'and describes its rule');
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), '{ "customPatterns": { "id": "x" } }');
    assert.match(cli(['scan', dir]).err, /"customPatterns" must be an array/);
  });

  it('writes JSON without secret values', () => {
    const r = cli(['scan', dir, '--format', 'json']);
    const report = JSON.parse(r.out);
    assert.ok(report.files.some((f: { path: string }) => f.path === '.env'));
    assert.ok(!r.out.includes(PASSWORD));
  });

  it('writes SARIF 2.1.0 that validates against the official schema, with relative URIs, tags and fingerprints', () => {
    const out = path.join(dir, 'out.sarif');
    const r = cli(['scan', dir, '--format', 'sarif', '--output', out]);
    assert.equal(r.code, 1);
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(!text.includes(PASSWORD), 'SARIF snippets are masked');
    const sarif: Json = JSON.parse(text);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The schema's patterns are ECMA-262 without the unicode flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(JSON.parse(text));
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...JSON.parse(text), version: '2.0' }), false, 'the validator rejects a wrong document');
    const run = sarif.runs[0];
    const uris = run.results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('.env') && uris.includes('infra/site.json'), uris.join());
    for (const res of run.results) assert.match(res.partialFingerprints['azureSecureDev/v1'], /^[0-9a-f]{32}$/);
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'APPSVC-HTTPS-ONLY');
    assert.deepEqual(rule.properties.tags, ['insecure-setting', 'security']);
    assert.ok(run.tool.driver.rules.some((x: { properties: { tags: string[] } }) => x.properties.tags[0] === 'secret'));
    // Stable: a second run gives the same fingerprints.
    cli(['scan', dir, '--format', 'sarif', '--output', out]);
    const again = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(again.runs[0].results.map((x: { partialFingerprints: object }) => x.partialFingerprints), run.results.map((x: { partialFingerprints: object }) => x.partialFingerprints));
  });

  it('baseline: known findings are not reported, a changed secret is', () => {
    const base = path.join(dir, 'baseline.json');
    assert.equal(cli(['baseline', dir, '--output', base]).code, 0);
    assert.ok(!fs.readFileSync(base, 'utf8').includes(PASSWORD));
    const r = cli(['scan', dir, '--baseline', base]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /in baseline/);
    fs.writeFileSync(path.join(dir, '.env'), `DB_HOST=db.internal\nDB_PASSWORD=${PASSWORD.split('').reverse().join('')}\n`);
    assert.equal(cli(['scan', dir, '--baseline', base, '--fail-on', 'hint']).code, 1, 'a rotated secret is reported again');
  });

  // The tree read: one read up to 64 KiB, a second for the rest; ASCII files become strings as latin1.
  it('reads text past the first 64 KiB, and reports the same positions in ASCII and in UTF-8 files', () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-cli-read-'));
    const filler = '# nothing here\n'.repeat(5000);
    fs.writeFileSync(path.join(tree, 'big.env'), `${filler}DB_PASSWORD=${PASSWORD}\n`);
    fs.writeFileSync(path.join(tree, 'ascii.env'), `# cafe\nDB_PASSWORD=${PASSWORD}\n`);
    fs.writeFileSync(path.join(tree, 'utf8.env'), `# café ☕\nDB_PASSWORD=${PASSWORD}\n`);
    const r = cli(['scan', tree, '--format', 'json', '--fail-on', 'none']);
    const files = (JSON.parse(r.out) as Json).files as { path: string; findings: { line: number; column: number; endColumn: number }[] }[];
    const at = (name: string) => files.find((f) => f.path === name)?.findings.map((f) => [f.line, f.column, f.endColumn]);
    assert.ok(Buffer.byteLength(filler) > 64 * 1024);
    assert.deepEqual(at('big.env'), [[5001, 13, 13 + PASSWORD.length]]);
    assert.deepEqual(at('ascii.env'), [[2, 13, 13 + PASSWORD.length]]);
    assert.deepEqual(at('utf8.env'), at('ascii.env'));
    fs.rmSync(tree, { recursive: true, force: true });
  });

  it('reports files over the size cap as skipped', () => {
    fs.writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(3 * 1024));
    const r = cli(['scan', dir, '--max-file-size', '2']);
    assert.match(r.out, /big\.txt: skipped, over the size limit/);
  });

  it('uses one thread below 4 cores by default (threads were measured slower there), --jobs threads give the same report', function () {
    assert.equal(defaultThreads(1), 1);
    assert.equal(defaultThreads(2), 1);
    assert.equal(defaultThreads(4), 4);
    assert.equal(defaultThreads(16), 4);
    const bin = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) this.skip();
    const one = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--jobs', '1'], { encoding: 'utf8' });
    const two = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--jobs', '2'], { encoding: 'utf8' });
    assert.equal(two.status, one.status, two.stderr);
    assert.deepEqual(JSON.parse(two.stdout), JSON.parse(one.stdout));
  });

  it('gives the same report over a work queue of several batches (--jobs 3, bundled bin) as with one thread', function () {
    const bin = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) this.skip();
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-cli-queue-'));
    for (let i = 0; i < 700; i++) {
      const sub = path.join(tree, `d${i % 7}`);
      fs.mkdirSync(sub, { recursive: true });
      const binary = Buffer.from(Array.from({ length: 512 }, (_, k) => (k * 7) % 256));
      const body = i % 50 === 0 ? `DB_PASSWORD=${PASSWORD}\n` : i % 60 === 0 ? binary : `# file ${i}\n`;
      fs.writeFileSync(path.join(sub, `f${i}.env`), body);
    }
    const one = spawnSync(process.execPath, [bin, 'scan', tree, '--format', 'json', '--jobs', '1', '--fail-on', 'none'], { encoding: 'utf8' });
    const three = spawnSync(process.execPath, [bin, 'scan', tree, '--format', 'json', '--jobs', '3', '--fail-on', 'none'], { encoding: 'utf8' });
    fs.rmSync(tree, { recursive: true, force: true });
    const report = JSON.parse(one.stdout) as Json;
    assert.equal(report.summary.scannedFiles, 700 - 9);
    assert.equal(report.summary.skipped.length, 9);
    assert.equal(report.files.length, 14);
    assert.deepEqual(JSON.parse(three.stdout), report);
  });

  it('rejects the scan cleanly when a worker thread fails, after this thread has scanned its share', async () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asd-cli-worker-')), 'broken.js');
    fs.writeFileSync(broken, 'throw new Error("worker failed to load");\n');
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-cli-wtree-'));
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(tree, `f${i}.env`), `# file ${i}\n`);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(scanPathsParallel({ paths: [tree], profile: {}, jobs: 2 }, broken), /worker failed to load/);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      fs.rmSync(tree, { recursive: true, force: true });
      fs.rmSync(path.dirname(broken), { recursive: true, force: true });
    }
  });

  it('runs the project config\'s custom patterns in worker threads too (--jobs 2, bundled bin)', function () {
    const bin = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) this.skip();
    fs.writeFileSync(path.join(dir, 'deploy.sh'), `TOKEN=${['ctso', '_', 'a1b2', 'c3d4', 'e5f6', 'g7h8'].join('')}\n`);
    fs.writeFileSync(path.join(dir, '.azure-secure-dev.json'), JSON.stringify({ customPatterns: [{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}' }] }));
    const two = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--jobs', '2'], { encoding: 'utf8' });
    const one = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--jobs', '1'], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(two.stdout), JSON.parse(one.stdout));
    assert.ok(two.stdout.includes('CUSTOM-CONTOSO-TOKEN'), two.stdout + two.stderr);
  });

  it('runs as the bundled bin (dist/cli.js) with the documented exit codes', function () {
    const bin = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) this.skip();
    const found = spawnSync(process.execPath, [bin, 'scan', dir], { encoding: 'utf8' });
    assert.equal(found.status, 1, found.stderr);
    const clean = spawnSync(process.execPath, [bin, 'scan', path.join(dir, 'clean.txt')], { encoding: 'utf8' });
    assert.equal(clean.status, 0);
    const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command/);
  });
});
