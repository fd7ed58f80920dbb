// Values that look like secrets but are not: references to a secret store or a variable, placeholders,
// public development keys, identifiers, hashes, public keys, embedded images.

import { sha256Hex } from '../../hash';
import { charClasses, decodeBase64, runEnd, shannonEntropy } from './encoding';

// References: Key Vault / App Configuration, pipeline and shell variables, templating, ARM/Bicep expressions.
const REFERENCE_LITERALS = [
  '@Microsoft.KeyVault(', '@Microsoft.AppConfiguration(', '${', '$(', '$env:', 'process.env', 'os.environ', 'os.getenv', 'getenv(',
  'GetEnvironmentVariable', 'Configuration[', '{{', '#{', 'listKeys(', 'listSecrets(', 'parameters(', 'variables(', 'reference(',
  'secretRef', 'valueFrom', 'keyVaultReference', 'System.getenv', 'ENV[', 'ENV.fetch',
];
const IDENT_ONLY = /^[A-Za-z0-9_.-]*$/;
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TF_REFERENCE = /^(?:var|local|module|data)\.[A-Za-z_][A-Za-z0-9_.]*$/;
// Razor (.cshtml, .razor) writes server values into the page: '@ViewData["Token"]', "@Model.ApiKey", '@(token)'.
const RAZOR_EXPRESSION = /^@(?:\(|[A-Za-z_][A-Za-z0-9_]{0,64}[.[(])/;

/** Whole-value references: __TOKEN__, %VAR%, $VAR, [ARM expression], Terraform var./local./module./data., Razor @Model.X. */
function isWholeReference(v: string): boolean {
  if (v.length > 4 && v.startsWith('__') && v.endsWith('__')) return IDENT_ONLY.test(v);
  if (v.length > 2 && v[0] === '%' && v.endsWith('%')) return VAR_NAME.test(v.slice(1, -1));
  if (v.length > 1 && v[0] === '$') return VAR_NAME.test(v.slice(1));
  if (v.length > 2 && v[0] === '@' && RAZOR_EXPRESSION.test(v)) return true;
  if (v.length > 2 && v[0] === '[' && v[1] !== '[' && v.endsWith(']')) return true;
  return TF_REFERENCE.test(v);
}

/** The value points at a secret instead of holding one. */
export function isReference(value: string): boolean {
  for (const lit of REFERENCE_LITERALS) if (value.indexOf(lit) !== -1) return true;
  return isWholeReference(value);
}

const PLACEHOLDER_EXACT = new Set([
  'password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'key', 'changeme', 'change_me', 'changeit', 'replace_me', 'replaceme', 'todo', 'tbd', 'fixme',
  'none', 'null', 'undefined', 'nil', 'empty', 'placeholder', 'example', 'sample', 'dummy', 'test', 'testing', 'default', 'redacted', 'removed', 'hidden',
  'secret123', 'password123', 'mypassword', 'yourpassword', 'notasecret', 'not-a-secret', 'not_a_secret', 'pass', 'admin', 'root', 'guest', 'user',
  'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$word', 'p@$$w0rd', 'welcome', 'letmein', 'qwerty', 'demo', 'pwd',
]);

/** Substrings that only placeholders contain (checked on the lower-cased value). */
const PLACEHOLDER_PARTS = [
  'xxxx', '****', '...', '•••', '____', '####', '00000000', '1234567', 'abcdef', 'replace', 'changeme', 'change_me', 'change-me', 'changethis',
  'change_this', 'insert_', 'insert-', 'insertyour', 'put_your', 'put-your', 'putyour', 'enter_your', 'enter-your', 'enteryour', 'placeholder',
  'redacted', 'dummy', 'sample', 'example', 'goes_here', 'goes-here', 'goeshere', 'key_here', 'key-here', 'keyhere', 'secret_here', 'secret-here',
  'password_here', 'password-here', 'token_here', 'token-here', 'not-a-real', 'not_a_real', 'notreal', 'fake_', 'fake-',
  'unique phrase', 'change this', 'change it', 'your own', 'put your',
];
const YOUR_WORDS = ['key', 'password', 'secret', 'token', 'pass', 'pwd', 'access', 'client', 'account', 'connection', 'sas', 'value', 'storage', 'app', 'own'];

function hasPlaceholderShape(v: string): boolean {
  if ((v[0] === '<' && v.endsWith('>')) || (v[0] === '{' && v.endsWith('}')) || (v[0] === '[' && v.endsWith(']'))) return true;
  const lower = v.toLowerCase();
  for (const p of PLACEHOLDER_PARTS) if (lower.includes(p)) return true;
  const your = lower.indexOf('your');
  if (your !== -1) {
    const rest = lower.slice(your + 4, your + 24);
    if (YOUR_WORDS.some((w) => rest.includes(w))) return true;
  }
  let cut = lower.length;
  while (cut > 0 && '-_ .0123456789'.includes(lower[cut - 1])) cut--;
  const stem = lower.slice(0, cut);
  return stem.length < lower.length && PLACEHOLDER_EXACT.has(stem);
}

// Words that mark a value as made up when it is also low in entropy. Dictionary password words (password,
// P@ssw0rd, admin, welcome, test) are not here: a value built on them is a weak but deployable password
// (see isWeakPassword), unless it is nothing but the word and digits ('Password123', 'Test1234').
const WEAK_WORDS = /example|sample|dummy|fake|changeme|placeholder|foobar|lorem|12345|abcde/i;

/** Placeholder or obviously fake: '<your-key>', 'xxxx', 'changeme', '***', 'REPLACE_ME', low-entropy sample words. */
/**
 * A key that was typed, not generated: documentation "anonymises" real-looking keys by writing keyboard rows into
 * them (SharedAccessKey=Nbaz0D42MT7qwerty6D/...). A random base64 key holds a given six-letter row with a
 * probability of about 1 in 10^7, so this is only asked of machine-generated shapes (keys), never of passwords,
 * which people do build on keyboard rows.
 */
const KEYBOARD_ROWS = ['qwerty', 'asdfgh', 'zxcvbn', 'azerty', 'qwertz'];
export function isHandTypedKey(value: string): boolean {
  const lower = value.toLowerCase();
  return KEYBOARD_ROWS.some((row) => lower.includes(row));
}

const BASE64_TEXT = /^[A-Za-z0-9+/]{8,64}={0,2}$/;

/**
 * Base64 of a word or a placeholder: shared_access_key = "Zm9vYmFy" ("foobar"), "cGFzc3dvcmQ=" ("password"). A real
 * key decodes to random bytes, never to printable text.
 */
function encodesPlaceholder(v: string): boolean {
  if (v.length % 4 !== 0 || !BASE64_TEXT.test(v)) return false;
  const bytes = decodeBase64(v);
  if (!bytes || bytes.length === 0) return false;
  let text = '';
  for (const b of bytes) {
    if (b < 32 || b > 126) return false;
    text += String.fromCharCode(b);
  }
  return WORD.test(text) || isPlaceholder(text);
}

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_EXACT.has(v.toLowerCase())) return true;
  if (hasPlaceholderShape(v)) return true;
  // A single repeated character or a very small alphabet.
  if (new Set(v).size <= 3) return true;
  if (encodesPlaceholder(v)) return true;
  if (WEAK_WORDS.test(v) && shannonEntropy(v) < 3.6) return true;
  return false;
}

// Well-known public development keys, recognised by SHA-256 so the repository never holds them:
// the Azurite / Storage Emulator account key and the Azure Cosmos DB Emulator key.
const PUBLIC_DEV_KEY_HASHES = new Set([
  '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059', // Azurite devstoreaccount1 key
  'aa6547439583c3a275d4542a0df6c1ad6a863971be9f2a2220f027cc02aef615', // Cosmos DB Emulator key
]);

export function isPublicDevKey(value: string): boolean {
  if (value.length !== 88) return false;
  return PUBLIC_DEV_KEY_HASHES.has(sha256Hex(value));
}

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

const HEX = /^[0-9a-fA-F]+$/;
export function isHex(value: string): boolean {
  return HEX.test(value);
}

/** Content that is public by nature: public keys, integrity hashes, data URIs, embedded images, plain URLs. */
const PUBLIC_PREFIXES = ['ssh-rsa', 'ssh-dss', 'ssh-ed25519', 'ecdsa-sha2-', 'sk-ssh-', 'sk-ecdsa-', 'sha1-', 'sha256-', 'sha384-', 'sha512-', 'data:', 'iVBORw0KGgo', '/9j/', 'R0lGOD', 'UklGR', 'PHN2Zy', 'PD94bWwg', 'Qk0'];
const PUBLIC_BLOCKS = ['-----BEGIN PUBLIC KEY', '-----BEGIN CERTIFICATE', '-----BEGIN RSA PUBLIC KEY', '-----BEGIN SSH2 PUBLIC KEY', '-----BEGIN PGP PUBLIC', '-----BEGIN X509 CRL'];
export function isPublicContent(value: string): boolean {
  return PUBLIC_PREFIXES.some((p) => value.startsWith(p)) || PUBLIC_BLOCKS.some((p) => value.includes(p));
}

// Setting names that hold identifiers or metadata, never secrets (matched on the normalised name: lower case,
// separators removed): ClientId, TenantId, InstrumentationKey, UserSecretsId, thumbprint, KeyVaultName, ...
const NON_SECRET_SUFFIXES = [
  'id', 'ids', 'name', 'names', 'uri', 'url', 'urls', 'path', 'file', 'ref', 'reference', 'version', 'type', 'size', 'length', 'format',
  'algorithm', 'expiry', 'expiration', 'expires', 'expiresin', 'lifetime', 'policy', 'provider', 'source', 'endpoint', 'issuer', 'audience',
  'header', 'prefix', 'location', 'mode', 'kind', 'store', 'vault', 'hint', 'label', 'field', 'rotation', 'count', 'hash', 'salt', 'identifier',
  'thumbprint', 'checksum', 'digest', 'integrity', 'sha1', 'sha256', 'sha384', 'sha512', 'md5', 'etag', 'fingerprint', 'enabled', 'required',
  'timeout', 'regex', 'pattern', 'template', 'description', 'placeholder', 'validation', 'strength', 'minlength', 'maxlength', 'complexity',
  // Azure AD B2C user flows and OAuth flows are named: RESETPASSWORD_USER_FLOW=B2C_1_reset.
  'flow',
  // Kubernetes objects named in a manifest: secretProviderClass: "azure-kvname" (the Secrets Store CSI driver).
  'class',
];
const NON_SECRET_PARTS = [
  'instrumentationkey', 'usersecretsid', 'thumbprint', 'publickey', 'pubkey', 'partitionkey', 'rowkey', 'sortkey', 'primarykeyname', 'foreignkey',
  'uniquekey', 'shardingkey', 'routingkey', 'idempotencykey', 'cachekey', 'lookupkey', 'dedupkey', 'hashkey', 'signingkeyid',
  'tokenizer', 'tokencount', 'tokenlimit', 'maxtokens', 'tokensmax', 'tokenbudget', 'tokenusage', 'keyboard', 'keyword', 'keystroke', 'keypress',
  'keydown', 'keyup', 'monkey', 'turkey', 'donkey', 'hockey', 'jockey', 'whiskey', 'passthrough', 'passenger', 'bypass', 'compass', 'passive',
  'secretary', 'passport', 'tokentype', 'authority', 'authmode', 'authtype', 'authscheme',
  // Names that say the value is not the real one: RandomInvalidCorrectlyFormatedAuthKey, FAKE_TOKEN, mockSecret.
  'invalid', 'fake', 'dummy', 'mock', 'bogus',
  // Paging, lock and cancellation tokens are state, not credentials.
  'continuationtoken', 'nexttoken', 'pagetoken', 'paginationtoken', 'synctoken', 'resumetoken', 'skiptoken', 'cancellationtoken', 'locktoken',
];

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Flags about a secret, not the secret: isSecret, hasPassword, useToken, requirePassword. */
const FLAG_NAME = /^(?:is|has|use|uses|enable|enabled|disable|allow|require|requires|show|skip|no)(?:secret|password|passwd|pwd|token|credential|apikey|auth)/;

export function isNonSecretName(name: string): boolean {
  return isNonSecretNormalised(normaliseName(name));
}

function isNonSecretNormalised(n: string): boolean {
  if (FLAG_NAME.test(n)) return true;
  for (const p of NON_SECRET_PARTS) if (n.includes(p)) return true;
  for (const x of NON_SECRET_SUFFIXES) if (n.endsWith(x) && n.length > x.length) return true;
  return n === 'id' || n === 'key' || n === 'name';
}

/** Password-like or secret-like name for the generic rule. */
const SECRET_NAME = /password|passwd|passphrase|pwd|secret|apikey|accesskey|privatekey|signingkey|masterkey|authkey|token|credential|auth$|sas$|saskey|^pass$/;
export function isSecretName(name: string): boolean {
  const n = normaliseName(name);
  return n.length > 0 && SECRET_NAME.test(n) && !isNonSecretName(name);
}

/** Key-like name for Azure key shapes: ends with key/keys or names a known key setting. */
// A bare `signature` is a computed HMAC (tests of signing code, webhook checks), not a key: only a shared access one is.
const KEY_NAME = /key$|keys$|key[0-9]$|apikey|accesskey|accountkey|primarykey|secondarykey|masterkey|subscriptionkey|functionkey|hostkey|adminkey|querykey|authkey|sas$|saskey|accesssignature|sassignature/;
export function isKeyName(name: string): boolean {
  const n = normaliseName(name);
  return KEY_NAME.test(n) && !isNonSecretName(name);
}

/** isKeyName(name) || isSecretName(name), normalising the name and judging it non-secret once. */
export function isKeyOrSecretName(name: string): boolean {
  const n = normaliseName(name);
  return (KEY_NAME.test(n) || (n.length > 0 && SECRET_NAME.test(n))) && !isNonSecretNormalised(n);
}

/** Strict randomness test for the generic rule: long enough, mixed characters, high entropy, no placeholder. */
export function looksRandom(value: string, minLength = 8): boolean {
  if (value.length < minLength || value.length > 512) return false;
  if (isPlaceholder(value) || isReference(value) || isGuid(value) || isPublicContent(value)) return false;
  if (/\s/.test(value)) return false;
  const h = shannonEntropy(value);
  const classes = charClasses(value);
  if (classes < 2) return false;
  if (value.length < 12) return h >= 2.75 && classes >= 2;
  if (value.length < 20) return h >= 3.0;
  return h >= 3.3;
}

// ---- Literal shape: is this value a secret, or a name, a word, a path, an expression? ----

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Characters that separate the words of a name, a path, a pattern or a sentence: _ . - / \\ : + * space. */
const isNameSeparator = (c: number) => c === 95 || c === 46 || c === 45 || c === 47 || c === 92 || c === 58 || c === 43 || c === 42 || c === 32;
const VOWELS = 'aeiouyAEIOUY';

// Letter pairs common in English identifiers: row = first letter a..z, the letters that may follow it. Derived
// from the identifiers of the TypeScript, Node.js and VS Code API declarations and the Azure SDK typings (pairs above 2 per 100,000).
// Random letters hit a pair outside this table every second or third pair; names seldom do.
const COMMON_PAIRS: readonly string[] = [
  'abcdefgiklmnprstuvwxyz',
  'acegijkloprstuvy',
  'acdehiklmoprstuy',
  'abcdefgiklmnoprstuy',
  'abcdefghijlmnopqrstuvwxy',
  'acefilnorstuxy',
  'abefghilmnorstuy',
  'aeilmorstuy',
  'abcdefgiklmnopqrstuvxz',
  'aeosu',
  'abcdefilnpsu',
  'abcdefgilmoprstuvwy',
  'abdeilmnopstu',
  'acdefghiklmnoprstuvwy',
  'abcdefgiklmnoprstuvwxyz',
  'abdefhiklmoprstuy',
  'u',
  'abcdefgiklmnoprstuvwy',
  'acdefhiklmnoprstuvwy',
  'acdefghilmnoprstuwxy',
  'abcdefgilmnoprstx',
  'aegios',
  'aehilnoprsw',
  'aceimpty',
  'bcefilmnoprstvw',
  'aeilou',
];
const PAIR_TABLE = (() => {
  const t = new Uint8Array(26 * 26);
  COMMON_PAIRS.forEach((row, a) => {
    for (const ch of row) t[a * 26 + ch.charCodeAt(0) - 97] = 1;
  });
  return t;
})();

/** How many letter pairs of s[from, to) are rare in English identifiers. */
function rarePairs(s: string, from: number, to: number): number {
  let rare = 0;
  for (let i = from + 1; i < to; i++) {
    const a = s.charCodeAt(i - 1) | 32;
    const b = s.charCodeAt(i) | 32;
    if (!PAIR_TABLE[(a - 97) * 26 + (b - 97)]) rare++;
  }
  return rare;
}

/** A letter run of 4 or more that reads as a word: a vowel and no run of 5 consonants (Token, FINETUNING), or an acronym (HTTP). */
function isWordLike(s: string, from: number, to: number): boolean {
  let vowels = 0;
  let run = 0;
  let upper = 0;
  for (let i = from; i < to; i++) {
    if (isUpper(s.charCodeAt(i))) upper++;
    if (VOWELS.indexOf(s[i]) !== -1) {
      vowels++;
      run = 0;
    } else if (++run >= 5) return false;
  }
  return vowels > 0 || (upper === to - from && to - from <= 5);
}

const TECH_WORDS = new Set([
  'mysql', 'pgsql', 'psql', 'mssql', 'nosql', 'kafka', 'nginx', 'amqp', 'amqps', 'mqtt', 'grpc', 'wasm', 'msal', 'vnet', 'https', 'smtp', 'smtps', 'sftp',
  'ftps', 'json', 'yaml', 'toml', 'html', 'xhtml', 'webhdfs', 'adls', 'hdfs', 'ldap', 'ldaps', 'saml', 'oidc', 'pkce', 'hmac', 'sha', 'ecdsa', 'rsa',
  'pfx', 'pkcs', 'bcrypt', 'scrypt', 'argon', 'kdf', 'hkdf', 'jwks', 'jwk', 'jwe', 'jws', 'cwd', 'tmp', 'pwd', 'env', 'cfg', 'ctx', 'msg', 'req',
  'res', 'src', 'dst', 'pkg', 'lib', 'dll', 'exe', 'npm', 'pnpm', 'nuget', 'pypi', 'helm', 'kubectl', 'kube', 'aks', 'acr', 'acs', 'apim', 'cdn',
]);
const hasVowel = (s: string, from: number, to: number) => {
  for (let i = from; i < to; i++) if (VOWELS.indexOf(s[i]) !== -1) return true;
  return false;
};
const allUpper = (s: string, from: number, to: number) => {
  for (let i = from; i < to; i++) if (!isUpper(s.charCodeAt(i))) return false;
  return true;
};

/**
 * The value is a name, not a secret: a word, an identifier in any case style (camelCase, PascalCase,
 * snake_case, kebab-case, UPPER_CASE, dotted.names), a path, a MIME type or a sentence. It is split into
 * words at separators, case changes and digit runs. Random strings break into one-letter pieces, many short
 * pieces, several digit runs or letter pairs that English seldom uses (more than 1 in 6); names do not.
 * Measured on random strings: 0 in 5,000 of 18 characters, 1.2% of 12, 3% of 8 read as names.
 */
export function isNameLike(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return false;
  let singles = 0;
  let digits = 0;
  let digitRuns = 0;
  let words = 0;
  let shorts = 0;
  let rare = 0;
  let pairs = 0;
  const start = v.charCodeAt(0) === 64 ? 1 : 0; // @scope/package
  for (let i = start; i < v.length; ) {
    const c = v.charCodeAt(i);
    if (isNameSeparator(c)) {
      i++;
      continue;
    }
    if (isDigit(c)) {
      const e = runEnd(v, i, isDigit);
      digits += e - i;
      digitRuns++;
      i = e;
      continue;
    }
    if (!isLower(c) && !isUpper(c)) return false;
    // One word: an upper-case run (an acronym, or the capital of the next word), then lower-case letters.
    let e = i;
    if (isUpper(c)) {
      e = runEnd(v, i, isUpper);
      // 'HTTPServer': the last capital starts the next word.
      if (e - i > 1 && e < v.length && isLower(v.charCodeAt(e))) e--;
      else if (e - i === 1) e = runEnd(v, e, isLower);
    } else e = runEnd(v, i, isLower);
    // S3, X509, V2: a capital and a number name a product, not a random letter.
    if (e - i === 1) {
      if (!(isUpper(c) && e < v.length && isDigit(v.charCodeAt(e)))) singles++;
    } else {
      if (e - i >= 4) {
        if (!isWordLike(v, i, e)) return false;
        words++;
      } else shorts++;
      // Short acronyms (DB, SQL), two-letter words (my, By, Az) and technical words (mysql, kafka) are not spelled like English.
      const spelled = e - i > 3 || (e - i === 3 && !allUpper(v, i, e)) || (e - i === 2 && !hasVowel(v, i, e) && !allUpper(v, i, e));
      if (spelled && !TECH_WORDS.has(v.slice(i, e).toLowerCase())) {
        rare += rarePairs(v, i, e);
        pairs += e - i - 1;
      }
    }
    i = e;
  }
  // One single letter (getAToken), two in a longer name (X-Amz-S3session-Token).
  const maxSingles = words >= 3 ? 2 : 1;
  return words > 0 && shorts <= words + 1 && singles <= maxSingles && digitRuns <= 1 && digits <= 4 && rare * 6 <= pairs;
}

/** The value is its own key name, or a longer name built on it (KeyVaultClientSecret = "AzureWebJobs...ClientSecret"). */
export function isDerivedFromName(value: string, keyName: string): boolean {
  if (!IDENT_ONLY.test(value)) return false;
  const n = normaliseName(keyName);
  const nv = normaliseName(value);
  if (nv.length < 4 || n.length < 4) return false;
  return nv.includes(n) || n.includes(nv);
}

const OPTION_LIST = /^[A-Za-z_][A-Za-z0-9_]{0,40}=/;
/** Error and event codes: AZFD0012, ERR_404, TLS13. */
const CODE = /^[A-Z]{2,8}[_-]?[0-9]{1,6}$/;
/** A shell, PowerShell or PHP variable inside the value ("$ResourceGroupName/$KeyVaultName", "nobody:$AuthToken"); not the $$ of P@$$w0rd. */
const DOLLAR_VARIABLE = /(?:^|[^$\\])\$[A-Za-z_][A-Za-z0-9_]{2}/;
const CALL_OR_MEMBER = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*(?:\(.*\))?;?$/;

/** Unquoted code, not a literal: a member access or a call (credentials.password, getPassword()). */
export function isExpression(value: string): boolean {
  // A Razor implicit expression ('@GetAntiXsrfToken()', '@Model.Token') is code the view runs, too.
  const code = value[0] === '@' ? value.slice(1) : value;
  return (code.includes('.') || code.includes('(')) && CALL_OR_MEMBER.test(code);
}

const VERSION_SEGMENT = /^v?[0-9]+(?:\.[0-9]+)*$/;
const WORD = /^[a-z]+$/i;

/** A path or route, maybe with a query: /oauth2/v2.0/token, ./dist/index.js, /api/specialize?api-version=2. */
function isPathOrRoute(v: string): boolean {
  if (!(v[0] === '/' || v.startsWith('./') || v.startsWith('../') || v.startsWith('~/'))) return false;
  const q = v.indexOf('?');
  const segments = (q === -1 ? v : v.slice(0, q)).split('/').filter((x) => x !== '' && x !== '.' && x !== '..' && x !== '~');
  // An Azure resource id: /providers/Microsoft.Authorization/roleDefinitions/<guid>, /subscriptions/<guid>/...
  const resourceId = segments[0] === 'providers' || segments[0] === 'subscriptions';
  return segments.length > 0 && segments.every((x) => VERSION_SEGMENT.test(x) || WORD.test(x) || isNameLike(x) || (resourceId && isGuid(x)));
}

/** Version ranges (package.json dependencies under credential-provider-* names): ^3.972.86, ~1.2.0, >=2.0.0-beta.1. */
const VERSION_RANGE = /^(?:[\^~]|[<>]=?|=)?v?[0-9]+\.[0-9x*]+(?:\.[0-9x*]+)?(?:-[0-9A-Za-z.]+)?$/;
/** One clause of a Python (PEP 440, Poetry) or Ruby constraint list: '>=0.7', '<1', '~=1.4', '!=2.0.*'. */
const VERSION_CLAUSE = /^(?:[\^~]|[<>!=~]=?|===?)?[ \t]*v?[0-9]{1,9}(?:\.(?:[0-9]{1,9}|[x*])){0,3}(?:-[0-9A-Za-z.]{1,32})?$/;

/** A version or a list of constraints: '^3.972.86', '>=0.7,<1' (tiktoken = ">=0.7,<1" in poetry.lock). */
function isVersionConstraint(v: string): boolean {
  if (VERSION_RANGE.test(v)) return true;
  const clauses = v.split(',');
  return clauses.length >= 2 && clauses.length <= 6 && clauses.every((c) => VERSION_CLAUSE.test(c.trim()));
}

/** A piece of code cut out of a line: ').toString(', 'x).join(', 'foo.bar('. */
const CODE_FRAGMENT = /\)[ \t]*\.|\.[A-Za-z_$][A-Za-z0-9_$]*\(/;

/** A fragment of JSON or markup cut out of a longer line ({"type":..., "a","b"), or a bare JWT header (eyJ... without its parts). */
function isStructured(v: string): boolean {
  if (v[0] === '{' || v[0] === '[' || v.includes('":') || v.includes('","')) return true;
  return v.startsWith('eyJ') && v.indexOf('.') === -1;
}

// Dictionary passwords, also with the usual substitutions (P@ssw0rd, Pa$$word): a value built on one is a
// weak sample password, not a random secret.
const WEAK_PASSWORD_WORDS = ['password', 'passwd', 'admin', 'secret', 'welcome', 'letmein', 'qwerty', 'test', 'demo', 'default', 'changeit'];
const LEET: Record<string, string> = { '@': 'a', $: 's', '0': 'o', '3': 'e', '!': 'i' };

/** Contains a dictionary password word (after undoing @ -> a, $ -> s, 0 -> o, 3 -> e). */
export function hasPasswordWord(value: string): boolean {
  let plain = '';
  for (const ch of value.toLowerCase()) plain += LEET[ch] ?? ch;
  return WEAK_PASSWORD_WORDS.some((w) => plain.includes(w));
}

/** The kind reported for a weak sample password (SECRET-GENERIC-PASSWORD, at its hint level). */
export const WEAK_PASSWORD_KIND = 'Sample or weak password';

/**
 * A Cosmos DB session token: a partition range, a version and log sequence numbers per region
 * ("0:1#9#4=8#5=7", "range_0:-1#2540", "0:-1#12345#Region1=1#Region2=2"). Consistency state that the service hands out, not a credential.
 */
const SESSION_TOKEN_VECTOR = /^(?:\w{1,32}:)?-?\d{1,20}(?:#\w{1,32}(?:=-?\d{1,20})?)+$/;

/** A list of identifiers: checkstyle's tokens="INC,DEC,UNARY_MINUS", scopes, enum names. */
const IDENTIFIER_LIST = /^[A-Za-z_][A-Za-z0-9_]{0,40}(?:,[ \t]?[A-Za-z_][A-Za-z0-9_]{0,40})+$/;

/** What a literal under a secret-like name is. */
export type LiteralShape = 'placeholder' | 'name' | 'weak' | 'random' | 'plain';

/**
 * Classify a literal assigned to a secret-like name (the key name, when known, catches values derived from it):
 *  - placeholder: a reference, a template or an obviously made-up value (never reported);
 *  - name: a word, identifier, path, sentence, option list or code expression (never reported);
 *  - weak: a deployable password built on a dictionary word (P@ssw0rd1234!, Password1234!): at least 8
 *    characters and 3 of lower case, upper case, digits and symbols; reported as a sample password;
 *  - random: random-looking (length, mixed characters, entropy: see looksRandom); reported;
 *  - plain: anything else (too short, too simple); not reported.
 */
export function classifyLiteral(value: string, keyName?: string): LiteralShape {
  const v = value.trim();
  if (v.length === 0 || isReference(v) || isPlaceholder(v) || DOLLAR_VARIABLE.test(v)) return 'placeholder';
  if (isNameLike(v) || CODE.test(v) || isPathOrRoute(v) || OPTION_LIST.test(v) || isExpression(v) || isStructured(v) || isVersionConstraint(v) || CODE_FRAGMENT.test(v) || v.startsWith('urn:')) return 'name';
  if (keyName !== undefined && isDerivedFromName(v, keyName)) return 'name';
  if (v.indexOf('#') !== -1 && SESSION_TOKEN_VECTOR.test(v)) return 'plain';
  if (v.indexOf(',') !== -1 && IDENTIFIER_LIST.test(v)) return 'name';
  if (/\s/.test(v) || isGuid(v) || isPublicContent(v)) return 'plain';
  if (hasPasswordWord(v)) return v.length >= 8 && charClasses(v) >= 3 ? 'weak' : 'plain';
  return looksRandom(v) ? 'random' : 'plain';
}

export const negativePatterns: RegExp[] = [WORD, VERSION_SEGMENT, VERSION_RANGE, CODE_FRAGMENT, FLAG_NAME, CODE, DOLLAR_VARIABLE, OPTION_LIST, CALL_OR_MEMBER, VERSION_CLAUSE, IDENT_ONLY, VAR_NAME, TF_REFERENCE, RAZOR_EXPRESSION, SESSION_TOKEN_VECTOR, IDENTIFIER_LIST, BASE64_TEXT, WEAK_WORDS, GUID, HEX, SECRET_NAME, KEY_NAME];
