// Shared classification for the App Service rules: which resource an entry sits in (site, config 'web',
// basic publishing credential policy, ...), whether the entry is an app setting or connection string, and
// small helpers for findings and fixes. Formats differ in path prefixes, so everything matches on the key
// and on path suffixes. Pure; every regex is linear.

import type { CheckContext, Entry, FileKind, ParsedDocument, RawFinding, ResourceBlock, TextFix } from '../../model';

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
  section: 'appSettings' | 'connectionStrings';
  origin: SettingOrigin;
}

export interface EntryCtx {
  doc: ParsedDocument;
  check: CheckContext;
  entry: Entry;
  /** Lower-case key, without a leading '@' or '$' (XML attributes, some YAML dialects). */
  lkey: string;
  /** Lower-case path segments. */
  lpath: string[];
  res?: ResourceInfo;
  setting?: SettingRef;
}

const ARM_SITE = /^microsoft\.web\/sites(?:\/slots)?$/i;
const ARM_CONFIG = /^microsoft\.web\/sites(?:\/slots)?\/config$/i;
const ARM_POLICY = /^microsoft\.web\/sites(?:\/slots)?\/basicpublishingcredentialspolicies$/i;
const TF_SITE = /^azurerm_(?:linux_web_app|windows_web_app|linux_function_app|windows_function_app|app_service|function_app)(?:_slot)?$/;
// The child name at the end of a name expression: "[concat(parameters('s'), '/web')]", "[format('{0}/{1}', x, 'ftp')]",
// Bicep "'${site.name}/scm'".
const CHILD_NAME = /[/'](web|ftp|scm|appsettings|connectionstrings|authsettingsv2)'/i;

const ARM_EXPRESSION = /^\s*\[(?!\[)/;
export const contextPatterns: RegExp[] = [ARM_SITE, ARM_CONFIG, ARM_POLICY, TF_SITE, CHILD_NAME, ARM_EXPRESSION];

export const IAC_KINDS: readonly FileKind[] = ['arm-template', 'json', 'bicep', 'terraform'];

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

/** Classify every resource once. Name entries are the shortest-path `name` entry of each resource. */
export function classifyResources(doc: ParsedDocument): (ResourceInfo | undefined)[] {
  const n = doc.resources.length;
  if (n === 0) return [];
  const nameEntries: (Entry | undefined)[] = new Array(n);
  for (const e of doc.entries) {
    if (e.resource === undefined || e.key !== 'name') continue;
    const cur = nameEntries[e.resource];
    if (!cur || e.path.length < cur.path.length) nameEntries[e.resource] = e;
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

const last = (a: string[], i = 1): string | undefined => a[a.length - i];

/** Where an entry is an app setting or connection string, by format. */
export function settingOf(doc: ParsedDocument, e: Entry, lpath: string[], res: ResourceInfo | undefined, names: Map<string, string>): SettingRef | undefined {
  const p1 = last(lpath, 2);
  if (res) {
    if (res.role === 'site' && !res.tf) {
      if (!lpath.includes('siteconfig')) return undefined;
      if (p1 === 'appsettings') return { name: e.key, section: 'appSettings', origin: 'iac' };
      if (p1 === 'connectionstrings') return { name: e.key, section: 'connectionStrings', origin: 'iac' };
      // Parsers that do not fold { name, value } pairs: [..., appSettings, 0, value].
      if (e.key === 'value' && (last(lpath, 3) === 'appsettings' || last(lpath, 3) === 'connectionstrings')) {
        const name = names.get(e.path.slice(0, -1).join('\u0000'));
        if (name) return { name, section: last(lpath, 3) === 'appsettings' ? 'appSettings' : 'connectionStrings', origin: 'iac' };
      }
      return undefined;
    }
    if (res.role === 'site' && res.tf) {
      if (p1 === 'app_settings') return { name: e.key, section: 'appSettings', origin: 'iac' };
      // connection_string { name = "Db", type = "SQLAzure", value = "..." }: parsers fold it to key 'Db'.
      if (p1 === 'connection_string' && e.key !== 'name' && e.key !== 'type') {
        return { name: e.key === 'value' ? names.get(e.path.slice(0, -1).join('\u0000')) ?? 'connection_string' : e.key, section: 'connectionStrings', origin: 'iac' };
      }
      if (e.key === 'value' && lpath.includes('connection_string')) {
        const name = names.get(e.path.slice(0, -1).join('\u0000')) ?? 'connection_string';
        return { name, section: 'connectionStrings', origin: 'iac' };
      }
      return undefined;
    }
    if (res.role === 'appSettingsConfig' && p1 === 'properties') return { name: e.key, section: 'appSettings', origin: 'iac' };
    if (res.role === 'connectionStringsConfig' && e.key === 'value' && last(lpath, 3) === 'properties') {
      return { name: e.path[e.path.length - 2], section: 'connectionStrings', origin: 'iac' };
    }
    return undefined;
  }
  switch (doc.kind) {
    case 'appservice-settings':
      if (e.path.length === 1) return { name: e.key, section: 'appSettings', origin: 'export' };
      return undefined;
    case 'local-settings':
      if (e.path.length === 2 && lpath[0] === 'values') return { name: e.key, section: 'appSettings', origin: 'local' };
      if (lpath[0] === 'connectionstrings' && e.path.length === 2) return { name: e.key, section: 'connectionStrings', origin: 'local' };
      if (lpath[0] === 'connectionstrings' && e.path.length === 3 && e.key.toLowerCase() === 'connectionstring') {
        return { name: e.path[1], section: 'connectionStrings', origin: 'local' };
      }
      return undefined;
    case 'env':
      return { name: e.key, section: 'appSettings', origin: 'env' };
    case 'appsettings':
      return { name: e.key, section: lpath[0] === 'connectionstrings' ? 'connectionStrings' : 'appSettings', origin: 'appsettings' };
    case 'xml':
      // <add key="X" value="..."/> is folded to key X under appSettings; the attribute entries sit one level deeper.
      if (p1 !== 'appsettings' && p1 !== 'connectionstrings' && p1 !== 'environmentvariables') return undefined;
      if (lpath.includes('connectionstrings')) return { name: e.key, section: 'connectionStrings', origin: 'xml' };
      if (lpath.includes('appsettings') || lpath.includes('environmentvariables')) return { name: e.key, section: 'appSettings', origin: 'xml' };
      return undefined;
    default:
      return undefined;
  }
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
  return !!c.res && c.res.role === 'site' && !c.res.tf && c.lkey === key && last(c.lpath, 2) === 'properties';
}

/** `properties.siteConfig.<key>` on a site, or `properties.<key>` of a config 'web' child. */
export function isSiteConfigProperty(c: EntryCtx, key: string): boolean {
  if (!c.res || c.res.tf || c.lkey !== key) return false;
  if (c.res.role === 'site') return last(c.lpath, 2) === 'siteconfig';
  if (c.res.role === 'webConfig') return last(c.lpath, 2) === 'properties';
  return false;
}

/** A Terraform argument of a site resource (top level or inside site_config). */
export function isTfSiteArgument(c: EntryCtx, keys: readonly string[]): boolean {
  return !!c.res && c.res.role === 'site' && c.res.tf && keys.includes(c.lkey);
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

/** appsettings.Production.json, .env.production, web.Release.config, values.prod.yaml, ... */
export function isProductionNamed(path: string): boolean {
  return PRODUCTION_NAME.test(baseNameOf(path));
}
