// Fake secrets of every kind the scanner knows, assembled AT RUN TIME from pieces so the repository never
// holds a whole key, token or private key. Deterministic per (kind, seed). Formats with a checksum get a
// valid one (Marvin32 for Azure identifiable keys, CASK and Entra secrets; CRC-32 for GitHub/npm tokens and
// Azure DevOps PATs), so the high-confidence detectors accept them.
//
//   fakeSecret('azure-storage-key', 7)  -> 88-character identifiable Storage key (different per seed)
//   FAKE_SECRET_KINDS                   -> every supported kind
//   publicDevKey('azurite')             -> the well-known public emulator keys (hard negatives)

import { hmacSha256, utf8 } from '../../src/core/hash';
import { AAD_ALPHABET, encodeAadChecksum } from '../../src/core/rules/secrets/entraSecret';
import { LAYOUT } from '../../src/core/rules/secrets/identifiableKey';
import { base62Checksum } from '../../src/core/rules/secrets/thirdPartyToken';
import { crc32, marvin32, seedFromHex } from '../../src/core/rules/secrets/checksums';
import { decodeBase64, encodeBase32, encodeBase64, latin1, writeU32LE } from '../../src/core/rules/secrets/encoding';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const URLSAFE = `${ALNUM}-_`;
const B64 = `${ALNUM}+/`;

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

class Rand {
  private next: () => number;
  constructor(kind: string, seed: number) {
    this.next = rng(hashString(kind) ^ Math.imul(seed + 1, 0x9e3779b1));
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** Mixed-class string: at least one lower, upper and digit. */
  mixed(alphabet: string, n: number): string {
    for (;;) {
      const s = this.chars(alphabet, n);
      if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)) return s;
    }
  }
}

const join = (...parts: string[]) => parts.join('');

interface IdentifiableKind {
  sig: string;
  bytes: 32 | 39 | 40 | 64;
  seed: string;
  urlSafe?: boolean;
}

// Signatures are written in two pieces so no identifiable-key anchor sits next to a key in this file.
const IDENTIFIABLE: Record<string, IdentifiableKind> = {
  'azure-storage-key': { sig: join('+A', 'St'), bytes: 64, seed: '44656661756c7430' },
  'azure-cosmos-key': { sig: join('AC', 'Db'), bytes: 64, seed: '4d61737452573030' },
  'azure-batch-key': { sig: join('+A', 'Ba'), bytes: 64, seed: '4162416363743030' },
  'azure-apim-key': { sig: join('AP', 'IM'), bytes: 64, seed: '54656e616e743030' },
  'azure-servicebus-key': { sig: join('+A', 'Sb'), bytes: 32, seed: '53656e6430303030' },
  'azure-eventhubs-key': { sig: join('+A', 'Eh'), bytes: 32, seed: '4c697374656e3030' },
  'azure-relay-key': { sig: join('+A', 'Rm'), bytes: 32, seed: '4d616e6167653030' },
  'azure-redis-key': { sig: join('Az', 'Ca'), bytes: 32, seed: '4163636573733030' },
  'azure-iot-key': { sig: join('AI', 'oT'), bytes: 32, seed: '496f544875623030' },
  'azure-search-key': { sig: join('Az', 'Se'), bytes: 39, seed: '5175657279303030' },
  'azure-search-admin-key': { sig: join('Az', 'Se'), bytes: 39, seed: '5041646d696e3030' },
  'azure-acr-key': { sig: join('+A', 'CR'), bytes: 39, seed: '41435244666c7430' },
  'azure-functions-key': { sig: join('Az', 'Fu'), bytes: 40, seed: '46756e6374693030', urlSafe: true },
};

function identifiableKey(spec: IdentifiableKind, r: Rand): string {
  const lay = LAYOUT[spec.bytes];
  for (;;) {
    let s = encodeBase64(r.bytes(spec.bytes));
    s = s.slice(0, lay.sig) + spec.sig + s.slice(lay.sig + 4);
    const b = decodeBase64(s)!;
    // The bits between the signature and the checksum are zero in real keys.
    if (spec.bytes === 32) b[27] &= 0xfc;
    if (spec.bytes === 39) b[34] &= 0xf0;
    writeU32LE(b, b.length - 4, marvin32(b, seedFromHex(spec.seed), 0, b.length - 4));
    const key = encodeBase64(b, spec.urlSafe);
    if (key.slice(lay.sig, lay.sig + 4) === spec.sig) return key;
  }
}

const CASK: Record<string, string> = {
  'azure-openai-key': join('AC', 'OG'),
  'azure-ai-services-key': join('AC', 'OG'),
  'azure-eventgrid-key': join('AZ', 'EG'),
  'azure-devops-pat': join('AZ', 'DO'),
};

function caskKey(provider: string, r: Rand): string {
  for (;;) {
    const head = r.chars(ALNUM, 52) + join('JQQ', 'J99') + 'B' + 'ABCDEFGHIJKL'[r.int(12)] + r.chars(ALNUM, 16) + provider;
    const b = new Uint8Array(64);
    b.set(decodeBase64(head)!, 0);
    writeU32LE(b, 60, marvin32(b, seedFromHex('44656661756c7430'), 0, 60));
    const key = encodeBase64(b).slice(0, 84);
    if (/^[A-Za-z0-9]{84}$/.test(key)) return key;
  }
}

function entraSecret(r: Rand, legacy: boolean): string {
  const alphabet = AAD_ALPHABET;
  if (legacy) return r.mixed(ALNUM, 3) + join('7', 'Q~') + r.mixed(alphabet, 31);
  for (;;) {
    const body = r.chars(ALNUM, 3) + join('8', 'Q~') + r.mixed(alphabet, 31);
    const enc = encodeAadChecksum(marvin32(latin1(body), seedFromHex('4161645077643030')));
    if (enc.length >= 3) return body + enc.slice(0, 3);
  }
}

function adoLegacyPat(r: Rand): string {
  const token = r.bytes(28);
  const b = new Uint8Array(32);
  b.set(token.subarray(0, 2), 0);
  b.set(token.subarray(2, 6), 3);
  b.set(token.subarray(6, 19), 9);
  b.set(token.subarray(19, 28), 23);
  const c = (crc32(token) ^ 0xe0b9692d) >>> 0;
  b[22] = c & 0xff;
  b[8] = (c >>> 8) & 0xff;
  b[7] = (c >>> 16) & 0xff;
  b[2] = (c >>> 24) & 0xff;
  return encodeBase32(b);
}

function base62Token(prefix: string, r: Rand): string {
  const body = r.mixed(ALNUM, 30);
  return prefix + body + base62Checksum(body);
}

function unpad(s: string): string {
  let e = s.length;
  while (e > 0 && s[e - 1] === '=') e--;
  return s.slice(0, e);
}

function b64url(s: string): string {
  return unpad(encodeBase64(new TextEncoder().encode(s), true));
}

function pem(label: string, der: Uint8Array, width = 64): string {
  const body = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += width) lines.push(body.slice(i, i + width));
  const dash = '-----';
  return `${dash}${join('BEG', 'IN ')}${label}${dash}\n${lines.join('\n')}\n${dash}END ${label}${dash}`;
}

function derKey(r: Rand, prefix: number[], n: number): Uint8Array {
  const b = r.bytes(n);
  b.set(prefix, 0);
  return b;
}

const GENERATORS: Record<string, (r: Rand) => string> = {
  ...Object.fromEntries(Object.entries(IDENTIFIABLE).map(([k, spec]) => [k, (r: Rand) => identifiableKey(spec, r)])),
  ...Object.fromEntries(Object.entries(CASK).map(([k, p]) => [k, (r: Rand) => caskKey(p, r)])),
  'entra-client-secret': (r) => entraSecret(r, false),
  'entra-client-secret-legacy': (r) => entraSecret(r, true),
  'azure-devops-pat-legacy': adoLegacyPat,
  // Older keys without a signature: random base64 of the right size.
  'azure-storage-key-legacy': (r) => {
    for (;;) {
      const k = encodeBase64(r.bytes(64));
      if (!/[+]A(?:St|Sb|Eh)|ACDb|AzCa/.test(k)) return k;
    }
  },
  'azure-sas-key-legacy': (r) => encodeBase64(r.bytes(32)),
  'azure-hex-key': (r) => r.chars(HEX, 32),
  // Functions keys issued before the AzFu format: 40 random bytes, standard base64 (56 characters).
  'azure-functions-key-legacy': (r) => {
    for (;;) {
      const k = encodeBase64(r.bytes(40));
      if (!k.includes(join('Az', 'Fu')) && /[a-z]/.test(k) && /[A-Z]/.test(k) && /[0-9]/.test(k)) return k;
    }
  },
  // Azure Maps shared keys: 32 random bytes, URL-safe base64 without padding (43 characters).
  'azure-maps-key': (r) => unpad(encodeBase64(r.bytes(32), true)),
  'sas-signature': (r) => encodeBase64(r.bytes(32)),
  'sas-token': (r) =>
    `sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&${join('si', 'g=')}${encodeURIComponent(encodeBase64(r.bytes(32)))}`,
  'rsa-private-key': (r) => pem('RSA PRIVATE KEY', derKey(r, [0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00], 1192)),
  'ec-private-key': (r) => pem('EC PRIVATE KEY', derKey(r, [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20], 121)),
  'pkcs8-private-key': (r) => pem('PRIVATE KEY', derKey(r, [0x30, 0x82, 0x04, 0xbe, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09], 1218)),
  'encrypted-private-key': (r) => pem('ENCRYPTED PRIVATE KEY', derKey(r, [0x30, 0x82, 0x05, 0x0e, 0x30, 0x40, 0x06, 0x09], 1298)),
  'openssh-private-key': (r) => pem('OPENSSH PRIVATE KEY', derKey(r, [...new TextEncoder().encode(join('openssh', '-key-v1')), 0], 400), 70),
  jwt: (r) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${r.chars(ALNUM, 12)}","iat":1700000000}`)}.${unpad(encodeBase64(r.bytes(32), true))}`,
  // A documentation token: HS256-signed with the key tutorials publish ("secret"), which anyone can mint.
  'jwt-published-key': (r) => {
    const signed = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"some":"${r.chars(ALNUM, 8)}"}`)}`;
    // Signed with the engine's own HMAC (also bundled for the web host, so no node:crypto); engine.test.ts checks it against Node's.
    return `${signed}.${unpad(encodeBase64(hmacSha256(utf8(join('sec', 'ret')), utf8(signed)), true))}`;
  },
  // A documentation "anonymised" key: a real-looking 32-byte key with a keyboard row typed into it.
  'shared-access-key-hand-typed': (r) => {
    const k = encodeBase64(r.bytes(32));
    return k.slice(0, 11) + join('qwe', 'rty') + k.slice(17);
  },
  'github-pat': (r) => base62Token(join('gh', 'p_'), r),
  'github-oauth': (r) => base62Token(join('gh', 'o_'), r),
  'github-app-token': (r) => base62Token(join('gh', 's_'), r),
  'github-fine-grained-pat': (r) => join('github', '_pat_') + r.mixed(ALNUM, 22) + '_' + r.mixed(ALNUM, 59),
  'npm-token': (r) => base62Token(join('np', 'm_'), r),
  'aws-access-key-id': (r) => join('AK', 'IA') + r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16),
  'aws-secret-access-key': (r) => r.mixed(B64, 40),
  'slack-token': (r) => `${join('xo', 'xb')}-${r.chars('123456789', 12)}-${r.chars('123456789', 13)}-${r.mixed(ALNUM, 24)}`,
  'stripe-key': (r) => join('sk', '_live_') + r.mixed(ALNUM, 24),
  sendgrid: (r) => `${join('S', 'G.')}${r.mixed(URLSAFE, 22)}.${r.mixed(URLSAFE, 43)}`,
  'openai-key': (r) => join('sk', '-proj-') + r.mixed(ALNUM, 74) + join('T3Blbk', 'FJ') + r.mixed(ALNUM, 74),
  'openai-legacy-key': (r) => join('s', 'k-') + r.mixed(ALNUM, 20) + join('T3Blbk', 'FJ') + r.mixed(ALNUM, 20),
  'gitlab-pat': (r) => join('glp', 'at-') + r.mixed(ALNUM, 20),
  'google-api-key': (r) => join('AI', 'za') + r.mixed(URLSAFE, 35),
  'twilio-api-key': (r) => join('S', 'K') + r.chars(HEX, 32),
  'databricks-pat': (r) => join('da', 'pi') + r.chars(HEX, 32),
  password: (r) => r.mixed(`${ALNUM}!#%^*-_`, 18),
};

/** Every kind fakeSecret understands. */
export const FAKE_SECRET_KINDS: readonly string[] = Object.keys(GENERATORS);

/** A fake secret of the given kind, deterministic for (kind, seed). Throws on an unknown kind. */
export function fakeSecret(kind: string, seed = 1): string {
  const gen = GENERATORS[kind];
  if (!gen) throw new Error(`unknown fake secret kind "${kind}" (known: ${FAKE_SECRET_KINDS.join(', ')})`);
  return gen(new Rand(kind, seed));
}

/**
 * The public, documented development keys (hard negatives: never reported). Built from pieces; they are the
 * same for every developer and grant nothing outside a local emulator.
 */
export function publicDevKey(which: 'azurite' | 'cosmos-emulator'): string {
  if (which === 'azurite') return ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1', 'OUzFT50uSRZ6IFsuFq2UVErCz4I6', 'tq/K1SZFPTOtr/KBHBeksoGMGw=='].join('');
  return ['C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEH', 'LM+4QDU5DE2nQ9nDuVTqobD4b8mG', 'GyPMbIZnqyMsEcaGQy67XIw/Jw=='].join('');
}
