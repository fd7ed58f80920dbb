import * as assert from 'node:assert/strict';
import { iacSiteNames, matchSiteIds } from '../../src/core/declarations/names';

const BICEP = `param siteName string
param env string = 'dev'
resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'orders-web'
  location: resourceGroup().location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'NOT_A_SITE', value: 'x' }
      ]
    }
  }
}
resource fromParam 'Microsoft.Web/sites@2024-04-01' = {
  name: siteName
}
resource interpolated 'Microsoft.Web/sites@2024-04-01' = {
  name: 'app-\${env}'
}
resource slot 'Microsoft.Web/sites/slots@2024-04-01' = {
  parent: web
  name: 'staging'
}
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: web
  name: 'ftp'
}
resource again 'microsoft.web/sites@2024-04-01' existing = {
  name: 'ORDERS-WEB'
}
`;

const TERRAFORM = `resource "azurerm_linux_web_app" "api" {
  name                = "billing-api"
  resource_group_name = azurerm_resource_group.rg.name
  site_config {
    name = "inner"
  }
  app_settings = {
    name = "not-a-site"
  }
}
resource "azurerm_windows_function_app" "fn" {
  name = var.function_name
}
resource "azurerm_linux_function_app" "jobs" {
  name = "jobs-fn"
}
resource "azurerm_linux_web_app_slot" "staging" {
  name = "staging"
}
resource "azurerm_storage_account" "sa" {
  name = "storagename"
}
resource "azurerm_app_service" "legacy" {
  name = "legacy-app"
}
`;

const ARM = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: 'arm-app', properties: { siteConfig: { appSettings: [{ name: 'X', value: 'y' }] } } },
      { type: 'Microsoft.Web/sites', apiVersion: '2024-04-01', name: "[parameters('siteName')]" },
      { type: 'Microsoft.Web/sites/config', apiVersion: '2024-04-01', name: 'arm-app/web' },
      { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'armstorage' },
    ],
  },
  null,
  2,
);

describe('links: App Service names in infrastructure code', () => {
  it('Bicep: literal names of Microsoft.Web/sites only (no parameters, interpolation, slots or children; deduplicated)', () => {
    assert.deepEqual(iacSiteNames('infra/main.bicep', BICEP), ['orders-web']);
  });

  it('Terraform: literal names of azurerm web and function apps (not slots, not nested blocks, not variables)', () => {
    assert.deepEqual(iacSiteNames('infra/main.tf', TERRAFORM), ['billing-api', 'jobs-fn', 'legacy-app']);
  });

  it('ARM JSON: literal names of Microsoft.Web/sites (no template expressions, no child resources)', () => {
    assert.deepEqual(iacSiteNames('infra/azuredeploy.json', ARM), ['arm-app']);
  });

  it('ignores JSON that is not an ARM template, other files, invalid names and broken input', () => {
    assert.deepEqual(iacSiteNames('package.json', JSON.stringify({ resources: [{ type: 'Microsoft.Web/sites', name: 'x' }] })), []);
    assert.deepEqual(iacSiteNames('src/app.ts', "const t = 'Microsoft.Web/sites'; const name = 'orders-web';"), []);
    assert.deepEqual(iacSiteNames('a.bicep', "resource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'bad_name!'\n}\n"), []);
    assert.deepEqual(iacSiteNames('a.bicep', "resource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: '-dash'\n}\n"), []);
    assert.deepEqual(iacSiteNames('b.bicep', "resource w 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'ok-app'\n"), ['ok-app'], 'an unclosed block still yields its literal name');
    assert.deepEqual(iacSiteNames('c.tf', 'resource "azurerm_linux_web_app" "x" {'), []);
    assert.deepEqual(iacSiteNames('d.json', '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [ {'), []);
  });

  it('matches names to sites case-insensitively; a name found in several places gives every site', () => {
    const sites = [
      { id: '/subscriptions/a/resourceGroups/rg1/providers/Microsoft.Web/sites/Orders-Web', name: 'Orders-Web' },
      { id: '/subscriptions/b/resourceGroups/rg2/providers/Microsoft.Web/sites/orders-web', name: 'orders-web' },
      { id: '/subscriptions/b/resourceGroups/rg2/providers/Microsoft.Web/sites/other', name: 'other' },
    ];
    assert.deepEqual(matchSiteIds(['orders-web'], sites), [sites[0].id, sites[1].id]);
    assert.deepEqual(matchSiteIds(['missing'], sites), []);
    assert.deepEqual(matchSiteIds([], sites), []);
  });
});
