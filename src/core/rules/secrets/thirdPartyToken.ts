// SECRET-THIRD-PARTY-TOKEN: tokens with documented shapes (and checksums where the format has one).
// Matching is a literal prefix (indexOf) followed by a character run checked in code: linear, no regex
// backtracking, and exact lengths without lookarounds.

import { AnchorMatcher } from './anchors';
import { base62, crc32, fromBase62 } from './checksums';
import { isAlnum, isBase64Char, isHexChar, isUpperBase32, isUrlTokenChar, latin1, runEnd, shannonEntropy } from './encoding';
import { isPlaceholder } from './negatives';
import { type Hit, type LineDetector, RULE, type SecretRule } from './types';

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
  /**
   * validate checks a checksum: a token that passes it is real whatever its characters look like (a random
   * 'XxXx' or '1234567' inside is not a placeholder; a made-up token does not carry a valid CRC-32).
   */
  checksummed?: boolean;
  /** The literals a line holding the token must hold (default: the prefixes); [] for a prefix too common to select lines by. */
  anchors?: string[];
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
  { prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], kind: 'GitHub token', run: isAlnum, min: 36, max: 36, validate: validateBase62Crc, checksummed: true },
  {
    prefixes: ['github_pat_'],
    kind: 'GitHub fine-grained personal access token',
    run: alnumOr('_'),
    min: 82,
    max: 82,
    validate: (t) => t[33] === '_' && t.indexOf('_', 34) === -1,
  },
  { prefixes: ['npm_'], kind: 'npm access token', run: isAlnum, min: 36, max: 36, validate: validateBase62Crc, checksummed: true },
  { prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], kind: 'AWS access key ID', run: isUpperBase32, min: 16, max: 16, left: isAlnum, validate: (t) => !t.includes('EXAMPLE') },
  { prefixes: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'], kind: 'Slack token', run: slackRun, min: 20, max: 250, validate: (t) => SLACK_SHAPE.test(t) },
  { prefixes: ['hooks.slack.com/services/'], kind: 'Slack webhook URL', run: alnumOr('/'), min: 20, max: 80, left: () => false, validate: (t) => t.split('/').length === 5 && t.split('/')[2][0] === 'T' },
  { prefixes: ['sk_live_', 'rk_live_'], kind: 'Stripe live secret key', run: isAlnum, min: 20, max: 247 },
  { prefixes: ['SG.'], kind: 'SendGrid API key', run: sendgridRun, min: 66, max: 66, validate: (t) => t[25] === '.' && t.indexOf('.', 3) === 25 },
  { prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], kind: 'OpenAI API key', run: isUrlTokenChar, min: 40, max: 250 },
  { prefixes: ['sk-'], kind: 'OpenAI API key', run: isUrlTokenChar, min: 40, max: 200, validate: (t) => t.indexOf('T3BlbkFJ') > 3 && !/^sk-(?:proj|svcacct|admin)-/.test(t) },
  { prefixes: ['glpat-'], kind: 'GitLab personal access token', run: isUrlTokenChar, min: 20, max: 80 },
  { prefixes: ['AIza'], kind: 'Google API key', run: isUrlTokenChar, min: 35, max: 35 },
  { prefixes: ['SK'], kind: 'Twilio API key', run: isHexChar, min: 32, max: 32, left: isAlnum, anchors: [] },
  { prefixes: ['AC'], kind: 'Twilio account SID', run: isHexChar, min: 32, max: 32, left: isAlnum, validate: (_t, line) => line.toLowerCase().includes('twilio'), anchors: ['twilio'] },
  { prefixes: ['dapi'], kind: 'Azure Databricks personal access token', run: alnumOr('-'), min: 32, max: 34, left: isAlnum, validate: (t) => /^dapi[0-9a-f]{32}(?:-[0-9])?$/.test(t) },
];

const AWS_SECRET_RUN = (c: number) => isBase64Char(c);

/**
 * A detector for some of the specs. Which specs can match a line is found in one pass: an indexOf per prefix
 * (33 of them) on every candidate line was the costliest step of secret detection on real code. Prefixes are
 * grouped by their last character (lower case), so a case-insensitive anchor hit checks only the few prefixes
 * that can end there.
 */
function tokenDetector(specs: readonly TokenSpec[], awsSecrets: boolean): LineDetector {
  if (specs.length > 31) throw new Error('specsInLine keeps one bit per token spec: at most 31');
  const prefixMatcher = new AnchorMatcher(specs.flatMap((s) => s.prefixes));
  const prefixesByLast = new Map<number, { prefix: string; spec: number }[]>();
  specs.forEach((spec, index) => {
    for (const prefix of spec.prefixes) {
      const last = prefix.toLowerCase().charCodeAt(prefix.length - 1);
      const list = prefixesByLast.get(last) ?? [];
      list.push({ prefix, spec: index });
      prefixesByLast.set(last, list);
    }
  });

  const onlyPrefix = specs.length === 1 && specs[0].prefixes.length === 1 ? specs[0].prefixes[0] : undefined;

  /** Bit i set: some prefix of specs[i] occurs in the line (exact case). */
  function specsInLine(line: string): number {
    // One exact-case prefix (Twilio's 'SK', looked for on every candidate line): indexOf beats the automaton,
    // which stops at every case-insensitive 'sk' (task, mask, risk) to compare the case.
    if (onlyPrefix !== undefined) return line.indexOf(onlyPrefix) === -1 ? 0 : 1;
    let found = 0;
    prefixMatcher.scan(line, (end) => {
      const c = line.charCodeAt(end - 1);
      const list = prefixesByLast.get(c >= 65 && c <= 90 ? c + 32 : c);
      if (list) for (const p of list) if (line.startsWith(p.prefix, end - p.prefix.length)) found |= 1 << p.spec;
      return end;
    });
    return found;
  }

  return (line, lineStart, _ctx, out) => {
    const present = specsInLine(line);
    for (let k = 0; present >>> k !== 0; k++) {
      if ((present & (1 << k)) === 0) continue;
      const spec = specs[k];
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
          if (!spec.checksummed && isPlaceholder(token.slice(prefix.length))) continue;
          out.push({ ruleId: RULE.thirdParty, start: lineStart + i, end: lineStart + e, secret: token, kind: spec.kind });
        }
      }
    }
    if (awsSecrets) detectAwsSecretKeys(line, lineStart, out);
  };
}

/** AWS secret access keys have no prefix: exactly 40 base64 characters on a line that names them. */
function detectAwsSecretKeys(line: string, lineStart: number, out: Hit[]): void {
  if (!awsSecretContext(line)) return;
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

const ANCHORED_SPECS = TOKEN_SPECS.filter((s) => s.anchors?.length !== 0);
export const detectTokens = tokenDetector(ANCHORED_SPECS, true);
const detectUnanchoredTokens = tokenDetector(
  TOKEN_SPECS.filter((s) => s.anchors?.length === 0),
  false,
);
/** Each spec's prefixes or anchors, and 'secret' for the AWS secret key context. */
const TOKEN_ANCHORS = [...new Set([...ANCHORED_SPECS.flatMap((s) => s.anchors ?? s.prefixes), 'secret'].map((a) => a.toLowerCase()))];

// An npm legacy token is a UUID: written in pieces.
const uuid = { pieces: ['7c9e6679-7425-', '40de-944b-', 'e07fc1f90ae7'] };

export const thirdPartyTokenRule: SecretRule = {
  meta: {
    id: RULE.thirdParty,
    title: 'Third-party API token',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A token for a third-party service (GitHub, npm, AWS, Slack, Stripe, SendGrid, OpenAI, GitLab, Google, Twilio, Databricks) is in plain text.',
  },
  priority: 85,
  lineDetectors: [
    { name: 'third-party tokens', detect: detectTokens, anchors: TOKEN_ANCHORS },
    // 'SK' is too common a pair of letters to select lines by: Twilio API keys are looked for on lines others selected.
    { name: 'third-party tokens without an anchor', detect: detectUnanchoredTokens, everyCandidate: true, anchors: [] },
  ],
  patterns: [SLACK_SHAPE],
  examples: {
    positives: [
      { name: 'GitHub token in a workflow', file: '.github/workflows/ci.yml', text: 'env:\n  GH_TOKEN: {secret}\n', secret: { fake: 'github-pat' } },
      { name: 'npm token in .npmrc', file: '.npmrc', text: '//registry.npmjs.org/:_authToken={secret}\n', secret: { fake: 'npm-token' } },
      { name: 'npm legacy UUID token in .npmrc', file: 'pkg/.npmrc', text: 'registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={secret}\n', secret: uuid, kind: 'npm access token' },
    ],
    negatives: [
      { name: 'GitHub token with a broken checksum', file: 'a.py', text: 't = "{secret}"\n', secret: { pieces: ['gh', 'p_', 'aaaaBBBBccccDDDDeeeeFFFFgggg', 'HHHHiiii'] } },
      { name: 'UUID under a token name outside npm', file: 'client.js', text: 'const requestToken = "7c9e6679-7425-40de-944b-e07fc1f90ae7";\n' },
    ],
  },
};
