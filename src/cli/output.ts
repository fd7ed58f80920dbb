import { maskName, maskText } from '../core/mask';
import type { Finding } from '../core/model';
import type { ScanSummary } from './scan';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[90m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** File names come from the scanned tree: control characters are shown escaped, never sent to the terminal. */
export function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/**
 * file:line:col  severity  RULE-ID  message — one finding per line, as terminals and editors expect. Info findings
 * (advice such as "use a managed identity", dozens per template set) are summed up per rule unless `verbose`.
 */
export function formatText(summary: ScanSummary, color: boolean, verbose = false): string {
  const c = (k: keyof typeof COLORS, s: string) => (color ? `${COLORS[k]}${s}${COLORS.reset}` : s);
  const lines: string[] = [];
  const infos = new Map<string, { count: number; files: Set<string> }>();
  let total = 0;
  for (const file of summary.files) {
    for (const f of file.findings) {
      total++;
      if (f.severity === 'info' && !verbose) {
        const entry = infos.get(f.ruleId) ?? { count: 0, files: new Set<string>() };
        entry.count++;
        entry.files.add(file.path);
        infos.set(f.ruleId, entry);
        continue;
      }
      lines.push(`${c('bold', `${printable(file.path)}:${f.line + 1}:${f.column + 1}`)}  ${c(f.severity, f.severity.padEnd(7))}  ${f.ruleId}  ${printable(maskText(f.message))}`);
    }
  }
  for (const [ruleId, e] of [...infos].sort((a, b) => a[0].localeCompare(b[0]))) {
    const files = e.files.size;
    lines.push(`${c('info', 'info   ')}  ${ruleId}  ${e.count} finding${e.count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (listed with --verbose or --format json)`);
  }
  for (const l of skippedLines(summary)) lines.push(c('dim', l));
  for (const e of summary.errors) lines.push(c('error', `${printable(e.path)}: error: ${printable(e.message)}`));
  const parts = [`${total} problem${total === 1 ? '' : 's'} in ${summary.files.length} file${summary.files.length === 1 ? '' : 's'}`, `${summary.scannedFiles} file${summary.scannedFiles === 1 ? '' : 's'} scanned`];
  if (summary.suppressed) parts.push(`${summary.suppressed} suppressed inline`);
  if (summary.baselined) parts.push(`${summary.baselined} in baseline`);
  if (summary.skipped.length) parts.push(`${summary.skipped.length} skipped`);
  lines.push((total ? c('bold', '✖ ') : '✔ ') + parts.join(', '));
  return lines.join('\n') + '\n';
}

/**
 * What was skipped, for people: each file with its reason, except plain binary files (images, fonts,
 * archives), which every repository has and which are only counted here; the JSON report lists them all.
 */
export function skippedLines(summary: Pick<ScanSummary, 'skipped'>): string[] {
  const binary = summary.skipped.filter((s) => s.reason === 'binary').length;
  const lines = summary.skipped.filter((s) => s.reason !== 'binary').map((s) => `${printable(s.path)}: skipped, ${s.reason}`);
  if (binary) lines.push(`${binary} binary file${binary === 1 ? '' : 's'} skipped (listed in --format json)`);
  return lines;
}

/** JSON for scripts: no secret values, only masked forms (key names and setting names included). */
export function formatJson(summary: ScanSummary): string {
  const strip = (f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    tag: f.tag,
    message: maskText(f.message),
    line: f.line + 1,
    column: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
    ...(f.secretKind ? { secretKind: f.secretKind } : {}),
    ...(f.settingName ? { settingName: maskName(f.settingName) } : {}),
    ...(f.path ? { keyPath: f.path.map(maskName) } : {}),
    ...(f.fix ? { fix: { title: maskText(f.fix.title) } } : {}),
    fingerprint: f.fingerprint,
  });
  return (
    JSON.stringify(
      {
        files: summary.files.map((file) => ({ path: file.path, findings: file.findings.map(strip) })),
        summary: {
          problems: summary.files.reduce((n, f) => n + f.findings.length, 0),
          scannedFiles: summary.scannedFiles,
          suppressed: summary.suppressed,
          baselined: summary.baselined,
          skipped: summary.skipped,
          errors: summary.errors,
        },
      },
      null,
      2,
    ) + '\n'
  );
}
