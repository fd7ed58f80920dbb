import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { checkFindingCase, type FindingCase as Case } from '../support/findingCases';
import { blankTemplateActions } from '../../src/core/rules/appconfig/deployConfig';

// The app's production settings where they are really set (issue 11): Kubernetes manifests, Helm values, Compose
// files, appsettings sections, web.config headers and connection strings in code. Each case: a file, its text,
// the findings as `RULE flagged-text`, and optionally the text after applying every quick fix.

const RULES = /^APPSVC-(?:DETAILED-ERRORS|CORS-WILDCARD|SQL-ENCRYPT|HTTP-ENDPOINT)$/;
const run = (c: Case) => checkFindingCase(c, RULES);

const deployment = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          image: contoso.azurecr.io/orders:1.0
          env:
${env}
`;
const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-config
data:
${data}
`;
const ingress = (annotations: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: orders
  annotations:
${annotations}
spec:
  rules:
    - host: orders.contoso.com
`;
const containerApp = (env: string) => `resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'orders'
  properties: {
    template: {
      containers: [
        {
          name: 'orders'
          env: [
            ${env}
          ]
        }
      ]
    }
  }
}
`;
const compose = (environment: string) => `services:
  orders:
    image: contoso/orders
    environment:
${environment}
`;

const ENVIRONMENT: Case[] = [
  {
    name: 'Kubernetes env list ASPNETCORE_ENVIRONMENT Development',
    file: 'k8s/orders.yaml',
    text: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: Development'),
    want: ['APPSVC-DETAILED-ERRORS Development'],
    fixed: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: Production'),
  },
  {
    name: 'Kubernetes env list DOTNET_ENVIRONMENT "Development" (quoted)',
    file: 'deploy/orders.yml',
    text: deployment('            - name: DOTNET_ENVIRONMENT\n              value: "Development"'),
    want: ['APPSVC-DETAILED-ERRORS "Development"'],
    fixed: deployment('            - name: DOTNET_ENVIRONMENT\n              value: "Production"'),
  },
  { name: 'ConfigMap data', file: 'manifests/config.yaml', text: configMap('  ASPNETCORE_ENVIRONMENT: Development'), want: ['APPSVC-DETAILED-ERRORS Development'] },
  { name: 'Helm values nested env map', file: 'charts/orders/values.yaml', text: 'image:\n  tag: 1.0\nenv:\n  ASPNETCORE_ENVIRONMENT: Development\n', want: ['APPSVC-DETAILED-ERRORS Development'] },
  {
    name: 'Helm values env list',
    file: 'charts/orders/values-prod.yaml',
    text: 'orders:\n  env:\n    - name: ASPNETCORE_ENVIRONMENT\n      value: Development\n',
    want: ['APPSVC-DETAILED-ERRORS Development'],
  },
  {
    name: 'docker-compose.yml environment map',
    file: 'docker-compose.yml',
    text: compose('      ASPNETCORE_ENVIRONMENT: Development'),
    want: ['APPSVC-DETAILED-ERRORS Development'],
    fixed: compose('      ASPNETCORE_ENVIRONMENT: Production'),
  },
  {
    name: 'docker-compose.yml environment list NAME=value',
    file: 'docker-compose.yml',
    text: compose('      - ASPNETCORE_ENVIRONMENT=Development'),
    want: ['APPSVC-DETAILED-ERRORS Development'],
    fixed: compose('      - ASPNETCORE_ENVIRONMENT=Production'),
  },
  {
    name: 'Kustomize configMapGenerator literals',
    file: 'kustomize/base/kustomization.yaml',
    text: 'configMapGenerator:\n  - name: orders\n    literals:\n      - DOTNET_ENVIRONMENT=Development\n',
    want: ['APPSVC-DETAILED-ERRORS Development'],
  },
  {
    name: 'Bicep Container App env',
    file: 'infra/app.bicep',
    text: containerApp("{ name: 'ASPNETCORE_ENVIRONMENT', value: 'Development' }"),
    want: ["APPSVC-DETAILED-ERRORS 'Development'"],
    fixed: containerApp("{ name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }"),
  },
  {
    name: 'Terraform azurerm_container_app env block',
    file: 'infra/main.tf',
    text: 'resource "azurerm_container_app" "orders" {\n  template {\n    container {\n      env {\n        name  = "DOTNET_ENVIRONMENT"\n        value = "Development"\n      }\n    }\n  }\n}\n',
    want: ['APPSVC-DETAILED-ERRORS "Development"'],
  },
  {
    name: 'Bicep Container Instances environmentVariables (environment name and an http:// endpoint)',
    file: 'infra/aci.bicep',
    text: "resource cg 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {\n  name: 'orders'\n  location: 'westeurope'\n  properties: {\n    osType: 'Linux'\n    containers: [\n      {\n        name: 'api'\n        properties: {\n          image: 'contoso.azurecr.io/orders:1'\n          environmentVariables: [\n            { name: 'ASPNETCORE_ENVIRONMENT', value: 'Development' }\n            { name: 'Orders__Endpoint', value: 'http://orders.contoso.com/api' }\n          ]\n        }\n      }\n    ]\n  }\n}\n",
    want: ["APPSVC-DETAILED-ERRORS 'Development'", "APPSVC-HTTP-ENDPOINT 'http://orders.contoso.com/api'"],
  },
  {
    name: 'Terraform azurerm_container_group environment_variables',
    file: 'infra/main.tf',
    text: 'resource "azurerm_container_group" "orders" {\n  name = "orders"\n  container {\n    name  = "api"\n    image = "contoso.azurecr.io/orders:1"\n    environment_variables = {\n      DOTNET_ENVIRONMENT = "Development"\n    }\n  }\n}\n',
    want: ['APPSVC-DETAILED-ERRORS "Development"'],
    fixed: 'resource "azurerm_container_group" "orders" {\n  name = "orders"\n  container {\n    name  = "api"\n    image = "contoso.azurecr.io/orders:1"\n    environment_variables = {\n      DOTNET_ENVIRONMENT = "Production"\n    }\n  }\n}\n',
  },
  // ---- hard negatives ----
  { name: 'Container App env from a parameter or a secret', file: 'infra/app.bicep', text: `param env string\n${containerApp("{ name: 'ASPNETCORE_ENVIRONMENT', value: env }\n            { name: 'DOTNET_ENVIRONMENT', secretRef: 'Development' }")}`, want: [] },
  { name: 'a Container App of the dev environment (main.dev.bicep)', file: 'infra/main.dev.bicep', text: containerApp("{ name: 'ASPNETCORE_ENVIRONMENT', value: 'Development' }"), want: [] },
  { name: 'Container Instances: Production, and a storage account setting with the same name elsewhere', file: 'infra/main.tf', text: 'resource "azurerm_container_group" "orders" {\n  name = "orders"\n  container {\n    name  = "api"\n    image = "contoso.azurecr.io/orders:1"\n    environment_variables = {\n      DOTNET_ENVIRONMENT = "Production"\n    }\n  }\n}\nresource "azurerm_storage_account" "st" {\n  name = "st"\n  tags = {\n    ASPNETCORE_ENVIRONMENT = "Development"\n  }\n}\n', want: [] },
  { name: 'Production value', file: 'k8s/orders.yaml', text: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: Production'), want: [] },
  { name: 'Helm values.dev.yaml', file: 'charts/orders/values.dev.yaml', text: 'env:\n  ASPNETCORE_ENVIRONMENT: Development\n', want: [] },
  { name: 'Helm values-local.yaml', file: 'charts/orders/values-local.yaml', text: 'env:\n  ASPNETCORE_ENVIRONMENT: Development\n', want: [] },
  { name: 'docker-compose.override.yml', file: 'docker-compose.override.yml', text: compose('      ASPNETCORE_ENVIRONMENT: Development'), want: [] },
  { name: 'docker-compose-tests.override.yml', file: 'src/docker-compose-tests.override.yml', text: compose('      - ASPNETCORE_ENVIRONMENT=Development'), want: [] },
  { name: 'docker-compose.prod.yml is production', file: 'src/docker-compose.prod.yml', text: compose('      - ASPNETCORE_ENVIRONMENT=Development'), want: ['APPSVC-DETAILED-ERRORS Development'] },
  { name: 'docker-compose.dev.yml', file: 'docker-compose.dev.yml', text: compose('      ASPNETCORE_ENVIRONMENT: Development'), want: [] },
  { name: 'Kustomize overlay for dev', file: 'k8s/overlays/dev/orders.yaml', text: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: Development'), want: [] },
  { name: 'manifest under a test folder', file: 'test/fixtures/orders.yaml', text: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: Development'), want: [] },
  {
    name: 'Helm template value',
    file: 'charts/orders/templates/deployment.yaml',
    text: deployment('            - name: ASPNETCORE_ENVIRONMENT\n              value: {{ .Values.environment | quote }}\n            - name: DOTNET_ENVIRONMENT\n              value: "{{ .Values.environment }}"'),
    want: [],
  },
  { name: 'commented line', file: 'k8s/orders.yaml', text: deployment('            # - name: ASPNETCORE_ENVIRONMENT\n            #   value: Development\n            - name: ASPNETCORE_ENVIRONMENT\n              value: Staging'), want: [] },
  { name: 'compose variable', file: 'docker-compose.yml', text: compose('      ASPNETCORE_ENVIRONMENT: ${ASPNETCORE_ENVIRONMENT:-Development}'), want: [] },
  {
    name: 'a GitHub workflow (CI, not the deployed app)',
    file: '.github/workflows/ci.yml',
    text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      ASPNETCORE_ENVIRONMENT: Development\n    steps:\n      - run: dotnet test\n',
    want: [],
  },
  { name: 'a setting merely named like it', file: 'charts/orders/values.yaml', text: 'aspnetcoreEnvironmentNote: Development\n', want: [] },
];

const HTTP: Case[] = [
  {
    name: 'Kubernetes env list API URL',
    file: 'k8s/orders.yaml',
    text: deployment('            - name: PAYMENTS_API_URL\n              value: http://payments.contoso.com/api'),
    want: ['APPSVC-HTTP-ENDPOINT http://payments.contoso.com/api'],
    fixed: deployment('            - name: PAYMENTS_API_URL\n              value: https://payments.contoso.com/api'),
  },
  { name: 'ConfigMap identity authority', file: 'k8s/config.yaml', text: configMap('  Identity__Authority: "http://login.contoso.com/tenant"'), want: ['APPSVC-HTTP-ENDPOINT "http://login.contoso.com/tenant"'] },
  { name: 'Helm values nested issuer', file: 'charts/api/values.yaml', text: 'auth:\n  issuer: http://idp.contoso.com\n  audience: api\n', want: ['APPSVC-HTTP-ENDPOINT http://idp.contoso.com'] },
  { name: 'compose environment list endpoint', file: 'compose.yaml', text: compose('      - PAYMENTS_ENDPOINT=http://payments.contoso.com'), want: ['APPSVC-HTTP-ENDPOINT http://payments.contoso.com'] },
  { name: 'appsettings.json OpenID Connect Authority', file: 'appsettings.json', text: '{ "Oidc": { "Authority": "http://idp.contoso.com", "ClientId": "web" } }', want: ['APPSVC-HTTP-ENDPOINT "http://idp.contoso.com"'] },
  { name: 'appsettings.json JWT Issuer', file: 'src/Api/appsettings.Production.json', text: '{ "Jwt": { "Issuer": "http://auth.contoso.com" } }', want: ['APPSVC-HTTP-ENDPOINT "http://auth.contoso.com"'] },
  // ---- hard negatives ----
  {
    name: 'cluster-internal services',
    file: 'k8s/orders.yaml',
    text: deployment(
      '            - name: ORDER_SERVICE_URL\n              value: http://order-service:3000/\n            - name: CATALOG_URL\n              value: http://catalog.shop.svc.cluster.local\n            - name: BASKET_URL\n              value: http://basket.shop.svc:8080',
    ),
    want: [],
  },
  { name: 'localhost and Docker host alias', file: 'docker-compose.yml', text: compose('      API_URL: http://host.docker.internal:7071\n      AUTH_URL: http://localhost:5000\n      LOOPBACK_URL: http://127.0.0.1:8080'), want: [] },
  { name: 'https', file: 'charts/api/values.yaml', text: 'auth:\n  issuer: https://idp.contoso.com\n', want: [] },
  { name: 'templated URL', file: 'charts/api/templates/configmap.yaml', text: configMap('  API_URL: "http://{{ .Values.apiHost }}"\n  AUTH_URL: http://$(AUTH_HOST)'), want: [] },
  { name: 'a docs link and a licence URL', file: 'charts/api/values.yaml', text: 'docsUrl: http://docs.contoso.com\nlicenseUrl: http://www.apache.org/licenses/LICENSE-2.0\nhelpUri: http://help.contoso.com\n', want: [] },
  { name: 'JSON schema URL', file: 'appsettings.json', text: '{ "$schema": "http://json.schemastore.org/appsettings.json", "Api": { "SchemaUrl": "http://json-schema.org/draft-07/schema" } }', want: [] },
  { name: 'Kestrel listening address', file: 'appsettings.json', text: '{ "Kestrel": { "Endpoints": { "Http": { "Url": "http://orders.contoso.com:80" } } } }', want: [] },
  { name: 'an image or other non-setting field of a manifest', file: 'k8s/orders.yaml', text: deployment('            - name: MODE\n              value: http://not-an-endpoint.contoso.com').replace('image: contoso.azurecr.io/orders:1.0', 'image: contoso.azurecr.io/orders:1.0\n          url: http://orders.contoso.com'), want: [] },
  { name: 'Helm values.dev.yaml', file: 'charts/api/values.dev.yaml', text: 'auth:\n  issuer: http://idp.contoso.com\n', want: [] },
  { name: 'ASPNETCORE_URLS binding', file: 'k8s/orders.yaml', text: deployment('            - name: ASPNETCORE_URLS\n              value: http://+:8080'), want: [] },
];

const CORS: Case[] = [
  { name: 'appsettings Cors:AllowedOrigins ["*"]', file: 'appsettings.json', text: '{ "Cors": { "AllowedOrigins": [ "*" ] } }', want: ['APPSVC-CORS-WILDCARD "*"'] },
  { name: 'appsettings CorsOrigins "*"', file: 'appsettings.Production.json', text: '{ "CorsOrigins": "https://contoso.com,*" }', want: ['APPSVC-CORS-WILDCARD "https://contoso.com,*"'] },
  { name: 'Helm values cors.allowedOrigins', file: 'charts/api/values.yaml', text: 'cors:\n  allowedOrigins:\n    - "*"\n', want: ['APPSVC-CORS-WILDCARD "*"'] },
  { name: 'Kubernetes env CORS_ALLOWED_ORIGINS', file: 'k8s/orders.yaml', text: deployment('            - name: CORS_ALLOWED_ORIGINS\n              value: "*"'), want: ['APPSVC-CORS-WILDCARD "*"'] },
  {
    name: 'ingress-nginx cors-allow-origin "*" with enable-cors',
    file: 'k8s/ingress.yaml',
    text: ingress('    nginx.ingress.kubernetes.io/enable-cors: "true"\n    nginx.ingress.kubernetes.io/cors-allow-origin: "*"'),
    want: ['APPSVC-CORS-WILDCARD "*"'],
  },
  {
    name: 'ingress-nginx enable-cors without cors-allow-origin (defaults to *)',
    file: 'charts/api/values.yaml',
    text: 'ingress:\n  enabled: true\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: "true"\n',
    want: ['APPSVC-CORS-WILDCARD "true"'],
  },
  {
    name: 'web.config Access-Control-Allow-Origin custom header',
    file: 'web.config',
    text: '<configuration>\n  <system.webServer>\n    <httpProtocol>\n      <customHeaders>\n        <add name="Access-Control-Allow-Origin" value="*" />\n      </customHeaders>\n    </httpProtocol>\n  </system.webServer>\n</configuration>\n',
    want: ['APPSVC-CORS-WILDCARD "*"'],
  },
  // ---- hard negatives ----
  { name: 'AllowedHosts "*" is host filtering, not CORS', file: 'appsettings.json', text: '{ "AllowedHosts": "*" }', want: [] },
  { name: 'listed origins', file: 'appsettings.json', text: '{ "Cors": { "AllowedOrigins": [ "https://contoso.com" ] } }', want: [] },
  { name: 'a wildcard subdomain', file: 'charts/api/values.yaml', text: 'cors:\n  allowedOrigins:\n    - "https://*.contoso.com"\n', want: [] },
  { name: 'cors-allow-origin "*" without enable-cors (ignored by ingress-nginx)', file: 'k8s/ingress.yaml', text: ingress('    nginx.ingress.kubernetes.io/cors-allow-origin: "*"'), want: [] },
  { name: 'enable-cors with listed origins', file: 'k8s/ingress.yaml', text: ingress('    nginx.ingress.kubernetes.io/enable-cors: "true"\n    nginx.ingress.kubernetes.io/cors-allow-origin: "https://contoso.com"'), want: [] },
  { name: 'templated origin', file: 'charts/api/templates/ingress.yaml', text: ingress('    nginx.ingress.kubernetes.io/enable-cors: "true"\n    nginx.ingress.kubernetes.io/cors-allow-origin: "{{ .Values.origins }}"'), want: [] },
  { name: 'Development appsettings', file: 'appsettings.Development.json', text: '{ "Cors": { "AllowedOrigins": [ "*" ] } }', want: [] },
  { name: 'other custom headers and a Debug transform', file: 'Web.Debug.config', text: '<configuration><system.webServer><httpProtocol><customHeaders><add name="Access-Control-Allow-Origin" value="*" /></customHeaders></httpProtocol></system.webServer></configuration>', want: [] },
  { name: 'web.config other header "*"', file: 'web.config', text: '<configuration><system.webServer><httpProtocol><customHeaders><add name="Access-Control-Allow-Headers" value="*" /></customHeaders></httpProtocol></system.webServer></configuration>', want: [] },
];

const SERVER = 'Server=tcp:orders.database.windows.net,1433;Initial Catalog=orders;';
const SQL: Case[] = [
  {
    name: 'C# literal Encrypt=False',
    file: 'src/Orders/Data/Db.cs',
    text: `var cs = "${SERVER}Encrypt=False;";\n`,
    want: ['APPSVC-SQL-ENCRYPT Encrypt=False'],
    fixed: `var cs = "${SERVER}Encrypt=True;";\n`,
  },
  { name: 'C# verbatim literal TrustServerCertificate=True', file: 'Program.cs', text: `var cs = @"Data Source=sql01.contoso.com\\SQLEXPRESS;Database=orders;Integrated Security=true;TrustServerCertificate=True";\n`, want: ['APPSVC-SQL-ENCRYPT TrustServerCertificate=True'] },
  { name: 'TypeScript template literal', file: 'src/db.ts', text: 'const cs = `Server=${host};Database=orders;User Id=app;Encrypt=false`;\n', want: ['APPSVC-SQL-ENCRYPT Encrypt=false'] },
  { name: 'Python single-quoted literal', file: 'app/db.py', text: "conn = pyodbc.connect('Driver={ODBC Driver 18 for SQL Server};Server=orders.contoso.com;Database=orders;Encrypt=no')\n", want: ['APPSVC-SQL-ENCRYPT Encrypt=no'] },
  { name: 'Java JDBC URL literal', file: 'src/main/java/Db.java', text: 'String url = "jdbc:sqlserver://orders.contoso.com:1433;databaseName=orders;encrypt=false";\n', want: ['APPSVC-SQL-ENCRYPT encrypt=false'] },
  // ---- hard negatives ----
  { name: 'C# comment', file: 'Program.cs', text: `// var cs = "${SERVER}Encrypt=False;";\n/* "${SERVER}Encrypt=False;" */\n`, want: [] },
  { name: 'Python comment', file: 'db.py', text: `# conn = "${SERVER}Encrypt=no"\n`, want: [] },
  { name: 'test project', file: 'tests/Orders.Tests/DbTests.cs', text: `var cs = "${SERVER}Encrypt=False;";\n`, want: [] },
  { name: 'test file by name', file: 'src/db.test.ts', text: `const cs = "${SERVER}Encrypt=False;";\n`, want: [] },
  { name: 'not a connection string (no server key)', file: 'src/crypto.ts', text: 'const opts = "Mode=fast;Encrypt=false;Compress=true";\n', want: [] },
  { name: 'Server= alone is not enough', file: 'src/mail.cs', text: 'var s = "Server=smtp.contoso.com;Encrypt=false";\n', want: [] },
  { name: 'keys outside any literal', file: 'src/Db.cs', text: 'builder.Encrypt = false; // Server=x;Database=y;Encrypt=False\n', want: [] },
  { name: 'a local SQL container in docker-compose.override.yml', file: 'src/docker-compose.override.yml', text: compose(`      - ConnectionString=${SERVER}User Id=sa;Password=x;Encrypt=False;TrustServerCertificate=true`), want: [] },
  { name: 'appsettings.Development.json', file: 'src/Api/appsettings.Development.json', text: `{ "ConnectionStrings": { "Db": "${SERVER}Encrypt=False" } }`, want: [] },
  { name: 'a dev-named Bicep file is still deployed', file: 'infra/main.dev.bicep', text: `var cs = '${SERVER}Encrypt=False'\n`, want: ['APPSVC-SQL-ENCRYPT Encrypt=False'] },
  { name: 'secure values', file: 'src/Db.cs', text: `var cs = "${SERVER}Encrypt=True;TrustServerCertificate=False;";\n`, want: [] },
  // A SQL Server on the loopback host (eShopOnContainers' local container on 127.0.0.1,5433): nothing to intercept.
  { name: 'loopback server in appsettings.json', file: 'src/Identity.API/appsettings.json', text: '{ "ConnectionString": "Server=tcp:127.0.0.1,5433;Database=identity;User Id=sa;Encrypt=False;TrustServerCertificate=true;" }', want: [] },
  { name: 'the Docker host seen from a container (host.docker.internal)', file: 'src/Api/appsettings.json', text: '{ "ConnectionStrings": { "Db": "Server=host.docker.internal,1433;Database=orders;User Id=app;TrustServerCertificate=True" } }', want: [] },
  { name: 'localhost server in web.config', file: 'src/Catalog.API/web.config', text: '<configuration><system.webServer><aspNetCore><environmentVariables><environmentVariable name="ConnectionString" value="server=localhost,5433;Database=catalog;User Id=sa;TrustServerCertificate=true" /></environmentVariables></aspNetCore></system.webServer></configuration>', want: [] },
  { name: 'local SQL Express and LocalDB literals', file: 'src/Db.cs', text: 'var a = @"Data Source=.\\SQLEXPRESS;Database=orders;Integrated Security=true;TrustServerCertificate=True";\nvar b = "Server=(localdb)\\\\mssqllocaldb;Database=orders;Trusted_Connection=True;Encrypt=False";\nvar c = "Data Source=(local);Initial Catalog=orders;Encrypt=no";\n', want: [] },
  { name: 'JDBC URL to localhost', file: 'src/main/java/Db.java', text: 'String url = "jdbc:sqlserver://localhost:1433;databaseName=orders;encrypt=false";\n', want: [] },
  { name: 'a host that only starts like localhost is remote', file: 'src/Db.cs', text: 'var cs = "Server=localhost.contoso.com;Database=orders;Encrypt=False";\n', want: ['APPSVC-SQL-ENCRYPT Encrypt=False'] },
];

describe("the app's own production settings: deployment YAML, appsettings, web.config and code (issue 11)", () => {
  describe('ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT = Development', () => {
    for (const c of ENVIRONMENT) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c));
  });
  describe('http:// endpoints of APIs and identity providers', () => {
    for (const c of HTTP) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c));
  });
  describe("CORS '*'", () => {
    for (const c of CORS) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c));
  });
  describe('SQL connection strings in code literals', () => {
    for (const c of SQL) it(`${c.want.length ? 'finds' : 'ignores'}: ${c.name}`, () => run(c));
  });

  it('reads a long minified line of literals once, not once per match (runaway guard)', function () {
    this.timeout(20_000);
    const line = `var a=[${Array.from({ length: 40_000 }, (_, i) => `"encrypt${i}"`).join(',')}];/* encrypt */var b="${SERVER}Encrypt=False";`;
    const started = performance.now();
    const r = scanText(line, 'dist/bundle.js');
    const ms = performance.now() - started;
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'APPSVC-SQL-ENCRYPT').map((f) => line.slice(f.start, f.end)),
      ['Encrypt=False'],
    );
    assert.ok(ms < 10_000, `${ms.toFixed(0)} ms for a ${line.length}-character line`);
  });

  it('says why there is no quick fix for a CORS origin', () => {
    const r = scanText('cors:\n  allowedOrigins:\n    - "*"\n', 'charts/api/values.yaml');
    const f = r.findings.find((x) => x.ruleId === 'APPSVC-CORS-WILDCARD');
    assert.ok(f);
    assert.equal(f.fix, undefined);
    assert.match(f.message, /no automatic fix/);
  });

  it('reads a Helm template around its actions ({{- if }}, {{ $k }}: {{ $v }}) and reports the literal setting', () => {
    const text = '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  {{- range $k, $v := .Values.env }}\n  {{ $k }}: {{ $v | quote }}\n  {{- end }}\n  ASPNETCORE_ENVIRONMENT: Development\n  API_URL: {{ .Values.apiUrl }}\n{{- end }}\n';
    const r = scanText(text, 'charts/api/templates/configmap.yaml');
    assert.deepEqual(
      r.findings.map((f) => `${f.ruleId} ${f.line + 1}`),
      ['APPSVC-DETAILED-ERRORS 10'],
    );
  });

  it('blanks template actions without moving any offset, even on a long line of actions', () => {
    const text = 'a: {{ x }}\n{{ $k }}: {{ $v }}\nb: c\n';
    const blanked = blankTemplateActions(text);
    assert.equal(blanked.length, text.length);
    assert.equal(blanked, `a:${' '.repeat(8)}\n${' '.repeat(18)}\nb: c\n`);
    const long = '{{ x }}'.repeat(50_000);
    assert.equal(blankTemplateActions(long).trim(), '');
  });
});
