import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { buildSamples } from '../../scripts/make-samples';
import { Capture } from '../support/cli';

const expected = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/samples-expected.json'), 'utf8')) as {
  files: Record<string, { rule: string; line: number; text?: string }[]>;
};


describe('samples workspace', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asd-samples-'));
    buildSamples(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds no whole fake secret in the repository templates', () => {
    const templates = path.resolve(__dirname, '../../samples-src');
    const out = new Capture();
    const code = main(['scan', templates, '--format', 'json'], out, new Capture());
    const report = JSON.parse(out.text);
    const secrets = report.files.flatMap((f: { findings: { tag: string }[] }) => f.findings.filter((x) => x.tag === 'secret'));
    assert.deepEqual(secrets, [], 'a template holds a whole secret');
    assert.ok(code === 0 || code === 1);
  });

  it('the CLI reports every planted secret and insecure setting, and nothing else', () => {
    const out = new Capture();
    const code = main(['scan', dir, '--format', 'json'], out, new Capture());
    assert.equal(code, 1);
    const report = JSON.parse(out.text) as { files: { path: string; findings: { ruleId: string; line: number; column: number; endColumn: number; endLine: number; tag: string }[] }[] };
    const got: string[] = [];
    for (const f of report.files) {
      const lines = fs.readFileSync(path.join(dir, f.path), 'utf8').split('\n');
      for (const x of f.findings) {
        const text = x.tag === 'secret' ? '' : ` ${lines[x.line - 1].slice(x.column - 1, x.endLine === x.line ? x.endColumn - 1 : undefined)}`;
        got.push(`${f.path}:${x.line} ${x.ruleId}${text}`);
      }
    }
    const want = Object.entries(expected.files).flatMap(([file, list]) => list.map((e) => `${file}:${e.line} ${e.rule}${e.text !== undefined ? ` ${e.text}` : ''}`));
    assert.deepEqual(got.sort(), want.sort());
  });

  it('never prints a planted secret value', () => {
    const out = new Capture();
    main(['scan', dir, '--no-color'], out, new Capture());
    const sarif = new Capture();
    main(['scan', dir, '--format', 'sarif'], sarif, new Capture());
    // Every secret in the samples is at least 20 characters: look for any 12-character window of one.
    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    const secret = /AZURE_CLIENT_SECRET=(.+)/.exec(env)![1];
    for (const text of [out.text, sarif.text]) assert.ok(!text.includes(secret.slice(2, 14)), 'a secret value leaked into the output');
  });
});
