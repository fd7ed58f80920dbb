import type { Finding } from './model';

/**
 * A baseline lists findings that existed when a team adopted the tool, so only new ones fail CI.
 * Entries are keyed on rule id, path and a hash of the value: a rotated (changed) key is reported again.
 */
export interface Baseline {
  version: 1;
  findings: { ruleId: string; path: string; fingerprint: string }[];
}

export class BaselineError extends Error {}

export function createBaseline(results: { path: string; findings: Finding[] }[]): Baseline {
  const findings = results
    .flatMap((r) => r.findings.map((f) => ({ ruleId: f.ruleId, path: r.path, fingerprint: f.fingerprint })))
    .sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, findings };
}

export function parseBaseline(text: string, source: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the start of the file, which may be anything a symlink points to.
    throw new BaselineError(`${source}: not valid JSON`);
  }
  const b = raw as Partial<Baseline>;
  if (!b || b.version !== 1 || !Array.isArray(b.findings)) throw new BaselineError(`${source}: not a baseline file (expected {"version": 1, "findings": [...]})`);
  for (const f of b.findings) {
    if (!f || typeof f.ruleId !== 'string' || typeof f.path !== 'string' || typeof f.fingerprint !== 'string') throw new BaselineError(`${source}: malformed entry`);
  }
  return b as Baseline;
}

export function baselineMatcher(baseline: Baseline): (path: string, f: Finding) => boolean {
  const keys = new Set(baseline.findings.map((f) => `${f.ruleId}\u0000${f.path}\u0000${f.fingerprint}`));
  return (path, f) => keys.has(`${f.ruleId}\u0000${path}\u0000${f.fingerprint}`);
}
