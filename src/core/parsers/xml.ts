import type { Entry, FileKind, ParsedDocument } from '../model';

/*
 * XML (web.config, app.config, *.config, *.pubxml, *.csproj, *.xml) into the common model with a small
 * tolerant scanner: no DOM, no recursion, linear; never throws. Values are decoded (&amp; &lt; &gt; &quot;
 * &apos; &#N; &#xH;) while offsets stay raw. Every value is 'string' (XML has no scalar types).
 *
 * Path conventions (element names as written, prefixes kept, from the root element):
 *   <configuration><appSettings><add key="K" value="V"/>
 *        -> value entry: key 'K', path ['configuration', 'appSettings', 'K'] (the `key` attribute also yields
 *           ['configuration', 'appSettings', 'add', 'key'] = 'K')
 *   <connectionStrings><add name="N" connectionString="..." providerName="..."/>
 *        -> connectionString entry: key 'N', path ['configuration', 'connectionStrings', 'N'];
 *           providerName -> ['configuration', 'connectionStrings', 'add', 'providerName']
 *   (any element with a `key` or `name` attribute plus a `value` or `connectionString` attribute is renamed
 *    this way; `key` wins over `name`)
 *   other attributes: <customErrors mode="Off"/> under system.web -> ['configuration', 'system.web', 'customErrors', 'mode']
 *   leaf text: <PropertyGroup><Password>x</Password> -> ['Project', 'PropertyGroup', 'Password'] (trimmed;
 *     a lone CDATA section has its markers in valueStart/End and the content inside contentStart/End)
 *   <setting name="X"><value>V</value></setting> -> the text entry of <value> is renamed: key 'X',
 *     path [..., 'X'] (applicationSettings / Settings.settings)
 * Not handled: DTD entity definitions, namespaces resolution, mixed-content text (elements with child
 * elements get no text entry).
 */

interface Frame {
  name: string;
  /** The enclosing element, for the path (built only when an entry needs it). */
  parent?: Frame;
  /** Length of this element's path (capped at MAX_PATH; deeper elements share their parent's path). */
  depth: number;
  path?: string[];
  start: number;
  hasChild: boolean;
  /** Raw ranges of text/CDATA children: [start, end, isCdata]. */
  segs: [number, number, boolean][];
  /** The element's `name` attribute value, for <setting name="X"><value>V</value></setting>. */
  nameAttr?: string;
}

const MAX_PATH = 256;
/** Unclosed elements reported one by one; the rest are counted in one error (300,000 errors for 900 KB). */
const MAX_UNCLOSED_REPORTED = 100;

/**
 * An element's path, built on first use and kept: copying the parent's path for every start tag cost
 * O(depth) time and memory per element (450 MB for 900 KB of unclosed elements).
 */
function pathOf(f: Frame): string[] {
  // Iterative: elements may nest far deeper than the path cap.
  const pending: Frame[] = [];
  for (let g: Frame | undefined = f; g && !g.path; g = g.parent) pending.push(g);
  for (let k = pending.length - 1; k >= 0; k--) {
    const g = pending[k];
    g.path = !g.parent ? [g.name] : g.depth > g.parent.depth ? [...g.parent.path!, g.name] : g.parent.path!;
  }
  return f.path!;
}

export function parseXml(text: string, kind: FileKind): ParsedDocument {
  const entries: Entry[] = [];
  const comments: ParsedDocument['comments'] = [];
  const errors: ParsedDocument['errors'] = [];
  const stack: Frame[] = [];
  const n = text.length;
  const noCloseFrom: Record<string, number> = {};
  let unclosedCount = 0;
  let i = 0;

  const addText = (s: number, e: number, cdata: boolean) => {
    const top = stack[stack.length - 1];
    if (top && e > s) top.segs.push([s, e, cdata]);
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      addText(i, n, false);
      break;
    }
    addText(i, lt, false);
    if (text.startsWith('<!--', lt)) {
      const j = text.indexOf('-->', lt + 4);
      const e = j === -1 ? n : j + 3;
      if (j === -1) errors.push({ message: 'unterminated comment', start: lt, end: n });
      comments.push({ start: lt, end: e });
      i = e;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const j = text.indexOf(']]>', lt + 9);
      const e = j === -1 ? n : j + 3;
      if (j === -1) errors.push({ message: 'unterminated CDATA section', start: lt, end: n });
      addText(lt, e, true);
      i = e;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const j = text.indexOf('?>', lt + 2);
      i = j === -1 ? n : j + 2;
      if (j === -1) errors.push({ message: 'unterminated processing instruction', start: lt, end: n });
      continue;
    }
    if (text.startsWith('<!', lt)) {
      // DOCTYPE and friends, with an optional internal subset [...].
      let j = lt + 2;
      let bracket = 0;
      while (j < n) {
        const c = text[j];
        if (c === '[') bracket++;
        else if (c === ']') bracket = Math.max(0, bracket - 1);
        else if (c === '>' && bracket === 0) break;
        j++;
      }
      i = Math.min(j + 1, n);
      continue;
    }
    if (text[lt + 1] === '/') {
      let j = lt + 2;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const name = text.slice(lt + 2, j);
      const gt = findTagEnd(j);
      i = gt;
      closeElement(name, lt, i);
      continue;
    }
    if (!isNameStart(text.charCodeAt(lt + 1))) {
      // A stray '<' in text.
      addText(lt, lt + 1, false);
      i = lt + 1;
      continue;
    }
    i = startTag(lt);
  }
  while (stack.length) {
    unclosed(stack[stack.length - 1]);
    finish(stack.pop()!);
  }
  if (unclosedCount > MAX_UNCLOSED_REPORTED) errors.push({ message: `${unclosedCount - MAX_UNCLOSED_REPORTED} more unclosed elements`, start: 0, end: 0 });
  return { kind, text, entries, resources: [], comments, errors };

  function unclosed(f: Frame): void {
    if (++unclosedCount <= MAX_UNCLOSED_REPORTED) errors.push({ message: `unclosed element <${f.name}>`, start: f.start, end: f.start + 1 + f.name.length });
  }

  /** End of an end tag: after the next '>' on the way, or before a '<' (a broken tag). */
  function findTagEnd(j: number): number {
    while (j < n) {
      const c = text[j];
      if (c === '>') return j + 1;
      if (c === '<') return j;
      j++;
    }
    return n;
  }

  function closeElement(name: string, start: number, end: number): void {
    for (let k = stack.length - 1; k >= 0 && k >= stack.length - 64; k--) {
      if (stack[k].name !== name) continue;
      while (stack.length > k + 1) {
        const f = stack.pop()!;
        unclosed(f);
        finish(f);
      }
      finish(stack.pop()!);
      return;
    }
    errors.push({ message: `unexpected end tag </${name}>`, start, end });
  }

  /** Parse `<name attr="v" ...>` or `/>`; returns the offset after the tag. */
  function startTag(lt: number): number {
    let j = lt + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(lt + 1, j);
    const parent = stack[stack.length - 1];
    if (parent) parent.hasChild = true;
    const parentDepth = parent ? parent.depth : 0;
    const frame: Frame = { name, parent, depth: parentDepth < MAX_PATH ? parentDepth + 1 : parentDepth, start: lt, hasChild: false, segs: [] };
    const attrs: { name: string; nameStart: number; nameEnd: number; vs: number; ve: number; cs: number; ce: number; value: string }[] = [];
    let selfClose = false;
    let end = n;
    for (;;) {
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (j >= n) {
        errors.push({ message: `unterminated tag <${name}`, start: lt, end: n });
        break;
      }
      const c = text[j];
      if (c === '>') {
        end = j + 1;
        break;
      }
      if (c === '/' && text[j + 1] === '>') {
        selfClose = true;
        end = j + 2;
        break;
      }
      if (c === '<') {
        errors.push({ message: `unterminated tag <${name}`, start: lt, end: j });
        end = j;
        break;
      }
      const ns = j;
      while (j < n && !isSpace(text.charCodeAt(j)) && !'=></"\''.includes(text[j])) j++;
      if (j === ns) {
        j++; // stray '/', quote...
        continue;
      }
      const ne = j;
      let k = j;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (text[k] !== '=') continue; // attribute without a value
      k++;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      const q = text[k];
      if (q === '"' || q === "'") {
        let close = -1;
        if (!(q in noCloseFrom && noCloseFrom[q] <= k)) {
          close = text.indexOf(q, k + 1);
          if (close === -1) noCloseFrom[q] = k;
        }
        if (close === -1) {
          let e = k + 1;
          while (e < n && text[e] !== '\n' && text[e] !== '>' && text[e] !== '<') e++;
          errors.push({ message: 'unterminated attribute value', start: k, end: e });
          attrs.push({ name: text.slice(ns, ne), nameStart: ns, nameEnd: ne, vs: k, ve: e, cs: k + 1, ce: e, value: decodeEntities(text.slice(k + 1, e)) });
          j = e;
        } else {
          attrs.push({ name: text.slice(ns, ne), nameStart: ns, nameEnd: ne, vs: k, ve: close + 1, cs: k + 1, ce: close, value: decodeEntities(text.slice(k + 1, close)) });
          j = close + 1;
        }
      } else {
        let e = k;
        while (e < n && !isSpace(text.charCodeAt(e)) && text[e] !== '>' && text[e] !== '<' && !(text[e] === '/' && text[e + 1] === '>')) e++;
        if (e > k) attrs.push({ name: text.slice(ns, ne), nameStart: ns, nameEnd: ne, vs: k, ve: e, cs: k, ce: e, value: decodeEntities(text.slice(k, e)) });
        j = e;
      }
    }
    // Name/value elements: <add key="K" value="V"/>, <add name="N" connectionString="..."/>.
    const find = (a: string) => attrs.find((x) => x.name === a);
    const keyAttr = find('key') ?? find('name');
    const valueAttr = keyAttr ? find('value') ?? find('connectionString') : undefined;
    for (const a of attrs) {
      const renamed = a === valueAttr && keyAttr !== undefined;
      const key = renamed ? keyAttr!.value : a.name;
      entries.push({
        path: renamed ? [...(parent ? pathOf(parent) : []), key] : [...pathOf(frame), a.name],
        key,
        value: a.value,
        valueType: 'string',
        valueStart: a.vs,
        valueEnd: a.ve,
        contentStart: a.cs,
        contentEnd: a.ce,
        keyStart: a.nameStart,
        keyEnd: a.nameEnd,
      });
    }
    if (!selfClose) {
      frame.nameAttr = find('name')?.value;
      stack.push(frame);
    }
    return end;
  }

  /** A closed element: its text, when it has no child elements, is a leaf scalar. */
  function finish(f: Frame): void {
    if (f.hasChild || f.segs.length === 0) return;
    // Trim to the first and last non-blank text (comments between segments are not text).
    let first = -1;
    let last = -1;
    for (let k = 0; k < f.segs.length; k++) {
      const [a, b, cdata] = f.segs[k];
      if (cdata || /\S/.test(text.slice(a, b))) {
        if (first === -1) first = k;
        last = k;
      }
    }
    if (first === -1) return;
    let s = f.segs[first][0];
    let e = f.segs[last][1];
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    let value = '';
    for (let k = first; k <= last; k++) {
      const [a, b, cdata] = f.segs[k];
      if (cdata) value += text.slice(a + 9, b - (text.endsWith(']]>', b) ? 3 : 0));
      else value += decodeEntities(text.slice(Math.max(a, s), Math.min(b, e)));
    }
    let cs = s;
    let ce = e;
    if (first === last && f.segs[first][2]) {
      cs = Math.min(s + 9, e);
      ce = text.endsWith(']]>', e) ? Math.max(cs, e - 3) : e;
    }
    const parent = stack[stack.length - 1];
    // <setting name="X"><value>V</value></setting>: the value belongs to setting X.
    const renamed = f.name === 'value' && parent?.nameAttr !== undefined;
    const key = renamed ? parent!.nameAttr! : f.name;
    entries.push({
      path: renamed ? [...pathOf(f).slice(0, -2), key] : pathOf(f),
      key,
      value,
      valueType: 'string',
      valueStart: s,
      valueEnd: e,
      contentStart: cs,
      contentEnd: ce,
      keyStart: f.start + 1,
      keyEnd: f.start + 1 + f.name.length,
    });
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    let semi = amp + 1;
    while (semi < s.length && semi - amp <= 10 && s[semi] !== ';' && s[semi] !== '&') semi++;
    if (s[semi] !== ';') {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    const name = s.slice(amp + 1, semi);
    let rep: string | undefined = NAMED[name];
    if (rep === undefined && name[0] === '#') {
      const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff && /^#(x[0-9a-fA-F]+|X[0-9a-fA-F]+|[0-9]+)$/.test(name)) rep = String.fromCodePoint(cp);
    }
    if (rep !== undefined) {
      out += s.slice(last, amp) + rep;
      last = semi + 1;
    }
    amp = s.indexOf('&', amp + 1);
  }
  return out + s.slice(last);
}
