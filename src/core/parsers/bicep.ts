import type { Entry, FileKind, ParsedDocument, ResourceBlock, ValueType } from '../model';

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
  /** Identifier/punct text, or the unescaped string value (raw content when interpolated). */
  v: string;
  interp?: boolean;
  multiline?: boolean;
  terminated?: boolean;
}

const MAX_DEPTH = 256;
const TOP_KEYWORDS = new Set(['param', 'var', 'output', 'resource', 'module', 'metadata', 'type', 'func', 'import', 'targetScope', 'using', 'extension', 'provider']);
const NAME_VALUE_KEYS = ['value', 'connectionString'];
const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||', '??', '=~', '!~', '::', '=>', '.?', '?.'].map((s) => s.charCodeAt(0) * 65536 + s.charCodeAt(1)));

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function tokenize(text: string, comments: ParsedDocument['comments'], errors: ParsedDocument['errors']): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
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
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let j = text.indexOf('\n', i);
      if (j === -1) j = n;
      let e = j;
      if (e > i && text.charCodeAt(e - 1) === 13) e--;
      comments.push({ start: i, end: e });
      i = j;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const j = text.indexOf('*/', i + 2);
      const e = j === -1 ? n : j + 2;
      if (j === -1) errors.push({ message: 'unterminated block comment', start: i, end: n });
      comments.push({ start: i, end: e });
      i = e;
      continue;
    }
    if (c === 39 /* ' */) {
      const tok = text.startsWith("'''", i) ? scanMultiline(text, i) : scanString(text, i);
      if (!tok.terminated) errors.push({ message: 'unterminated string', start: i, end: tok.e });
      toks.push(tok);
      i = tok.e;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
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
    // Any other character (operators, punctuation, stray bytes) is a one-character token.
    toks.push({ t: PUNCT, s: i, e: i + 1, v: text[i] });
    i++;
  }
  toks.push({ t: EOF, s: n, e: n, v: '' });
  return toks;
}

function scanMultiline(text: string, i: number): Tok {
  const close = text.indexOf("'''", i + 3);
  if (close === -1) return { t: STR, s: i, e: text.length, v: stripLeadingNewline(text.slice(i + 3)), multiline: true, terminated: false };
  // A run of more than three quotes closes at the last three ('''a'''' is "a'").
  let end = close + 3;
  while (end < text.length && text.charCodeAt(end) === 39) end++;
  return { t: STR, s: i, e: end, v: stripLeadingNewline(text.slice(i + 3, end - 3)), multiline: true, terminated: true };
}

function stripLeadingNewline(s: string): string {
  if (s.startsWith('\r\n')) return s.slice(2);
  if (s.startsWith('\n')) return s.slice(1);
  return s;
}

/** A single-quoted string with escapes and `${...}` interpolation (nested strings inside handled by a stack). */
function scanString(text: string, i: number): Tok {
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
      if (d === 'n') value += '\n';
      else if (d === 'r') value += '\r';
      else if (d === 't') value += '\t';
      else if (d === 'u' && text[j + 2] === '{') {
        let k = j + 3;
        while (k < n && k < j + 12 && /[0-9a-fA-F]/.test(text[k])) k++;
        const cp = parseInt(text.slice(j + 3, k), 16);
        if (text[k] === '}' && cp >= 0 && cp <= 0x10ffff) {
          value += String.fromCodePoint(cp);
          j = k + 1;
          seg = j;
          continue;
        }
        value += d;
      } else value += d; // \' \\ \$ and unknown escapes: the character itself
      j += 2;
      seg = j;
      continue;
    }
    if (c === 39) {
      value += text.slice(seg, j);
      return { t: STR, s: i, e: j + 1, v: interp ? text.slice(i + 1, j) : value, interp, terminated: true };
    }
    if (c === 10) break;
    if (c === 36 /* $ */ && text.charCodeAt(j + 1) === 123) {
      interp = true;
      j = skipInterpolation(text, j + 2);
      continue;
    }
    j++;
  }
  let e = Math.min(j, n);
  if (e > i + 1 && text.charCodeAt(e - 1) === 13) e--;
  value += text.slice(seg, Math.max(seg, e));
  return { t: STR, s: i, e, v: interp ? text.slice(i + 1, e) : value, interp, terminated: false };
}

/** From just after `${`, the index after the matching `}` (or of the line end / EOF when unterminated). */
function skipInterpolation(text: string, j: number): number {
  const n = text.length;
  const stack: number[] = [0]; // brace depth per interpolation level; -1 = inside a nested string
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 10) return j;
    const top = stack.length - 1;
    if (stack[top] === -1) {
      if (c === 92) j += 2;
      else if (c === 39) {
        stack.pop();
        j++;
      } else if (c === 36 && text.charCodeAt(j + 1) === 123) {
        stack.push(0);
        j += 2;
      } else j++;
      continue;
    }
    if (c === 39) stack.push(-1);
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

interface Decorator {
  name: string;
  start: number;
  end: number;
  /** Tokens of the arguments (between the parentheses). */
  args: Tok[];
  argsStart: number;
  argsEnd: number;
}

interface ObjResult {
  /** Direct scalar properties of the object, name -> entry index. */
  scalars: Map<string, number>;
}

export function parseBicep(text: string, kind: FileKind): ParsedDocument {
  const entries: Entry[] = [];
  const resources: ResourceBlock[] = [];
  const comments: ParsedDocument['comments'] = [];
  const errors: ParsedDocument['errors'] = [];
  const toks = tokenize(text, comments, errors);
  const topSymbols = new Map<string, number>();
  const parentRefs: { resource: number; entry: number }[] = [];
  let p = 0;

  const peek = (k = 0): Tok => toks[Math.min(p + k, toks.length - 1)];
  const next = (): Tok => toks[p < toks.length - 1 ? p++ : p];
  const isP = (t: Tok, v: string) => t.t === PUNCT && t.v === v;
  const skipNL = () => {
    while (peek().t === NL) p++;
  };
  const error = (message: string, t: Tok) => errors.push({ message, start: t.s, end: t.e });

  let pending: Decorator[] = [];

  while (peek().t !== EOF) {
    skipNL();
    const t = peek();
    if (t.t === EOF) break;
    if (isP(t, '@')) {
      const d = parseDecorator();
      if (d) pending.push(d);
      continue;
    }
    if (t.t === IDENT) {
      const decorators = pending;
      pending = [];
      if (statement(t, decorators)) continue;
    }
    pending = [];
    error('unexpected token', t);
    skipStatement();
  }
  // `parent: site` links children declared at the top level.
  for (const ref of parentRefs) {
    const sym = entries[ref.entry].value.trim();
    const idx = topSymbols.get(sym);
    if (idx !== undefined && idx !== ref.resource && resources[ref.resource].parent === undefined) resources[ref.resource].parent = idx;
  }
  return { kind, text, entries, resources, comments, errors };

  /** A top-level statement; false when `t` does not start one. */
  function statement(t: Tok, decorators: Decorator[]): boolean {
    const name = peek(1);
    switch (t.v) {
      case 'param':
      case 'var':
      case 'output':
      case 'metadata': {
        if (name.t !== IDENT) return false;
        p += 2;
        const path = [t.v, name.v];
        // Type (param/output): everything up to `=` or the end of the line, balanced.
        skipUntilAssign();
        emitDecorators(decorators, path, undefined);
        if (isP(peek(), '=')) {
          p++;
          parseValue(path, name, undefined, 0, false);
        }
        endStatement();
        return true;
      }
      case 'targetScope': {
        p++;
        if (isP(peek(), '=')) {
          p++;
          parseValue(['targetScope'], t, undefined, 0, false);
        }
        endStatement();
        return true;
      }
      case 'using': {
        p++;
        if (peek().t !== NL && peek().t !== EOF) parseValue(['using'], t, undefined, 0, false);
        endStatement();
        return true;
      }
      case 'resource':
        if (name.t !== IDENT) return false;
        parseResource(undefined, [], decorators, 0);
        endStatement();
        return true;
      case 'module': {
        if (name.t !== IDENT) return false;
        p += 2;
        const path = ['module', name.v];
        skipUntilAssign();
        emitDecorators(decorators, path, undefined);
        if (isP(peek(), '=')) {
          p++;
          parseBody(path, undefined, 0, false);
        }
        endStatement();
        return true;
      }
      default:
        if (!TOP_KEYWORDS.has(t.v)) return false;
        // type, func, import, extension, provider: nothing to report; skip balanced.
        skipStatement();
        return true;
    }
  }

  function parseResource(parent: number | undefined, prefix: string[], decorators: Decorator[], depth: number): void {
    const kw = next(); // 'resource'
    const sym = next();
    const path = [...prefix, 'resource', sym.v];
    const typeTok = peek();
    let index: number | undefined;
    if (typeTok.t === STR) {
      p++;
      let type = typeTok.v.split('@')[0];
      if (parent !== undefined && !type.includes('/')) type = `${resources[parent].type}/${type}`;
      const content = contentRange(typeTok);
      index = resources.length;
      resources.push({ type, name: sym.v, start: kw.s, end: typeTok.e, anchorStart: content[0], anchorEnd: content[1], parent });
      if (parent === undefined) topSymbols.set(sym.v, index);
    } else error('expected a resource type string', typeTok);
    skipUntilAssign();
    emitDecorators(decorators, path, index);
    if (!isP(peek(), '=')) return;
    p++;
    const firstEntry = entries.length;
    const obj = parseBody(path, index, depth + 1, true);
    if (index === undefined) return;
    const r = resources[index];
    r.end = Math.max(r.end, toks[Math.max(0, p - 1)].e);
    const nameIdx = obj?.scalars.get('name');
    if (nameIdx !== undefined) {
      const n = resourceName(entries[nameIdx]);
      if (n) r.name = n;
    }
    const parentIdx = obj?.scalars.get('parent');
    if (parentIdx !== undefined && entries[parentIdx].valueType === 'expression') parentRefs.push({ resource: index, entry: parentIdx });
    for (let i = firstEntry; i < entries.length; i++) if (entries[i].resource === undefined) entries[i].resource = index;
  }

  /** Resource/module right-hand side: `{...}`, `if (c) {...}`, `[for x in y: {...}]`, `[for ...: if (c) {...}]`. */
  function parseBody(path: string[], resource: number | undefined, depth: number, isResource: boolean): ObjResult | undefined {
    let loop = false;
    if (isP(peek(), '[') && peek(1).t === IDENT && peek(1).v === 'for') {
      loop = true;
      p += 2;
      skipUntilColon();
      if (isP(peek(), ':')) p++;
    }
    skipNL();
    if (peek().t === IDENT && peek().v === 'if') {
      p++;
      if (isP(peek(), '(')) skipBalanced();
      skipNL();
    }
    let obj: ObjResult | undefined;
    if (isP(peek(), '{')) obj = parseObject(path, resource, depth, false, isResource);
    else parseValue(path, undefined, resource, depth, false);
    if (loop) {
      skipNL();
      if (isP(peek(), ']')) p++;
    }
    return obj;
  }

  function parseValue(path: string[], keyTok: Tok | undefined, resource: number | undefined, depth: number, inArray: boolean): void {
    const t = peek();
    if (depth > MAX_DEPTH && (isP(t, '{') || isP(t, '['))) {
      error('nesting too deep', t);
      skipExpression();
      return;
    }
    if (isP(t, '{')) {
      parseObject(path, resource, depth + 1, inArray, false);
      skipTail();
      return;
    }
    if (isP(t, '[')) {
      parseArray(path, resource, depth + 1);
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
        [contentStart, contentEnd] = contentRange(t);
      } else if (t.t === NUM) valueType = 'number';
      else if (t.t === IDENT && (t.v === 'true' || t.v === 'false')) valueType = 'boolean';
      else if (t.t === IDENT && t.v === 'null') valueType = 'null';
    } else if (count === 2 && isP(t, '-') && last.t === NUM && last.s === t.e) valueType = 'number';
    const key = path[path.length - 1] ?? '';
    const entry: Entry = { path, key, value, valueType, valueStart: t.s, valueEnd: last.e, contentStart, contentEnd, resource };
    if (keyTok) {
      entry.keyStart = keyTok.s;
      entry.keyEnd = keyTok.e;
    }
    entries.push(entry);
  }

  function parseObject(path: string[], resource: number | undefined, depth: number, inArray: boolean, isResource: boolean): ObjResult {
    const open = next(); // '{'
    const scalars = new Map<string, number>();
    let decorators: Decorator[] = [];
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
      if (isP(t, '@')) {
        const d = parseDecorator();
        if (d) decorators.push(d);
        continue;
      }
      if (t.t === IDENT && peek(1).t === IDENT && TOP_KEYWORDS.has(t.v)) {
        if (isResource && t.v === 'resource') {
          parseResource(resource, path, decorators, depth);
          if (decorators.length) decorators = [];
          continue;
        }
        // A declaration keyword at the start of a line: this object was never closed.
        errors.push({ message: "missing '}'", start: open.s, end: open.e });
        break;
      }
      if ((t.t === IDENT || (t.t === STR && !t.interp)) && isP(peek(1), ':')) {
        p += 2;
        const childPath = [...path, t.v];
        if (decorators.length) {
          emitDecorators(decorators, childPath, resource);
          decorators = [];
        }
        const before = entries.length;
        parseValue(childPath, t, resource, depth, false);
        if (entries.length === before + 1) scalars.set(t.v, before);
        continue;
      }
      error('expected a property', t);
      // Skip the rest of this property without consuming the closing brace.
      const before = p;
      skipExpression();
      if (p === before) p++;
    }
    if (inArray) {
      const nameIdx = scalars.get('name');
      if (nameIdx !== undefined && entries[nameIdx].valueType === 'string') {
        for (const k of NAME_VALUE_KEYS) {
          const vIdx = scalars.get(k);
          if (vIdx === undefined) continue;
          const settingName = entries[nameIdx].value;
          entries[vIdx].path = [...path.slice(0, -1), settingName];
          entries[vIdx].key = settingName;
          break;
        }
      }
    }
    return { scalars };
  }

  function parseArray(path: string[], resource: number | undefined, depth: number): void {
    next(); // '['
    if (peek().t === IDENT && peek().v === 'for') {
      p++;
      skipUntilColon();
      if (isP(peek(), ':')) p++;
      skipNL();
      if (peek().t === IDENT && peek().v === 'if') {
        p++;
        if (isP(peek(), '(')) skipBalanced();
        skipNL();
      }
      parseValue([...path, '*'], undefined, resource, depth, true);
      while (peek().t === NL) p++;
      if (isP(peek(), ']')) p++;
      return;
    }
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
      if (t.t === IDENT && peek(1).t === IDENT && TOP_KEYWORDS.has(t.v)) break;
      const before = p;
      parseValue([...path, String(index++)], undefined, resource, depth, true);
      if (p === before) p++;
    }
  }

  function parseDecorator(): Decorator | undefined {
    const at = next();
    let nameTok = peek();
    if (nameTok.t !== IDENT) return undefined;
    p++;
    // Namespaced: @sys.secure()
    if (isP(peek(), '.') && peek(1).t === IDENT) {
      p++;
      nameTok = next();
    }
    const d: Decorator = { name: nameTok.v, start: at.s, end: nameTok.e, args: [], argsStart: nameTok.e, argsEnd: nameTok.e };
    if (isP(peek(), '(')) {
      const open = p;
      skipBalanced();
      const close = toks[p - 1];
      d.end = close.e;
      d.argsStart = toks[open].e;
      d.argsEnd = isP(close, ')') ? close.s : close.e;
      d.args = toks.slice(open + 1, isP(close, ')') ? p - 1 : p).filter((x) => x.t !== NL);
    }
    return d;
  }

  function emitDecorators(decorators: Decorator[], path: string[], resource: number | undefined): void {
    for (const d of decorators) {
      const key = `@${d.name}`;
      const keyEnd = d.start + 1 + d.name.length;
      // Object literals, not spreads of a shared base: a spread is a slow generic copy in V8 (measured: half of
      // all Bicep parsing time on bicep-registry-modules).
      if (d.args.length === 0) {
        entries.push({ path: [...path, key], key, resource, keyStart: d.start, keyEnd, value: 'true', valueType: 'boolean', valueStart: d.start, valueEnd: d.end, contentStart: d.start, contentEnd: d.end });
      } else if (d.args.length === 1 && d.args[0].t === STR && !d.args[0].interp) {
        const a = d.args[0];
        const [cs, ce] = contentRange(a);
        entries.push({ path: [...path, key], key, resource, keyStart: d.start, keyEnd, value: a.v, valueType: 'string', valueStart: a.s, valueEnd: a.e, contentStart: cs, contentEnd: ce });
      } else {
        const s = d.args[0].s;
        const e = d.args[d.args.length - 1].e;
        entries.push({ path: [...path, key], key, resource, keyStart: d.start, keyEnd, value: text.slice(s, e), valueType: 'expression', valueStart: s, valueEnd: e, contentStart: s, contentEnd: e });
      }
    }
  }

  function contentRange(t: Tok): [number, number] {
    if (t.multiline) return [Math.min(t.s + 3, t.e), t.terminated ? Math.max(t.s + 3, t.e - 3) : t.e];
    return [Math.min(t.s + 1, t.e), t.terminated ? t.e - 1 : t.e];
  }

  /** Skip one bracketed group starting at `(`/`[`/`{`, iteratively. */
  function skipBalanced(): void {
    let depth = 0;
    do {
      const t = next();
      if (t.t === EOF) return;
      if (t.t === PUNCT && (t.v === '(' || t.v === '[' || t.v === '{')) depth++;
      else if (t.t === PUNCT && (t.v === ')' || t.v === ']' || t.v === '}')) depth--;
    } while (depth > 0);
  }

  /**
   * One expression: tokens up to a newline, ',' or a closing bracket at depth 0. Newlines inside brackets
   * continue it, unless a declaration keyword starts the next line (a half-typed call).
   */
  function skipExpression(): void {
    let depth = 0;
    for (;;) {
      const t = peek();
      if (t.t === EOF) return;
      if (t.t === NL) {
        if (depth === 0) return;
        const n1 = peek(1);
        if (n1.t === IDENT && TOP_KEYWORDS.has(n1.v) && peek(2).t === IDENT) return;
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

  /** After an object or array value: `.prop`, `[0]`, operators... belong to the same expression. */
  function skipTail(): void {
    const t = peek();
    if (t.t === NL || t.t === EOF || (t.t === PUNCT && (t.v === ',' || t.v === '}' || t.v === ']' || t.v === ')'))) return;
    skipExpression();
  }

  /** Skip a declaration's type (or anything) up to `=` at depth 0 or the end of the line. */
  function skipUntilAssign(): void {
    let depth = 0;
    for (;;) {
      const t = peek();
      if (t.t === EOF) return;
      if (t.t === NL && depth === 0) return;
      if (t.t === NL) {
        const n1 = peek(1);
        if (n1.t === IDENT && TOP_KEYWORDS.has(n1.v) && peek(2).t === IDENT) return;
      }
      if (t.t === PUNCT) {
        if (t.v === '=' && depth === 0) return;
        if (t.v === '(' || t.v === '[' || t.v === '{') depth++;
        else if (t.v === ')' || t.v === ']' || t.v === '}') depth = Math.max(0, depth - 1);
      }
      p++;
    }
  }

  function skipUntilColon(): void {
    let depth = 0;
    for (;;) {
      const t = peek();
      if (t.t === EOF) return;
      if (t.t === PUNCT) {
        if (t.v === ':' && depth === 0) return;
        if (t.v === '(' || t.v === '[' || t.v === '{') depth++;
        else if (t.v === ')' || t.v === ']' || t.v === '}') {
          if (depth === 0) return;
          depth--;
        }
      }
      if (t.t === NL && depth === 0) return;
      p++;
    }
  }

  /** Skip the rest of a statement: up to a newline at depth 0 (always consumes at least one token). */
  function skipStatement(): void {
    const before = p;
    let depth = 0;
    for (;;) {
      const t = peek();
      if (t.t === EOF) break;
      if (t.t === NL) {
        if (depth <= 0) break;
        const n1 = peek(1);
        if (n1.t === IDENT && TOP_KEYWORDS.has(n1.v) && peek(2).t === IDENT && n1.s > 0 && text.charCodeAt(n1.s - 1) === 10) break;
      }
      if (t.t === PUNCT) {
        if (t.v === '(' || t.v === '[' || t.v === '{') depth++;
        else if (t.v === ')' || t.v === ']' || t.v === '}') depth--;
      }
      p++;
    }
    if (p === before && peek().t !== EOF) p++;
  }

  /** Anything left on the line after a complete statement is an error, then skipped. */
  function endStatement(): void {
    const t = peek();
    if (t.t === NL || t.t === EOF) return;
    error('unexpected token after declaration', t);
    skipStatement();
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
