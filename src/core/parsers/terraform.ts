import type { FileKind, ParsedDocument } from '../model';
import { TokenReader } from './cursor';
import { isDigit, isIdentStart, type Lexicon, scanQuoted, type StringSyntax, type Tok, TokenType, twoCharSet } from './lexer';

const { EOF, IDENT, NL, NUM, STR } = TokenType;

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

const MAX_DEPTH = 256;
const NAME_VALUE_KEYS = ['value'];
const TOP_BLOCKS = new Set(['resource', 'data', 'variable', 'output', 'module', 'provider']);

const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c) || c === 45;

const HCL_STRINGS: StringSyntax = {
  quote: 34,
  directives: true,
  newlineEndsInterpolation: false,
  // \uXXXX and \UXXXXXXXX.
  unicodeEscape(text, j) {
    const len = text[j + 1] === 'u' ? 4 : 8;
    const hex = text.slice(j + 2, j + 2 + len);
    const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : -1;
    return cp >= 0 && cp <= 0x10ffff ? { cp, next: j + 2 + len } : undefined;
  },
};

const HCL: Lexicon = {
  hashComments: true,
  dashInIdentifiers: true,
  exponents: true,
  twoChar: twoCharSet(['==', '!=', '<=', '>=', '&&', '||', '=>', '::']),
  literal(text, i, c, errors) {
    if (c === 34 /* " */) {
      const tok = scanQuoted(text, i, HCL_STRINGS);
      if (!tok.terminated) errors.push({ message: 'unterminated string', start: i, end: tok.e });
      return tok;
    }
    const tok = c === 60 && text.charCodeAt(i + 1) === 60 ? scanHeredoc(text, i) : undefined;
    if (tok && !tok.terminated) errors.push({ message: 'unterminated heredoc', start: i, end: tok.e });
    return tok;
  },
};

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
  const heredoc = (e: number, ce: number, terminated: boolean): Tok => {
    const raw = text.slice(cs, ce);
    return { t: STR, s: i, e, v: indent ? dedent(raw) : raw, interp: hasTemplate(raw), terminated, cs, ce };
  };
  for (let line = cs; line < n; ) {
    let le = text.indexOf('\n', line);
    if (le === -1) le = n;
    let a = line;
    let b = le;
    while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
    while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t' || text[b - 1] === '\r')) b--;
    if (b - a === id.length && text.startsWith(id, a)) return heredoc(b, line, true);
    line = le + 1;
  }
  return heredoc(n, n, false);
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

export function parseTerraform(text: string, kind: FileKind): ParsedDocument {
  const reader = new HclReader(text);
  reader.readBody([], undefined, 0, true);
  return reader.document(kind);
}

class HclReader extends TokenReader {
  constructor(text: string) {
    super(text, HCL, { keywords: TOP_BLOCKS, follow: STR });
  }

  /** Attributes and blocks until `}` (consumed) or EOF. Returns the scalars seen directly in it. */
  readBody(path: string[], resource: number | undefined, depth: number, top: boolean): Map<string, number> {
    const scalars = new Map<string, number>();
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (t.t === EOF) {
        if (!top) this.error("missing '}'", t);
        break;
      }
      if (this.isP(t, '}')) {
        this.p++;
        if (!top) break;
        this.error("unexpected '}'", t);
        continue;
      }
      const n1 = this.peek(1);
      if ((t.t === IDENT || (t.t === STR && !t.interp)) && (this.isP(n1, '=') || (this.isP(n1, ':') && t.t === STR))) {
        this.p += 2;
        this.readMember(scalars, path, t, resource, depth);
        continue;
      }
      if (!top && this.declarationAt(0)) {
        // A top-level block keyword inside a block: the block was never closed.
        this.error("missing '}'", t);
        break;
      }
      if (t.t !== IDENT || !this.readBlock(t, path, resource, depth, top)) {
        this.error('expected an attribute or block', t);
        this.skipLine();
      }
    }
    return scalars;
  }

  /** Block: type, labels, `{`, body. False (labels consumed) when no `{` follows the labels. */
  private readBlock(t: Tok, path: string[], resource: number | undefined, depth: number, top: boolean): boolean {
    this.p++;
    const labels: Tok[] = [];
    while (this.peek().t === STR || this.peek().t === IDENT) labels.push(this.next());
    if (!this.isP(this.peek(), '{')) return false;
    this.p++;
    let index = resource;
    if (top && t.v === 'resource' && labels.length >= 1) {
      const l0 = labels[0];
      index = this.resources.length;
      this.resources.push({ type: l0.v, name: labels[1]?.v, start: t.s, end: t.e, anchorStart: l0.cs ?? l0.s, anchorEnd: l0.ce ?? l0.e });
    }
    const blockPath = [...path, t.v, ...labels.map((l) => l.v)];
    if (depth >= MAX_DEPTH) {
      this.error('nesting too deep', t);
      this.p--;
      this.skipBalanced();
    } else {
      const scalars = this.readBody(blockPath, index, depth + 1, false);
      // Nested blocks only: a top-level `resource "azurerm_key_vault_secret"` keeps its `value`.
      if (!top) this.renameNameValue(scalars, blockPath, NAME_VALUE_KEYS);
    }
    if (index !== undefined && index !== resource) this.resources[index].end = this.toks[Math.max(0, this.p - 1)].e;
    return true;
  }

  protected readValue(path: string[], keyTok: Tok | undefined, resource: number | undefined, depth: number, inList: boolean): void {
    const t = this.peek();
    const forExpr = this.isWord(this.peek(1), 'for');
    if ((this.isP(t, '{') || this.isP(t, '[')) && !forExpr && depth < MAX_DEPTH) {
      if (this.isP(t, '{')) {
        const scalars = this.readObject(path, resource, depth + 1);
        if (inList) this.renameNameValue(scalars, path.slice(0, -1), NAME_VALUE_KEYS);
      } else {
        this.next(); // '['
        this.readElements(path, resource, depth + 1);
      }
      this.skipTail();
    } else this.readScalar(path, keyTok, resource);
  }

  private readObject(path: string[], resource: number | undefined, depth: number): Map<string, number> {
    const open = this.next();
    const scalars = new Map<string, number>();
    for (let t = this.nextMember(open); t; t = this.nextMember(open)) {
      if ((t.t === IDENT || (t.t === STR && !t.interp) || t.t === NUM) && (this.isP(this.peek(1), '=') || this.isP(this.peek(1), ':'))) {
        this.p += 2;
        this.readMember(scalars, path, t, resource, depth);
        continue;
      }
      if (this.declarationAt(0)) {
        this.error("missing '}'", open);
        break;
      }
      // `(expr) = v` keys and anything else: skip the element.
      this.error('expected a key', t);
      const before = this.p;
      this.skipExpression();
      if (this.isP(this.peek(), '=') || this.isP(this.peek(), ':')) {
        this.p++;
        this.skipExpression();
      }
      this.progressFrom(before);
    }
    return scalars;
  }

  /** Error recovery: skip to the end of the line or a `}` (always consumes at least one token). */
  private skipLine(): void {
    const before = this.p;
    for (let t = this.peek(); t.t !== NL && t.t !== EOF && !this.isP(t, '}'); t = this.peek()) this.p++;
    this.progressFrom(before);
  }
}
