// Kubernetes Secret manifests keep their values base64-encoded under `data:`. Encoding is not encryption:
// decode each value, scan the decoded text with the ordinary detectors, and report on the encoded value as
// written. (`stringData:` values are plain text and already covered by the line pass.)

import type { ParsedDocument } from '../../model';
import { decodeBase64 } from './encoding';
import type { Hit } from './types';

/** Scans one decoded value (the data key is its setting name) and returns hits with offsets into the value. */
export type DecodedValueScanner = (value: string, name: string) => Hit[];

const MAX_ENCODED = 256 * 1024;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const WHITESPACE = /\s+/g;
/** Control characters other than tab, line feed and carriage return mean binary data, not text. */
function isText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return false;
  }
  return true;
}

/** The decoded text of a Secret `data` value, or undefined when it is not base64 of UTF-8 text. */
export function decodeSecretData(encoded: string): string | undefined {
  if (encoded.length < 8 || encoded.length > MAX_ENCODED || encoded.includes('{{')) return undefined;
  const compact = encoded.replace(WHITESPACE, '');
  if (compact.length % 4 !== 0) return undefined;
  const bytes = decodeBase64(compact);
  if (!bytes || bytes.length === 0) return undefined;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  return isText(text) ? text : undefined;
}

/**
 * For every `data` value of a `kind: Secret` document: drop the hits the other passes made on the encoded text
 * (they judged base64, not the secret) and add what the decoded value holds, over the encoded range.
 */
export function detectKubernetesSecretData(doc: ParsedDocument, scan: DecodedValueScanner, hits: Hit[]): void {
  if (doc.resources.length === 0) return;
  for (const e of doc.entries) {
    if (e.resource === undefined || e.valueType !== 'string' || e.path.length !== 2 || e.path[0] !== 'data') continue;
    if (doc.resources[e.resource]?.type !== 'Secret') continue;
    const decoded = decodeSecretData(e.value);
    if (decoded === undefined) continue;
    for (let i = hits.length - 1; i >= 0; i--) if (hits[i].start >= e.contentStart && hits[i].end <= e.contentEnd) hits.splice(i, 1);
    const encoded = doc.text.slice(e.contentStart, e.contentEnd);
    for (const h of scan(decoded, e.key)) {
      hits.push({ ...h, start: e.contentStart, end: e.contentEnd, secret: encoded, kind: `${h.kind} (base64-encoded in a Kubernetes Secret)` });
    }
  }
}

export const k8sSecretPatterns: RegExp[] = [WHITESPACE];
