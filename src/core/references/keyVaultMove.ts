// Plans the "move secret to Key Vault" edit for each file kind: which value goes to the vault, which text
// replaces it, and a plain sentence saying what will change. Pure: the extension asks for the vault and
// the name, writes the secret, and only then applies the planned edit. It plans from the finding and the
// document the scan already parsed: no second detection of the file kind, no second parse. What each kind
// allows comes from its format spec (formats/specs.ts): where its App Service settings live (`settings`), the
// quote of its string literals and its move for other secrets (`keyVault`); this module says how each of those
// is written.
import { appServiceReference as referenceTo, isValidSecretName, TERRAFORM_SITE_OR_SLOT_TYPE, toSecretName } from '../vocabulary/azure';
import { baseName } from '../fileKind';
import { formatOf, type FormatSpec, type KeyVaultMoveForm, type SettingsHome } from '../formats';
import type { Entry, ParsedDocument, RawFinding } from '../model';

export { isValidSecretName, toSecretName };

export interface VaultTarget {
  /** Vault name (3–24 characters). */
  name: string;
  /** Host on the cloud's Key Vault DNS suffix, e.g. contoso-kv.vault.azure.net. */
  host: string;
  /** ARM resource id, when known (needed for ARM parameter files and .bicepparam). */
  resourceId?: string;
}

/** An App Service Key Vault reference in a setting, or the kind's own move for other secrets. */
export type ReferenceForm = 'app-service-reference' | KeyVaultMoveForm;

export interface MovePlan {
  form: ReferenceForm;
  /** The value stored in the vault: the whole setting value, so the app gets what it had before. */
  secretValue: string;
  /** Proposed secret name, valid for Key Vault. */
  proposedName: string;
  /** The document range the replacement goes to. */
  start: number;
  end: number;
  /** True when the replacement names the vault's ARM resource id (the vault must come from Resource Manager). */
  needsResourceId: boolean;
  /** The replacement text, or an error message when the vault lacks what the form needs. */
  replacement(vault: VaultTarget, secretName: string): string;
  /** One or two sentences shown in the confirmation: what goes where and what the file will hold. */
  describe(vault: VaultTarget, secretName: string): string;
}

export type PlanResult = { ok: true; plan: MovePlan } | { ok: false; reason: string };

/** What the planner needs of a secret finding: its range, and the entry (key path, setting name) the scan named. */
export type MoveSource = Pick<RawFinding, 'start' | 'end' | 'settingName' | 'path'>;

/** Versionless, so App Service picks up a rotated secret without a change in the file. */
export function appServiceReference(vault: VaultTarget, secretName: string): string {
  return referenceTo(vault.host, secretName);
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * The entry the finding sits in: the one at the key path the scan named, or, for a finding without one (a custom
 * pattern's), the innermost entry whose value holds the range. A lookup in the parsed document, never a re-parse.
 */
function entryOf(doc: ParsedDocument, f: MoveSource): Entry | undefined {
  let best: Entry | undefined;
  for (const e of doc.entries) {
    if (!(e.contentStart <= f.start && f.end <= e.contentEnd)) continue;
    if (f.path && samePath(e.path, f.path)) return e;
    if (!best || e.contentEnd - e.contentStart < best.contentEnd - best.contentStart) best = e;
  }
  return best;
}

type SettingTest = (doc: ParsedDocument, e: Entry, spec: FormatSpec) => boolean;

/**
 * Per settings home: which entries are App Service app settings or connection strings, whose value App Service
 * resolves as a Key Vault reference. Homes without one hold the app's own configuration (.env, appsettings.json,
 * web.config): App Service does not read references there, so their spec's `keyVault.form` decides the move.
 */
const REFERENCE_SETTINGS: Record<SettingsHome, SettingTest | undefined> = {
  export: () => true,
  local: (_doc, e) => {
    const p = e.path.map((s) => s.toLowerCase());
    return p.length === 2 && (p[0] === 'values' || p[0] === 'connectionstrings');
  },
  iac: (doc, e, spec) => {
    const parent = e.path[e.path.length - 2]?.toLowerCase();
    const type = (e.resource !== undefined ? doc.resources[e.resource]?.type : '')?.toLowerCase() ?? '';
    if (spec.iac?.language === 'terraform') return TERRAFORM_SITE_OR_SLOT_TYPE.test(type) && (parent === 'app_settings' || parent === 'connection_string');
    return type.startsWith('microsoft.web/sites') && (parent === 'appsettings' || parent === 'connectionstrings' || (type.endsWith('/config') && parent === 'properties'));
  },
  env: undefined,
  appsettings: undefined,
  xml: undefined,
};

/** The moves a format offers, in the order they are tried: a Key Vault reference in its App Service settings, then its own form. */
export function moveFormsOf(spec: FormatSpec): ReferenceForm[] {
  const forms: ReferenceForm[] = [];
  if (spec.settings && REFERENCE_SETTINGS[spec.settings]) forms.push('app-service-reference');
  if (spec.keyVault.form) forms.push(spec.keyVault.form);
  return forms;
}

/** 'apiKey' or 'api-key' -> 'API_KEY'. */
function envName(raw: string): string {
  const snake = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
  let a = 0;
  let b = snake.length;
  while (a < b && snake[a] === '_') a++;
  while (b > a && snake[b - 1] === '_') b--;
  const s = snake.slice(a, b);
  return /^[A-Z_]/.test(s) ? s : `SECRET_${s}`;
}

/** How code reads an environment variable, by file extension. */
function envRead(path: string, name: string): { code: string; note?: string } | undefined {
  const ext = baseName(path).toLowerCase().split('.').pop() ?? '';
  switch (ext) {
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'jsx':
    case 'ts':
    case 'mts':
    case 'cts':
    case 'tsx':
      return { code: `process.env.${name}` };
    case 'py':
      return { code: `os.environ["${name}"]`, note: 'The file needs `import os`.' };
    case 'cs':
      return { code: `Environment.GetEnvironmentVariable("${name}")` };
    case 'java':
    case 'kt':
      return { code: `System.getenv("${name}")` };
    case 'go':
      return { code: `os.Getenv("${name}")`, note: 'The file needs to import "os".' };
    case 'rb':
      return { code: `ENV["${name}"]` };
    case 'php':
      return { code: `getenv('${name}')` };
    case 'ps1':
    case 'psm1':
      return { code: `$env:${name}` };
    case 'sh':
    case 'bash':
    case 'zsh':
      return { code: `"\${${name}}"` };
    default:
      return undefined;
  }
}

/** The string literal around [start, end) on its line, when the secret sits in one. */
function literalAround(text: string, start: number, end: number): { start: number; end: number; content: string } | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  for (let i = start - 1; i >= lineStart; i--) {
    const q = text[i];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    const close = text.indexOf(q, end);
    if (close === -1 || close >= lineEnd) continue;
    const content = text.slice(i + 1, close);
    if (content.includes('\\') || (q === '`' && content.includes('${'))) return undefined; // escapes or interpolation: not a plain literal
    return { start: i, end: close + 1, content };
  }
  return undefined;
}

/** The name a literal is assigned to: `apiKey = `, `"apiKey": `, `ApiKey := ` -> apiKey (scanned backwards, no regex). */
function assignedName(before: string): string | undefined {
  let i = before.length - 1;
  const skipSpace = () => {
    while (i >= 0 && (before[i] === ' ' || before[i] === '\t')) i--;
  };
  skipSpace();
  if (before[i] !== '=' && before[i] !== ':') return undefined;
  while (i >= 0 && (before[i] === '=' || before[i] === ':')) i--;
  skipSpace();
  if (before[i] === '"' || before[i] === "'") i--;
  const end = i + 1;
  while (i >= 0 && /[A-Za-z0-9_]/.test(before[i])) i--;
  const name = before.slice(i + 1, end);
  return /^[A-Za-z_]/.test(name) ? name : undefined;
}

function parseVaultId(id: string | undefined): { subscription: string; resourceGroup: string } | undefined {
  const m = /^\/subscriptions\/([^/]{1,64})\/resourceGroups\/([^/]{1,90})\/providers\/Microsoft\.KeyVault\/vaults\/[^/]{1,24}$/i.exec(id ?? '');
  return m ? { subscription: m[1], resourceGroup: m[2] } : undefined;
}

const NEEDS_ID = 'this reference form names the vault resource: choose the vault from your subscription';

/** What every move planner gets: the document, the finding, the entry it sits in, and the name proposed from it. */
interface MoveContext {
  doc: ParsedDocument;
  path: string;
  finding: MoveSource;
  entry: Entry | undefined;
  proposedName: string;
  spec: FormatSpec;
}

/** A planner answers for the places its form fits; undefined elsewhere (the move is then refused). */
type FormPlanner = (c: MoveContext) => PlanResult | undefined;

const isString = (e: Entry | undefined): e is Entry => e !== undefined && e.valueType === 'string';

/** How each move is written, by form. */
const PLANNERS: Record<ReferenceForm, FormPlanner> = {
  // App Service app settings and connection strings, wherever they are written: a Key Vault reference in the kind's quotes.
  'app-service-reference': ({ doc, entry: e, proposedName, spec }) => {
    const isSetting = spec.settings && REFERENCE_SETTINGS[spec.settings];
    if (!isString(e) || !isSetting || !isSetting(doc, e, spec)) return undefined;
    const q = spec.keyVault.quote;
    const local = spec.settings === 'local';
    return {
      ok: true,
      plan: {
        form: 'app-service-reference',
        secretValue: e.value,
        proposedName,
        start: e.valueStart,
        end: e.valueEnd,
        needsResourceId: false,
        replacement: (vault, secret) => `${q}${appServiceReference(vault, secret)}${q}`,
        describe: (vault, secret) =>
          `The value of "${e.key}" is stored in vault ${vault.name} as secret "${secret}", and the file gets a Key Vault reference that App Service resolves at run time (no version, so rotation needs no change).` +
          (local ? ' Functions Core Tools do not resolve Key Vault references locally: keep a local value in your shell or user secrets to run the app on this machine.' : ''),
      },
    };
  },

  // ARM parameter file: the parameter gets the keyVault reference object (fetched at deployment).
  'arm-parameter-reference': ({ entry: e, finding }) => {
    if (!isString(e) || e.key !== 'value' || e.path.length !== 3 || e.path[0] !== 'parameters' || e.keyStart === undefined) return undefined;
    const param = e.path[1];
    const { settingName } = finding;
    return {
      ok: true,
      plan: {
        form: 'arm-parameter-reference',
        secretValue: e.value,
        proposedName: toSecretName(settingName && settingName !== 'value' ? settingName : param),
        start: e.keyStart,
        end: e.valueEnd,
        needsResourceId: true,
        replacement: (vault, secret) => {
          if (!vault.resourceId) throw new Error(NEEDS_ID);
          return `"reference": { "keyVault": { "id": ${JSON.stringify(vault.resourceId)} }, "secretName": ${JSON.stringify(secret)} }`;
        },
        describe: (vault, secret) =>
          `Parameter "${param}" is stored in vault ${vault.name} as secret "${secret}" and becomes a Key Vault reference that Resource Manager reads at deployment (the template parameter must be a securestring, and the vault needs enabledForTemplateDeployment).`,
      },
    };
  },

  // .bicepparam: getSecret(subscription, resource group, vault, secret).
  'bicepparam-getsecret': ({ entry: e }) => {
    if (!isString(e) || e.path[0] !== 'param') return undefined;
    const param = e.path[1] ?? e.key;
    return {
      ok: true,
      plan: {
        form: 'bicepparam-getsecret',
        secretValue: e.value,
        proposedName: toSecretName(param),
        start: e.valueStart,
        end: e.valueEnd,
        needsResourceId: true,
        replacement: (vault, secret) => {
          const id = parseVaultId(vault.resourceId);
          if (!id) throw new Error(NEEDS_ID);
          return `getSecret('${id.subscription}', '${id.resourceGroup}', '${vault.name}', '${secret}')`;
        },
        describe: (vault, secret) => `Parameter "${param}" is stored in vault ${vault.name} as secret "${secret}" and read with getSecret() at deployment (the Bicep parameter must be @secure()).`,
      },
    };
  },

  // ASP.NET Core appsettings*.json: the Key Vault configuration provider maps "Section--Key" to Section:Key.
  'aspnet-keyvault-provider': ({ entry: e }) => {
    if (!isString(e)) return undefined;
    const configKey = e.path.join(':');
    return {
      ok: true,
      plan: {
        form: 'aspnet-keyvault-provider',
        secretValue: e.value,
        proposedName: toSecretName(e.path.join('--')),
        start: e.contentStart,
        end: e.contentEnd,
        needsResourceId: false,
        replacement: () => '',
        describe: (vault, secret) =>
          `The value of ${configKey} is stored in vault ${vault.name} as secret "${secret}" and emptied here; the Key Vault configuration provider (builder.Configuration.AddAzureKeyVault) supplies ${configKey} from that secret at run time.`,
      },
    };
  },

  // .env: the value leaves the file; nothing can reference a vault from a .env file.
  'env-removed': ({ entry: e, proposedName }) => {
    if (!isString(e)) return undefined;
    return {
      ok: true,
      plan: {
        form: 'env-removed',
        secretValue: e.value,
        proposedName,
        start: e.valueStart,
        end: e.valueEnd,
        needsResourceId: false,
        replacement: () => '',
        describe: (vault, secret) =>
          `The value of ${e.key} is stored in vault ${vault.name} as secret "${secret}" and removed from this file. Set ${e.key} in your shell from the vault when you need it: az keyvault secret show --vault-name ${vault.name} --name ${secret} --query value -o tsv`,
      },
    };
  },

  // Code: the literal becomes an environment-variable read.
  'code-env-read': ({ doc: { text }, path, finding: { start, end, settingName }, proposedName }) => {
    const lit = literalAround(text, start, end);
    if (!lit) return { ok: false, reason: 'the secret is not in a plain string literal, so it cannot be replaced automatically' };
    const ident = assignedName(text.slice(text.lastIndexOf('\n', lit.start - 1) + 1, lit.start));
    const variable = envName(settingName ?? ident ?? proposedName);
    const read = envRead(path, variable);
    if (!read) return { ok: false, reason: `no environment-variable read is known for ${baseName(path)}` };
    return {
      ok: true,
      plan: {
        form: 'code-env-read',
        secretValue: lit.content,
        proposedName: toSecretName(variable.toLowerCase().replace(/_/g, '-')),
        start: lit.start,
        end: lit.end,
        needsResourceId: false,
        replacement: () => read.code,
        describe: (vault, secret) =>
          `The string is stored in vault ${vault.name} as secret "${secret}" and the code reads ${variable} from the environment instead (${read.code}). In App Service, set ${variable} to @Microsoft.KeyVault(SecretUri=https://${vault.host}/secrets/${secret}/).${read.note ? ` ${read.note}` : ''}`,
      },
    };
  },
};

/**
 * Plan the move of a secret finding of `doc` (the document its scan parsed; `path` names the file): the first
 * of the kind's moves (moveFormsOf) that fits the place. Fails, with the reason, for files and places that
 * have no sensible reference form.
 */
export function planKeyVaultMove(doc: ParsedDocument, path: string, finding: MoveSource): PlanResult {
  const spec = formatOf(doc.kind);
  const entry = entryOf(doc, finding);
  const context: MoveContext = { doc, path, finding, entry, proposedName: toSecretName(finding.settingName ?? entry?.key ?? 'secret'), spec };
  for (const form of moveFormsOf(spec)) {
    const planned = PLANNERS[form](context);
    if (planned) return planned;
  }
  return { ok: false, reason: `moving a secret out of this place in a ${doc.kind} file is not supported: move it by hand and reference it` };
}
