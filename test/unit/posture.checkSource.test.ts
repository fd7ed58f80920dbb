import * as assert from 'node:assert/strict';
import { buildDeclarationIndex, deployedProperties } from '../../src/core/declarations';
import { checkSource, driftText } from '../../src/extension/posture/checkSource';

const site = (name: string, props: string) => `resource ${name.replace(/-/g, '')} 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}'
  location: 'westeurope'
  properties: {
${props}
  }
}
`;
const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Web/sites/';

describe('posture check to its declaration (checkSource)', () => {
  const index = buildDeclarationIndex([
    { path: 'infra/main.bicep', text: site('web', '    httpsOnly: true') + site('api', '    clientAffinityEnabled: false') },
    { path: 'infra/a.bicep', text: site('twice', '    httpsOnly: true') },
    { path: 'infra/b.bicep', text: site('twice', '    httpsOnly: false') },
  ]);
  const deployed = (httpsOnly: boolean) => deployedProperties({ site: { ok: true, body: { properties: { httpsOnly } } } });

  it('lands on the property and compares declared with deployed, both ways', () => {
    const same = checkSource('APPSVC-HTTPS-ONLY', index.lookup(`${ID}web`), deployed(true))!;
    assert.equal(same.propertySet, true);
    assert.equal(same.range.line, 4);
    assert.equal(same.drift?.state, 'same');
    const drift = checkSource('APPSVC-HTTPS-ONLY', index.lookup(`${ID}web`), deployed(false))!;
    assert.equal(drift.drift?.state, 'drift');
    assert.equal(driftText(drift.drift!), 'declared httpsOnly: true, deployed false');
  });

  it('lands on the resource when the template leaves the property out, and compares with the platform default', () => {
    const s = checkSource('APPSVC-HTTPS-ONLY', index.lookup(`${ID}api`), deployed(true))!;
    assert.equal(s.propertySet, false);
    assert.equal(s.range, index.lookup('api')[0].anchor);
    assert.equal(s.drift?.state, 'drift', 'not set means off; the app has it on');
    assert.equal(s.drift?.declared, 'not set');
  });

  it('does not compare an app declared twice, and lists both', () => {
    const s = checkSource('APPSVC-HTTPS-ONLY', index.lookup('twice'), deployed(true))!;
    assert.equal(s.declarations.length, 2);
    assert.equal(s.drift, undefined);
  });

  it('has no declaration for a subscription-wide check or an undeclared app', () => {
    assert.equal(checkSource('DEFENDER-APPSERVICE', index.lookup('web'), deployed(true)), undefined);
    assert.equal(checkSource('APPSVC-HTTPS-ONLY', index.lookup('nowhere'), deployed(true)), undefined);
  });

  it('compares app settings by name and Key Vault-ness only', () => {
    const kv = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)';
    const idx = buildDeclarationIndex([{ path: 'main.bicep', text: site('cfg', `    siteConfig: {\n      appSettings: [\n        { name: 'DB', value: '${kv}' }\n      ]\n    }`) }]);
    const plain = 'Server=db;Password=' + ['hunter', '2-', 'not-real'].join('');
    const live = deployedProperties({ site: { ok: true, body: { properties: {} } }, appSettings: { ok: true, body: { properties: { DB: plain } } } });
    const s = checkSource('APPSVC-SETTING-PLAINTEXT-SECRET', idx.lookup('cfg'), live)!;
    assert.equal(s.drift?.state, 'drift');
    const text = driftText(s.drift!);
    assert.match(text, /DB: declared as a Key Vault reference, deployed as a plain value/);
    assert.ok(!text.includes('Password') && !text.includes('Server=db'), 'no value is shown');
  });
});
