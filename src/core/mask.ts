// The one place that turns a secret into something safe to show. Everything that prints a value
// (messages, logs, SARIF snippets, errors) goes through here.

/** "ab•••••• (88 chars)": at most two characters of the value survive, never enough to use it. */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '';
  const keep = secret.length >= 12 ? 2 : 0;
  return `${secret.slice(0, keep)}${'•'.repeat(6)} (${secret.length} chars)`;
}

/** Replace every [start, end) range of `text` (offsets relative to text) with a masked form. */
export function maskRanges(text: string, ranges: { start: number; end: number }[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const r of sorted) {
    const s = Math.max(r.start, pos);
    const e = Math.min(Math.max(r.end, s), text.length);
    if (s >= text.length) break;
    out += text.slice(pos, s) + maskSecret(text.slice(s, e));
    pos = e;
  }
  return out + text.slice(pos);
}
