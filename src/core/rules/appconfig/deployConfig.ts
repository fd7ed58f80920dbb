// The app's production settings in deployment YAML: Kubernetes manifests (container `env:` lists, ConfigMap
// `data`, Ingress annotations), Helm values files (values.yaml, values-prod.yaml: nested maps and env lists),
// Docker Compose files (`environment:` maps and `KEY=value` lists) and Kustomize `literals`. Reports, under the
// App Service rule ids they mirror: ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT = Development
// (APPSVC-DETAILED-ERRORS), http:// endpoints of remote APIs and identity providers (APPSVC-HTTP-ENDPOINT) and
// CORS origins '*' (APPSVC-CORS-WILDCARD). Helm templates (`{{ ... }}`) and other values not known before
// deployment (`${VAR}`, `$(VAR)`) are never judged. The caller skips development-only files.

import type { Entry, ParsedDocument, RawFinding } from '../../model';
import { CORS_WILDCARD, isWildcardOrigin } from '../appservice/cors';
import { parseYaml } from '../../parsers/yaml';
import { baseNameOf, contentFix, finding, isLiteral } from '../appservice/context';
import { DETAILED_ERRORS } from '../appservice/detailedErrors';
import { httpEndpointFinding, isEndpointName } from '../appservice/httpEndpoint';

type Role = 'compose' | 'helm-values' | 'kustomization' | 'kubernetes';

const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][a-z0-9_.-]{1,60})?\.ya?ml$/;
const HELM_VALUES_NAME = /^values(?:[.-][a-z0-9_.-]{1,60})?\.ya?ml$/;
/** `NAME=value` items of Compose `environment:` lists and Kustomize `literals:`. */
const NAME_EQUALS_VALUE = /^([A-Za-z_][A-Za-z0-9_.:-]{0,200})=/;
const INDEX = /^[0-9]{1,9}$/;
/** A CORS allowed-origins name: CORS_ALLOWED_ORIGINS, Cors__AllowedOrigins, cors.allowedOrigins, corsOrigins. */
const ALLOWED_ORIGIN = /allow(?:ed)?[_-]?origin/;

/** A lower-case name or path of CORS allowed origins: 'cors' then 'origin', or allowed(_)origin. Linear. */
export function isCorsOriginName(lpath: string): boolean {
  const cors = lpath.indexOf('cors');
  return (cors !== -1 && lpath.indexOf('origin', cors + 4) !== -1) || ALLOWED_ORIGIN.test(lpath);
}
/** Container Apps (and jobs) in ARM, Bicep and Terraform: the container `env` list, folded to the variable names. */
const CONTAINER_APP = /^(?:microsoft\.app\/(?:containerapps|jobs)|azurerm_container_app(?:_job)?)$/i;
/** Container Instances groups: `environmentVariables` (ARM/Bicep) and `environment_variables` (Terraform). */
const CONTAINER_GROUP = /^(?:microsoft\.containerinstance\/containergroups|azurerm_container_group)$/i;
const ENV_LISTS = new Set(['env', 'environmentvariables', 'environment_variables']);
export const deployConfigPatterns: RegExp[] = [COMPOSE_NAME, HELM_VALUES_NAME, NAME_EQUALS_VALUE, INDEX, ALLOWED_ORIGIN, CONTAINER_APP, CONTAINER_GROUP];

const ENVIRONMENT_NAMES = new Set(['aspnetcore_environment', 'dotnet_environment']);
const NGINX = 'nginx.ingress.kubernetes.io/';
const NGINX_ENABLE_CORS = `${NGINX}enable-cors`;
const NGINX_ALLOW_ORIGIN = `${NGINX}cors-allow-origin`;

const CORS_NO_FIX = "There is no automatic fix: only you know which origins need access; list them instead of '*'.";

function roleOf(path: string, doc: ParsedDocument): Role | undefined {
  const name = baseNameOf(path);
  if (COMPOSE_NAME.test(name)) return 'compose';
  if (HELM_VALUES_NAME.test(name)) return 'helm-values';
  if (name === 'kustomization.yaml' || name === 'kustomization.yml') return 'kustomization';
  return doc.resources.length > 0 ? 'kubernetes' : undefined;
}

const WHERE: Record<Role, string> = {
  compose: 'Compose file',
  'helm-values': 'Helm values file',
  kustomization: 'Kustomization',
  kubernetes: 'Kubernetes manifest',
};

/** A setting as the app sees it: its name and the entry holding its value (a sub-range for `NAME=value`). */
interface Setting {
  name: string;
  /** Lower-case names on the way to the setting (map keys, the setting name), for CORS section names. */
  lpath: string;
  value: Entry;
}

/**
 * The setting an entry holds in this kind of file, or undefined where the entry is not app configuration
 * (image names, ports, probes) or its value is not known before deployment.
 */
function settingOf(e: Entry, role: Role, doc: ParsedDocument): Setting | undefined {
  if (e.valueType !== 'string' || !isLiteral(e) || e.value.includes('{{')) return undefined;
  const path = e.path;
  const parent = path.length > 1 ? path[path.length - 2].toLowerCase() : '';
  if (role === 'kubernetes') {
    const type = e.resource === undefined ? undefined : doc.resources[e.resource]?.type;
    // Container env lists (`- name: X` / `value: ...`, renamed to X by the parser) and ConfigMap data.
    const inEnv = parent === 'env' && path.length > 2;
    const inConfigMap = type === 'ConfigMap' && path.length === 2 && path[0] === 'data';
    if (!inEnv && !inConfigMap) return undefined;
    return { name: e.key, lpath: e.key.toLowerCase(), value: e };
  }
  if (role === 'compose' && !path.some((p) => p === 'environment')) return undefined;
  if (role === 'kustomization' && parent !== 'literals') return undefined;
  const lpath = path.filter((p) => !INDEX.test(p)).join('/').toLowerCase();
  if (INDEX.test(e.key)) {
    // `- NAME=value` (a literal whose text is the value as written, so offsets stay exact).
    const m = NAME_EQUALS_VALUE.exec(e.value);
    if (m && doc.text.slice(e.contentStart, e.contentEnd) === e.value) {
      const at = e.contentStart + m[0].length;
      const value: Entry = { ...e, key: m[1], value: e.value.slice(m[0].length), valueStart: at, valueEnd: e.contentEnd, contentStart: at, contentEnd: e.contentEnd };
      return { name: m[1], lpath: `${lpath}/${m[1].toLowerCase()}`, value };
    }
    if (role !== 'helm-values') return undefined;
    // A list item of a Helm values map: `cors: { allowedOrigins: ['*'] }`.
    return { name: path.length > 1 ? path[path.length - 2] : e.key, lpath, value: e };
  }
  return { name: e.key, lpath, value: e };
}

/**
 * The text with every Helm/Go template action (`{{ ... }}`, `{{- if }}`, `{{- end }}`) blanked out, line breaks and
 * offsets kept: the YAML reader then sees the manifest around them, and a templated value reads as empty. A line
 * left with only a ':' had a templated key (`{{ $k }}: {{ $v }}`): it goes too.
 */
export function blankTemplateActions(text: string): string {
  if (!text.includes('{{')) return text;
  const chars = text.split('');
  const lines: number[] = [];
  let lineStart = 0;
  let nextBreak = text.indexOf('\n');
  for (let open = text.indexOf('{{'); open !== -1; ) {
    const close = text.indexOf('}}', open + 2);
    const end = close === -1 ? text.length : close + 2;
    for (let i = open; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
    // Forward only: a long line of actions is walked once.
    while (nextBreak !== -1 && nextBreak < open) {
      lineStart = nextBreak + 1;
      nextBreak = text.indexOf('\n', lineStart);
    }
    if (lines[lines.length - 1] !== lineStart) lines.push(lineStart);
    open = text.indexOf('{{', end);
  }
  // Each line once, so a long line of actions costs its length, not its length per action.
  for (const from of lines) {
    const nl = text.indexOf('\n', from);
    const lineEnd = nl === -1 ? text.length : nl;
    if (chars.slice(from, lineEnd).join('').trim() !== ':') continue;
    for (let i = from; i < lineEnd; i++) if (chars[i] !== '\r') chars[i] = ' ';
  }
  return chars.join('');
}

/** Findings in one deployment YAML document (a production file: the caller has ruled out development ones). */
export function deployConfigFindings(parsed: ParsedDocument, path: string, out: RawFinding[]): void {
  let doc = parsed;
  // A Helm template whose actions break the YAML (`{{- if }}` at the top level): read it without them.
  if (doc.errors.length > 0 && doc.text.includes('{{')) doc = { ...parseYaml(blankTemplateActions(doc.text), doc.kind), text: doc.text };
  const role = roleOf(path, doc);
  if (!role) return;
  const where = WHERE[role];
  const nginx = new Map<string, { enable?: Entry; origin?: Entry }>();
  for (const e of doc.entries) {
    const lkey = e.key.toLowerCase();
    if (lkey.startsWith(NGINX) && (role === 'kubernetes' || role === 'helm-values')) {
      // Ingress annotations are judged together, per annotations map.
      const group = e.path.slice(0, -1).join('\u0000');
      const g = nginx.get(group) ?? {};
      if (lkey === NGINX_ENABLE_CORS) g.enable = e;
      else if (lkey === NGINX_ALLOW_ORIGIN) g.origin = e;
      nginx.set(group, g);
      continue;
    }
    const s = settingOf(e, role, doc);
    if (s) judgeSetting(s, where, doc.text, out);
  }
  for (const g of nginx.values()) nginxCors(g.enable, g.origin, where, out);
}

/** One setting of the app: the environment name, a CORS origins list, an endpoint URL. */
function judgeSetting(s: Setting, where: string, text: string, out: RawFinding[]): void {
  const lname = s.name.toLowerCase();
  const v = s.value;
  const value = v.value.trim();
  if (ENVIRONMENT_NAMES.has(lname)) {
    if (value.toLowerCase() !== 'development') return;
    out.push(
      finding(DETAILED_ERRORS, v, {
        message: `${s.name} is Development in a ${where}, so the deployed app shows the Developer Exception Page (stack traces, configuration) to clients; set it to Production.`,
        fix: contentFix(v, 'Production', `Set ${s.name} to Production`),
      }, s.name),
    );
    return;
  }
  if (isCorsOriginName(s.lpath)) {
    if (value.split(/[,\s]/).some(isWildcardOrigin)) {
      out.push(finding(CORS_WILDCARD, v, { message: `${s.name} allows any origin ('*') in a ${where}, so any web site can call the app from a user's browser. ${CORS_NO_FIX}` }, s.name));
    }
    return;
  }
  if (isEndpointName(s.name)) {
    const f = httpEndpointFinding(v, text, s.name);
    if (f) out.push(f);
  }
}

/** The pair fields themselves (Terraform folds `env { name = ... }` blocks next to them). */
const ENV_PAIR_FIELDS = new Set(['name', 'value', 'secret_name', 'secretref']);

/** Environment variables of the containers of Container Apps, Container Apps jobs and Container Instances in an IaC file. */
export function containerAppFindings(doc: ParsedDocument, out: RawFinding[]): void {
  const where = doc.resources.map((r) => (CONTAINER_APP.test(r.type) ? 'Container App' : CONTAINER_GROUP.test(r.type) ? 'container group' : undefined));
  if (!where.some((w) => w !== undefined)) return;
  for (const e of doc.entries) {
    const place = e.resource === undefined ? undefined : where[e.resource];
    if (place === undefined || e.valueType !== 'string' || !isLiteral(e)) continue;
    const path = e.path;
    if (path.length < 3 || !ENV_LISTS.has(path[path.length - 2].toLowerCase()) || ENV_PAIR_FIELDS.has(e.key.toLowerCase())) continue;
    judgeSetting({ name: e.key, lpath: e.key.toLowerCase(), value: e }, place, doc.text, out);
  }
}

/** ingress-nginx: enable-cors "true" with cors-allow-origin '*', or with no cors-allow-origin (its default is '*'). */
function nginxCors(enable: Entry | undefined, origin: Entry | undefined, where: string, out: RawFinding[]): void {
  if (!enable || !isLiteral(enable) || enable.value.trim().toLowerCase() !== 'true') return;
  if (!origin) {
    out.push(finding(CORS_WILDCARD, enable, { message: `enable-cors is on without cors-allow-origin in a ${where}, and ingress-nginx then allows any origin ('*'). Add nginx.ingress.kubernetes.io/cors-allow-origin with the origins that need access.` }, NGINX_ENABLE_CORS));
    return;
  }
  if (!isLiteral(origin) || origin.value.includes('{{')) return;
  if (origin.value.split(/[,\s]/).some(isWildcardOrigin)) {
    out.push(finding(CORS_WILDCARD, origin, { message: `cors-allow-origin is '*' with enable-cors on in a ${where}, so any web site can call the app from a user's browser. ${CORS_NO_FIX}` }, NGINX_ALLOW_ORIGIN));
  }
}
