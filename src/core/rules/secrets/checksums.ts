// Checksums used by identifiable secret formats, written from the published algorithms:
//  - Marvin32 (Microsoft's seeded 32-bit checksum; algorithm as in SymCrypt marvin32.c and the .NET runtime's
//    System.Marvin, checked in tests against the public seed-0x004FB61A001BDBCC test vectors).
//  - CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), used by GitHub/npm tokens and Azure DevOps PATs.

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** A 64-bit Marvin seed as [high 32 bits, low 32 bits], from 16 hex digits. */
export type Seed = readonly [number, number];
export function seedFromHex(hex: string): Seed {
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}

/** Marvin over data[offset, offset+length): returns [p1 (high), p0 (low)] of the 64-bit result. */
export function marvin64(data: Uint8Array, seed: Seed, offset = 0, length = data.length - offset): [number, number] {
  let p0 = seed[1] >>> 0;
  let p1 = seed[0] >>> 0;
  const block = () => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  let i = offset;
  const end = offset + length;
  for (; end - i >= 4; i += 4) {
    const w = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
    p0 = (p0 + w) >>> 0;
    block();
  }
  switch (end - i) {
    case 0:
      p0 = (p0 + 0x80) >>> 0;
      break;
    case 1:
      p0 = (p0 + (0x8000 | data[i])) >>> 0;
      break;
    case 2:
      p0 = (p0 + (0x800000 | data[i] | (data[i + 1] << 8))) >>> 0;
      break;
    default:
      p0 = (p0 + ((0x80000000 | (data[i + 2] << 16) | data[i] | (data[i + 1] << 8)) >>> 0)) >>> 0;
      break;
  }
  block();
  block();
  return [p1, p0];
}

/** Marvin32: the 64-bit result folded to 32 bits (high ^ low), unsigned. */
export function marvin32(data: Uint8Array, seed: Seed, offset = 0, length = data.length - offset): number {
  const [hi, lo] = marvin64(data, seed, offset, length);
  return (hi ^ lo) >>> 0;
}

let crcTable: Uint32Array | undefined;
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unsigned integer in base62 (0-9A-Za-z), left-padded with '0' to width. */
export function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

export function fromBase62(s: string): number | undefined {
  let v = 0;
  for (const ch of s) {
    const d = BASE62.indexOf(ch);
    if (d < 0) return undefined;
    v = v * 62 + d;
  }
  return v;
}
