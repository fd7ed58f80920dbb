// SECRET-AZURE-IDENTIFIABLE-KEY. Microsoft "identifiable" keys: a fixed signature at a fixed offset of the base64 text and a Marvin32
// checksum (seeded per key kind) in the last four bytes. Facts from the public Microsoft.Security.Utilities
// sources (IdentifiableSecrets.cs, IdentifiableMetadata.cs, Azure32/64ByteIdentifiableKey.cs, the SEC101_* key
// classes, CommonAnnotatedKey.cs); the code here is our own.
//
// Layout of a v1 identifiable key of N bytes: bytes[0..N-4) random + signature, bytes[N-4..N) =
// Marvin32(seed, bytes[0..N-4)) little-endian. In the base64 text the 4-character signature sits right
// before the 6 checksum characters:
//   32 bytes: 44 chars  [33 chars] SIG [A-P][5 chars] =
//   39 bytes: 52 chars  [42 chars] SIG [A-D][5 chars]
//   40 bytes: 56 chars  [44 chars] SIG [5 chars][AQgw] ==   (Functions: URL-safe alphabet)
//   64 bytes: 88 chars  [76 chars] SIG [5 chars][AQgw] ==
// Common annotated security keys (CASK, "JQQJ99" at offset 52, 84 chars, provider signature at 76) carry the
// first 3 bytes of Marvin32(seed "Default0", bytes[0..60)) in bytes 60..63.
// Entra ID client secrets "xxx8Q~" + 34 chars end with 3 characters of Marvin32(seed "AadPwd00", first 37
// chars as Latin-1) written in a 66-character alphabet.

import { marvin32, type Seed, seedFromHex } from './checksums';
import { allChars, decodeBase64, isAlnum, isBase64Char, isBase64UrlChar, readU32LE } from './encoding';
import { type LineDetector, RULE, type SecretRule } from './types';

interface KeySpec {
  signature: string;
  kind: string;
  bytes: 32 | 39 | 40 | 64;
  urlSafe?: boolean;
  seeds: string[];
  /** Azure Cache for Redis also issues keys whose '+' and '/' were replaced by 'P' and 'F'. */
  redisVariant?: boolean;
}

// Seeds are 8 ASCII characters read as a little-endian ulong of the reversed bytes, i.e. the hex of the name.
const MESSAGING = ['53656e6430303030' /* Send0000 */, '4c697374656e3030' /* Listen00 */, '4d616e6167653030' /* Manage00 */, '53797374656d3030' /* System00 */, '556e6b6e6f776e30' /* Unknown0 */];

export const KEY_SPECS: readonly KeySpec[] = [
  { signature: '+ASt', kind: 'Azure Storage account key', bytes: 64, seeds: ['44656661756c7430' /* Default0 */] },
  {
    signature: 'ACDb',
    kind: 'Azure Cosmos DB key',
    bytes: 64,
    seeds: ['456e637279703030', '4d617374524f3030', '4d61737452573030', '5265736f75723030', '537973416c6c3030', '53797374524f3030', '5379737452573030'],
  },
  { signature: '+ABa', kind: 'Azure Batch account key', bytes: 64, seeds: ['4162416363743030' /* AbAcct00 */] },
  { signature: 'APIM', kind: 'Azure API Management key', bytes: 64, seeds: ['54656e616e743030', '496f544875623030', '4761746577793030', '4769744b65793030'] },
  { signature: '+AMC', kind: 'Azure Machine Learning (classic) key', bytes: 64, seeds: ['436c617373696330' /* Classic0 */] },
  { signature: '+ASb', kind: 'Azure Service Bus key', bytes: 32, seeds: MESSAGING },
  { signature: '+AEh', kind: 'Azure Event Hubs key', bytes: 32, seeds: MESSAGING },
  { signature: '+ARm', kind: 'Azure Relay key', bytes: 32, seeds: MESSAGING },
  { signature: 'AzCa', kind: 'Azure Cache for Redis key', bytes: 32, seeds: ['4163636573733030' /* Access00 */], redisVariant: true },
  { signature: 'AIoT', kind: 'Azure IoT key', bytes: 32, seeds: ['496f544875623030', '4470734b65793030', '4465766963653030'] },
  { signature: 'AzSe', kind: 'Azure AI Search query key', bytes: 39, seeds: ['5175657279303030' /* Query000 */] },
  { signature: 'AzSe', kind: 'Azure AI Search admin key', bytes: 39, seeds: ['5041646d696e3030' /* PAdmin00 */] },
  { signature: '+ACR', kind: 'Azure Container Registry key', bytes: 39, seeds: ['41435244666c7430' /* ACRDflt0 */] },
  { signature: 'AzFu', kind: 'Azure Functions key', bytes: 40, urlSafe: true, seeds: ['46756e6374693030', '4d61737465723030', '53797374656d3030'] },
];

const SEEDS = new Map<string, Seed>();
function seed(hex: string): Seed {
  let s = SEEDS.get(hex);
  if (!s) SEEDS.set(hex, (s = seedFromHex(hex)));
  return s;
}

/** Character offset of the signature and total encoded length for each key size. */
export const LAYOUT = { 32: { sig: 33, total: 44, pad: 1 }, 39: { sig: 42, total: 52, pad: 0 }, 40: { sig: 44, total: 56, pad: 2 }, 64: { sig: 76, total: 88, pad: 2 } } as const;

/** Checks signature position, alphabet, padding, the zero bits after the signature and the checksum. */
export function validateIdentifiableKey(key: string, spec: KeySpec): boolean {
  const lay = LAYOUT[spec.bytes];
  if (key.length !== lay.total) return false;
  if (key.slice(lay.sig, lay.sig + 4) !== spec.signature) return false;
  const body = lay.total - lay.pad;
  const ok = spec.urlSafe ? (c: number) => isBase64UrlChar(c) || isBase64Char(c) : isBase64Char;
  if (!allChars(key, 0, body, ok)) return false;
  for (let i = body; i < lay.total; i++) if (key.charCodeAt(i) !== 61) return false;
  const check = key[lay.sig + 4];
  if (spec.bytes === 32 && !(check >= 'A' && check <= 'P')) return false;
  if (spec.bytes === 39 && !(check >= 'A' && check <= 'D')) return false;
  if ((spec.bytes === 64 || spec.bytes === 40) && 'AQgw'.indexOf(key[body - 1]) < 0) return false;
  const bytes = decodeBase64(key);
  if (!bytes || bytes.length !== spec.bytes) return false;
  const stored = readU32LE(bytes, bytes.length - 4);
  for (const s of spec.seeds) if (marvin32(bytes, seed(s), 0, bytes.length - 4) === stored) return true;
  if (spec.redisVariant) {
    // As Microsoft.Security.Utilities does for Redis keys re-encoded without '+' and '/': checksum over the
    // whole decoded key, written back, re-encoded with '+'->'P' and '/'->'F', must give the key again.
    for (const s of spec.seeds) {
      const copy = bytes.slice();
      const c = marvin32(copy, seed(s));
      copy[copy.length - 4] = c & 0xff;
      copy[copy.length - 3] = (c >>> 8) & 0xff;
      copy[copy.length - 2] = (c >>> 16) & 0xff;
      copy[copy.length - 1] = (c >>> 24) & 0xff;
      let b64 = '';
      const enc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789PF';
      for (let i = 0; i + 2 < copy.length; i += 3) {
        const n = (copy[i] << 16) | (copy[i + 1] << 8) | copy[i + 2];
        b64 += enc[(n >> 18) & 63] + enc[(n >> 12) & 63] + enc[(n >> 6) & 63] + enc[n & 63];
      }
      const n = (copy[30] << 16) | (copy[31] << 8);
      b64 += enc[(n >> 18) & 63] + enc[(n >> 12) & 63] + enc[(n >> 6) & 63] + '=';
      if (b64 === key) return true;
    }
  }
  return false;
}

const SIGNATURES = /\+ASt|ACDb|\+ABa|APIM|\+AMC|\+ASb|\+AEh|\+ARm|AzCa|AIoT|AzSe|\+ACR|AzFu/g;
const BY_SIGNATURE = new Map<string, KeySpec[]>();
for (const s of KEY_SPECS) BY_SIGNATURE.set(s.signature, [...(BY_SIGNATURE.get(s.signature) ?? []), s]);

function isKeyChar(c: number): boolean {
  return isBase64Char(c) || isBase64UrlChar(c) || c === 61;
}

export const detectIdentifiableKeys: LineDetector = (line, lineStart, _ctx, out) => {
  SIGNATURES.lastIndex = 0;
  for (let m = SIGNATURES.exec(line); m; m = SIGNATURES.exec(line)) {
    for (const spec of BY_SIGNATURE.get(m[0]) ?? []) {
      const lay = LAYOUT[spec.bytes];
      const start = m.index - lay.sig;
      const end = start + lay.total;
      if (start < 0 || end > line.length) continue;
      if (start > 0 && isKeyChar(line.charCodeAt(start - 1)) && line.charCodeAt(start - 1) !== 61) continue;
      if (end < line.length && isKeyChar(line.charCodeAt(end))) continue;
      const key = line.slice(start, end);
      if (validateIdentifiableKey(key, spec)) {
        out.push({ ruleId: RULE.identifiable, start: lineStart + start, end: lineStart + end, secret: key, kind: spec.kind });
        break;
      }
    }
  }
};

// ---- Common annotated security keys (CASK), "JQQJ99" ----

const CASK_SEED = seedFromHex('44656661756c7430'); // "Default0"

export const CASK_PROVIDERS: Record<string, string> = {
  ACOG: 'Azure AI services key',
  AZDO: 'Azure DevOps personal access token',
  AZEG: 'Azure Event Grid key',
};

/** 84-character (or 88 with '==') CASK key with a valid checksum. Returns the provider signature or undefined. */
export function validateCaskKey(key: string): string | undefined {
  const long = key.length === 88;
  if (key.length !== 84 && !long) return undefined;
  const n = long ? 86 : 84;
  if (!allChars(key, 0, n, isAlnum)) return undefined;
  if (long && key.slice(86) !== '==') return undefined;
  if (key.slice(52, 57) !== 'JQQJ9' || key[57] !== '9') return undefined;
  const month = key[59];
  if (!(month >= 'A' && month <= 'L')) return undefined;
  const sig0 = key.charCodeAt(76);
  if (!((sig0 >= 65 && sig0 <= 90) || (sig0 >= 97 && sig0 <= 122))) return undefined;
  const bytes = decodeBase64(key);
  if (!bytes || bytes.length !== (long ? 64 : 63)) return undefined;
  const c = marvin32(bytes, CASK_SEED, 0, 60);
  if (bytes[60] !== (c & 0xff) || bytes[61] !== ((c >>> 8) & 0xff) || bytes[62] !== ((c >>> 16) & 0xff)) return undefined;
  if (long && bytes[63] !== ((c >>> 24) & 0xff)) return undefined;
  return key.slice(76, 80);
}

const CASK_ANCHOR = /JQQJ99/g;
export const detectCaskKeys: LineDetector = (line, lineStart, _ctx, out) => {
  CASK_ANCHOR.lastIndex = 0;
  for (let m = CASK_ANCHOR.exec(line); m; m = CASK_ANCHOR.exec(line)) {
    const start = m.index - 52;
    if (start < 0 || (start > 0 && isAlnum(line.charCodeAt(start - 1)))) continue;
    for (const len of [88, 84]) {
      const end = start + len;
      if (end > line.length) continue;
      if (end < line.length && (isAlnum(line.charCodeAt(end)) || (len === 84 && line.charCodeAt(end) === 61))) continue;
      const key = line.slice(start, end);
      const provider = validateCaskKey(key);
      if (!provider) continue;
      const kind = CASK_PROVIDERS[provider.toUpperCase()] ?? 'Azure common annotated security key';
      const ruleId = provider.toUpperCase() === 'AZDO' ? RULE.devopsPat : RULE.identifiable;
      out.push({ ruleId, start: lineStart + start, end: lineStart + end, secret: key, kind });
      break;
    }
  }
};

export const identifiableKeyRule: SecretRule = {
  meta: {
    id: RULE.identifiable,
    title: 'Azure identifiable key',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'An Azure service key (Storage, Cosmos DB, Service Bus, Event Hubs, Functions, AI Search, Redis, API Management, Container Registry, Batch, AI services) is in plain text; anyone who reads the file can use it.',
  },
  priority: 100,
  lineDetectors: [
    // The signatures are case-sensitive; the prefilter's case-insensitive match finds a superset of lines.
    { name: 'identifiable keys', detect: detectIdentifiableKeys, anchors: [...new Set(KEY_SPECS.map((s) => s.signature.toLowerCase()))] },
    { name: 'common annotated keys', detect: detectCaskKeys, anchors: ['jqqj99'] },
  ],
  patterns: [SIGNATURES, CASK_ANCHOR],
  examples: {
    positives: [
      { name: 'Storage key in a C# test', file: 'tests/StorageTests.cs', text: 'var key = "{secret}";\n', secret: { fake: 'azure-storage-key' }, kind: 'Azure Storage account key' },
      { name: 'Functions key in a comment', file: 'README.md', text: 'Call it with `?code={secret}`\n', secret: { fake: 'azure-functions-key' } },
    ],
    negatives: [
      { name: 'emulator key (public)', file: 'local.settings.json', text: '{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true" } }' },
      { name: 'legacy key without signature under a neutral name', file: 'data.json', text: '{ "blob": "{secret}" }', secret: { fake: 'azure-storage-key-legacy', seed: 5 } },
    ],
  },
};
