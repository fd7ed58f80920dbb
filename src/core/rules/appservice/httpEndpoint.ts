// APPSVC-HTTP-ENDPOINT: an endpoint or URL setting that uses http:// to a non-local host.

import type { Entry, RawFinding, RuleMeta } from '../../model';
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

// Names of endpoints of APIs and identity providers: ...Url, ...Uri, ...Endpoint, ...BaseAddress, ...Host,
// ...Authority (OpenID Connect), ...Issuer (JWT validation), ...MetadataAddress. `Urls` (plural) is a binding.
const ENDPOINT_KEY = /(?:url|uri|endpoint|address|host|authority|issuer)$/i;
// Names that hold links rather than endpoints the app calls, and Kestrel's own listening addresses.
const NOT_ENDPOINT_NAME = /schema|xmlns|namespace|licen[cs]e|docs?[_:.-]{0,2}ur[il]$|documentation|help|terms|privacy|contact|homepage|repository|icon|logo|image|avatar|kestrel/i;
// The host, after any user info (http://user:password@host): the user name is not the host.
const HTTP_URL = /^\s*http:\/\/(?:[^/?#@\s]{0,512}@)?([^/:?#@\s]{0,253})/i;
const IPV4_PRIVATE = /^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2[0-9]|3[01])\.|169\.254\.|0\.0\.0\.0$)/;
// XML namespaces, schemas, licences and documentation links: never an API the app calls.
const NON_API_HOSTS = new Set([
  'schemas.microsoft.com',
  'www.w3.org',
  'schemas.xmlsoap.org',
  'schemas.openxmlformats.org',
  'json-schema.org',
  'json.schemastore.org',
  'schema.org',
  'purl.org',
  'opensource.org',
  'www.apache.org',
  'creativecommons.org',
  'go.microsoft.com',
  'aka.ms',
]);

function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  if (!h || h === '*' || h === '+' || h.startsWith('[')) return true; // bindings (http://+:80) and IPv6 literals (local in practice)
  if (!h.includes('.')) return true; // single-label names: localhost, docker-compose / Kubernetes service names
  // Kubernetes service DNS (orders.shop.svc, orders.shop.svc.cluster.local), mDNS, Docker's host alias.
  if (h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.svc') || h === 'host.docker.internal') return true;
  return IPV4_PRIVATE.test(h) || NON_API_HOSTS.has(h);
}

/** A setting or key name that names an endpoint the app calls (not a link, schema or listening address). */
export function isEndpointName(name: string): boolean {
  return ENDPOINT_KEY.test(name) && !NOT_ENDPOINT_NAME.test(name);
}

/**
 * The finding for a literal value (text [contentStart, contentEnd) of `e`) that is an http:// URL to a remote
 * host, with the fix to https:// in the value's own case; undefined for anything else.
 */
export function httpEndpointFinding(e: Entry, text: string, name: string): RawFinding | undefined {
  const raw = text.slice(e.contentStart, e.contentEnd);
  const m = HTTP_URL.exec(raw);
  if (!m || isLocalHost(m[1])) return undefined;
  const at = e.contentStart + m.index + m[0].indexOf(':');
  return finding(HTTP_ENDPOINT, e, { fix: { title: `Use https:// for ${name}`, start: at - 4, end: at, replacement: sameCase(raw.slice(at - 4 - e.contentStart, at - e.contentStart), 'https') } }, name);
}

/** appsettings.json `Kestrel:Endpoints:<name>:Url`: where the app listens, not a service it calls. */
function underKestrel(e: Entry): boolean {
  return e.path.length > 1 && e.path[0].toLowerCase() === 'kestrel';
}

export const httpEndpoint: RuleUnit = {
  rules,
  patterns: [ENDPOINT_KEY, NOT_ENDPOINT_NAME, HTTP_URL, IPV4_PRIVATE],
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
          if (devFile || !isLiteral(e) || !isEndpointName(name) || (st.origin === 'appsettings' && underKestrel(e))) return;
          const f = httpEndpointFinding(e, text, name);
          if (f) s.out.push(f);
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
        { name: 'appsettings.json OpenID Connect Authority', file: 'appsettings.json', text: '{ "Oidc": { "Authority": "http://login.contoso.com/tenant" } }', at: '"http://login.contoso.com/tenant"' },
        // Deployment YAML (../appconfig/deployConfig).
        { name: 'Kubernetes env list API URL', file: 'k8s/orders.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: orders\nspec:\n  containers:\n    - name: orders\n      env:\n        - name: PAYMENTS_API_URL\n          value: http://payments.contoso.com\n', at: 'http://payments.contoso.com' },
        { name: 'Helm values issuer', file: 'charts/api/values.yaml', text: 'auth:\n  issuer: http://idp.contoso.com\n', at: 'http://idp.contoso.com' },
      ],
      negatives: [
        { name: 'local and schema URLs', file: 'appsettings.json', text: '{ "Api": { "BaseUrl": "http://localhost:5000", "SchemaUri": "http://schemas.microsoft.com/2003/10/Serialization/", "SidecarEndpoint": "http://otel-collector:4317" } }' },
        { name: 'a dev service in appsettings.Development.json', file: 'appsettings.Development.json', text: '{ "Payments": { "BaseUrl": "http://payments-dev.contoso.com" } }' },
        { name: 'https', file: 'appsettings.json', text: '{ "Payments": { "Endpoint": "https://payments.contoso.com" } }' },
        { name: 'cluster-internal service names', file: 'charts/api/values.yaml', text: 'ordersUrl: http://orders:3000\ncatalogUrl: http://catalog.shop.svc.cluster.local\n' },
        { name: 'docs and licence links, Kestrel bindings', file: 'appsettings.json', text: '{ "LicenseUrl": "http://www.apache.org/licenses/LICENSE-2.0", "DocsUrl": "http://docs.contoso.com", "Kestrel": { "Endpoints": { "Http": { "Url": "http://api.contoso.com:80" } } } }' },
      ],
    },
  };
}
