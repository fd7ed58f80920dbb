// App Service / Functions Key Vault references:
//   @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>])
//   @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])
// Pure string handling; every regex here is linear (no nested quantifiers). The names and syntaxes come from the
// Azure vocabulary.
import {
  APP_CONFIGURATION_REFERENCE_PREFIX,
  KEY_VAULT_DNS_SUFFIXES,
  KEY_VAULT_REFERENCE_PREFIX,
  SECRET_NAME,
  SECRET_NAME_RULE,
  SECRET_VERSION,
  VAULT_NAME,
  VAULT_NAME_RULE,
} from '../vocabulary/azure';

export { KEY_VAULT_DNS_SUFFIXES, KEY_VAULT_REFERENCE_PREFIX };

export interface KeyVaultReference {
  vault: string;
  /** The vault host name (for the VaultName form: the public-cloud host, which is what App Service assumes). */
  host: string;
  secretName: string;
  version?: string;
  form: 'SecretUri' | 'VaultName';
}

export interface KeyVaultReferenceError {
  error: string;
}

const SECRET_URI = /^https:\/\/([^/?#:]{1,300})\/secrets\/([^/?#]{1,200})(?:\/([^/?#]{0,100}))?\/?$/i;

// https://user:password@host/...: credentials in the authority.
const USER_INFO = /^[a-z]{1,10}:\/\/[^/?#]{0,300}@/i;

export const keyVaultPatterns: RegExp[] = [VAULT_NAME, SECRET_NAME, SECRET_VERSION, SECRET_URI, USER_INFO];

// Errors never quote what was written: a malformed reference is often a pasted secret. Only our own parameter
// names are named.
const PARAMETER_NAMES = new Map([
  ['secreturi', 'SecretUri'],
  ['vaultname', 'VaultName'],
  ['secretname', 'SecretName'],
  ['secretversion', 'SecretVersion'],
]);

const lowerFirst = (sentence: string) => sentence[0].toLowerCase() + sentence.slice(1, -1);

/** True when the text is meant to be a Key Vault reference (whether or not it is well formed). */
export function isKeyVaultReference(text: string): boolean {
  return text.trimStart().slice(0, KEY_VAULT_REFERENCE_PREFIX.length).toLowerCase() === KEY_VAULT_REFERENCE_PREFIX.toLowerCase();
}

/** True while a reference is being typed: "@Mi", "@Microsoft.Key" … (a prefix of either reference form). */
export function isPartialReference(text: string): boolean {
  const t = text.trimStart().toLowerCase();
  if (t.length < 2 || !t.startsWith('@')) return false;
  return KEY_VAULT_REFERENCE_PREFIX.toLowerCase().startsWith(t) || APP_CONFIGURATION_REFERENCE_PREFIX.toLowerCase().startsWith(t);
}

/** True when the text is an App Configuration reference (`@Microsoft.AppConfiguration(...)`). */
export function isAppConfigurationReference(text: string): boolean {
  return text.trimStart().toLowerCase().startsWith(APP_CONFIGURATION_REFERENCE_PREFIX.toLowerCase());
}

/** The host's vault name when it ends with a known Key Vault DNS suffix, else undefined. */
export function vaultFromHost(host: string): string | undefined {
  const h = host.toLowerCase();
  for (const suffix of KEY_VAULT_DNS_SUFFIXES) {
    if (h.endsWith(`.${suffix}`)) {
      const vault = host.slice(0, host.length - suffix.length - 1);
      return VAULT_NAME.test(vault) ? vault : undefined;
    }
  }
  return undefined;
}

/** Parse a Key Vault reference; never throws. */
export function parseKeyVaultReference(text: string): KeyVaultReference | KeyVaultReferenceError {
  const t = text.trim();
  if (!isKeyVaultReference(t)) return { error: 'not a Key Vault reference (expected @Microsoft.KeyVault(...))' };
  if (!t.endsWith(')')) return { error: 'missing closing parenthesis' };
  const inner = t.slice(KEY_VAULT_REFERENCE_PREFIX.length, -1).trim();
  if (!inner) return { error: 'empty reference' };

  const parts = new Map<string, string>();
  for (const raw of inner.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: 'expected Name=Value pairs separated by ;' };
    const name = part.slice(0, eq).trim().toLowerCase();
    if (parts.has(name)) return { error: `duplicate ${PARAMETER_NAMES.get(name) ?? 'parameter'}` };
    parts.set(name, part.slice(eq + 1).trim());
  }

  const uri = parts.get('secreturi');
  if (uri !== undefined) {
    if (parts.size !== 1) return { error: 'SecretUri cannot be combined with other parameters' };
    if (USER_INFO.test(uri)) return { error: 'SecretUri must not hold a user name or password (user@host)' };
    const m = SECRET_URI.exec(uri);
    if (!m) return { error: 'SecretUri must be https://<vault>.<Key Vault DNS suffix>/secrets/<name>[/<version>]' };
    const host = m[1];
    const vault = vaultFromHost(host);
    if (!vault) return { error: `the SecretUri host is not a Key Vault host (<vault>.${KEY_VAULT_DNS_SUFFIXES.join(', <vault>.')})` };
    const secretName = m[2];
    if (!SECRET_NAME.test(secretName)) return { error: lowerFirst(SECRET_NAME_RULE) };
    const version = m[3] || undefined;
    if (version !== undefined && !SECRET_VERSION.test(version)) return { error: 'secret version must be 32 hexadecimal digits' };
    return version ? { vault, host, secretName, version, form: 'SecretUri' } : { vault, host, secretName, form: 'SecretUri' };
  }

  const vault = parts.get('vaultname');
  const secretName = parts.get('secretname');
  if (vault === undefined && secretName === undefined) return { error: 'expected SecretUri=... or VaultName=...;SecretName=...' };
  if (vault === undefined) return { error: 'VaultName is missing' };
  if (secretName === undefined) return { error: 'SecretName is missing' };
  for (const k of parts.keys()) {
    if (k !== 'vaultname' && k !== 'secretname' && k !== 'secretversion') return { error: 'unknown parameter: use VaultName, SecretName and optionally SecretVersion' };
  }
  if (!VAULT_NAME.test(vault)) return { error: lowerFirst(VAULT_NAME_RULE) };
  if (!SECRET_NAME.test(secretName)) return { error: lowerFirst(SECRET_NAME_RULE) };
  const version = parts.get('secretversion');
  if (version !== undefined && !SECRET_VERSION.test(version)) return { error: 'SecretVersion must be 32 hexadecimal digits' };
  const host = `${vault}.${KEY_VAULT_DNS_SUFFIXES[0]}`;
  return version ? { vault, host, secretName, version, form: 'VaultName' } : { vault, host, secretName, form: 'VaultName' };
}
