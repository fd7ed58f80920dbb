import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESTRICTED_SETTINGS } from '../../src/extension/ui/restrictedSettings';

describe('Restricted Mode settings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const declared: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;

  it('lists the same settings in package.json restrictedConfigurations as the extension ignores in code', () => {
    assert.deepEqual([...declared].sort(), [...RESTRICTED_SETTINGS].sort());
  });

  it('restricts every setting that can lower detection or steer where secrets go', () => {
    for (const name of ['rules', 'ignorePaths', 'maxFileSizeKB', 'customPatterns', 'configFile', 'keyVault.defaultVault']) {
      assert.ok(declared.includes(`azureSecureDev.${name}`), `azureSecureDev.${name} is not restricted`);
      assert.ok(manifest.contributes.configuration.some((c: { properties: Record<string, unknown> }) => `azureSecureDev.${name}` in c.properties), `azureSecureDev.${name} is not a contributed setting`);
    }
  });
});
