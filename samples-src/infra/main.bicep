@description('Name of the web app')
param siteName string
param location string = resourceGroup().location

@secure()
param sqlPassword string

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: siteName
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.0'
      ftpsState: 'FtpsOnly'
      http20Enabled: false
      cors: {
        allowedOrigins: [
          '*'
        ]
      }
      appSettings: [
        {
          name: 'SqlPassword'
          value: sqlPassword
        }
        {
          name: 'ServiceBusConnection'
          value: '@Microsoft.KeyVault(VaultName=contoso-kv;SecretName=servicebus-connection)'
        }
      ]
    }
  }
}

resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${siteName}-plan'
  location: location
  sku: {
    name: 'P1v3'
  }
}
