import type { Entry, FileKind, ParsedDocument, ResourceBlock, ValueType } from '../model';
import { visitJson } from './jsonScanner';

interface Frame {
  isArray: boolean;
  /** Path of this container. */
  path: string[];
  /** Next array index, or the pending property name for objects. */
  index: number;
  key?: string;
  keyStart?: number;
  keyEnd?: number;
  /** First entry index emitted inside this container, to attach resources and name/value pairs. */
  firstEntry: number;
  /** For objects: scalar properties seen directly in this object, by name -> entry index. */
  scalars?: Map<string, number>;
  start: number;
  resourceCandidate: boolean;
  resourceIndex?: number;
}

const NAME_VALUE_KEYS = ['value', 'connectionString'];

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

  const childPath = (): string[] => {
    const top = stack[stack.length - 1];
    if (!top) return options.rootPath ?? [];
    return [...top.path, top.isArray ? String(top.index) : top.key ?? ''];
  };
  const afterValue = (): void => {
    const top = stack[stack.length - 1];
    if (top?.isArray) top.index++;
  };
  const begin = (isArray: boolean, offset: number): void => {
    const parent = stack[stack.length - 1];
    const path = childPath();
    // ARM resources: an object inside a `resources` array (or the symbolic-name object of languageVersion 2.0).
    const resourceCandidate =
      !isArray && !!parent && (parent.path[parent.path.length - 1] === 'resources' || (!parent.isArray && parent.key === 'resources'));
    stack.push({
      isArray,
      path,
      index: 0,
      firstEntry: entries.length,
      scalars: isArray ? undefined : new Map(),
      start: offset,
      resourceCandidate: parent ? resourceCandidate && (parent.isArray ? parent.path[parent.path.length - 1] === 'resources' : true) : !isArray && !!options.rootIsResource,
    });
  };

  visitJson(
    text,
    {
      onObjectBegin: (offset) => begin(false, offset),
      onArrayBegin: (offset) => begin(true, offset),
      onObjectProperty: (property, offset, length) => {
        const top = stack[stack.length - 1];
        if (top) {
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
        const key = top ? (top.isArray ? String(top.index) : top.key ?? '') : '';
        const entry = new JsonEntry(top ? top.path : [], key, typeof value === 'string' ? value : text.slice(offset, offset + length), valueType, offset, offset + length, quoted);
        if (top && !top.isArray) {
          entry.keyStart = top.keyStart;
          entry.keyEnd = top.keyEnd;
          top.scalars?.set(top.key ?? '', entries.length);
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
    const scalars = frame.scalars!;
    // { "name": "X", "value": "..." } in an array (ARM appSettings, settings exports, connectionStrings):
    // the value is the setting X.
    const nameIdx = scalars.get('name');
    const parent = stack[stack.length - 1];
    if (nameIdx !== undefined && parent?.isArray && entries[nameIdx].valueType === 'string') {
      for (const k of NAME_VALUE_KEYS) {
        const vIdx = scalars.get(k);
        if (vIdx === undefined) continue;
        const settingName = entries[nameIdx].value;
        const e = entries[vIdx];
        e.path = [...frame.path.slice(0, -1), settingName];
        e.key = settingName;
        break;
      }
    }
    if (frame.resourceIndex !== undefined) {
      const r = resources[frame.resourceIndex];
      r.end = end;
      if (nameIdx !== undefined) r.name = resourceName(entries[nameIdx]);
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
    resources.push({ type, start: frame.start, end: frame.start, anchorStart: typeEntry.contentStart, anchorEnd: typeEntry.contentEnd, parent, path: frame.path });
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
 * and copying every path up front cost more than scanning the file.
 */
class JsonEntry implements Entry {
  private cachedPath?: string[];
  keyStart?: number;
  keyEnd?: number;
  resource?: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  constructor(
    private readonly containerPath: readonly string[],
    public key: string,
    public value: string,
    public valueType: ValueType,
    public valueStart: number,
    public valueEnd: number,
    quoted: boolean,
  ) {
    this.contentStart = quoted ? valueStart + 1 : valueStart;
    this.contentEnd = quoted && valueEnd - valueStart >= 2 ? valueEnd - 1 : valueEnd;
  }
  get path(): string[] {
    return (this.cachedPath ??= [...this.containerPath, this.key]);
  }
  set path(p: string[]) {
    this.cachedPath = p;
  }
}
