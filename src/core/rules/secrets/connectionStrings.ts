// Connection strings (key=value pairs, each value judged), credentials in URIs, SAS tokens, and old Azure
// keys that have no signature but sit next to an Azure endpoint in code.

import { nextOccurrence } from './anchors';
import { decodeBase64, isAlnum, isBase64Char, isUrlTokenChar, percentDecode, runEnd, runStart, shannonEntropy } from './encoding';

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
import { isDocumentationPath, isUnquotedConfigPath } from '../../fileKind';
import { hasPasswordWord, isExpression, isNameLike, isPlaceholder, isPublicDevKey, isReference, VAR_NAME, WEAK_PASSWORD_KIND } from './negatives';
import { type LineContext, type LineDetector, RULE } from './types';

// ---- Connection strings ----

const CS_SECRET_KEY = /(?:AccountKey|SharedAccessKey|AccessKey|Password|Pwd)[ \t]*=[ \t]*/gi;
const REDIS_SSL = /(?:^|,)[ \t]*ssl[ \t]*=/;
const PG_HOST = /(?:^|[;=])[ \t]*host[ \t]*=/;
const SQL_SERVER = /(?:^|;)[ \t]*(?:server|data source|address|addr)[ \t]*=/;
const QUOTES = '"\'`';

/**
 * Keys of Azure, ADO.NET, ODBC, JDBC-style, libpq and StackExchange.Redis connection strings. A connection
 * string has at least two of them; a lone `password = x;` statement in code has one.
 */
const CONNECTION_KEYS = new Set([
  'server', 'data source', 'datasource', 'address', 'addr', 'network address', 'host', 'hostname', 'port', 'database', 'initial catalog', 'dbname',
  'user id', 'userid', 'uid', 'user', 'username', 'user name', 'password', 'pwd', 'accountname', 'accountkey', 'accountendpoint',
  'defaultendpointsprotocol', 'endpointsuffix', 'blobendpoint', 'queueendpoint', 'tableendpoint', 'fileendpoint', 'endpoint',
  'sharedaccesskeyname', 'sharedaccesskey', 'accesskey', 'entitypath', 'transporttype', 'deviceid', 'moduleid', 'version',
  'sslmode', 'ssl mode', 'ssl', 'encrypt', 'trustservercertificate', 'trusted_connection', 'integrated security', 'persist security info',
  'multipleactiveresultsets', 'connection timeout', 'connect timeout', 'connecttimeout', 'command timeout', 'timeout', 'pooling', 'min pool size',
  'max pool size', 'application name', 'driver', 'dsn', 'provider', 'charset', 'protocol', 'authentication', 'abortconnect', 'allowadmin',
  'synctimeout', 'defaultdatabase', 'sslprotocols', 'servicename', 'tns', 'schema', 'default schema', 'sslcert', 'sslrootcert',
]);

/** Character ranges [start, end) of the quoted literals on a line (escapes skipped; an unclosed quote runs to the end). */
function literalRanges(line: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < line.length; i++) {
    const q = line[i];
    if (QUOTES.indexOf(q) === -1) continue;
    let e = i + 1;
    while (e < line.length && line[e] !== q) e += line[e] === '\\' ? 2 : 1;
    ranges.push([i + 1, Math.min(e, line.length)]);
    i = e;
  }
  return ranges;
}

/** The key of one `key=value` pair: the name just before the first '=' (which may hold spaces: "Data Source"). */
function pairKey(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq <= 0) return '';
  let e = eq;
  while (e > 0 && (pair[e - 1] === ' ' || pair[e - 1] === '\t')) e--;
  const s = runStart(pair, e, (c) => isAlnum(c) || c === 32 || c === 95, 40);
  return pair.slice(s, e).trim().toLowerCase();
}

/** How many distinct connection-string keys the segment holds (Redis: a leading host[:port] counts as one). */
function knownPairs(seg: string, separator: string): number {
  const keys = new Set<string>();
  const parts = seg.split(separator);
  for (const part of parts) {
    const k = pairKey(part);
    if (CONNECTION_KEYS.has(k)) keys.add(k);
    // A setting that holds the string: CONN=Server=mydb (the first pair carries the setting name).
    const eq = part.indexOf('=');
    const inner = eq === -1 ? '' : pairKey(part.slice(eq + 1));
    if (CONNECTION_KEYS.has(inner)) keys.add(inner);
  }
  if (separator === ',' && parts[0].indexOf('=') === -1 && (parts[0].includes('.') || parts[0].includes(':'))) keys.add('host');
  return keys.size;
}

/** File kinds and files whose values are written without quotes: .env, YAML, XML text, INI/properties/shell, dotfiles. */
export function allowsUnquotedValues(ctx: LineContext): boolean {
  if (ctx.fileKind === 'env' || ctx.fileKind === 'yaml' || ctx.fileKind === 'xml') return true;
  return ctx.fileKind === 'code' && isUnquotedConfigPath(ctx.path);
}

/**
 * A password in a connection string or URI: placeholder (not reported), sample (a dictionary-word or test
 * password: reported at the generic rule's level) or secret.
 */
export function credentialShape(value: string): 'placeholder' | 'sample' | 'secret' {
  if (isReference(value) || isPlaceholder(value)) return 'placeholder';
  return hasPasswordWord(value) ? 'sample' : 'secret';
}

function connectionKind(key: string, seg: string): string {
  const k = key.toLowerCase();
  const s = seg.toLowerCase();
  if (k === 'accountkey') {
    if (s.includes('documents.azure.com') || s.includes('accountendpoint=')) return 'Azure Cosmos DB account key';
    return 'Azure Storage account key';
  }
  if (k === 'sharedaccesskey') {
    if (s.includes('azure-devices.net')) return 'Azure IoT Hub shared access key';
    if (s.includes('entitypath=') && s.includes('servicebus.windows.net')) return 'Azure Event Hubs / Service Bus shared access key';
    return 'Azure Service Bus / Event Hubs shared access key';
  }
  if (k === 'accesskey') {
    if (s.includes('signalr.net')) return 'Azure SignalR access key';
    if (s.includes('webpubsub.azure.com')) return 'Azure Web PubSub access key';
    return 'Azure access key';
  }
  if (s.includes('redis.cache.windows.net') || s.includes('abortconnect=') || REDIS_SSL.test(s)) return 'Azure Cache for Redis password';
  if (s.includes('database.windows.net')) return 'Azure SQL Database password';
  if (s.includes('postgres')) return 'PostgreSQL password';
  if (s.includes('mysql') || s.includes('port=3306')) return 'MySQL password';
  if (PG_HOST.test(s)) return 'PostgreSQL password';
  if (SQL_SERVER.test(s)) return 'SQL Server password';
  return 'Database password';
}

/** Longer than any real password or key: a longer "value" is text that happens to follow the keyword. */
const MAX_CS_VALUE = 1024;

interface Segment {
  start: number;
  end: number;
  text: string;
  redisStyle: boolean;
  /** ';'- or ','-separated pairs with at least two known connection-string keys. */
  isConnectionString: boolean;
  devStorage: boolean;
  kinds: Map<string, string>;
}

/**
 * Matches come in order, so the enclosing literal, the next stop characters and the facts about each segment
 * are found incrementally and once: a line full of "Password=" costs linear time, where re-reading the
 * enclosing string per match was quadratic in the line.
 */
export const detectConnectionStrings: LineDetector = (line, lineStart, ctx, out) => {
  let ranges: [number, number][] | undefined;
  let rangeAt = 0;
  const next: Record<string, (from: number) => number> = {};
  const nextOf = (ch: string, from: number) => {
    const at = (next[ch] ??= nextOccurrence(line, ch))(from);
    return at === -1 ? Infinity : at;
  };
  const unquotedValues = ctx.wholeValue || allowsUnquotedValues(ctx);
  let seg: Segment | undefined;
  // The same password repeated on one line (generated or minified text) is judged once.
  const shapes = new Map<string, ReturnType<typeof credentialShape>>();
  CS_SECRET_KEY.lastIndex = 0;
  for (let m = CS_SECRET_KEY.exec(line); m; m = CS_SECRET_KEY.exec(line)) {
    if (m.index > 0 && isUrlTokenChar(line.charCodeAt(m.index - 1))) continue;
    const key = m[0].split('=')[0].trim();
    // The quoted literal around the match, or (where values are unquoted) the line; never bare code.
    ranges ??= literalRanges(line);
    while (rangeAt < ranges.length && ranges[rangeAt][1] <= m.index) rangeAt++;
    const literal = rangeAt < ranges.length && ranges[rangeAt][0] <= m.index ? ranges[rangeAt] : undefined;
    const bounds = literal ?? (unquotedValues ? ([0, line.length] as [number, number]) : undefined);
    if (!bounds) continue;
    if (seg?.start !== bounds[0] || seg.end !== bounds[1]) {
      const text = line.slice(bounds[0], bounds[1]);
      const lower = text.toLowerCase();
      const redisStyle = !text.includes(';') && text.includes(',');
      const usable = text.includes(';') || redisStyle;
      seg = {
        start: bounds[0],
        end: bounds[1],
        text,
        redisStyle,
        isConnectionString: usable && knownPairs(text, redisStyle ? ',' : ';') >= 2,
        devStorage: lower.includes('accountname=devstoreaccount1') || lower.includes('usedevelopmentstorage=true'),
        kinds: new Map(),
      };
    }
    if (!seg.isConnectionString) continue;
    const segStart = seg.start;
    const segEnd = seg.end;
    const before = m.index > segStart ? line[m.index - 1] : '';
    if (before && before !== ';' && before !== ',' && before !== ' ' && before !== '\t') continue;
    let vs = m.index + m[0].length;
    // Template placeholders: Password={{db-password}}, AccountKey=${KEY} (references are checked below).
    if (line.startsWith('{{', vs) || line.startsWith('${', vs) || line.startsWith('$(', vs)) continue;
    let ve: number;
    const open = line[vs];
    let braced = false;
    if (open === '{' || (open === "'" && segStart !== vs) || (open === '"' && segStart !== vs)) {
      ve = nextOf(open === '{' ? '}' : open, vs + 1);
      if (ve > segEnd) continue;
      vs += 1;
      braced = open === '{';
    } else {
      ve = Math.min(segEnd, nextOf(';', vs), seg.redisStyle ? nextOf(',', vs) : Infinity);
      while (ve > vs && (line[ve - 1] === ' ' || line[ve - 1] === '\t')) ve--;
    }
    if (ve - vs > MAX_CS_VALUE) continue;
    const value = line.slice(vs, ve);
    if (value.length < 4 || isPublicDevKey(value) || seg.devStorage) continue;
    // $"...;Password={password};" and f"...{pwd}...": an interpolated variable, not an ODBC-quoted password.
    if (braced && (isExpression(value) || VAR_NAME.test(value) || isNameLike(value))) continue;
    const lowerKey = key.toLowerCase();
    let kind = seg.kinds.get(lowerKey);
    if (kind === undefined) seg.kinds.set(lowerKey, (kind = connectionKind(key, seg.text)));
    if (lowerKey !== 'password' && lowerKey !== 'pwd') {
      if (isReference(value) || isPlaceholder(value) || value.length < 20 || !decodeBase64(value)) continue;
      out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind });
      continue;
    }
    let shape = shapes.get(value);
    if (shape === undefined) shapes.set(value, (shape = credentialShape(value)));
    if (shape === 'placeholder' || (shape === 'sample' && isDocumentationPath(ctx.path))) continue;
    if (shape === 'sample') out.push({ ruleId: RULE.generic, start: lineStart + vs, end: lineStart + ve, secret: value, kind: WEAK_PASSWORD_KIND });
    else out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind });
  }
};

// ---- Credentials in URIs: scheme://user:password@host ----

const isSchemeChar = (c: number) => isAlnum(c) || c === 43 || c === 46 || c === 45;
/** Characters that end the user-info part of a URI. */
const USERINFO_STOP = ' \t/?#"\'<>`@';
function uriKind(scheme: string): string {
  const s = scheme.toLowerCase();
  if (s.startsWith('mongodb')) return 'MongoDB password';
  if (s.startsWith('postgres')) return 'PostgreSQL password';
  if (s.startsWith('mysql') || s.startsWith('mariadb')) return 'MySQL password';
  if (s.startsWith('redis')) return 'Redis password';
  if (s.startsWith('amqp')) return 'AMQP password';
  if (s.startsWith('http')) return 'Password in URL';
  if (s.startsWith('ftp') || s.startsWith('sftp')) return 'FTP password';
  return 'Password in URI';
}

export const detectUriCredentials: LineDetector = (line, lineStart, ctx, out) => {
  if (line.indexOf('://') === -1) return;
  for (let i = line.indexOf('://'); i !== -1; i = line.indexOf('://', i + 3)) {
    const ss = runStart(line, i, isSchemeChar, 32);
    if (i - ss < 2 || !isAlpha(line.charCodeAt(ss))) continue;
    const scheme = line.slice(ss, i);
    // user:password@ within the next few hundred characters, before any '/', '?', '#', quote or space.
    const us = i + 3;
    let at = us;
    while (at < line.length && at - us < 400 && USERINFO_STOP.indexOf(line[at]) === -1) at++;
    if (line[at] !== '@' || at + 1 >= line.length || !(isAlnum(line.charCodeAt(at + 1)) || line[at + 1] === '[')) continue;
    const colon = line.indexOf(':', us);
    if (colon === -1 || colon >= at - 1) continue;
    const user = line.slice(us, colon);
    const password = line.slice(colon + 1, at);
    const decoded = percentDecode(password) ?? password;
    if (isReference(password) || decoded === user) continue;
    if (password.startsWith('%') && password.endsWith('%')) continue;
    const shape = credentialShape(decoded);
    if (shape === 'placeholder' || (shape === 'sample' && isDocumentationPath(ctx.path))) continue;
    // A test or dictionary-word password (mongodb://admin:testpassword@...) is a sample: reported as a hint.
    const ruleId = shape === 'sample' ? RULE.generic : RULE.uri;
    out.push({ ruleId, start: lineStart + colon + 1, end: lineStart + at, secret: password, kind: shape === 'sample' ? WEAK_PASSWORD_KIND : uriKind(scheme) });
  }
};

// ---- SAS tokens: the range covers the sig value as written (URL-encoded) ----

const SAS_LEFT = '?& \t"\'`<>(;,';

/** Query-string parameters of the token around index i (handles '&amp;' in XML). */
function tokenParams(line: string, sigAt: number): Set<string> {
  let s = sigAt;
  let steps = 0;
  // Walk left over '&'-separated parameters (bounded).
  while (s > 0 && steps < 4000) {
    const c = line[s - 1];
    // '&amp;' (XML) separates parameters like '&'.
    if (c === ';' && line.endsWith('&amp', s - 1)) {
      s -= 5;
      continue;
    }
    if (c !== '&' && SAS_LEFT.indexOf(c) !== -1) break;
    s--;
    steps++;
  }
  let e = sigAt;
  while (e < line.length && e - sigAt < 4000 && ' \t"\'`<>;,)'.indexOf(line[e]) === -1) e++;
  const names = new Set<string>();
  for (const part of line.slice(s, e).replace(AMP_ENTITY, '&').split('&')) {
    // 'SAS=sv=2022-11-02' (a setting holding the token) names 'sv'; 'sig=abc=' names 'sig'.
    const bits = part.split('=');
    if (bits.length < 2) continue;
    names.add(bits[0].toLowerCase());
    if (bits.length > 2) names.add(bits[bits.length - 2].toLowerCase());
  }
  return names;
}

/** HMAC-SHA256 in base64: 43 characters and one '='. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/** Decode valid %XX escapes; a malformed one stands for one character ('A'), as its writer meant one. */
function lenientPercentDecode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%' || i + 2 >= s.length) {
      out += s[i];
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    out += isHexPair(hex) ? String.fromCharCode(parseInt(hex, 16)) : 'A';
    i += 2;
  }
  return out;
}

const isHexPair = (h: string) => isHexDigit(h.charCodeAt(0)) && isHexDigit(h.charCodeAt(1));
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export const detectSasTokens: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('sig=') === -1) return;
  for (let at = line.indexOf('sig='); at !== -1; at = line.indexOf('sig=', at + 4)) {
    if (at > 0 && isUrlTokenChar(line.charCodeAt(at - 1))) continue;
    const vs = at + 4;
    let ve = vs;
    while (ve < line.length && ve - vs < 400 && '&"\'` \t;<>,)'.indexOf(line[ve]) === -1) ve++;
    const raw = line.slice(vs, ve);
    // A hand-typed signature may carry a broken escape (%2R): still signature-shaped, still worth a finding.
    const decoded = percentDecode(raw) ?? lenientPercentDecode(raw);
    if (isPlaceholder(decoded) || isReference(raw)) continue;
    const plain = decoded.replace(/ /g, '+');
    const bytes = decodeBase64(plain);
    if (!(bytes && bytes.length === 32) && !SIGNATURE_SHAPE.test(plain)) continue;
    const params = tokenParams(line, at);
    const storageSas = params.has('sv') && (params.has('se') || params.has('sp'));
    const busSas = params.has('sr') && params.has('se') && params.has('skn');
    const cosmosToken = params.has('type') && params.has('ver');
    if (!storageSas && !busSas && !cosmosToken) continue;
    const kind = storageSas ? 'Azure Storage SAS token' : busSas ? 'Azure Service Bus / Event Hubs SAS token' : 'Azure Cosmos DB authorization token';
    out.push({ ruleId: RULE.sas, start: lineStart + vs, end: lineStart + ve, secret: raw, kind });
  }
};

// ---- Old 88-character account keys next to an Azure endpoint in code ----

const isKeyOrPad = (c: number) => isBase64Char(c) || c === 61;
const AMP_ENTITY = /&amp;/g;
const AZURE_ENDPOINT_HINT = /documents\.azure\.com|\.core\.windows\.net|cosmos|storagesharedkeycredential|azurenamedkeycredential|azurekeycredential|accountkey|storagecredentials/i;

export const detectAccountKeysNearEndpoints: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('==') === -1 || !AZURE_ENDPOINT_HINT.test(line)) return;
  for (let i = 0; i < line.length; ) {
    if (!isKeyOrPad(line.charCodeAt(i))) {
      i++;
      continue;
    }
    const e = runEnd(line, i, isKeyOrPad);
    if (e - i === 88 && line.endsWith('==', e) && line.indexOf('=', i) === e - 2) {
      const key = line.slice(i, e);
      if (!isPublicDevKey(key) && shannonEntropy(key) >= 4.5) {
        const lower = line.toLowerCase();
        const kind = lower.includes('documents.azure.com') || lower.includes('cosmos') ? 'Azure Cosmos DB account key' : 'Azure Storage account key';
        out.push({ ruleId: RULE.keySetting, start: lineStart + i, end: lineStart + e, secret: key, kind });
      }
    }
    i = e;
  }
};

export const connectionStringPatterns: RegExp[] = [SIGNATURE_SHAPE, CS_SECRET_KEY, REDIS_SSL, PG_HOST, SQL_SERVER, AMP_ENTITY, AZURE_ENDPOINT_HINT];
