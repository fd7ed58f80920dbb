// Small storage account documents for the storage rules' examples; `props` / `args` are the settings under test.

/** A Bicep storage account; `props` are lines in properties. */
export function bicepAccount(props = ''): string {
  return `resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'stcontoso'\n  location: 'westeurope'\n  kind: 'StorageV2'\n  properties: {\n    ${props}\n  }\n}\n`;
}

/** An ARM template with one storage account; `props` are JSON members of properties. */
export function armAccount(props = ''): string {
  return `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [\n    {\n      "type": "Microsoft.Storage/storageAccounts",\n      "apiVersion": "2023-05-01",\n      "name": "stcontoso",\n      "properties": {\n        ${props}\n      }\n    }\n  ]\n}\n`;
}

/** A Terraform storage account; `args` are top-level arguments. */
export function terraformAccount(args = ''): string {
  return `resource "azurerm_storage_account" "st" {\n  name                     = "stcontoso"\n  account_tier             = "Standard"\n  ${args}\n}\n`;
}
