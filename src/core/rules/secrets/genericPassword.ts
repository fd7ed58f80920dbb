// SECRET-GENERIC-PASSWORD, and the named-value detector. Secrets recognised by the name they are assigned to: old Azure keys without a signature (only with a
// key-like setting name), Azure DevOps PATs by name, and the generic password/secret/token heuristic.
// Assignments come from the parsed entries (JSON today; other parsers as they land) and from a line
// scanner for the common shapes: `name = "v"`, `name: v`, `NAME=v`, `"name": "v"`, `<add key="n" value="v"/>`,
// `<Password>v</Password>`, Bicep `param name string = 'v'`.

import { isDocumentationPath, isUnquotedConfigPath } from '../../fileKind';
import { AnchorMatcher } from './anchors';
import { decodeBase64, isAlnum, runEnd, runStart, shannonEntropy } from './encoding';
import { isJwtShaped } from './jwt';
import { classifyLiteral, isGuid, isHandTypedKey, isKeyName, isKeyOrSecretName, isNonSecretName, isPlaceholder, isPublicContent, isPublicDevKey, isReference, isSecretName, normaliseName, WEAK_PASSWORD_KIND } from './negatives';
import { validateAdoPat } from './devopsPat';
import { type Hit, type LineContext, RULE, type SecretRule } from './types';

export interface Assignment {
  name: string;
  value: string;
  /** Absolute offsets of the value's literal text (inside quotes). */
  start: number;
  end: number;
  quoted: boolean;
}

const ACCOUNT_KEY = /^[A-Za-z0-9+/]{86}==$/;
const KEY_44 = /^[A-Za-z0-9+/]{43}=$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{38,100}={0,2}$/;
const HEX_32 = /^[0-9a-fA-F]{32}$/;
const ADO_PAT = /^[a-z2-7]{52}$/;
const ADO_NAME = /pat$|^pat|personalaccesstoken|devops|azdo|vsts|adotoken|systemaccesstoken/;

const NPM_TOKEN_NAMES = new Set(['_authToken', 'npmAuthToken', 'NPM_TOKEN', 'NODE_AUTH_TOKEN']);

/** Services other than Azure whose keys share the shapes of old Azure keys (32 hex, 44 base64), by setting name. */
const OTHER_VENDORS: [string, string][] = [
  ['heroku', 'Heroku'], ['digitalocean', 'DigitalOcean'], ['mailgun', 'Mailgun'], ['mailchimp', 'Mailchimp'], ['datadog', 'Datadog'],
  ['newrelic', 'New Relic'], ['sentry', 'Sentry'], ['algolia', 'Algolia'], ['pusher', 'Pusher'], ['cloudflare', 'Cloudflare'],
  ['pagerduty', 'PagerDuty'], ['okta', 'Okta'], ['auth0', 'Auth0'], ['firebase', 'Firebase'], ['contentful', 'Contentful'], ['shopify', 'Shopify'],
];
const AZURE_NAME = /azure|cognitive|openai|search|speech|translator|vision|language|formrecognizer|documentintelligence|contentsafety|aiservices|face|apim|ocpapim|subscriptionkey|maps|storage|cosmos|documentdb|servicebus|eventhub|signalr|webpubsub|redis|iothub|eventgrid|relay|batch|functions?key|hostkey|masterkey/;
const AZURE_FILE_KINDS = new Set(['arm-template', 'arm-parameters', 'bicep', 'bicepparam', 'appservice-settings', 'local-settings']);

/** The vendor a key-like setting name points at: an Azure service, another vendor, or unknown. */
function keyVendor(n: string, ctx: LineContext): { azure: boolean; other?: string } {
  for (const [needle, label] of OTHER_VENDORS) if (n.includes(needle)) return { azure: false, other: label };
  return { azure: AZURE_NAME.test(n) || AZURE_FILE_KINDS.has(ctx.fileKind) || ctx.path.includes('azure') };
}

function hexKeyKind(n: string, ctx: LineContext): string {
  const vendor = keyVendor(n, ctx);
  if (vendor.other) return `${vendor.other} API key`;
  if (n.includes('search')) return 'Azure AI Search key';
  if (/openai|cognitive|speech|translator|vision|language|formrecognizer|documentintelligence|contentsafety|aiservices|computervision|face/.test(n)) return 'Azure AI services key';
  if (/apim|subscription|ocpapim/.test(n)) return 'Azure API Management subscription key';
  if (n.includes('maps')) return 'Azure Maps key';
  // Any 32-hex value under a key-like name: only call it Azure when the name or the file says so.
  return vendor.azure ? 'Azure API key' : 'API key';
}

/**
 * What an 88-character base64 key under a key-like name is. ASP.NET Core Data Protection writes its key ring as
 * XML (`<masterKey><value>…</value></masterKey>`) in the same shape as an Azure account key: name it for what it
 * is, so the message does not send the user to the Azure portal to rotate a key that is not there.
 */
function accountKeyKind(n: string, ctx: LineContext): string {
  if (n.includes('cosmos') || n.includes('documentdb')) return 'Azure Cosmos DB account key';
  if (n.includes('storage') || n.includes('account')) return 'Azure Storage account key';
  if (n.includes('masterkey') && ctx.text?.includes('Microsoft.AspNetCore.DataProtection')) return 'ASP.NET Core Data Protection key';
  return 'Azure account key';
}

/** Judge one name/value pair. Returns the hit or undefined. */
export function judgeAssignment(a: Assignment, ctx: LineContext): Hit | undefined {
  const { name, value } = a;
  if (value.length < 8 || value.length > 4096) return undefined;
  // npm's legacy access tokens are UUIDs: under npm's own setting names a GUID is the token, not an id.
  if (NPM_TOKEN_NAMES.has(name) && isGuid(value) && !isPlaceholder(value)) return { ruleId: RULE.thirdParty, start: a.start, end: a.end, secret: value, kind: 'npm access token' };
  if (isReference(value) || isPlaceholder(value) || isPublicContent(value) || isGuid(value)) return undefined;
  // A JSON Web Token is SECRET-JWT's to judge (which knows the documentation tokens signed with published keys).
  if (value.startsWith('eyJ') && isJwtShaped(value)) return undefined;
  // Connection strings and URLs are judged pair by pair by their own detectors.
  if (((value.includes(';') || value.includes('&')) && value.includes('=')) || value.includes('://')) return undefined;
  const n = normaliseName(name);
  const hit = (ruleId: Hit['ruleId'], kind: string): Hit => ({ ruleId, start: a.start, end: a.end, secret: value, kind });

  if ((isKeyName(name) || isSecretName(name)) && !isHandTypedKey(value)) {
    if (ACCOUNT_KEY.test(value)) {
      if (isPublicDevKey(value) || shannonEntropy(value) < 4.5) return undefined;
      return hit(RULE.keySetting, accountKeyKind(n, ctx));
    }
    if (KEY_44.test(value) && shannonEntropy(value) >= 4.2) {
      const vendor = keyVendor(n, ctx);
      const kind = vendor.other ? `${vendor.other} API key` : n.includes('redis') ? 'Azure Cache for Redis access key' : n.includes('signalr') ? 'Azure SignalR access key' : vendor.azure ? 'Azure shared access key' : 'Access key';
      return hit(RULE.keySetting, kind);
    }
    if (HEX_32.test(value) && shannonEntropy(value) >= 3.0 && !/hash|md5|sha|checksum|etag/.test(n)) return hit(RULE.keySetting, hexKeyKind(n, ctx));
    if (BASE64_KEY.test(value) && shannonEntropy(value) >= 4.2 && /[0-9]/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) {
      const bytes = decodeBase64(value);
      if (bytes && bytes.length >= 28 && /function|hostkey|masterkey|functionkey|xfunctionskey/.test(n)) return hit(RULE.keySetting, 'Azure Functions key');
    }
  }
  if (ADO_PAT.test(value) && (ADO_NAME.test(n) || validateAdoPat(value))) return hit(RULE.devopsPat, 'Azure DevOps personal access token');
  if (isSecretName(name)) {
    const shape = classifyLiteral(value, name);
    const isPassword = /pass|pwd/.test(n);
    // Documentation illustrates with short made-up tokens ({ token: 'df123-4567' }); a pasted real one is longer.
    if (shape === 'random' && isDocumentationPath(ctx.path) && value.length < 16) return undefined;
    if (shape === 'random') return hit(RULE.generic, isPassword ? 'Password' : /token/.test(n) ? 'Token' : /apikey|accesskey|key$/.test(n) ? 'API key' : 'Secret');
    // A dictionary-word password that meets a complexity policy can be deployed as it is (quickstart admin passwords).
    if (shape === 'weak' && isPassword && !isDocumentationPath(ctx.path)) return hit(RULE.generic, WEAK_PASSWORD_KIND);
  }
  return undefined;
}

// ---- Line scanner (hand-written: linear, no backtracking) ----

const isIdentChar = (c: number) => isAlnum(c) || c === 95 || c === 46 || c === 36 || c === 64 || c === 45; // _ . $ @ -
const isIdentStart = (c: number) => isAlpha(c) || c === 95 || c === 36 || c === 64;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isBlank = (c: number) => c === 32 || c === 9;
const TYPE_WORDS = ['SecureString', 'securestring', 'secureString', 'string', 'String', 'bytes', 'str', 'any'];
const XML_ADD = /(?:key|name)[ \t]*=[ \t]*"([^"]*)"[ \t]+value[ \t]*=[ \t]*"/gi;
const XML_ELEMENT = /<([A-Za-z_][A-Za-z0-9_.:-]*)>([^<]*)<\/([A-Za-z_][A-Za-z0-9_.:-]*)>/g;
const WORDPRESS_KEY = /^(?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)$/;
const UNQUOTED_LINE = /^[ \t]*(?:export[ \t]+|set[ \t]+|ENV[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*[=:]/;
const QUOTE = '"\'`';

const CLOSERS = ')]}';
const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The value holds more of this closing bracket than of its opener. */
function unbalanced(value: string, closer: string): boolean {
  let depth = 0;
  for (const ch of value) {
    if (ch === OPENER[closer]) depth++;
    else if (ch === closer) depth--;
  }
  return depth < 0;
}

/** The value starting at i: a quoted literal (with escapes) or an unquoted token. */
function readValue(line: string, i: number): { start: number; end: number; quoted: boolean } | undefined {
  let j = i;
  // Language string prefixes: C# @"..", $"..", Python r"..", f"..", b"..".
  if ('@rfbu'.includes(line[j] ?? '\u0000') && QUOTE.includes(line[j + 1] ?? '\u0000')) j++;
  const q = line[j];
  if (q !== undefined && QUOTE.includes(q)) {
    let k = j + 1;
    while (k < line.length && line[k] !== q) k += line[k] === '\\' ? 2 : 1;
    if (k >= line.length) return undefined;
    return { start: j + 1, end: k, quoted: true };
  }
  // An unquoted <placeholder with spaces> (TEST_APP_SECRET=<app registration client secret> in .env.sample).
  if (line[j] === '<') {
    const close = line.indexOf('>', j + 1);
    if (close !== -1) return { start: j, end: close + 1, quoted: false };
  }
  const k = runEnd(line, j, (c) => !isBlank(c));
  let e = k;
  for (;;) {
    const last = line[e - 1];
    if (e > j && (last === ',' || last === ';')) e--;
    // The closing quote of a string the value sits in: echo "Missing secret: ACR_NAME".
    else if (e > j + 1 && (last === '"' || last === "'") && line.lastIndexOf(last, e - 2) < j) e--;
    // A closing bracket the value did not open ends the code around it: {"api-key": AZURE_SEARCH_KEY}.
    else if (e > j && CLOSERS.includes(last) && unbalanced(line.slice(j, e), last)) e--;
    else break;
  }
  return e > j ? { start: j, end: e, quoted: false } : undefined;
}

function allowUnquoted(ctx: LineContext, line: string): boolean {
  if (ctx.fileKind === 'env' || ctx.fileKind === 'yaml') return true;
  if (ctx.fileKind !== 'code') return false;
  if (!isUnquotedConfigPath(ctx.path)) return false;
  // .npmrc: //registry.example.com/:_authToken=...
  return UNQUOTED_LINE.test(line) || (line.startsWith('//') && line.indexOf(':_') !== -1);
}

/** Skip blanks from i. */
function skipBlanks(line: string, i: number): number {
  return runEnd(line, i, isBlank, 16);
}

/** Identifier ending just before i (after stepping back over blanks and closing quotes/brackets), or undefined. */
function nameBefore(line: string, op: number): { name: string; start: number } | undefined {
  let j = op;
  let steps = 0;
  while (j > 0 && steps < 12 && (isBlank(line.charCodeAt(j - 1)) || line[j - 1] === '"' || line[j - 1] === "'" || line[j - 1] === ']')) {
    j--;
    steps++;
  }
  const s = runStart(line, j, isIdentChar, 100);
  if (s === j || !isIdentStart(line.charCodeAt(s))) return undefined;
  // The tail of a path or a URN is no name: "oauth2/token" : "…" (a ternary), urn:ietf:params:oauth:grant-type.
  // .npmrc's //registry.npmjs.org/:_authToken= is one (a registry's settings follow '/:').
  if (s > 0 && (line[s - 1] === '/' || (line[s - 1] === ':' && line[s - 2] !== '/'))) return undefined;
  return { name: line.slice(s, j), start: s };
}

/**
 * Every name wantedName accepts holds one of these once normalised (the words of KEY_NAME, SECRET_NAME and
 * ADO_NAME): most names before an `=` or `:` in code hold none, and this one pass replaces three regexes.
 */
const WANTED_WORDS = new AnchorMatcher(['key', 'sas', 'signature', 'pass', 'pwd', 'secret', 'token', 'credential', 'auth', 'pat', 'devops', 'azdo', 'vsts']);
const ALNUM_NAME = /^[A-Za-z0-9]*$/;

/** A name whose value the line scanner judges: key-like, secret-like or an Azure DevOps PAT name. */
function wantedName(name: string): boolean {
  // An alphanumeric name normalises to itself lower-cased, and the matcher ignores case.
  if (WANTED_WORDS.maskIn(ALNUM_NAME.test(name) ? name : normaliseName(name)) === 0) return false;
  return isKeyOrSecretName(name) || ADO_NAME.test(normaliseName(name));
}

export function scanLineAssignments(line: string, lineStart: number, ctx: LineContext, out: Hit[]): void {
  const found: Assignment[] = [];
  const push = (name: string, v: { start: number; end: number; quoted: boolean } | undefined) => {
    if (!v) return;
    if (!v.quoted && !allowUnquoted(ctx, line)) return;
    found.push({ name, value: line.slice(v.start, v.end), start: lineStart + v.start, end: lineStart + v.end, quoted: v.quoted });
  };

  // name <op> value, op one of = : := =>  (not == != <= >= :: ://)
  // The operators in order, found with indexOf (a native search) rather than by reading every character.
  let nextEq = line.indexOf('=');
  let nextColon = line.indexOf(':');
  while (nextEq !== -1 || nextColon !== -1) {
    const i = nextColon === -1 || (nextEq !== -1 && nextEq < nextColon) ? nextEq : nextColon;
    const ch = line[i];
    if (i === nextEq) nextEq = line.indexOf('=', i + 1);
    else nextColon = line.indexOf(':', i + 1);
    const next = line[i + 1];
    const prev = line[i - 1];
    let opEnd = i + 1;
    if (ch === '=') {
      if (next === '=' || prev === '=' || prev === '!' || prev === '<' || prev === '>' || prev === ':') continue;
      if (next === '>') opEnd++;
    } else {
      if (next === ':' || prev === ':' || next === '/') continue;
      if (next === '=') opEnd++;
    }
    const n = nameBefore(line, i);
    if (!n || !wantedName(n.name)) continue;
    let at = skipBlanks(line, opEnd);
    // Type annotations: `password: str = "x"`, `apiKey: string = '...'`.
    if (ch === ':' && opEnd === i + 1) {
      for (const t of TYPE_WORDS) {
        if (line.startsWith(t, at) && !isIdentChar(line.charCodeAt(at + t.length))) {
          const after = skipBlanks(line, at + t.length);
          if (line[after] === '=' && line[after + 1] !== '=') at = skipBlanks(line, after + 1);
          break;
        }
      }
    }
    push(n.name, readValue(line, at));
  }

  // Bicep: param name type = 'value'
  if (ctx.fileKind === 'bicep' || ctx.fileKind === 'bicepparam') {
    const t = line.trimStart();
    if (t.startsWith('param ')) {
      const words = t.slice(6).trimStart();
      const nameEnd = runEnd(words, 0, isIdentChar, 100);
      const name = words.slice(0, nameEnd);
      const eq = line.indexOf('=', line.length - t.length + 6 + nameEnd);
      if (name && eq !== -1 && wantedName(name)) push(name, readValue(line, skipBlanks(line, eq + 1)));
    }
  }

  // Command-line flags: --password "x", -p 'x'
  for (let i = line.indexOf('-'); i !== -1; i = line.indexOf('-', i + 1)) {
    if (i > 0 && (isIdentChar(line.charCodeAt(i - 1)) || line[i - 1] === '-')) continue;
    const s = line[i + 1] === '-' ? i + 2 : i + 1;
    const e = runEnd(line, s, (c) => isAlnum(c) || c === 95 || c === 45, 60);
    if (e === s || !isBlank(line.charCodeAt(e))) continue;
    const v = skipBlanks(line, e);
    if (!QUOTE.includes(line[v] ?? '\u0000')) continue;
    const name = line.slice(s, e);
    if (wantedName(name)) push(name, readValue(line, v));
  }

  // PHP: define('AUTH_KEY', '...'); WordPress keys and salts are secrets whatever their name says.
  for (let i = line.indexOf('define'); i !== -1; i = line.indexOf('define', i + 6)) {
    if (i > 0 && isIdentChar(line.charCodeAt(i - 1))) continue;
    const open = skipBlanks(line, i + 6);
    if (line[open] !== '(') continue;
    const n = readValue(line, skipBlanks(line, open + 1));
    if (!n?.quoted) continue;
    const comma = skipBlanks(line, n.end + 1);
    if (line[comma] !== ',') continue;
    const v = readValue(line, skipBlanks(line, comma + 1));
    const name = line.slice(n.start, n.end);
    if (!v?.quoted) continue;
    if (WORDPRESS_KEY.test(name)) {
      const value = line.slice(v.start, v.end);
      if (value.length >= 32 && !isPlaceholder(value) && shannonEntropy(value) >= 4) {
        out.push({ ruleId: RULE.generic, start: lineStart + v.start, end: lineStart + v.end, secret: value, kind: 'WordPress authentication key or salt' });
      }
    } else if (wantedName(name)) push(name, v);
  }

  // XML: <add key="Name" value="..."/>, <setting name="Name" value="..."/>, <Password>...</Password>
  if (line.indexOf('value') !== -1) {
    XML_ADD.lastIndex = 0;
    for (let m = XML_ADD.exec(line); m; m = XML_ADD.exec(line)) {
      if (m.index > 0 && isIdentChar(line.charCodeAt(m.index - 1))) continue;
      const vs = m.index + m[0].length;
      const ve = line.indexOf('"', vs);
      if (ve > vs) found.push({ name: m[1], value: line.slice(vs, ve), start: lineStart + vs, end: lineStart + ve, quoted: true });
    }
  }
  if (line.indexOf('</') !== -1) {
    XML_ELEMENT.lastIndex = 0;
    for (let m = XML_ELEMENT.exec(line); m; m = XML_ELEMENT.exec(line)) {
      if (m[1] !== m[3] || !wantedName(m[1])) continue;
      const vs = m.index + m[1].length + 2;
      found.push({ name: m[1], value: m[2], start: lineStart + vs, end: lineStart + vs + m[2].length, quoted: true });
    }
  }
  const comment = found.length > 0 && isCommentLine(line);
  for (const a of found) {
    if (isNonSecretName(a.name)) continue;
    const h = judgeAssignment(a, ctx);
    // Commented-out code and documentation comments hold examples: only key-shaped values are worth a finding there.
    if (h && !(comment && h.ruleId === RULE.generic)) out.push(h);
  }
}

const COMMENT_STARTS = ['//', '#', '/*', '*', '<!--', '-- ', ';', 'REM ', 'rem '];

/** The line is a comment in most languages (// # /* * <!-- -- ; REM); not a `--flag` line. */
export function isCommentLine(line: string): boolean {
  const i = runEnd(line, 0, isBlank);
  return COMMENT_STARTS.some((c) => line.startsWith(c, i));
}

const NAME_ANCHORS = ['pass', 'pwd', 'secret', 'key', 'token', 'credential', 'auth', 'sas', 'signature', '_pat', 'pat_', 'personal', 'devops', 'vsts', '_salt'];

const random = { fake: 'password' };
// Public sample passwords from Azure quickstarts, written in pieces.
const jumpbox = { pieces: ['Jumpbox', 'AdminP@ss', 'w0rd1234!'] };
const dollarSample = { pieces: ['P@$$', 'w0rd', '1234!'] };
const plainSample = { pieces: ['Pass', 'word', '1234!'] };
const WEAK = 'Sample or weak password';

export const genericPasswordRule: SecretRule = {
  meta: {
    id: RULE.generic,
    title: 'Hard-coded password or secret',
    tag: 'secret',
    severity: 'hint',
    confidence: 'low',
    description: 'A password, secret or token setting holds a literal random-looking value; if it is real, move it to Key Vault or user secrets.',
  },
  priority: 10,
  lineDetectors: [
    // The words of the secret, key and Azure DevOps names (negatives.ts SECRET_NAME, KEY_NAME; ADO_NAME) as they
    // stand in a name, and '_salt' for WordPress salts. It also reports key-shaped values (SECRET-AZURE-KEY-SETTING),
    // PATs by name (SECRET-AZURE-DEVOPS-PAT) and npm tokens (SECRET-THIRD-PARTY-TOKEN): one judgement of the name decides.
    { name: 'named values', detect: scanLineAssignments, namedValues: true, anchors: NAME_ANCHORS },
  ],
  patterns: [AZURE_NAME, ALNUM_NAME, WORDPRESS_KEY, ACCOUNT_KEY, KEY_44, BASE64_KEY, HEX_32, ADO_PAT, ADO_NAME, XML_ADD, XML_ELEMENT, UNQUOTED_LINE],
  examples: {
    positives: [
      { name: '.env DB_PASSWORD', file: '.env', text: 'DB_HOST=db\nDB_PASSWORD={secret}\n', secret: random, kind: 'Password' },
      { name: 'Python password literal', file: 'db.py', text: 'password = "{secret}"\n', secret: random },
      { name: 'C# const ApiKey', file: 'Keys.cs', text: 'private const string ApiKey = "{secret}";\n', secret: random, kind: 'API key' },
      { name: 'YAML compose POSTGRES_PASSWORD', file: 'docker-compose.yml', text: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {secret}\n', secret: random },
      { name: 'Bicep param default: a quickstart sample password', file: 'jumpbox.bicep', text: "param adminPassword string = '{secret}'\n", secret: jumpbox, kind: WEAK },
      { name: 'Terraform example adminPassword with $$', file: 'main.tf', text: 'locals {\n  adminPassword = "{secret}"\n}\n', secret: dollarSample, kind: WEAK },
      { name: 'Password1234! is treated like P@ssw0rd1234!', file: 'main.tf', text: 'admin_password = "{secret}"\n', secret: plainSample, kind: WEAK },
      { name: 'unquoted export in an extension-less .bash_profile', file: 'home/.bash_profile', text: 'export PATH=$HOME/bin:$PATH\nexport DB_PASSWORD={secret}\n', secret: random },
      { name: 'unquoted value in a .credentials dotfile', file: 'home/.credentials', text: '[default]\npassword={secret}\n', secret: random },
      { name: 'AWS-style credentials file without extension', file: 'home/.aws/credentials', text: '[default]\nclient_secret = {secret}\n', secret: random },
      { name: 'MongoDB URI with a test-looking password (a sample, at hint level)', file: 'app.js', text: 'const url = "mongodb://admin:{secret}@mongo.contoso.net:27017/db";\n', secret: { pieces: ['test', 'pass', 'word'] }, kind: WEAK },
      { name: 'connection string with a sample password (hint, not an error)', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Db": "Server=tcp:sql.contoso.net;Database=app;User ID=app;Password={secret};" } }', secret: dollarSample, kind: WEAK },
      { name: 'PHP WordPress AUTH_KEY', file: 'wp-config.php', text: "<?php\ndefine('AUTH_KEY',         '{secret}');\n", secret: { pieces: ['q7^Kz!u;L@9pQ2x#', 'vB8nM4wT6yR1eH0jF5', '}3Zs&k+Wd8Gh'] }, kind: 'WordPress authentication key or salt' },
      { name: 'PHP WordPress NONCE_SALT', file: 'wp-config.php', text: "define( 'NONCE_SALT', '{secret}' );\n", secret: { pieces: ['e5:RZ8p]L3+x^c7N!d1B', 'q@w9Tz#4Yk6VhG2', 'a,Pm0X|r'] } },
    ],
    negatives: [
      { name: 'Razor writes server values into the page', file: 'Pages/Index.cshtml', text: "let dlToken = '@ViewData[\"DirectLineToken\"]';\nvar apiKey = \"@Model.SpeechApiKey\";\nconst token = '@(Model.Token)';\n" },
      { name: 'Cosmos DB session tokens (log sequence numbers, not credentials)', file: 'SessionTokenTests.cs', text: 'string sessionToken = "1#foo#1=20#2=5#3=30";\nconst string expectedToken = "0:1#9#4=8#5=7";\nrequest.Headers["x-ms-session-token"] = "range_0:1#9#4=8#5=7";\nstring newTokenWithRegionalLsn = "0:-1#12345#Region1=1#Region2=2";\n' },
      { name: 'dependency constraints under a package name holding "token"', file: 'poetry.lock', text: '[package.dependencies]\nopenai = ">=1.40.0,<2.0.0"\ntiktoken = ">=0.7,<1"\n' },
      { name: 'an identifier closing a dict in a workflow script', file: '.github/workflows/import-sample-data.yml', text: 'jobs:\n  load:\n    steps:\n      - run: |\n          HEADERS = {"Content-Type": "application/json", "api-key": AZURE_SEARCH_KEY}\n' },
      { name: 'a documentation JWT under a token name (SECRET-JWT judges JWTs)', file: 'test/testdata.js', text: 'module.exports = { valid_jwt: { token: "{secret}" } };\n', secret: { fake: 'jwt-published-key', seed: 2 } },
      { name: 'base64 of a word (foobar) under a key name', file: 'tests/unit/iothub/client_fixtures.py', text: 'shared_access_key = "Zm9vYmFy"\nclient_secret = "cGFzc3dvcmQ="\n' },
      { name: 'a sentence in an echo that names a secret', file: '.github/workflows/deploy.yml', text: 'jobs:\n  deploy:\n    steps:\n      - run: |\n          if [ -z "$ACR_NAME" ]; then\n            echo "Missing secret: ACR_NAME" && exit 1\n          fi\n' },
      { name: 'an unquoted <placeholder with spaces> in an .env sample', file: 'e2e_tests/.env.sample', text: 'TEST_WORKSPACE_APP_SECRET=<workspace app registration client secret>\n' },
      { name: 'checkstyle token types', file: '.github/linters/checkstyle.xml', text: '<module name="NoWhitespaceAfter">\n  <property name="tokens" value="INC,DEC,UNARY_MINUS,UNARY_PLUS,BNOT,LNOT,DOT,ARRAY_DECLARATOR,INDEX_OP"/>\n</module>\n' },
      { name: 'the name of a SecretProviderClass', file: 'examples/pod.yaml', text: 'spec:\n  volumes:\n    - name: secrets-store-inline\n      csi:\n        driver: secrets-store.csi.k8s.io\n        volumeAttributes:\n          secretProviderClass: "azure-kvname-idb"\n' },
      { name: 'role definition ids under role names that say "Secret"', file: 'roleAssignments/deploy.bicep', text: "var builtInRoleNames = {\n  'Azure Front Door Secret Contributor': '/providers/Microsoft.Authorization/roleDefinitions/3f2eb865-5811-4578-b90a-6fc6fa0df8e5'\n  'Key Vault Secrets User': subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')\n}\n" },
      { name: 'a ternary between two paths, and a URN', file: 'client_credential_core.cpp', text: 'requestUrl.AppendPath(TenantIdResolver::IsAdfs(tenantId) ? "oauth2/token" : "oauth2/v2.0/token");\n' },
      { name: 'an OAuth grant type URN in a recording', file: 'testdata/AcquireTokenVCR.yaml', text: 'form:\n  grant_type:\n    - urn:ietf:params:oauth:grant-type:saml1_1-bearer\n' },
      { name: 'an unsigned JWT (empty signature) in a token parser test', file: 'TokenParserTests.java', text: 'String rawToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJza3lwZWlkIjoic3Bvb2w6bXktcmVzb3VyY2UtaWRfYWJjZGVmLTAxMjM0NTY3ODkifQ.";\n' },
      { name: 'a name that says the value is invalid', file: 'tests/Utils/MockCosmosUtil.cs', text: 'public static readonly string RandomInvalidCorrectlyFormatedAuthKey = "{secret}";\n', secret: random },
      { name: 'names that say the value is fake or a mock', file: 'test/setup.js', text: 'const FAKE_API_TOKEN = "{secret}";\nconst mockClientSecret = "{secret}";\n', secret: random },
      // Identifiers and constants in code (about 700 hints on 26,000 files of popular npm packages).
      { name: 'method name under a token-ish key', file: 'msal.js', text: 'const token = "acquireTokenByRefreshToken";\nconst api = { refreshToken: "acquireTokenByRefreshToken" };\n' },
      { name: 'error code', file: 'auth.js', text: 'const PASSWORD_REUSED = "password_recently_used";\nerr = { password: "password_recently_used" };\n' },
      { name: 'kebab-case header name', file: 'lock.ts', text: 'const lockToken = "lock-token";\n' },
      { name: 'UPPER_CASE constant name', file: 'scopes.py', text: 'token = "AZURE_FINETUNING_TOKEN_SCOPE"\nTOKEN_SCOPE = "AZURE_FINETUNING_TOKEN_SCOPE"\n' },
      { name: 'a word', file: 'Auth.cs', text: 'public const string AuthSecret = "Authentication";\nvar clientSecret = "Disabled";\n' },
      { name: 'paging token name', file: 'pager.ts', text: 'const nextPageToken = "next-page";\n' },
      { name: 'PascalCase name', file: 'Options.cs', text: 'const string CredentialSecret = "AzureIdentity";\n' },
      { name: "Python constant 'RES_TYPE'", file: 'types.py', text: "secret = 'RES_TYPE'\n" },
      { name: 'Bicep param default that is a word', file: 'kv.bicep', text: "param secretState string = 'Disabled'\n" },
      { name: 'PowerShell expression in a pipeline', file: 'pipeline.yml', text: 'steps:\n- pwsh: |\n    $secret = Get-AzKeyVaultSecret -VaultName $keyVaultName -Name db\n  password: Get-AzKeyVaultSecret -VaultName $keyVaultName\n' },
      // Names, not values.
      { name: 'Kafka binding: password names an app setting', file: 'function.json', text: '{ "bindings": [ { "type": "kafkaTrigger", "username": "$ConnectionString", "password": "EventHubConnectionString" } ] }' },
      { name: 'SendGrid binding: apiKey names an app setting', file: 'function.json', text: '{ "bindings": [ { "type": "sendGrid", "apiKey": "MySendGridKey" } ] }' },
      { name: 'constant whose value is its own identifier', file: 'Constants.cs', text: 'public const string KeyVaultClientSecret = "AzureWebJobsSecretStorageKeyVaultClientSecret";\n' },
      { name: 'dotted metric name', file: 'Metrics.cs', text: 'const string TokenSecret = "azure.identity.token.acquired";\n' },
      { name: 'type name', file: 'Reg.cs', text: 'var token = "CancellationTokenRegistration";\n' },
      { name: 'Key Vault secret names', file: 'main.bicep', text: "param clientSecret string = 'kv-app-client-secret'\nvar dbPassword = keyVault.getSecret('sql-admin-password')\n" },
      { name: 'environment-variable name', file: 'cfg.ts', text: "const secret = 'AZURE_CLIENT_SECRET';\nconst password: string = 'DB_PASSWORD';\n" },
      { name: 'path, MIME type and URL without credentials', file: 'cfg.js', text: 'const secretFile = "/etc/secrets/db-password.txt";\nconst tokenType = "application/json";\nconst token = "https://login.microsoftonline.com/common/oauth2/v2.0/token";\n' },
      // Shapes from the real-code benchmark (npm packages and Azure repositories).
      { name: 'msal constants that name themselves', file: 'perf.js', text: 'AcquireTokenByRefreshToken = "acquireTokenByRefreshToken",\nREFRESH_TOKEN = "refresh_token";\nconst badToken = "bad_token";\n' },
      { name: 'AWS SDK doc comment placeholder', file: 'client.d.ts', text: ' * // SecretAccessKey: "STRING_VALUE", // required\n *   NextToken: "STRING_VALUE",\n' },
      { name: 'app-setting names in C# and Terraform', file: 'Names.cs', text: 'AppInsightsQuickPulseAuthApiKey = "APPINSIGHTS_QUICKPULSEAUTHAPIKEY";\napi_token_var = "AZURE_STATIC_WEB_APPS_API_TOKEN"\n' },
      { name: 'event, metric and error-code names', file: 'events.js', text: 'const e = { acquireTokenSuccess: "msal:acquireTokenSuccess", secrets: "host.secrets.nonidentifiable", tokens: "gen_ai.usage.input_tokens", passwordCheck: "aspnetcore.identity.password_check_result", credentials: "container.credentials", token: "TOKEN_EXPIRED" };\npublic const string NonHISSecretLoaded = "AZFD0012";\n' },
      { name: 'routes and paths', file: 'endpoints.ts', text: 'export const SIGNIN_TOKEN = "/oauth2/v2.0/token";\nexport const RESET_PWD_SUBMIT = "/resetpassword/v1.0/submit";\nconst secretsPath = "/run/secrets/functions-keys";\nconst LinuxEncryptedTokenServiceSpecializationStem = "/api/specialize?api-version=2021-01-01";\n' },
      { name: 'header names with product names', file: 'constants.js', text: 'const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-Token";\nconst h = { token: "X-Amz-Security-Token" };\n' },
      { name: 'shell and PowerShell variables inside the value', file: 'Invoke-DevOpsAPI.ps1', text: '$unencodedAuthToken = "nobody:$AuthToken"\n$password = "$ResourceGroupName/$KeyVaultName/$CertSecretName"\n' },
      { name: 'Azure Pipelines logging command', file: 'sparse-checkout.yml', text: '      Write-Host "##vso[task.setvariable variable=_base64AuthToken;issecret=true;]$base64Token"\n' },
      { name: 'dependency version under a credential-provider package name', file: 'package.json', text: '{ "dependencies": { "@aws-sdk/credential-provider-env": "^3.972.86", "@aws-sdk/credential-provider-process": "~3.972.0" } }' },
      { name: 'paging and lock tokens', file: 's3.test.js', text: 'NextContinuationToken: "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==",\nconst headers = { \'Lock-Token\': \'urn:uuid:a515cfa4-5da4-22e1-f5bf-00ab0d1c2db8\' };\n' },
      { name: 'a piece of code inside a string', file: 'http.test.js', text: "t.equal(auth, `Basic ${Buffer.from('username_with_=:password_with_=').toString('base64')}`)\n" },
      { name: 'JSON fragment in a recorded HTTP body', file: 'recording.yaml', text: '      body: \'{"properties":{"disableLocalAuth":false,"allowCredentials":{"type":"boolean"}}}\'\n' },
      { name: 'bare JWT header in a sanitizer test', file: 'sanitizer_test.go', text: 'input:    `{"token": "eyJhbGciOiJSUzI1NiJ9"}`,\n' },
      { name: 'short made-up token in a README', file: 'README.md', text: "findMyWay.on('GET', '/test/hello', () => {}, { token: 'df123-4567' })\n" },
      { name: 'sample password in a module README', file: 'modules/mysql/README.md', text: "    administratorLoginPassword: '{secret}'\n", secret: { pieces: ['test', 'Password', '123!'] } },
      // Loose key matching.
      { name: 'Windows unattend pass="oobeSystem"', file: 'unattend.xml', text: '<settings pass="oobeSystem">\n</settings>\n' },
      { name: 'HCL pass = "oobeSystem"', file: 'vm.tf', text: 'pass = "oobeSystem"\n' },
      { name: 'docker build --secret option list', file: 'build.sh', text: 'docker build --secret "id=npmrc,src=$HOME/.npmrc" .\n' },
      // Commented-out code and documentation placeholders.
      { name: 'commented-out assignment', file: 'db.js', text: '// const password = "{secret}";\n', secret: random },
      { name: 'commented-out .env line', file: '.env', text: '# DB_PASSWORD={secret}\n', secret: random },
      { name: 'README placeholder sentence', file: 'README.md', text: 'password: "Change this password"\n' },
      { name: 'WordPress placeholder salt', file: 'wp-config-sample.php', text: "define( 'AUTH_KEY', 'put your unique phrase here' );\n" },
      { name: 'password word plus digits only', file: 'settings.json', text: '{ "password": "Password123", "adminPassword": "Test1234" }' },
      { name: 'code expressions in YAML and .env', file: 'config.yml', text: 'password: credentials.password\nsecret: getSecret()\n' },
    ],
  },
};
