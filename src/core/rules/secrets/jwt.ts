// SECRET-JWT: three base64url parts, header and payload JSON objects, header with "alg".

import { hmacSha256, utf8 } from '../../hash';
import { decodeBase64, isUrlTokenChar, runEnd } from './encoding';
import { type LineDetector, RULE, type SecretRule } from './types';

const isJwtChar = (c: number) => isUrlTokenChar(c) || c === 46;

function decodeJson(part: string): unknown {
  const bytes = decodeBase64(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

interface JwtParts {
  /** header, payload, signature (base64url, as written). */
  parts: string[];
  alg: string;
}

/** header.payload.signature with a JSON header naming an "alg", or undefined. */
function jwtParts(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1].startsWith('eyJ')) return undefined;
  const header = decodeJson(parts[0]) as { alg?: unknown } | undefined;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string') return undefined;
  return { parts, alg: header.alg };
}

/**
 * A JWT, signed or not (an unsigned one, "eyJ….eyJ….", is a test's raw token and no credential). SECRET-JWT judges
 * every value of this shape; the generic rule leaves them.
 */
export function isJwtShaped(token: string): boolean {
  return jwtParts(token) !== undefined;
}

/** Signed (a signature of 16+ characters, "alg" not "none") with a JSON payload: a token someone could use. */
function isSignedToken(jwt: JwtParts): boolean {
  if (jwt.parts[2].length < 16 || jwt.alg.toLowerCase() === 'none') return false;
  const payload = decodeJson(jwt.parts[1]);
  return !!payload && typeof payload === 'object';
}

/**
 * Signing keys that documentation publishes: jwt.io's debugger ("your-256-bit-secret"), PyJWT's and most
 * tutorials' "secret", node-jsonwebtoken's "shhhhh". A token whose HS256 signature verifies with one of them is an
 * example anyone can mint, not a credential someone was issued.
 */
const PUBLISHED_SIGNING_KEYS = ['secret', 'your-256-bit-secret', 'shhhhh', 'secretkey', 'mysecret', 'my-secret', 'my_secret', 'secret-key', 'changeme'].map(utf8);

/** The token is HS256-signed with a published key (see PUBLISHED_SIGNING_KEYS). */
function isSignedWithPublishedKey(jwt: JwtParts): boolean {
  if (jwt.alg !== 'HS256') return false;
  const signature = decodeBase64(jwt.parts[2]);
  if (!signature || signature.length !== 32) return false;
  const signed = utf8(`${jwt.parts[0]}.${jwt.parts[1]}`);
  return PUBLISHED_SIGNING_KEYS.some((key) => hmacSha256(key, signed).every((b, i) => b === signature[i]));
}

export const detectJwts: LineDetector = (line, lineStart, _ctx, out) => {
  for (let i = line.indexOf('eyJ'); i !== -1; i = line.indexOf('eyJ', i + 1)) {
    if (i > 0 && isJwtChar(line.charCodeAt(i - 1))) continue;
    const e = runEnd(line, i, isJwtChar, 16384);
    const token = line.slice(i, e);
    const jwt = jwtParts(token);
    if (!jwt || !isSignedToken(jwt) || isSignedWithPublishedKey(jwt)) continue;
    out.push({ ruleId: RULE.jwt, start: lineStart + i, end: lineStart + e, secret: token, kind: 'JSON Web Token' });
    i = e;
  }
};

export const jwtRule: SecretRule = {
  meta: {
    id: RULE.jwt,
    title: 'JSON Web Token',
    tag: 'secret',
    severity: 'warning',
    confidence: 'medium',
    description: 'A signed JSON Web Token is in plain text; until it expires it may grant the access of whoever it was issued to.',
  },
  priority: 60,
  lineDetectors: [{ name: 'JSON Web Tokens', detect: detectJwts, anchors: ['eyj'] }],
  patterns: [],
  examples: {
    positives: [{ name: 'bearer token in C#', file: 'Client.cs', text: 'client.DefaultRequestHeaders.Add("Authorization", "Bearer {secret}");\n', secret: { fake: 'jwt' } }],
    negatives: [
      { name: 'eyJ string whose header is not JSON', file: 'a.js', text: 'x = "eyJhYWFhYWFhYWFhYWFh.eyJiYmJiYmJiYmJiYmJi.cccccccccccccccccccccccc"\n' },
      { name: 'documentation token signed with the key tutorials publish', file: 'pip-report.json', text: '{ "description": ">>> encoded = jwt.encode(payload, key, algorithm=\\"HS256\\")\\n>>> print(encoded)\\n{secret}\\n" }', secret: { fake: 'jwt-published-key' } },
    ],
  },
};
