import { detectFileKind } from './fileKind';
import { formatOf } from './formats';
import { SUPPRESS_MARKER } from './suppress';
import { LineIndex } from './text';

/**
 * Where and what to insert to suppress `ruleId` for a finding on `line` (0-based) or the whole file:
 * a comment line above, indented like the line, with a reason placeholder.
 */
export function suppressionComment(text: string, path: string, ruleId: string, scope: 'line' | 'file', line: number): { offset: number; text: string } {
  const kind = detectFileKind(path, text);
  const { open, close } = formatOf(kind).suppressionComment(path);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = new LineIndex(text);
  if (scope === 'file') {
    // After a BOM, shebang or XML declaration, which must stay first.
    let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const first = lines.lineText(0);
    if (first.startsWith('#!') || first.startsWith('<?xml')) offset = lines.lineCount > 1 ? lines.lineStart(1) : text.length;
    return { offset, text: `${open}${SUPPRESS_MARKER}-file ${ruleId} -- reason${close}${eol}` };
  }
  const target = Math.min(line, lines.lineCount - 1);
  const indent = /^[ \t]*/.exec(lines.lineText(target))![0];
  return { offset: lines.lineStart(target), text: `${indent}${open}${SUPPRESS_MARKER}-next-line ${ruleId} -- reason${close}${eol}` };
}
