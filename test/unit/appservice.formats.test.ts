// Bicep, Terraform, .env and web.config cases (parsers landed in 535ed34).
import { expectFailure, expectPass, type FailCase, type PassCase } from './appservice.helpers.test';

const bicepSite = (props: string, siteConfig = '', top = "  identity: { type: 'SystemAssigned' }\n") => `param location string = resourceGroup().location
@secure()
param smtpPassword string

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'app-orders'
  location: location
${top}  properties: {
${props}
    siteConfig: {
      alwaysOn: true
${siteConfig}
    }
  }
}
`;

const tfSite = (args: string, siteConfig = '', type = 'azurerm_linux_web_app') => `resource "${type}" "orders" {
  name                = "app-orders"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = azurerm_service_plan.plan.id
${args}
  identity {
    type = "SystemAssigned"
  }

  site_config {
${siteConfig}
  }
}
`;

const fail: FailCase[] = [
  // Bicep
  {
    name: 'Bicep httpsOnly false',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: false'),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'false',
    fixed: bicepSite('    httpsOnly: true'),
  },
  {
    name: 'Bicep site without httpsOnly',
    file: 'main.bicep',
    text: bicepSite('    serverFarmId: plan.id'),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'Microsoft.Web/sites@2023-12-01',
  },
  {
    name: "Bicep minTlsVersion '1.0' keeps single quotes",
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', "      minTlsVersion: '1.0'"),
    rule: 'APPSVC-MIN-TLS',
    value: "'1.0'",
    fixed: bicepSite('    httpsOnly: true', "      minTlsVersion: '1.2'"),
  },
  {
    name: 'Bicep nested config web child',
    file: 'main.bicep',
    text: `resource site 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'app-orders'

  resource web 'config' = {
    name: 'web'
    properties: {
      ftpsState: 'AllAllowed'
      scmMinTlsVersion: '1.1'
    }
  }
}
`,
    rule: 'APPSVC-FTPS',
    value: "'AllAllowed'",
    fixed: `resource site 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'app-orders'

  resource web 'config' = {
    name: 'web'
    properties: {
      ftpsState: 'Disabled'
      scmMinTlsVersion: '1.1'
    }
  }
}
`,
  },
  {
    name: 'Bicep basic publishing credentials (parent)',
    file: 'main.bicep',
    text: `resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: true
  }
}
`,
    rule: 'APPSVC-BASIC-AUTH-SCM',
    value: 'true',
    fixed: `resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}
`,
  },
  {
    name: 'Bicep remote debugging',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', '      remoteDebuggingEnabled: true'),
    rule: 'APPSVC-REMOTE-DEBUG',
    value: 'true',
    fixed: bicepSite('    httpsOnly: true', '      remoteDebuggingEnabled: false'),
  },
  {
    name: 'Bicep plain-text secret app setting',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', "      appSettings: [\n        { name: 'Stripe__ApiKey', value: 'sk-not-real-0123456789' }\n        { name: 'Smtp__Password', value: smtpPassword }\n      ]"),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: "'sk-not-real-0123456789'",
  },
  {
    name: 'Bicep CORS wildcard',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', "      cors: {\n        allowedOrigins: [\n          '*'\n        ]\n      }"),
    rule: 'APPSVC-CORS-WILDCARD',
    value: "'*'",
  },
  {
    name: 'Bicep site without identity',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', '', ''),
    rule: 'APPSVC-MANAGED-IDENTITY',
    value: 'Microsoft.Web/sites@2023-12-01',
  },
  // Terraform
  {
    name: 'Terraform https_only = false',
    file: 'main.tf',
    text: tfSite('  https_only          = false'),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'false',
    fixed: tfSite('  https_only          = true'),
  },
  {
    name: 'Terraform site without https_only',
    file: 'main.tf',
    text: tfSite(''),
    rule: 'APPSVC-HTTPS-ONLY',
    value: 'azurerm_linux_web_app',
  },
  {
    name: 'Terraform minimum_tls_version "1.1" on a function app slot',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    minimum_tls_version = "1.1"', 'azurerm_windows_function_app_slot'),
    rule: 'APPSVC-MIN-TLS',
    value: '"1.1"',
    fixed: tfSite('  https_only = true', '    minimum_tls_version = "1.2"', 'azurerm_windows_function_app_slot'),
  },
  {
    name: 'Terraform legacy azurerm_app_service min_tls_version',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    min_tls_version = "1.0"', 'azurerm_app_service'),
    rule: 'APPSVC-MIN-TLS',
    value: '"1.0"',
    fixed: tfSite('  https_only = true', '    min_tls_version = "1.2"', 'azurerm_app_service'),
  },
  {
    name: 'Terraform scm_minimum_tls_version',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    scm_minimum_tls_version = "1.0"'),
    rule: 'APPSVC-SCM-MIN-TLS',
    value: '"1.0"',
    fixed: tfSite('  https_only = true', '    scm_minimum_tls_version = "1.2"'),
  },
  {
    name: 'Terraform ftps_state AllAllowed',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    ftps_state = "AllAllowed"'),
    rule: 'APPSVC-FTPS',
    value: '"AllAllowed"',
    fixed: tfSite('  https_only = true', '    ftps_state = "Disabled"'),
  },
  {
    name: 'Terraform http2_enabled = false',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    http2_enabled = false'),
    rule: 'APPSVC-HTTP2',
    value: 'false',
    fixed: tfSite('  https_only = true', '    http2_enabled = true'),
  },
  {
    name: 'Terraform remote_debugging_enabled = true',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    remote_debugging_enabled = true'),
    rule: 'APPSVC-REMOTE-DEBUG',
    value: 'true',
    fixed: tfSite('  https_only = true', '    remote_debugging_enabled = false'),
  },
  {
    name: 'Terraform webdeploy basic auth',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  webdeploy_publish_basic_authentication_enabled = true'),
    rule: 'APPSVC-BASIC-AUTH-SCM',
    value: 'true',
    fixed: tfSite('  https_only = true\n  webdeploy_publish_basic_authentication_enabled = false'),
  },
  {
    name: 'Terraform ftp basic auth',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  ftp_publish_basic_authentication_enabled = true'),
    rule: 'APPSVC-BASIC-AUTH-FTP',
    value: 'true',
    fixed: tfSite('  https_only = true\n  ftp_publish_basic_authentication_enabled = false'),
  },
  {
    name: 'Terraform CORS wildcard',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    cors {\n      allowed_origins = ["*"]\n    }'),
    rule: 'APPSVC-CORS-WILDCARD',
    value: '"*"',
  },
  {
    name: 'Terraform scm_use_main_ip_restriction = false with main restrictions',
    file: 'main.tf',
    text: tfSite('  https_only = true', '    scm_use_main_ip_restriction = false\n    ip_restriction {\n      ip_address = "203.0.113.0/24"\n      action     = "Allow"\n    }'),
    rule: 'APPSVC-SCM-EXPOSED',
    value: 'false',
  },
  {
    name: 'Terraform second ip_restriction block allows everyone',
    file: 'main.tf',
    text: tfSite(
      '  https_only = true',
      '    ip_restriction {\n      ip_address = "203.0.113.0/24"\n      action     = "Deny"\n    }\n    ip_restriction {\n      ip_address = "0.0.0.0/0"\n    }',
    ),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    value: '"0.0.0.0/0"',
  },
  {
    name: 'Terraform public network access with nothing else',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  public_network_access_enabled = true'),
    rule: 'APPSVC-PUBLIC-NETWORK',
    value: 'true',
  },
  {
    name: 'Terraform plain-text app setting',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  app_settings = {\n    "PAYMENTS_CLIENT_SECRET" = "not-a-real-secret-42"\n    "API_TOKEN"              = var.api_token\n  }'),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: '"not-a-real-secret-42"',
  },
  {
    name: 'Terraform SQL connection_string block',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  connection_string {\n    name  = "Orders"\n    type  = "SQLAzure"\n    value = "Server=tcp:sql.contoso.com;Database=orders;Authentication=Active Directory Managed Identity;Encrypt=False"\n  }'),
    rule: 'APPSVC-SQL-ENCRYPT',
    value: 'Encrypt=False',
    fixed: tfSite('  https_only = true\n  connection_string {\n    name  = "Orders"\n    type  = "SQLAzure"\n    value = "Server=tcp:sql.contoso.com;Database=orders;Authentication=Active Directory Managed Identity;Encrypt=True"\n  }'),
  },
  {
    name: 'Terraform function app storage key',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  storage_account_name       = azurerm_storage_account.st.name\n  storage_account_access_key = azurerm_storage_account.st.primary_access_key', '', 'azurerm_linux_function_app'),
    rule: 'FUNC-STORAGE-IDENTITY',
    value: 'azurerm_storage_account.st.primary_access_key',
  },
  // .env and web.config
  {
    name: '.env.production ASPNETCORE_ENVIRONMENT=Development',
    file: 'deploy/.env.production',
    text: 'ASPNETCORE_ENVIRONMENT=Development\nLOG_LEVEL=info\n',
    rule: 'APPSVC-DETAILED-ERRORS',
    value: 'Development',
    fixed: 'ASPNETCORE_ENVIRONMENT=Production\nLOG_LEVEL=info\n',
  },
  {
    name: '.env http:// endpoint',
    file: '.env',
    text: 'ORDERS_API_URL="http://orders.contoso.com/v2"\n',
    rule: 'APPSVC-HTTP-ENDPOINT',
    value: '"http://orders.contoso.com/v2"',
    fixed: 'ORDERS_API_URL="https://orders.contoso.com/v2"\n',
  },
  {
    name: 'web.config customErrors Off',
    file: 'web.config',
    text: '<configuration>\n  <system.web>\n    <customErrors mode="Off" />\n  </system.web>\n</configuration>\n',
    rule: 'APPSVC-DETAILED-ERRORS',
    value: '"Off"',
    fixed: '<configuration>\n  <system.web>\n    <customErrors mode="RemoteOnly" />\n  </system.web>\n</configuration>\n',
  },
  {
    name: 'web.config SQL TrustServerCertificate',
    file: 'web.config',
    text: '<configuration>\n  <connectionStrings>\n    <add name="Orders" connectionString="Data Source=sql01;Initial Catalog=orders;Integrated Security=SSPI;TrustServerCertificate=True" providerName="Microsoft.Data.SqlClient" />\n  </connectionStrings>\n</configuration>\n',
    rule: 'APPSVC-SQL-ENCRYPT',
    value: 'TrustServerCertificate=True',
    fixed: '<configuration>\n  <connectionStrings>\n    <add name="Orders" connectionString="Data Source=sql01;Initial Catalog=orders;Integrated Security=SSPI;TrustServerCertificate=False" providerName="Microsoft.Data.SqlClient" />\n  </connectionStrings>\n</configuration>\n',
  },
  {
    name: 'web.config malformed Key Vault reference',
    file: 'web.config',
    text: '<configuration>\n  <appSettings>\n    <add key="Db" value="@Microsoft.KeyVault(SecretUri=http://kv-orders.vault.azure.net/secrets/db)" />\n  </appSettings>\n</configuration>\n',
    rule: 'KV-REF-MALFORMED',
    value: '"@Microsoft.KeyVault(SecretUri=http://kv-orders.vault.azure.net/secrets/db)"',
  },
];

const pass: PassCase[] = [
  { name: 'Bicep compliant site', file: 'main.bicep', text: bicepSite('    httpsOnly: true', "      minTlsVersion: '1.3'\n      ftpsState: 'FtpsOnly'\n      http20Enabled: true"), rule: 'APPSVC-MIN-TLS' },
  { name: 'Bicep httpsOnly from a parameter', file: 'main.bicep', text: bicepSite('    httpsOnly: httpsOnly'), rule: 'APPSVC-HTTPS-ONLY' },
  { name: 'Bicep minTlsVersion from a parameter', file: 'main.bicep', text: bicepSite('    httpsOnly: true', '      minTlsVersion: minTls'), rule: 'APPSVC-MIN-TLS' },
  { name: 'Bicep existing site is not reported as missing httpsOnly', file: 'main.bicep', text: "resource site 'Microsoft.Web/sites@2023-12-01' existing = {\n  name: 'app-orders'\n}\n", rule: 'APPSVC-HTTPS-ONLY' },
  { name: 'Bicep existing site is not reported as missing identity', file: 'main.bicep', text: "resource site 'Microsoft.Web/sites@2023-12-01' existing = {\n  name: 'app-orders'\n}\n", rule: 'APPSVC-MANAGED-IDENTITY' },
  {
    name: 'Bicep storage account TLS1_0 is not ours',
    file: 'main.bicep',
    text: "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'storders'\n  location: 'westeurope'\n  kind: 'StorageV2'\n  sku: { name: 'Standard_LRS' }\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n",
    rule: 'APPSVC-MIN-TLS',
  },
  {
    name: 'Bicep secret via parameter and Key Vault reference',
    file: 'main.bicep',
    text: bicepSite('    httpsOnly: true', "      appSettings: [\n        { name: 'Smtp__Password', value: smtpPassword }\n        { name: 'Stripe__ApiKey', value: '@Microsoft.KeyVault(VaultName=kv-orders;SecretName=stripe-api-key)' }\n        { name: 'Db__Password', value: '\${kv.properties.vaultUri}' }\n      ]"),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
  },
  { name: 'Terraform compliant', file: 'main.tf', text: tfSite('  https_only = true', '    minimum_tls_version = "1.2"\n    ftps_state = "FtpsOnly"\n    http2_enabled = true'), rule: 'APPSVC-MIN-TLS' },
  { name: 'Terraform https_only from a variable', file: 'main.tf', text: tfSite('  https_only = var.https_only'), rule: 'APPSVC-HTTPS-ONLY' },
  { name: 'Terraform data source', file: 'main.tf', text: 'data "azurerm_linux_web_app" "orders" {\n  name                = "app-orders"\n  resource_group_name = "rg-orders"\n}\n', rule: 'APPSVC-HTTPS-ONLY' },
  {
    name: 'Terraform storage account min_tls_version is not ours',
    file: 'main.tf',
    text: 'resource "azurerm_storage_account" "st" {\n  name                     = "storders"\n  min_tls_version          = "TLS1_0"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}\n',
    rule: 'APPSVC-MIN-TLS',
  },
  {
    name: 'Terraform identity-based function storage',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  storage_account_name          = azurerm_storage_account.st.name\n  storage_uses_managed_identity = true', '', 'azurerm_linux_function_app'),
    rule: 'FUNC-STORAGE-IDENTITY',
  },
  {
    name: 'Terraform restrictions: Deny default, SCM uses main',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  public_network_access_enabled = true', '    ip_restriction_default_action = "Deny"\n    scm_use_main_ip_restriction = true\n    ip_restriction {\n      ip_address = "203.0.113.0/24"\n    }'),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
  },
  {
    name: 'Terraform app settings with references',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  app_settings = {\n    "DB_PASSWORD" = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.db.versionless_id})"\n    "API_TOKEN"   = var.api_token\n    "PLACEHOLDER_SECRET" = "${var.secret}"\n  }'),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
  },
  {
    name: 'Terraform interpolated Key Vault reference is not judged as malformed',
    file: 'main.tf',
    text: tfSite('  https_only = true\n  app_settings = {\n    "DB_PASSWORD" = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.db.versionless_id})"\n  }'),
    rule: 'KV-REF-MALFORMED',
  },
  { name: '.env.development may say Development', file: '.env.development', text: 'ASPNETCORE_ENVIRONMENT=Development\n', rule: 'APPSVC-DETAILED-ERRORS' },
  { name: '.env local endpoints', file: '.env', text: 'API_URL=http://localhost:7071/api\nREDIS_HOST=http://redis:6379\n', rule: 'APPSVC-HTTP-ENDPOINT' },
  {
    name: 'web.config customErrors RemoteOnly, xmlns URLs',
    file: 'web.config',
    text: '<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">\n  <system.web>\n    <customErrors mode="RemoteOnly" />\n  </system.web>\n</configuration>\n',
    rule: 'APPSVC-DETAILED-ERRORS',
  },
  {
    name: 'Web.Debug.config may show detailed errors',
    file: 'Web.Debug.config',
    text: '<configuration>\n  <appSettings>\n    <add key="ASPNETCORE_ENVIRONMENT" value="Development" />\n  </appSettings>\n</configuration>\n',
    rule: 'APPSVC-DETAILED-ERRORS',
  },
];

describe('App Service rules: Bicep, Terraform, .env, web.config', () => {
  for (const c of fail) it(`flags ${c.rule}: ${c.name}`, () => expectFailure(c));
  for (const c of pass) it(`passes ${c.rule}: ${c.name}`, () => expectPass(c));
});
