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
/** Whole-value references: __TOKEN__, %VAR%, $VAR, [ARM expression], Terraform var./local./module./data. */
const WHOLE_REFERENCE = /^(?:__[A-Za-z0-9_.-]{1,100}__|%[A-Za-z_][A-Za-z0-9_]{0,100}%|\$[A-Za-z_][A-Za-z0-9_]{0,100}|\[[^\]].{0,4000}\]|(?:var|local|module|data)\.[A-Za-z_][A-Za-z0-9_.]{0,200})$/s;

/** The value points at a secret instead of holding one. */
export function isReference(value: string): boolean {
  for (const lit of REFERENCE_LITERALS) if (value.indexOf(lit) !== -1) return true;
  return WHOLE_REFERENCE.test(value);
}

const PLACEHOLDER_EXACT = new Set([
  'password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'key', 'changeme', 'change_me', 'changeit', 'replace_me', 'replaceme', 'todo', 'tbd', 'fixme',
  'none', 'null', 'undefined', 'nil', 'empty', 'placeholder', 'example', 'sample', 'dummy', 'test', 'testing', 'default', 'redacted', 'removed', 'hidden',
  'secret123', 'password123', 'mypassword', 'yourpassword', 'notasecret', 'not-a-secret', 'not_a_secret', 'pass', 'admin', 'root', 'guest', 'user',
]);

const PLACEHOLDER_PATTERN =
  /^<[^>]{0,200}>$|^\{[^}]{0,200}\}$|^\[[^\]]{0,200}\]$|your[-_ .]?(?:own[-_ .]?)?(?:api[-_ .]?)?(?:key|password|secret|token|pass|pwd|access|client|account|connection|sas|value|storage|app)|(?:key|password|secret|token)[-_ .]?(?:goes[-_ .]?)?here|replace[-_ .]?(?:me|with|this)|change[-_ .]?(?:me|this|it)|insert[-_ .]?(?:your|key|here)|put[-_ .]?your|enter[-_ .]?your|x{4}|X{4}|\*{3}|\.{3}|•{3}|_{4}|#{4}|0{8}|1234567|abcdef(?:gh)?(?:ijk)?$|^(?:redacted|masked|hidden|secret|password|placeholder|example|sample|dummy|fake|test)[-_ .0-9]{0,6}$/i;

const WEAK_WORDS = /test|example|sample|dummy|fake|demo|changeme|placeholder|password|passw0rd|secret|default|admin|letmein|qwerty|welcome|foobar|lorem|12345|abcde/i;

/** Placeholder or obviously fake: '<your-key>', 'xxxx', 'changeme', '***', 'REPLACE_ME', low-entropy test words. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_EXACT.has(v.toLowerCase())) return true;
  if (PLACEHOLDER_PATTERN.test(v)) return true;
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
const PUBLIC_CONTENT =
  /^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)|^sha(?:1|256|384|512)-[A-Za-z0-9+/=]|^data:|^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|PHN2Zy|PD94bWwg|Qk0)|-----BEGIN (?:PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY|SSH2 PUBLIC KEY|PGP PUBLIC)/;
export function isPublicContent(value: string): boolean {
  return PUBLIC_CONTENT.test(value);
}

// Setting names that hold identifiers or metadata, never secrets (matched on the normalised name:
// lower case, separators removed).
const NON_SECRET_NAME =
  /(?:client|tenant|subscription|object|application|app|user|principal|resource|directory|account|key|secret|token|certificate|cert)id$|instrumentationkey|usersecretsid|thumbprint|keyvault(?:name|uri|url)?$|(?:key|secret|token|password|pwd|cert)(?:name|names|uri|url|urls|path|file|ref|reference|version|type|size|length|format|algorithm|expiry|expiration|expires|lifetime|policy|provider|source|endpoint|issuer|audience|header|prefix|location|mode|kind|store|vault|hint|label|field|rotation|count|hash|salt|identifier)s?$|^(?:public|partition|row|sort|primary|foreign|unique|sharding|routing|idempotency|cache|lookup|dedup|hash|signing)key|publickey|pubkey|hash$|checksum|digest|integrity|sha(?:1|256|384|512)$|md5$|etag|fingerprint|^tokenizer|tokens?(?:count|limit|max|budget|usage)|maxtokens|keyboard|keyword|keystroke|monkey|turkey|donkey|hockey|jockey|whiskey|passthrough|passenger|bypass|compass|passive|secretary/;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isNonSecretName(name: string): boolean {
  return NON_SECRET_NAME.test(normaliseName(name));
}

/** Password-like or secret-like name for the generic rule. */
const SECRET_NAME = /pass(?:word|wd|phrase)|pwd$|^pwd|dbpwd|secret|apikey|accesskey|secretkey|privatekey|signingkey|masterkey|authkey|clientsecret|token|credential|auth$|sas$|saskey|connectionpassword|^pass$/;
export function isSecretName(name: string): boolean {
  const n = normaliseName(name);
  return n.length > 0 && SECRET_NAME.test(n) && !isNonSecretName(name);
}

/** Key-like name for Azure key shapes: ends with key/keys or names a known key setting. */
const KEY_NAME = /key[0-9]?s?$|apikey|accesskey|accountkey|primarykey|secondarykey|masterkey|sharedaccesskey|subscriptionkey|functionkey|hostkey|adminkey|querykey|authkey|sas$|saskey|signature/;
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

export const negativePatterns: RegExp[] = [WHOLE_REFERENCE, PLACEHOLDER_PATTERN, WEAK_WORDS, GUID, HEX, PUBLIC_CONTENT, NON_SECRET_NAME, SECRET_NAME, KEY_NAME];
