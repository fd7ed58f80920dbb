import * as assert from 'node:assert/strict';
import { buildDeclarationIndex, compareDeclared, DeclarationCache, deployedProperties, ruleDrift, type Declaration, type IacFile } from '../../src/core/declarations';
import { fakeSecret } from '../support/fakeSecrets';

const SUB = '11111111-2222-3333-4444-555555555555';
const id = (rg: string, app: string, slot?: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${app}${slot ? `/slots/${slot}` : ''}`;

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

function only(ds: Declaration[]): Declaration {
  assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => `${d.file}:${d.app}`)));
  return ds[0];
}

const ARM_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const ARM_PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

describe('declaration index: Bicep', () => {
  const MAIN = `param location string = resourceGroup().location
resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'orders-web'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    httpsOnly: true
    publicNetworkAccess: 'Disabled'
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      remoteDebuggingEnabled: false
      cors: {
        allowedOrigins: [
          'https://contoso.example'
        ]
      }
      appSettings: [
        { name: 'DB_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db)' }
        { name: 'API_KEY', value: 'SECRET_PLACEHOLDER' }
      ]
    }
  }
  resource web_config 'config' = {
    name: 'web'
    properties: {
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}
resource staging 'Microsoft.Web/sites/slots@2024-04-01' = {
  parent: web
  name: 'staging'
  properties: {
    httpsOnly: false
  }
}
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: web
  name: 'ftp'
  properties: {
    allow: false
  }
}
`;
  const secret = fakeSecret('azure-storage-key', 7);
  const text = MAIN.replace('SECRET_PLACEHOLDER', secret);

  it('maps the app, its slot and each property a posture rule reads to the file and line that sets it', () => {
    const index = buildDeclarationIndex([{ path: 'infra/main.bicep', text }]);
    const web = only(index.lookup('orders-web'));
    assert.equal(web.file, 'infra/main.bicep');
    assert.equal(web.format, 'bicep');
    assert.equal(web.anchor.line + 1, lineOf(text, "resource web 'Microsoft.Web/sites"));
    const at = (p: string) => web.properties.get(p as never)!.range.line + 1;
    assert.equal(at('httpsOnly'), lineOf(text, 'httpsOnly: true'));
    assert.equal(web.properties.get('httpsOnly')!.value, true);
    assert.equal(web.properties.get('publicNetworkAccess')!.value, 'Disabled');
    assert.equal(web.properties.get('clientCertEnabled')!.value, false);
    assert.equal(web.properties.get('identity')!.value, 'SystemAssigned');
    assert.equal(at('minTlsVersion'), lineOf(text, "minTlsVersion: '1.2'"));
    assert.equal(web.properties.get('minTlsVersion')!.value, '1.2');
    assert.equal(web.properties.get('remoteDebuggingEnabled')!.value, false);
    assert.deepEqual(web.properties.get('corsAllowedOrigins')!.value, ['https://contoso.example']);
    assert.equal(at('corsAllowedOrigins'), lineOf(text, 'allowedOrigins'));
    // From the config 'web' child and the publishing policy child.
    assert.equal(at('ftpsState'), lineOf(text, "ftpsState: 'Disabled'"));
    assert.equal(web.properties.get('http20Enabled')!.value, true);
    assert.equal(web.properties.get('ftpBasicAuth')!.value, false);
    assert.equal(at('ftpBasicAuth'), lineOf(text, 'allow: false'));
    const staging = only(index.lookup(id('rg', 'orders-web', 'staging')));
    assert.equal(staging.slot, 'staging');
    assert.equal(staging.app, 'orders-web');
    assert.equal(staging.properties.get('httpsOnly')!.value, false);
    assert.equal(staging.properties.get('httpsOnly')!.range.line + 1, lineOf(text, 'httpsOnly: false'));
    assert.ok(!staging.properties.has('minTlsVersion'), 'a slot does not inherit the site configuration');
  });

  it('keeps app settings as names and Key Vault reference flags, never their values', () => {
    const index = buildDeclarationIndex([{ path: 'infra/main.bicep', text }]);
    const web = only(index.lookup('orders-web'));
    assert.deepEqual(
      web.settings.map((s) => [s.name, s.keyVaultReference]),
      [
        ['DB_PASSWORD', true],
        ['API_KEY', false],
      ],
    );
    const all = JSON.stringify(index.declarations, (_k, v) => (v instanceof Map ? [...v.values()] : v));
    assert.ok(!all.includes(secret), 'the index holds no setting value');
    assert.ok(!all.includes('kv.vault.azure.net'), 'not even a Key Vault reference');
  });

  it('looks apps up by name or resource id, case-insensitively; an undeclared app or slot gives nothing', () => {
    const index = buildDeclarationIndex([{ path: 'infra/main.bicep', text }]);
    assert.equal(index.lookup(id('any-rg', 'ORDERS-WEB')).length, 1, 'Bicep does not name the resource group: any matches');
    assert.equal(index.lookup('orders-web/staging').length, 1);
    assert.equal(index.lookup(id('rg', 'orders-web', 'qa')).length, 0);
    assert.equal(index.lookup(id('rg', 'other')).length, 0);
  });

  it('resolves a name from a parameter default, a .bicepparam file or a main.parameters.json; otherwise says which parameter is missing', () => {
    const template = `param siteName string\nparam prefix string = 'shop'\nresource a 'Microsoft.Web/sites@2024-04-01' = {\n  name: siteName\n}\nresource b 'Microsoft.Web/sites@2024-04-01' = {\n  name: '\${prefix}-api'\n}\n`;
    const alone = buildDeclarationIndex([{ path: 'infra/main.bicep', text: template }]);
    assert.equal(only(alone.lookup('shop-api')).app, 'shop-api', 'interpolation with a default');
    const unresolved = only(alone.unresolved as Declaration[]);
    assert.match(unresolved.unresolved!, /parameter 'siteName' has no default and no parameter file sets it/);
    assert.equal(unresolved.anchor.line, 2);

    const withParam = buildDeclarationIndex([
      { path: 'infra/main.bicep', text: template },
      { path: 'infra/main.bicepparam', text: "using './main.bicep'\nparam siteName = 'checkout-web'\nparam prefix = 'store'\n" },
    ]);
    assert.deepEqual(only(withParam.lookup('checkout-web')).parameterFiles, ['infra/main.bicepparam']);
    assert.equal(withParam.lookup('store-api').length, 1, 'the parameter file wins over the default');
    assert.equal(withParam.unresolved.length, 0);

    const armParams = JSON.stringify({ $schema: ARM_PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { siteName: { value: 'json-param-web' } } });
    const withJson = buildDeclarationIndex([
      { path: 'infra/main.bicep', text: template },
      { path: 'infra/main.parameters.json', text: armParams },
    ]);
    assert.equal(withJson.lookup('json-param-web').length, 1);

    // azd substitutes ${AZURE_ENV_NAME} at deployment: not a literal.
    const azd = JSON.stringify({ $schema: ARM_PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { siteName: { value: 'app-${AZURE_ENV_NAME}' } } });
    const withAzd = buildDeclarationIndex([
      { path: 'infra/main.bicep', text: template },
      { path: 'infra/main.parameters.json', text: azd },
    ]);
    assert.match(only(withAzd.unresolved as Declaration[]).unresolved!, /from the environment/);
  });

  it('a loop makes the name unresolvable; a condition keeps it and says so; uniqueString() is unresolved with the reason', () => {
    const text = `param names array
param deploy bool
resource many 'Microsoft.Web/sites@2024-04-01' = [for n in names: {
  name: n
}]
resource maybe 'Microsoft.Web/sites@2024-04-01' = if (deploy) {
  name: 'maybe-web'
}
resource unique 'Microsoft.Web/sites@2024-04-01' = {
  name: 'web-\${uniqueString(resourceGroup().id)}'
}
`;
    const index = buildDeclarationIndex([{ path: 'loop.bicep', text }]);
    const reasons = index.unresolved.map((d) => d.unresolved!);
    assert.equal(reasons.length, 2, reasons.join('\n'));
    assert.match(reasons[0], /declared in a loop \(for n in names\): one app per item/);
    assert.match(reasons[1], /uniqueString\(\), known only at deployment/);
    assert.equal(only(index.lookup('maybe-web')).condition, 'deploy');
  });

  it('modules: a literal passed by the caller resolves the module name, with the resource group of its scope; a module loop does not', () => {
    const app = "param appName string\nresource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: appName\n  properties: {\n    httpsOnly: false\n  }\n}\n";
    const main = `module api './modules/app.bicep' = {
  name: 'api'
  scope: resourceGroup('rg-api')
  params: {
    appName: 'module-api'
  }
}
module many './modules/app.bicep' = [for n in names: {
  name: n
  params: {
    appName: n
  }
}]
`;
    const index = buildDeclarationIndex([
      { path: 'infra/main.bicep', text: main },
      { path: 'infra/modules/app.bicep', text: app },
    ]);
    const api = only(index.lookup('module-api'));
    assert.equal(api.file, 'infra/modules/app.bicep');
    assert.equal(api.resourceGroup, 'rg-api');
    assert.deepEqual(api.via, ['infra/main.bicep: module api']);
    assert.equal(api.properties.get('httpsOnly')!.range.line + 1, 5);
    assert.equal(index.lookup(id('rg-api', 'module-api')).length, 1);
    assert.equal(index.lookup(id('rg-other', 'module-api')).length, 0, 'a declared resource group must match the id');
    assert.match(only(index.unresolved as Declaration[]).unresolved!, /module 'many' in infra\/main.bicep is called in a loop/);
    // Without the caller, the module's name has no value.
    const alone = buildDeclarationIndex([{ path: 'infra/modules/app.bicep', text: app }]);
    assert.match(only(alone.unresolved as Declaration[]).unresolved!, /parameter 'appName' has no default/);
  });
});

describe('declaration index: ARM JSON', () => {
  const template = (extra: object[] = []) =>
    JSON.stringify(
      {
        $schema: ARM_SCHEMA,
        contentVersion: '1.0.0.0',
        parameters: { siteName: { type: 'string', defaultValue: 'arm-default' }, env: { type: 'string' } },
        resources: [
          {
            type: 'Microsoft.Web/sites',
            apiVersion: '2024-04-01',
            name: "[parameters('siteName')]",
            properties: { httpsOnly: true, siteConfig: { minTlsVersion: '1.0', ipSecurityRestrictions: [{ ipAddress: '10.0.0.0/8', action: 'Allow', priority: 100 }] } },
          },
          { type: 'Microsoft.Web/sites/config', apiVersion: '2024-04-01', name: "[concat(parameters('siteName'), '/web')]", properties: { remoteDebuggingEnabled: true } },
          { type: 'Microsoft.Web/sites/slots', apiVersion: '2024-04-01', name: "[concat(parameters('siteName'), '/staging')]", properties: { httpsOnly: false } },
          ...extra,
        ],
      },
      null,
      2,
    );

  it('resolves parameters() and concat() from the default; top-level config children and slots attach to their site', () => {
    const text = template();
    const index = buildDeclarationIndex([{ path: 'arm/azuredeploy.json', text }]);
    const site = only(index.lookup('arm-default'));
    assert.equal(site.format, 'arm');
    assert.equal(site.properties.get('minTlsVersion')!.value, '1.0');
    assert.equal(site.properties.get('minTlsVersion')!.range.line + 1, lineOf(text, '"minTlsVersion"'));
    assert.equal(site.properties.get('remoteDebuggingEnabled')!.value, true, 'from the config child');
    assert.equal(site.properties.get('remoteDebuggingEnabled')!.range.line + 1, lineOf(text, '"remoteDebuggingEnabled"'));
    assert.deepEqual(site.properties.get('ipSecurityRestrictions')!.value, ['Allow 10.0.0.0/8']);
    assert.equal(only(index.lookup('arm-default/staging')).properties.get('httpsOnly')!.value, false);
  });

  it('each parameter file that names a different app gives its own declaration of the same resource', () => {
    const params = (name: string) => JSON.stringify({ $schema: ARM_PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { siteName: { value: name } } });
    const index = buildDeclarationIndex([
      { path: 'arm/azuredeploy.json', text: template() },
      { path: 'arm/azuredeploy.parameters.dev.json', text: params('arm-dev') },
      { path: 'arm/azuredeploy.parameters.prod.json', text: params('arm-prod') },
    ]);
    assert.deepEqual(only(index.lookup('arm-dev')).parameterFiles, ['arm/azuredeploy.parameters.dev.json']);
    assert.deepEqual(only(index.lookup('arm-prod')).parameterFiles, ['arm/azuredeploy.parameters.prod.json']);
    assert.equal(index.lookup('arm-default').length, 0, 'the default is overridden');
    assert.equal(only(index.lookup('arm-prod/staging')).slot, 'staging');
    assert.deepEqual(index.duplicates(), []);
  });

  it('copy loops and expressions known only at deployment are unresolved; a condition is kept', () => {
    const index = buildDeclarationIndex([
      {
        path: 'arm/loops.json',
        text: template([
          { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: "[concat('web-', copyIndex())]", copy: { name: 'sites', count: 3 } },
          { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: "[concat('web-', uniqueString(resourceGroup().id))]" },
          { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: "[parameters('env')]" },
          { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: 'cond-web', condition: "[equals(parameters('env'), 'prod')]" },
        ]),
      },
    ]);
    const reasons = index.unresolved.map((d) => d.unresolved!);
    assert.equal(reasons.length, 3, reasons.join('\n'));
    assert.match(reasons[0], /loop/);
    assert.match(reasons[1], /uniqueString\(\)/);
    assert.match(reasons[2], /parameter 'env' has no default/);
    assert.match(only(index.lookup('cond-web')).condition!, /equals/);
  });
});

describe('declaration index: Terraform', () => {
  const MAIN = `variable "app_name" {
  default = "tf-default"
}
variable "rg" {}
resource "azurerm_resource_group" "main" {
  name     = "rg-tf"
  location = "westeurope"
}
resource "azurerm_linux_web_app" "api" {
  name                = var.app_name
  resource_group_name = azurerm_resource_group.main.name
  https_only          = false
  public_network_access_enabled = false
  identity {
    type = "SystemAssigned"
  }
  site_config {
    minimum_tls_version = "1.2"
    http2_enabled       = true
    ftps_state          = "FtpsOnly"
    cors {
      allowed_origins = ["*"]
    }
    ip_restriction {
      ip_address = "10.0.0.0/8"
      action     = "Allow"
    }
    ip_restriction {
      service_tag = "AzureFrontDoor.Backend"
      action      = "Allow"
    }
  }
  app_settings = {
    "STORAGE" = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/s)"
  }
}
resource "azurerm_linux_web_app_slot" "blue" {
  name           = "blue"
  app_service_id = azurerm_linux_web_app.api.id
  https_only     = true
}
resource "azurerm_windows_web_app" "many" {
  for_each = toset(["a", "b"])
  name     = "win-\${each.key}"
}
resource "azurerm_windows_web_app" "counted" {
  count = 2
  name  = "counted-\${count.index}"
}
`;

  it('maps Terraform arguments onto the same properties, with the resource group from a literal resource', () => {
    const index = buildDeclarationIndex([{ path: 'tf/main.tf', text: MAIN }]);
    const api = only(index.lookup(id('rg-tf', 'tf-default')));
    assert.equal(api.format, 'terraform');
    assert.equal(api.resourceGroup, 'rg-tf');
    assert.equal(index.lookup(id('rg-elsewhere', 'tf-default')).length, 0);
    assert.equal(api.properties.get('httpsOnly')!.value, false);
    assert.equal(api.properties.get('httpsOnly')!.range.line + 1, lineOf(MAIN, 'https_only          = false'));
    assert.equal(api.properties.get('publicNetworkAccess')!.value, 'Disabled');
    assert.equal(api.properties.get('identity')!.value, 'SystemAssigned');
    assert.equal(api.properties.get('minTlsVersion')!.value, '1.2');
    assert.equal(api.properties.get('http20Enabled')!.value, true);
    assert.equal(api.properties.get('ftpsState')!.value, 'FtpsOnly');
    assert.deepEqual(api.properties.get('corsAllowedOrigins')!.value, ['*']);
    assert.deepEqual(api.properties.get('ipSecurityRestrictions')!.value, ['Allow 10.0.0.0/8', 'Allow AzureFrontDoor.Backend']);
    assert.equal(api.properties.get('ipSecurityRestrictions')!.range.line + 1, lineOf(MAIN, 'ip_restriction {'));
    assert.deepEqual(api.settings.map((s) => [s.name, s.keyVaultReference]), [['STORAGE', true]]);
    const blue = only(index.lookup('tf-default/blue'));
    assert.equal(blue.properties.get('httpsOnly')!.value, true);
  });

  it('for_each and count.index names are unresolved with the loop as the reason', () => {
    const index = buildDeclarationIndex([{ path: 'tf/main.tf', text: MAIN }]);
    const reasons = index.unresolved.map((d) => d.unresolved!);
    assert.equal(reasons.length, 2, reasons.join('\n'));
    assert.match(reasons[0], /loop \(for_each = /);
    assert.match(reasons[1], /loop \(count = 2\)/);
  });

  it('terraform.tfvars sets variables for the whole folder; a module folder gets the values its caller passes', () => {
    const index = buildDeclarationIndex([
      { path: 'tf/main.tf', text: MAIN },
      { path: 'tf/terraform.tfvars', text: 'app_name = "tf-from-vars"\n' },
      { path: 'tf/calls.tf', text: 'module "web" {\n  source   = "./modules/web"\n  web_name = "tf-module-web"\n}\n' },
      { path: 'tf/modules/web/main.tf', text: 'variable "web_name" {}\nresource "azurerm_linux_web_app" "w" {\n  name       = var.web_name\n  https_only = true\n}\n' },
    ]);
    assert.equal(index.lookup('tf-from-vars').length, 1);
    assert.equal(index.lookup('tf-default').length, 0);
    const mod = only(index.lookup('tf-module-web'));
    assert.equal(mod.file, 'tf/modules/web/main.tf');
    assert.deepEqual(mod.via, ['tf/calls.tf: module web']);
  });
});

describe('declaration index: duplicates and broken input', () => {
  const bicep = "resource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'shared-web'\n  properties: {\n    httpsOnly: true\n  }\n}\n";
  const tf = 'resource "azurerm_linux_web_app" "w" {\n  name       = "shared-web"\n  https_only = false\n}\n';

  it('two declarations of the same app: lookup returns both and duplicates() lists them, no guess', () => {
    const index = buildDeclarationIndex([
      { path: 'a/main.bicep', text: bicep },
      { path: 'b/main.tf', text: tf },
    ]);
    const both = index.lookup(id('rg', 'shared-web'));
    assert.deepEqual(
      both.map((d) => d.file),
      ['a/main.bicep', 'b/main.tf'],
    );
    assert.equal(index.duplicates().length, 1);
    assert.equal(index.duplicates()[0].length, 2);
  });

  it('the same name in two named resource groups is two apps, not a duplicate', () => {
    const inRg = (rg: string) => `resource "azurerm_linux_web_app" "w" {\n  name                = "same-name"\n  resource_group_name = "${rg}"\n}\n`;
    const index = buildDeclarationIndex([
      { path: 'x/main.tf', text: inRg('rg-x') },
      { path: 'y/main.tf', text: inRg('rg-y') },
    ]);
    assert.deepEqual(index.duplicates(), []);
    assert.equal(only(index.lookup(id('rg-y', 'same-name'))).file, 'y/main.tf');
  });

  it('a file that does not parse is listed as a problem; other files and non-IaC files do not disturb the index', () => {
    const files: IacFile[] = [
      { path: 'ok.bicep', text: bicep },
      { path: 'broken.json', text: `{"$schema": "${ARM_SCHEMA}", "resources": [ {"type": "Microsoft.Web/sites", "name": "half"` },
      { path: 'package.json', text: '{"name": "x"}' },
      { path: 'README.md', text: "resource w 'Microsoft.Web/sites@2024-04-01' = { name: 'not-iac' }" },
    ];
    const index = buildDeclarationIndex(files);
    assert.equal(index.lookup('shared-web').length, 1);
    assert.equal(index.lookup('not-iac').length, 0);
    assert.deepEqual(
      index.problems.map((p) => p.file),
      ['broken.json'],
    );
  });
});

describe('declared vs deployed (drift)', () => {
  const bicep = `resource w 'Microsoft.Web/sites@2024-04-01' = {
  name: 'drift-web'
  properties: {
    httpsOnly: true
    siteConfig: {
      remoteDebuggingEnabled: false
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'DB', value: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db)' }
      ]
    }
  }
}
`;
  const decl = () => only(buildDeclarationIndex([{ path: 'main.bicep', text: bicep }]).lookup('drift-web'));
  const live = (site: Record<string, unknown>, web: Record<string, unknown>, settings: Record<string, string> = {}) =>
    deployedProperties({ site: { ok: true, body: { properties: site } }, web: { ok: true, body: { properties: web } }, appSettings: { ok: true, body: { properties: settings } } });

  it('declared httpsOnly true, deployed false: drift; declared remote debugging off, deployed on: drift (both directions)', () => {
    const d = decl();
    const deployed = live({ httpsOnly: false }, { remoteDebuggingEnabled: true, minTlsVersion: '1.2' });
    const https = ruleDrift('APPSVC-HTTPS-ONLY', d, deployed)!;
    assert.equal(https.state, 'drift');
    assert.equal(https.declared, 'true');
    assert.equal(https.deployed, 'false');
    assert.equal(ruleDrift('APPSVC-REMOTE-DEBUG', d, deployed)!.state, 'drift');
    assert.equal(ruleDrift('APPSVC-MIN-TLS', d, deployed)!.state, 'same');
    const fixed = live({ httpsOnly: true }, { remoteDebuggingEnabled: false, minTlsVersion: '1.2' });
    assert.equal(ruleDrift('APPSVC-HTTPS-ONLY', d, fixed)!.state, 'same');
    assert.equal(ruleDrift('APPSVC-REMOTE-DEBUG', d, fixed)!.state, 'same');
  });

  it('a property the template leaves out: the platform default where it is certain, else unknown; an unread side is unknown', () => {
    assert.equal(compareDeclared('httpsOnly', undefined, true), 'drift', 'not set means off; deployed on');
    assert.equal(compareDeclared('httpsOnly', undefined, false), 'same');
    assert.equal(compareDeclared('ftpsState', undefined, 'AllAllowed'), 'unknown');
    assert.equal(compareDeclared('httpsOnly', true, undefined), 'unknown');
    assert.equal(compareDeclared('minTlsVersion', '1.2', '1.20'), 'same');
    assert.equal(compareDeclared('identity', 'SystemAssigned, UserAssigned', 'UserAssigned,SystemAssigned'), 'same');
    const d = decl();
    const r = ruleDrift('APPSVC-FTPS', d, live({}, { ftpsState: 'AllAllowed' }))!;
    assert.equal(r.declared, 'not set');
    assert.equal(r.state, 'unknown');
    assert.equal(ruleDrift('DEFENDER-APPSERVICE', d, new Map()), undefined, 'a subscription check reads nothing declarable');
  });

  it('an unresolved declared value is not compared', () => {
    const d = only(buildDeclarationIndex([{ path: 'p.bicep', text: "param on bool\nresource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'p-web'\n  properties: {\n    httpsOnly: on\n  }\n}\n" }]).lookup('p-web'));
    assert.match(d.properties.get('httpsOnly')!.unresolved!, /parameter 'on' has no default/);
    assert.equal(ruleDrift('APPSVC-HTTPS-ONLY', d, live({ httpsOnly: false }, {}))!.state, 'unknown');
  });

  it('app settings drift by name and Key Vault reference only; no value is kept or shown', () => {
    const plain = fakeSecret('azure-storage-key', 11);
    const deployed = live({}, {}, { DB: plain, EXTRA: 'x' });
    const r = ruleDrift('APPSVC-SETTING-PLAINTEXT-SECRET', decl(), deployed)!;
    assert.equal(r.state, 'drift');
    assert.deepEqual(r.differences, ['DB: declared as a Key Vault reference, deployed as a plain value', 'EXTRA: deployed, not declared']);
    assert.ok(!JSON.stringify(r).includes(plain));
    assert.ok(!JSON.stringify([...deployed.values()]).includes(plain), 'deployedProperties drops the values');
    const same = live({}, {}, { DB: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db)' });
    assert.equal(ruleDrift('APPSVC-SETTING-PLAINTEXT-SECRET', decl(), same)!.state, 'same');
  });
});

describe('declaration index: hostile input', () => {
  it('never throws on truncated files, self-referring variables or module cycles', () => {
    const bicep = "var a = b\nvar b = a\nresource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: a\n  properties: {\n    httpsOnly: true\n  }\n}\nmodule self './main.bicep' = {\n  name: 'x'\n}\n";
    const tf = 'locals {\n  a = local.b\n  b = local.a\n}\nresource "azurerm_linux_web_app" "w" {\n  name = local.a\n  site_config {\n    ip_restriction {\n      ip_address = "1.2.3.4/32"\n    }\n  }\n}\nmodule "m" {\n  source = "../tf"\n}\n';
    const arm = JSON.stringify({ $schema: ARM_SCHEMA, variables: { a: "[variables('b')]", b: "[variables('a')]" }, resources: [{ type: 'Microsoft.Web/sites', name: "[concat(variables('a'), reference('x').outputs.y.value)]" }] });
    const index = buildDeclarationIndex([
      { path: 'main.bicep', text: bicep },
      { path: 'tf/main.tf', text: tf },
      { path: 'arm.json', text: arm },
    ]);
    assert.equal(index.unresolved.length, 3, index.unresolved.map((d) => d.unresolved).join('\n'));
    for (const d of index.unresolved) assert.match(d.unresolved!, /refers to itself|known only at deployment/);
    for (const text of [bicep, tf, arm]) {
      for (let n = 0; n < text.length; n += 7) {
        const cut = text.slice(0, n);
        assert.doesNotThrow(() => buildDeclarationIndex([{ path: 'a.bicep', text: cut }, { path: 'b.tf', text: cut }, { path: 'c.json', text: cut }]));
      }
    }
  });
});

describe('declaration index: rebuilding with a cache', () => {
  it('reflects an edited file and forgets a deleted one', () => {
    const cache = new DeclarationCache();
    const a = { path: 'a.bicep', text: "resource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'first-name'\n}\n" };
    const b = { path: 'b.tf', text: 'resource "azurerm_linux_web_app" "w" {\n  name = "tf-app"\n}\n' };
    assert.equal(buildDeclarationIndex([a, b], cache).lookup('first-name').length, 1);
    const edited = { path: 'a.bicep', text: a.text.replace('first-name', 'second-name') };
    const index = buildDeclarationIndex([edited, b], cache);
    assert.equal(index.lookup('first-name').length, 0);
    assert.equal(index.lookup('second-name').length, 1);
    assert.equal(buildDeclarationIndex([edited], cache).lookup('tf-app').length, 0);
  });
});
