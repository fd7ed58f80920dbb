// APPSVC-DETAILED-ERRORS: developer error pages in a deployed app (Development environment,
// ASPNETCORE_DETAILEDERRORS, web.config customErrors Off / httpErrors Detailed / compilation debug). Editor only:
// the live view does not read web.config and reports settings by name only. The same rule id also comes from
// the app's own config read as text or by name: appsettings DetailedErrors, Spring Boot and C# (../appconfig).

import type { RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { baseNameOf, contentFix, finding, isDeployedWebConfig, isDevelopmentNamed, isProductionNamed, normKey, strValue, type EntryCtx } from './context';
import { bicepApp } from './exampleDocs';

export const DETAILED_ERRORS = 'APPSVC-DETAILED-ERRORS';

const rules: RuleMeta[] = [
  {
    id: DETAILED_ERRORS,
    title: 'Detailed error pages in a deployed app',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'The deployed app runs with developer error pages (Development environment, ASPNETCORE_DETAILEDERRORS or customErrors Off), which leak stack traces and configuration to clients.',
  },
];

const ENV_NAMES = new Set(['aspnetcore_environment', 'dotnet_environment']);

/** Settings of a deployed app: IaC site settings, a settings export, or a production-named local file / web.config. */
function deployedContext(c: EntryCtx): boolean {
  const st = c.setting;
  if (!st) return false;
  if (st.origin === 'iac' || st.origin === 'export') return true;
  if (st.origin === 'xml') {
    const base = baseNameOf(c.check.path);
    return base === 'web.config' || isProductionNamed(c.check.path);
  }
  return isProductionNamed(c.check.path);
}

const COMPILATION_DEBUG =
  '<compilation debug="true"> in a deployed web.config shows source lines and stack traces in error pages and turns off optimizations; set debug="false".';

const webConfig = (system: string) => `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.web>
    ${system}
  </system.web>
</configuration>
`;

const k8sEnv = (name: string, value: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: contoso.azurecr.io/orders:1.0\n          env:\n            - name: ${name}\n              value: ${value}\n`;

export const detailedErrors: RuleUnit = {
  rules,
  detector: {
    // web.config customErrors mode / httpErrors errorMode / compilation debug, and app settings.
    keys: ['mode', 'errormode', 'debug'],
    settings: true,
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          if (s.doc.kind === 'xml' && !isDevelopmentNamed(c.check.path)) {
            const parent = normKey(c.parent ?? '');
            // <customErrors mode="Off"/> and <httpErrors errorMode="Detailed"/> in web.config.
            if (c.lkey === 'mode' && parent === 'customerrors' && strValue(e)?.toLowerCase() === 'off') {
              s.out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, 'RemoteOnly', 'Set customErrors mode to RemoteOnly') }, 'customErrors'));
              return;
            }
            if (c.lkey === 'errormode' && parent === 'httperrors' && strValue(e)?.toLowerCase() === 'detailed') {
              s.out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, 'DetailedLocalOnly', 'Set httpErrors errorMode to DetailedLocalOnly') }, 'httpErrors'));
              return;
            }
            if (c.lkey === 'debug' && parent === 'compilation' && strValue(e)?.toLowerCase() === 'true' && isDeployedWebConfig(c.check.path)) {
              s.out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, 'false', 'Set compilation debug to false'), message: COMPILATION_DEBUG }, 'compilation'));
              return;
            }
          }
          const st = c.setting;
          if (!st || st.section !== 'appSettings') return;
          const name = st.lname;
          if (ENV_NAMES.has(name)) {
            if (strValue(e)?.toLowerCase() === 'development' && deployedContext(c)) {
              s.out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, 'Production', `Set ${st.name} to Production`) }, st.name));
            }
          } else if (name === 'aspnetcore_detailederrors') {
            const v = strValue(e)?.toLowerCase();
            if ((v === 'true' || v === '1') && deployedContext(c)) {
              s.out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, v === '1' ? '0' : 'false', `Set ${st.name} to false`) }, st.name));
            }
          }
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [DETAILED_ERRORS]: {
      positives: [
        { name: 'web.config customErrors Off', file: 'web.config', text: webConfig('<customErrors mode="Off" />'), at: '"Off"' },
        { name: 'Bicep app setting ASPNETCORE_ENVIRONMENT Development', file: 'main.bicep', text: bicepApp('', "appSettings: [\n        { name: 'ASPNETCORE_ENVIRONMENT', value: 'Development' }\n      ]"), at: "'Development'" },
        { name: 'production settings file with ASPNETCORE_DETAILEDERRORS', file: '.env.production', text: 'ASPNETCORE_DETAILEDERRORS=true\n', at: 'true' },
        { name: 'web.config compilation debug', file: 'web.config', text: webConfig('<compilation debug="true" targetFramework="4.8" />'), at: '"true"' },
        // The same problem in the app's own config and code (../appconfig).
        { name: 'appsettings.json DetailedErrors true', file: 'appsettings.json', text: '{ "Logging": {}, "DetailedErrors": true }', at: 'true' },
        { name: 'Spring server.error.include-stacktrace=always', file: 'src/main/resources/application.properties', text: 'server.port=8080\nserver.error.include-stacktrace=always\n', at: 'always' },
        // Deployment YAML: Kubernetes env lists and ConfigMaps, Helm values, Compose files (../appconfig/deployConfig).
        { name: 'ASPNETCORE_ENVIRONMENT Development in a Kubernetes env list', file: 'k8s/orders.yaml', text: k8sEnv('ASPNETCORE_ENVIRONMENT', 'Development'), at: 'Development' },
        { name: 'DOTNET_ENVIRONMENT Development in a Helm values file', file: 'charts/orders/values.yaml', text: 'env:\n  DOTNET_ENVIRONMENT: Development\n', at: 'Development' },
        { name: 'ASPNETCORE_ENVIRONMENT=Development in docker-compose.yml', file: 'docker-compose.yml', text: 'services:\n  api:\n    environment:\n      - ASPNETCORE_ENVIRONMENT=Development\n', at: 'Development' },
        { name: 'UseDeveloperExceptionPage() outside an IsDevelopment() check', file: 'src/Api/Program.cs', text: 'var app = builder.Build();\napp.UseDeveloperExceptionPage();\napp.Run();\n', at: 'UseDeveloperExceptionPage' },
      ],
      negatives: [
        { name: 'customErrors RemoteOnly', file: 'web.config', text: webConfig('<customErrors mode="RemoteOnly" />') },
        { name: 'a Debug transform may turn error pages on', file: 'Web.Debug.config', text: webConfig('<customErrors mode="Off" />') },
        { name: 'local development settings', file: '.env', text: 'ASPNETCORE_ENVIRONMENT=Development\n' },
        { name: 'compilation debug in a Debug transform', file: 'Web.Debug.config', text: webConfig('<compilation debug="true" />') },
        { name: 'compilation debug in an XML file that is not a web.config', file: 'build.xml', text: webConfig('<compilation debug="true" />') },
        { name: 'Development appsettings', file: 'appsettings.Development.json', text: '{ "DetailedErrors": true }' },
        { name: 'a development Helm values file', file: 'charts/orders/values.dev.yaml', text: 'env:\n  ASPNETCORE_ENVIRONMENT: Development\n' },
        { name: 'docker-compose.override.yml', file: 'docker-compose.override.yml', text: 'services:\n  api:\n    environment:\n      ASPNETCORE_ENVIRONMENT: Development\n' },
        { name: 'a templated environment in a Helm template', file: 'charts/orders/templates/deployment.yaml', text: k8sEnv('ASPNETCORE_ENVIRONMENT', '"{{ .Values.environment }}"') },
        { name: 'UseDeveloperExceptionPage() inside IsDevelopment()', file: 'Program.cs', text: 'if (app.Environment.IsDevelopment())\n{\n    app.UseDeveloperExceptionPage();\n}\n' },
      ],
    },
  };
}
