// App Service site names declared in infrastructure code (Bicep, ARM JSON, Terraform), read with the core
// engine's parsers. Pure (no vscode, no Azure): only literal names count; expressions (parameters, interpolation,
// variables) cannot be resolved without deploying, so they are left out.
import { detectFileKind } from '../fileKind';
import type { FileKind } from '../model';
import { parseDocument } from '../parsers';

/** Files worth parsing for site names. */
export const IAC_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['bicep', 'terraform', 'arm-template']);

/** Microsoft.Web/sites (not slots or children) in Bicep and ARM; azurerm web and function apps (not slots) in Terraform. */
const ARM_SITE = /^microsoft\.web\/sites$/i;
const TF_SITE = /^azurerm_(?:(?:linux|windows)_(?:web_app|function_app)|function_app_flex_consumption|app_service|function_app)$/;

/** A valid App Service site name: letters, digits and hyphens, at most 60, not starting or ending with a hyphen. */
const SITE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])?$/;

/** The literal site names declared in one file (deduplicated, in order); `path` decides the format. */
export function iacSiteNames(path: string, text: string): string[] {
  const kind = detectFileKind(path, text);
  if (!IAC_KINDS.has(kind)) return [];
  const doc = parseDocument(text, kind);
  const out: string[] = [];
  doc.resources.forEach((r, index) => {
    const isSite = kind === 'terraform' ? TF_SITE.test(r.type) : ARM_SITE.test(r.type);
    if (!isSite) return;
    // The resource's own `name` property: a direct property (the shallowest entries of the resource), not a
    // `name` inside appSettings, site_config or a nested resource.
    const own = doc.entries.filter((e) => e.resource === index);
    if (!own.length) return;
    const depth = Math.min(...own.map((e) => e.path.length));
    const name = own.find((e) => e.key === 'name' && e.path.length === depth);
    if (name?.valueType !== 'string' || !SITE_NAME.test(name.value)) return;
    if (!out.some((n) => n.toLowerCase() === name.value.toLowerCase())) out.push(name.value);
  });
  return out;
}

/** The ids of the sites whose name is one of `names` (case-insensitive; a name found several times gives all). */
export function matchSiteIds(names: readonly string[], sites: readonly { id: string; name: string }[]): string[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (const s of sites) if (wanted.has(String(s.name).toLowerCase()) && !out.some((id) => id.toLowerCase() === s.id.toLowerCase())) out.push(s.id);
  return out;
}
