// SECRET-PRIVATE-KEY: PEM private keys. The body must decode as base64 and look like a key: DER (starts with 0x30, an ASN.1
// SEQUENCE) or the OpenSSH container ("openssh-key-v1\0"). Public keys and certificates are never flagged.
// The range covers the whole block, BEGIN line to END line, which is the secret as a user would copy it.

import { nextOccurrence } from './anchors';
import { decodeBase64 } from './encoding';
import { type Hit, RULE, type SecretRule } from './types';

export const BEGIN = '-----BEGIN ';
const END = '-----END ';
const LABEL = /^-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
/** Header lines of traditional encrypted PEM (Proc-Type, DEK-Info) and PGP armour headers. */
const PEM_HEADER = /^[A-Za-z-]+:/;
const MAX_BLOCK = 64 * 1024;
const ESCAPED_BREAK = /\\r|\\n/g;
const KIND: Record<string, string> = {
  'PRIVATE KEY': 'Private key (PKCS#8)',
  'RSA PRIVATE KEY': 'RSA private key',
  'EC PRIVATE KEY': 'EC private key',
  'DSA PRIVATE KEY': 'DSA private key',
  'OPENSSH PRIVATE KEY': 'OpenSSH private key',
  'ENCRYPTED PRIVATE KEY': 'Encrypted private key',
  'PGP PRIVATE KEY BLOCK': 'PGP private key',
};

const OPENSSH_MAGIC = 'openssh-key-v1';

function looksLikeKey(body: Uint8Array, label: string): boolean {
  if (label.startsWith('OPENSSH')) {
    if (body.length < OPENSSH_MAGIC.length + 1) return false;
    for (let i = 0; i < OPENSSH_MAGIC.length; i++) if (body[i] !== OPENSSH_MAGIC.charCodeAt(i)) return false;
    return body[OPENSSH_MAGIC.length] === 0;
  }
  if (label.startsWith('PGP')) return body.length >= 32;
  return body.length >= 32 && body[0] === 0x30;
}

const QUOTES = '"\'`';

/** Quotes and concatenation around a line of a key built in code ("MIIE..." + / 'MIIE...',). Never a bare '+'. */
function unquote(line: string): string {
  let l = line;
  if (l.startsWith('+')) {
    const rest = l.slice(1).trimStart();
    if (QUOTES.includes(rest[0] ?? '')) l = rest;
  }
  if (!QUOTES.includes(l[0] ?? '')) return l;
  l = l.slice(1);
  if (l.endsWith('\\')) l = l.slice(0, -1);
  l = l.trimEnd();
  if (l.endsWith('+') || l.endsWith(',')) l = l.slice(0, -1).trimEnd();
  if (QUOTES.includes(l[l.length - 1] ?? '')) l = l.slice(0, -1);
  return l;
}

/** Strip line breaks (real ones and JSON/code-escaped "\n"), string quoting and concatenation between lines. */
function cleanBody(raw: string): string {
  const lines = raw.replace(ESCAPED_BREAK, '\n').split('\n');
  let out = '';
  for (let l of lines) {
    l = l.trim();
    if (!l || PEM_HEADER.test(l)) continue;
    // Code that builds the key line by line: "MIIE..." + or 'MIIE...',
    l = unquote(l);
    out += l;
  }
  return out;
}

/**
 * Linear in the text: a block ends before the next BEGIN (a body holding a BEGIN line never decodes as a key),
 * so each END marker and each body character is looked at for one BEGIN only. Searching the rest of the text
 * for the END of every header made 2 MB of unclosed headers take 26 s.
 */
export function detectPrivateKeys(text: string, out: Hit[]): void {
  const nextBegin = nextOccurrence(text, BEGIN);
  const nextEnd = nextOccurrence(text, END);
  for (let i = nextBegin(0); i !== -1; i = nextBegin(i + BEGIN.length)) {
    const m = LABEL.exec(text.slice(i, i + 80));
    if (!m) continue;
    const label = m[1];
    const endMarker = `-----END ${label}-----`;
    const bodyStart = i + m[0].length;
    const following = nextBegin(i + BEGIN.length);
    const limit = Math.min(following === -1 ? text.length : following, i + MAX_BLOCK + 1);
    let endAt = -1;
    for (let e = nextEnd(bodyStart); e !== -1 && e < limit; e = nextEnd(e + END.length)) {
      if (text.startsWith(endMarker, e)) {
        endAt = e;
        break;
      }
    }
    if (endAt === -1) continue;
    const body = cleanBody(text.slice(bodyStart, endAt));
    if (body.length < 40) continue;
    const bytes = decodeBase64(body);
    if (!bytes || !looksLikeKey(bytes, label)) continue;
    const end = endAt + endMarker.length;
    out.push({ ruleId: RULE.privateKey, start: i, end, secret: text.slice(i, end), kind: KIND[label] ?? 'Private key' });
    i = end - BEGIN.length;
  }
}

export const privateKeyRule: SecretRule = {
  meta: {
    id: RULE.privateKey,
    title: 'Private key',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A PEM private key is in plain text; whoever has it can impersonate its owner or decrypt its traffic.',
  },
  priority: 90,
  lineDetectors: [],
  textDetectors: [{ marker: BEGIN, detect: detectPrivateKeys }],
  patterns: [LABEL, PEM_HEADER, ESCAPED_BREAK],
  examples: {
    positives: [{ name: 'EC key in a PEM file', file: 'key.pem', text: '{secret}\n', secret: { fake: 'ec-private-key' } }],
    negatives: [{ name: 'placeholder body in a README', file: 'README.md', text: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n' }],
  },
};
