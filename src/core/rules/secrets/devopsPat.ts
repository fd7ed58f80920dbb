// SECRET-AZURE-DEVOPS-PAT. Legacy Azure DevOps PATs: 52 characters of lower-case base32 with an embedded CRC-32.
// (New-format AZDO PATs are common annotated keys: identifiableKey.ts reports them under this rule id.)

import { crc32 } from './checksums';
import { allChars, decodeBase32, isAlnum, isLowerBase32, runEnd, runStart, shannonEntropy } from './encoding';
import { type LineDetector, RULE, type SecretRule } from './types';

const ADO_USER = 0xe0b9692d;
const ADO_APP = 0x1019f92e;

/** 28 token bytes are checksummed (CRC-32 xor a magic number); the 4 checksum bytes sit at 22, 8, 7, 2. */
export function validateAdoPat(pat: string): boolean {
  if (pat.length !== 52) return false;
  const b = decodeBase32(pat);
  if (!b || b.length !== 32) return false;
  const token = new Uint8Array(28);
  token.set(b.subarray(0, 2), 0);
  token.set(b.subarray(3, 7), 2);
  token.set(b.subarray(9, 22), 6);
  token.set(b.subarray(23, 32), 19);
  const stored = (b[22] | (b[8] << 8) | (b[7] << 16) | (b[2] << 24)) >>> 0;
  const c = crc32(token);
  return ((c ^ ADO_USER) >>> 0) === stored || ((c ^ ADO_APP) >>> 0) === stored;
}

const DIGIT_2_7 = /[2-7]/;
export const ADO_CONTEXT = /\bpat\b|_pat\b|\bpat_|personal.?access.?token|devops|dev\.azure\.com|visualstudio\.com|\bvsts\b|\bado\b|system\.accesstoken/i;

/** PAT length: every maximal alphanumeric run this long holds exactly one position p with p % PAT_LENGTH === PAT_LENGTH - 1. */
const PAT_LENGTH = 52;

/** 52-char base32 PATs: flagged when the checksum holds, or when the line talks about a PAT / Azure DevOps. */
export const detectAdoPats: LineDetector = (line, lineStart, _ctx, out) => {
  let context: boolean | undefined;
  // Maximal alphanumeric runs of exactly 52 lower-case base32 characters. Such a run starting at or after `from`
  // covers position from + 51, so only every 52nd character is probed, and a run is read only around a probe
  // that could lie inside one (this detector runs on every candidate line: reading each character cost more).
  for (let p = PAT_LENGTH - 1; p < line.length; ) {
    if (!isLowerBase32(line.charCodeAt(p))) {
      p += PAT_LENGTH;
      continue;
    }
    const s = runStart(line, p, isAlnum);
    const e = runEnd(line, p, isAlnum);
    if (e - s === PAT_LENGTH && allChars(line, s, e, isLowerBase32)) {
      const pat = line.slice(s, e);
      let ok = validateAdoPat(pat);
      if (!ok) {
        context ??= ADO_CONTEXT.test(line);
        ok = context && shannonEntropy(pat) >= 4 && DIGIT_2_7.test(pat);
      }
      if (ok) out.push({ ruleId: RULE.devopsPat, start: lineStart + s, end: lineStart + e, secret: pat, kind: 'Azure DevOps personal access token' });
    }
    // The next run starts past e (a non-alphanumeric character or the end).
    p = e + PAT_LENGTH;
  }
};

export const devopsPatRule: SecretRule = {
  meta: {
    id: RULE.devopsPat,
    title: 'Azure DevOps personal access token',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'An Azure DevOps personal access token is in plain text; it acts as its owner on repositories, pipelines and feeds.',
  },
  priority: 92,
  lineDetectors: [
    // A valid checksum needs no literal: runs on every line another anchor selected; its own anchors add the
    // lines that talk about Azure DevOps ('pat' and 'ado' alone are too common to select lines by).
    { name: 'legacy Azure DevOps PATs', detect: detectAdoPats, everyCandidate: true, anchors: ['devops', 'dev.azure', 'visualstudio.com', 'vsts', '_pat', 'pat_', 'personal'] },
  ],
  patterns: [ADO_CONTEXT, DIGIT_2_7],
  examples: {
    positives: [{ name: 'PAT in .env', file: '.env', text: 'ADO_TOKEN={secret}\n', secret: { fake: 'azure-devops-pat' } }],
    negatives: [{ name: 'pipeline variable reference', file: 'azure-pipelines.yml', text: 'variables:\n  token: $(System.AccessToken)\n' }],
  },
};
