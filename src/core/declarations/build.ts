// Builds the declaration index: every App Service app and slot the workspace's Bicep, ARM JSON and Terraform
// declare, with the file and range of the resource and of each property a posture rule reads. Names and values
// built from parameters resolve through parameter files (ARM .parameters.json, .bicepparam, .tfvars), defaults
// and module calls; anything else is kept as "unresolved" with the reason. Pure.

import { detectFileKind } from '../fileKind';
import type { Entry, FileKind, ParsedDocument, ResourceBlock } from '../model';
import { parseDocument } from '../parsers';
import { classifyResources, type ResourceInfo } from '../rules/appservice/context';
import { LineIndex } from '../text';
import { displayValue, isKeyVaultReference, normalizeScalar, restrictionLabel, slotOf, type Slot } from './properties';
import { fail, ok, resolveExpression, resolveString, type ExpressionFormat, type Resolved, type ScopeLookup } from './resolve';
import type { Declaration, DeclarationIndex, DeclaredProperty, DeclaredPropertyName, DeclaredSetting, IacFile, SourceRange } from './types';

const IAC_FILE_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['bicep', 'bicepparam', 'terraform', 'arm-template', 'arm-parameters']);
const MAX_MODULE_DEPTH = 6;

interface Parsed {
  path: string;
  dir: string;
  kind: FileKind;
  doc: ParsedDocument;
  lines: LineIndex;
  info: (ResourceInfo | undefined)[];
  /** Own entries of each resource (entry.resource === index). */
  own: Entry[][];
}

type Format = Declaration['format'];

interface Unit {
  key: string;
  format: Format;
  files: Parsed[];
}

interface ParamSet {
  values: Map<string, Resolved>;
  file?: string;
  via?: string[];
  resourceGroup?: string;
  /** Why every declaration reached through this set is unresolved (a module called in a loop). */
  loop?: string;
}

// ---- paths ----------------------------------------------------------------------------------------------------

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '';
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `rel` against the folder `dir`, '.' and '..' folded; undefined when it climbs above the workspace. */
function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

// ---- parsing --------------------------------------------------------------------------------------------------

function parse(file: IacFile): Parsed | undefined {
  const path = file.path.split('\\').join('/');
  const kind = detectFileKind(path, file.text);
  if (!IAC_FILE_KINDS.has(kind)) return undefined;
  const doc = parseDocument(file.text, kind);
  const own: Entry[][] = doc.resources.map(() => []);
  for (const e of doc.entries) if (e.resource !== undefined) own[e.resource]?.push(e);
  return { path, dir: dirOf(path), kind, doc, lines: new LineIndex(file.text), info: classifyResources(doc), own };
}

function rangeOf(p: Parsed, start: number, end: number): SourceRange {
  const a = p.lines.position(start);
  const b = p.lines.position(end);
  return { start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function formatOf(kind: FileKind): Format {
  return kind === 'terraform' ? 'terraform' : kind === 'bicep' || kind === 'bicepparam' ? 'bicep' : 'arm';
}

function valueOf(format: ExpressionFormat, e: Entry, scope: ScopeLookup): Resolved {
  if (e.valueType === 'expression') return resolveExpression(format, e.value, scope);
  if (e.valueType === 'string') return resolveString(format, e.value, scope);
  if (e.valueType === 'null') return fail('it is null');
  if (e.valueType === 'boolean') return ok(e.value === 'true');
  return ok(Number(e.value));
}

// ---- parameter files ------------------------------------------------------------------------------------------

/** A value of a parameter file: azd's `${ENV}` substitutions and function calls are known only at deployment. */
function paramFileValue(format: ExpressionFormat, e: Entry): Resolved {
  if (e.valueType === 'string' && e.value.includes('${')) return fail(`the parameter file sets it from the environment ('${e.value.slice(0, 60)}'), known only at deployment`);
  return valueOf(format, e, () => undefined);
}

function paramFileValues(p: Parsed): Map<string, Resolved> {
  const out = new Map<string, Resolved>();
  for (const e of p.doc.entries) {
    const path = e.path;
    if (p.kind === 'arm-parameters' && path.length === 3 && path[0] === 'parameters' && path[2] === 'value') out.set(path[1], paramFileValue('arm', e));
    else if (p.kind === 'bicepparam' && path.length === 2 && path[0] === 'param') out.set(path[1], paramFileValue('bicep', e));
    else if (p.kind === 'terraform' && path.length === 1) out.set(path[0], paramFileValue('terraform', e));
  }
  return out;
}

/** The template a parameter file belongs to: `using` of a .bicepparam, else `<base>.parameters[.<env>].json` -> `<base>.json|.bicep`. */
function parameterTargets(p: Parsed): string[] {
  if (p.kind === 'bicepparam') {
    const using = p.doc.entries.find((e) => e.path.length === 1 && e.key === 'using' && e.valueType === 'string');
    const target = using ? joinPath(p.dir, using.value) : undefined;
    return target ? [target] : [];
  }
  const name = baseOf(p.path);
  const i = name.toLowerCase().indexOf('.parameters');
  if (i <= 0) return [];
  const stem = joinPath(p.dir, name.slice(0, i)) ?? '';
  return [`${stem}.json`, `${stem}.bicep`];
}

// ---- scopes ---------------------------------------------------------------------------------------------------

interface Declared {
  params: Map<string, Entry | null>;
  vars: Map<string, Entry>;
}

/** Parameters (with their default entry, or null without one) and variables of a unit. */
function declaredNames(unit: Unit): Declared {
  const params = new Map<string, Entry | null>();
  const vars = new Map<string, Entry>();
  for (const p of unit.files) {
    if (unit.format === 'bicep') {
      for (const m of p.doc.text.matchAll(/^[ \t]*param[ \t]+([A-Za-z_][A-Za-z0-9_]{0,99})[ \t]/gm)) if (!params.has(m[1])) params.set(m[1], null);
    }
    for (const e of p.doc.entries) {
      if (e.resource !== undefined) continue;
      const path = e.path;
      if (unit.format === 'bicep') {
        if (path.length === 2 && path[0] === 'param') params.set(path[1], e);
        else if (path.length === 2 && path[0] === 'var') vars.set(path[1], e);
      } else if (unit.format === 'arm') {
        if (path.length === 3 && path[0] === 'parameters' && path[2] === 'defaultValue') params.set(path[1], e);
        else if (path.length === 3 && path[0] === 'parameters' && !params.has(path[1])) params.set(path[1], null);
        else if (path.length === 2 && path[0] === 'variables') vars.set(path[1], e);
      } else {
        if (path.length === 3 && path[0] === 'variable' && path[2] === 'default') params.set(path[1], e);
        else if (path.length === 3 && path[0] === 'variable' && !params.has(path[1])) params.set(path[1], null);
        else if (path.length === 2 && path[0] === 'locals') vars.set(path[1], e);
      }
    }
    if (unit.format === 'terraform') {
      // `variable "x" {}` has no entries at all.
      for (const m of p.doc.text.matchAll(/^[ \t]*variable[ \t]+"([A-Za-z_][A-Za-z0-9_-]{0,99})"/gm)) if (!params.has(m[1])) params.set(m[1], null);
    }
  }
  return { params, vars };
}

// ---- resources ------------------------------------------------------------------------------------------------

interface Res {
  file: Parsed;
  index: number;
  block: ResourceBlock;
  info: ResourceInfo;
  /** Bicep symbol, Terraform `type.label`. */
  symbol?: string;
  nameEntry?: Entry;
  depth: number;
  header: string;
}

function bicepSymbol(p: Parsed, block: ResourceBlock): string | undefined {
  return /^resource[ \t]+([A-Za-z_][A-Za-z0-9_]{0,99})/.exec(p.doc.text.slice(block.start, block.start + 120))?.[1];
}

/** Bicep: the text between the type and the body (`existing =`, `= [for ...:`, `= if (...)`). */
function headerOf(p: Parsed, block: ResourceBlock): string {
  if (p.kind !== 'bicep') return '';
  const brace = p.doc.text.indexOf('{', block.anchorEnd);
  return p.doc.text.slice(block.anchorEnd, brace < 0 || brace > block.end ? block.anchorEnd : brace);
}

/** How deep the resource's own properties sit in entry paths. */
function ownDepth(p: Parsed, r: ResourceBlock, own: Entry[], symbol: string | undefined): number {
  if (r.path) return r.path.length;
  const probe = own[0];
  if (!probe) return 0;
  if (p.kind === 'terraform') return 3;
  for (let i = probe.path.length - 2; i >= 0; i--) if (probe.path[i] === 'resource' && probe.path[i + 1] === symbol) return i + 2;
  return Math.min(...own.map((e) => e.path.length)) - 1;
}

function collectResources(unit: Unit): Res[] {
  const out: Res[] = [];
  for (const p of unit.files) {
    p.doc.resources.forEach((block, index) => {
      const info = p.info[index];
      if (!info) return;
      const own = p.own[index];
      const symbol = p.kind === 'terraform' ? (block.name ? `${block.type}.${block.name}` : undefined) : p.kind === 'bicep' ? bicepSymbol(p, block) : undefined;
      const depth = ownDepth(p, block, own, symbol);
      const nameEntry = own.find((e) => e.key === 'name' && e.path.length === depth + 1);
      out.push({ file: p, index, block, info, symbol, nameEntry, depth, header: headerOf(p, block) });
    });
  }
  return out;
}

function ownEntry(r: Res, key: string): Entry | undefined {
  return r.file.own[r.index].find((e) => e.path.length === r.depth + 1 && e.key === key);
}

// ---- evaluation -----------------------------------------------------------------------------------------------

interface ModuleCall {
  caller: Parsed;
  symbol: string;
  target: string;
  args: Map<string, Entry>;
  loop?: string;
  condition?: string;
  scope?: Entry;
}

function bicepModuleCalls(p: Parsed): ModuleCall[] {
  const calls: ModuleCall[] = [];
  for (const m of p.doc.text.matchAll(/^[ \t]*module[ \t]+([A-Za-z_][A-Za-z0-9_]{0,99})[ \t]+'([^'\n]{1,300})'/gm)) {
    const [, symbol, source] = m;
    if (!source.startsWith('.') && !source.includes('/') && !source.endsWith('.bicep')) continue;
    if (/^[a-z]{2,5}:/i.test(source)) continue; // br:, ts: registry modules
    const target = joinPath(p.dir, source);
    if (!target) continue;
    const after = m.index! + m[0].length;
    const brace = p.doc.text.indexOf('{', after);
    const header = p.doc.text.slice(after, brace < 0 ? after : brace);
    const args = new Map<string, Entry>();
    let scope: Entry | undefined;
    for (const e of p.doc.entries) {
      if (e.path[0] !== 'module' || e.path[1] !== symbol) continue;
      if (e.path.length === 4 && e.path[2] === 'params') args.set(e.path[3], e);
      if (e.path.length === 3 && e.key === 'scope') scope = e;
    }
    calls.push({ caller: p, symbol, target, args, scope, ...loopAndCondition(header) });
  }
  return calls;
}

function terraformModuleCalls(p: Parsed): ModuleCall[] {
  const bySymbol = new Map<string, ModuleCall>();
  for (const e of p.doc.entries) {
    if (e.path[0] !== 'module' || e.path.length !== 3) continue;
    const symbol = e.path[1];
    let call = bySymbol.get(symbol);
    if (!call) bySymbol.set(symbol, (call = { caller: p, symbol, target: '', args: new Map() }));
    if (e.key === 'source' && e.valueType === 'string' && e.value.startsWith('.')) call.target = joinPath(p.dir, e.value) ?? '';
    else if (e.key === 'for_each') call.loop = `for_each = ${e.value}`;
    else if (e.key === 'count') call.condition = `count = ${e.value}`;
    else call.args.set(e.key, e);
  }
  return [...bySymbol.values()].filter((c) => c.target);
}

function loopAndCondition(header: string): { loop?: string; condition?: string } {
  const loop = /\[[ \t\r\n]*for[ \t]/.exec(header);
  if (loop) {
    const from = loop.index + loop[0].length;
    const colon = header.indexOf(':', from);
    return { loop: `for ${header.slice(from, colon < 0 ? undefined : colon).trim()}` };
  }
  const cond = /\bif\s*\(/.exec(header);
  if (cond) return { condition: header.slice(cond.index + cond[0].length).trim().replace(/\)$/, '').trim().slice(0, 120) };
  return {};
}

/** The argument of a module's `scope: resourceGroup(x)`, as written. */
function resourceGroupArgument(scope: string): string | undefined {
  const t = scope.trim();
  return t.startsWith('resourceGroup(') && t.endsWith(')') ? t.slice('resourceGroup('.length, -1).trim() : undefined;
}

class Evaluation {
  readonly declarations: Declaration[] = [];
  private readonly declared: Declared;
  private readonly resources: Res[];
  private readonly resolving = new Set<string>();
  private readonly names = new Map<Res, Resolved>();
  readonly scope: ScopeLookup;

  constructor(
    private readonly unit: Unit,
    private readonly params: ParamSet,
  ) {
    this.declared = declaredNames(unit);
    this.resources = collectResources(unit);
    this.scope = (ns, name) => this.lookup(ns, name);
  }

  private lookup(ns: 'param' | 'var' | 'resource', name: string): Resolved | undefined {
    const key = `${ns}:${name}`;
    if (this.resolving.has(key)) return fail(`'${name}' refers to itself`);
    this.resolving.add(key);
    try {
      if (ns === 'param') {
        const given = this.params.values.get(name);
        if (given) return given;
        if (!this.declared.params.has(name)) return undefined;
        const def = this.declared.params.get(name);
        if (!def) {
          const by = this.params.via?.length ? `the module call (${this.params.via[this.params.via.length - 1]}) does not pass it` : 'no parameter file sets it';
          return fail(`parameter '${name}' has no default and ${by}`);
        }
        return valueOf(this.unit.format, def, this.scope);
      }
      if (ns === 'var') {
        const v = this.declared.vars.get(name);
        return v ? valueOf(this.unit.format, v, this.scope) : undefined;
      }
      const r = this.resources.find((x) => x.symbol === name);
      return r ? this.nameOf(r) : undefined;
    } finally {
      this.resolving.delete(key);
    }
  }

  nameOf(r: Res): Resolved {
    let n = this.names.get(r);
    if (!n) {
      n = r.nameEntry ? valueOf(this.unit.format, r.nameEntry, this.scope) : fail('the resource has no name');
      this.names.set(r, n);
    }
    return n;
  }

  /** The site resource a slot or child belongs to: nested block, Bicep `parent:`, Terraform app_service_id. */
  private parentSite(r: Res): Res | undefined {
    if (r.block.parent !== undefined) return this.resources.find((x) => x.file === r.file && x.index === r.block.parent);
    const ref = ownEntry(r, 'parent') ?? ownEntry(r, 'app_service_id');
    if (ref?.valueType === 'expression') {
      const symbol = r.file.kind === 'terraform' ? ref.value.replace(/\.id$/, '') : ref.value.trim();
      return this.resources.find((x) => x.symbol === symbol);
    }
    return undefined;
  }

  run(): void {
    const sites = this.resources.filter((r) => r.info.role === 'site' && !/\bexisting\b/.test(r.header));
    const bySite = new Map<Res, Declaration>();
    for (const r of sites) {
      const d = this.declare(r);
      if (d) bySite.set(r, d);
    }
    // Children (config 'web', 'appsettings', publishing policies) add their properties to their site.
    for (const r of this.resources) {
      if (r.info.role === 'site' || r.info.role === 'other') continue;
      const d = this.declarationOfChild(r, bySite);
      if (d) this.addProperties(d, r);
    }
    for (const d of bySite.values()) {
      const settings = d.properties.get('appSettings');
      if (settings && Array.isArray(settings.value)) d.settings = settings.value as DeclaredSetting[];
      this.declarations.push(d);
    }
  }

  private declarationOfChild(r: Res, bySite: Map<Res, Declaration>): Declaration | undefined {
    const parent = this.parentSite(r);
    if (parent) return bySite.get(parent);
    // ARM top-level child: name 'app/web' or 'app/slot/web'.
    const n = this.nameOf(r);
    if (!n.ok) return undefined;
    const parts = String(n.value).toLowerCase().split('/');
    const app = parts[0];
    const slot = parts.length === 3 ? parts[1] : undefined;
    for (const d of bySite.values()) if (!d.unresolved && d.app.toLowerCase() === app && (d.slot?.toLowerCase() ?? undefined) === slot) return d;
    return undefined;
  }

  private declare(r: Res): Declaration | undefined {
    const p = r.file;
    const format = this.unit.format;
    const isSlot = /\/slots$/i.test(r.block.type) || /_slot$/.test(r.block.type);
    const d: Declaration = {
      app: '',
      file: p.path,
      range: rangeOf(p, r.block.start, r.block.end),
      anchor: rangeOf(p, r.block.anchorStart, r.block.anchorEnd),
      type: r.block.type,
      format,
      properties: new Map(),
      settings: [],
    };
    if (this.params.file) d.parameterFiles = [this.params.file];
    if (this.params.via?.length) d.via = [...this.params.via];
    if (this.params.resourceGroup) d.resourceGroup = this.params.resourceGroup;
    const reasons: string[] = [];
    const own = this.nameOf(r);
    const written = r.nameEntry ? p.doc.text.slice(r.nameEntry.valueStart, r.nameEntry.valueEnd) : '(no name)';
    let app: string | undefined;
    let slot: string | undefined;
    if (!isSlot) {
      if (own.ok) app = String(own.value);
      else reasons.push(`its name ${clip(written)} does not resolve: ${own.reason}`);
    } else {
      const parent = this.parentSite(r);
      const parentName = parent ? this.nameOf(parent) : undefined;
      if (own.ok) {
        const parts = String(own.value).split('/');
        slot = parts[parts.length - 1];
        if (parts.length >= 2) app = parts[0];
      } else reasons.push(`its slot name ${clip(written)} does not resolve: ${own.reason}`);
      if (app === undefined) {
        if (parentName?.ok) app = String(parentName.value);
        else if (parentName) reasons.push(`the app it belongs to does not resolve: ${parentName.reason}`);
        else if (format === 'terraform') {
          const legacy = ownEntry(r, 'app_service_name');
          const n = legacy ? valueOf(format, legacy, this.scope) : fail('no app_service_id names a site of this module');
          if (n.ok) app = String(n.value);
          else reasons.push(`the app it belongs to does not resolve: ${n.reason}`);
        } else reasons.push('the app it belongs to is not declared here');
      }
    }
    // Loops: one app per item, whatever the name says; conditions are kept (the app may not be deployed).
    const flow = format === 'bicep' ? loopAndCondition(r.header) : this.armOrTfFlow(r);
    // A loop's name is its loop variable: the loop is the reason, not the variable.
    if (flow.loop) reasons.splice(0, reasons.length, `it is declared in a loop (${clip(flow.loop)}): one app per item`);
    if (flow.condition) d.condition = flow.condition;
    if (this.params.loop) reasons.unshift(this.params.loop);
    d.app = app ?? clip(written);
    if (slot !== undefined) d.slot = slot;
    if (reasons.length) d.unresolved = reasons.join('; ');
    if (format === 'terraform' && !d.resourceGroup) {
      const rg = ownEntry(r, 'resource_group_name');
      const v = rg ? valueOf(format, rg, this.scope) : undefined;
      if (v?.ok) d.resourceGroup = String(v.value);
    }
    this.addProperties(d, r);
    return d;
  }

  private armOrTfFlow(r: Res): { loop?: string; condition?: string } {
    if (r.file.kind === 'terraform') {
      const each = ownEntry(r, 'for_each');
      if (each) return { loop: `for_each = ${each.value}` };
      const count = ownEntry(r, 'count');
      if (count) {
        if (r.nameEntry && r.nameEntry.value.includes('count.index')) return { loop: `count = ${count.value}` };
        const n = valueOf('terraform', count, this.scope);
        if (n.ok && Number(n.value) === 1) return {};
        return { condition: `count = ${count.value}` };
      }
      return {};
    }
    const own = r.file.own[r.index];
    const copy = own.find((e) => e.path.length === r.depth + 2 && e.path[r.depth] === 'copy' && e.key === 'count');
    if (copy) return { loop: `copy count ${copy.value}` };
    const cond = ownEntry(r, 'condition');
    if (cond) {
      const v = valueOf('arm', cond, this.scope);
      if (v.ok && v.value === true) return {};
      return { condition: cond.value };
    }
    return {};
  }

  private addProperties(d: Declaration, r: Res): void {
    const p = r.file;
    const format = this.unit.format;
    const lists = new Map<string, { slot: Slot; entries: Entry[] }>();
    for (const e of p.own[r.index]) {
      const rel = e.path.slice(r.depth).map((s) => s.toLowerCase());
      const slot = slotOf(r.info.role, r.info.tf, rel, e);
      if (!slot) continue;
      if (slot.kind === 'scalar') {
        const v = valueOf(format, e, this.scope);
        const value = v.ok ? normalizeScalar(slot.type, v.value) : undefined;
        const prop: DeclaredProperty = { property: slot.property, key: e.key, range: rangeOf(p, e.valueStart, e.valueEnd), value, declared: clip(p.doc.text.slice(e.valueStart, e.valueEnd)) };
        if (!v.ok) prop.unresolved = v.reason;
        else if (value === undefined) prop.unresolved = `'${clip(String(v.value))}' is not a ${slot.type === 'string' ? 'string' : 'boolean'}`;
        d.properties.set(slot.property, prop);
        continue;
      }
      const key = slot.kind === 'setting' ? 'appSettings' : slot.property;
      let list = lists.get(key);
      if (!list) lists.set(key, (list = { slot, entries: [] }));
      list.entries.push(e);
    }
    for (const [key, { slot, entries }] of lists) {
      const property = key as DeclaredPropertyName;
      const { range, key: written } = containerRange(p, r, entries, CONTAINER_KEYS[property] ?? []);
      if (slot.kind === 'origin') {
        const vals = entries.map((e) => valueOf(format, e, this.scope));
        const bad = vals.find((v): v is { ok: false; reason: string } => !v.ok);
        const value = bad ? undefined : vals.map((v) => String((v as { value: unknown }).value));
        d.properties.set(property, { property, key: written, range, value, declared: value ? `[${value.join(', ')}]` : 'unresolved', ...(bad ? { unresolved: bad.reason } : {}) });
      } else if (slot.kind === 'restriction') {
        const { value, unresolved } = restrictions(p.doc.text, entries, (e) => valueOf(format, e, this.scope));
        d.properties.set(property, { property, key: written, range, value, declared: value ? displayValue(value) : 'unresolved', ...(unresolved ? { unresolved } : {}) });
      } else {
        const previous = d.properties.get('appSettings');
        const settings: DeclaredSetting[] = previous && Array.isArray(previous.value) ? [...(previous.value as DeclaredSetting[])] : [];
        for (const e of entries) {
          // The value is looked at once, for its Key Vault reference prefix, and never kept.
          const v = e.valueType === 'string' || e.valueType === 'expression' ? valueOf(format, e, this.scope) : undefined;
          const kv = v === undefined ? false : v.ok ? isKeyVaultReference(String(v.value)) : undefined;
          const setting: DeclaredSetting = { name: e.key, keyVaultReference: kv, range: rangeOf(p, e.keyStart ?? e.valueStart, e.keyEnd ?? e.valueEnd) };
          const at = settings.findIndex((s) => s.name.toLowerCase() === e.key.toLowerCase());
          if (at >= 0) settings[at] = setting;
          else settings.push(setting);
        }
        d.properties.set('appSettings', { property: 'appSettings', key: previous?.key ?? written, range: previous?.range ?? range, value: settings, declared: displayValue(settings) });
      }
    }
  }
}

const CONTAINER_KEYS: Partial<Record<DeclaredPropertyName, string[]>> = {
  corsAllowedOrigins: ['allowedOrigins', 'allowed_origins'],
  ipSecurityRestrictions: ['ipSecurityRestrictions', 'ip_restriction'],
  scmIpSecurityRestrictions: ['scmIpSecurityRestrictions', 'scm_ip_restriction'],
  appSettings: ['appSettings', 'app_settings', 'properties'],
};

/** The key of a list or block (`allowedOrigins:`), searched back from its first item inside the resource. */
function containerRange(p: Parsed, r: Res, entries: Entry[], keys: string[]): { range: SourceRange; key: string } {
  const first = entries[0];
  const from = first.keyStart ?? first.valueStart;
  let best = -1;
  let bestKey = '';
  for (const k of keys) {
    const i = p.doc.text.lastIndexOf(k, from);
    if (i > best && i >= r.block.start) [best, bestKey] = [i, k];
  }
  if (best >= 0) return { range: rangeOf(p, best, best + bestKey.length), key: bestKey };
  return { range: rangeOf(p, first.valueStart, first.valueEnd), key: keys[0] ?? first.key };
}

/** Access-restriction rows as sorted labels; ARM items by index, Terraform blocks by the closing brace between them. */
function restrictions(text: string, entries: Entry[], value: (e: Entry) => Resolved): { value?: string[]; unresolved?: string } {
  const rows: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  let currentItem: string | undefined;
  let previousEnd = 0;
  for (const e of entries) {
    const field = e.key.toLowerCase();
    const indexed = /^\d{1,6}$/.test(e.path[e.path.length - 2] ?? '') ? e.path[e.path.length - 2] : undefined;
    const start = e.keyStart ?? e.valueStart;
    const newBlock = indexed !== undefined ? indexed !== currentItem : text.slice(previousEnd, start).includes('}') || !!current?.has(field);
    previousEnd = e.valueEnd;
    if (!current || newBlock) {
      rows.push((current = new Map()));
      currentItem = indexed;
    }
    const v = value(e);
    if (!v.ok) {
      if (field === 'name' || field === 'priority' || field === 'description') continue;
      return { unresolved: `${e.key}: ${v.reason}` };
    }
    current.set(field, String(v.value));
  }
  return { value: rows.map(restrictionLabel).sort() };
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}

// ---- the index ------------------------------------------------------------------------------------------------

const SITE_ID = /^\/subscriptions\/[^/]{1,64}\/resourceGroups\/([^/]{1,90})\/providers\/Microsoft\.Web\/sites\/([^/]{1,60})(?:\/slots\/([^/]{1,60}))?\/?$/i;

function keyOf(app: string, slot: string | undefined): string {
  return `${app.toLowerCase()}/${slot?.toLowerCase() ?? ''}`;
}

/**
 * Parsed files kept between builds, so that rebuilding after one file changed parses only that file (the
 * editor rebuilds on every save). Keyed by path; a file whose text changed is parsed again.
 */
export class DeclarationCache {
  private files = new Map<string, { text: string; parsed: Parsed | undefined }>();

  /** @internal The parsed file, from the cache when its text is unchanged. */
  parse(file: IacFile): Parsed | undefined {
    const hit = this.files.get(file.path);
    if (hit && hit.text === file.text) return hit.parsed;
    const parsed = parse(file);
    this.files.set(file.path, { text: file.text, parsed });
    return parsed;
  }

  /** @internal Forget files that are no longer passed (deleted or renamed). */
  retain(paths: ReadonlySet<string>): void {
    for (const p of [...this.files.keys()]) if (!paths.has(p)) this.files.delete(p);
  }
}

/**
 * Build the index over the workspace's files (any files may be passed: only Bicep, ARM JSON and Terraform are
 * read). Pass the same cache to later builds to parse only the files that changed.
 */
export function buildDeclarationIndex(files: readonly IacFile[], cache?: DeclarationCache): DeclarationIndex {
  if (cache) cache.retain(new Set(files.map((f) => f.path)));
  const parsed = files.map((f) => (cache ? cache.parse(f) : parse(f))).filter((p): p is Parsed => !!p);
  const problems = parsed.filter((p) => p.doc.errors.length).map((p) => ({ file: p.path, message: p.doc.errors[0].message }));

  // Units: a Bicep file, an ARM template, a Terraform folder (its .tf files).
  const units = new Map<string, Unit>();
  for (const p of parsed) {
    if (p.kind === 'bicep' || p.kind === 'arm-template') units.set(p.path, { key: p.path, format: formatOf(p.kind), files: [p] });
    else if (p.kind === 'terraform' && p.path.endsWith('.tf')) {
      const u = units.get(`${p.dir}/`) ?? { key: `${p.dir}/`, format: 'terraform' as const, files: [] };
      u.files.push(p);
      units.set(u.key, u);
    }
  }

  // Parameter sets per unit: one per parameter file (Terraform: terraform.tfvars and *.auto.tfvars always apply).
  const paramSets = new Map<string, ParamSet[]>();
  const tfBase = new Map<string, Map<string, Resolved>>();
  for (const p of parsed) {
    if (p.kind === 'terraform' && p.path.endsWith('.tfvars')) {
      const unit = `${p.dir}/`;
      const name = baseOf(p.path);
      if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) {
        const base = tfBase.get(unit) ?? new Map<string, Resolved>();
        for (const [k, v] of paramFileValues(p)) base.set(k, v);
        tfBase.set(unit, base);
      } else (paramSets.get(unit) ?? paramSets.set(unit, []).get(unit)!).push({ values: paramFileValues(p), file: p.path });
    } else if (p.kind === 'arm-parameters' || p.kind === 'bicepparam') {
      const target = parameterTargets(p).find((t) => units.has(t));
      if (target) (paramSets.get(target) ?? paramSets.set(target, []).get(target)!).push({ values: paramFileValues(p), file: p.path });
    }
  }
  for (const [unit, base] of tfBase) {
    const sets = paramSets.get(unit);
    if (sets?.length) for (const s of sets) s.values = new Map([...base, ...s.values]);
    else paramSets.set(unit, [{ values: base, file: [...parsed].find((p) => `${p.dir}/` === unit && p.path.endsWith('tfvars'))?.path }]);
  }

  // Module calls between units of the workspace.
  const calls = new Map<string, ModuleCall[]>();
  const called = new Set<string>();
  for (const u of units.values()) {
    const list = u.files.flatMap((p) => (u.format === 'bicep' ? bicepModuleCalls(p) : u.format === 'terraform' ? terraformModuleCalls(p) : []));
    for (const c of list) {
      const target = u.format === 'terraform' ? `${c.target}/` : c.target;
      c.target = target;
      if (units.has(target) && target !== u.key) called.add(target);
    }
    calls.set(u.key, list.filter((c) => units.has(c.target) && c.target !== u.key));
  }

  const all: Declaration[] = [];
  const evaluate = (unit: Unit, set: ParamSet, depth: number, stack: string[]) => {
    const ev = new Evaluation(unit, set);
    ev.run();
    all.push(...ev.declarations);
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const c of calls.get(unit.key) ?? []) {
      if (stack.includes(c.target)) continue;
      const values = new Map<string, Resolved>();
      for (const [k, e] of c.args) {
        const v = valueOf(unit.format, e, ev.scope);
        values.set(k, v.ok ? v : fail(`${c.caller.path} passes '${k}' to module '${c.symbol}' as ${clip(c.caller.doc.text.slice(e.valueStart, e.valueEnd))}, which does not resolve: ${v.reason}`));
      }
      const via = [...(set.via ?? []), `${c.caller.path}: module ${c.symbol}`];
      const child: ParamSet = { values, via, file: set.file, resourceGroup: set.resourceGroup, loop: set.loop };
      if (c.loop) child.loop = `the module '${c.symbol}' in ${c.caller.path} is called in a loop (${clip(c.loop)}): one app per item`;
      const rg = c.scope ? resourceGroupArgument(c.scope.value) : undefined;
      if (rg) {
        const v = resolveExpression('bicep', rg, ev.scope);
        if (v.ok) child.resourceGroup = String(v.value);
      }
      evaluate(units.get(c.target)!, child, depth + 1, [...stack, c.target]);
    }
  };
  for (const unit of units.values()) {
    if (called.has(unit.key)) continue;
    const sets = paramSets.get(unit.key);
    for (const set of sets?.length ? sets : [{ values: new Map<string, Resolved>() }]) evaluate(unit, set, 0, [unit.key]);
  }
  // Modules nobody in the workspace reaches (a cycle) are read on their own.
  const reached = new Set(all.map((d) => d.file));
  for (const unit of units.values()) if (called.has(unit.key) && !unit.files.some((f) => reached.has(f.path))) evaluate(unit, { values: new Map() }, MAX_MODULE_DEPTH, [unit.key]);

  const declarations = dedupe(all);
  return makeIndex(declarations, problems);
}

/** One resource evaluated under several parameter files or module calls that give the same name is one declaration. */
function dedupe(all: Declaration[]): Declaration[] {
  const out: Declaration[] = [];
  const seen = new Map<string, Declaration>();
  for (const d of all) {
    const key = `${d.file}\u0000${d.range.start}\u0000${d.unresolved ? `?${d.unresolved}` : keyOf(d.app, d.slot)}\u0000${d.resourceGroup ?? ''}`;
    const prev = seen.get(key);
    if (!prev) {
      seen.set(key, d);
      out.push(d);
      continue;
    }
    for (const f of d.parameterFiles ?? []) if (!prev.parameterFiles?.includes(f)) (prev.parameterFiles ??= []).push(f);
  }
  return out;
}

function makeIndex(declarations: Declaration[], problems: { file: string; message: string }[]): DeclarationIndex {
  const byKey = new Map<string, Declaration[]>();
  for (const d of declarations) {
    if (d.unresolved) continue;
    const k = keyOf(d.app, d.slot);
    (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(d);
  }
  const sameGroup = (d: Declaration, rg: string | undefined) => !rg || !d.resourceGroup || d.resourceGroup.toLowerCase() === rg.toLowerCase();
  return {
    declarations,
    unresolved: declarations.filter((d) => d.unresolved),
    problems,
    lookup(idOrName: string): Declaration[] {
      const id = SITE_ID.exec(idOrName.trim());
      if (id) return (byKey.get(keyOf(id[2], id[3])) ?? []).filter((d) => sameGroup(d, id[1]));
      const [app, slot] = idOrName.trim().split('/');
      return [...(byKey.get(keyOf(app ?? '', slot || undefined)) ?? [])];
    },
    duplicates(): Declaration[][] {
      const out: Declaration[][] = [];
      for (const group of byKey.values()) {
        if (group.length < 2) continue;
        // Declarations in distinct, named resource groups are different apps that share a name.
        const groups = group.map((d) => d.resourceGroup?.toLowerCase());
        const distinct = groups.every((g) => g !== undefined) && new Set(groups).size === groups.length;
        if (!distinct) out.push(group);
      }
      return out;
    },
  };
}
