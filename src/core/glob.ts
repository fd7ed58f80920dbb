// Glob matching for ignore lists (**, *, ?, {a,b} not supported on purpose: keep it predictable).
// Iterative wildcard matching, no regular expressions, so a hostile pattern cannot backtrack.

/** Does `path` ('/'-separated, relative) match `pattern`? A pattern without '/' matches any base name. */
export function matchGlob(path: string, pattern: string): boolean {
  const p = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '/**');
  const target = path.replace(/\\/g, '/');
  if (!p.includes('/')) return matchSegment(target.slice(target.lastIndexOf('/') + 1), p) || matchParts(target.split('/'), ['**', p, '**']);
  return matchParts(target.split('/'), p.split('/'));
}

export function matchesAnyGlob(path: string, patterns: readonly string[]): boolean {
  for (const p of patterns) if (p && matchGlob(path, p)) return true;
  return false;
}

/** Segment-wise match where '**' spans any number of segments. */
function matchParts(parts: string[], pats: string[]): boolean {
  // Dynamic programming over (part index, pattern index): O(parts * patterns).
  let reach = new Array<boolean>(parts.length + 1).fill(false);
  reach[0] = true;
  for (const pat of pats) {
    const next = new Array<boolean>(parts.length + 1).fill(false);
    for (let i = 0; i <= parts.length; i++) {
      if (!reach[i]) continue;
      if (pat === '**') {
        for (let j = i; j <= parts.length; j++) next[j] = true;
        break;
      }
      if (i < parts.length && matchSegment(parts[i], pat)) next[i + 1] = true;
    }
    reach = next;
  }
  return reach[parts.length];
}

/** '*' and '?' within one segment, greedy with a single backtrack point (linear-ish). */
function matchSegment(s: string, p: string): boolean {
  let si = 0, pi = 0, star = -1, mark = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) { si++; pi++; }
    else if (pi < p.length && p[pi] === '*') { star = pi++; mark = si; }
    else if (star !== -1) { pi = star + 1; si = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
