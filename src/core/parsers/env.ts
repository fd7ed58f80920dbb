import type { Entry, FileKind, ParsedDocument } from '../model';

/*
 * dotenv files (.env, .env.*) into the common model with a single line scanner. Linear; never throws.
 *
 *   KEY=value              -> path ['KEY'], value 'value'
 *   export KEY="a\nb"      -> path ['KEY'], value 'a<newline>b' (double quotes: \n \r \t \" \\ escapes; may span lines)
 *   KEY='raw $x'           -> single quotes and backticks: no escapes, may span lines
 *   KEY=value # note       -> inline comment only after whitespace for unquoted values; after the closing quote
 *   KEY=                   -> empty string value (zero-length range right after '=')
 *   # comment / lines without '=' -> comment range / ignored (an error is recorded for non-blank junk lines)
 *
 * Every value is 'string', except a value that is exactly one `${NAME}`, `${NAME:-default}` or `$NAME`
 * reference (unquoted or double-quoted), which is 'expression'. Keys may contain any character but
 * whitespace and '='.
 */
export function parseEnv(text: string, kind: FileKind): ParsedDocument {
  const entries: Entry[] = [];
  const comments: ParsedDocument['comments'] = [];
  const errors: ParsedDocument['errors'] = [];
  const n = text.length;
  // Once a search for a closing quote has failed from some offset, it fails from any later offset too.
  const noCloseFrom: Record<string, number> = {};
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < n) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd === -1) lineEnd = n;
    let eol = lineEnd;
    if (eol > i && text.charCodeAt(eol - 1) === 13) eol--;
    let j = i;
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    if (j === eol) {
      i = lineEnd + 1;
      continue;
    }
    if (text.charCodeAt(j) === 35 /* # */) {
      comments.push({ start: j, end: eol });
      i = lineEnd + 1;
      continue;
    }
    if (text.startsWith('export', j) && isBlank(text.charCodeAt(j + 6))) {
      j += 6;
      while (j < eol && isBlank(text.charCodeAt(j))) j++;
    }
    const keyStart = j;
    while (j < eol && text.charCodeAt(j) !== 61 /* = */ && !isBlank(text.charCodeAt(j))) j++;
    const keyEnd = j;
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    if (keyEnd === keyStart || j >= eol || text.charCodeAt(j) !== 61) {
      errors.push({ message: "expected KEY=value", start: keyStart, end: eol });
      i = lineEnd + 1;
      continue;
    }
    const key = text.slice(keyStart, keyEnd);
    j++; // '='
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    const q = text[j];
    let next = lineEnd + 1;
    if (j < eol && (q === '"' || q === "'" || q === '`')) {
      let close = -1;
      if (!(q in noCloseFrom && noCloseFrom[q] <= j)) {
        for (let k = j + 1; k < n; k++) {
          const c = text[k];
          if (c === '\\' && q === '"') {
            k++;
            continue;
          }
          if (c === q) {
            close = k;
            break;
          }
        }
        if (close === -1) noCloseFrom[q] = j;
      }
      if (close === -1) {
        // Unterminated: the rest of the line is the value.
        errors.push({ message: 'unterminated quoted value', start: j, end: eol });
        const raw = text.slice(j + 1, eol);
        entries.push(entry(key, keyStart, keyEnd, raw, q === '"' && isReference(raw), j, eol, j + 1, eol));
      } else {
        const raw = text.slice(j + 1, close);
        const value = q === '"' ? unescape(raw) : raw;
        entries.push(entry(key, keyStart, keyEnd, value, q === '"' && isReference(raw), j, close + 1, j + 1, close));
        // The value may span lines: continue after the line holding the closing quote; note a trailing comment.
        let le = text.indexOf('\n', close);
        if (le === -1) le = n;
        let e2 = le;
        if (e2 > close && text.charCodeAt(e2 - 1) === 13) e2--;
        for (let k = close + 1; k < e2; k++) {
          if (text.charCodeAt(k) === 35) {
            comments.push({ start: k, end: e2 });
            break;
          }
        }
        next = le + 1;
      }
    } else {
      let end = eol;
      for (let k = j; k < eol; k++) {
        if (text.charCodeAt(k) === 35 && (k === j || isBlank(text.charCodeAt(k - 1)))) {
          comments.push({ start: k, end: eol });
          end = k;
          break;
        }
      }
      while (end > j && isBlank(text.charCodeAt(end - 1))) end--;
      const raw = text.slice(j, end);
      entries.push(entry(key, keyStart, keyEnd, raw, isReference(raw), j, end, j, end));
    }
    i = next;
  }
  return { kind, text, entries, resources: [], comments, errors };
}

function entry(key: string, keyStart: number, keyEnd: number, value: string, expression: boolean, vs: number, ve: number, cs: number, ce: number): Entry {
  return { path: [key], key, value, valueType: expression ? 'expression' : 'string', valueStart: vs, valueEnd: ve, contentStart: cs, contentEnd: ce, keyStart, keyEnd };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

function unescape(raw: string): string {
  if (raw.indexOf('\\') === -1) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c !== '\\' || k + 1 >= raw.length) {
      out += c;
      continue;
    }
    const d = raw[++k];
    out += d === 'n' ? '\n' : d === 'r' ? '\r' : d === 't' ? '\t' : d === '"' || d === '\\' ? d : `\\${d}`;
  }
  return out;
}

/** The whole value is a single `${NAME}`, `${NAME:-default}` or `$NAME` reference. */
function isReference(v: string): boolean {
  if (v.length < 2 || v[0] !== '$') return false;
  if (v[1] === '{') {
    if (v[v.length - 1] !== '}' || v.indexOf('}') !== v.length - 1) return false;
    const inner = v.slice(2, -1);
    let k = 0;
    while (k < inner.length && isNameChar(inner.charCodeAt(k), k === 0)) k++;
    return k > 0 && (k === inner.length || inner[k] === ':' || inner[k] === '-');
  }
  for (let k = 1; k < v.length; k++) if (!isNameChar(v.charCodeAt(k), k === 1)) return false;
  return true;
}

function isNameChar(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (!first && c >= 48 && c <= 57);
}
