// SECRET-ENTRA-CLIENT-SECRET. Entra ID (Azure AD) client secrets "xxx8Q~" + 34 chars end with 3 characters of
// Marvin32(seed "AadPwd00", first 37 chars as Latin-1) written in a 66-character alphabet (facts from the public
// Microsoft.Security.Utilities sources; the code here is our own).

import { marvin32, seedFromHex } from './checksums';
import { allChars, charClasses, isAlnum, latin1, shannonEntropy } from './encoding';
import { type LineDetector, RULE, type SecretRule } from './types';

export const AAD_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
const AAD_SEED = seedFromHex('4161645077643030'); // "AadPwd00"

function isAadChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 45 || c === 95 || c === 126;
}

/** Most significant digit first, as CustomAlphabetEncoder.Encode does. */
export function encodeAadChecksum(n: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = AAD_ALPHABET[v % AAD_ALPHABET.length] + out;
    v = Math.floor(v / AAD_ALPHABET.length);
  }
  return out;
}

/** 'xxx8Q~' + 34 characters: the last 3 are the start of the encoded Marvin32 checksum of the first 37. */
export function validateAadSecret(secret: string): boolean {
  if (secret.length !== 40 || secret.slice(3, 6) !== '8Q~') return false;
  if (!allChars(secret, 0, 40, isAadChar)) return false;
  const enc = encodeAadChecksum(marvin32(latin1(secret.slice(0, 37)), AAD_SEED));
  return enc.length >= 3 && enc.slice(0, 3) === secret.slice(37);
}

const AAD_ANCHOR = /[0-9]Q~/g;
export const detectEntraSecrets: LineDetector = (line, lineStart, _ctx, out) => {
  AAD_ANCHOR.lastIndex = 0;
  for (let m = AAD_ANCHOR.exec(line); m; m = AAD_ANCHOR.exec(line)) {
    const start = m.index - 3;
    if (start < 0 || !allChars(line, start, m.index, isAadChar)) continue;
    if (start > 0 && isAadChar(line.charCodeAt(start - 1))) continue;
    let end = m.index + 3;
    while (end < line.length && end - m.index - 3 <= 34 && isAadChar(line.charCodeAt(end))) end++;
    const tail = end - m.index - 3;
    if (tail < 31 || tail > 34) continue;
    const secret = line.slice(start, end);
    let ok: boolean;
    if (m[0][0] === '8' && tail === 34) ok = validateAadSecret(secret);
    // Older formats ('7Q~' + 31 chars and others) carry no checksum: shape plus randomness only.
    else ok = shannonEntropy(secret) >= 4 && charClasses(secret) >= 3;
    if (ok) out.push({ ruleId: RULE.entra, start: lineStart + start, end: lineStart + end, secret, kind: 'Microsoft Entra ID client secret' });
  }
};

export const entraSecretRule: SecretRule = {
  meta: {
    id: RULE.entra,
    title: 'Microsoft Entra ID client secret',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A Microsoft Entra ID (Azure AD) application client secret is in plain text; it lets anyone sign in as the application.',
  },
  priority: 95,
  lineDetectors: [{ name: 'Entra client secrets', detect: detectEntraSecrets, anchors: ['q~'] }],
  patterns: [AAD_ANCHOR],
  examples: {
    positives: [{ name: 'appsettings AzureAd:ClientSecret', file: 'appsettings.json', text: '{ "AzureAd": { "ClientSecret": "{secret}" } }', secret: { fake: 'entra-client-secret' } }],
    negatives: [{ name: 'client secret setting that names a Key Vault secret', file: 'appsettings.json', text: '{ "AzureAd": { "ClientSecret": "@Microsoft.KeyVault(VaultName=kv;SecretName=app-secret)" } }' }],
  },
};
