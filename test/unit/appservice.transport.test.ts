import { armSite, armTemplate, expectFailure, expectPass, type FailCase, type PassCase } from './appservice.helpers.test';

const fail: FailCase[] = [
  {
    name: 'ARM httpsOnly false',
    file: 'main.json',
    text: armTemplate(armSite().replace('"httpsOnly": true', '"httpsOnly": false')),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'false',
    fixed: armTemplate(armSite()),
  },
  {
    name: 'ARM site without httpsOnly (reported on the type, no fix)',
    file: 'main.json',
    text: armTemplate(armSite().replace('"httpsOnly": true,', '')),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'Microsoft.Web/sites',
  },
  {
    name: 'ARM slot httpsOnly false',
    file: 'main.json',
    text: armTemplate(armSite().replace('"Microsoft.Web/sites"', '"Microsoft.Web/sites/slots"').replace('"httpsOnly": true', '"httpsOnly": false')),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'false',
    fixed: armTemplate(armSite().replace('"Microsoft.Web/sites"', '"Microsoft.Web/sites/slots"')),
  },
  {
    name: 'ARM minTlsVersion 1.0 in siteConfig',
    file: 'main.json',
    text: armTemplate(armSite('', ',\n          "minTlsVersion": "1.0"')),
    rule: 'APPSVC-MIN-TLS',
    value: '"1.0"',
    fixed: armTemplate(armSite('', ',\n          "minTlsVersion": "1.2"')),
  },
  {
    name: 'ARM minTlsVersion 1.1 in a config/web child',
    file: 'main.json',
    text: armTemplate(
      `${armSite()},\n    { "type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01", "name": "[concat(parameters('siteName'), '/web')]", "properties": { "minTlsVersion": "1.1" } }`,
    ),
    rule: 'APPSVC-MIN-TLS',
    value: '"1.1"',
    fixed: armTemplate(
      `${armSite()},\n    { "type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01", "name": "[concat(parameters('siteName'), '/web')]", "properties": { "minTlsVersion": "1.2" } }`,
    ),
  },
  {
    name: 'ARM nested config "web" child (short type)',
    file: 'main.json',
    text: armTemplate(
      armSite('', '', '\n      "resources": [ { "type": "config", "apiVersion": "2023-12-01", "name": "web", "dependsOn": [], "properties": { "scmMinTlsVersion": "1.0" } } ],'),
    ),
    rule: 'APPSVC-SCM-MIN-TLS',
    value: '"1.0"',
    fixed: armTemplate(
      armSite('', '', '\n      "resources": [ { "type": "config", "apiVersion": "2023-12-01", "name": "web", "dependsOn": [], "properties": { "scmMinTlsVersion": "1.2" } } ],'),
    ),
  },
  {
    name: 'ARM ftpsState AllAllowed',
    file: 'main.json',
    text: armTemplate(armSite('', ',\n          "ftpsState": "AllAllowed"')),
    rule: 'APPSVC-FTPS',
    value: '"AllAllowed"',
    fixed: armTemplate(armSite('', ',\n          "ftpsState": "Disabled"')),
  },
  {
    name: 'ARM http20Enabled false',
    file: 'main.json',
    text: armTemplate(armSite('', ',\n          "http20Enabled": false')),
    rule: 'APPSVC-HTTP2',
    value: 'false',
    fixed: armTemplate(armSite('', ',\n          "http20Enabled": true')),
  },
];

const pass: PassCase[] = [
  { name: 'httpsOnly true', file: 'main.json', text: armTemplate(armSite()), rule: 'APPSVC-HTTPS-ONLY' },
  {
    name: 'httpsOnly from a parameter',
    file: 'main.json',
    text: armTemplate(armSite().replace('"httpsOnly": true', `"httpsOnly": "[parameters('httpsOnly')]"`)),
    rule: 'APPSVC-HTTPS-ONLY',
  },
  {
    name: 'properties computed by an expression',
    file: 'main.json',
    text: armTemplate(`    { "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "x", "identity": { "type": "SystemAssigned" }, "properties": "[variables('siteProps')]" }`),
    rule: 'APPSVC-HTTPS-ONLY',
  },
  {
    name: 'existing site (languageVersion 2.0)',
    file: 'main.json',
    text: armTemplate(`    { "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "x", "existing": true }`),
    rule: 'APPSVC-HTTPS-ONLY',
  },
  { name: 'minTlsVersion 1.2', file: 'main.json', text: armTemplate(armSite('', ',\n          "minTlsVersion": "1.2"')), rule: 'APPSVC-MIN-TLS' },
  { name: 'minTlsVersion 1.3', file: 'main.json', text: armTemplate(armSite('', ',\n          "minTlsVersion": "1.3"')), rule: 'APPSVC-MIN-TLS' },
  {
    name: 'minTlsVersion from a parameter',
    file: 'main.json',
    text: armTemplate(armSite('', `,\n          "minTlsVersion": "[parameters('tls')]"`)),
    rule: 'APPSVC-MIN-TLS',
  },
  {
    name: 'storage account minimumTlsVersion TLS1_0 is another rule',
    file: 'main.json',
    text: armTemplate(
      `    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "st", "kind": "StorageV2", "sku": { "name": "Standard_LRS" }, "properties": { "minimumTlsVersion": "TLS1_0", "minTlsVersion": "1.0" } }`,
    ),
    rule: 'APPSVC-MIN-TLS',
  },
  {
    name: 'storage account is not a site (no httpsOnly expected)',
    file: 'main.json',
    text: armTemplate(`    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "st", "properties": { "supportsHttpsTrafficOnly": true } }`),
    rule: 'APPSVC-HTTPS-ONLY',
  },
  { name: 'scmMinTlsVersion 1.2', file: 'main.json', text: armTemplate(armSite('', ',\n          "scmMinTlsVersion": "1.2"')), rule: 'APPSVC-SCM-MIN-TLS' },
  { name: 'ftpsState FtpsOnly', file: 'main.json', text: armTemplate(armSite('', ',\n          "ftpsState": "FtpsOnly"')), rule: 'APPSVC-FTPS' },
  { name: 'ftpsState Disabled', file: 'main.json', text: armTemplate(armSite('', ',\n          "ftpsState": "Disabled"')), rule: 'APPSVC-FTPS' },
  { name: 'http20Enabled true', file: 'main.json', text: armTemplate(armSite('', ',\n          "http20Enabled": true')), rule: 'APPSVC-HTTP2' },
  {
    name: 'parameter file values are not resources',
    file: 'main.parameters.json',
    text: `{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": { "minTlsVersion": { "value": "1.0" }, "httpsOnly": { "value": false } } }`,
    rule: 'APPSVC-MIN-TLS',
  },
];

describe('App Service rules: transport (ARM)', () => {
  for (const c of fail) it(`flags ${c.rule}: ${c.name}`, () => expectFailure(c));
  for (const c of pass) it(`passes ${c.rule}: ${c.name}`, () => expectPass(c));
});
