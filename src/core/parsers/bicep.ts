import type { Entry, FileKind, ParsedDocument, ValueType } from '../model';
import { bracketOf, STOP_AT_CLOSER, STOP_AT_DECLARATION, TokenReader } from './cursor';
import { type Lexicon, scanQuoted, type StringSyntax, type Tok, TokenType, twoCharSet } from './lexer';

const { EOF, IDENT, NL, STR } = TokenType;

/*
 * Bicep (.bicep) and Bicep parameter files (.bicepparam) into the common model, with a hand-written
 * tokenizer and a tolerant recursive-descent reader (depth-capped; anything deeper is skipped
 * iteratively). Linear in the input; never throws.
 *
 * Path conventions (all from the document root):
 *   param adminPassword string = 'x'          -> ['param', 'adminPassword']
 *   @secure() on that param                   -> extra entry ['param', 'adminPassword', '@secure'], value 'true',
 *                                                valueType 'boolean', range = the whole `@secure()` decorator
 *   @description('text') (one literal arg)    -> ['param', 'adminPassword', '@description'], value 'text' (string)
 *   @minLength(3), @allowed([...]) (others)   -> ['param', ..., '@minLength'], valueType 'expression', raw args
 *   var cfg = { a: { b: 1 } }                 -> ['var', 'cfg', 'a', 'b']
 *   output url string = site.properties.x     -> ['output', 'url'] (expression)
 *   metadata owner = 'x' / targetScope = 'x'  -> ['metadata', 'owner'] / ['targetScope']
 *   using './main.bicep'                      -> ['using']
 *   resource site '...' = { properties: { httpsOnly: false } }
 *                                             -> ['resource', 'site', 'properties', 'httpsOnly']
 *   nested: resource site { resource web 'config' = { properties: { ftpsState: 'x' } } }
 *                                             -> ['resource', 'site', 'resource', 'web', 'properties', 'ftpsState']
 *   module m './m.bicep' = { params: { pw: 'x' } } -> ['module', 'm', 'params', 'pw']
 *   arrays: index strings ['...', 'ipSecurityRestrictions', '0', 'action']; a `[for ...: body]` body uses '*'.
 *   { name: 'A', value: 'B' } in an array     -> value entry renamed: key 'A', path [...array path, 'A'] (as json.ts)
 * Decorators are emitted the same way for var, output, resource and module (path = declaration path + '@name').
 *
 * Value types: single-token literals are 'string' | 'number' | 'boolean' | 'null'; a string with `${...}`
 * interpolation is 'expression' (value = the raw text inside the quotes); anything else (references,
 * function calls, operators, ternaries) is one 'expression' entry whose value is the raw source text.
 * Objects nested inside function calls or ternaries are not descended into.
 *
 * Resources: type without api-version; children declared inside a parent get the parent's type prefixed
 * when their type has no '/'; `parent: sym` links `parent` to that top-level symbol. name = the literal
 * `name:` property (last '/' segment; for '${x}/web' the literal tail 'web'), else the symbol.
 * anchor = the type string's content.
 */

const MAX_DEPTH = 256;
const TOP_KEYWORDS = new Set(['param', 'var', 'output', 'resource', 'module', 'metadata', 'type', 'func', 'import', 'targetScope', 'using', 'extension', 'provider']);
const NAME_VALUE_KEYS = ['value', 'connectionString'];

const BICEP_STRINGS: StringSyntax = {
  quote: 39,
  directives: false,
  newlineEndsInterpolation: true,
  // \u{1F600}: hex digits in braces.
  unicodeEscape(text, j) {
    if (text[j + 1] !== 'u' || text[j + 2] !== '{') return undefined;
    let k = j + 3;
    while (k < text.length && k < j + 12 && /[0-9a-fA-F]/.test(text[k])) k++;
    const cp = parseInt(text.slice(j + 3, k), 16);
    return text[k] === '}' && cp >= 0 && cp <= 0x10ffff ? { cp, next: k + 1 } : undefined;
  },
};

const BICEP: Lexicon = {
  hashComments: false,
  dashInIdentifiers: false,
  exponents: false,
  twoChar: twoCharSet(['==', '!=', '<=', '>=', '&&', '||', '??', '=~', '!~', '::', '=>', '.?', '?.']),
  literal(text, i, c, errors) {
    if (c !== 39 /* ' */) return undefined;
    const tok = text.startsWith(MULTILINE_QUOTE, i) ? scanMultiline(text, i) : scanQuoted(text, i, BICEP_STRINGS);
    if (!tok.terminated) errors.push({ message: 'unterminated string', start: i, end: tok.e });
    return tok;
  },
};

const MULTILINE_QUOTE = "'''";

function scanMultiline(text: string, i: number): Tok {
  const close = text.indexOf(MULTILINE_QUOTE, i + 3);
  if (close === -1) return { t: STR, s: i, e: text.length, v: stripLeadingNewline(text.slice(i + 3)), terminated: false, cs: i + 3, ce: text.length };
  // A run of more than three quotes closes at the last three ('''a'''' is "a'").
  let end = close + 3;
  while (end < text.length && text.charCodeAt(end) === 39) end++;
  return { t: STR, s: i, e: end, v: stripLeadingNewline(text.slice(i + 3, end - 3)), terminated: true, cs: i + 3, ce: end - 3 };
}

function stripLeadingNewline(s: string): string {
  if (s.startsWith('\r\n')) return s.slice(2);
  if (s.startsWith('\n')) return s.slice(1);
  return s;
}

interface Decorator {
  name: string;
  start: number;
  end: number;
  /** Tokens of the arguments (between the parentheses). */
  args: Tok[];
}

interface ObjResult {
  /** Direct scalar properties of the object, name -> entry index. */
  scalars: Map<string, number>;
}

export function parseBicep(text: string, kind: FileKind): ParsedDocument {
  const reader = new BicepReader(text);
  reader.readDocument();
  return reader.document(kind);
}

class BicepReader extends TokenReader {
  private readonly topSymbols = new Map<string, number>();
  private readonly parentRefs: { resource: number; entry: number }[] = [];

  constructor(text: string) {
    super(text, BICEP, { keywords: TOP_KEYWORDS, follow: IDENT });
  }

  readDocument(): void {
    let pending: Decorator[] = [];
    for (this.skipNewlines(); this.peek().t !== EOF; this.skipNewlines()) {
      const t = this.peek();
      if (this.isP(t, '@')) {
        const d = this.parseDecorator();
        if (d) pending.push(d);
        continue;
      }
      const decorators = pending;
      pending = [];
      if (t.t === IDENT && this.statement(t, decorators)) continue;
      this.error('unexpected token', t);
      this.skipStatement();
    }
    // `parent: site` links children declared at the top level.
    for (const ref of this.parentRefs) {
      const idx = this.topSymbols.get(this.entries[ref.entry].value.trim());
      const r = this.resources[ref.resource];
      if (idx !== undefined && idx !== ref.resource && r.parent === undefined) r.parent = idx;
    }
  }

  /** A top-level statement; false when `t` does not start one. */
  private statement(t: Tok, decorators: Decorator[]): boolean {
    const name = this.peek(1);
    switch (t.v) {
      case 'param':
      case 'var':
      case 'output':
      case 'metadata':
      case 'module': {
        if (name.t !== IDENT) return false;
        this.p += 2;
        const path = [t.v, name.v];
        // Type (param/output) or module path: everything up to `=` or the end of the line, balanced.
        this.skipUntilAssign();
        this.emitDecorators(decorators, path, undefined);
        if (this.isP(this.peek(), '=')) {
          this.p++;
          if (t.v === 'module') this.parseBody(path, undefined, 0, false);
          else this.readValue(path, name, undefined, 0, false);
        }
        break;
      }
      case 'targetScope':
        this.p++;
        if (this.isP(this.peek(), '=')) {
          this.p++;
          this.readValue(['targetScope'], t, undefined, 0, false);
        }
        break;
      case 'using':
        this.p++;
        if (this.peek().t !== NL && this.peek().t !== EOF) this.readValue(['using'], t, undefined, 0, false);
        break;
      case 'resource':
        if (name.t !== IDENT) return false;
        this.parseResource(undefined, [], decorators, 0);
        break;
      default:
        if (!TOP_KEYWORDS.has(t.v)) return false;
        // type, func, import, extension, provider: nothing to report; skip balanced.
        this.skipStatement();
        return true;
    }
    this.endStatement();
    return true;
  }

  private parseResource(parent: number | undefined, prefix: string[], decorators: Decorator[], depth: number): void {
    const kw = this.next(); // 'resource'
    const sym = this.next();
    const path = [...prefix, 'resource', sym.v];
    const typeTok = this.peek();
    let index: number | undefined;
    if (typeTok.t === STR) {
      this.p++;
      let type = typeTok.v.split('@')[0];
      if (parent !== undefined && !type.includes('/')) type = `${this.resources[parent].type}/${type}`;
      index = this.resources.length;
      this.resources.push({ type, name: sym.v, start: kw.s, end: typeTok.e, anchorStart: typeTok.cs!, anchorEnd: typeTok.ce!, parent });
      if (parent === undefined) this.topSymbols.set(sym.v, index);
    } else this.error('expected a resource type string', typeTok);
    this.skipUntilAssign();
    this.emitDecorators(decorators, path, index);
    if (!this.isP(this.peek(), '=')) return;
    this.p++;
    const firstEntry = this.entries.length;
    const obj = this.parseBody(path, index, depth + 1, true);
    if (index === undefined) return;
    const r = this.resources[index];
    r.end = Math.max(r.end, this.toks[Math.max(0, this.p - 1)].e);
    const nameIdx = obj?.scalars.get('name');
    if (nameIdx !== undefined) {
      const n = resourceName(this.entries[nameIdx]);
      if (n) r.name = n;
    }
    const parentIdx = obj?.scalars.get('parent');
    if (parentIdx !== undefined && this.entries[parentIdx].valueType === 'expression') this.parentRefs.push({ resource: index, entry: parentIdx });
    for (let i = firstEntry; i < this.entries.length; i++) if (this.entries[i].resource === undefined) this.entries[i].resource = index;
  }

  /** Resource/module right-hand side: `{...}`, `if (c) {...}`, `[for x in y: {...}]`, `[for ...: if (c) {...}]`. */
  private parseBody(path: string[], resource: number | undefined, depth: number, isResource: boolean): ObjResult | undefined {
    const loop = this.isP(this.peek(), '[') && this.isWord(this.peek(1), 'for');
    if (loop) {
      this.p += 2;
      this.skipLoopHeader();
    }
    this.skipCondition();
    let obj: ObjResult | undefined;
    if (this.isP(this.peek(), '{')) obj = this.parseObject(path, resource, depth, false, isResource);
    else this.readValue(path, undefined, resource, depth, false);
    if (loop) this.closeLoop();
    return obj;
  }

  /** `x in items:` / `(x, i) in items:` after `for`. */
  private skipLoopHeader(): void {
    this.skipUntil(':', STOP_AT_CLOSER);
    if (this.isP(this.peek(), ':')) this.p++;
  }

  /** An optional `if (condition)` before a body. */
  private skipCondition(): void {
    this.skipNewlines();
    if (!this.isWord(this.peek(), 'if')) return;
    this.p++;
    if (this.isP(this.peek(), '(')) this.skipBalanced();
    this.skipNewlines();
  }

  private closeLoop(): void {
    this.skipNewlines();
    if (this.isP(this.peek(), ']')) this.p++;
  }

  protected readValue(path: string[], keyTok: Tok | undefined, resource: number | undefined, depth: number, inArray: boolean): void {
    const t = this.peek();
    const open = this.isP(t, '{') || this.isP(t, '[');
    if (open && depth > MAX_DEPTH) {
      this.error('nesting too deep', t);
      this.skipExpression();
    } else if (open) {
      if (this.isP(t, '{')) this.parseObject(path, resource, depth + 1, inArray, false);
      else this.parseArray(path, resource, depth + 1);
      this.skipTail();
    } else this.readScalar(path, keyTok, resource);
  }

  private parseObject(path: string[], resource: number | undefined, depth: number, inArray: boolean, isResource: boolean): ObjResult {
    const open = this.next(); // '{'
    const scalars = new Map<string, number>();
    let decorators: Decorator[] = [];
    for (let t = this.nextMember(open); t; t = this.nextMember(open)) {
      if (this.isP(t, '@')) {
        const d = this.parseDecorator();
        if (d) decorators.push(d);
        continue;
      }
      if (this.declarationAt(0)) {
        if (!isResource || t.v !== 'resource') {
          // A declaration keyword at the start of a line: this object was never closed.
          this.error("missing '}'", open);
          break;
        }
        this.parseResource(resource, path, decorators, depth);
      } else if ((t.t === IDENT || (t.t === STR && !t.interp)) && this.isP(this.peek(1), ':')) {
        this.p += 2;
        this.emitDecorators(decorators, [...path, t.v], resource);
        this.readMember(scalars, path, t, resource, depth);
      } else {
        this.error('expected a property', t);
        // Skip the rest of this property without consuming the closing brace (decorators wait for the next one).
        const before = this.p;
        this.skipExpression();
        this.progressFrom(before);
        continue;
      }
      decorators = [];
    }
    if (inArray) this.renameNameValue(scalars, path.slice(0, -1), NAME_VALUE_KEYS);
    return { scalars };
  }

  private parseArray(path: string[], resource: number | undefined, depth: number): void {
    this.next(); // '['
    if (this.isWord(this.peek(), 'for')) {
      this.p++;
      this.skipLoopHeader();
      this.skipCondition();
      this.readValue([...path, '*'], undefined, resource, depth, true);
      this.closeLoop();
    } else this.readElements(path, resource, depth);
  }

  private parseDecorator(): Decorator | undefined {
    const at = this.next();
    let nameTok = this.peek();
    if (nameTok.t !== IDENT) return undefined;
    this.p++;
    // Namespaced: @sys.secure()
    if (this.isP(this.peek(), '.') && this.peek(1).t === IDENT) {
      this.p++;
      nameTok = this.next();
    }
    const d: Decorator = { name: nameTok.v, start: at.s, end: nameTok.e, args: [] };
    if (this.isP(this.peek(), '(')) {
      const open = this.p;
      this.skipBalanced();
      const close = this.toks[this.p - 1];
      d.end = close.e;
      d.args = this.toks.slice(open + 1, this.isP(close, ')') ? this.p - 1 : this.p).filter((x) => x.t !== NL);
    }
    return d;
  }

  private emitDecorators(decorators: Decorator[], path: string[], resource: number | undefined): void {
    for (const d of decorators) {
      const a = d.args[0];
      if (!a) this.pushDecorator(d, path, resource, 'true', 'boolean', d.start, d.end, d.start, d.end);
      else if (d.args.length === 1 && a.t === STR && !a.interp) this.pushDecorator(d, path, resource, a.v, 'string', a.s, a.e, a.cs!, a.ce!);
      else {
        const e = d.args[d.args.length - 1].e;
        this.pushDecorator(d, path, resource, this.text.slice(a.s, e), 'expression', a.s, e, a.s, e);
      }
    }
  }

  // A plain literal, not a spread of shared fields: object spread was the reader's slowest step.
  private pushDecorator(d: Decorator, path: string[], resource: number | undefined, value: string, valueType: ValueType, valueStart: number, valueEnd: number, contentStart: number, contentEnd: number): void {
    const key = `@${d.name}`;
    this.entries.push({ path: [...path, key], key, resource, keyStart: d.start, keyEnd: d.start + 1 + d.name.length, value, valueType, valueStart, valueEnd, contentStart, contentEnd });
  }

  /** Skip a declaration's type (or anything) up to `=` at depth 0 or the end of the line. */
  private skipUntilAssign(): void {
    this.skipUntil('=', STOP_AT_DECLARATION);
  }

  /** Skip the rest of a statement: up to a newline at depth 0, or before a declaration at a line start. */
  private skipStatement(): void {
    const before = this.p;
    let depth = 0;
    for (let t = this.peek(); t.t !== EOF; t = this.peek()) {
      if (t.t === NL && (depth <= 0 || (this.declarationAt(1) && this.text.charCodeAt(this.peek(1).s - 1) === 10))) break;
      depth += bracketOf(t);
      this.p++;
    }
    this.progressFrom(before);
  }

  /** Anything left on the line after a complete statement is an error, then skipped. */
  private endStatement(): void {
    const t = this.peek();
    if (t.t === NL || t.t === EOF) return;
    this.error('unexpected token after declaration', t);
    this.skipStatement();
  }
}

/** Literal 'site/web' -> 'web'; interpolated '${site.name}/web' -> 'web'; other expressions -> undefined. */
function resourceName(e: Entry): string | undefined {
  if (e.valueType === 'string') return e.value.split('/').pop() || undefined;
  if (e.valueType !== 'expression') return undefined;
  const v = e.value;
  const slash = v.lastIndexOf('/');
  if (slash === -1) return undefined;
  const tail = v.slice(slash + 1);
  return /^[A-Za-z0-9_.-]{1,80}$/.test(tail) ? tail : undefined;
}
