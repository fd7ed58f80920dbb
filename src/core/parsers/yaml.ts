import { CST, Parser } from 'yaml';
import type { Entry, FileKind, ParsedDocument, ResourceBlock, ValueType } from '../model';

/*
 * YAML (GitHub/Azure pipelines, Kubernetes manifests, azure.yaml, docker-compose, Helm values) into the
 * common model from the `yaml` package's CST (Parser): no documents are composed, no tags resolved and
 * aliases are never expanded (alias values are skipped), so billion-laughs files cost nothing. Every
 * document of a multi-document stream is read. Never throws.
 *
 * Path conventions (per document, from that document's root; no document index):
 *   spec.template.spec.containers[0].image -> ['spec', 'template', 'spec', 'containers', '0', 'image']
 *   - name: DB_PASSWORD          (any map in a sequence with a string `name` and a `value` or
 *     value: x                    `connectionString` key; K8s env, pipeline variables)
 *                                 -> value entry renamed: key 'DB_PASSWORD', path [..., 'env', 'DB_PASSWORD']
 *   variables: { A: x } / env: { A: x } -> [..., 'variables', 'A']
 *   Kubernetes documents (top-level `apiVersion` and `kind`) become resources: type = the kind ('Secret',
 *   'Deployment'), name = metadata.name when literal, anchor = the kind value; the document's entries point
 *   to it. Secret `data` values (base64) are plain string entries: ['data', 'password'].
 *
 * Value types: plain scalars follow the YAML 1.2 core schema ('null' for ~/null, 'boolean' for
 * true/false, 'number' for ints, floats, 0x, 0o, .inf, .nan); quoted and block scalars are 'string'; a
 * scalar holding `${{ ... }}` (GitHub), `$(name)` or `$[ ... ]` (Azure Pipelines) is 'expression'.
 * Offsets: quoted scalars have contentStart/End inside the quotes; block scalars (| >) have valueStart at
 * the header and content = the raw lines after the header (trailing line breaks excluded).
 * Keys with no value (`key:`), complex keys and aliases produce no entry.
 */

type Tok = CST.Token;
const MAX_DEPTH = 256;
const NAME_VALUE_KEYS = ['value', 'connectionString'];

export function parseYaml(text: string, kind: FileKind): ParsedDocument {
  const entries: Entry[] = [];
  const resources: ResourceBlock[] = [];
  const comments: ParsedDocument['comments'] = [];
  const errors: ParsedDocument['errors'] = [];
  const tokens = [...new Parser().parse(blankDeepFlow(text, (at) => errors.push({ message: 'nesting too deep', start: at, end: at })))];

  for (let ti = 0; ti < tokens.length; ti++) {
    const tok = tokens[ti];
    switch (tok.type) {
      case 'document': {
        sourceTokens(tok.start);
        const first = entries.length;
        let top: Map<string, number> | undefined;
        if (tok.value) top = walk(tok.value, [], 0, false);
        sourceTokens(tok.end);
        if (top) kubernetesResource(top, first, tok.offset, ti + 1 < tokens.length ? tokens[ti + 1].offset : text.length);
        break;
      }
      case 'doc-end':
        sourceTokens(tok.end);
        break;
      case 'comment':
        comments.push({ start: tok.offset, end: tok.offset + tok.source.length });
        break;
      case 'error':
        errors.push({ message: tok.message, start: tok.offset, end: tok.offset + Math.max(tok.source.length, 0) });
        break;
      default:
        break;
    }
  }
  return { kind, text, entries, resources, comments, errors };

  function onScalarError(offset: number, _code: string, message: string): void {
    const start = Math.min(Math.max(0, offset), text.length);
    errors.push({ message, start, end: Math.min(start + 1, text.length) });
  }

  function sourceTokens(list: readonly Tok[] | undefined): void {
    if (!list) return;
    for (const t of list) {
      if (t.type === 'comment') comments.push({ start: t.offset, end: t.offset + t.source.length });
      else if (t.type === 'error') errors.push({ message: t.message, start: t.offset, end: t.offset + t.source.length });
    }
  }

  /** Walk a node; for maps, returns their scalar properties (key -> entry index). */
  function walk(node: Tok, path: string[], depth: number, inSeq: boolean): Map<string, number> | undefined {
    if (depth > MAX_DEPTH) {
      errors.push({ message: 'nesting too deep', start: node.offset, end: node.offset });
      return undefined;
    }
    switch (node.type) {
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const isMap = node.type === 'block-map' || (node.type === 'flow-collection' && node.start.source === '{');
        if (node.type === 'flow-collection') sourceTokens(node.end);
        const scalars = new Map<string, number>();
        let index = 0;
        for (const item of node.items) {
          sourceTokens(item.start);
          sourceTokens(item.sep);
          if (isMap || item.key !== undefined) {
            // A pair (in a map, or a single pair inside a flow sequence).
            const key = item.key;
            if (!key || !CST.isScalar(key)) {
              if (key) collectComments(key, depth + 1);
              if (item.value) collectComments(item.value, depth + 1);
              continue;
            }
            sourceTokens('end' in key ? key.end : undefined);
            const k = CST.resolveAsScalar(key, false, onScalarError);
            if (!k) continue;
            const keyName = k.value;
            const childPath = isMap ? [...path, keyName] : [...path, String(index++), keyName];
            if (!item.value) continue;
            const before = entries.length;
            if (CST.isScalar(item.value)) {
              if (scalar(item.value, childPath, k.range[0], k.range[1], hasStrTag(item.sep))) scalars.set(keyName, before);
            } else walk(item.value, childPath, depth + 1, false);
            continue;
          }
          const childPath = [...path, String(index++)];
          if (!item.value) continue;
          if (CST.isScalar(item.value)) scalar(item.value, childPath, undefined, undefined, hasStrTag(item.start));
          else walk(item.value, childPath, depth + 1, isSeq(node));
        }
        if (isMap && inSeq) renameNameValue(scalars, path);
        return isMap ? scalars : undefined;
      }
      case 'alias':
        sourceTokens(node.end);
        return undefined;
      case 'error':
        errors.push({ message: node.message, start: node.offset, end: node.offset + node.source.length });
        return undefined;
      default:
        if (CST.isScalar(node)) scalar(node, path, undefined, undefined, false);
        return undefined;
    }
  }

  /** Comments inside a subtree that produces no entries (complex keys). */
  function collectComments(node: Tok, depth: number): void {
    if (depth > MAX_DEPTH) return;
    if (node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection') {
      if (node.type === 'flow-collection') sourceTokens(node.end);
      for (const item of node.items) {
        sourceTokens(item.start);
        sourceTokens(item.sep);
        if (item.key) collectComments(item.key, depth + 1);
        if (item.value) collectComments(item.value, depth + 1);
      }
    } else if (node.type === 'block-scalar') sourceTokens(node.props);
    else if ('end' in node && Array.isArray(node.end)) sourceTokens(node.end);
  }

  function renameNameValue(scalars: Map<string, number>, mapPath: string[]): void {
    const nameIdx = scalars.get('name');
    if (nameIdx === undefined || entries[nameIdx].valueType !== 'string') return;
    for (const k of NAME_VALUE_KEYS) {
      const vIdx = scalars.get(k);
      if (vIdx === undefined) continue;
      const settingName = entries[nameIdx].value;
      entries[vIdx].path = [...mapPath.slice(0, -1), settingName];
      entries[vIdx].key = settingName;
      return;
    }
  }

  /** Emit an entry for a scalar token; false when none was emitted. */
  function scalar(node: CST.FlowScalar | CST.BlockScalar, path: string[], keyStart: number | undefined, keyEnd: number | undefined, strTag: boolean): boolean {
    if (node.type === 'block-scalar') sourceTokens(node.props);
    else sourceTokens(node.end);
    // A bare scalar document (`just text`) has no key: no assignment.
    if (path.length === 0) return false;
    const r = CST.resolveAsScalar(node, false, onScalarError);
    if (!r) return false;
    const [vs, ve] = r.range;
    let cs = vs;
    let ce = ve;
    let valueType: ValueType = 'string';
    let value = r.value;
    if (r.type === 'QUOTE_DOUBLE' || r.type === 'QUOTE_SINGLE') {
      const q = r.type === 'QUOTE_DOUBLE' ? '"' : "'";
      cs = Math.min(vs + 1, ve);
      ce = ve - vs >= 2 && text[ve - 1] === q ? ve - 1 : ve;
      // Unterminated (half-typed) quote: the raw rest is the value.
      if (ce === ve) value = text.slice(cs, ce);
    } else if (r.type === 'BLOCK_LITERAL' || r.type === 'BLOCK_FOLDED') {
      const b = node as CST.BlockScalar;
      cs = b.offset;
      for (const prop of b.props) if ('source' in prop && typeof prop.source === 'string') cs = Math.max(cs, prop.offset + prop.source.length);
      cs = Math.min(cs, ve);
      while (ce > cs && (text[ce - 1] === '\n' || text[ce - 1] === '\r')) ce--;
    } else if (!strTag) valueType = plainType(value);
    if (valueType === 'string' && hasPipelineExpression(value)) valueType = 'expression';
    const entry: Entry = { path, key: path[path.length - 1] ?? '', value, valueType, valueStart: vs, valueEnd: ve, contentStart: cs, contentEnd: ce };
    if (keyStart !== undefined) {
      entry.keyStart = keyStart;
      entry.keyEnd = keyEnd;
    }
    entries.push(entry);
    return true;
  }

  function kubernetesResource(top: Map<string, number>, first: number, start: number, end: number): void {
    const kindIdx = top.get('kind');
    if (kindIdx === undefined || !top.has('apiVersion')) return;
    const kindEntry = entries[kindIdx];
    if (kindEntry.valueType !== 'string' || !kindEntry.value) return;
    const index = resources.length;
    const nameEntry = entries.slice(first).find((e) => e.path.length === 2 && e.path[0] === 'metadata' && e.path[1] === 'name');
    resources.push({
      type: kindEntry.value,
      name: nameEntry && nameEntry.valueType === 'string' ? nameEntry.value : undefined,
      start,
      end,
      anchorStart: kindEntry.contentStart,
      anchorEnd: kindEntry.contentEnd,
    });
    for (let i = first; i < entries.length; i++) entries[i].resource = index;
  }
}

function isSeq(node: Tok): boolean {
  return node.type === 'block-seq' || (node.type === 'flow-collection' && node.start.source === '[');
}

function hasStrTag(props: readonly CST.SourceToken[] | undefined): boolean {
  return !!props?.some((t) => t.type === 'tag' && (t.source === '!!str' || t.source === '!'));
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar. */
function plainType(v: string): ValueType {
  if (v.length > 40) return 'string';
  if (v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL') return 'null';
  if (v === 'true' || v === 'True' || v === 'TRUE' || v === 'false' || v === 'False' || v === 'FALSE') return 'boolean';
  if (INT.test(v) || FLOAT.test(v) || /^0o[0-7]+$/.test(v) || /^0x[0-9a-fA-F]+$/.test(v)) return 'number';
  if (/^[-+]?\.(inf|Inf|INF)$/.test(v) || /^\.(nan|NaN|NAN)$/.test(v)) return 'number';
  return 'string';
}

/** `${{ ... }}` (GitHub Actions), `$(name)` and `$[ ... ]` (Azure Pipelines) anywhere in the value. */
function hasPipelineExpression(v: string): boolean {
  // One search for '$' (values are often long: recorded HTTP bodies), then the character after it.
  for (let i = v.indexOf('$'); i !== -1; i = v.indexOf('$', i + 1)) {
    const next = v.charCodeAt(i + 1);
    if (next === 91 /* [ */ || (next === 123 /* { */ && v.charCodeAt(i + 2) === 123)) return true;
    if (next === 40 /* ( */) {
      let j = i + 2;
      while (j < v.length && isVariableNameChar(v.charCodeAt(j))) j++;
      if (j > i + 2 && v.charCodeAt(j) === 41 /* ) */) return true;
    }
  }
  return false;
}

/** [A-Za-z0-9_.-] */
function isVariableNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/**
 * The text with everything nested deeper than MAX_DEPTH flow levels ('[' / '{') replaced by spaces (line breaks
 * kept, so every offset stays valid). The walk ignores what is that deep anyway, and the yaml package's flow
 * parser spent seconds on it (781 KB of '[': 4.5 s). Quotes count only where a quoted scalar can start, so
 * an apostrophe inside a plain scalar does not hide brackets.
 */
function blankDeepFlow(text: string, onFirstBlanked: (offset: number) => void): string {
  // Nesting deeper than MAX_DEPTH needs more opening brackets than that: most files have far fewer.
  if (countOpeningBrackets(text, MAX_DEPTH + 1) <= MAX_DEPTH) return text;
  let depth = 0;
  let deepFrom = -1;
  let out: string[] | undefined;
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
    if ((c === 34 /* " */ || c === 39) /* ' */ && isTokenStart(prev)) {
      // Skip the quoted scalar ('' escapes a single quote, backslash escapes in double quotes).
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (c === 34 && d === 92 /* \ */) j++;
        else if (d === c) {
          if (c === 39 && text.charCodeAt(j + 1) === 39) j++;
          else break;
        }
      }
      i = j;
      continue;
    }
    if (c === 35 /* # */ && (prev === 32 || prev === 9 || prev === 10)) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) break;
      i = eol - 1;
      continue;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth === MAX_DEPTH + 1) {
        if (!out && deepFrom === -1 && copied === 0) onFirstBlanked(i);
        deepFrom = i;
      }
    } else if ((c === 93 /* ] */ || c === 125) /* } */ && depth > 0) {
      if (depth-- === MAX_DEPTH + 1) {
        (out ??= []).push(text.slice(copied, deepFrom), blank(text.slice(deepFrom, i + 1)));
        copied = i + 1;
        deepFrom = -1;
      }
    }
  }
  if (deepFrom !== -1) {
    (out ??= []).push(text.slice(copied, deepFrom), blank(text.slice(deepFrom)));
    copied = n;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

/** How many '[' and '{' the text holds, counting no further than `limit`. */
function countOpeningBrackets(text: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf('['); i !== -1 && count < limit; i = text.indexOf('[', i + 1)) count++;
  for (let i = text.indexOf('{'); i !== -1 && count < limit; i = text.indexOf('{', i + 1)) count++;
  return count;
}

/** Characters after which a quote starts a quoted scalar: space, tab, line breaks, [ { , : - ?. */
function isTokenStart(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 91 || c === 123 || c === 44 || c === 58 || c === 45 || c === 63;
}

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}
