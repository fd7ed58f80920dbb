// What app settings and connection strings hold: APPSVC-SETTING-PLAINTEXT-SECRET, APPSVC-RUN-FROM-PACKAGE-SAS,
// APPSVC-HTTP-ENDPOINT, APPSVC-SQL-ENCRYPT.

import type { Entry, RawFinding, RuleMeta } from '../../model';
import { isAppConfigurationReference, isKeyVaultReference, isPartialReference } from '../../references/keyVault';
import { finding, isDevelopmentNamed, isLiteral, type EntryCtx } from './context';
import type { RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-SETTING-PLAINTEXT-SECRET',
    title: 'Secret app setting not in Key Vault',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'An app setting or connection string whose name marks it as a secret holds a literal value instead of a Key Vault reference, so the secret lives in source control and deployment history.',
  },
  {
    id: 'APPSVC-RUN-FROM-PACKAGE-SAS',
    title: 'Run-from-package URL carries a SAS token',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'WEBSITE_RUN_FROM_PACKAGE points to a blob URL with a SAS signature, a long-lived credential in configuration; use the managed identity (WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID) instead.',
  },
  {
    id: 'APPSVC-HTTP-ENDPOINT',
    title: 'Endpoint setting uses plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description: 'An endpoint or URL setting uses http://, so calls to that service (and any credentials they carry) travel unencrypted; use https://.',
  },
  {
    id: 'APPSVC-SQL-ENCRYPT',
    title: 'SQL connection without verified encryption',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'The SQL connection string turns encryption off (Encrypt=False) or skips server certificate validation (TrustServerCertificate=True), exposing credentials and data to interception.',
  },
];

// ---- secret-looking names ----
// Parts of names that are not secrets even though they contain KEY/TOKEN/SECRET/PASSWORD.
const NOT_SECRET_PART =
  /INSTRUMENTATION_?KEY|KEY_?VAULT|KEY_?(?:ID|NAME|URI|URL|TYPE|SIZE|PREFIX|PATH|FILE)\b|(?:PUBLIC|PUBLISHABLE|PARTITION|ROW|SORT|CACHE|IDEMPOTENCY|FOREIGN|PRIMARY_?KEY_?COLUMN)_?KEY|SECRET_?(?:NAME|URI|URL|SETTING_?NAME|ID)\b|TOKEN_?(?:URL|URI|ENDPOINT|ISSUER|AUDIENCE|LIFETIME|EXPIR[A-Z]*|TIMEOUT|TYPE|NAME|HEADER|CACHE|STORE|PROVIDER)|PASSWORD_?(?:POLICY|LENGTH|RESET_?URL|EXPIR[A-Z]*)/g;
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
const NON_ALNUM = /[^A-Za-z0-9]/g;
const SECRET_PART = /PASSWORD|PASSWD|PWD|SECRET|TOKEN|CONNECTION_?STRING|CONNSTR|KEY(?=_|$)|KEY\b/;

/** 'Smtp.Password' -> 'SMTP_PASSWORD', 'apiKey' -> 'API_KEY', 'ServiceBus__ConnectionString' -> 'SERVICE_BUS__CONNECTION_STRING'. */
export function normalizeSettingName(name: string): string {
  return name
    .replace(CAMEL_BOUNDARY, '$1_$2')
    .replace(NON_ALNUM, '_')
    .toUpperCase();
}

// Every SECRET_PART word (and AzureWebJobsStorage) appears, case aside, as is in the written name: normalizing
// only inserts '_' and changes case. Names without any of them need no normalizing.
const SECRET_WORD = /password|passwd|pwd|secret|token|connection|connstr|key|storage/i;

export function isSecretSettingName(name: string): boolean {
  if (!SECRET_WORD.test(name)) return false;
  const n = normalizeSettingName(name);
  if (n === 'AZURE_WEB_JOBS_STORAGE') return true;
  const rest = n.replace(NOT_SECRET_PART, ' ');
  return SECRET_PART.test(rest);
}

// ---- placeholders ----
const PLACEHOLDER =
  /^(?:<[^<>]{0,80}>|\{\{[^{}]{0,80}\}\}|\$\{[^{}]{0,80}\}|\$\([^()]{0,80}\)|#\{[^{}]{0,80}\}#?|__[A-Za-z0-9_.-]{1,80}__|%[A-Za-z0-9_]{1,80}%|x{3,}|\*{3,}|\.{3,}|-+|(?:your|my|enter|insert|replace|change|put)[-_ ]?[a-z0-9_ -]{0,60}|changeme|change_me|placeholder|todo|tbd|secret|password|none|null|undefined|empty|dummy|sample|example|test|usedevelopmentstorage=true)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

const URL_NO_CREDENTIAL = /^https?:\/\/[^@\s?]{1,2048}$/i;
const HTTP_ANY = /^https?:\/\//i;
const SAS_SIG = /[?&]sig=/i;
const CONNECTION_STRING_SHAPE = /^[A-Za-z ]{2,40}=[^;]{0,2048};/;
const CREDENTIAL_PAIR = /(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|sig|secret|token)[ \t]*=/i;

function secretCandidate(e: Entry): boolean {
  if (!isLiteral(e) || (e.valueType !== 'string' && e.valueType !== 'number')) return false;
  const v = e.value.trim();
  if (v.length < 3) return false;
  if (isKeyVaultReference(v) || isAppConfigurationReference(v) || isPartialReference(v)) return false;
  if (isPlaceholder(v)) return false;
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'false') return false;
  // A URL with no user info and no query string (an endpoint, not a credential).
  if (URL_NO_CREDENTIAL.test(v)) return false;
  // A connection string without a credential in it (Authentication=Active Directory Managed Identity, ...).
  if (CONNECTION_STRING_SHAPE.test(v) && !CREDENTIAL_PAIR.test(v)) return false;
  return true;
}

// ---- endpoints ----
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

// ---- SQL ----
const SQL_SERVER_KEY = /(?:^|;)\s*(?:server|data source|initial catalog|database|addr|address|network address)\s*=/i;
const SQL_PAIR = /(^|;)([ \t]*)(encrypt|trustservercertificate|trust server certificate)([ \t]*=[ \t]*)([A-Za-z]{1,12})/gi;
/** Cheap test before the SQL patterns: the value mentions one of the keys at all. */
const SQL_HINT = /encrypt|trust/i;

export const patterns: RegExp[] = [SQL_HINT, SECRET_WORD, NOT_SECRET_PART, SECRET_PART, CAMEL_BOUNDARY, NON_ALNUM, PLACEHOLDER, URL_NO_CREDENTIAL, HTTP_ANY, SAS_SIG, CONNECTION_STRING_SHAPE, CREDENTIAL_PAIR, ENDPOINT_KEY, HTTP_URL, IPV4_PRIVATE, SQL_SERVER_KEY, SQL_PAIR];

/** 'false' -> 'true', 'False' -> 'True', 'FALSE' -> 'TRUE'. */
function sameCase(like: string, word: string): string {
  if (like === like.toLowerCase()) return word.toLowerCase();
  if (like === like.toUpperCase()) return word.toUpperCase();
  return word[0].toUpperCase() + word.slice(1).toLowerCase();
}

function sqlFindings(raw: string, base: number, e: Entry, settingName: string, out: RawFinding[]): void {
  if (!SQL_SERVER_KEY.test(raw)) return;
  SQL_PAIR.lastIndex = 0;
  for (let m = SQL_PAIR.exec(raw); m; m = SQL_PAIR.exec(raw)) {
    const key = m[3].toLowerCase();
    const value = m[5];
    const v = value.toLowerCase();
    let good: string | undefined;
    if (key === 'encrypt' && (v === 'false' || v === 'no' || v === 'optional')) good = v === 'no' ? 'yes' : 'true';
    else if (key !== 'encrypt' && (v === 'true' || v === 'yes')) good = v === 'yes' ? 'no' : 'false';
    if (!good) continue;
    const pairStart = base + m.index + m[1].length + m[2].length;
    const valueStart = pairStart + m[3].length + m[4].length;
    const replacement = sameCase(value, good);
    out.push({
      ruleId: 'APPSVC-SQL-ENCRYPT',
      start: pairStart,
      end: valueStart + value.length,
      path: e.path,
      settingName,
      message:
        key === 'encrypt'
          ? `The SQL connection string sets ${m[3]}=${value}, so traffic to the database may be unencrypted; use ${m[3]}=${replacement}.`
          : `The SQL connection string sets ${m[3]}=${value}, so the server certificate is not validated; use ${m[3]}=${replacement}.`,
      fix: { title: `Set ${m[3]}=${replacement}`, start: valueStart, end: valueStart + value.length, replacement },
    });
  }
}

export const settings: RuleModule = {
  rules,
  patterns,
  keys: ['*'],
  create(s) {
    const text = s.doc.text;
    // Per scan: setting names repeat (every site has the same few), and the file name does not change.
    const secretNames = new Map<string, boolean>();
    let devNamed: boolean | undefined;
    const isSecret = (name: string): boolean => {
      let secret = secretNames.get(name);
      if (secret === undefined) secretNames.set(name, (secret = isSecretSettingName(name)));
      return secret;
    };
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        if (e.valueType !== 'string' && e.valueType !== 'expression' && e.valueType !== 'number') return;
        const st = c.setting;

        // SQL encryption: any value in any parsed file; the source text is searched so offsets stay exact.
        const length = e.contentEnd - e.contentStart;
        if (length > 20 && length < 8192) {
          const raw = text.slice(e.contentStart, e.contentEnd);
          if (SQL_HINT.test(raw)) sqlFindings(raw, e.contentStart, e, st?.name ?? e.key, s.out);
        }
        if (!st) return;
        const name = st.name;
        const lname = st.lname;

        if (lname === 'website_run_from_package') {
          const v = isLiteral(e) ? e.value.trim() : '';
          if (HTTP_ANY.test(v) && SAS_SIG.test(v)) s.out.push(finding('APPSVC-RUN-FROM-PACKAGE-SAS', e, {}, name));
          return;
        }

        // Local development files (appsettings.Development.json, .env.local) may point at plain-HTTP dev services.
        const devFile = st.origin !== 'iac' && st.origin !== 'export' && (devNamed ??= isDevelopmentNamed(c.check.path));
        if (ENDPOINT_KEY.test(name) && !lname.includes('xmlns') && !devFile) {
          const raw = text.slice(e.contentStart, e.contentEnd);
          const m = isLiteral(e) ? HTTP_URL.exec(raw) : null;
          if (m && !isLocalHost(m[1])) {
            const at = e.contentStart + m.index + m[0].indexOf(':');
            s.out.push(finding('APPSVC-HTTP-ENDPOINT', e, { fix: { title: `Use https:// for ${name}`, start: at - 4, end: at, replacement: sameCase(raw.slice(at - 4 - e.contentStart, at - e.contentStart), 'https') } }, name));
          }
        }

        if ((st.origin === 'iac' || st.origin === 'export') && (st.section === 'connectionStrings' || isSecret(name)) && secretCandidate(e)) {
          s.out.push(
            finding(
              'APPSVC-SETTING-PLAINTEXT-SECRET',
              e,
              {
                secret: e.value,
                secretKind: st.section === 'connectionStrings' ? 'connection string' : 'app setting secret',
                message: `${st.section === 'connectionStrings' ? 'Connection string' : 'App setting'} '${name}' holds a literal secret; store it in Key Vault and use a Key Vault reference (@Microsoft.KeyVault(...)).`,
              },
              name,
            ),
          );
        }
      },
    };
  },
};
