import type { ParsedDocument } from '../model';

/*
 * The tokenizer shared by the Bicep and Terraform (HCL) readers: newlines, whitespace, `//` and block
 * comments, numbers, identifiers, one- and two-character punctuation, and quoted strings with `${...}`
 * interpolation. Each language passes a Lexicon for what differs (quote, escapes, `#` comments, heredocs).
 * Linear in the input; never throws.
 */

/**
 * Token types. Other modules copy them into module constants (`const { IDENT } = TokenType`): an imported
 * binding is read through a getter when the sources run unbundled (tests, benchmarks), on every comparison.
 */
export const TokenType = { IDENT: 0, STR: 1, NUM: 2, PUNCT: 3, NL: 4, EOF: 5 } as const;
const { IDENT, STR, NUM, PUNCT, NL, EOF } = TokenType;

export interface Tok {
  t: number;
  s: number;
  e: number;
  /** Identifier/punct text, or the unescaped string value (raw content when interpolated). */
  v: string;
  interp?: boolean;
  terminated?: boolean;
  /** Content range of a string (inside the quotes or heredoc markers). */
  cs?: number;
  ce?: number;
}

export type Comments = ParsedDocument['comments'];
export type Errors = ParsedDocument['errors'];

export interface Lexicon {
  /** `#` starts a line comment (HCL). */
  hashComments: boolean;
  /** Identifiers may hold `-` (HCL). */
  dashInIdentifiers: boolean;
  /** Numbers may have an exponent (HCL). */
  exponents: boolean;
  /** Two-character operators, as `charCode(0) * 65536 + charCode(1)`. */
  twoChar: ReadonlySet<number>;
  /** A string or other literal token starting at `i` (character `c`), or undefined. May report errors. */
  literal(text: string, i: number, c: number, errors: Errors): Tok | undefined;
}

export function twoCharSet(ops: readonly string[]): ReadonlySet<number> {
  return new Set(ops.map((s) => s.charCodeAt(0) * 65536 + s.charCodeAt(1)));
}

export const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export function tokenize(text: string, lex: Lexicon, comments: Comments, errors: Errors): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  const dash = lex.dashInIdentifiers;
  let i = 0;
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
    const c1 = text.charCodeAt(i + 1);
    if ((c === 47 /* / */ && c1 === 47) || (c === 35 /* # */ && lex.hashComments)) {
      i = lineComment(text, i, comments);
      continue;
    }
    if (c === 47 && c1 === 42 /* * */) {
      i = blockComment(text, i, comments, errors);
      continue;
    }
    const lit = lex.literal(text, i, c, errors);
    if (lit) {
      toks.push(lit);
      i = lit.e;
      continue;
    }
    let j = i + 1;
    if (isDigit(c)) {
      j = lex.exponents ? numberWithExponentEnd(text, j) : numberEnd(text, j);
      toks.push({ t: NUM, s: i, e: j, v: text.slice(i, j) });
    } else if (isIdentStart(c)) {
      for (let d = text.charCodeAt(j); isIdentStart(d) || isDigit(d) || (dash && d === 45); d = text.charCodeAt(++j));
      toks.push({ t: IDENT, s: i, e: j, v: text.slice(i, j) });
    } else {
      // Operators, punctuation, stray bytes: one character, or two for a known operator.
      if (lex.twoChar.has(c * 65536 + c1)) j++;
      toks.push({ t: PUNCT, s: i, e: j, v: text.slice(i, j) });
    }
    i = j;
  }
  toks.push({ t: EOF, s: n, e: n, v: '' });
  return toks;
}

/** A `//` or `#` comment up to the line end (a CR before it excluded); returns the index of the newline. */
function lineComment(text: string, from: number, comments: Comments): number {
  let j = text.indexOf('\n', from);
  if (j === -1) j = text.length;
  let e = j;
  if (e > from && text.charCodeAt(e - 1) === 13) e--;
  comments.push({ start: from, end: e });
  return j;
}

function blockComment(text: string, from: number, comments: Comments, errors: Errors): number {
  const j = text.indexOf('*/', from + 2);
  const e = j === -1 ? text.length : j + 2;
  if (j === -1) errors.push({ message: 'unterminated block comment', start: from, end: e });
  comments.push({ start: from, end: e });
  return e;
}

function numberEnd(text: string, j: number): number {
  for (let d = text.charCodeAt(j); isDigit(d) || d === 46; d = text.charCodeAt(++j));
  return j;
}

function numberWithExponentEnd(text: string, j: number): number {
  for (;;) {
    const d = text.charCodeAt(j);
    if (isDigit(d) || d === 46) j++;
    else if ((d === 101 || d === 69) && (isDigit(text.charCodeAt(j + 1)) || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text.charCodeAt(j + 2))))) j += 2;
    else return j;
  }
}

/** What differs between Bicep and HCL quoted strings. */
export interface StringSyntax {
  /** Character code of the quote. */
  quote: number;
  /** HCL: `%{` directives as well as `${`, and `$${` / `%%{` as literal text. */
  directives: boolean;
  /** Bicep: a newline ends an unterminated interpolation even outside nested strings. */
  newlineEndsInterpolation: boolean;
  /** `\u...` at `j` (the backslash): the code point and the index after the escape, or undefined. */
  unicodeEscape(text: string, j: number): { cp: number; next: number } | undefined;
}

/** A quoted string on one line: escapes, `${...}` interpolation (nested strings handled by a stack). */
export function scanQuoted(text: string, i: number, syn: StringSyntax): Tok {
  const n = text.length;
  let j = i + 1;
  let seg = j;
  let value = '';
  let interp = false;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) {
      value += text.slice(seg, j);
      const d = text[j + 1];
      if (d === undefined || d === '\n') {
        j++;
        seg = j;
        break;
      }
      const u = d === 'u' || d === 'U' ? syn.unicodeEscape(text, j) : undefined;
      if (u) {
        value += String.fromCodePoint(u.cp);
        j = seg = u.next;
        continue;
      }
      value += d === 'n' ? '\n' : d === 'r' ? '\r' : d === 't' ? '\t' : d; // quotes, backslash and unknown escapes: the character itself
      j += 2;
      seg = j;
      continue;
    }
    if (c === syn.quote) {
      value += text.slice(seg, j);
      return { t: STR, s: i, e: j + 1, v: interp ? text.slice(i + 1, j) : value, interp, terminated: true, cs: i + 1, ce: j };
    }
    if (c === 10) break;
    if ((c === 36 /* $ */ || (c === 37 /* % */ && syn.directives)) && text.charCodeAt(j + 1) === 123) {
      if (syn.directives && text.charCodeAt(j - 1) === c && j - 1 >= seg) {
        // `$${` / `%%{`: a literal `${` / `%{`.
        value += text.slice(seg, j) + '{';
        j = seg = j + 2;
        continue;
      }
      interp = true;
      j = skipInterpolation(text, j + 2, syn);
      continue;
    }
    j++;
  }
  let e = Math.min(j, n);
  if (e > i + 1 && text.charCodeAt(e - 1) === 13) e--;
  value += text.slice(seg, Math.max(seg, e));
  return { t: STR, s: i, e, v: interp ? text.slice(i + 1, e) : value, interp, terminated: false, cs: Math.min(i + 1, e), ce: e };
}

/** From just after `${`, the index after the matching `}` (or of the line end / EOF when unterminated). */
function skipInterpolation(text: string, j: number, syn: StringSyntax): number {
  const n = text.length;
  const stack: number[] = [0]; // brace depth per interpolation level; -1 = inside a nested string
  while (j < n) {
    const c = text.charCodeAt(j);
    const top = stack.length - 1;
    if (c === 10 && (stack[top] === -1 || syn.newlineEndsInterpolation)) return j;
    if (stack[top] === -1) {
      if (c === 92) j += 2;
      else if (c === syn.quote) {
        stack.pop();
        j++;
      } else if ((c === 36 || (c === 37 && syn.directives)) && text.charCodeAt(j + 1) === 123) {
        stack.push(0);
        j += 2;
      } else j++;
      continue;
    }
    if (c === syn.quote) stack.push(-1);
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
