// "Copy the fix as Bicep/Terraform": small, self-explaining fragments for the app's IaC. Pure string building.

/** What the snippets need to know about the app. */
export interface SnippetTarget {
  /** 'site' or 'site/slot' as ARM names it. */
  name: string;
  isSlot: boolean;
  isFunction: boolean;
  isLinux: boolean;
}

const BICEP_API = '2024-04-01';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NON_LABEL = /[^A-Za-z0-9_]/g;

function bicepKey(k: string): string {
  return IDENT.test(k) ? k : bicepString(k);
}

function bicepString(s: string): string {
  return `'${s.split('\\').join('\\\\').split("'").join("\\'")}'`;
}

/** A JSON value as Bicep source, indented by `pad`. `raw` strings are emitted verbatim (interpolations). */
export function toBicep(v: unknown, pad = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return bicepString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof RawBicep) return v.text;
  const inner = `${pad}  `;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${inner}${toBicep(x, inner)}`).join('\n')}\n${pad}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${bicepKey(k)}: ${toBicep(x, inner)}`).join('\n')}\n${pad}}`;
}

/** Bicep source that must not be quoted (an interpolated string). */
export class RawBicep {
  constructor(readonly text: string) {}
}

/** A JSON value as HCL. */
export function toHcl(v: unknown, pad = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = `${pad}  `;
  if (Array.isArray(v)) return `[${v.map((x) => toHcl(x, inner)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)} = ${toHcl(x, inner)}`).join('\n')}\n${pad}}`;
}

export function bicepSiteType(t: SnippetTarget): string {
  return t.isSlot ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites';
}

export function terraformSiteType(t: SnippetTarget): string {
  return `azurerm_${t.isLinux ? 'linux' : 'windows'}_${t.isFunction ? 'function_app' : 'web_app'}${t.isSlot ? '_slot' : ''}`;
}

/** A Terraform resource label from an app or setting name. */
export function terraformLabel(name: string): string {
  const l = name.slice(name.lastIndexOf('/') + 1).replace(NON_LABEL, '_').toLowerCase();
  return /^[a-z_]/.test(l) ? l : `_${l}`;
}

/** `resource app 'Microsoft.Web/sites@…' = { name: …  properties: { … } }` with only the changed part. */
export function bicepSite(t: SnippetTarget, body: Record<string, unknown>): string {
  const text = toBicep({ name: t.name, ...body });
  // Mark the elision after the name: the rest of the resource stays as it is.
  const nameEnd = text.indexOf('\n', 2);
  return `resource app '${bicepSiteType(t)}@${BICEP_API}' = ${text.slice(0, nameEnd + 1)}  // ... keep the other properties\n${text.slice(nameEnd + 1)}`;
}

/** `resource "azurerm_…" "name" { … }` with only the changed arguments (`lines` are already HCL). */
export function terraformSite(t: SnippetTarget, lines: string[]): string {
  const body = lines.map((l) => l.split('\n').map((x) => `  ${x}`).join('\n')).join('\n');
  return `resource "${terraformSiteType(t)}" "${terraformLabel(t.name)}" {\n  # ... keep the other arguments\n${body}\n}`;
}

export function bicepChild(t: SnippetTarget, childType: string, name: string, properties: Record<string, unknown>, comment?: string): string {
  const type = `${bicepSiteType(t)}/${childType}`;
  const props = toBicep(properties, '  ');
  const note = comment ? `  // ${comment}\n` : '';
  return `resource ${terraformLabel(name)} '${type}@${BICEP_API}' = {\n  parent: app // the '${t.name}' resource\n  name: '${name}'\n${note}  properties: ${props}\n}`;
}

export { BICEP_API };
