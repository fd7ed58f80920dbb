import * as assert from 'node:assert/strict';
import type { Entry, FileKind, ParsedDocument } from '../../src/core/model';
import { parseDocument } from '../../src/core/parsers';

// Realistic snippets per format; also reused by parsers.robustness.test.ts. Values are plainly fake.

export const BICEP = `// App Service with insecure settings
targetScope = 'resourceGroup'

@secure()
@description('SQL admin password')
param sqlPassword string = 'p@ss-not-real'
param location string = resourceGroup().location
@allowed([ 'dev', 'prod' ])
param env string = 'dev'

var tags = {
  owner: 'team-a'
  'cost-center': '42'
}
var prefix = 'app-\${env}'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '\${prefix}-plan'
  location: location
  sku: { name: 'B1', tier: 'Basic' }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: 'x'
  location: location
  properties: {
    serverFarmId: plan.id
    httpsOnly: false
    clientCertEnabled: true
    siteConfig: {
      minTlsVersion: '1.0'
      ftpsState: 'AllAllowed'
      appSettings: [
        { name: 'A', value: 'B' }
        {
          name: 'DB_PASSWORD'
          value: 'p@ss-\\'not-real\\\\'
        }
        {
          value: '\${sqlPassword}'
          name: 'INTERP'
        }
      ]
      ipSecurityRestrictions: [
        {
          action: 'Allow'
          priority: 100
        }
      ]
    }
  }

  resource web 'config' = {
    name: 'web'
    properties: {
      ftpsState: 'FtpsOnly'
      http20Enabled: false
    }
  }
}

resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: true
  }
}

resource auth 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: { platform: { enabled: false } }
}

module db './db.bicep' = if (env == 'prod') {
  name: 'db'
  params: {
    adminPassword: sqlPassword
    retention: -1
  }
}

/* block
   comment */
output url string = 'https://\${site.properties.defaultHostName}'
output script string = '''
echo 'hi'
'''
`;

export const BICEPPARAM = `using './main.bicep'

param sqlPassword = 'p@ss-not-real' // inline
param location = 'westeurope'
param replicas = 3
param flags = {
  debug: true
}
`;

export const TERRAFORM = `# App Service
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 3.0" }
  }
}

provider "azurerm" {
  features {}
  client_secret = "p@ss-not-real"
}

variable "db_password" {
  type      = string
  default   = "p@ss-not-real"
  sensitive = true
}

locals {
  name = "app-\${var.env}"
  port = 8080
}

resource "azurerm_linux_web_app" "app" {
  name                = local.name
  https_only          = false
  client_certificate_enabled = true

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "AllAllowed"
    ip_restriction {
      action   = "Allow"
      priority = 100
    }
    ip_restriction {
      action = "Deny"
    }
  }

  app_settings = {
    "WEBSITE_RUN_FROM_PACKAGE" = "1"
    DB_PASSWORD                = "p@ss-\\"not-real"
    "EMPTY"                    = null
  }

  connection_string {
    name  = "db"
    type  = "SQLAzure"
    value = "Server=tcp:x;Password=p@ss-not-real"
  }

  tags = merge(var.tags, { env = "dev" })
  allowed = ["a", "b"]
  // trailing comment
}

/* block */
resource "azurerm_key_vault_secret" "s" {
  name  = "pw"
  value = <<-EOT
    p@ss-not-real
  EOT
}
`;

export const TFVARS = `location = "westeurope"
admin_password = "p@ss-not-real"
replicas = 3
settings = {
  KEY = "v"
}
`;

export const ENV = `# local settings
export DB_HOST=localhost
DB_PASSWORD="p@ss-not-real" # inline
API_KEY='raw \\n kept'
TOKEN=\`backtick\`
PLAIN=value with spaces # comment
HASH=a#b
EMPTY=
MULTI="line1
line2"
REF=\${DB_HOST}
`;

export const XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- Web.config for the app -->
<configuration>
  <appSettings>
    <add key="StorageKey" value="p@ss-&amp;-not-real" />
    <add key='Mode' value='Debug'/>
  </appSettings>
  <connectionStrings>
    <add name="Db" connectionString="Server=x;Password=p@ss-not-real" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <system.web>
    <customErrors mode="Off" />
    <compilation debug="true" targetFramework="4.8" />
    <httpCookies requireSSL="false" />
  </system.web>
  <applicationSettings>
    <My.Properties.Settings>
      <setting name="ApiKey" serializeAs="String">
        <value>p@ss-not-real</value>
      </setting>
    </My.Properties.Settings>
  </applicationSettings>
  <secret><![CDATA[p@ss<not>real]]></secret>
</configuration>
`;

export const PUBXML = `<Project>
  <PropertyGroup>
    <PublishMethod>MSDeploy</PublishMethod>
    <UserName>$app</UserName>
    <Password>p@ss-not-real</Password>
  </PropertyGroup>
</Project>
`;

export const YAML = `# Kubernetes
apiVersion: v1
kind: Secret
metadata:
  name: db-secret
type: Opaque
data:
  password: cC1ub3QtcmVhbA==   # base64
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: "example.azurecr.io/app:1.0"
          env:
            - name: DB_PASSWORD
              value: "p@ss-\\"not-real"
            - { name: MODE, value: 'dev' }
            - name: FROM_SECRET
              valueFrom:
                secretKeyRef: { name: db-secret, key: password }
          args:
            - --verbose
          command: |
            echo hi
            echo there
`;

export const PIPELINE = `trigger:
  - main
variables:
  - name: sqlPassword
    value: p@ss-not-real
  - name: fromKv
    value: $(kvSecret)
  - group: shared
env: &defaults
  DEBUG: true
  RETRIES: 3
  NOTHING: ~
other: *defaults
steps:
  - script: echo \${{ secrets.TOKEN }}
    displayName: 'Run it'
`;

export const FIXTURES: { name: string; kind: FileKind; text: string }[] = [
  { name: 'bicep', kind: 'bicep', text: BICEP },
  { name: 'bicepparam', kind: 'bicepparam', text: BICEPPARAM },
  { name: 'terraform', kind: 'terraform', text: TERRAFORM },
  { name: 'tfvars', kind: 'terraform', text: TFVARS },
  { name: 'env', kind: 'env', text: ENV },
  { name: 'web.config', kind: 'xml', text: XML },
  { name: 'pubxml', kind: 'xml', text: PUBXML },
  { name: 'kubernetes', kind: 'yaml', text: YAML },
  { name: 'pipeline', kind: 'yaml', text: PIPELINE },
];

interface Expect {
  path: string;
  value?: string;
  type?: Entry['valueType'];
  /** text.slice(contentStart, contentEnd) */
  content?: string;
  /** text.slice(valueStart, valueEnd) */
  token?: string;
  /** text.slice(keyStart, keyEnd) */
  keyText?: string;
  key?: string;
  /** `type:name` of the enclosing resource, or '' for none. */
  resource?: string;
}

function find(doc: ParsedDocument, path: string, nth = 0): Entry {
  const all = doc.entries.filter((e) => e.path.join('/') === path);
  assert.ok(all[nth], `no entry ${path}; have:\n${doc.entries.map((e) => e.path.join('/')).join('\n')}`);
  return all[nth];
}

function check(doc: ParsedDocument, x: Expect): void {
  const e = find(doc, x.path);
  const t = doc.text;
  if (x.value !== undefined) assert.equal(e.value, x.value, `${x.path} value`);
  if (x.type !== undefined) assert.equal(e.valueType, x.type, `${x.path} type`);
  if (x.content !== undefined) assert.equal(t.slice(e.contentStart, e.contentEnd), x.content, `${x.path} content`);
  if (x.token !== undefined) assert.equal(t.slice(e.valueStart, e.valueEnd), x.token, `${x.path} token`);
  if (x.keyText !== undefined) assert.equal(t.slice(e.keyStart!, e.keyEnd!), x.keyText, `${x.path} key range`);
  if (x.key !== undefined) assert.equal(e.key, x.key, `${x.path} key`);
  if (x.resource !== undefined) {
    const r = e.resource === undefined ? undefined : doc.resources[e.resource];
    assert.equal(r ? `${r.type}:${r.name ?? ''}` : '', x.resource, `${x.path} resource`);
  }
}

function table(title: string, text: string, kind: FileKind, rows: Expect[]): void {
  describe(title, () => {
    const doc = parseDocument(text, kind);
    for (const row of rows) it(`${row.path} = ${JSON.stringify(row.value ?? row.content ?? '')}`, () => check(doc, row));
    it('reports no parse errors on a valid file', () => assert.deepEqual(doc.errors, []));
  });
}

describe('parsers', () => {
  describe('Bicep', () => {
    table('entries', BICEP, 'bicep', [
      { path: 'targetScope', value: 'resourceGroup', type: 'string' },
      { path: 'param/sqlPassword', value: 'p@ss-not-real', type: 'string', content: 'p@ss-not-real', token: "'p@ss-not-real'", keyText: 'sqlPassword', resource: '' },
      { path: 'param/sqlPassword/@secure', value: 'true', type: 'boolean', token: '@secure()' },
      { path: 'param/sqlPassword/@description', value: 'SQL admin password', type: 'string', content: 'SQL admin password' },
      { path: 'param/env/@allowed', type: 'expression', value: "[ 'dev', 'prod' ]" },
      { path: 'param/location', value: 'resourceGroup().location', type: 'expression', token: 'resourceGroup().location' },
      { path: 'var/tags/owner', value: 'team-a', type: 'string' },
      { path: 'var/tags/cost-center', value: '42', type: 'string', keyText: "'cost-center'" },
      { path: 'var/prefix', value: 'app-${env}', type: 'expression', content: 'app-${env}' },
      { path: 'resource/plan/sku/name', value: 'B1', resource: 'Microsoft.Web/serverfarms:plan' },
      { path: 'resource/site/name', value: 'x', resource: 'Microsoft.Web/sites:x' },
      { path: 'resource/site/properties/serverFarmId', value: 'plan.id', type: 'expression' },
      { path: 'resource/site/properties/httpsOnly', value: 'false', type: 'boolean', token: 'false', keyText: 'httpsOnly', resource: 'Microsoft.Web/sites:x' },
      { path: 'resource/site/properties/siteConfig/minTlsVersion', value: '1.0', type: 'string', content: '1.0', token: "'1.0'" },
      { path: 'resource/site/properties/siteConfig/appSettings/A', key: 'A', value: 'B', content: 'B' },
      { path: 'resource/site/properties/siteConfig/appSettings/0/name', value: 'A' },
      { path: 'resource/site/properties/siteConfig/appSettings/DB_PASSWORD', value: "p@ss-'not-real\\", content: "p@ss-\\'not-real\\\\" },
      { path: 'resource/site/properties/siteConfig/appSettings/INTERP', type: 'expression', value: '${sqlPassword}' },
      { path: 'resource/site/properties/siteConfig/ipSecurityRestrictions/0/priority', value: '100', type: 'number' },
      { path: 'resource/site/resource/web/properties/ftpsState', value: 'FtpsOnly', resource: 'Microsoft.Web/sites/config:web' },
      { path: 'resource/ftp/properties/allow', value: 'true', type: 'boolean', resource: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies:ftp' },
      { path: 'resource/auth/properties/platform/enabled', value: 'false', resource: 'Microsoft.Web/sites/config:authsettingsV2' },
      { path: 'module/db/params/adminPassword', value: 'sqlPassword', type: 'expression', resource: '' },
      { path: 'module/db/params/retention', value: '-1', type: 'number' },
      { path: 'output/url', type: 'expression', content: 'https://${site.properties.defaultHostName}' },
      { path: 'output/script', value: "echo 'hi'\n", type: 'string', content: "\necho 'hi'\n", token: "'''\necho 'hi'\n'''" },
    ]);

    it('finds resources with types without api-version, names, anchors and parents', () => {
      const doc = parseDocument(BICEP, 'bicep');
      assert.deepEqual(
        doc.resources.map((r) => `${r.type}:${r.name}:${r.parent ?? '-'}`),
        [
          'Microsoft.Web/serverfarms:plan:-',
          'Microsoft.Web/sites:x:-',
          'Microsoft.Web/sites/config:web:1',
          'Microsoft.Web/sites/basicPublishingCredentialsPolicies:ftp:1',
          'Microsoft.Web/sites/config:authsettingsV2:1',
        ],
      );
      const site = doc.resources[1];
      assert.equal(BICEP.slice(site.anchorStart, site.anchorEnd), 'Microsoft.Web/sites@2024-04-01');
      assert.ok(BICEP.slice(site.start, site.end).startsWith('resource site'));
      assert.ok(BICEP.slice(site.start, site.end).trimEnd().endsWith('}'));
      const web = doc.resources[2];
      assert.equal(BICEP.slice(web.anchorStart, web.anchorEnd), 'config');
    });

    it('collects // and /* */ comments', () => {
      const doc = parseDocument(BICEP, 'bicep');
      assert.deepEqual(
        doc.comments.map((c) => BICEP.slice(c.start, c.end)),
        ['// App Service with insecure settings', '/* block\n   comment */'],
      );
    });

    it('uses the symbol when the name is not literal, and the literal tail of an interpolated name', () => {
      const text = "resource a 'Microsoft.Web/sites@2024-04-01' = {\n  name: siteName\n}\nresource b 'Microsoft.Web/sites/config@2024-04-01' = {\n  name: '${siteName}/web'\n}\n";
      const doc = parseDocument(text, 'bicep');
      assert.deepEqual(doc.resources.map((r) => r.name), ['a', 'web']);
    });

    it('reads comma-separated objects, loops and conditions', () => {
      const text = "resource s 'Microsoft.Web/sites@2024-04-01' = [for i in range(0, 2): {\n  name: 'site${i}'\n  properties: { httpsOnly: true, siteConfig: { ftpsState: 'Disabled' } }\n}]\nvar list = [for x in items: { name: x, value: 'v' }]\n";
      const doc = parseDocument(text, 'bicep');
      assert.deepEqual(doc.errors, []);
      assert.equal(find(doc, 'resource/s/properties/siteConfig/ftpsState').value, 'Disabled');
      assert.equal(find(doc, 'var/list/*/value').value, 'v');
      assert.equal(doc.resources[0].type, 'Microsoft.Web/sites');
    });
  });

  describe('Bicep parameter files', () => {
    table('entries', BICEPPARAM, 'bicepparam', [
      { path: 'using', value: './main.bicep', type: 'string' },
      { path: 'param/sqlPassword', value: 'p@ss-not-real', content: 'p@ss-not-real', keyText: 'sqlPassword' },
      { path: 'param/replicas', value: '3', type: 'number' },
      { path: 'param/flags/debug', value: 'true', type: 'boolean' },
    ]);
  });

  describe('Terraform', () => {
    const R = 'resource/azurerm_linux_web_app/app';
    table('entries', TERRAFORM, 'terraform', [
      { path: 'terraform/required_providers/azurerm/source', value: 'hashicorp/azurerm' },
      { path: 'provider/azurerm/client_secret', value: 'p@ss-not-real', content: 'p@ss-not-real', token: '"p@ss-not-real"', resource: '' },
      { path: 'variable/db_password/default', value: 'p@ss-not-real', keyText: 'default' },
      { path: 'variable/db_password/sensitive', value: 'true', type: 'boolean' },
      { path: 'variable/db_password/type', value: 'string', type: 'expression' },
      { path: 'locals/name', value: 'app-${var.env}', type: 'expression', content: 'app-${var.env}' },
      { path: 'locals/port', value: '8080', type: 'number' },
      { path: `${R}/name`, value: 'local.name', type: 'expression', resource: 'azurerm_linux_web_app:app' },
      { path: `${R}/https_only`, value: 'false', type: 'boolean', token: 'false', keyText: 'https_only', resource: 'azurerm_linux_web_app:app' },
      { path: `${R}/site_config/minimum_tls_version`, value: '1.0', content: '1.0', token: '"1.0"' },
      { path: `${R}/site_config/ftps_state`, value: 'AllAllowed' },
      { path: `${R}/site_config/ip_restriction/action`, value: 'Allow' },
      { path: `${R}/app_settings/WEBSITE_RUN_FROM_PACKAGE`, value: '1', type: 'string', keyText: '"WEBSITE_RUN_FROM_PACKAGE"' },
      { path: `${R}/app_settings/DB_PASSWORD`, value: 'p@ss-"not-real', content: 'p@ss-\\"not-real' },
      { path: `${R}/app_settings/EMPTY`, type: 'null' },
      { path: `${R}/connection_string/db`, key: 'db', value: 'Server=tcp:x;Password=p@ss-not-real', keyText: 'value' },
      { path: `${R}/connection_string/type`, value: 'SQLAzure' },
      { path: `${R}/tags`, type: 'expression', value: 'merge(var.tags, { env = "dev" })' },
      { path: `${R}/allowed/1`, value: 'b' },
      { path: 'resource/azurerm_key_vault_secret/s/value', value: 'p@ss-not-real\n', content: '    p@ss-not-real\n', resource: 'azurerm_key_vault_secret:s' },
    ]);

    it('keeps repeated blocks under the same path, in order', () => {
      const doc = parseDocument(TERRAFORM, 'terraform');
      assert.equal(find(doc, 'resource/azurerm_linux_web_app/app/site_config/ip_restriction/action', 1).value, 'Deny');
    });

    it('finds resources with the type label as anchor', () => {
      const doc = parseDocument(TERRAFORM, 'terraform');
      assert.deepEqual(doc.resources.map((r) => `${r.type}:${r.name}`), ['azurerm_linux_web_app:app', 'azurerm_key_vault_secret:s']);
      const r = doc.resources[0];
      assert.equal(TERRAFORM.slice(r.anchorStart, r.anchorEnd), 'azurerm_linux_web_app');
      assert.ok(TERRAFORM.slice(r.start, r.end).startsWith('resource "azurerm_linux_web_app"'));
      assert.ok(TERRAFORM.slice(r.start, r.end).endsWith('}'));
    });

    it('collects #, // and /* */ comments', () => {
      const doc = parseDocument(TERRAFORM, 'terraform');
      assert.deepEqual(doc.comments.map((c) => TERRAFORM.slice(c.start, c.end)), ['# App Service', '// trailing comment', '/* block */']);
    });

    table('tfvars', TFVARS, 'terraform', [
      { path: 'admin_password', value: 'p@ss-not-real', content: 'p@ss-not-real', keyText: 'admin_password' },
      { path: 'replicas', value: '3', type: 'number' },
      { path: 'settings/KEY', value: 'v' },
    ]);

    it('reads heredocs with interpolation as expressions and $${ as a literal', () => {
      const text = 'a = <<EOT\nhello ${var.x}\nEOT\nb = "$${literal}"\nc = "%{ if true }x%{ endif }"\n';
      const doc = parseDocument(text, 'terraform');
      assert.equal(find(doc, 'a').valueType, 'expression');
      assert.equal(find(doc, 'b').value, '${literal}');
      assert.equal(find(doc, 'b').valueType, 'string');
      assert.equal(find(doc, 'c').valueType, 'expression');
      assert.deepEqual(doc.errors, []);
    });
  });

  describe('.env', () => {
    table('entries', ENV, 'env', [
      { path: 'DB_HOST', value: 'localhost', keyText: 'DB_HOST', content: 'localhost' },
      { path: 'DB_PASSWORD', value: 'p@ss-not-real', token: '"p@ss-not-real"', content: 'p@ss-not-real' },
      { path: 'API_KEY', value: 'raw \\n kept', content: 'raw \\n kept' },
      { path: 'TOKEN', value: 'backtick' },
      { path: 'PLAIN', value: 'value with spaces', content: 'value with spaces' },
      { path: 'HASH', value: 'a#b' },
      { path: 'EMPTY', value: '', content: '' },
      { path: 'MULTI', value: 'line1\nline2' },
      { path: 'REF', value: '${DB_HOST}', type: 'expression' },
    ]);

    it('collects comments and reports lines without =', () => {
      const doc = parseDocument(ENV, 'env');
      assert.deepEqual(doc.comments.map((c) => ENV.slice(c.start, c.end)), ['# local settings', '# inline', '# comment']);
      const errs = parseDocument('A=1\nnot a pair\n', 'env').errors;
      assert.equal(errs.length, 1);
    });

    it('handles CRLF, a BOM and double-quote escapes', () => {
      const text = '\ufeffA=1\r\nB="x\\ny" # c\r\nC=plain  \r\n';
      const doc = parseDocument(text, 'env');
      assert.deepEqual(doc.entries.map((e) => [e.key, e.value, text.slice(e.contentStart, e.contentEnd)]), [
        ['A', '1', '1'],
        ['B', 'x\ny', 'x\\ny'],
        ['C', 'plain', 'plain'],
      ]);
    });
  });

  describe('XML', () => {
    table('web.config', XML, 'xml', [
      { path: 'configuration/appSettings/StorageKey', key: 'StorageKey', value: 'p@ss-&-not-real', content: 'p@ss-&amp;-not-real', token: '"p@ss-&amp;-not-real"', keyText: 'value' },
      { path: 'configuration/appSettings/add/key', value: 'StorageKey' },
      { path: 'configuration/appSettings/Mode', value: 'Debug', token: "'Debug'" },
      { path: 'configuration/connectionStrings/Db', value: 'Server=x;Password=p@ss-not-real', keyText: 'connectionString' },
      { path: 'configuration/connectionStrings/add/providerName', value: 'System.Data.SqlClient' },
      { path: 'configuration/system.web/customErrors/mode', value: 'Off', type: 'string', keyText: 'mode' },
      { path: 'configuration/system.web/compilation/debug', value: 'true' },
      { path: 'configuration/system.web/httpCookies/requireSSL', value: 'false' },
      { path: 'configuration/applicationSettings/My.Properties.Settings/ApiKey', value: 'p@ss-not-real', content: 'p@ss-not-real' },
      { path: 'configuration/secret', value: 'p@ss<not>real', content: 'p@ss<not>real', token: '<![CDATA[p@ss<not>real]]>' },
    ]);
    table('pubxml', PUBXML, 'xml', [
      { path: 'Project/PropertyGroup/Password', value: 'p@ss-not-real', content: 'p@ss-not-real', keyText: 'Password' },
      { path: 'Project/PropertyGroup/UserName', value: '$app' },
    ]);

    it('collects comments and decodes numeric entities', () => {
      const doc = parseDocument(XML, 'xml');
      assert.deepEqual(doc.comments.map((c) => XML.slice(c.start, c.end)), ['<!-- Web.config for the app -->']);
      const d2 = parseDocument('<a b="&#65;&#x42;&unknown;&amp"/>', 'xml');
      assert.equal(d2.entries[0].value, 'AB&unknown;&amp');
    });

    it('reports unclosed elements and stray end tags without losing entries', () => {
      const doc = parseDocument('<configuration><appSettings><add key="K" value="V"/></x>', 'xml');
      assert.equal(find(doc, 'configuration/appSettings/K').value, 'V');
      assert.ok(doc.errors.length >= 2);
    });
  });

  describe('YAML', () => {
    table('kubernetes', YAML, 'yaml', [
      { path: 'kind', value: 'Secret', resource: 'Secret:db-secret' },
      { path: 'data/password', value: 'cC1ub3QtcmVhbA==', content: 'cC1ub3QtcmVhbA==', keyText: 'password', resource: 'Secret:db-secret' },
      { path: 'spec/replicas', value: '2', type: 'number', resource: 'Deployment:web' },
      { path: 'spec/template/spec/containers/0/image', value: 'example.azurecr.io/app:1.0', token: '"example.azurecr.io/app:1.0"', content: 'example.azurecr.io/app:1.0' },
      { path: 'spec/template/spec/containers/0/env/DB_PASSWORD', key: 'DB_PASSWORD', value: 'p@ss-"not-real', content: 'p@ss-\\"not-real', keyText: 'value' },
      { path: 'spec/template/spec/containers/0/env/MODE', value: 'dev', token: "'dev'" },
      { path: 'spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef/key', value: 'password' },
      { path: 'spec/template/spec/containers/0/args/0', value: '--verbose' },
      { path: 'spec/template/spec/containers/0/command', value: 'echo hi\necho there\n', type: 'string', content: '            echo hi\n            echo there' },
    ]);
    table('pipeline', PIPELINE, 'yaml', [
      { path: 'trigger/0', value: 'main' },
      { path: 'variables/sqlPassword', value: 'p@ss-not-real', content: 'p@ss-not-real', type: 'string' },
      { path: 'variables/fromKv', value: '$(kvSecret)', type: 'expression' },
      { path: 'env/DEBUG', value: 'true', type: 'boolean' },
      { path: 'env/RETRIES', value: '3', type: 'number' },
      { path: 'env/NOTHING', value: '~', type: 'null' },
      { path: 'steps/0/script', value: 'echo ${{ secrets.TOKEN }}', type: 'expression' },
      { path: 'steps/0/displayName', value: 'Run it', content: 'Run it' },
    ]);

    it('reads every document, makes Kubernetes resources and collects comments', () => {
      const doc = parseDocument(YAML, 'yaml');
      assert.deepEqual(doc.resources.map((r) => `${r.type}:${r.name}`), ['Secret:db-secret', 'Deployment:web']);
      assert.equal(YAML.slice(doc.resources[0].anchorStart, doc.resources[0].anchorEnd), 'Secret');
      assert.deepEqual(doc.comments.map((c) => YAML.slice(c.start, c.end)), ['# Kubernetes', '# base64']);
    });

    it('marks pipeline expressions anywhere in a value, and only those', () => {
      const cases: [string, 'expression' | 'string'][] = [
        ['pre $(build.id) post', 'expression'],
        ['$[ variables.x ]', 'expression'],
        ['a ${{ secrets.TOKEN }}', 'expression'],
        ['cost $5 and $(not closed', 'string'],
        ['$() empty name', 'string'],
        ['${ not a pipeline }', 'string'],
        ['$(name with space)', 'string'],
        ['price: $ (x)', 'string'],
        ['trailing $', 'string'],
        ['$(a.b-c_d9) then $', 'expression'],
      ];
      for (const [value, type] of cases) {
        const doc = parseDocument(`v: "${value}"\n`, 'yaml');
        assert.equal(doc.entries[0].valueType, type, value);
      }
    });

    it('never expands aliases (billion laughs is cheap)', () => {
      let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      for (let i = 0; i < 9; i++) text += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]\n`;
      const doc = parseDocument(text, 'yaml');
      assert.equal(doc.entries.length, 9);
      assert.equal(parseDocument(PIPELINE, 'yaml').entries.filter((e) => e.path[0] === 'other').length, 0);
    });
  });

  describe('dispatch', () => {
    it('routes every IaC/config kind to a parser', () => {
      for (const f of FIXTURES) assert.ok(parseDocument(f.text, f.kind).entries.length > 0, f.name);
    });
  });
});
