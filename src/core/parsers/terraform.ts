import type { Entry, FileKind, ParsedDocument, ResourceBlock, ValueType } from '../model';

/*
 * Terraform / HCL (.tf, .tfvars, .hcl) into the common model: hand-written tokenizer (strings with
 * `${...}`/`%{...}` templates, heredocs, three comment styles) and a tolerant reader. Linear; never throws.
 *
 * Path conventions (from the document root; blocks contribute their type and labels):
 *   resource "azurerm_linux_web_app" "app" { https_only = false }
 *                                     -> ['resource', 'azurerm_linux_web_app', 'app', 'https_only']
 *   ... site_config { minimum_tls_version = "1.0" }
 *                                     -> ['resource', 'azurerm_linux_web_app', 'app', 'site_config', 'minimum_tls_version']
 *   (the body-relative path of a resource entry is path.slice(3))
 *   repeated blocks (ip_restriction { } ip_restriction { }) get NO index: both yield [..., 'ip_restriction', 'action'];
 *     tell them apart by offsets.
 *   app_settings = { "KEY" = "v", K2 = "v" } -> [..., 'app_settings', 'KEY']
 *   connection_string { name = "db" value = "..." } -> the value entry is renamed: key 'db', path [..., 'connection_string', 'db']
 *     (nested blocks only: top-level blocks such as resource "azurerm_key_vault_secret" keep ['...', 'value'])
 *   lists: ['...', 'allowed_origins', '0']; objects with name/value in a list are renamed the same way (index dropped)
 *   variable "x" { default = "v" sensitive = true } -> ['variable', 'x', 'default'], ['variable', 'x', 'sensitive']
 *   locals { a = "v" } -> ['locals', 'a'];  provider "azurerm" { client_secret = "v" } -> ['provider', 'azurerm', 'client_secret']
 *   .tfvars: admin_password = "v" -> ['admin_password']
 *   dynamic "ip_restriction" { content { action = "Allow" } } -> [..., 'dynamic', 'ip_restriction', 'content', 'action']
 *
 * Value types: single-token literals ('string' | 'number' | 'boolean' | 'null'); a quoted string or heredoc
 * containing `${` or `%{` is 'expression' (value = the raw text inside the quotes); references, calls,
 * operators, for-expressions are 'expression' with the raw source text. Heredoc values: content between the
 * header line and the terminator line (`<<-` removes the common indentation from `value`).
 *
 * Resources: only top-level `resource "type" "name"` blocks; type = first label, name = second label,
 * anchor = the type label's content. `data`/`module` blocks are not resources (their entries have paths).
 */

const IDENT = 0;
const STR = 1;
const NUM = 2;
const PUNCT = 3;
const NL = 4;
const EOF = 5;

interface Tok {
  t: number;
  s: number;
  e: number;
  v: string;
  interp?: boolean;
  terminated?: boolean;
  cs?: number;
  ce?: number;
}

const MAX_DEPTH = 256;
const NAME_VALUE_KEYS = ['value'];
const TOP_BLOCKS = new Set(['resource', 'data', 'variable', 'output', 'module', 'provider']);
const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>', '::'].map((s) => s.charCodeAt(0) * 65536 + s.charCodeAt(1)));

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
const isDigit = (c: number) => c >= 48 && c <= 57;

function tokenize(text: string, comments: ParsedDocument['comments'], errors: ParsedDocument['errors']): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  let i = 0;
  const lineComment = (from: number) => {
    let j = text.indexOf('\n', from);
    if (j === -1) j = n;
    let e = j;
    if (e > from && text.charCodeAt(e - 1) === 13) e--;
    comments.push({ start: from, end: e });
    return j;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (toks.length === 0 || toks[toks.length - 1].t !== NL) toks.push({ t: NL, s: i, e: i + 1, v: '\n' });
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff || c === 11 || c === 12 || c === 0xa0) {
      i++;
      continue;
    }
    if (c === 35 /* # */ || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      i = lineComment(i);
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const j = text.indexOf('*/', i + 2);
      const e = j === -1 ? n : j + 2;
      if (j === -1) errors.push({ message: 'unterminated block comment', start: i, end: n });
      comments.push({ start: i, end: e });
      i = e;
      continue;
    }
    if (c === 34 /* " */) {
      const tok = scanString(text, i);
      if (!tok.terminated) errors.push({ message: 'unterminated string', start: i, end: tok.e });
      toks.push(tok);
      i = tok.e;
      continue;
    }
    if (c === 60 && text.charCodeAt(i + 1) === 60) {
      const tok = scanHeredoc(text, i);
      if (tok) {
        if (!tok.terminated) errors.push({ message: 'unterminated heredoc', start: i, end: tok.e });
        toks.push(tok);
        i = tok.e;
        continue;
      }
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isDigit(d) || d === 46) j++;
        else if ((d === 101 || d === 69) && (isDigit(text.charCodeAt(j + 1)) || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text.charCodeAt(j + 2))))) j += 2;
        else break;
      }
      toks.push({ t: NUM, s: i, e: j, v: text.slice(i, j) });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      toks.push({ t: IDENT, s: i, e: j, v: text.slice(i, j) });
      i = j;
      continue;
    }
    if (TWO_CHAR.has(c * 65536 + text.charCodeAt(i + 1))) {
      toks.push({ t: PUNCT, s: i, e: i + 2, v: text.slice(i, i + 2) });
      i += 2;
      continue;
    }
    toks.push({ t: PUNCT, s: i, e: i + 1, v: text[i] });
    i++;
  }
  toks.push({ t: EOF, s: n, e: n, v: '' });
  return toks;
}

/** A quoted template: escapes, `$${`/`%%{` literals, `${...}`/`%{...}` sequences (nested strings via a stack). */
function scanString(text: string, i: number): Tok {
  const n = text.length;
  let j = i + 1;
  let seg = j;
  let value = '';
  let interp = false;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 92) {
      value += text.slice(seg, j);
      const d = text[j + 1];
      if (d === undefined || d === '\n') {
        j++;
        seg = j;
        break;
      }
      if (d === 'n') value += '\n';
      else if (d === 'r') value += '\r';
      else if (d === 't') value += '\t';
      else if (d === 'u' || d === 'U') {
        const len = d === 'u' ? 4 : 8;
        const hex = text.slice(j + 2, j + 2 + len);
        const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : -1;
        if (cp >= 0 && cp <= 0x10ffff) {
          value += String.fromCodePoint(cp);
          j += 2 + len;
          seg = j;
          continue;
        }
        value += d;
      } else value += d; // \" \\ and unknown escapes
      j += 2;
      seg = j;
      continue;
    }
    if (c === 34) {
      value += text.slice(seg, j);
      return { t: STR, s: i, e: j + 1, v: interp ? text.slice(i + 1, j) : value, interp, terminated: true, cs: i + 1, ce: j };
    }
    if (c === 10) break;
    if ((c === 36 || c === 37) && text.charCodeAt(j + 1) === 123) {
      if (text.charCodeAt(j - 1) === c && j - 1 >= seg) {
        // `$${` / `%%{`: a literal `${` / `%{`.
        value += text.slice(seg, j);
        j += 2;
        value += '{';
        seg = j;
        continue;
      }
      interp = true;
      j = skipTemplate(text, j + 2);
      continue;
    }
    j++;
  }
  let e = Math.min(j, n);
  if (e > i + 1 && text.charCodeAt(e - 1) === 13) e--;
  value += text.slice(seg, Math.max(seg, e));
  return { t: STR, s: i, e, v: interp ? text.slice(i + 1, e) : value, interp, terminated: false, cs: Math.min(i + 1, e), ce: e };
}

function skipTemplate(text: string, j: number): number {
  const n = text.length;
  const stack: number[] = [0]; // brace depth per template level; -1 = inside a nested string
  while (j < n) {
    const c = text.charCodeAt(j);
    const top = stack.length - 1;
    if (stack[top] === -1) {
      if (c === 10) return j;
      if (c === 92) j += 2;
      else if (c === 34) {
        stack.pop();
        j++;
      } else if ((c === 36 || c === 37) && text.charCodeAt(j + 1) === 123) {
        stack.push(0);
        j += 2;
      } else j++;
      continue;
    }
    if (c === 34) stack.push(-1);
    else if (c === 123) stack[top]++;
    else if (c === 125) {
      if (stack[top] === 0) {
        stack.pop();
        if (stack.length === 0) return j + 1;
      } else stack[top]--;
    }
    j++;
  }
  return Math.min(j, n);
}

/** `<<EOT` / `<<-EOT` ... `EOT`. Undefined when `<<` is not followed by an identifier and a line end. */
function scanHeredoc(text: string, i: number): Tok | undefined {
  const n = text.length;
  let j = i + 2;
  const indent = text[j] === '-';
  if (indent) j++;
  const idStart = j;
  while (j < n && isIdentPart(text.charCodeAt(j))) j++;
  if (j === idStart || !isIdentStart(text.charCodeAt(idStart))) return undefined;
  const id = text.slice(idStart, j);
  let k = j;
  while (k < n && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
  if (k < n && text[k] !== '\n') return undefined;
  const cs = Math.min(k + 1, n);
  let line = cs;
  while (line < n) {
    let le = text.indexOf('\n', line);
    if (le === -1) le = n;
    let a = line;
    let b = le;
    while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
    while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t' || text[b - 1] === '\r')) b--;
    if (b - a === id.length && text.startsWith(id, a)) {
      const raw = text.slice(cs, line);
      return { t: STR, s: i, e: b, v: indent ? dedent(raw) : raw, interp: hasTemplate(raw), terminated: true, cs, ce: line };
    }
    line = le + 1;
  }
  const raw = text.slice(cs, n);
  return { t: STR, s: i, e: n, v: indent ? dedent(raw) : raw, interp: hasTemplate(raw), terminated: false, cs, ce: n };
}

function hasTemplate(s: string): boolean {
  for (let i = s.indexOf('{'); i !== -1; i = s.indexOf('{', i + 1)) {
    const p = s[i - 1];
    if ((p === '$' || p === '%') && s[i - 2] !== p) return true;
  }
  return false;
}

function dedent(raw: string): string {
  const lines = raw.split('\n');
  let min = Infinity;
  for (const l of lines) {
    if (l.trim() === '') continue;
    let k = 0;
    while (k < l.length && (l[k] === ' ' || l[k] === '\t')) k++;
    min = Math.min(min, k);
  }
  if (!isFinite(min) || min === 0) return raw;
  return lines.map((l) => l.slice(Math.min(min, l.length - l.trimStart().length))).join('\n');
}

interface Group {
  scalars: Map<string, number>;
}

export function parseTerraform(text: string, kind: FileKind): ParsedDocument {
  const entries: Entry[] = [];
  const resources: ResourceBlock[] = [];
  const comments: ParsedDocument['comments'] = [];
  const errors: ParsedDocument['errors'] = [];
  const toks = tokenize(text, comments, errors);
  let p = 0;
  const peek = (k = 0): Tok => toks[Math.min(p + k, toks.length - 1)];
  const next = (): Tok => toks[p < toks.length - 1 ? p++ : p];
  const isP = (t: Tok, v: string) => t.t === PUNCT && t.v === v;
  const error = (message: string, t: Tok) => errors.push({ message, start: t.s, end: t.e });

  parseBody([], undefined, 0, true);
  return { kind, text, entries, resources, comments, errors };

  /** Attributes and blocks until `}` (consumed) or EOF. Returns the scalars seen directly in it. */
  function parseBody(path: string[], resource: number | undefined, depth: number, top: boolean): Group {
    const scalars = new Map<string, number>();
    for (;;) {
      while (peek().t === NL || isP(peek(), ',')) p++;
      const t = peek();
      if (t.t === EOF) {
        if (!top) error("missing '}'", t);
        break;
      }
      if (isP(t, '}')) {
        p++;
        if (!top) break;
        error("unexpected '}'", t);
        continue;
      }
      if (t.t === IDENT || (t.t === STR && !t.interp)) {
        const n1 = peek(1);
        if (isP(n1, '=') || (isP(n1, ':') && t.t === STR)) {
          p += 2;
          const before = entries.length;
          parseValue([...path, t.v], t, resource, depth, false);
          if (entries.length === before + 1) scalars.set(t.v, before);
          continue;
        }
        if (t.t === IDENT && !top && TOP_BLOCKS.has(t.v) && n1.t === STR) {
          // A top-level block keyword inside a block: the block was never closed.
          error("missing '}'", t);
          break;
        }
        if (t.t === IDENT) {
          // Block: type, labels, `{`.
          p++;
          const labels: Tok[] = [];
          while (peek().t === STR || peek().t === IDENT) labels.push(next());
          if (isP(peek(), '{')) {
            p++;
            let index = resource;
            if (top && t.v === 'resource' && labels.length >= 1) {
              const l0 = labels[0];
              index = resources.length;
              resources.push({
                type: l0.v,
                name: labels[1]?.v,
                start: t.s,
                end: t.e,
                anchorStart: l0.t === STR ? l0.cs ?? l0.s : l0.s,
                anchorEnd: l0.t === STR ? l0.ce ?? l0.e : l0.e,
              });
            }
            const blockPath = [...path, t.v, ...labels.map((l) => l.v)];
            if (depth >= MAX_DEPTH) {
              error('nesting too deep', t);
              p--;
              skipBalanced();
            } else {
              const g = parseBody(blockPath, index, depth + 1, false);
              // Nested blocks only: a top-level `resource "azurerm_key_vault_secret"` keeps its `value`.
              if (!top) renameNameValue(g, blockPath);
            }
            if (index !== undefined && index !== resource) resources[index].end = toks[Math.max(0, p - 1)].e;
            continue;
          }
          error('expected an attribute or block', t);
          skipLine();
          continue;
        }
      }
      error('expected an attribute or block', t);
      skipLine();
    }
    return { scalars };
  }

  function renameNameValue(g: Group, containerPath: string[]): void {
    const nameIdx = g.scalars.get('name');
    if (nameIdx === undefined || entries[nameIdx].valueType !== 'string') return;
    for (const k of NAME_VALUE_KEYS) {
      const vIdx = g.scalars.get(k);
      if (vIdx === undefined) continue;
      const settingName = entries[nameIdx].value;
      entries[vIdx].path = [...containerPath, settingName];
      entries[vIdx].key = settingName;
      return;
    }
  }

  function parseValue(path: string[], keyTok: Tok | undefined, resource: number | undefined, depth: number, inList: boolean): void {
    const t = peek();
    const forExpr = peek(1).t === IDENT && peek(1).v === 'for';
    if ((isP(t, '{') || isP(t, '[')) && !forExpr && depth < MAX_DEPTH) {
      if (isP(t, '{')) {
        const g = parseObject(path, resource, depth + 1);
        if (inList) renameNameValue(g, path.slice(0, -1));
      } else parseList(path, resource, depth + 1);
      skipTail();
      return;
    }
    const first = p;
    skipExpression();
    if (p === first) return;
    const last = toks[p - 1];
    const count = p - first;
    let valueType: ValueType = 'expression';
    let value = text.slice(t.s, last.e);
    let contentStart = t.s;
    let contentEnd = last.e;
    if (count === 1) {
      if (t.t === STR) {
        valueType = t.interp ? 'expression' : 'string';
        value = t.v;
        contentStart = t.cs ?? t.s;
        contentEnd = t.ce ?? t.e;
      } else if (t.t === NUM) valueType = 'number';
      else if (t.t === IDENT && (t.v === 'true' || t.v === 'false')) valueType = 'boolean';
      else if (t.t === IDENT && t.v === 'null') valueType = 'null';
    } else if (count === 2 && isP(t, '-') && last.t === NUM && last.s === t.e) valueType = 'number';
    const entry: Entry = { path, key: path[path.length - 1] ?? '', value, valueType, valueStart: t.s, valueEnd: last.e, contentStart, contentEnd, resource };
    if (keyTok) {
      entry.keyStart = keyTok.s;
      entry.keyEnd = keyTok.e;
    }
    entries.push(entry);
  }

  function parseObject(path: string[], resource: number | undefined, depth: number): Group {
    const open = next();
    const scalars = new Map<string, number>();
    for (;;) {
      while (peek().t === NL || isP(peek(), ',')) p++;
      const t = peek();
      if (t.t === EOF) {
        errors.push({ message: "missing '}'", start: open.s, end: open.e });
        break;
      }
      if (isP(t, '}')) {
        p++;
        break;
      }
      if (isP(t, ']') || isP(t, ')')) {
        error("missing '}'", t);
        break;
      }
      if ((t.t === IDENT || (t.t === STR && !t.interp) || t.t === NUM) && (isP(peek(1), '=') || isP(peek(1), ':'))) {
        p += 2;
        const before = entries.length;
        parseValue([...path, t.v], t, resource, depth, false);
        if (entries.length === before + 1) scalars.set(t.v, before);
        continue;
      }
      if (t.t === IDENT && TOP_BLOCKS.has(t.v) && peek(1).t === STR) {
        errors.push({ message: "missing '}'", start: open.s, end: open.e });
        break;
      }
      // `(expr) = v` keys and anything else: skip the element.
      error('expected a key', t);
      const before = p;
      skipExpression();
      if (isP(peek(), '=') || isP(peek(), ':')) {
        p++;
        skipExpression();
      }
      if (p === before) p++;
    }
    return { scalars };
  }

  function parseList(path: string[], resource: number | undefined, depth: number): void {
    next();
    let index = 0;
    for (;;) {
      while (peek().t === NL || isP(peek(), ',')) p++;
      const t = peek();
      if (t.t === EOF) break;
      if (isP(t, ']')) {
        p++;
        break;
      }
      if (isP(t, '}') || isP(t, ')')) break;
      if (t.t === IDENT && TOP_BLOCKS.has(t.v) && peek(1).t === STR) break;
      const before = p;
      parseValue([...path, String(index++)], undefined, resource, depth, true);
      if (p === before) p++;
    }
  }

  function skipBalanced(): void {
    let depth = 0;
    do {
      const t = next();
      if (t.t === EOF) return;
      if (t.t === PUNCT && (t.v === '(' || t.v === '[' || t.v === '{')) depth++;
      else if (t.t === PUNCT && (t.v === ')' || t.v === ']' || t.v === '}')) depth--;
    } while (depth > 0);
  }

  /** An expression: up to a newline, ',' or closing bracket at depth 0; newlines inside brackets continue it. */
  function skipExpression(): void {
    let depth = 0;
    for (;;) {
      const t = peek();
      if (t.t === EOF) return;
      if (t.t === NL) {
        if (depth === 0) return;
        const n1 = peek(1);
        if (n1.t === IDENT && TOP_BLOCKS.has(n1.v) && peek(2).t === STR) return;
        p++;
        continue;
      }
      if (t.t === PUNCT) {
        if (t.v === '(' || t.v === '[' || t.v === '{') depth++;
        else if (t.v === ')' || t.v === ']' || t.v === '}') {
          if (depth === 0) return;
          depth--;
        } else if (t.v === ',' && depth === 0) return;
      }
      p++;
    }
  }

  function skipTail(): void {
    const t = peek();
    if (t.t === NL || t.t === EOF || (t.t === PUNCT && (t.v === ',' || t.v === '}' || t.v === ']' || t.v === ')'))) return;
    skipExpression();
  }

  /** Error recovery: skip to the end of the line (always consumes at least one token). */
  function skipLine(): void {
    const before = p;
    while (peek().t !== NL && peek().t !== EOF) {
      if (isP(peek(), '}')) break;
      p++;
    }
    if (p === before && peek().t !== EOF) p++;
  }
}
