// APPSVC-HTTP-ENDPOINT: an endpoint or URL setting that uses http:// to a non-local host.

import type { RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isDevelopmentNamed, isLiteral, isSettingValue, RUN_FROM_PACKAGE_SETTING, sameCase, type EntryCtx } from './context';
import { bicepApp } from './exampleDocs';

export const HTTP_ENDPOINT = 'APPSVC-HTTP-ENDPOINT';

const rules: RuleMeta[] = [
  {
    id: HTTP_ENDPOINT,
    title: 'Endpoint setting uses plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description: 'An endpoint or URL setting uses http://, so calls to that service (and any credentials they carry) travel unencrypted; use https://.',
  },
];

const ENDPOINT_KEY = /(?:url|uri|endpoint|baseaddress|host)$/i;
// The host, after any user info (http://user:password@host): the user name is not the host.
const HTTP_URL = /^\s*http:\/\/(?:[^/?#@\s]{0,512}@)?([^/:?#@\s]{0,253})/i;
const IPV4_PRIVATE = /^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2[0-9]|3[01])\.|169\.254\.|0\.0\.0\.0$)/;
const NON_API_HOSTS = new Set(['schemas.microsoft.com', 'www.w3.org', 'schemas.xmlsoap.org', 'schemas.openxmlformats.org', 'json-schema.org']);

function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  if (!h || h === '*' || h === '+' || h.startsWith('[')) return true; // bindings (http://+:80) and IPv6 literals (local in practice)
  if (!h.includes('.')) return true; // single-label names: localhost, docker-compose / Kubernetes service names
  if (h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal') || h === 'host.docker.internal') return true;
  return IPV4_PRIVATE.test(h) || NON_API_HOSTS.has(h);
}

export const httpEndpoint: RuleUnit = {
  rules,
  patterns: [ENDPOINT_KEY, HTTP_URL, IPV4_PRIVATE],
  detector: {
    keys: [],
    settings: true,
    create(s) {
      const text = s.doc.text;
      // Per scan: the file name does not change.
      let devNamed: boolean | undefined;
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          const st = c.setting;
          if (!st || !isSettingValue(e) || st.lname === RUN_FROM_PACKAGE_SETTING) return;
          // Local development files (appsettings.Development.json, .env.local) may point at plain-HTTP dev services.
          const devFile = st.origin !== 'iac' && st.origin !== 'export' && (devNamed ??= isDevelopmentNamed(c.check.path));
          const name = st.name;
          if (!ENDPOINT_KEY.test(name) || st.lname.includes('xmlns') || devFile) return;
          const raw = text.slice(e.contentStart, e.contentEnd);
          const m = isLiteral(e) ? HTTP_URL.exec(raw) : null;
          if (m && !isLocalHost(m[1])) {
            const at = e.contentStart + m.index + m[0].indexOf(':');
            s.out.push(finding(HTTP_ENDPOINT, e, { fix: { title: `Use https:// for ${name}`, start: at - 4, end: at, replacement: sameCase(raw.slice(at - 4 - e.contentStart, at - e.contentStart), 'https') } }, name));
          }
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [HTTP_ENDPOINT]: {
      positives: [
        { name: 'Bicep app setting with an http:// base URL', file: 'main.bicep', text: bicepApp('', "appSettings: [\n        { name: 'OrdersApi__BaseUrl', value: 'http://orders.contoso.com/api' }\n      ]"), at: "'http://orders.contoso.com/api'" },
        { name: 'appsettings.json endpoint', file: 'appsettings.json', text: '{ "Payments": { "Endpoint": "HTTP://payments.contoso.com" } }', at: '"HTTP://payments.contoso.com"' },
      ],
      negatives: [
        { name: 'local and schema URLs', file: 'appsettings.json', text: '{ "Api": { "BaseUrl": "http://localhost:5000", "SchemaUri": "http://schemas.microsoft.com/2003/10/Serialization/", "SidecarEndpoint": "http://otel-collector:4317" } }' },
        { name: 'a dev service in appsettings.Development.json', file: 'appsettings.Development.json', text: '{ "Payments": { "BaseUrl": "http://payments-dev.contoso.com" } }' },
        { name: 'https', file: 'appsettings.json', text: '{ "Payments": { "Endpoint": "https://payments.contoso.com" } }' },
      ],
    },
  };
}
