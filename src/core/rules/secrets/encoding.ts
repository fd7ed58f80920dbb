// Small pure helpers for secret validation: base64/base32 codecs, Shannon entropy, character classes.
// No Buffer, no atob: this module is bundled for a browser web worker too.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
// URL-safe alphabet maps onto the same values.
B64_VALUE['-'.charCodeAt(0)] = 62;
B64_VALUE['_'.charCodeAt(0)] = 63;

/**
 * Decode standard or URL-safe base64 (padding optional). Returns undefined when the text is not base64:
 * a character outside the alphabet, padding in the middle, or an impossible length.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  if (text.length - end > 2) return undefined;
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c] : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Standard base64 with padding (or URL-safe without '+' and '/' when urlSafe). */
export function encodeBase64(bytes: Uint8Array, urlSafe = false): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  return urlSafe ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 (case-insensitive, no padding), most significant bit first; trailing partial bits dropped. */
export function decodeBase32(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B32.indexOf(text[i].toLowerCase());
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8 && o < out.length) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** Latin-1 bytes of a string (characters above 0xff are truncated; secrets here are ASCII). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** How many of lower-case, upper-case, digit and other characters the string uses (0-4). */
export function charClasses(s: string): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

export function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isBase64Char(c: number): boolean {
  return isAlnum(c) || c === 43 /* + */ || c === 47 /* / */;
}

export function isBase64UrlChar(c: number): boolean {
  return isAlnum(c) || c === 45 /* - */ || c === 95 /* _ */;
}

/** Every character of s[start, end) satisfies pred. */
export function allChars(s: string, start: number, end: number, pred: (c: number) => boolean): boolean {
  if (start < 0 || end > s.length) return false;
  for (let i = start; i < end; i++) if (!pred(s.charCodeAt(i))) return false;
  return true;
}

/** Little-endian uint32 at offset. */
export function readU32LE(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

export function writeU32LE(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

/** Decode %XX escapes (only those; '+' stays '+'). Undefined on a malformed escape. */
export function percentDecode(s: string): string | undefined {
  if (s.indexOf('%') === -1) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return out;
}

/** Index just past the run of characters satisfying pred that starts at i (at most max characters). */
export function runEnd(s: string, i: number, pred: (c: number) => boolean, max = Infinity): number {
  let j = i;
  while (j < s.length && j - i < max && pred(s.charCodeAt(j))) j++;
  return j;
}

/** Index of the first character of the run of pred-characters that ends just before i. */
export function runStart(s: string, i: number, pred: (c: number) => boolean, max = Infinity): number {
  let j = i;
  while (j > 0 && i - j < max && pred(s.charCodeAt(j - 1))) j--;
  return j;
}

export const isHexChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
export const isUpperBase32 = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 50 && c <= 55);
export const isLowerBase32 = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 50 && c <= 55);
export const isUrlTokenChar = (c: number): boolean => isAlnum(c) || c === 45 || c === 95;
