// Connection strings (key=value pairs, each value judged), credentials in URIs, SAS tokens, and old Azure
// keys that have no signature but sit next to an Azure endpoint in code.

import { nextOccurrence } from './anchors';
import { decodeBase64, isAlnum, isBase64Char, isUrlTokenChar, percentDecode, runEnd, runStart, shannonEntropy } from './encoding';

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
import { isPlaceholder, isPublicDevKey, isReference } from './negatives';
import { type LineDetector, RULE } from './types';

// ---- Connection strings ----

const CS_SECRET_KEY = /(?:AccountKey|SharedAccessKey|AccessKey|Password|Pwd)[ \t]*=[ \t]*/gi;
const REDIS_SSL = /(?:^|,)[ \t]*ssl[ \t]*=/;
const PG_HOST = /(?:^|;)[ \t]*host[ \t]*=/;
const SQL_SERVER = /(?:^|;)[ \t]*(?:server|data source|address|addr)[ \t]*=/;
const REDIS_PASSWORD = /password[ \t]*=/i;
const QUOTES = '"\'`';

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

/**
 * Matches come in order, so the quote before each, the next stop characters and the facts about the enclosing
 * quoted string (or the whole line) are found incrementally: a line full of "Password=" costs linear time,
 * where walking back to the quote and re-reading the string per match was quadratic in the line.
 */
export const detectConnectionStrings: LineDetector = (line, lineStart, _ctx, out) => {
  CS_SECRET_KEY.lastIndex = 0;
  const next: Record<string, (from: number) => number> = {};
  const nextOf = (ch: string, from: number) => {
    const at = (next[ch] ??= nextOccurrence(line, ch))(from);
    return at === -1 ? Infinity : at;
  };
  let scanned = 0;
  let lastQuote = -1;
  let seg: { start: number; end: number; text: string; lower: string; redisStyle: boolean; usable: boolean; devStorage: boolean; kinds: Map<string, string> } | undefined;
  for (let m = CS_SECRET_KEY.exec(line); m; m = CS_SECRET_KEY.exec(line)) {
    if (m.index > 0 && isUrlTokenChar(line.charCodeAt(m.index - 1))) continue;
    const key = m[0].split('=')[0].trim();
    // The quoted string (or the whole line) around the match: [start, end).
    for (; scanned < m.index; scanned++) if (QUOTES.indexOf(line[scanned]) !== -1) lastQuote = scanned;
    if (seg?.start !== lastQuote + 1) {
      const end = lastQuote === -1 ? line.length : Math.min(line.length, nextOf(line[lastQuote], m.index));
      const text = line.slice(lastQuote + 1, end);
      const lower = text.toLowerCase();
      // A connection string has other key=value pairs: ';'-separated, or Redis' ','-separated options.
      const redisStyle = !text.includes(';') && text.includes(',') && REDIS_PASSWORD.test(text);
      const devStorage = lower.includes('accountname=devstoreaccount1') || lower.includes('usedevelopmentstorage=true');
      seg = { start: lastQuote + 1, end, text, lower, redisStyle, usable: text.includes(';') || redisStyle, devStorage, kinds: new Map() };
    }
    if (!seg.usable) continue;
    const segStart = seg.start;
    const segEnd = seg.end;
    const before = m.index > segStart ? line[m.index - 1] : '';
    if (before && before !== ';' && before !== ',' && before !== ' ' && before !== '\t') continue;
    let vs = m.index + m[0].length;
    // Template placeholders: Password={{db-password}}, AccountKey=${KEY} (references are checked below).
    if (line.startsWith('{{', vs) || line.startsWith('${', vs) || line.startsWith('$(', vs)) continue;
    let ve: number;
    const open = line[vs];
    if (open === '{' || (open === "'" && segStart !== vs) || (open === '"' && segStart !== vs)) {
      ve = nextOf(open === '{' ? '}' : open, vs + 1);
      if (ve > segEnd) continue;
      vs += 1;
    } else {
      ve = Math.min(segEnd, nextOf(';', vs), seg.redisStyle ? nextOf(',', vs) : Infinity);
      if (ve - vs > MAX_CS_VALUE) continue;
      while (ve > vs && (line[ve - 1] === ' ' || line[ve - 1] === '\t')) ve--;
    }
    if (ve - vs > MAX_CS_VALUE) continue;
    const value = line.slice(vs, ve);
    if (value.length < 4 || isReference(value) || isPlaceholder(value) || isPublicDevKey(value)) continue;
    if (seg.devStorage) continue;
    const isKey = key.toLowerCase() !== 'password' && key.toLowerCase() !== 'pwd';
    if (isKey && (value.length < 20 || !decodeBase64(value))) continue;
    let kind = seg.kinds.get(key.toLowerCase());
    if (kind === undefined) seg.kinds.set(key.toLowerCase(), (kind = connectionKind(key, seg.text)));
    out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind });
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

export const detectUriCredentials: LineDetector = (line, lineStart, _ctx, out) => {
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
    if (isReference(password) || isPlaceholder(decoded) || decoded === user) continue;
    if (password.startsWith('%') && password.endsWith('%')) continue;
    out.push({ ruleId: RULE.uri, start: lineStart + colon + 1, end: lineStart + at, secret: password, kind: uriKind(scheme) });
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

/** A signature is 32 bytes: 44 base64 characters, each at most 3 when URL-encoded. */
const MAX_SIG_RAW = 44 * 3;

export const detectSasTokens: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('sig=') === -1) return;
  for (let at = line.indexOf('sig='); at !== -1; at = line.indexOf('sig=', at + 4)) {
    if (at > 0 && isUrlTokenChar(line.charCodeAt(at - 1))) continue;
    const vs = at + 4;
    let ve = vs;
    while (ve < line.length && ve - vs <= MAX_SIG_RAW && '&"\'` \t;<>,)'.indexOf(line[ve]) === -1) ve++;
    if (ve - vs > MAX_SIG_RAW) {
      // Too long for a signature: go on after it, so 'sig=sig=sig=...' is not re-read from every anchor.
      at = ve - 4;
      continue;
    }
    const raw = line.slice(vs, ve);
    const decoded = percentDecode(raw);
    if (!decoded || isPlaceholder(decoded) || isReference(raw)) continue;
    const bytes = decodeBase64(decoded.replace(/ /g, '+'));
    if (!bytes || bytes.length !== 32) continue;
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

export const connectionStringPatterns: RegExp[] = [CS_SECRET_KEY, REDIS_SSL, PG_HOST, SQL_SERVER, REDIS_PASSWORD, AMP_ENTITY, AZURE_ENDPOINT_HINT];
