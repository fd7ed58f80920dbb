// Third-party tokens with documented shapes (and checksums where the format has one), and JWTs.
// Matching is a literal prefix (indexOf) followed by a character run checked in code: linear, no regex
// backtracking, and exact lengths without lookarounds.

import { AnchorMatcher } from './anchors';
import { base62, crc32, fromBase62 } from './checksums';
import { decodeBase64, isAlnum, isBase64Char, isHexChar, isUpperBase32, isUrlTokenChar, latin1, runEnd, shannonEntropy } from './encoding';
import { isPlaceholder } from './negatives';
import { type LineDetector, RULE } from './types';

/**
 * GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens: 30 random base62 characters followed by the
 * CRC-32 of those characters in 6 base62 digits (github.blog, "Behind GitHub's new authentication token formats").
 */
export function validateBase62Crc(token: string): boolean {
  const body = token.slice(4, -6);
  const check = fromBase62(token.slice(-6));
  return body.length === 30 && check !== undefined && check === crc32(latin1(body));
}

export function base62Checksum(body: string): string {
  return base62(crc32(latin1(body)), 6);
}

interface TokenSpec {
  prefixes: string[];
  kind: string;
  /** Characters of the part after the prefix. */
  run: (c: number) => boolean;
  min: number;
  max: number;
  /** Characters that must not touch the token on the left (default: the run characters and '_'). */
  left?: (c: number) => boolean;
  validate?: (token: string, line: string) => boolean;
}

const alnumOr = (chars: string) => (c: number) => isAlnum(c) || chars.indexOf(String.fromCharCode(c)) !== -1;
const slackRun = alnumOr('-');
const sendgridRun = alnumOr('_-.');
/** The line names an AWS secret access key (aws_secret_access_key, AWS_SECRET, secretAccessKey). */
function awsSecretContext(line: string): boolean {
  const l = line.toLowerCase();
  return l.includes('secret') && (l.includes('aws') || (l.includes('access') && l.includes('key')));
}
const SLACK_SHAPE = /^xox[baprs]-[0-9]+-/;

export const TOKEN_SPECS: readonly TokenSpec[] = [
  { prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], kind: 'GitHub token', run: isAlnum, min: 36, max: 36, validate: validateBase62Crc },
  {
    prefixes: ['github_pat_'],
    kind: 'GitHub fine-grained personal access token',
    run: alnumOr('_'),
    min: 82,
    max: 82,
    validate: (t) => t[33] === '_' && t.indexOf('_', 34) === -1,
  },
  { prefixes: ['npm_'], kind: 'npm access token', run: isAlnum, min: 36, max: 36, validate: validateBase62Crc },
  { prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], kind: 'AWS access key ID', run: isUpperBase32, min: 16, max: 16, left: isAlnum, validate: (t) => !t.includes('EXAMPLE') },
  { prefixes: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'], kind: 'Slack token', run: slackRun, min: 20, max: 250, validate: (t) => SLACK_SHAPE.test(t) },
  { prefixes: ['hooks.slack.com/services/'], kind: 'Slack webhook URL', run: alnumOr('/'), min: 20, max: 80, left: () => false, validate: (t) => t.split('/').length === 5 && t.split('/')[2][0] === 'T' },
  { prefixes: ['sk_live_', 'rk_live_'], kind: 'Stripe live secret key', run: isAlnum, min: 20, max: 247 },
  { prefixes: ['SG.'], kind: 'SendGrid API key', run: sendgridRun, min: 66, max: 66, validate: (t) => t[25] === '.' && t.indexOf('.', 3) === 25 },
  { prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], kind: 'OpenAI API key', run: isUrlTokenChar, min: 40, max: 250 },
  { prefixes: ['sk-'], kind: 'OpenAI API key', run: isUrlTokenChar, min: 40, max: 200, validate: (t) => t.indexOf('T3BlbkFJ') > 3 && !/^sk-(?:proj|svcacct|admin)-/.test(t) },
  { prefixes: ['glpat-'], kind: 'GitLab personal access token', run: isUrlTokenChar, min: 20, max: 80 },
  { prefixes: ['AIza'], kind: 'Google API key', run: isUrlTokenChar, min: 35, max: 35 },
  { prefixes: ['SK'], kind: 'Twilio API key', run: isHexChar, min: 32, max: 32, left: isAlnum },
  { prefixes: ['AC'], kind: 'Twilio account SID', run: isHexChar, min: 32, max: 32, left: isAlnum, validate: (_t, line) => line.toLowerCase().includes('twilio') },
  { prefixes: ['dapi'], kind: 'Azure Databricks personal access token', run: alnumOr('-'), min: 32, max: 34, left: isAlnum, validate: (t) => /^dapi[0-9a-f]{32}(?:-[0-9])?$/.test(t) },
];

const AWS_SECRET_RUN = (c: number) => isBase64Char(c);

/**
 * Which specs can match a line, found in one pass: an indexOf per prefix (33 of them) on every candidate line
 * was the costliest step of secret detection on real code. Prefixes are grouped by their last character
 * (lower case), so a case-insensitive anchor hit checks only the few prefixes that can end there.
 */
if (TOKEN_SPECS.length > 31) throw new Error('specsInLine keeps one bit per token spec: at most 31');
const PREFIX_MATCHER = new AnchorMatcher(TOKEN_SPECS.flatMap((s) => s.prefixes));
const PREFIXES_BY_LAST = new Map<number, { prefix: string; spec: number }[]>();
TOKEN_SPECS.forEach((spec, index) => {
  for (const prefix of spec.prefixes) {
    const last = prefix.toLowerCase().charCodeAt(prefix.length - 1);
    const list = PREFIXES_BY_LAST.get(last) ?? [];
    list.push({ prefix, spec: index });
    PREFIXES_BY_LAST.set(last, list);
  }
});

/** Bit i set: some prefix of TOKEN_SPECS[i] occurs in the line (exact case). */
function specsInLine(line: string): number {
  let found = 0;
  PREFIX_MATCHER.scan(line, (end) => {
    const c = line.charCodeAt(end - 1);
    const list = PREFIXES_BY_LAST.get(c >= 65 && c <= 90 ? c + 32 : c);
    if (list) for (const p of list) if (line.startsWith(p.prefix, end - p.prefix.length)) found |= 1 << p.spec;
    return end;
  });
  return found;
}

export const detectTokens: LineDetector = (line, lineStart, _ctx, out) => {
  const present = specsInLine(line);
  for (let k = 0; present >>> k !== 0; k++) {
    if ((present & (1 << k)) === 0) continue;
    const spec = TOKEN_SPECS[k];
    for (const prefix of spec.prefixes) {
      for (let i = line.indexOf(prefix); i !== -1; i = line.indexOf(prefix, i + 1)) {
        const left = spec.left ?? ((c: number) => spec.run(c) || c === 95);
        if (i > 0 && left(line.charCodeAt(i - 1))) continue;
        const s = i + prefix.length;
        // Run one past max so an over-long run is rejected rather than cut.
        const e = runEnd(line, s, spec.run, spec.max + 1);
        const n = e - s;
        if (n < spec.min || n > spec.max) continue;
        if (e < line.length && (isAlnum(line.charCodeAt(e)) || spec.run(line.charCodeAt(e)))) continue;
        const token = line.slice(i, e);
        if (spec.validate && !spec.validate(token, line)) continue;
        if (isPlaceholder(token.slice(prefix.length))) continue;
        out.push({ ruleId: RULE.thirdParty, start: lineStart + i, end: lineStart + e, secret: token, kind: spec.kind });
      }
    }
  }
  // AWS secret access keys have no prefix: exactly 40 base64 characters on a line that names them.
  if (awsSecretContext(line)) {
    for (let i = 0; i < line.length; ) {
      if (!AWS_SECRET_RUN(line.charCodeAt(i))) {
        i++;
        continue;
      }
      const e = runEnd(line, i, AWS_SECRET_RUN);
      const t = line.slice(i, e);
      if (t.length === 40 && line[e] !== '=' && /[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9]/.test(t) && shannonEntropy(t) >= 4.2 && !t.includes('EXAMPLE')) {
        out.push({ ruleId: RULE.thirdParty, start: lineStart + i, end: lineStart + e, secret: t, kind: 'AWS secret access key' });
      }
      i = e;
    }
  }
};

// ---- JWT: three base64url parts, header and payload JSON objects, header with "alg" ----

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

/** header.payload.signature where the header decodes to a JSON object with an "alg" (and it is not "none"). */
export function validateJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1].startsWith('eyJ') || parts[2].length < 16) return false;
  const header = decodeJson(parts[0]) as { alg?: unknown } | undefined;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return false;
  const payload = decodeJson(parts[1]);
  return !!payload && typeof payload === 'object';
}

export const detectJwts: LineDetector = (line, lineStart, _ctx, out) => {
  for (let i = line.indexOf('eyJ'); i !== -1; i = line.indexOf('eyJ', i + 1)) {
    if (i > 0 && isJwtChar(line.charCodeAt(i - 1))) continue;
    const e = runEnd(line, i, isJwtChar, 16384);
    const token = line.slice(i, e);
    if (!validateJwt(token)) continue;
    out.push({ ruleId: RULE.jwt, start: lineStart + i, end: lineStart + e, secret: token, kind: 'JSON Web Token' });
    i = e;
  }
};

export const tokenPatterns: RegExp[] = [SLACK_SHAPE];
