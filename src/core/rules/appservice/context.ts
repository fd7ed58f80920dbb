// Shared classification for the App Service rules: which resource an entry sits in (site, config 'web',
// basic publishing credential policy, ...), whether the entry is an app setting or connection string, and
// small helpers for findings and fixes. Formats differ in path prefixes, so everything matches on the key
// and on path suffixes. Pure; every regex is linear.

import { TERRAFORM_SITE_OR_SLOT_TYPE } from '../../vocabulary/azure';
import type { CheckContext, Entry, ParsedDocument, PathNode, RawFinding, ResourceBlock, TextFix } from '../../model';

export type ResourceRole =
  | 'site' // Microsoft.Web/sites, sites/slots, azurerm_*web_app*, *function_app*, app_service*
  | 'webConfig' // Microsoft.Web/sites/config 'web'
  | 'appSettingsConfig' // Microsoft.Web/sites/config 'appsettings'
  | 'connectionStringsConfig' // Microsoft.Web/sites/config 'connectionstrings'
  | 'authConfig' // Microsoft.Web/sites/config 'authsettingsV2'
  | 'ftpPolicy' // Microsoft.Web/sites/basicPublishingCredentialsPolicies 'ftp'
  | 'scmPolicy' // ... 'scm'
  | 'other';

export interface ResourceInfo {
  index: number;
  block: ResourceBlock;
  role: ResourceRole;
  /** Terraform resource (snake_case arguments). */
  tf: boolean;
  /** The site group this resource belongs to (a config child points to its parent site). */
  group: number;
}

export type SettingOrigin = 'iac' | 'export' | 'local' | 'env' | 'appsettings' | 'xml';

export interface SettingRef {
  name: string;
  /** `name` in lower case. */
  lname: string;
  section: 'appSettings' | 'connectionStrings';
  origin: SettingOrigin;
}

/**
 * Lower-case facts about one container on an entry's path (the path without the entry's own key), computed
 * once per container and scan, so rules never copy or lower-case whole paths per entry.
 */
export interface Place {
  parent?: Place;
  /** The container's own last path segment as written, and in lower case ('' at the root). */
  key: string;
  lkey: string;
  /** Number of segments in the container's path (the entry's path has one more). */
  depth: number;
  /** Lower-case first path segment ('' at the root). */
  first: string;
  /** STRUCTURAL bits of the container's path segments. */
  bits: number;
  /** Nearest restriction-list segment in the container's path: 0 none, 1 main list, 2 SCM list. */
  restriction: 0 | 1 | 2;
  /** Rule modules that read entries directly inside this container (PlaceMasks.parent of `lkey`; 0 at the root). */
  mask: number;
  /** Child places by segment as written (for parsers that give no container nodes). */
  children?: Map<string, Place>;
}

/** Path segments (lower case, anywhere on the path) that rules ask about; see EntryCtx.bits. */
export const STRUCTURAL = {
  siteConfig: 1,
  identity: 2,
  cors: 4,
  connectionStringTf: 8, // Terraform connection_string blocks
  connectionStrings: 16,
  appSettings: 32,
  environmentVariables: 64,
} as const;
const SEGMENT_BITS = new Map<string, number>([
  ['siteconfig', STRUCTURAL.siteConfig],
  ['identity', STRUCTURAL.identity],
  ['cors', STRUCTURAL.cors],
  ['connection_string', STRUCTURAL.connectionStringTf],
  ['connectionstrings', STRUCTURAL.connectionStrings],
  ['appsettings', STRUCTURAL.appSettings],
  ['environmentvariables', STRUCTURAL.environmentVariables],
]);
const RESTRICTION_LISTS = new Map<string, 1 | 2>([
  ['ipsecurityrestrictions', 1],
  ['ip_restriction', 1],
  ['scmipsecurityrestrictions', 2],
  ['scm_ip_restriction', 2],
]);

/** What the rules need to know of one key or path segment as written, computed once per scan. */
export interface Word {
  /** The string itself (a copy that shares no memory with a document). */
  text: string;
  /** toLowerCase(). */
  lower: string;
  /** normKey(): lower case without a leading '@' or '$'. */
  norm: string;
  /** STRUCTURAL bit of the lower-case segment (0 for most). */
  bits: number;
  /** Rule modules that read entries with this key (PlaceMasks.key of `norm`). */
  mask: number;
}

/** How the checker turns keys and parent keys into the set of rule modules that may care (bit masks). */
export interface PlaceMasks {
  key(norm: string): number;
  parent(lower: string): number;
}
const NO_MASKS: PlaceMasks = { key: () => 0, parent: () => 0 };

/**
 * Facts of strings, shared by every document checked with the same masks (the CLI checks thousands of files that
 * use the same few hundred keys): a map, and the last strings looked up by a cheap slot of their characters,
 * whose comparison is cheaper than hashing a key sliced from a new document. Both hold copies, never slices that
 * would keep a document's text alive.
 */
interface WordCache {
  words: Map<string, Word>;
  recent: (string | undefined)[];
  recentWords: (Word | undefined)[];
}
const wordCaches = new WeakMap<PlaceMasks, WordCache>();
const WORD_CACHE_LIMIT = 20000;

/** A copy of `s` that shares no memory with the text it was sliced from (flattening a concatenation copies). */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

const RECENT_SLOTS = 1024;

/** Per-scan cache of places and lower-cased strings. */
export class Places {
  private readonly root: Place = { key: '', lkey: '', depth: 0, first: '', bits: 0, restriction: 0, mask: 0 };
  /** For an entry with an empty path (no container at all). */
  private readonly nowhere: Place = { key: '', lkey: '', depth: -1, first: '', bits: 0, restriction: 0, mask: 0 };
  // The most recent node and place at each depth: entries arrive in document order, so a container's
  // ancestors are nearly always the ones seen last (no map per container).
  private readonly nodes: (PathNode | undefined)[] = [];
  private readonly places: Place[] = [];
  private readonly words: Map<string, Word>;
  private readonly recent: (string | undefined)[];
  private readonly recentWords: (Word | undefined)[];

  constructor(private readonly masks: PlaceMasks = NO_MASKS) {
    // Words are pure facts of the string, so they are shared by every document checked with the same masks.
    let cache = wordCaches.get(masks);
    if (!cache) {
      cache = { words: new Map(), recent: new Array<string | undefined>(RECENT_SLOTS).fill(undefined), recentWords: new Array<Word | undefined>(RECENT_SLOTS).fill(undefined) };
      wordCaches.set(masks, cache);
    } else if (cache.words.size > WORD_CACHE_LIMIT) cache.words.clear();
    this.words = cache.words;
    this.recent = cache.recent;
    this.recentWords = cache.recentWords;
  }

  /** Facts about a key or segment, cached: keys and setting names repeat across a document. */
  word(s: string): Word {
    const slot = s.length === 0 ? 0 : (s.length * 961 + s.charCodeAt(0) * 31 + s.charCodeAt(s.length - 1) + s.charCodeAt(s.length >> 1) * 7) & (RECENT_SLOTS - 1);
    // Compared by content: the same key sliced from another place or document is found here without hashing.
    if (this.recent[slot] === s) return this.recentWords[slot]!;
    let w = this.words.get(s);
    if (w === undefined) {
      // The cache outlives the document: keep a copy, not a slice that would hold the whole text alive.
      const own = detach(s);
      const lower = own.toLowerCase();
      const norm = normKey(lower);
      w = { text: own, lower, norm, bits: SEGMENT_BITS.get(lower) ?? 0, mask: this.masks.key(norm) };
      this.words.set(own, w);
    }
    this.recent[slot] = w.text;
    this.recentWords[slot] = w;
    return w;
  }

  /** `s.toLowerCase()`, cached. */
  lower(s: string): string {
    return this.word(s).lower;
  }

  /** The entry's own last path segment (its key, for parsers that give the container). */
  self(e: Entry): Word {
    if (e.container) return this.word(e.key);
    const path = e.path;
    return this.word(path.length ? path[path.length - 1] : '');
  }

  /** Where the entry is an app setting or connection string (see settingOf). */
  settingOf(c: EntryCtx, names: PairNames): SettingRef | undefined {
    return settingOf(c, this, names);
  }

  /** The place of the entry's container. */
  of(e: Entry): Place {
    const node = e.container;
    if (node) return this.nodes[node.depth] === node ? this.places[node.depth] : this.ofNode(node);
    const path = e.path;
    if (path.length === 0) return this.nowhere;
    let p = this.root;
    for (let i = 0; i < path.length - 1; i++) p = this.child(p, path[i]);
    return p;
  }

  private ofNode(node: PathNode): Place {
    const d = node.depth;
    if (this.nodes[d] === node) return this.places[d];
    let p: Place;
    if (!node.parent) p = this.root;
    else p = this.make(this.ofNode(node.parent), node.key);
    this.nodes[d] = node;
    this.places[d] = p;
    return p;
  }

  private child(parent: Place, key: string): Place {
    const children = (parent.children ??= new Map());
    let p = children.get(key);
    if (!p) children.set(key, (p = this.make(parent, key)));
    return p;
  }

  private make(parent: Place, key: string): Place {
    const w = this.word(key);
    const lkey = w.lower;
    return {
      parent,
      key,
      lkey,
      depth: parent.depth + 1,
      first: parent.depth === 0 ? lkey : parent.first,
      bits: parent.bits | w.bits,
      restriction: RESTRICTION_LISTS.get(lkey) ?? parent.restriction,
      mask: this.masks.parent(lkey),
    };
  }
}

/** What a rule sees of one entry. The checker refills one object for every entry: read it in onEntry, never keep it. */
export interface EntryCtx {
  doc: ParsedDocument;
  check: CheckContext;
  entry: Entry;
  /** Lower-case key, without a leading '@' or '$' (XML attributes, some YAML dialects). */
  lkey: string;
  /** The entry's container: lower-case facts about the path above the key. */
  place: Place;
  /** Lower-case path segment above the key (path[length - 2]); undefined at the top level. */
  parent: string | undefined;
  /** STRUCTURAL bits of every path segment, the entry's own included. */
  bits: number;
  res?: ResourceInfo;
  setting?: SettingRef;
}

/** Lower-case path segment two above the key (path[length - 3]). */
export function grandParentOf(c: EntryCtx): string | undefined {
  return c.place.depth >= 2 ? c.place.parent!.lkey : undefined;
}

const ARM_SITE = /^microsoft\.web\/sites(?:\/slots)?$/i;
const ARM_CONFIG = /^microsoft\.web\/sites(?:\/slots)?\/config$/i;
const ARM_POLICY = /^microsoft\.web\/sites(?:\/slots)?\/basicpublishingcredentialspolicies$/i;
const TF_SITE = TERRAFORM_SITE_OR_SLOT_TYPE;
// The child name at the end of a name expression: "[concat(parameters('s'), '/web')]", "[format('{0}/{1}', x, 'ftp')]",
// Bicep "'${site.name}/scm'".
const CHILD_NAME = /[/'](web|ftp|scm|appsettings|connectionstrings|authsettingsv2)'/i;

const ARM_EXPRESSION = /^\s*\[(?!\[)/;
export const contextPatterns: RegExp[] = [ARM_SITE, ARM_CONFIG, ARM_POLICY, TF_SITE, CHILD_NAME, ARM_EXPRESSION];


export function isTerraformSiteType(type: string): boolean {
  return TF_SITE.test(type);
}

function childName(block: ResourceBlock, nameEntry: Entry | undefined): string | undefined {
  const n = block.name ?? (nameEntry && nameEntry.valueType === 'string' ? nameEntry.value.split('/').pop() : undefined);
  if (n && !n.includes('${') && !n.startsWith('[')) return n.toLowerCase();
  const raw = nameEntry?.value ?? n ?? '';
  const m = CHILD_NAME.exec(raw);
  return m ? m[1].toLowerCase() : n?.toLowerCase();
}

function classify(block: ResourceBlock, nameEntry: Entry | undefined): { role: ResourceRole; tf: boolean } {
  const type = block.type;
  if (ARM_SITE.test(type)) return { role: 'site', tf: false };
  if (TF_SITE.test(type)) return { role: 'site', tf: true };
  if (ARM_CONFIG.test(type)) {
    switch (childName(block, nameEntry)) {
      case 'web':
        return { role: 'webConfig', tf: false };
      case 'appsettings':
        return { role: 'appSettingsConfig', tf: false };
      case 'connectionstrings':
        return { role: 'connectionStringsConfig', tf: false };
      case 'authsettingsv2':
        return { role: 'authConfig', tf: false };
      default:
        return { role: 'other', tf: false };
    }
  }
  if (ARM_POLICY.test(type)) {
    const n = childName(block, nameEntry);
    if (n === 'ftp') return { role: 'ftpPolicy', tf: false };
    if (n === 'scm') return { role: 'scmPolicy', tf: false };
  }
  return { role: 'other', tf: false };
}

export function normKey(key: string): string {
  const k = key.toLowerCase();
  return k.startsWith('@') || k.startsWith('$') ? k.slice(1) : k;
}

/** e.path.length, without building the path when the parser gave the container. */
export function pathLength(e: Entry): number {
  return e.container ? e.container.depth + 1 : e.path.length;
}

/** Classify every resource once. Name entries are the shortest-path `name` entry of each resource. */
export function classifyResources(doc: ParsedDocument): (ResourceInfo | undefined)[] {
  const n = doc.resources.length;
  if (n === 0) return [];
  const nameEntries: (Entry | undefined)[] = new Array(n);
  const depths: number[] = new Array(n);
  for (const e of doc.entries) {
    if (e.resource === undefined || e.key !== 'name') continue;
    const depth = pathLength(e);
    const cur = nameEntries[e.resource];
    if (!cur || depth < depths[e.resource]) {
      nameEntries[e.resource] = e;
      depths[e.resource] = depth;
    }
  }
  const out: (ResourceInfo | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const block = doc.resources[i];
    const { role, tf } = classify(block, nameEntries[i]);
    out[i] = { index: i, block, role, tf, group: i };
  }
  for (let i = 0; i < n; i++) {
    const info = out[i]!;
    const p = info.block.parent;
    if (info.role !== 'site' && p !== undefined && out[p]?.role === 'site') info.group = p;
  }
  return out;
}

/** Names of { name, value } pairs the parser did not fold, built on first use (most documents never ask). */
export class PairNames {
  private map: Map<string, string> | undefined;
  constructor(private readonly doc: ParsedDocument) {}
  /** The pair name of the object holding `e`. */
  get(e: Entry): string | undefined {
    this.map ??= collectPairNames(this.doc);
    return this.map.get(e.path.slice(0, -1).join('\u0000'));
  }
}

function ref(places: Places, name: string, section: SettingRef['section'], origin: SettingOrigin): SettingRef {
  return { name, lname: places.lower(name), section, origin };
}

/** Where an entry is an app setting or connection string, by format. */
export function settingOf(c: EntryCtx, places: Places, names: PairNames): SettingRef | undefined {
  const { doc, entry: e, res, place } = c;
  const p1 = c.parent;
  if (res) {
    if (res.role === 'site' && !res.tf) {
      if (!(c.bits & STRUCTURAL.siteConfig)) return undefined;
      if (p1 === 'appsettings') return ref(places, e.key, 'appSettings', 'iac');
      if (p1 === 'connectionstrings') return ref(places, e.key, 'connectionStrings', 'iac');
      // Parsers that do not fold { name, value } pairs: [..., appSettings, 0, value].
      if (e.key === 'value') {
        const p2 = grandParentOf(c);
        if (p2 === 'appsettings' || p2 === 'connectionstrings') {
          const name = names.get(e);
          if (name) return ref(places, name, p2 === 'appsettings' ? 'appSettings' : 'connectionStrings', 'iac');
        }
      }
      return undefined;
    }
    if (res.role === 'site' && res.tf) {
      if (p1 === 'app_settings') return ref(places, e.key, 'appSettings', 'iac');
      // connection_string { name = "Db", type = "SQLAzure", value = "..." }: parsers fold it to key 'Db'.
      if (p1 === 'connection_string' && e.key !== 'name' && e.key !== 'type') {
        return ref(places, e.key === 'value' ? names.get(e) ?? 'connection_string' : e.key, 'connectionStrings', 'iac');
      }
      if (e.key === 'value' && c.bits & STRUCTURAL.connectionStringTf) {
        return ref(places, names.get(e) ?? 'connection_string', 'connectionStrings', 'iac');
      }
      return undefined;
    }
    if (res.role === 'appSettingsConfig' && p1 === 'properties') return ref(places, e.key, 'appSettings', 'iac');
    if (res.role === 'connectionStringsConfig' && e.key === 'value' && grandParentOf(c) === 'properties') {
      return ref(places, place.key, 'connectionStrings', 'iac');
    }
    return undefined;
  }
  switch (doc.kind) {
    case 'appservice-settings':
      if (place.depth === 0) return ref(places, e.key, 'appSettings', 'export');
      return undefined;
    case 'local-settings':
      if (place.depth === 1 && place.first === 'values') return ref(places, e.key, 'appSettings', 'local');
      if (place.depth === 1 && place.first === 'connectionstrings') return ref(places, e.key, 'connectionStrings', 'local');
      if (place.depth === 2 && place.first === 'connectionstrings' && places.lower(e.key) === 'connectionstring') {
        return ref(places, place.key, 'connectionStrings', 'local');
      }
      return undefined;
    case 'env':
      return ref(places, e.key, 'appSettings', 'env');
    case 'appsettings':
      return ref(places, e.key, firstSegment(c, places) === 'connectionstrings' ? 'connectionStrings' : 'appSettings', 'appsettings');
    case 'xml':
      // <add key="X" value="..."/> is folded to key X under appSettings; the attribute entries sit one level deeper.
      if (p1 !== 'appsettings' && p1 !== 'connectionstrings' && p1 !== 'environmentvariables') return undefined;
      if (c.bits & STRUCTURAL.connectionStrings) return ref(places, e.key, 'connectionStrings', 'xml');
      if (c.bits & (STRUCTURAL.appSettings | STRUCTURAL.environmentVariables)) return ref(places, e.key, 'appSettings', 'xml');
      return undefined;
    default:
      return undefined;
  }
}

/** Lower-case first path segment of the entry (its own key at the top level). */
function firstSegment(c: EntryCtx, places: Places): string | undefined {
  return c.place.depth > 0 ? c.place.first : places.self(c.entry).lower;
}

/** Names of { name, value } objects, keyed by the object's path, for parsers that do not fold pairs. */
export function collectPairNames(doc: ParsedDocument): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of doc.entries) {
    if (e.key !== 'name' || e.valueType !== 'string' || e.path.length < 2) continue;
    const parent = e.path[e.path.length - 2].toLowerCase();
    const grand = (e.path[e.path.length - 3] ?? '').toLowerCase();
    if (grand === 'appsettings' || grand === 'connectionstrings' || parent.startsWith('connection_string') || grand.startsWith('connection_string')) {
      names.set(e.path.slice(0, -1).join('\u0000'), e.value);
    }
  }
  return names;
}

// ---- location predicates ---------------------------------------------------------------------------

/** `properties.<key>` directly on an ARM/Bicep site (or slot). */
export function isSiteProperty(c: EntryCtx, key: string): boolean {
  return !!c.res && c.res.role === 'site' && !c.res.tf && c.lkey === key && c.parent === 'properties';
}

/** `properties.siteConfig.<key>` on a site, or `properties.<key>` of a config 'web' child. */
export function isSiteConfigProperty(c: EntryCtx, key: string): boolean {
  if (!c.res || c.res.tf || c.lkey !== key) return false;
  if (c.res.role === 'site') return c.parent === 'siteconfig';
  if (c.res.role === 'webConfig') return c.parent === 'properties';
  return false;
}

/** A Terraform argument of a site resource (top level or inside site_config): one key or any of several. */
export function isTfSiteArgument(c: EntryCtx, keys: string | readonly string[]): boolean {
  if (!c.res || c.res.role !== 'site' || !c.res.tf) return false;
  return typeof keys === 'string' ? c.lkey === keys : keys.includes(c.lkey);
}

// ---- values and fixes -----------------------------------------------------------------------------

/** A literal the rule can judge: not an ARM/Bicep/Terraform expression or interpolation. */
export function isLiteral(e: Entry): boolean {
  if (e.valueType === 'expression') return false;
  if (e.valueType === 'string' && (e.value.includes('${') || ARM_EXPRESSION.test(e.value))) return false;
  return true;
}

export function boolValue(e: Entry): boolean | undefined {
  if (!isLiteral(e)) return undefined;
  const v = e.value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function strValue(e: Entry): string | undefined {
  if (!isLiteral(e) || e.valueType === 'null') return undefined;
  return e.value.trim();
}

/** Replace the value's content (inside its quotes, if any): the quoting style is kept as written. */
export function contentFix(e: Entry, replacement: string, title: string): TextFix {
  return { title, start: e.contentStart, end: e.contentEnd, replacement };
}

export function finding(ruleId: string, e: Entry, extra: Partial<RawFinding> = {}, settingName?: string): RawFinding {
  return { ruleId, start: e.valueStart, end: e.valueEnd, path: e.path, settingName: settingName ?? e.key, ...extra };
}

/** Base name of the scanned file, lower case. */
export function baseNameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return (i >= 0 ? path.slice(i + 1) : path).toLowerCase();
}

const PRODUCTION_NAME = /(?:^|[._-])(?:prod|production|prd|live|release)(?:[._-]|$)/;
contextPatterns.push(PRODUCTION_NAME);

const DEVELOPMENT_NAME = /(?:^|[._-])(?:debug|dev|development|local)(?:[._-]|$)/;
contextPatterns.push(DEVELOPMENT_NAME);

/** Web.Debug.config, appsettings.Development.json, .env.local, ... */
export function isDevelopmentNamed(path: string): boolean {
  return DEVELOPMENT_NAME.test(baseNameOf(path));
}

/** Files that only ever run on a developer machine or in tests, whatever their other name parts. */
const DEV_ONLY_NAMES = new Set([
  'launchsettings.json',
  'local.settings.json',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
  'compose.override.yml',
  'compose.override.yaml',
]);
/** Compose files layered on for development or tests: docker-compose.override.yml, docker-compose-tests.override.yml. */
const COMPOSE_NOT_PRODUCTION = /^(?:docker-)?compose[._-].{0,120}(?:[._-])(?:override|tests?)[._-]/;
contextPatterns.push(COMPOSE_NOT_PRODUCTION);

/** Not production: development-named files, launchSettings.json, local.settings.json, Compose override and test files. */
export function isDevelopmentOnlyFile(path: string): boolean {
  const base = baseNameOf(path);
  return DEV_ONLY_NAMES.has(base) || DEVELOPMENT_NAME.test(base) || COMPOSE_NOT_PRODUCTION.test(base);
}

/** appsettings.Production.json, .env.production, web.Release.config, values.prod.yaml, ... */
export function isProductionNamed(path: string): boolean {
  return PRODUCTION_NAME.test(baseNameOf(path));
}

/** A web.config the app is deployed with: web.config itself or a production-named transform, never a development one. */
export function isDeployedWebConfig(path: string): boolean {
  if (isDevelopmentNamed(path)) return false;
  return baseNameOf(path) === 'web.config' || isProductionNamed(path);
}

/** 'false' -> 'true', 'False' -> 'True', 'FALSE' -> 'TRUE': a fix keeps the case the value was written in. */
export function sameCase(like: string, word: string): string {
  if (like === like.toLowerCase()) return word.toLowerCase();
  if (like === like.toUpperCase()) return word.toUpperCase();
  return word[0].toUpperCase() + word.slice(1).toLowerCase();
}

/** Value types the settings rules read (strings, numbers, and expressions whose source text they search). */
export function isSettingValue(e: Entry): boolean {
  return e.valueType === 'string' || e.valueType === 'expression' || e.valueType === 'number';
}

/** The run-from-package setting: judged by its own rule, never as an endpoint or a secret. */
export const RUN_FROM_PACKAGE_SETTING = 'website_run_from_package';
