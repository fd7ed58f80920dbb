import type { Entry, FileKind, ParsedDocument, ResourceBlock, ValueType } from '../model';
import { type Comments, type Errors, type Lexicon, type Tok, tokenize, TokenType } from './lexer';

const { EOF, IDENT, NL, NUM, PUNCT, STR } = TokenType;

/*
 * A cursor over the tokens of a Bicep or Terraform file, and what both readers build with it: bracket-aware
 * skipping (expressions, balanced groups, separators), scalar entries, lists, object members, and the
 * { name, value } renaming. A reader extends it with its own declarations, blocks and values.
 */

/** How a top-level declaration starts, to stop at one when a bracket was left open: a keyword and then... */
export interface DeclarationStart {
  keywords: ReadonlySet<string>;
  /** ...a token of this type (an identifier in Bicep, a label string in Terraform). */
  follow: number;
}

/** skipUntil flags. */
export const STOP_AT_DECLARATION = 1;
export const STOP_AT_CLOSER = 2;

/** +1 for an opening bracket, -1 for a closing one, 0 for anything else. */
export function bracketOf(t: Tok): number {
  if (t.t !== PUNCT) return 0;
  switch (t.v) {
    case '(':
    case '[':
    case '{':
      return 1;
    case ')':
    case ']':
    case '}':
      return -1;
    default:
      return 0;
  }
}

export abstract class TokenReader {
  readonly entries: Entry[] = [];
  readonly resources: ResourceBlock[] = [];
  readonly comments: Comments = [];
  readonly errors: Errors = [];
  protected readonly toks: Tok[];
  protected p = 0;

  constructor(
    protected readonly text: string,
    lexicon: Lexicon,
    private readonly declaration: DeclarationStart,
  ) {
    this.toks = tokenize(text, lexicon, this.comments, this.errors);
  }

  document(kind: FileKind): ParsedDocument {
    return { kind, text: this.text, entries: this.entries, resources: this.resources, comments: this.comments, errors: this.errors };
  }

  /** One value at the cursor: an object, a list, or a scalar (see readScalar). */
  protected abstract readValue(path: string[], keyTok: Tok | undefined, resource: number | undefined, depth: number, inList: boolean): void;

  protected peek(k = 0): Tok {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)];
  }

  protected next(): Tok {
    return this.toks[this.p < this.toks.length - 1 ? this.p++ : this.p];
  }

  protected isP(t: Tok, v: string): boolean {
    return t.t === PUNCT && t.v === v;
  }

  protected isWord(t: Tok, v: string): boolean {
    return t.t === IDENT && t.v === v;
  }

  protected error(message: string, t: Tok): void {
    this.errors.push({ message, start: t.s, end: t.e });
  }

  protected skipNewlines(): void {
    while (this.peek().t === NL) this.p++;
  }

  /** Newlines and commas between members and elements. */
  protected skipSeparators(): void {
    for (let t = this.peek(); t.t === NL || this.isP(t, ','); t = this.peek()) this.p++;
  }

  /** Does a top-level declaration start `k` tokens ahead (keyword and its follower)? */
  protected declarationAt(k: number): boolean {
    const t = this.peek(k);
    return t.t === IDENT && this.declaration.keywords.has(t.v) && this.peek(k + 1).t === this.declaration.follow;
  }

  /** After recovery that consumed nothing, consume one token so the reader always moves on. */
  protected progressFrom(before: number): void {
    if (this.p === before && this.peek().t !== EOF) this.p++;
  }

  /** Skip one bracketed group starting at `(`/`[`/`{`, iteratively. */
  protected skipBalanced(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.t === EOF) return;
      depth += bracketOf(t);
    } while (depth > 0);
  }

  /**
   * Skip tokens, keeping bracket depth, up to (not including) EOF, a newline at depth 0, or the punctuation
   * `stop` at depth 0. STOP_AT_DECLARATION: also before a newline that a declaration follows (a half-typed
   * call); STOP_AT_CLOSER: also at a closing bracket at depth 0 (else such a bracket is passed over).
   */
  protected skipUntil(stop: string, flags: number): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.t === EOF) return;
      if (t.t === NL) {
        if (depth === 0 || (flags & STOP_AT_DECLARATION && this.declarationAt(1))) return;
      } else if (t.t === PUNCT) {
        if (depth === 0 && t.v === stop) return;
        const b = bracketOf(t);
        if (b >= 0 || depth > 0) depth += b;
        else if (flags & STOP_AT_CLOSER) return;
      }
      this.p++;
    }
  }

  /** One expression: tokens up to a newline, ',' or a closing bracket at depth 0; newlines inside brackets continue it. */
  protected skipExpression(): void {
    this.skipUntil(',', STOP_AT_DECLARATION | STOP_AT_CLOSER);
  }

  /** After an object or array value: `.prop`, `[0]`, operators... belong to the same expression. */
  protected skipTail(): void {
    const t = this.peek();
    if (t.t === NL || t.t === EOF || (t.t === PUNCT && (t.v === ',' || t.v === '}' || t.v === ']' || t.v === ')'))) return;
    this.skipExpression();
  }

  /**
   * A scalar value: one expression, as one entry. Single-token literals keep their type ('string' | 'number' |
   * 'boolean' | 'null'; an interpolated string is an 'expression' of its raw content); anything else is one
   * 'expression' with the raw source text.
   */
  protected readScalar(path: string[], keyTok: Tok | undefined, resource: number | undefined): void {
    const first = this.p;
    const t = this.peek();
    this.skipExpression();
    if (this.p === first) return;
    const last = this.toks[this.p - 1];
    const count = this.p - first;
    let valueType: ValueType = 'expression';
    let value = this.text.slice(t.s, last.e);
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
    } else if (count === 2 && this.isP(t, '-') && last.t === NUM && last.s === t.e) valueType = 'number';
    const entry: Entry = { path, key: path[path.length - 1] ?? '', value, valueType, valueStart: t.s, valueEnd: last.e, contentStart, contentEnd, resource };
    if (keyTok) {
      entry.keyStart = keyTok.s;
      entry.keyEnd = keyTok.e;
    }
    this.entries.push(entry);
  }

  /** `key: value` / `key = value` with the cursor on the value: records the member's entry when it is a scalar. */
  protected readMember(scalars: Map<string, number>, path: string[], keyTok: Tok, resource: number | undefined, depth: number): void {
    const before = this.entries.length;
    this.readValue([...path, keyTok.v], keyTok, resource, depth, false);
    if (this.entries.length === before + 1) scalars.set(keyTok.v, before);
  }

  /**
   * The next member of an object whose `{` is `open`: skips separators and returns its first token, or
   * undefined at the object's end (its `}` consumed; EOF or a stray `]`/`)` reported as a missing `}`).
   */
  protected nextMember(open: Tok): Tok | undefined {
    this.skipSeparators();
    const t = this.peek();
    if (t.t === EOF) this.error("missing '}'", open);
    else if (this.isP(t, '}')) this.p++;
    else if (this.isP(t, ']') || this.isP(t, ')')) this.error("missing '}'", t);
    else return t;
    return undefined;
  }

  /** Elements of a list from just after its `[` to its `]` (consumed), each at path [..., index]. */
  protected readElements(path: string[], resource: number | undefined, depth: number): void {
    let index = 0;
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (t.t === EOF) break;
      if (this.isP(t, ']')) {
        this.p++;
        break;
      }
      if (this.isP(t, '}') || this.isP(t, ')') || this.declarationAt(0)) break;
      const before = this.p;
      this.readValue([...path, String(index++)], undefined, resource, depth, true);
      if (this.p === before) this.p++;
    }
  }

  /** { name: 'A', value: 'B' }: the value entry becomes setting A, at [...containerPath, 'A'] (as json.ts). */
  protected renameNameValue(scalars: Map<string, number>, containerPath: string[], valueKeys: readonly string[]): void {
    const nameIdx = scalars.get('name');
    if (nameIdx === undefined || this.entries[nameIdx].valueType !== 'string') return;
    for (const k of valueKeys) {
      const vIdx = scalars.get(k);
      if (vIdx === undefined) continue;
      const settingName = this.entries[nameIdx].value;
      this.entries[vIdx].path = [...containerPath, settingName];
      this.entries[vIdx].key = settingName;
      return;
    }
  }
}
