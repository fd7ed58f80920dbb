import type { FileKind } from '../model';
import { parseBicep } from '../parsers/bicep';
import { clampErrors, emptyDocument } from '../parsers/document';
import { parseEnv } from '../parsers/env';
import { parseJson } from '../parsers/json';
import { parseTerraform } from '../parsers/terraform';
import { parseXml } from '../parsers/xml';
import { parseYaml } from '../parsers/yaml';
import type { CommentSyntax, FormatSpec } from './spec';

// One spec per file format, in detection order: names first, then JSON by content, then plain text.

const SLASHES: CommentSyntax = { open: '// ', close: '' };
const HASH: CommentSyntax = { open: '# ', close: '' };
const XML_COMMENT: CommentSyntax = { open: '<!-- ', close: ' -->' };
const C_COMMENTS = { commentOpeners: ['//', '/*'], commentClosers: ['*/'] };
const HASH_COMMENTS = { commentOpeners: ['#'], commentClosers: [] };
const DOUBLE_QUOTE = { quote: '"' } as const;

const isJsonName = (name: string) => name.endsWith('.json') || name.endsWith('.jsonc');

/** JSON and JSONC (ARM accepts comments): one parser, `//` suppressions, re-checked whole unless stated. */
function jsonFormat(kind: FileKind, detect: FormatSpec['detect'], more: Partial<FormatSpec> = {}): FormatSpec {
  return {
    kind,
    detect,
    parse: parseJson,
    ...C_COMMENTS,
    suppressionComment: () => SLASHES,
    jsonLike: true,
    keyVault: DOUBLE_QUOTE,
    recheck: { by: 'document' },
    ...more,
  };
}

const LOCAL_SETTINGS = jsonFormat('local-settings', (name) => name === 'local.settings.json', { settings: 'local' });

const APPSETTINGS = jsonFormat('appsettings', (name) => /^appsettings(\.[^/]*)?\.json$/.test(name), {
  settings: 'appsettings',
  keyVault: { quote: '"', form: 'aspnet-keyvault-provider' },
});

const BICEP_BASE = { parse: parseBicep, ...C_COMMENTS, suppressionComment: () => SLASHES, jsonLike: false, recheck: { by: 'document' } } as const;

const BICEPPARAM: FormatSpec = {
  kind: 'bicepparam',
  detect: (name) => name.endsWith('.bicepparam'),
  ...BICEP_BASE,
  keyVault: { quote: "'", form: 'bicepparam-getsecret' },
};

const BICEP: FormatSpec = {
  kind: 'bicep',
  detect: (name) => name.endsWith('.bicep'),
  ...BICEP_BASE,
  settings: 'iac',
  iac: { language: 'bicep', certain: true },
  keyVault: { quote: "'" },
};

const TERRAFORM: FormatSpec = {
  kind: 'terraform',
  detect: (name) => name.endsWith('.tf') || name.endsWith('.tfvars') || name.endsWith('.hcl'),
  parse: parseTerraform,
  commentOpeners: ['#', '//', '/*'],
  commentClosers: ['*/'],
  suppressionComment: () => HASH,
  jsonLike: false,
  settings: 'iac',
  iac: { language: 'terraform', certain: true },
  keyVault: DOUBLE_QUOTE,
  recheck: { by: 'document' },
};

const ENV: FormatSpec = {
  kind: 'env',
  detect: (name) => name === '.env' || name.startsWith('.env.') || name.endsWith('.env'),
  parse: parseEnv,
  ...HASH_COMMENTS,
  suppressionComment: () => HASH,
  jsonLike: false,
  settings: 'env',
  keyVault: { quote: '"', form: 'env-removed' },
  recheck: { by: 'lines' },
};

const YAML: FormatSpec = {
  kind: 'yaml',
  detect: (name) => name.endsWith('.yml') || name.endsWith('.yaml'),
  parse: (text, kind) => clampErrors(parseYaml(text, kind)),
  ...HASH_COMMENTS,
  suppressionComment: () => HASH,
  jsonLike: false,
  keyVault: DOUBLE_QUOTE,
  recheck: { by: 'document' },
};

const XML: FormatSpec = {
  kind: 'xml',
  detect: (name) => name.endsWith('.config') || name.endsWith('.xml') || name.endsWith('.pubxml') || name.endsWith('.csproj'),
  parse: parseXml,
  commentOpeners: ['<!--'],
  commentClosers: ['-->'],
  suppressionComment: () => XML_COMMENT,
  jsonLike: false,
  settings: 'xml',
  keyVault: DOUBLE_QUOTE,
  recheck: { by: 'document' },
};

const ARM_PARAMETERS = jsonFormat('arm-parameters', (name, head) => isJsonName(name) && (/deploymentParameters\.json/i.test(head()) || name.endsWith('.parameters.json')), {
  keyVault: { quote: '"', form: 'arm-parameter-reference' },
});

const ARM_TEMPLATE = jsonFormat('arm-template', (name, head) => isJsonName(name) && /deploymentTemplate\.json/i.test(head()), {
  settings: 'iac',
  iac: { language: 'arm', certain: true },
  recheck: {
    by: 'resource',
    parseResource: (slice, kind, index) => parseJson(slice, kind, { rootPath: ['resources', String(index)], rootIsResource: true }),
  },
});

// App Service "Advanced edit" export: a top-level array of { name, value, slotSetting }.
const APPSERVICE_SETTINGS = jsonFormat('appservice-settings', (name, head) => isJsonName(name) && /^\s*\[\s*\{/.test(head()) && head().includes('"slotSetting"'), {
  settings: 'export',
});

// Any other JSON may still be an ARM template without its $schema.
const JSON_FORMAT = jsonFormat('json', isJsonName, { settings: 'iac', iac: { language: 'arm', certain: false } });

/** Source code and anything else: line-based scanning only, comments by extension. */
const CODE: FormatSpec = {
  kind: 'code',
  detect: () => true,
  parse: emptyDocument,
  // C-like, scripts and INI, SQL, HTML and Razor, VB.
  commentOpeners: ['//', '#', '/*', '<!--', ';', '--', "'"],
  commentClosers: ['*/', '-->'],
  suppressionComment(path) {
    if (/\.(py|ps1|psm1|sh|bash|rb|r|pl|toml|ini|properties|conf|dockerfile)$/i.test(path) || /(^|\/)dockerfile$/i.test(path)) return HASH;
    if (/\.(sql|lua)$/i.test(path)) return { open: '-- ', close: '' };
    if (/\.(html?|md|cshtml|razor)$/i.test(path)) return XML_COMMENT;
    return SLASHES;
  },
  jsonLike: false,
  keyVault: { quote: '"', form: 'code-env-read' },
  recheck: { by: 'lines' },
};

/** Every format, in detection order; `code` last (it takes any file). */
export const FORMATS: readonly FormatSpec[] = [
  LOCAL_SETTINGS,
  APPSETTINGS,
  BICEPPARAM,
  BICEP,
  TERRAFORM,
  ENV,
  YAML,
  XML,
  ARM_PARAMETERS,
  ARM_TEMPLATE,
  APPSERVICE_SETTINGS,
  JSON_FORMAT,
  CODE,
];
