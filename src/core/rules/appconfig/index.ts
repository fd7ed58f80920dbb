// The app's own configuration for production, beyond App Service settings, read by name or as text:
// ASP.NET Core `DetailedErrors` in appsettings, `UseDeveloperExceptionPage()` outside a Development check and
// `AllowAnyOrigin()` in C#, Spring Boot `server.error.include-stacktrace=always` and JDBC URLs without verified
// encryption; CORS '*' in appsettings sections; deployment YAML (Kubernetes, Helm values, Compose: ./deployConfig)
// and SQL connection strings in code literals (./sqlLiterals). No rules of its own: it reports under the App
// Service rule ids, whose modules hold the examples (web.config entries are read by those rule units).
// Development-only files (appsettings.Development.json, application-dev.yml, launchSettings.json, values.dev.yaml,
// docker-compose.override.yml, overlays/dev/...) are not production and are never reported.
import type { Checker, Entry, RawFinding } from '../../model';
import { CORS_WILDCARD, isWildcardOrigin } from '../appservice/cors';
import { DETAILED_ERRORS } from '../appservice/detailedErrors';
import { HTTP_ENDPOINT } from '../appservice/httpEndpoint';
import { SQL_ENCRYPT } from '../appservice/sqlEncrypt';
import { baseNameOf, contentFix, finding, isDevelopmentOnlyFile, strValue } from '../appservice/context';
import { containerAppFindings, deployConfigFindings, deployConfigPatterns, isCorsOriginName } from './deployConfig';
import { isSqlLiteralSource, jdbcFindings, sqlLiteralFindings, sqlLiteralPatterns } from './sqlLiterals';

const TEST_PATH = /(?:^|\/)(?:tests?|[^/]{0,200}\.tests?|[^/]{0,200}tests|spec|__tests__)\//i;
/** A folder for a developer machine: Kustomize overlays/dev, k8s/local, helm/development. */
const DEV_FOLDER = /(?:^|\/)(?:dev|development|local|debug)\//i;
const SPRING_CONFIG = /^(?:application|bootstrap)(?:-[a-z0-9_-]{1,60})?\.(?:properties|ya?ml)$/;
const CORS_SETTING = 'website_cors_allowed_origins';
const DEV_EXCEPTION_PAGE = /\.UseDeveloperExceptionPage[ \t]*\(/g;
const ALLOW_ANY_ORIGIN = /\.AllowAnyOrigin[ \t]*\(/g;
const ALLOW_CREDENTIALS = /\.AllowCredentials[ \t]*\(/;
/** `.SetIsOriginAllowed(host => true)` / `((_) => true)`: every origin allowed, like AllowAnyOrigin() (eShopOnContainers). */
const ORIGIN_ALWAYS_ALLOWED = /\.SetIsOriginAllowed[ \t]*\([ \t]*(?:\([ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\)|[A-Za-z_][A-Za-z0-9_]*)[ \t]*=>[ \t]*true[ \t]*\)/g;
// Also ASP.NET Core's per-environment conventions: ConfigureDevelopment() and a StartupDevelopment class run only in
// Development.
const DEVELOPMENT_CHECK = /IsDevelopment[ \t]*\(|IsEnvironment[ \t]*\(|EnvironmentName\.Development|"Development"|\b(?:Configure|Startup)Development\b/;
export const appConfigPatterns: RegExp[] = [
  TEST_PATH,
  DEV_FOLDER,
  SPRING_CONFIG,
  DEV_EXCEPTION_PAGE,
  ALLOW_ANY_ORIGIN,
  ALLOW_CREDENTIALS,
  ORIGIN_ALWAYS_ALLOWED,
  DEVELOPMENT_CHECK,
  ...deployConfigPatterns,
  ...sqlLiteralPatterns,
];

export const appConfigChecker: Checker = {
  ruleIds: [DETAILED_ERRORS, CORS_WILDCARD, SQL_ENCRYPT, HTTP_ENDPOINT],
  kinds: ['appsettings', 'yaml', 'code', 'arm-template', 'bicep', 'terraform'],
  check(doc, ctx) {
    const out: RawFinding[] = [];
    if (isDevelopmentOnlyFile(ctx.path)) return out;
    const name = baseNameOf(ctx.path);
    switch (doc.kind) {
      case 'appsettings':
        for (const e of doc.entries) {
          // Blazor Server's DetailedErrors: true sends exception details to the browser.
          if (e.path.length === 1 && e.key.toLowerCase() === 'detailederrors' && isTrue(e)) {
            out.push(finding(DETAILED_ERRORS, e, { fix: contentFix(e, 'false', 'Set DetailedErrors to false'), message: 'DetailedErrors is true, so exception details reach the browser in production; set DetailedErrors to false.' }));
          } else if (isCorsWildcard(e)) {
            out.push(finding(CORS_WILDCARD, e, { message: `${e.path.filter((p) => !/^[0-9]{1,9}$/.test(p)).join(':')} allows any origin ('*'), so any web site can call the app from a user's browser. There is no automatic fix: only you know which origins need access; list them instead of '*'.` }));
          }
        }
        break;
      case 'yaml':
        if (SPRING_CONFIG.test(name)) for (const e of doc.entries) springEntry(e, e.path.join('.').toLowerCase(), doc.text, out);
        else if (!TEST_PATH.test(ctx.path) && !DEV_FOLDER.test(ctx.path)) deployConfigFindings(doc, ctx.path, out);
        break;
      case 'code':
        if (SPRING_CONFIG.test(name)) springProperties(doc.text, out);
        else {
          if (name.endsWith('.cs') && !TEST_PATH.test(ctx.path)) csharp(doc.text, out);
          if (isSqlLiteralSource(ctx.path) && !TEST_PATH.test(ctx.path)) sqlLiteralFindings(doc.text, ctx.path, out);
        }
        break;
      case 'arm-template':
      case 'bicep':
      case 'terraform':
        containerAppFindings(doc, out);
        break;
      default:
        break;
    }
    return out;
  },
};

/** An appsettings CORS origins value ('*', or a list or comma-separated string holding it). */
function isCorsWildcard(e: Entry): boolean {
  if (e.valueType !== 'string' || e.key.toLowerCase() === CORS_SETTING) return false;
  if (!isCorsOriginName(e.path.join('/').toLowerCase())) return false;
  return e.value.split(/[,;\s]/).some(isWildcardOrigin);
}

function isTrue(e: Entry): boolean {
  return strValue(e)?.toLowerCase() === 'true';
}

/** One Spring Boot setting (`server.error.include-stacktrace`, a JDBC URL) at value offsets [start, end). */
function springSetting(key: string, value: string, start: number, end: number, e: Entry | undefined, out: RawFinding[]): void {
  if (key === 'server.error.include-stacktrace' && value.toLowerCase() === 'always') {
    out.push({
      ruleId: DETAILED_ERRORS,
      start,
      end,
      settingName: key,
      ...(e ? { path: e.path } : {}),
      message: 'server.error.include-stacktrace=always sends stack traces to clients; use never.',
      fix: { title: 'Set include-stacktrace to never', start, end, replacement: 'never' },
    });
    return;
  }
  jdbcFindings(value, start, key, e?.path, out);
}

function springEntry(e: Entry, key: string, text: string, out: RawFinding[]): void {
  if (e.valueType !== 'string') return;
  springSetting(key, text.slice(e.contentStart, e.contentEnd), e.contentStart, e.contentEnd, e, out);
}

/** `key=value` / `key: value` lines of application.properties. */
function springProperties(text: string, out: RawFinding[]): void {
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(i, end);
    const lead = line.length - line.trimStart().length;
    const first = line[lead];
    if (first !== '#' && first !== '!' && first !== undefined) {
      let sep = line.indexOf('=');
      const colon = line.indexOf(':');
      if (sep === -1 || (colon !== -1 && colon < sep && !line.slice(lead, colon).includes(' '))) sep = colon;
      if (sep > lead) {
        const key = line.slice(lead, sep).trim().toLowerCase();
        const raw = line.slice(sep + 1);
        const valueLead = raw.length - raw.trimStart().length;
        const value = raw.trim();
        const start = i + sep + 1 + valueLead;
        springSetting(key, value, start, start + value.length, undefined, out);
      }
    }
    i = end + 1;
  }
}

function csharp(text: string, out: RawFinding[]): void {
  DEV_EXCEPTION_PAGE.lastIndex = 0;
  for (let m = DEV_EXCEPTION_PAGE.exec(text); m; m = DEV_EXCEPTION_PAGE.exec(text)) {
    if (commentedOut(text, m.index) || guardedByDevelopment(text, m.index)) continue;
    const start = m.index + 1;
    out.push({
      ruleId: DETAILED_ERRORS,
      start,
      end: start + 'UseDeveloperExceptionPage'.length,
      settingName: 'UseDeveloperExceptionPage',
      message: 'UseDeveloperExceptionPage() runs outside an IsDevelopment() check, so production error pages show stack traces and configuration; call it only in Development.',
    });
  }
  anyOriginCalls(text, ALLOW_ANY_ORIGIN, 'AllowAnyOrigin', out);
  anyOriginCalls(text, ORIGIN_ALWAYS_ALLOWED, 'SetIsOriginAllowed', out);
}

/** CORS policy calls that allow every origin (`call` is the method name the finding covers). */
function anyOriginCalls(text: string, pattern: RegExp, call: 'AllowAnyOrigin' | 'SetIsOriginAllowed', out: RawFinding[]): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (commentedOut(text, m.index) || guardedByDevelopment(text, m.index)) continue;
    const start = m.index + 1;
    // The whole builder chain: AllowCredentials() may come before or after the origin call.
    const statementStart = Math.max(text.lastIndexOf(';', m.index), text.lastIndexOf('{', m.index), m.index - 400);
    const statementEnd = text.indexOf(';', m.index);
    const chain = text.slice(statementStart + 1, statementEnd === -1 ? Math.min(text.length, m.index + 400) : statementEnd);
    const credentials = ALLOW_CREDENTIALS.test(chain);
    const what = call === 'AllowAnyOrigin' ? 'AllowAnyOrigin()' : 'SetIsOriginAllowed(... => true)';
    out.push({
      ruleId: CORS_WILDCARD,
      start,
      end: start + call.length,
      settingName: call,
      message: credentials
        ? call === 'AllowAnyOrigin'
          ? 'The CORS policy combines AllowAnyOrigin() with AllowCredentials(), an invalid and unsafe pairing; list the origins that need access with WithOrigins(...).'
          : `The CORS policy combines ${what} with AllowCredentials(), so any web site can call the app with the user's cookies; list the origins that need access with WithOrigins(...).`
        : `The CORS policy calls ${what}, so any web site can call the app from a browser; list the origins that need access with WithOrigins(...).`,
    });
  }
}

/** The match sits after `//` on its line. */
function commentedOut(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return text.slice(lineStart, at).includes('//');
}

/**
 * The call runs only in Development: an enclosing block's condition or the preceding unbraced `if` mentions
 * IsDevelopment()/IsEnvironment(). Looks back a bounded distance.
 */
function guardedByDevelopment(text: string, at: number): boolean {
  const from = Math.max(0, at - 2000);
  let depth = 0;
  let k = at - 1;
  // The statement start: the previous ';', '{' or '}' at the same depth.
  let statementStart = from;
  for (; k >= from; k--) {
    const c = text[k];
    if (c === ')') depth++;
    else if (c === '(') depth--;
    else if (depth <= 0 && (c === ';' || c === '{' || c === '}')) {
      statementStart = k + 1;
      break;
    }
  }
  // An unbraced `if (env.IsDevelopment()) app.UseDeveloperExceptionPage();`.
  if (DEVELOPMENT_CHECK.test(text.slice(statementStart, at))) return true;
  // Every enclosing block (nearest first) and the condition right before its '{'.
  let braces = 0;
  for (k = at - 1; k >= from; k--) {
    const c = text[k];
    if (c === '}') braces++;
    else if (c === '{') {
      if (braces === 0) {
        const head = text.slice(Math.max(from, k - 300), k);
        const condition = head.slice(Math.max(head.lastIndexOf(';'), head.lastIndexOf('}'), head.lastIndexOf('{')) + 1);
        if (DEVELOPMENT_CHECK.test(condition)) return true;
      } else braces--;
    }
  }
  return false;
}
