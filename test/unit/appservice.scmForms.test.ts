// APPSVC-SCM-EXPOSED in every IaC form that declares a site's web config: the site, its config/web child, its
// slots and their config children (ARM and Bicep), and each Terraform app and slot resource. The SCM (Kudu)
// site is exposed when it does not use the main site's restrictions and has none of its own, while the main
// site is restricted (an unrestricted main site is APPSVC-ACCESS-RESTRICTIONS' finding, not this one).
import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';

const ARM_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const office = { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' };
const bicepOffice = "[ { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' } ]";

const arm = (type: string, name: string, properties: object) =>
  JSON.stringify({ $schema: ARM_SCHEMA, resources: [{ type, apiVersion: '2023-12-01', name, location: 'westeurope', properties }] }, null, 2);
const bicep = (type: string, body: string, name = 'r') => `resource r '${type}@2023-12-01' = {\n  name: '${name}'\n${body}}\n`;
const bicepWeb = (web: string) => `  properties: {\n    httpsOnly: true\n    siteConfig: {\n${web}\n    }\n  }\n`;
const bicepConfig = (web: string) => `  properties: {\n${web}\n  }\n`;
const tf = (type: string, siteConfig: string) =>
  `resource "${type}" "r" {\n  name       = "r"\n  https_only = true\n  site_config {\n${siteConfig}\n  }\n}\n`;

const SCM_OPEN_BICEP = `      ipSecurityRestrictions: ${bicepOffice}\n      scmIpSecurityRestrictionsUseMain: false`;
const SCM_OPEN_TF = '    scm_use_main_ip_restriction = false\n    ip_restriction {\n      ip_address = "203.0.113.0/24"\n      action     = "Allow"\n    }';
const SCM_OPEN_ARM = { ipSecurityRestrictions: [office], scmIpSecurityRestrictionsUseMain: false };

const positives: Array<[string, string, string]> = [
  ['ARM site', 'azuredeploy.json', arm('Microsoft.Web/sites', 'app', { httpsOnly: true, siteConfig: SCM_OPEN_ARM })],
  ['ARM sites/config web', 'azuredeploy.json', arm('Microsoft.Web/sites/config', "[concat(parameters('site'), '/web')]", SCM_OPEN_ARM)],
  ['ARM slot', 'azuredeploy.json', arm('Microsoft.Web/sites/slots', 'app/staging', { httpsOnly: true, siteConfig: SCM_OPEN_ARM })],
  ['ARM slots/config web', 'azuredeploy.json', arm('Microsoft.Web/sites/slots/config', 'app/staging/web', SCM_OPEN_ARM)],
  ['Bicep site', 'main.bicep', bicep('Microsoft.Web/sites', bicepWeb(SCM_OPEN_BICEP))],
  ['Bicep sites/config web', 'main.bicep', bicep('Microsoft.Web/sites/config', bicepConfig(SCM_OPEN_BICEP), 'web')],
  ['Bicep slot', 'main.bicep', bicep('Microsoft.Web/sites/slots', bicepWeb(SCM_OPEN_BICEP))],
  ['Bicep slots/config web', 'main.bicep', bicep('Microsoft.Web/sites/slots/config', bicepConfig(SCM_OPEN_BICEP), 'web')],
  ...['linux_web_app', 'windows_web_app', 'linux_function_app', 'windows_function_app', 'linux_web_app_slot', 'windows_web_app_slot', 'linux_function_app_slot', 'windows_function_app_slot'].map(
    (t): [string, string, string] => [`Terraform azurerm_${t}`, 'main.tf', tf(`azurerm_${t}`, SCM_OPEN_TF)],
  ),
];

const negatives: Array<[string, string, string]> = [
  ['ARM SCM uses the main rules', 'azuredeploy.json', arm('Microsoft.Web/sites', 'app', { httpsOnly: true, siteConfig: { ipSecurityRestrictions: [office], scmIpSecurityRestrictionsUseMain: true } })],
  ['ARM slot SCM with its own rules', 'azuredeploy.json', arm('Microsoft.Web/sites/slots', 'app/staging', { httpsOnly: true, siteConfig: { ...SCM_OPEN_ARM, scmIpSecurityRestrictions: [{ ipAddress: 'AzureDevOps', tag: 'ServiceTag', action: 'Allow', name: 'ado' }] } })],
  ['Bicep config other than web (appsettings)', 'main.bicep', bicep('Microsoft.Web/sites/config', bicepConfig(SCM_OPEN_BICEP), 'appsettings')],
  ['Bicep config SCM default Deny', 'main.bicep', bicep('Microsoft.Web/sites/config', bicepConfig(`${SCM_OPEN_BICEP}\n    scmIpSecurityRestrictionsDefaultAction: 'Deny'`), 'web')],
  ['Bicep slot: main site not restricted either (not this rule)', 'main.bicep', bicep('Microsoft.Web/sites/slots', bicepWeb('      scmIpSecurityRestrictionsUseMain: false'))],
  ['Terraform slot with scm_ip_restriction', 'main.tf', tf('azurerm_linux_web_app_slot', `${SCM_OPEN_TF}\n    scm_ip_restriction {\n      service_tag = "AzureDevOps"\n      action      = "Allow"\n    }`)],
  ['Terraform function app uses the main rules', 'main.tf', tf('azurerm_linux_function_app', SCM_OPEN_TF.replace('= false', '= true'))],
];

describe('APPSVC-SCM-EXPOSED in every IaC form', () => {
  for (const [name, file, text] of positives) {
    it(`reports ${name}, on the value false`, () => {
      const found = scanText(text, file).findings.filter((f) => f.ruleId === 'APPSVC-SCM-EXPOSED');
      assert.equal(found.length, 1, name);
      assert.equal(text.slice(found[0].start, found[0].end), 'false');
    });
  }
  for (const [name, file, text] of negatives) {
    it(`does not report ${name}`, () => {
      assert.deepEqual(scanText(text, file).findings.filter((f) => f.ruleId === 'APPSVC-SCM-EXPOSED'), []);
    });
  }
});
