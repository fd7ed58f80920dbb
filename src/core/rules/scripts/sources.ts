// Where shell commands live in a document: whole script files (.sh, .ps1, .cmd, ...), RUN instructions of a
// Dockerfile, and inline steps of GitHub Actions / Azure Pipelines / GitLab YAML. Each region keeps offsets
// into the document text, so findings land where the flag is written.

import type { ParsedDocument } from '../../model';
import { baseName } from '../../fileKind';
import type { Dialect } from '../../commandLine';

export interface ScriptRegion {
  start: number;
  end: number;
  dialect: Dialect;
  /** YAML folded block scalar (`>`). */
  folded?: boolean;
  /** Dockerfile RUN: a bare heredoc (`RUN <<EOF`) is the script itself. */
  heredocScripts?: boolean;
}

const SH_EXTENSIONS = ['.sh', '.bash', '.zsh', '.ksh'];
const PWSH_EXTENSIONS = ['.ps1', '.psm1'];
const CMD_EXTENSIONS = ['.cmd', '.bat'];

/** The dialect of a script file from its name (and shebang), 'docker' for Dockerfiles; undefined for other files. */
export function scriptFileDialect(path: string, text: string): Dialect | 'docker' | undefined {
  const name = baseName(path).toLowerCase();
  if (SH_EXTENSIONS.some((x) => name.endsWith(x))) return 'sh';
  if (PWSH_EXTENSIONS.some((x) => name.endsWith(x))) return 'pwsh';
  if (CMD_EXTENSIONS.some((x) => name.endsWith(x))) return 'cmd';
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile') || name === 'containerfile') return 'docker';
  if (!name.includes('.') && text.startsWith('#!')) {
    const first = text.slice(0, Math.min(text.length, 120)).split('\n', 1)[0];
    if (first.includes('pwsh') || first.includes('powershell')) return 'pwsh';
    if (first.endsWith('sh') || first.includes('bash') || first.includes('/sh ') || first.includes('zsh')) return 'sh';
  }
  return undefined;
}

/** RUN instructions of a Dockerfile (shell form), as sh regions; SHELL ["pwsh", ...] switches to PowerShell. */
export function dockerfileRegions(text: string): ScriptRegion[] {
  const out: ScriptRegion[] = [];
  let escape = '\\';
  let dialect: Dialect = 'sh';
  let i = 0;
  let first = true;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(i, lineEnd);
    const trimmed = line.trimStart();
    const lower = trimmed.toLowerCase();
    // The parser directive `# escape=`` ` (Windows images) must come first.
    if (first && lower.startsWith('#') && lower.replace(/[ \t]/g, '').startsWith('#escape=`')) escape = '`';
    if (!lower.startsWith('#') && trimmed.length) first = false;
    if (lower.startsWith('shell') && (lower[5] === ' ' || lower[5] === '\t')) dialect = lower.includes('pwsh') || lower.includes('powershell') ? 'pwsh' : lower.includes('cmd') ? 'cmd' : 'sh';
    if (lower.startsWith('run') && (lower[3] === ' ' || lower[3] === '\t')) {
      const start = afterRunFlags(text, i + (line.length - trimmed.length) + 3, lineEnd);
      // The instruction goes on while a line ends with the escape character.
      let end = lineEnd;
      while (end < text.length && text.slice(i, end).trimEnd().endsWith(escape)) {
        const next = text.indexOf('\n', end + 1);
        end = next === -1 ? text.length : next;
      }
      // Heredocs (`RUN <<EOF`, `RUN python3 <<EOT`): their bodies belong to the instruction.
      end = pastHeredocBodies(text, heredocDelimiters(text.slice(start, end)), end);
      const body = text.slice(start, end).trimStart();
      // Exec form RUN ["az", ...] is rare for az: left out.
      if (!body.startsWith('[')) out.push({ start, end, dialect: escape === '`' && dialect === 'sh' ? 'pwsh' : dialect, heredocScripts: true });
      i = end + 1;
      continue;
    }
    i = lineEnd + 1;
  }
  return out;
}

/** Past RUN's own flags (`--mount=type=cache,target=/x`, `--network=none`): where the command starts. */
function afterRunFlags(text: string, i: number, lineEnd: number): number {
  let k = i;
  for (;;) {
    while (k < lineEnd && (text[k] === ' ' || text[k] === '\t')) k++;
    if (text[k] !== '-' || text[k + 1] !== '-') return k;
    while (k < lineEnd && text[k] !== ' ' && text[k] !== '\t') k++;
  }
}

function isDelimiterChar(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_' || ch === '.' || ch === '-';
}

/** Delimiters of the heredocs opened in an instruction (`<<EOF`, `<<-EOT`, `<<'END'`), in order; `<<<` is not one. */
export function heredocDelimiters(instruction: string): string[] {
  const out: string[] = [];
  let i = instruction.indexOf('<<');
  while (i !== -1) {
    let k = i + 2;
    if (instruction[k] === '<') {
      i = instruction.indexOf('<<', k + 1);
      continue;
    }
    if (instruction[k] === '-') k++;
    const quote = instruction[k] === '"' || instruction[k] === "'" ? instruction[k++] : '';
    const from = k;
    while (k < instruction.length && isDelimiterChar(instruction[k])) k++;
    if (k > from) out.push(instruction.slice(from, k));
    if (quote && instruction[k] === quote) k++;
    i = instruction.indexOf('<<', k);
  }
  return out;
}

/** The end of the line holding the last delimiter, read from the line after `end`; `end` without heredocs. */
function pastHeredocBodies(text: string, delimiters: string[], end: number): number {
  let k = end;
  for (const d of delimiters) {
    while (k < text.length) {
      const next = text.indexOf('\n', k + 1);
      const lineEnd = next === -1 ? text.length : next;
      const line = text.slice(k + 1, lineEnd).trim();
      k = lineEnd;
      if (line === d) break;
    }
  }
  return k;
}

/** Keys whose value is an inline script in CI YAML. */
const STEP_KEYS = new Set(['run', 'script', 'bash', 'pwsh', 'powershell', 'inlinescript', 'inline', 'before_script', 'after_script']);

/** Inline scripts of pipeline steps in a parsed YAML document. */
export function yamlRegions(doc: ParsedDocument): ScriptRegion[] {
  const out: ScriptRegion[] = [];
  let siblings: Map<string, Map<string, string>> | undefined;
  for (const e of doc.entries) {
    if (e.valueType !== 'string' && e.valueType !== 'expression') continue;
    const key = e.key.toLowerCase();
    const parent = e.path.length >= 2 ? e.path[e.path.length - 2].toLowerCase() : '';
    let stepKey: string | undefined;
    if (STEP_KEYS.has(key)) stepKey = key;
    // GitLab `script:` lists, one command per item.
    else if (STEP_KEYS.has(parent) && /^[0-9]+$/.test(e.key)) stepKey = parent;
    if (!stepKey) continue;
    siblings ??= siblingValues(doc);
    const container = e.path.slice(0, stepKey === key ? -1 : -2).join('\u0000');
    const folded = doc.text[e.valueStart] === '>';
    out.push({ start: e.contentStart, end: e.contentEnd, dialect: stepDialect(stepKey, container, siblings, doc.text.slice(e.contentStart, e.contentEnd)), folded });
  }
  return out;
}

/** `shell`, `scriptType` and `task` values by container path, to know which shell runs a step. */
function siblingValues(doc: ParsedDocument): Map<string, Map<string, string>> {
  const map = new Map<string, Map<string, string>>();
  for (const e of doc.entries) {
    const key = e.key.toLowerCase();
    if (key !== 'shell' && key !== 'scripttype' && key !== 'task' && key !== 'uses') continue;
    const container = e.path.slice(0, -1).join('\u0000');
    let m = map.get(container);
    if (!m) map.set(container, (m = new Map()));
    m.set(key, e.value.toLowerCase());
  }
  return map;
}

function stepDialect(stepKey: string, container: string, siblings: Map<string, Map<string, string>>, body: string): Dialect {
  if (stepKey === 'bash') return 'sh';
  if (stepKey === 'pwsh' || stepKey === 'powershell' || stepKey === 'inline') return 'pwsh';
  const own = siblings.get(container);
  const shell = own?.get('shell') ?? own?.get('scripttype');
  if (shell) return shellDialect(shell);
  // Azure Pipelines task inputs: `task: PowerShell@2` / `AzurePowerShell@5` one level up.
  const up = container.includes('\u0000') ? container.slice(0, container.lastIndexOf('\u0000')) : '';
  const task = siblings.get(up)?.get('task');
  if (task && task.includes('powershell')) return 'pwsh';
  if (task && task.startsWith('batchscript')) return 'cmd';
  return guessDialect(body);
}

function shellDialect(shell: string): Dialect {
  if (shell.includes('pwsh') || shell === 'ps' || shell.includes('powershell') || shell === 'pscore') return 'pwsh';
  if (shell === 'cmd' || shell === 'batch') return 'cmd';
  return 'sh';
}

/** A step without a declared shell: a line ending in a backtick is PowerShell, in a caret cmd; else sh. */
function guessDialect(body: string): Dialect {
  let i = body.indexOf('\n');
  while (i !== -1) {
    let k = i - 1;
    if (body[k] === '\r') k--;
    if (body[k] === '`') return 'pwsh';
    if (body[k] === '^') return 'cmd';
    i = body.indexOf('\n', i + 1);
  }
  const end = body.trimEnd();
  if (end.endsWith('`')) return 'pwsh';
  return 'sh';
}
