import type { Entry, FileKind, ParsedDocument, PathNode, ResourceBlock, ValueType } from '../model';
import { visitJson } from './jsonScanner';

interface Frame {
  isArray: boolean;
  /** This container's place in the document (its path, linked rather than copied). */
  node: Node;
  /** Next array index, or the pending property name for objects. */
  index: number;
  key?: string;
  keyStart?: number;
  keyEnd?: number;
  /** First entry index emitted inside this container, to attach resources and name/value pairs. */
  firstEntry: number;
  /** For objects: the last scalar `name`, `value` and `connectionString` properties seen directly in it (entry indices). */
  nameIdx: number;
  valueIdx: number;
  connectionStringIdx: number;
  start: number;
  resourceCandidate: boolean;
  resourceIndex?: number;
}

/** A container's path as a linked node: one small object per container instead of a copied array. */
class Node implements PathNode {
  // Fields are declared, not defined: the class-field form runs a define step per field before the constructor's
  // own assignments (one of these per container, one JsonEntry per value).
  declare readonly parent: Node | undefined;
  declare readonly key: string;
  declare readonly depth: number;
  constructor(parent: Node | undefined, key: string, depth: number) {
    this.parent = parent;
    this.key = key;
    this.depth = depth;
  }
  /** The container's path segments (built on demand). */
  segments(): string[] {
    const out: string[] = new Array(this.depth);
    if (this.depth === 0) return out;
    out[this.depth - 1] = this.key;
    for (let n = this.parent; n && n.depth > 0; n = n.parent) out[n.depth - 1] = n.key;
    return out;
  }
}

/** Array indices as strings, shared across parses (most arrays are short). */
const INDEX_STRINGS: string[] = [];
function indexString(i: number): string {
  if (i >= 4096) return String(i);
  return (INDEX_STRINGS[i] ??= String(i));
}

/**
 * JSON/JSONC (ARM templates, parameter files, appsettings, local.settings.json, settings exports) into the
 * common model in one pass of the scanner, so no tree is built. Never throws; errors are collected.
 */
export interface JsonParseOptions {
  /** Path of the root value, when `text` is a slice of a larger document (incremental checks). */
  rootPath?: string[];
  /** The root object is an ARM resource (a slice of the root `resources` array). */
  rootIsResource?: boolean;
}

export function parseJson(text: string, kind: FileKind, options: JsonParseOptions = {}): ParsedDocument {
  const entries: Entry[] = [];
  const resources: ResourceBlock[] = [];
  const comments: { start: number; end: number }[] = [];
  const errors: ParsedDocument['errors'] = [];
  const stack: Frame[] = [];
  const pool: Frame[] = [];

  // The root container's node: rootPath as a chain (incremental checks parse one resource with its real path).
  const base = new Node(undefined, '', 0);
  let rootNode = base;
  for (const seg of options.rootPath ?? []) rootNode = new Node(rootNode, seg, rootNode.depth + 1);

  const childNode = (): Node => {
    const top = stack[stack.length - 1];
    if (!top) return rootNode;
    return new Node(top.node, top.isArray ? indexString(top.index) : top.key ?? '', top.node.depth + 1);
  };
  const afterValue = (): void => {
    const top = stack[stack.length - 1];
    if (top?.isArray) top.index++;
  };
  const begin = (isArray: boolean, offset: number): void => {
    const parent = stack[stack.length - 1];
    const node = childNode();
    // ARM resources: an object inside a `resources` array (or the symbolic-name object of languageVersion 2.0).
    const parentLast = parent && parent.node.depth > 0 ? parent.node.key : undefined;
    const resourceCandidate = !isArray && !!parent && (parentLast === 'resources' || (!parent.isArray && parent.key === 'resources'));
    // Frames live only while their container is open: reuse one object per depth.
    let f = pool[stack.length];
    if (!f) pool[stack.length] = f = { isArray, node, index: 0, firstEntry: 0, nameIdx: -1, valueIdx: -1, connectionStringIdx: -1, start: 0, resourceCandidate: false };
    f.isArray = isArray;
    f.node = node;
    f.index = 0;
    f.key = undefined;
    f.keyStart = undefined;
    f.keyEnd = undefined;
    f.firstEntry = entries.length;
    f.nameIdx = -1;
    f.valueIdx = -1;
    f.connectionStringIdx = -1;
    f.start = offset;
    f.resourceCandidate = parent ? resourceCandidate && (parent.isArray ? parentLast === 'resources' : true) : !isArray && !!options.rootIsResource;
    f.resourceIndex = undefined;
    stack.push(f);
  };

  visitJson(
    text,
    {
      onObjectBegin: (offset) => begin(false, offset),
      onArrayBegin: (offset) => begin(true, offset),
      onObjectProperty: (property, offset, length) => {
        const top = stack[stack.length - 1];
        if (top) {
          // Not interned: one shared string per name saved hashing, but in repeated scans of a large template V8
          // then promoted the documents' entries to the old generation (scavenges 1.5 -> 10 ms, median scan +2 ms).
          top.key = property;
          top.keyStart = offset;
          top.keyEnd = offset + length;
        }
      },
      onObjectEnd: (offset, length) => {
        const frame = stack.pop();
        if (!frame) return;
        finishObject(frame, offset + length);
        afterValue();
      },
      onArrayEnd: () => {
        stack.pop();
        afterValue();
      },
      onLiteralValue: (value, offset, length) => {
        const top = stack[stack.length - 1];
        const quoted = text.charCodeAt(offset) === 34;
        let valueType: ValueType;
        if (typeof value === 'string') valueType = isArmExpression(value) ? 'expression' : 'string';
        else if (typeof value === 'boolean') valueType = 'boolean';
        else if (typeof value === 'number') valueType = 'number';
        else valueType = 'null';
        const key = top ? (top.isArray ? indexString(top.index) : top.key ?? '') : '';
        const entry = new JsonEntry(top ? top.node : base, key, typeof value === 'string' ? value : text.slice(offset, offset + length), valueType, offset, offset + length, quoted);
        if (top && !top.isArray) {
          entry.keyStart = top.keyStart;
          entry.keyEnd = top.keyEnd;
          if (key === 'name') top.nameIdx = entries.length;
          else if (key === 'value') top.valueIdx = entries.length;
          else if (key === 'connectionString') top.connectionStringIdx = entries.length;
        }
        entries.push(entry);
        if (top && !top.isArray && top.resourceCandidate && top.key === 'type' && valueType === 'string' && top.resourceIndex === undefined) {
          registerResource(top, entry);
        }
        afterValue();
      },
      onComment: (offset, length) => {
        comments.push({ start: offset, end: offset + length });
      },
      onError: (message, offset, length) => {
        errors.push({ message: `JSON: ${message}`, start: offset, end: offset + length });
      },
    },
  );
  // Unclosed containers at the end of a half-typed file: still attach what they hold.
  while (stack.length) {
    const frame = stack.pop()!;
    if (!frame.isArray) finishObject(frame, text.length);
  }
  return { kind, text, entries, resources, comments, errors };

  function finishObject(frame: Frame, end: number): void {
    // { "name": "X", "value": "..." } in an array (ARM appSettings, settings exports, connectionStrings):
    // the value is the setting X.
    const nameIdx = frame.nameIdx;
    const parent = stack[stack.length - 1];
    if (nameIdx !== -1 && parent?.isArray && entries[nameIdx].valueType === 'string') {
      const vIdx = frame.valueIdx !== -1 ? frame.valueIdx : frame.connectionStringIdx;
      // The pair's object is an array item, so its node has a parent (the array).
      if (vIdx !== -1) (entries[vIdx] as JsonEntry).moveTo(frame.node.parent!, entries[nameIdx].value);
    }
    if (frame.resourceIndex !== undefined) {
      const r = resources[frame.resourceIndex];
      r.end = end;
      if (nameIdx !== -1) r.name = resourceName(entries[nameIdx]);
      for (let i = frame.firstEntry; i < entries.length; i++) if (entries[i].resource === undefined) entries[i].resource = frame.resourceIndex;
    }
  }

  /** Called when a resource candidate's `type` is seen: register it at once so children can point to it. */
  function registerResource(frame: Frame, typeEntry: Entry): void {
    let parent: number | undefined;
    for (let i = stack.length - 2; i >= 0; i--) {
      if (stack[i].resourceIndex !== undefined) {
        parent = stack[i].resourceIndex;
        break;
      }
    }
    let type = typeEntry.value.split('@')[0];
    // Nested ARM children may use a short type ("config") relative to the parent.
    if (parent !== undefined && !type.includes('/')) type = `${resources[parent].type}/${type}`;
    frame.resourceIndex = resources.length;
    resources.push({ type, start: frame.start, end: frame.start, anchorStart: typeEntry.contentStart, anchorEnd: typeEntry.contentEnd, parent, path: frame.node.segments() });
  }
}

/** 'site/web' -> 'web'; "[concat(parameters('s'), '/ftp')]" -> 'ftp'; other expressions -> undefined. */
function resourceName(e: Entry): string | undefined {
  if (e.valueType === 'string') return e.value.split('/').pop();
  if (e.valueType !== 'expression') return undefined;
  const m = /\/([A-Za-z0-9]{1,64})'[^']{0,40}$/.exec(e.value);
  return m ? m[1] : undefined;
}

/** "[parameters('x')]" is an ARM expression; "[[literal" is an escaped literal bracket. */
function isArmExpression(value: string): boolean {
  if (value.charCodeAt(0) !== 91 || value.charCodeAt(1) === 91) return false;
  return value.charCodeAt(value.length - 1) === 93;
}

/**
 * An entry whose path is built only when asked: most entries of a large template are never looked at,
 * and copying every path up front cost more than scanning the file. `container` and `parentKey` answer the
 * structural questions rules ask without building it.
 */
class JsonEntry implements Entry {
  declare private cachedPath: string[] | undefined;
  declare container: Node | undefined;
  declare keyStart: number | undefined;
  declare keyEnd: number | undefined;
  declare resource: number | undefined;
  declare readonly contentStart: number;
  declare readonly contentEnd: number;
  declare key: string;
  declare value: string;
  declare valueType: ValueType;
  declare valueStart: number;
  declare valueEnd: number;
  constructor(container: Node, key: string, value: string, valueType: ValueType, valueStart: number, valueEnd: number, quoted: boolean) {
    // Every field assigned here, in one order: all entries share one shape.
    this.cachedPath = undefined;
    this.container = container;
    this.keyStart = undefined;
    this.keyEnd = undefined;
    this.resource = undefined;
    this.contentStart = quoted ? valueStart + 1 : valueStart;
    this.contentEnd = quoted && valueEnd - valueStart >= 2 ? valueEnd - 1 : valueEnd;
    this.key = key;
    this.value = value;
    this.valueType = valueType;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
  }
  get path(): string[] {
    if (this.cachedPath) return this.cachedPath;
    const c = this.container!;
    const p = c.segments();
    p.push(this.key);
    return (this.cachedPath = p);
  }
  set path(p: string[]) {
    // A path set from outside no longer follows the container.
    this.cachedPath = p;
    this.container = undefined;
  }
  get parentKey(): string | undefined {
    const c = this.container;
    if (c) return c.depth > 0 ? c.key : undefined;
    const p = this.path;
    return p[p.length - 2];
  }
  /** Re-key the entry as `key` directly inside `container` (name/value pairs keyed by the setting name). */
  moveTo(container: Node, key: string): void {
    this.container = container;
    this.key = key;
    this.cachedPath = undefined;
  }
}
