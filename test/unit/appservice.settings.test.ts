import { armSite, armTemplate, expectFailure, expectPass, type FailCase, type PassCase } from './appservice.helpers.test';

const setting = (name: string, value: string) => `{ "name": "${name}", "value": "${value}" }`;
/** ARM site whose siteConfig.appSettings holds the given settings. */
const withSettings = (...settings: string[]) => armTemplate(armSite('', `,\n          "appSettings": [\n            ${settings.join(',\n            ')}\n          ]`));
const withConfig = (siteConfig: string, props = '') => armTemplate(armSite(props, siteConfig));
const policy = (name: string, allow: string) =>
  `    { "type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "apiVersion": "2023-12-01", "name": "[format('{0}/{1}', parameters('siteName'), '${name}')]", "properties": { "allow": ${allow} } }`;

const SQL = 'Server=tcp:contoso-sql.database.windows.net,1433;Initial Catalog=orders;Authentication=Active Directory Default;';
const fail: FailCase[] = [
  // Remote debugging
  {
    name: 'remoteDebuggingEnabled true',
    file: 'main.json',
    text: withConfig(',\n          "remoteDebuggingEnabled": true,\n          "remoteDebuggingVersion": "VS2022"'),
    rule: 'APPSVC-REMOTE-DEBUG',
    value: 'true',
    fixed: withConfig(',\n          "remoteDebuggingEnabled": false,\n          "remoteDebuggingVersion": "VS2022"'),
  },
  // Detailed errors
  {
    name: 'ASPNETCORE_ENVIRONMENT=Development in IaC app settings',
    file: 'main.json',
    text: withSettings(setting('ASPNETCORE_ENVIRONMENT', 'Development')),
    rule: 'APPSVC-DETAILED-ERRORS',
    value: '"Development"',
    fixed: withSettings(setting('ASPNETCORE_ENVIRONMENT', 'Production')),
  },
  {
    name: 'ASPNETCORE_DETAILEDERRORS=true in a settings export',
    file: 'appsettings-export.json',
    text: '[\n  { "name": "ASPNETCORE_DETAILEDERRORS", "value": "true", "slotSetting": false }\n]',
    rule: 'APPSVC-DETAILED-ERRORS',
    value: '"true"',
    fixed: '[\n  { "name": "ASPNETCORE_DETAILEDERRORS", "value": "false", "slotSetting": false }\n]',
  },
  // Basic publishing credentials
  {
    name: 'FTP basic auth allowed',
    file: 'main.json',
    text: armTemplate(`${armSite()},\n${policy('ftp', 'true')}`),
    rule: 'APPSVC-BASIC-AUTH-FTP',
    value: 'true',
    fixed: armTemplate(`${armSite()},\n${policy('ftp', 'false')}`),
  },
  {
    name: 'SCM basic auth allowed (concat name)',
    file: 'main.json',
    text: armTemplate(
      `${armSite()},\n    { "type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "apiVersion": "2023-12-01", "name": "[concat(parameters('siteName'), '/scm')]", "properties": { "allow": true } }`,
    ),
    rule: 'APPSVC-BASIC-AUTH-SCM',
    value: 'true',
    fixed: armTemplate(
      `${armSite()},\n    { "type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "apiVersion": "2023-12-01", "name": "[concat(parameters('siteName'), '/scm')]", "properties": { "allow": false } }`,
    ),
  },
  // Network
  {
    name: 'CORS wildcard',
    file: 'main.json',
    text: withConfig(',\n          "cors": { "allowedOrigins": [ "https://portal.azure.com", "*" ] }'),
    rule: 'APPSVC-CORS-WILDCARD',
    value: '"*"',
  },
  {
    name: 'WEBSITE_CORS_ALLOWED_ORIGINS=*',
    file: 'main.json',
    text: withSettings(setting('WEBSITE_CORS_ALLOWED_ORIGINS', '*')),
    rule: 'APPSVC-CORS-WILDCARD',
    value: '"*"',
  },
  {
    name: 'SCM not using the main restrictions',
    file: 'main.json',
    text: withConfig(
      ',\n          "ipSecurityRestrictions": [ { "ipAddress": "203.0.113.0/24", "action": "Allow", "priority": 100, "name": "office" } ],\n          "scmIpSecurityRestrictionsUseMain": false',
    ),
    rule: 'APPSVC-SCM-EXPOSED',
    value: 'false',
  },
  {
    name: 'Allow rule for Any (portal export)',
    file: 'main.json',
    text: withConfig(
      ',\n          "ipSecurityRestrictions": [ { "ipAddress": "Any", "action": "Allow", "priority": 2147483647, "name": "Allow all", "description": "Allow all access" } ]',
    ),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    value: '"Any"',
  },
  {
    name: 'Allow rule for 0.0.0.0/0 (action omitted)',
    file: 'main.json',
    text: withConfig(',\n          "ipSecurityRestrictions": [ { "ipAddress": "0.0.0.0/0", "priority": 100, "name": "everyone" } ]'),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    value: '"0.0.0.0/0"',
  },
  {
    name: 'default action Allow',
    file: 'main.json',
    text: withConfig(',\n          "ipSecurityRestrictionsDefaultAction": "Allow"'),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
    value: '"Allow"',
  },
  {
    name: 'public network access with no restriction',
    file: 'main.json',
    text: withConfig('', '\n        "publicNetworkAccess": "Enabled",'),
    rule: 'APPSVC-PUBLIC-NETWORK',
    value: '"Enabled"',
  },
  // SQL
  {
    name: 'SQL Encrypt=False in a connection string',
    file: 'main.json',
    text: armTemplate(armSite('', `,\n          "connectionStrings": [ { "name": "Orders", "connectionString": "${SQL}Encrypt=False;", "type": "SQLAzure" } ]`)),
    rule: 'APPSVC-SQL-ENCRYPT',
    value: 'Encrypt=False',
    fixed: armTemplate(armSite('', `,\n          "connectionStrings": [ { "name": "Orders", "connectionString": "${SQL}Encrypt=True;", "type": "SQLAzure" } ]`)),
  },
  {
    name: 'SQL TrustServerCertificate=true in appsettings.json',
    file: 'src/Api/appsettings.json',
    text: `{ "ConnectionStrings": { "Orders": "Data Source=sql01.contoso.com;Database=orders;Integrated Security=true;TrustServerCertificate=true" } }`,
    rule: 'APPSVC-SQL-ENCRYPT',
    value: 'TrustServerCertificate=true',
    fixed: `{ "ConnectionStrings": { "Orders": "Data Source=sql01.contoso.com;Database=orders;Integrated Security=true;TrustServerCertificate=false" } }`,
  },
  {
    name: 'SQL Encrypt = no with spaces',
    file: 'local.settings.json',
    text: `{ "IsEncrypted": false, "Values": { "SqlConn": "Server=sql01.contoso.com; Database=orders; Encrypt = no" } }`,
    rule: 'APPSVC-SQL-ENCRYPT',
    value: 'Encrypt = no',
    fixed: `{ "IsEncrypted": false, "Values": { "SqlConn": "Server=sql01.contoso.com; Database=orders; Encrypt = yes" } }`,
  },
  // HTTP endpoints
  {
    name: 'http:// API base URL in IaC app settings',
    file: 'main.json',
    text: withSettings(setting('OrdersApi__BaseUrl', 'http://orders.contoso.com/api')),
    rule: 'APPSVC-HTTP-ENDPOINT',
    value: '"http://orders.contoso.com/api"',
    fixed: withSettings(setting('OrdersApi__BaseUrl', 'https://orders.contoso.com/api')),
  },
  {
    name: 'http:// endpoint in appsettings.json',
    file: 'appsettings.json',
    text: `{ "Payments": { "Endpoint": "HTTP://payments.contoso.com" } }`,
    rule: 'APPSVC-HTTP-ENDPOINT',
    value: '"HTTP://payments.contoso.com"',
    fixed: `{ "Payments": { "Endpoint": "HTTPS://payments.contoso.com" } }`,
  },
  // Functions storage
  {
    name: 'AzureWebJobsStorage with AccountKey (ARM concat)',
    file: 'main.json',
    text: withSettings(
      setting('AzureWebJobsStorage', "[concat('DefaultEndpointsProtocol=https;AccountName=', variables('st'), ';AccountKey=', listKeys(variables('stId'), '2023-05-01').keys[0].value)]"),
    ),
    rule: 'FUNC-STORAGE-IDENTITY',
    value: `"[concat('DefaultEndpointsProtocol=https;AccountName=', variables('st'), ';AccountKey=', listKeys(variables('stId'), '2023-05-01').keys[0].value)]"`,
  },
  {
    name: 'AzureWebJobsStorage with AccountKey in local.settings.json',
    file: 'local.settings.json',
    text: `{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=stfunc;AccountKey=ZmFrZS1rZXk=;EndpointSuffix=core.windows.net", "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" } }`,
    rule: 'FUNC-STORAGE-IDENTITY',
    value: '"DefaultEndpointsProtocol=https;AccountName=stfunc;AccountKey=ZmFrZS1rZXk=;EndpointSuffix=core.windows.net"',
  },
  // Run from package
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE with a SAS',
    file: 'main.json',
    text: withSettings(setting('WEBSITE_RUN_FROM_PACKAGE', 'https://stdeploy.blob.core.windows.net/packages/app.zip?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=ZmFrZQ%3D')),
    rule: 'APPSVC-RUN-FROM-PACKAGE-SAS',
    value: '"https://stdeploy.blob.core.windows.net/packages/app.zip?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=ZmFrZQ%3D"',
  },
  // Plain-text secrets
  {
    name: 'password literal in IaC app settings',
    file: 'main.json',
    text: withSettings(setting('Smtp__Password', 'not-a-real-password-42')),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: '"not-a-real-password-42"',
  },
  {
    name: 'apiKey literal in config/appsettings child',
    file: 'main.json',
    text: armTemplate(
      `${armSite()},\n    { "type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01", "name": "[format('{0}/{1}', parameters('siteName'), 'appsettings')]", "properties": { "WEBSITE_TIME_ZONE": "UTC", "PartnerApiKey": "k-1234567890abcdef" } }`,
    ),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: '"k-1234567890abcdef"',
  },
  {
    name: 'secret in an App Service settings export',
    file: 'settings.json',
    text: '[\n  { "name": "JWT_SIGNING_SECRET", "value": "s3cr3t-value-for-tests", "slotSetting": false },\n  { "name": "WEBSITE_TIME_ZONE", "value": "UTC", "slotSetting": false }\n]',
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: '"s3cr3t-value-for-tests"',
  },
  {
    name: 'connection string with a password',
    file: 'main.json',
    text: armTemplate(armSite('', `,\n          "connectionStrings": [ { "name": "Orders", "connectionString": "Server=tcp:x.database.windows.net;Database=d;User ID=app;Password=not-real-1;Encrypt=True", "type": "SQLAzure" } ]`)),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    value: '"Server=tcp:x.database.windows.net;Database=d;User ID=app;Password=not-real-1;Encrypt=True"',
    // With the connection-string detector on, it reports the password instead (one problem, not two).
    levels: { 'SECRET-CONNECTION-STRING': 'off' },
  },
  // Managed identity
  {
    name: 'site without identity (reported on the type)',
    file: 'main.json',
    text: armTemplate(armSite().replace('"identity": { "type": "SystemAssigned" },', '')),
    rule: 'APPSVC-MANAGED-IDENTITY',
    value: 'Microsoft.Web/sites',
  },
  {
    name: "identity type 'None'",
    file: 'main.json',
    text: armTemplate(armSite().replace('"type": "SystemAssigned"', '"type": "None"')),
    rule: 'APPSVC-MANAGED-IDENTITY',
    value: '"None"',
  },
  // Key Vault references
  {
    name: 'pinned version',
    file: 'main.json',
    text: withSettings(setting('Db__Password', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/0f1e2d3c4b5a69788796a5b4c3d2e1f0)')),
    rule: 'APPSVC-KVREF-PINNED-VERSION',
    value: '"@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/0f1e2d3c4b5a69788796a5b4c3d2e1f0)"',
  },
  {
    name: 'pinned version, VaultName form',
    file: 'local.settings.json',
    text: `{ "Values": { "Db": "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db;SecretVersion=0f1e2d3c4b5a69788796a5b4c3d2e1f0)" } }`,
    rule: 'APPSVC-KVREF-PINNED-VERSION',
    value: '"@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db;SecretVersion=0f1e2d3c4b5a69788796a5b4c3d2e1f0)"',
  },
  {
    name: 'malformed: not a Key Vault host',
    file: 'main.json',
    text: withSettings(setting('Db__Password', '@Microsoft.KeyVault(SecretUri=https://kv-orders.example.com/secrets/db-password)')),
    rule: 'KV-REF-MALFORMED',
    value: '"@Microsoft.KeyVault(SecretUri=https://kv-orders.example.com/secrets/db-password)"',
  },
  {
    name: 'malformed: missing parenthesis',
    file: 'settings.json',
    text: '[ { "name": "Db", "value": "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db", "slotSetting": false } ]',
    rule: 'KV-REF-MALFORMED',
    value: '"@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db"',
  },
];

const pass: PassCase[] = [
  { name: 'remote debugging off', file: 'main.json', text: withConfig(',\n          "remoteDebuggingEnabled": false'), rule: 'APPSVC-REMOTE-DEBUG' },
  {
    name: 'remote debugging from a parameter',
    file: 'main.json',
    text: withConfig(`,\n          "remoteDebuggingEnabled": "[parameters('debug')]"`),
    rule: 'APPSVC-REMOTE-DEBUG',
  },
  { name: 'Production environment', file: 'main.json', text: withSettings(setting('ASPNETCORE_ENVIRONMENT', 'Production')), rule: 'APPSVC-DETAILED-ERRORS' },
  {
    name: 'Development in appsettings.Development.json is expected',
    file: 'appsettings.Development.json',
    text: `{ "ASPNETCORE_ENVIRONMENT": "Development", "DetailedErrors": true }`,
    rule: 'APPSVC-DETAILED-ERRORS',
  },
  {
    name: 'Development in local.settings.json is expected',
    file: 'local.settings.json',
    text: `{ "Values": { "AZURE_FUNCTIONS_ENVIRONMENT": "Development", "ASPNETCORE_ENVIRONMENT": "Development" } }`,
    rule: 'APPSVC-DETAILED-ERRORS',
  },
  { name: 'FTP basic auth off', file: 'main.json', text: armTemplate(`${armSite()},\n${policy('ftp', 'false')}`), rule: 'APPSVC-BASIC-AUTH-FTP' },
  { name: 'SCM basic auth off', file: 'main.json', text: armTemplate(`${armSite()},\n${policy('scm', 'false')}`), rule: 'APPSVC-BASIC-AUTH-SCM' },
  {
    name: 'CORS with explicit origins',
    file: 'main.json',
    text: withConfig(',\n          "cors": { "allowedOrigins": [ "https://www.contoso.com" ], "supportCredentials": true }'),
    rule: 'APPSVC-CORS-WILDCARD',
  },
  {
    name: 'SCM uses the main restrictions',
    file: 'main.json',
    text: withConfig(
      ',\n          "ipSecurityRestrictions": [ { "ipAddress": "203.0.113.0/24", "action": "Allow", "priority": 100, "name": "office" } ],\n          "scmIpSecurityRestrictionsUseMain": true',
    ),
    rule: 'APPSVC-SCM-EXPOSED',
  },
  {
    name: 'SCM has its own restrictions',
    file: 'main.json',
    text: withConfig(
      ',\n          "ipSecurityRestrictions": [ { "ipAddress": "203.0.113.0/24", "action": "Allow", "name": "office" } ],\n          "scmIpSecurityRestrictions": [ { "ipAddress": "AzureDevOps", "tag": "ServiceTag", "action": "Allow", "name": "ado" } ],\n          "scmIpSecurityRestrictionsUseMain": false',
    ),
    rule: 'APPSVC-SCM-EXPOSED',
  },
  {
    name: 'default action Deny',
    file: 'main.json',
    text: withConfig(',\n          "ipSecurityRestrictionsDefaultAction": "Deny",\n          "ipSecurityRestrictions": [ { "ipAddress": "203.0.113.0/24", "action": "Allow", "name": "office" } ]'),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
  },
  {
    name: 'Deny rule for 0.0.0.0/0 is not an allow-all',
    file: 'main.json',
    text: withConfig(',\n          "ipSecurityRestrictions": [ { "ipAddress": "0.0.0.0/0", "action": "Deny", "name": "deny" } ]'),
    rule: 'APPSVC-ACCESS-RESTRICTIONS',
  },
  {
    name: 'public access with restrictions',
    file: 'main.json',
    text: withConfig(',\n          "ipSecurityRestrictions": [ { "ipAddress": "203.0.113.0/24", "action": "Allow", "name": "office" } ]', '\n        "publicNetworkAccess": "Enabled",'),
    rule: 'APPSVC-PUBLIC-NETWORK',
  },
  { name: 'public access disabled', file: 'main.json', text: withConfig('', '\n        "publicNetworkAccess": "Disabled",'), rule: 'APPSVC-PUBLIC-NETWORK' },
  {
    name: 'SQL with Encrypt=True',
    file: 'main.json',
    text: armTemplate(armSite('', `,\n          "connectionStrings": [ { "name": "Orders", "connectionString": "${SQL}Encrypt=True;TrustServerCertificate=False;", "type": "SQLAzure" } ]`)),
    rule: 'APPSVC-SQL-ENCRYPT',
  },
  {
    name: 'Encrypt=false outside a SQL connection string',
    file: 'appsettings.json',
    text: `{ "Cache": { "Options": "Encrypt=false;Compress=true;Mode=fast" } }`,
    rule: 'APPSVC-SQL-ENCRYPT',
  },
  {
    name: 'local and schema URLs',
    file: 'appsettings.json',
    text: `{ "Api": { "BaseUrl": "http://localhost:5000", "Host": "http://127.0.0.1:8080", "SchemaUri": "http://schemas.microsoft.com/2003/10/Serialization/", "W3Uri": "http://www.w3.org/2001/XMLSchema", "SidecarEndpoint": "http://otel-collector:4317", "HomePage": "http://www.contoso.com" } }`,
    rule: 'APPSVC-HTTP-ENDPOINT',
  },
  {
    name: 'http:// dev service in appsettings.Development.json',
    file: 'appsettings.Development.json',
    text: `{ "Payments": { "BaseUrl": "http://payments-dev.contoso.com" } }`,
    rule: 'APPSVC-HTTP-ENDPOINT',
  },
  {
    name: 'http:// URL in an ARM property that is not an app setting',
    file: 'main.json',
    text: armTemplate(`    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "nested", "properties": { "mode": "Incremental", "templateLink": { "uri": "http://templates.contoso.com/site.json" } } }`),
    rule: 'APPSVC-HTTP-ENDPOINT',
  },
  {
    name: 'identity-based AzureWebJobsStorage',
    file: 'main.json',
    text: withSettings(setting('AzureWebJobsStorage__accountName', 'stfunc'), setting('AzureWebJobsStorage__credential', 'managedidentity')),
    rule: 'FUNC-STORAGE-IDENTITY',
  },
  {
    name: 'UseDevelopmentStorage in local.settings.json',
    file: 'local.settings.json',
    text: `{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true" } }`,
    rule: 'FUNC-STORAGE-IDENTITY',
  },
  {
    name: 'run from package: managed identity URL without SAS',
    file: 'main.json',
    text: withSettings(
      setting('WEBSITE_RUN_FROM_PACKAGE', 'https://stdeploy.blob.core.windows.net/packages/app.zip'),
      setting('WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID', 'SystemAssigned'),
    ),
    rule: 'APPSVC-RUN-FROM-PACKAGE-SAS',
  },
  { name: 'run from package = 1', file: 'main.json', text: withSettings(setting('WEBSITE_RUN_FROM_PACKAGE', '1')), rule: 'APPSVC-RUN-FROM-PACKAGE-SAS' },
  {
    name: 'Key Vault and App Configuration references, parameters, placeholders, non-secret keys',
    file: 'main.json',
    text: withSettings(
      setting('Db__Password', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)'),
      setting('Stripe__SecretKey', '@Microsoft.AppConfiguration(Endpoint=https://appcs-orders.azconfig.io; Key=Stripe:SecretKey)'),
      setting('Smtp__Password', "[parameters('smtpPassword')]"),
      setting('PARTNER_TOKEN', '__PARTNER_TOKEN__'),
      setting('API_KEY', '<your-api-key>'),
      setting('APPINSIGHTS_INSTRUMENTATIONKEY', '00000000-0000-0000-0000-000000000000'),
      setting('KEY_VAULT_NAME', 'kv-orders'),
      setting('KeyVaultUri', 'https://kv-orders.vault.azure.net/'),
      setting('Auth__ClientSecretSettingName', 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'),
      setting('Auth__TokenEndpoint', 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token'),
      setting('Orders__ConnectionString', 'Server=tcp:x.database.windows.net;Database=d;Authentication=Active Directory Managed Identity'),
      setting('WEBSITE_TIME_ZONE', 'UTC'),
    ),
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
  },
  {
    name: 'secrets in appsettings.json are the secret scanner\'s job',
    file: 'appsettings.json',
    text: `{ "Smtp": { "Password": "not-a-real-password-42" } }`,
    rule: 'APPSVC-SETTING-PLAINTEXT-SECRET',
  },
  { name: 'identity present', file: 'main.json', text: armTemplate(armSite()), rule: 'APPSVC-MANAGED-IDENTITY' },
  {
    name: 'identity from a variable',
    file: 'main.json',
    text: armTemplate(armSite().replace('"identity": { "type": "SystemAssigned" }', `"identity": "[variables('identity')]"`)),
    rule: 'APPSVC-MANAGED-IDENTITY',
  },
  {
    name: 'versionless reference',
    file: 'main.json',
    text: withSettings(setting('Db__Password', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)')),
    rule: 'APPSVC-KVREF-PINNED-VERSION',
  },
  {
    name: 'well-formed references (all clouds, both forms)',
    file: 'main.json',
    text: withSettings(
      setting('A', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password)'),
      setting('B', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.cn/secrets/db-password/)'),
      setting('C', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.usgovcloudapi.net/secrets/db-password/0f1e2d3c4b5a69788796a5b4c3d2e1f0)'),
      setting('D', '@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db-password)'),
      setting('E', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.microsoftazure.de/secrets/x)'),
    ),
    rule: 'KV-REF-MALFORMED',
  },
];

describe('App Service rules: settings, network, identity (ARM and config files)', () => {
  for (const c of fail) it(`flags ${c.rule}: ${c.name}`, () => expectFailure(c));
  for (const c of pass) it(`passes ${c.rule}: ${c.name}`, () => expectPass(c));
});
