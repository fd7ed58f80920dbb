// APPSVC-CORS-WILDCARD: CORS allowed origins contain '*' (ARM/Bicep cors.allowedOrigins, Terraform
// cors { allowed_origins }, the WEBSITE_CORS_ALLOWED_ORIGINS setting, a web.config Access-Control-Allow-Origin
// custom header, and the deployed site configuration). The app's own config and code report it too (../appconfig).

import type { RuleMeta } from '../../model';
import { unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import { terraformSite, toHcl } from '../../posture/snippets';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isDevelopmentNamed, strValue, STRUCTURAL, type EntryCtx } from './context';
import { bicepApp, terraformApp } from './exampleDocs';

export const CORS_WILDCARD = 'APPSVC-CORS-WILDCARD';

const rules: RuleMeta[] = [
  {
    id: CORS_WILDCARD,
    title: 'CORS allows any origin',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: "CORS allowed origins contain '*', so any web site can call the app from a user's browser; list the origins that need access.",
  },
];

/** The value test, for template items, the setting's comma-separated list and the deployed list alike. */
export function isWildcardOrigin(origin: string): boolean {
  return origin.trim() === '*';
}

const WILDCARD_ITEM = /["']\*["']/;
const CORS_BIT = STRUCTURAL.cors;
const CORS_SETTING = 'website_cors_allowed_origins';
const ALLOW_ORIGIN_HEADER = 'access-control-allow-origin';
const NO_FIX = "There is no automatic fix: only you know which origins need access; send the header for those origins instead of '*'.";

function isCorsOrigin(c: EntryCtx): boolean {
  const parent = c.parent;
  if (!c.res || (c.res.role !== 'site' && c.res.role !== 'webConfig')) return false;
  return (parent === 'allowedorigins' || parent === 'allowed_origins') && (c.bits & CORS_BIT) !== 0;
}

/** Entries this rule reads: origin list items, the Terraform list, the WEBSITE_CORS_ALLOWED_ORIGINS setting. */
export function isCorsEntry(c: EntryCtx): boolean {
  return isCorsOrigin(c) || (c.lkey === 'allowed_origins' && !!c.res?.tf && c.res.role === 'site') || c.setting?.lname === CORS_SETTING;
}

function liveCors(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const cfg = c.web?.cors;
  const origins = Array.isArray(cfg?.allowedOrigins) ? (cfg!.allowedOrigins as unknown[]).filter((o): o is string => typeof o === 'string') : [];
  if (!origins.some(isWildcardOrigin)) return { status: 'pass', value: origins.length ? `${origins.length} origin${origins.length === 1 ? '' : 's'}` : 'Not configured' };
  const credentials = cfg?.supportCredentials === true;
  const rest = origins.filter((o) => !isWildcardOrigin(o));
  const properties = { cors: { allowedOrigins: rest, supportCredentials: credentials } };
  const fix = webFix(c, properties, 'cors.allowedOrigins', origins, rest, "Remove '*' from the CORS allowed origins.", [], 'Browsers on origins not listed lose access; add the origins that need it.');
  fix.terraform = terraformSite(c.target, [`site_config {\n  cors {\n    allowed_origins     = ${toHcl(rest)}\n    support_credentials = ${credentials}\n  }\n}`]);
  return { status: 'fail', value: `'*'${rest.length ? ` and ${rest.length} more` : ''}${credentials ? ', with credentials' : ''}`, fix };
}

const live: LiveCheck[] = [
  {
    ruleId: CORS_WILDCARD,
    category: 'Network',
    rank: 50,
    label: 'CORS allowed origins',
    why: "A '*' origin lets any web site call the app from a signed-in user's browser.",
    sources: ['web'],
    scope: 'site',
    evaluate: liveCors,
  },
];

export const cors: RuleUnit = {
  rules,
  patterns: [WILDCARD_ITEM],
  detector: {
    // Origin list items sit under allowedOrigins / allowed_origins; Terraform may give the whole list as one value.
    keys: ['allowed_origins'],
    // web.config <customHeaders><add name="Access-Control-Allow-Origin" value="*" /> (folded to the header name).
    parents: ['allowedorigins', 'allowed_origins', 'customheaders'],
    settings: true,
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          if (c.parent === 'customheaders') {
            if (s.doc.kind === 'xml' && c.lkey === ALLOW_ORIGIN_HEADER && strValue(e) === '*' && !isDevelopmentNamed(c.check.path)) {
              s.out.push(finding(CORS_WILDCARD, e, { message: `The web.config custom header Access-Control-Allow-Origin is '*', so any web site can call the app from a user's browser. ${NO_FIX}` }, 'Access-Control-Allow-Origin'));
            }
            return;
          }
          if (isCorsOrigin(c)) {
            const v = strValue(e);
            if (v !== undefined && isWildcardOrigin(v)) s.out.push(finding(CORS_WILDCARD, e, {}, 'allowedOrigins'));
            return;
          }
          if (c.res?.tf && c.lkey === 'allowed_origins' && c.res.role === 'site' && WILDCARD_ITEM.test(s.doc.text.slice(e.valueStart, e.valueEnd))) {
            s.out.push(finding(CORS_WILDCARD, e));
            return;
          }
          if (c.setting && c.setting.lname === CORS_SETTING) {
            const v = strValue(e);
            if (v !== undefined && v.split(',').some(isWildcardOrigin)) s.out.push(finding(CORS_WILDCARD, e, {}, c.setting.name));
          }
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [CORS_WILDCARD]: {
      positives: [
        { name: "Bicep allowedOrigins ['*']", file: 'main.bicep', text: bicepApp('', "cors: {\n        allowedOrigins: [\n          '*'\n        ]\n      }"), at: "'*'" },
        { name: 'Terraform allowed_origins ["*"]', file: 'main.tf', text: terraformApp('', 'cors {\n      allowed_origins = ["*"]\n    }') },
        { name: 'WEBSITE_CORS_ALLOWED_ORIGINS with *', file: 'appsettings.live.json', text: '[\n  { "name": "WEBSITE_CORS_ALLOWED_ORIGINS", "value": "https://contoso.com,*", "slotSetting": false }\n]', at: '"https://contoso.com,*"' },
        // The same setting from a command in a script (../scripts) and from the app's own code (../appconfig).
        { name: "az webapp cors add --allowed-origins '*' in a script", file: 'deploy.sh', text: "az webapp cors add -g rg -n app --allowed-origins '*'\n", at: "--allowed-origins '*'" },
        { name: 'web.config Access-Control-Allow-Origin header *', file: 'web.config', text: '<configuration>\n  <system.webServer>\n    <httpProtocol>\n      <customHeaders>\n        <add name="Access-Control-Allow-Origin" value="*" />\n      </customHeaders>\n    </httpProtocol>\n  </system.webServer>\n</configuration>\n', at: '"*"' },
        { name: 'appsettings Cors:AllowedOrigins ["*"]', file: 'appsettings.json', text: '{ "Cors": { "AllowedOrigins": [ "*" ] } }', at: '"*"' },
        { name: 'ingress-nginx enable-cors with cors-allow-origin *', file: 'k8s/ingress.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: "true"\n    nginx.ingress.kubernetes.io/cors-allow-origin: "*"\n', at: '"*"' },
        { name: 'Helm values cors.allowedOrigins', file: 'charts/api/values.yaml', text: 'cors:\n  allowedOrigins:\n    - "*"\n', at: '"*"' },
        { name: 'AllowAnyOrigin() in ASP.NET Core code', file: 'Program.cs', text: 'builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader()));\n', at: 'AllowAnyOrigin' },
        { name: 'SetIsOriginAllowed(_ => true) in ASP.NET Core code', file: 'Startup.cs', text: 'services.AddCors(o => o.AddPolicy("CorsPolicy", b => b.SetIsOriginAllowed((host) => true).AllowCredentials()));\n', at: 'SetIsOriginAllowed' },
      ],
      negatives: [
        { name: 'listed origins', file: 'main.bicep', text: bicepApp('', "cors: {\n        allowedOrigins: [\n          'https://contoso.com'\n        ]\n      }") },
        { name: 'a wildcard subdomain is not any origin', file: 'main.tf', text: terraformApp('', 'cors {\n      allowed_origins = ["https://*.contoso.com"]\n    }') },
        { name: 'az webapp cors add with listed origins', file: 'deploy.sh', text: 'az webapp cors add -n app --allowed-origins https://contoso.com\n' },
        { name: 'AllowedHosts * is host filtering, not CORS', file: 'appsettings.json', text: '{ "AllowedHosts": "*" }' },
        { name: 'cors-allow-origin * without enable-cors (ingress-nginx ignores it)', file: 'k8s/ingress.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n    nginx.ingress.kubernetes.io/cors-allow-origin: "*"\n' },
        { name: 'AllowAnyOrigin() in a test project', file: 'tests/Api.Tests/CorsTests.cs', text: 'p.AllowAnyOrigin();\n' },
        { name: 'AllowAnyOrigin() inside an IsDevelopment() check', file: 'Program.cs', text: 'if (app.Environment.IsDevelopment())\n{\n    app.UseCors(p => p.AllowAnyOrigin());\n}\n' },
      ],
    },
  };
}
