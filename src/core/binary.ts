/** How much of a file the text/binary decision looks at (the window git and ripgrep use for their NUL test). */
const SAMPLE_BYTES = 8192;

/** Why a file is not scanned as text; shown as "skipped, <reason>". */
export const SKIP_BINARY = 'binary';
export const SKIP_NUL = 'NUL bytes in a text file (not scanned; remove them to scan it)';

export type Decoded = { text: string; encoding: string } | { skipped: string };

/**
 * Bytes -> text, or the reason they are not scanned. UTF-8 (BOM dropped); UTF-16 and UTF-32 in either byte
 * order, with a BOM or recognised by where the zero bytes fall (Windows tools write UTF-16 without a BOM);
 * anything else with a NUL byte in the first 8 KB is binary, or text with NULs when it otherwise reads as text.
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  const bom = byBom(bytes);
  if (bom?.encoding === 'utf-8') return { text: utf8.decode(bytes.subarray(bom.skip)), encoding: 'utf-8' };
  if (bom) return decodeWide(bytes.subarray(bom.skip), bom.encoding) ?? { skipped: SKIP_BINARY };
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (!sample.includes(0)) return { text: utf8.decode(bytes), encoding: 'utf-8' };
  const wide = byZeroPattern(sample);
  const decoded = wide && decodeWide(bytes, wide);
  if (decoded) return decoded;
  return { skipped: mostlyText(sample) ? SKIP_NUL : SKIP_BINARY };
}

/**
 * What the first SAMPLE_BYTES of a file (or all of a shorter one) decide, as decodeBytes would decide it:
 * 'utf-8' text (no BOM, no NUL in the sample), skipped for a reason (NULs in no wide-text pattern), or
 * 'whole-file' when only all the bytes tell (a BOM, wide text). Lets a reader stop after the sample.
 */
export function sniffSample(sample: Uint8Array): 'utf-8' | 'whole-file' | { skipped: string } {
  const s = sample.subarray(0, SAMPLE_BYTES);
  if (byBom(s)) return 'whole-file';
  if (!s.includes(0)) return 'utf-8';
  if (byZeroPattern(s)) return 'whole-file';
  return { skipped: mostlyText(s) ? SKIP_NUL : SKIP_BINARY };
}

export const SNIFF_SAMPLE_BYTES = SAMPLE_BYTES;

/** Wide text, unless it does not decode or decodes to control characters (binary data that fit the pattern). */
function decodeWide(bytes: Uint8Array, encoding: WideEncoding): { text: string; encoding: string } | undefined {
  const decoded = encoding === 'utf-16le' || encoding === 'utf-16be' ? decodeUtf16(bytes, encoding) : decodeUtf32(bytes, encoding === 'utf-32le');
  return decoded && !looksBinary(decoded.text.slice(0, SAMPLE_BYTES)) ? decoded : undefined;
}

type WideEncoding = 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

function byBom(b: Uint8Array): { encoding: WideEncoding | 'utf-8'; skip: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  // FF FE 00 00 is also UTF-16LE BOM + U+0000; a real UTF-16 file does not start with a NUL character.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', skip: 4 };
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return undefined;
}

/**
 * Text in a wide encoding is mostly ASCII in source and config files, so its zero bytes sit at fixed offsets:
 * UTF-16LE "A\0B\0", UTF-16BE "\0A\0B", UTF-32LE "A\0\0\0". Binary data has no such regular pattern.
 */
function byZeroPattern(s: Uint8Array): WideEncoding | undefined {
  const zeros = [0, 0, 0, 0];
  const n = s.length - (s.length % 4);
  if (n < 4) return undefined;
  for (let i = 0; i < n; i++) if (s[i] === 0) zeros[i % 4]++;
  const units = n / 4;
  // Bytes 2 and 3 of a UTF-32LE unit are zero below U+10000, byte 0 only for U+xx00 characters.
  if (zeros[3] >= units * 0.9 && zeros[2] >= units * 0.5 && zeros[0] <= units * 0.25) return 'utf-32le';
  if (zeros[0] >= units * 0.9 && zeros[1] >= units * 0.5 && zeros[3] <= units * 0.25) return 'utf-32be';
  // Per 2-byte unit: the high byte is zero for ASCII (a tenth of the text is enough), the low byte seldom
  // (U+0100, U+4E00...). Binary data that fits is caught when it decodes to control characters.
  const even = zeros[0] + zeros[2];
  const odd = zeros[1] + zeros[3];
  const pairs = n / 2;
  if (odd >= pairs * 0.1 && even * 4 <= odd) return 'utf-16le';
  if (even >= pairs * 0.1 && odd * 4 <= even) return 'utf-16be';
  return undefined;
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): { text: string; encoding: string } | undefined {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes.length % 2 ? bytes.subarray(0, bytes.length - 1) : bytes), encoding };
  } catch {
    return undefined; // unpaired surrogates: not UTF-16 text
  }
}

/** TextDecoder has no UTF-32; code points above U+10FFFF or in the surrogate range mean it is not UTF-32. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): { text: string; encoding: string } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length - (bytes.length % 4));
  const chunks: string[] = [];
  let codes: number[] = [];
  for (let i = 0; i < view.byteLength; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    codes.push(cp);
    if (codes.length === 4096) {
      chunks.push(String.fromCodePoint(...codes));
      codes = [];
    }
  }
  chunks.push(String.fromCodePoint(...codes));
  return { text: chunks.join(''), encoding: littleEndian ? 'utf-32le' : 'utf-32be' };
}

/** Decoded "text" full of control characters (NUL included) came from binary data that happened to fit a pattern. */
function looksBinary(text: string): boolean {
  let control = 0;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) control++;
  return control > text.length * 0.05;
}

/** NULs aside, the sample is UTF-8 text: few NULs, few other control bytes, few invalid sequences. */
function mostlyText(sample: Uint8Array): boolean {
  const text = utf8.decode(sample);
  let nul = 0;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) nul++;
    else if (isControl(c) || c === 0xfffd) odd++;
  }
  const rest = text.length - nul;
  // Max(1, ...): a cut at the end of the sample may split one UTF-8 sequence; a short file may hold one NUL.
  return rest > 0 && odd <= Math.max(1, rest * 0.02) && nul <= Math.max(1, text.length * 0.1);
}

function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f;
}

const utf8 = new TextDecoder('utf-8');
