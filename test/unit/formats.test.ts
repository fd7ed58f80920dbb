import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { detectFileKind } from '../../src/core/fileKind';
import { FORMATS, formatOf, iacKinds, isJsonLike } from '../../src/core/formats';
import type { FileKind } from '../../src/core/model';
import { parseDocument } from '../../src/core/parsers';
import { findSuppressions } from '../../src/core/suppress';
import { suppressionComment } from '../../src/core/suppressionEdit';
import { LineIndex } from '../../src/core/text';

/** Every kind the engine knows (model.ts), with a file of that kind and a one-line body. */
const FILES: Record<FileKind, { path: string; text: string }> = {
  'arm-template': { path: 'azuredeploy.json', text: '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": []\n}\n' },
  'arm-parameters': { path: 'azuredeploy.parameters.json', text: '{\n  "parameters": {}\n}\n' },
  'appservice-settings': { path: 'settings.json', text: '[\n  { "name": "A", "value": "b", "slotSetting": false }\n]\n' },
  appsettings: { path: 'appsettings.Development.json', text: '{\n  "Logging": {}\n}\n' },
  'local-settings': { path: 'local.settings.json', text: '{\n  "Values": {}\n}\n' },
  json: { path: 'config/app.json', text: '{\n  "a": 1\n}\n' },
  bicep: { path: 'infra/main.bicep', text: "param location string = 'westeurope'\n" },
  bicepparam: { path: 'infra/main.bicepparam', text: "using './main.bicep'\n" },
  terraform: { path: 'infra/main.tf', text: 'locals {\n  a = 1\n}\n' },
  env: { path: '.env.production', text: 'A=b\n' },
  xml: { path: 'web.config', text: '<configuration>\n</configuration>\n' },
  yaml: { path: '.github/workflows/ci.yml', text: 'on: push\n' },
  code: { path: 'src/app.py', text: 'x = 1\n' },
};

describe('format specs', () => {
  it('has exactly one spec per file kind, with code (which takes any file) last', () => {
    assert.deepEqual(FORMATS.map((f) => f.kind).sort(), Object.keys(FILES).sort());
    assert.equal(FORMATS[FORMATS.length - 1].kind, 'code');
  });

  for (const [kind, { path, text }] of Object.entries(FILES) as [FileKind, { path: string; text: string }][]) {
    it(`${kind}: detected from ${path}, parsed by its spec, and a suppression written for it is honoured`, () => {
      assert.equal(detectFileKind(path, text), kind);
      assert.equal(parseDocument(text, kind).kind, kind);
      // The quick fix writes the comment above line 0; the finding that was there moves to line 1.
      const edit = suppressionComment(text, path, 'TEST-RULE', 'line', 0);
      const edited = text.slice(0, edit.offset) + edit.text + text.slice(edit.offset);
      const index = findSuppressions(edited, new LineIndex(edited));
      assert.ok(index.isSuppressed('TEST-RULE', 1), `${kind}: ${JSON.stringify(edit.text)} does not suppress the next line`);
      assert.ok(!index.isSuppressed('OTHER-RULE', 1));
    });
  }

  it('writes suppressions in code files in the comment syntax of their language', () => {
    const opener = (path: string) => formatOf('code').suppressionComment(path).open.trim();
    assert.deepEqual(['a.py', 'run.sh', 'Dockerfile', 'q.sql', 'page.html', 'App.cs', 'index.ts'].map(opener), ['#', '#', '#', '--', '<!--', '//', '//']);
  });

  it('marks the JSON formats and the IaC formats the rules and the Key Vault move rely on', () => {
    assert.deepEqual(
      FORMATS.filter((f) => f.jsonLike).map((f) => f.kind).sort(),
      ['appservice-settings', 'appsettings', 'arm-parameters', 'arm-template', 'json', 'local-settings'],
    );
    assert.ok(isJsonLike('arm-template') && !isJsonLike('bicep'));
    assert.deepEqual(iacKinds(false).sort(), ['arm-template', 'bicep', 'terraform']);
    assert.deepEqual(iacKinds(true).sort(), ['arm-template', 'bicep', 'json', 'terraform']);
    assert.equal(formatOf('bicep').keyVault.quote, "'");
    assert.equal(formatOf('arm-parameters').keyVault.form, 'arm-parameter-reference');
  });

  it('re-checks by lines only the formats whose findings never span lines', () => {
    assert.deepEqual(FORMATS.filter((f) => f.recheck.by === 'lines').map((f) => f.kind).sort(), ['code', 'env']);
    assert.deepEqual(FORMATS.filter((f) => f.recheck.by === 'resource').map((f) => f.kind), ['arm-template']);
  });

  it('reads a file of an unknown kind as code instead of failing', () => {
    const result = scanText('x = 1\n', 'a.txt', { kind: 'no-such-kind' as FileKind });
    assert.deepEqual(result.findings, []);
    assert.equal(formatOf('no-such-kind' as FileKind).kind, 'code');
  });
});
