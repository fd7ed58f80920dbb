import * as assert from 'node:assert/strict';
import { parseDocument } from '../../src/core/parsers';

const ARM = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2024-04-01",
      "name": "[parameters('siteName')]",
      "properties": {
        "httpsOnly": false,
        "siteConfig": {
          "minTlsVersion": "1.0",
          "appSettings": [
            { "name": "WEBSITE_RUN_FROM_PACKAGE", "value": "1" },
            { "value": "x", "name": "API_URL" }
          ]
        }
      },
      "resources": [
        { "type": "config", "apiVersion": "2024-04-01", "name": "web", "properties": { "ftpsState": "AllAllowed" } }
      ]
    },
    { "type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "name": "[concat(parameters('siteName'), '/ftp')]", "properties": { "allow": true } }
  ]
}`;

describe('JSON parser', () => {
  const doc = parseDocument(ARM, 'arm-template');
  const entry = (key: string) => doc.entries.find((e) => e.key === key)!;

  it('reads scalars with key paths and exact value ranges', () => {
    const e = entry('minTlsVersion');
    assert.deepEqual(e.path, ['resources', '0', 'properties', 'siteConfig', 'minTlsVersion']);
    assert.equal(e.value, '1.0');
    assert.equal(ARM.slice(e.valueStart, e.valueEnd), '"1.0"');
    assert.equal(ARM.slice(e.contentStart, e.contentEnd), '1.0');
    assert.equal(entry('httpsOnly').valueType, 'boolean');
  });

  it('keys name/value pairs by the setting name, whatever the order', () => {
    assert.equal(entry('WEBSITE_RUN_FROM_PACKAGE').value, '1');
    assert.deepEqual(entry('API_URL').path.slice(-2), ['appSettings', 'API_URL']);
  });

  it('finds resources, nested children with full types, and attaches entries', () => {
    const types = doc.resources.map((r) => `${r.type}:${r.name ?? ''}`);
    assert.deepEqual(types, ['Microsoft.Web/sites:', 'Microsoft.Web/sites/config:web', 'Microsoft.Web/sites/basicPublishingCredentialsPolicies:ftp']);
    assert.equal(doc.resources[entry('ftpsState').resource!].type, 'Microsoft.Web/sites/config');
    assert.equal(doc.resources[entry('httpsOnly').resource!].type, 'Microsoft.Web/sites');
    assert.equal(doc.resources[1].parent, 0);
  });

  it('marks ARM expressions', () => {
    assert.equal(doc.entries.find((e) => e.value.startsWith('[parameters'))!.valueType, 'expression');
  });

  it('never throws on broken input and keeps ranges inside the text', () => {
    for (let n = 0; n <= ARM.length; n += 7) {
      const text = ARM.slice(0, n);
      const d = parseDocument(text, 'arm-template');
      for (const e of d.entries) assert.ok(e.valueStart >= 0 && e.valueEnd <= text.length && e.contentStart <= e.contentEnd);
    }
    const garbage = parseDocument('\u0000\uffff{{{[[["\\', 'json');
    assert.ok(garbage.errors.length > 0);
  });

  it('keeps property names apart that share length, first, middle and last characters (shared name strings)', () => {
    // "abcdef" and "axcdef" land in the same slot of the parser's name cache; each entry must keep its own key.
    for (let round = 0; round < 2; round++) {
      const doc = parseDocument('{ "abcdef": "1", "axcdef": "2", "abcdef2": "3", "abcdef": "4" }', 'json');
      assert.deepEqual(
        doc.entries.map((e) => `${e.key}=${e.value}`),
        ['abcdef=1', 'axcdef=2', 'abcdef2=3', 'abcdef=4'],
      );
    }
  });

  it('reads JSONC comments', () => {
    const d = parseDocument('{\n  // note\n  "a": 1 /* x */\n}', 'json');
    assert.equal(d.comments.length, 2);
  });
});
