import { isProbablyBinary } from '../core/binary';

/** Bytes -> text: UTF-8 (BOM dropped) or UTF-16 with a BOM; undefined for binary files. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (isProbablyBinary(bytes)) return undefined;
  return utf8.decode(bytes);
}

const utf8 = new TextDecoder('utf-8');
