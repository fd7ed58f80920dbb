// Values that look like secrets but are not: references to a secret store or a variable, placeholders,
// public development keys, identifiers, hashes, public keys, embedded images.

import { sha256Hex } from '../../hash';
import { charClasses, shannonEntropy } from './encoding';

// References: Key Vault / App Configuration, pipeline and shell variables, templating, ARM/Bicep expressions.
const REFERENCE_LITERALS = [
  '@Microsoft.KeyVault(', '@Microsoft.AppConfiguration(', '${', '$(', '$env:', 'process.env', 'os.environ', 'os.getenv', 'getenv(',
  'GetEnvironmentVariable', 'Configuration[', '{{', '#{', 'listKeys(', 'listSecrets(', 'parameters(', 'variables(', 'reference(',
  'secretRef', 'valueFrom', 'keyVaultReference', 'System.getenv', 'ENV[', 'ENV.fetch',
];
const IDENT_ONLY = /^[A-Za-z0-9_.-]*$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TF_REFERENCE = /^(?:var|local|module|data)\.[A-Za-z_][A-Za-z0-9_.]*$/;

/** Whole-value references: __TOKEN__, %VAR%, $VAR, [ARM expression], Terraform var./local./module./data. */
function isWholeReference(v: string): boolean {
  if (v.length > 4 && v.startsWith('__') && v.endsWith('__')) return IDENT_ONLY.test(v);
  if (v.length > 2 && v[0] === '%' && v.endsWith('%')) return VAR_NAME.test(v.slice(1, -1));
  if (v.length > 1 && v[0] === '$') return VAR_NAME.test(v.slice(1));
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
]);

/** Substrings that only placeholders contain (checked on the lower-cased value). */
const PLACEHOLDER_PARTS = [
  'xxxx', '****', '...', '•••', '____', '####', '00000000', '1234567', 'abcdef', 'replace', 'changeme', 'change_me', 'change-me', 'changethis',
  'change_this', 'insert_', 'insert-', 'insertyour', 'put_your', 'put-your', 'putyour', 'enter_your', 'enter-your', 'enteryour', 'placeholder',
  'redacted', 'dummy', 'sample', 'example', 'goes_here', 'goes-here', 'goeshere', 'key_here', 'key-here', 'keyhere', 'secret_here', 'secret-here',
  'password_here', 'password-here', 'token_here', 'token-here', 'not-a-real', 'not_a_real', 'notreal', 'fake_', 'fake-',
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

const WEAK_WORDS = /test|example|sample|dummy|fake|demo|changeme|placeholder|password|passw0rd|secret|default|admin|letmein|qwerty|welcome|foobar|lorem|12345|abcde/i;

/** Placeholder or obviously fake: '<your-key>', 'xxxx', 'changeme', '***', 'REPLACE_ME', low-entropy test words. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_EXACT.has(v.toLowerCase())) return true;
  if (hasPlaceholderShape(v)) return true;
  // A single repeated character or a very small alphabet.
  if (new Set(v).size <= 3) return true;
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
];
const NON_SECRET_PARTS = [
  'instrumentationkey', 'usersecretsid', 'thumbprint', 'publickey', 'pubkey', 'partitionkey', 'rowkey', 'sortkey', 'primarykeyname', 'foreignkey',
  'uniquekey', 'shardingkey', 'routingkey', 'idempotencykey', 'cachekey', 'lookupkey', 'dedupkey', 'hashkey', 'signingkeyid',
  'tokenizer', 'tokencount', 'tokenlimit', 'maxtokens', 'tokensmax', 'tokenbudget', 'tokenusage', 'keyboard', 'keyword', 'keystroke', 'keypress',
  'keydown', 'keyup', 'monkey', 'turkey', 'donkey', 'hockey', 'jockey', 'whiskey', 'passthrough', 'passenger', 'bypass', 'compass', 'passive',
  'secretary', 'passport', 'tokentype', 'authority', 'authmode', 'authtype', 'authscheme',
];

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isNonSecretName(name: string): boolean {
  const n = normaliseName(name);
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
const KEY_NAME = /key$|keys$|key[0-9]$|apikey|accesskey|accountkey|primarykey|secondarykey|masterkey|subscriptionkey|functionkey|hostkey|adminkey|querykey|authkey|sas$|saskey|signature/;
export function isKeyName(name: string): boolean {
  const n = normaliseName(name);
  return KEY_NAME.test(n) && !isNonSecretName(name);
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

export const negativePatterns: RegExp[] = [IDENT_ONLY, VAR_NAME, TF_REFERENCE, WEAK_WORDS, GUID, HEX, SECRET_NAME, KEY_NAME];
