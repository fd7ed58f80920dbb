// Connection strings (key=value pairs, each value judged), credentials in URIs, SAS tokens, and old Azure
// keys that have no signature but sit next to an Azure endpoint in code.

import { decodeBase64, percentDecode, shannonEntropy } from './encoding';
import { isPlaceholder, isPublicDevKey, isReference } from './negatives';
import { type LineDetector, RULE } from './types';

// ---- Connection strings ----

const CS_SECRET_KEY = /(?<![A-Za-z0-9_])(?:AccountKey|SharedAccessKey|AccessKey|Password|Pwd)[ \t]{0,3}=[ \t]{0,3}/gi;
const QUOTES = '"\'`';

/** The quoted string (or the whole line) around index i: [start, end). */
function enclosingSegment(line: string, i: number): [number, number] {
  let s = i;
  while (s > 0 && QUOTES.indexOf(line[s - 1]) === -1) s--;
  const q = s > 0 ? line[s - 1] : '';
  let e = i;
  if (q) {
    while (e < line.length && line[e] !== q) e++;
  } else e = line.length;
  return [s, e];
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
  if (s.includes('redis.cache.windows.net') || s.includes('abortconnect=') || /(?:^|,)[ \t]{0,3}ssl[ \t]{0,3}=/.test(s)) return 'Azure Cache for Redis password';
  if (s.includes('database.windows.net')) return 'Azure SQL Database password';
  if (s.includes('postgres')) return 'PostgreSQL password';
  if (s.includes('mysql') || s.includes('port=3306')) return 'MySQL password';
  if (/(?:^|;)[ \t]{0,3}host[ \t]{0,3}=/.test(s)) return 'PostgreSQL password';
  if (/(?:^|;)[ \t]{0,3}(?:server|data source|address|addr)[ \t]{0,3}=/.test(s)) return 'SQL Server password';
  return 'Database password';
}

export const detectConnectionStrings: LineDetector = (line, lineStart, _ctx, out) => {
  CS_SECRET_KEY.lastIndex = 0;
  for (let m = CS_SECRET_KEY.exec(line); m; m = CS_SECRET_KEY.exec(line)) {
    const key = m[0].split('=')[0].trim();
    const [segStart, segEnd] = enclosingSegment(line, m.index);
    const seg = line.slice(segStart, segEnd);
    // A connection string has other key=value pairs: ';'-separated, or Redis' ','-separated options.
    const redisStyle = !seg.includes(';') && seg.includes(',') && /password[ \t]{0,3}=/i.test(seg);
    if (!seg.includes(';') && !redisStyle) continue;
    const before = m.index > segStart ? line[m.index - 1] : '';
    if (before && before !== ';' && before !== ',' && before !== ' ' && before !== '\t') continue;
    let vs = m.index + m[0].length;
    let ve: number;
    const open = line[vs];
    if (open === '{' || (open === "'" && segStart !== vs) || (open === '"' && segStart !== vs)) {
      const close = open === '{' ? '}' : open;
      ve = line.indexOf(close, vs + 1);
      if (ve === -1 || ve > segEnd) continue;
      vs += 1;
    } else {
      ve = vs;
      const stops = redisStyle ? ';,' : ';';
      while (ve < segEnd && stops.indexOf(line[ve]) === -1) ve++;
      while (ve > vs && (line[ve - 1] === ' ' || line[ve - 1] === '\t')) ve--;
    }
    const value = line.slice(vs, ve);
    if (value.length < 4 || isReference(value) || isPlaceholder(value) || isPublicDevKey(value)) continue;
    const lower = seg.toLowerCase();
    if (lower.includes('accountname=devstoreaccount1') || lower.includes('usedevelopmentstorage=true')) continue;
    const isKey = key.toLowerCase() !== 'password' && key.toLowerCase() !== 'pwd';
    if (isKey && (value.length < 20 || !decodeBase64(value))) continue;
    out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind: connectionKind(key, seg) });
  }
};

// ---- Credentials in URIs: scheme://user:password@host ----

const URI_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,30}):\/\/([^\s:@/?#"'<>`]{0,128}):([^\s@/?#"'<>`]{1,256})@(?=[A-Za-z0-9[])/g;

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
  URI_CREDENTIALS.lastIndex = 0;
  for (let m = URI_CREDENTIALS.exec(line); m; m = URI_CREDENTIALS.exec(line)) {
    const [, scheme, user, password] = m;
    const decoded = percentDecode(password) ?? password;
    if (isReference(password) || isPlaceholder(decoded) || decoded === user) continue;
    if (password.startsWith('%') && password.endsWith('%')) continue;
    const start = m.index + scheme.length + 3 + user.length + 1;
    out.push({ ruleId: RULE.uri, start: lineStart + start, end: lineStart + start + password.length, secret: password, kind: uriKind(scheme) });
  }
};

// ---- SAS tokens: the range covers the sig value as written (URL-encoded) ----

const SIG = /(?<![A-Za-z0-9_])sig=/g;
const SAS_LEFT = '?& \t"\'`<>(;,';

/** Query-string parameters of the token around index i (handles '&amp;' in XML). */
function tokenParams(line: string, sigAt: number): Set<string> {
  let s = sigAt;
  let steps = 0;
  // Walk left over '&'-separated parameters (bounded).
  while (s > 0 && steps < 4000) {
    const c = line[s - 1];
    if (c !== '&' && SAS_LEFT.indexOf(c) !== -1) break;
    s--;
    steps++;
  }
  let e = sigAt;
  while (e < line.length && e - sigAt < 4000 && ' \t"\'`<>;,)'.indexOf(line[e]) === -1) e++;
  const names = new Set<string>();
  for (const part of line.slice(s, e).replace(/&amp;/g, '&').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) names.add(part.slice(0, eq).toLowerCase());
  }
  return names;
}

export const detectSasTokens: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('sig=') === -1) return;
  SIG.lastIndex = 0;
  for (let m = SIG.exec(line); m; m = SIG.exec(line)) {
    const vs = m.index + 4;
    let ve = vs;
    while (ve < line.length && ve - vs < 400 && '&"\'` \t;<>,)'.indexOf(line[ve]) === -1) ve++;
    const raw = line.slice(vs, ve);
    const decoded = percentDecode(raw);
    if (!decoded || isPlaceholder(decoded) || isReference(raw)) continue;
    const bytes = decodeBase64(decoded.replace(/ /g, '+'));
    if (!bytes || bytes.length !== 32) continue;
    const params = tokenParams(line, m.index);
    const storageSas = params.has('sv') && (params.has('se') || params.has('sp'));
    const busSas = params.has('sr') && params.has('se') && params.has('skn');
    const cosmosToken = params.has('type') && params.has('ver');
    if (!storageSas && !busSas && !cosmosToken) continue;
    const kind = storageSas ? 'Azure Storage SAS token' : busSas ? 'Azure Service Bus / Event Hubs SAS token' : 'Azure Cosmos DB authorization token';
    out.push({ ruleId: RULE.sas, start: lineStart + vs, end: lineStart + ve, secret: raw, kind });
  }
};

// ---- Old 88-character account keys next to an Azure endpoint in code ----

const ACCOUNT_KEY_88 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g;
const AZURE_ENDPOINT_HINT = /documents\.azure\.com|\.core\.windows\.net|cosmos|storagesharedkeycredential|azurenamedkeycredential|azurekeycredential|accountkey|storagecredentials/i;

export const detectAccountKeysNearEndpoints: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('==') === -1 || !AZURE_ENDPOINT_HINT.test(line)) return;
  ACCOUNT_KEY_88.lastIndex = 0;
  for (let m = ACCOUNT_KEY_88.exec(line); m; m = ACCOUNT_KEY_88.exec(line)) {
    const key = m[0];
    if (isPublicDevKey(key) || shannonEntropy(key) < 4.5) continue;
    const lower = line.toLowerCase();
    const kind = lower.includes('documents.azure.com') || lower.includes('cosmos') ? 'Azure Cosmos DB account key' : 'Azure Storage account key';
    out.push({ ruleId: RULE.keySetting, start: lineStart + m.index, end: lineStart + m.index + key.length, secret: key, kind });
  }
};

export const connectionStringPatterns: RegExp[] = [CS_SECRET_KEY, URI_CREDENTIALS, SIG, ACCOUNT_KEY_88, AZURE_ENDPOINT_HINT];
