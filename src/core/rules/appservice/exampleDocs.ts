// Small documents for the rule examples: a web app in Bicep, ARM JSON and Terraform that is otherwise
// compliant (HTTPS only, a managed identity), so an example shows exactly the one setting it is about.

/** A Bicep web app; `props` are extra lines in properties, `siteConfig` lines in properties.siteConfig. */
export function bicepApp(props = '', siteConfig = ''): string {
  return `resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'contoso-api'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    httpsOnly: true${props ? `\n    ${props}` : ''}
    siteConfig: {${siteConfig ? `\n      ${siteConfig}` : ''}
    }
  }
}
`;
}

/** An ARM template with one web app; `props` and `siteConfig` are JSON members (without trailing commas). */
export function armApp(props = '', siteConfig = ''): string {
  return `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2024-04-01",
      "name": "contoso-api",
      "location": "westeurope",
      "identity": { "type": "SystemAssigned" },
      "properties": {
        "httpsOnly": true,${props ? `\n        ${props},` : ''}
        "siteConfig": {${siteConfig ? ` ${siteConfig} ` : ''}}
      }
    }
  ]
}
`;
}

/** A Terraform Linux web app; `args` are top-level arguments, `siteConfig` lines in site_config. */
export function terraformApp(args = '', siteConfig = '', type = 'azurerm_linux_web_app'): string {
  return `resource "${type}" "api" {
  name                = "contoso-api"
  resource_group_name = "rg-contoso"
  location            = "westeurope"
  service_plan_id     = "plan-id"
  https_only          = true${args ? `\n  ${args}` : ''}

  identity {
    type = "SystemAssigned"
  }

  site_config {${siteConfig ? `\n    ${siteConfig}` : ''}
  }
}
`;
}
