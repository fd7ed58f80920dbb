// Third-party tokens with documented shapes (and checksums where the format has one), and JWTs.

import { base62, crc32, fromBase62 } from './checksums';
import { decodeBase64, latin1, shannonEntropy } from './encoding';
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

interface TokenPattern {
  /** Cheap literals, one of which must occur on the line before the regex runs (none: always run). */
  anchors: string[];
  re: RegExp;
  kind: string;
  validate?: (token: string, line: string) => boolean;
  /** Capture group holding the secret (default: the whole match). */
  group?: number;
}

const AWS_SECRET_CONTEXT = /aws.{0,20}secret|secret.{0,20}access.{0,5}key/i;

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, kind: 'GitHub token', validate: validateBase62Crc },
  { anchors: ['github_pat_'], re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])/g, kind: 'GitHub fine-grained personal access token' },
  { anchors: ['npm_'], re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, kind: 'npm access token', validate: validateBase62Crc },
  {
    anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    kind: 'AWS access key ID',
    validate: (t) => !t.includes('EXAMPLE'),
  },
  {
    // AWS secret access keys have no prefix: 40 base64 characters next to a name that says so.
    anchors: [],
    re: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g,
    kind: 'AWS secret access key',
    validate: (t, line) => AWS_SECRET_CONTEXT.test(line) && /[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9]/.test(t) && shannonEntropy(t) >= 4.2 && !t.includes('EXAMPLE'),
  },
  { anchors: ['xox'], re: /(?<![A-Za-z0-9_-])xox[baprs]-[0-9]{6,16}-[0-9A-Za-z-]{8,200}/g, kind: 'Slack token' },
  { anchors: ['hooks.slack.com'], re: /hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}/g, kind: 'Slack webhook URL' },
  { anchors: ['_live_'], re: /(?<![A-Za-z0-9])(?:sk|rk)_live_[0-9A-Za-z]{20,247}(?![A-Za-z0-9])/g, kind: 'Stripe live secret key' },
  { anchors: ['SG.'], re: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, kind: 'SendGrid API key' },
  { anchors: ['sk-'], re: /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}(?![A-Za-z0-9_-])/g, kind: 'OpenAI API key' },
  { anchors: ['T3BlbkFJ'], re: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,64}T3BlbkFJ[A-Za-z0-9_-]{16,64}(?![A-Za-z0-9_-])/g, kind: 'OpenAI API key' },
  { anchors: ['glpat-'], re: /(?<![A-Za-z0-9_-])glpat-[0-9A-Za-z_-]{20,80}(?![0-9A-Za-z_-])/g, kind: 'GitLab personal access token' },
  { anchors: ['AIza'], re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, kind: 'Google API key' },
  { anchors: ['SK'], re: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g, kind: 'Twilio API key' },
  { anchors: ['AC'], re: /(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])/g, kind: 'Twilio account SID', validate: (_t, line) => /twilio/i.test(line) },
  { anchors: ['dapi'], re: /(?<![A-Za-z0-9])dapi[0-9a-f]{32}(?:-[0-9])?(?![A-Za-z0-9])/g, kind: 'Azure Databricks personal access token' },
];

export const detectTokens: LineDetector = (line, lineStart, _ctx, out) => {
  for (const p of TOKEN_PATTERNS) {
    if (p.anchors.length && !p.anchors.some((a) => line.indexOf(a) !== -1)) continue;
    if (!p.anchors.length && !AWS_SECRET_CONTEXT.test(line)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(line); m; m = p.re.exec(line)) {
      const token = m[0];
      if (p.validate && !p.validate(token, line)) continue;
      if (isPlaceholder(token)) continue;
      out.push({ ruleId: RULE.thirdParty, start: lineStart + m.index, end: lineStart + m.index + token.length, secret: token, kind: p.kind });
    }
  }
};

// ---- JWT ----

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4000}\.eyJ[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{16,1000}(?![A-Za-z0-9_-])/g;

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
  const [h, p] = token.split('.');
  const header = decodeJson(h) as { alg?: unknown } | undefined;
  if (!header || typeof header !== 'object' || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return false;
  const payload = decodeJson(p);
  return !!payload && typeof payload === 'object';
}

export const detectJwts: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('eyJ') === -1) return;
  JWT.lastIndex = 0;
  for (let m = JWT.exec(line); m; m = JWT.exec(line)) {
    if (!validateJwt(m[0])) continue;
    out.push({ ruleId: RULE.jwt, start: lineStart + m.index, end: lineStart + m.index + m[0].length, secret: m[0], kind: 'JSON Web Token' });
  }
};

export const tokenPatterns: RegExp[] = [...TOKEN_PATTERNS.map((p) => p.re), AWS_SECRET_CONTEXT, JWT];
