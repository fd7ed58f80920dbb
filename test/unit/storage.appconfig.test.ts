import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { checkFindingCase, type FindingCase as Case } from '../support/findingCases';

// The storage account behind the app (STORAGE-*) and the app's own production configuration (ASP.NET Core,
// web.config, Spring Boot, C#). Each case: a file, its text, the findings as `RULE flagged-text`, and
// optionally the text after applying every quick fix.

const run = checkFindingCase;

const bicepAccount = (props: string) => `resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'st'\n  location: 'westeurope'\n  kind: 'StorageV2'\n  properties: {\n${props}\n  }\n}\n`;
const tfAccount = (args: string) => `resource "azurerm_storage_account" "st" {\n  name                     = "st"\n  account_tier             = "Standard"\n${args}\n}\n`;
const armAccount = (props: string) =>
  `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [\n    {\n      "type": "Microsoft.Storage/storageAccounts",\n      "apiVersion": "2023-05-01",\n      "name": "st",\n      "properties": {\n${props}\n      }\n    }\n  ]\n}\n`;
const bicepSite = `resource app 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'app'\n  identity: { type: 'SystemAssigned' }\n  properties: { httpsOnly: true }\n}\n`;
const tfSite = `resource "azurerm_linux_function_app" "fn" {\n  name = "fn"\n  https_only = true\n  identity {\n    type = "SystemAssigned"\n  }\n  site_config {}\n}\n`;

const STORAGE: Case[] = [
  { name: 'Bicep minimumTlsVersion TLS1_0', file: 'main.bicep', text: bicepAccount("    minimumTlsVersion: 'TLS1_0'"), want: ["STORAGE-MIN-TLS 'TLS1_0'"], fixed: bicepAccount("    minimumTlsVersion: 'TLS1_2'") },
  { name: 'ARM minimumTlsVersion TLS1_1', file: 'azuredeploy.json', text: armAccount('        "minimumTlsVersion": "TLS1_1"'), want: ['STORAGE-MIN-TLS "TLS1_1"'] },
  { name: 'Terraform min_tls_version TLS1_0', file: 'main.tf', text: tfAccount('  min_tls_version = "TLS1_0"'), want: ['STORAGE-MIN-TLS "TLS1_0"'], fixed: tfAccount('  min_tls_version = "TLS1_2"') },
  { name: 'Bicep supportsHttpsTrafficOnly false', file: 'main.bicep', text: bicepAccount('    supportsHttpsTrafficOnly: false'), want: ['STORAGE-HTTPS-ONLY false'], fixed: bicepAccount('    supportsHttpsTrafficOnly: true') },
  { name: 'ARM supportsHttpsTrafficOnly false', file: 'azuredeploy.json', text: armAccount('        "supportsHttpsTrafficOnly": false'), want: ['STORAGE-HTTPS-ONLY false'] },
  { name: 'Terraform https_traffic_only_enabled = false', file: 'main.tf', text: tfAccount('  https_traffic_only_enabled = false'), want: ['STORAGE-HTTPS-ONLY false'] },
  { name: 'Terraform enable_https_traffic_only = false (azurerm 3)', file: 'main.tf', text: tfAccount('  enable_https_traffic_only = false'), want: ['STORAGE-HTTPS-ONLY false'] },
  { name: 'Bicep allowBlobPublicAccess true', file: 'main.bicep', text: bicepAccount('    allowBlobPublicAccess: true'), want: ['STORAGE-PUBLIC-BLOB true'], fixed: bicepAccount('    allowBlobPublicAccess: false') },
  { name: 'ARM allowBlobPublicAccess true', file: 'azuredeploy.json', text: armAccount('        "allowBlobPublicAccess": true'), want: ['STORAGE-PUBLIC-BLOB true'] },
  { name: 'Terraform allow_nested_items_to_be_public = true', file: 'main.tf', text: tfAccount('  allow_nested_items_to_be_public = true'), want: ['STORAGE-PUBLIC-BLOB true'] },
  { name: 'Terraform allow_blob_public_access = true (azurerm 2)', file: 'main.tf', text: tfAccount('  allow_blob_public_access = true'), want: ['STORAGE-PUBLIC-BLOB true'] },
  { name: 'shared key explicitly on beside an app identity (Bicep)', file: 'main.bicep', text: bicepSite + bicepAccount('    allowSharedKeyAccess: true'), want: ['STORAGE-SHARED-KEY true'] },
  { name: 'shared key left at its default beside an app identity (Terraform)', file: 'main.tf', text: tfSite + tfAccount(''), want: ['STORAGE-SHARED-KEY azurerm_storage_account'] },
  // ---- hard negatives ----
  { name: 'secure values', file: 'main.bicep', text: bicepAccount("    minimumTlsVersion: 'TLS1_2'\n    supportsHttpsTrafficOnly: true\n    allowBlobPublicAccess: false\n    allowSharedKeyAccess: false") + bicepSite, want: [] },
  { name: 'missing properties (secure defaults)', file: 'main.tf', text: tfAccount(''), want: [] },
  { name: 'parameters of unknown value', file: 'main.bicep', text: `param tls string\nparam pub bool\n${bicepAccount('    minimumTlsVersion: tls\n    allowBlobPublicAccess: pub')}`, want: [] },
  { name: 'nested property with the same name', file: 'main.bicep', text: bicepAccount("    networkAcls: {\n      minimumTlsVersion: 'TLS1_0'\n    }"), want: [] },
  { name: 'other resource types', file: 'main.tf', text: 'resource "azurerm_redis_cache" "r" {\n  minimum_tls_version = "1.0"\n  min_tls_version = "TLS1_0"\n}\n', want: [] },
  { name: 'shared key default without an app identity', file: 'main.bicep', text: bicepAccount("    minimumTlsVersion: 'TLS1_2'"), want: [] },
  { name: 'shared key default while the app reads the keys', file: 'main.bicep', text: bicepSite + bicepAccount('') + "output cs string = 'AccountKey=${sa.listKeys().keys[0].value}'\n", want: [] },
];

const APPCONFIG: Case[] = [
  { name: 'appsettings.Production.json DetailedErrors true', file: 'src/Web/appsettings.Production.json', text: '{\n  "DetailedErrors": true\n}\n', want: ['APPSVC-DETAILED-ERRORS true'], fixed: '{\n  "DetailedErrors": false\n}\n' },
  { name: 'appsettings.json DetailedErrors true', file: 'appsettings.json', text: '{ "Logging": {}, "DetailedErrors": true }', want: ['APPSVC-DETAILED-ERRORS true'] },
  { name: 'web.config compilation debug', file: 'web.config', text: '<configuration>\n  <system.web>\n    <compilation debug="true" targetFramework="4.8" />\n  </system.web>\n</configuration>\n', want: ['APPSVC-DETAILED-ERRORS "true"'], fixed: '<configuration>\n  <system.web>\n    <compilation debug="false" targetFramework="4.8" />\n  </system.web>\n</configuration>\n' },
  { name: 'web.config httpRuntime enableVersionHeader', file: 'Web.Release.config', text: '<configuration><system.web><httpRuntime enableVersionHeader="true" /></system.web></configuration>', want: ['APPSVC-VERSION-HEADER "true"'] },
  { name: 'Spring include-stacktrace=always (properties)', file: 'src/main/resources/application.properties', text: 'server.port=8080\nserver.error.include-stacktrace=always\n', want: ['APPSVC-DETAILED-ERRORS always'], fixed: 'server.port=8080\nserver.error.include-stacktrace=never\n' },
  { name: 'Spring include-stacktrace: always (yaml)', file: 'application-prod.yml', text: 'server:\n  error:\n    include-stacktrace: always\n', want: ['APPSVC-DETAILED-ERRORS always'] },
  {
    name: 'JDBC encrypt=false and trustServerCertificate=true (properties)',
    file: 'application.properties',
    text: 'spring.datasource.url=jdbc:sqlserver://db.example.com:1433;databaseName=app;encrypt=false;trustServerCertificate=true\n',
    want: ['APPSVC-SQL-ENCRYPT encrypt=false', 'APPSVC-SQL-ENCRYPT trustServerCertificate=true'],
    fixed: 'spring.datasource.url=jdbc:sqlserver://db.example.com:1433;databaseName=app;encrypt=true;trustServerCertificate=false\n',
  },
  { name: 'JDBC encrypt=false (yaml)', file: 'application.yaml', text: 'spring:\n  datasource:\n    url: "jdbc:sqlserver://db.example.com;encrypt=false"\n', want: ['APPSVC-SQL-ENCRYPT encrypt=false'] },
  { name: 'UseDeveloperExceptionPage unconditional', file: 'src/Api/Program.cs', text: 'var app = builder.Build();\napp.UseDeveloperExceptionPage();\napp.Run();\n', want: ['APPSVC-DETAILED-ERRORS UseDeveloperExceptionPage'] },
  {
    name: 'UseDeveloperExceptionPage in the else of a Development check',
    file: 'Startup.cs',
    text: 'if (env.IsDevelopment())\n{\n    app.UseHsts();\n}\nelse\n{\n    app.UseDeveloperExceptionPage();\n}\n',
    want: ['APPSVC-DETAILED-ERRORS UseDeveloperExceptionPage'],
  },
  { name: 'UseDeveloperExceptionPage in ConfigureStaging()', file: 'Startup.cs', text: 'public void ConfigureStaging(IApplicationBuilder app)\n{\n    app.UseDeveloperExceptionPage();\n}\n', want: ['APPSVC-DETAILED-ERRORS UseDeveloperExceptionPage'] },
  // eShopOnContainers' CORS policy: every origin allowed, with the user's cookies.
  {
    name: 'SetIsOriginAllowed((host) => true) with AllowCredentials()',
    file: 'src/Services/Catalog/Catalog.API/Startup.cs',
    text: 'services.AddCors(options =>\n{\n    options.AddPolicy("CorsPolicy",\n        builder => builder\n        .SetIsOriginAllowed((host) => true)\n        .AllowAnyMethod()\n        .AllowAnyHeader()\n        .AllowCredentials());\n});\n',
    want: ['APPSVC-CORS-WILDCARD SetIsOriginAllowed'],
  },
  { name: 'SetIsOriginAllowed(_ => true)', file: 'Program.cs', text: 'app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowAnyHeader());\n', want: ['APPSVC-CORS-WILDCARD SetIsOriginAllowed'] },
  { name: 'AllowAnyOrigin', file: 'Program.cs', text: 'builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader()));\n', want: ['APPSVC-CORS-WILDCARD AllowAnyOrigin'] },
  // ---- hard negatives ----
  { name: 'Development appsettings', file: 'appsettings.Development.json', text: '{ "DetailedErrors": true }', want: [] },
  { name: 'DetailedErrors false / nested', file: 'appsettings.json', text: '{ "DetailedErrors": false, "Blazor": { "DetailedErrors": true } }', want: [] },
  { name: 'Web.Debug.config', file: 'Web.Debug.config', text: '<configuration><system.web><compilation debug="true" /></system.web></configuration>', want: [] },
  { name: 'application-dev.properties', file: 'application-dev.properties', text: 'server.error.include-stacktrace=always\n', want: [] },
  { name: 'include-stacktrace never / on_param', file: 'application.properties', text: 'server.error.include-stacktrace=never\n# server.error.include-stacktrace=always\n', want: [] },
  { name: 'JDBC secure', file: 'application.properties', text: 'spring.datasource.url=jdbc:sqlserver://db.example.com;encrypt=true;trustServerCertificate=false\n', want: [] },
  { name: 'UseDeveloperExceptionPage inside IsDevelopment()', file: 'Program.cs', text: 'if (app.Environment.IsDevelopment())\n{\n    app.UseDeveloperExceptionPage();\n}\n', want: [] },
  { name: 'UseDeveloperExceptionPage unbraced if', file: 'Startup.cs', text: 'if (env.IsDevelopment())\n    app.UseDeveloperExceptionPage();\n', want: [] },
  { name: 'UseDeveloperExceptionPage nested in a Development block', file: 'Startup.cs', text: 'if (env.IsDevelopment())\n{\n    if (verbose)\n    {\n        app.UseDeveloperExceptionPage();\n    }\n}\n', want: [] },
  { name: 'SetIsOriginAllowed with a real check', file: 'Program.cs', text: 'app.UseCors(p => p.SetIsOriginAllowed(origin => allowed.Contains(origin)).AllowCredentials());\napp.UseCors(p => p.SetIsOriginAllowed(IsTrustedOrigin));\n', want: [] },
  { name: 'SetIsOriginAllowed(_ => true) inside IsDevelopment()', file: 'Program.cs', text: 'if (app.Environment.IsDevelopment())\n{\n    app.UseCors(p => p.SetIsOriginAllowed(_ => true));\n}\n// p.SetIsOriginAllowed(_ => true);\n', want: [] },
  { name: 'commented-out call', file: 'Program.cs', text: '// app.UseDeveloperExceptionPage();\n// p.AllowAnyOrigin();\n', want: [] },
  // ASP.NET Core calls Configure{Environment}() / Startup{Environment} only in that environment (PartsUnlimited).
  { name: 'UseDeveloperExceptionPage in ConfigureDevelopment()', file: 'src/Web/Startup.cs', text: 'public void ConfigureDevelopment(IApplicationBuilder app)\n{\n    app.UseDeveloperExceptionPage();\n    Configure(app);\n}\n', want: [] },
  { name: 'UseDeveloperExceptionPage in a StartupDevelopment class', file: 'src/Web/StartupDevelopment.cs', text: 'public class StartupDevelopment\n{\n    public void Configure(IApplicationBuilder app)\n    {\n        app.UseDeveloperExceptionPage();\n    }\n}\n', want: [] },
  { name: 'test project', file: 'tests/Api.Tests/CorsTests.cs', text: 'p.AllowAnyOrigin();\napp.UseDeveloperExceptionPage();\n', want: [] },
  { name: 'launchSettings.json', file: 'Properties/launchSettings.json', text: '{ "profiles": { "a": { "environmentVariables": { "ASPNETCORE_ENVIRONMENT": "Development" } } } }', want: [] },
];

describe('storage account behind the app', () => {
  for (const c of STORAGE) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c, /^STORAGE-/));
});

describe("the app's own production configuration", () => {
  for (const c of APPCONFIG) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c, /^APPSVC-(?:DETAILED-ERRORS|CORS-WILDCARD|SQL-ENCRYPT|VERSION-HEADER)$/));

  it('the CORS message says AllowCredentials makes it worse', () => {
    const r = scanText('services.AddCors(o => o.AddPolicy("x", p => p.AllowAnyOrigin().AllowCredentials()));', 'Startup.cs');
    const f = r.findings.find((x) => x.ruleId === 'APPSVC-CORS-WILDCARD');
    assert.ok(f);
    assert.match(f.message, /AllowCredentials/);
  });
});
