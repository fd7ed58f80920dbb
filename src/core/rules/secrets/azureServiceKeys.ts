// SECRET-AZURE-KEY-SETTING. Azure keys without a signature, recognised by where they sit: the request headers and query parameters of
// Azure AI services (Speech, Translator, OpenAI, Maps, Content Safety, Document Intelligence), AI Search,
// API Management and Functions; the Azure SDK key credentials; Functions `?code=` URLs; and account keys
// written in prose ("storage key: ..."). Identifiable keys (signature + checksum) belong to azureKeys.ts; here
// a value needs both the context and a random shape, and hashes, test vectors and placeholders are refused.

import { KEY_SPECS, validateCaskKey, validateIdentifiableKey } from './identifiableKey';
import { allChars, charClasses, decodeBase64, isAlnum, isBase64Char, isBase64UrlChar, percentDecode, runEnd, runStart, shannonEntropy } from './encoding';
import { isPlaceholder, isPublicDevKey, isReference } from './negatives';
import { type Hit, type LineContext, type LineDetector, RULE, type SecretRule } from './types';

// ---- What the whole file says about the service (looked up lazily, once per document) ----

const HINT_PATTERNS = {
  openai: /openai\.azure\.com|azure[_ .-]?openai/i,
  search: /search\.windows\.net|azure[_ .-]?(?:ai[_ .-]?)?search|searchclient|searchindexclient/i,
  maps: /atlas\.microsoft\.com|azure[_ .-]?maps|mapsclient/i,
  ai: /cognitiveservices|cognitive\.microsoft\.com|microsofttranslator\.com|speech\.microsoft\.com|speechconfig|azure[_ .-]ai[_ .-]|azure\.ai\.|formrecognizer|documentintelligence|contentsafety|textanalytics/i,
  apim: /azure-api\.net/i,
  functions: /azurewebsites\.net|x-functions-key|azure[_ .-]?functions|functionapp|function[_ .-]?key/i,
} as const;
type Hint = keyof typeof HINT_PATTERNS;

const HINT_CACHE = new WeakMap<LineContext, Partial<Record<Hint, boolean>>>();

/** Whether the document (or, without it, the line) mentions the service. */
function hasHint(ctx: LineContext, line: string, hint: Hint): boolean {
  if (ctx.text === undefined) return HINT_PATTERNS[hint].test(line);
  let cache = HINT_CACHE.get(ctx);
  if (!cache) HINT_CACHE.set(ctx, (cache = {}));
  return (cache[hint] ??= HINT_PATTERNS[hint].test(ctx.text));
}

/** Label for a key whose service is known only from the file. */
function serviceKind(ctx: LineContext, line: string, fallback: string): string {
  if (hasHint(ctx, line, 'openai')) return 'Azure OpenAI key';
  if (hasHint(ctx, line, 'search')) return line.toLowerCase().includes('query') ? 'Azure AI Search query key' : 'Azure AI Search admin key';
  if (hasHint(ctx, line, 'maps')) return 'Azure Maps key';
  if (hasHint(ctx, line, 'ai')) return 'Azure AI services key';
  return fallback;
}

// ---- Value shapes ----

const HEX_VALUE: Record<string, number> = {};
for (let i = 0; i < 16; i++) {
  HEX_VALUE[i.toString(16)] = i;
  HEX_VALUE[i.toString(16).toUpperCase()] = i;
}

/** Well-known digests and test vectors that show up next to key-like names in samples (MD5 of '', 'abc', ...). */
const HEX_TEST_VECTORS = new Set([
  'd41d8cd98f00b204e9800998ecf8427e', '900150983cd24fb0d6963f7d28e17f72', '9e107d9d372bb6826bd81d3542a419d6', '5eb63bbbe01eeed093cb22bb8f5acdc3',
  '098f6bcd4621d373cade4e832627b4f6', '5f4dcc3b5aa765d61d8327deb882cf99', '00112233445566778899aabbccddeeff', '000102030405060708090a0b0c0d0e0f',
]);
const HEX_WORDS = /dead|beef|cafe|babe|face|f00d|c0de|bad[0-9a-f]/gi;

/**
 * A 32-digit hex key (older Azure AI services, AI Search, Maps and API Management keys): random-looking,
 * both digits and letters, no placeholder, sequence, repetition or well-known test vector.
 */
export function isRandomHexKey(v: string): boolean {
  if (v.length !== 32) return false;
  let digits = 0;
  let run = 1;
  for (let i = 0; i < 32; i++) {
    const d = HEX_VALUE[v[i]];
    if (d === undefined) return false;
    if (d < 10) digits++;
    if (i > 0) {
      const step = (d - HEX_VALUE[v[i - 1]] + 16) % 16;
      run = step === 1 || step === 15 ? run + 1 : 1;
      if (run >= 5) return false;
    }
  }
  if (digits === 0 || digits === 32) return false;
  const lower = v.toLowerCase();
  if (lower !== v && v.toUpperCase() !== v) return false; // mixed case is not how services print keys
  if (HEX_TEST_VECTORS.has(lower) || lower.slice(0, 8).repeat(4) === lower || lower.slice(0, 16).repeat(2) === lower) return false;
  if ((lower.match(HEX_WORDS)?.length ?? 0) >= 2) return false;
  return !isPlaceholder(v) && shannonEntropy(lower) >= 3.2;
}

const FUNCTIONS_SPEC = KEY_SPECS.find((s) => s.kind === 'Azure Functions key');

/** Random base64 (standard or URL-safe) of 30 bytes or more: Functions, Maps and other service keys. */
export function isRandomBase64Key(v: string, minChars = 40): boolean {
  let end = v.length;
  while (end > 0 && v.charCodeAt(end - 1) === 61) end--;
  if (end < minChars || end > 120 || v.length - end > 2) return false;
  if (!allChars(v, 0, end, (c) => isBase64Char(c) || isBase64UrlChar(c))) return false;
  const bytes = decodeBase64(v);
  if (!bytes || bytes.length < 30) return false;
  const body = v.slice(0, end);
  return charClasses(body) >= 3 && shannonEntropy(body) >= 4.2 && !isPlaceholder(body);
}

/** The 84/88-character common annotated key layout ("JQQJ99" at 52), checksum or not. */
function hasCaskShape(v: string): boolean {
  return (v.length === 84 || v.length === 88) && v.startsWith('JQQJ9', 52) && allChars(v, 0, 84, isAlnum);
}

const isValueChar = (c: number) => isBase64Char(c) || isBase64UrlChar(c) || c === 61 || c === 37; // = %

// ---- Old 88-character account keys next to an Azure endpoint in code ----

const isKeyOrPad = (c: number) => isBase64Char(c) || c === 61;
const AZURE_ENDPOINT_HINT = /documents\.azure\.com|\.core\.windows\.net|cosmos|storagesharedkeycredential|azurenamedkeycredential|azurekeycredential|accountkey|storagecredentials/i;

export const detectAccountKeysNearEndpoints: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('==') === -1 || !AZURE_ENDPOINT_HINT.test(line)) return;
  for (let i = 0; i < line.length; ) {
    if (!isKeyOrPad(line.charCodeAt(i))) {
      i++;
      continue;
    }
    const e = runEnd(line, i, isKeyOrPad);
    if (e - i === 88 && line.endsWith('==', e) && line.indexOf('=', i) === e - 2) {
      const key = line.slice(i, e);
      if (!isPublicDevKey(key) && shannonEntropy(key) >= 4.5) {
        const lower = line.toLowerCase();
        const kind = lower.includes('documents.azure.com') || lower.includes('cosmos') ? 'Azure Cosmos DB account key' : 'Azure Storage account key';
        out.push({ ruleId: RULE.keySetting, start: lineStart + i, end: lineStart + e, secret: key, kind });
      }
    }
    i = e;
  }
};

// ---- Keys next to a header, query parameter or SDK credential ----

/**
 * Header and parameter names (Ocp-Apim-Subscription-Key, api-key, subscription-key, x-functions-key) and SDK
 * calls that take a key (AzureKeyCredential, CognitiveServicesCredentials, SpeechConfig FromSubscription).
 */
const CONTEXT_ANCHOR = /ocp-apim-subscription-key|subscription-key|api-key|x-functions-key|azurekeycredential|cognitiveservicescredentials|apikeyserviceclientcredentials|fromsubscription|speechconfig/gi;
/** What may separate the name from its value: quotes, `:`, `=`, `,`, brackets, C#'s @"", `new X(`. */
const SEPARATORS = ' \t"\'`:=,()[]>@{';

type AnchorKind = 'header' | 'api-key' | 'functions' | 'credential';

function anchorKind(name: string): AnchorKind {
  if (name === 'api-key') return 'api-key';
  if (name === 'x-functions-key') return 'functions';
  if (name.endsWith('subscription-key')) return 'header';
  return 'credential';
}

function valueAfter(line: string, from: number): [number, number] | undefined {
  let i = from;
  for (let n = 0; i < line.length && n < 16 && SEPARATORS.indexOf(line[i]) !== -1; n++) i++;
  if (i === from && line[i] !== undefined) return undefined;
  const e = runEnd(line, i, isValueChar, 200);
  if (e === i) return undefined;
  return [i, e];
}

function judgeContextValue(raw: string, anchor: AnchorKind, ctx: LineContext, line: string): { ruleId: Hit['ruleId']; kind: string } | undefined {
  const value = percentDecode(raw) ?? raw;
  if (isReference(value)) return undefined;
  if (anchor === 'functions') return judgeFunctionsKey(value);
  if (isRandomHexKey(value)) {
    // `api-key` is also the header of non-Azure services: only with an Azure endpoint or SDK in the file.
    if (anchor === 'api-key' && !(hasHint(ctx, line, 'openai') || hasHint(ctx, line, 'search') || hasHint(ctx, line, 'ai'))) return undefined;
    const fallback = anchor === 'header' && hasHint(ctx, line, 'apim') ? 'Azure API Management subscription key' : 'Azure AI services key';
    return { ruleId: RULE.keySetting, kind: serviceKind(ctx, line, fallback) };
  }
  if (hasCaskShape(value)) {
    // A valid checksum is reported by the identifiable-key detector; without one the layout plus context will do.
    return validateCaskKey(value) ? undefined : { ruleId: RULE.keySetting, kind: 'Azure AI services key' };
  }
  if (anchor !== 'api-key' && isRandomBase64Key(value)) return { ruleId: RULE.keySetting, kind: serviceKind(ctx, line, 'Azure service key') };
  return undefined;
}

/** Functions keys: the identifiable AzFu format (checked), or an older random base64 key of 40+ characters. */
function judgeFunctionsKey(value: string): { ruleId: Hit['ruleId']; kind: string } | undefined {
  if (FUNCTIONS_SPEC && value.length === 56 && validateIdentifiableKey(value, FUNCTIONS_SPEC)) return { ruleId: RULE.identifiable, kind: 'Azure Functions key' };
  if (isRandomBase64Key(value)) return { ruleId: RULE.keySetting, kind: 'Azure Functions key' };
  return undefined;
}

export const detectAzureServiceKeys: LineDetector = (line, lineStart, ctx, out) => {
  CONTEXT_ANCHOR.lastIndex = 0;
  for (let m = CONTEXT_ANCHOR.exec(line); m; m = CONTEXT_ANCHOR.exec(line)) {
    const name = m[0].toLowerCase();
    const before = m.index > 0 ? line.charCodeAt(m.index - 1) : 32;
    // 'x-api-key', 'my-subscription-key' are other services' names.
    if ((name === 'api-key' || name === 'subscription-key') && (isAlnum(before) || before === 45 || before === 95)) continue;
    let from = m.index + m[0].length;
    if (name === 'speechconfig') {
      // Python: SpeechConfig(subscription="...", region=...)
      const at = line.slice(from, from + 40).toLowerCase().indexOf('subscription');
      if (at === -1) continue;
      from += at + 'subscription'.length;
    }
    const v = valueAfter(line, from);
    if (!v) continue;
    const raw = line.slice(v[0], v[1]);
    const judged = judgeContextValue(raw, anchorKind(name), ctx, line);
    if (judged) out.push({ ...judged, start: lineStart + v[0], end: lineStart + v[1], secret: raw });
  }
};

// ---- Functions keys in `?code=` URLs ----

const URL_STOP = ' \t"\'`<>()[]{},;';

export const detectFunctionKeyUrls: LineDetector = (line, lineStart, ctx, out) => {
  for (let at = line.indexOf('code='); at !== -1; at = line.indexOf('code=', at + 5)) {
    const prev = line[at - 1];
    if (prev !== '?' && prev !== '&' && !(prev === ';' && line.endsWith('&amp', at - 1))) continue;
    const urlStart = runStart(line, at, (c) => URL_STOP.indexOf(String.fromCharCode(c)) === -1, 2048);
    const url = line.slice(urlStart, at).toLowerCase();
    // *.azurewebsites.net, or an /api/ route in a file that talks about Functions (custom domains, proxies).
    if (!url.includes('.azurewebsites.net') && !(url.includes('/api/') && hasHint(ctx, line, 'functions'))) continue;
    const vs = at + 5;
    const ve = runEnd(line, vs, isValueChar, 300);
    if (ve < line.length && isAlnum(line.charCodeAt(ve))) continue;
    const raw = line.slice(vs, ve);
    const value = percentDecode(raw);
    const judged = value && !isReference(value) ? judgeFunctionsKey(value) : undefined;
    if (judged) out.push({ ...judged, start: lineStart + vs, end: lineStart + ve, secret: raw });
  }
};

// ---- Account keys written in prose: READMEs, runbooks, notebook cells, comments ----

/** "storage key", "storage account key", "Cosmos DB primary key", "access key", "AccountKey", "key1". */
const PROSE_KEY_WORDS = /(?:storage|cosmos|account|access|primary|secondary|master|shared)[ _.-]{0,3}(?:db[ _.-]{0,3})?(?:account[ _.-]{0,3})?key|\bkey[ _-]?[12]\b/i;
/** Words that make an 88-character base64 value a digest or a signature, not a key. */
const PROSE_NOT_KEY = /sha-?512|integrity|signature|digest|checksum|hash|public[ _-]?key|thumbprint|nonce|salt/i;
const PROSE_COSMOS = /cosmos|documentdb|documents\.azure\.com/i;
const PROSE_WINDOW = 100;

export const detectProseAccountKeys: LineDetector = (line, lineStart, _ctx, out) => {
  for (let pad = line.indexOf('=='); pad !== -1; pad = line.indexOf('==', pad + 2)) {
    const end = pad + 2;
    const start = end - 88;
    if (start < 0 || !allChars(line, start, pad, isBase64Char)) continue;
    if ((start > 0 && isBase64Char(line.charCodeAt(start - 1))) || (end < line.length && (isBase64Char(line.charCodeAt(end)) || line[end] === '='))) continue;
    const window = line.slice(Math.max(0, start - PROSE_WINDOW), start);
    if (!PROSE_KEY_WORDS.test(window) || PROSE_NOT_KEY.test(window)) continue;
    const key = line.slice(start, end);
    if (isPublicDevKey(key) || shannonEntropy(key) < 4.5 || isPlaceholder(key)) continue;
    const kind = PROSE_COSMOS.test(window) ? 'Azure Cosmos DB account key' : 'Azure Storage account key';
    out.push({ ruleId: RULE.keySetting, start: lineStart + start, end: lineStart + end, secret: key, kind });
  }
};

/** Whether text holds a header, SDK credential or `code=` parameter whose judgement reads the whole document. */
export function hasContextAnchor(text: string): boolean {
  CONTEXT_ANCHOR.lastIndex = 0;
  return CONTEXT_ANCHOR.test(text) || text.indexOf('code=') !== -1;
}

/**
 * Whether re-checking only `slice` of a document could differ from a full check: it holds a context anchor,
 * or a service endpoint that decides an anchor elsewhere (`documentHasAnchor` is asked only then).
 */
export function dependsOnWholeDocument(slice: string, documentHasAnchor: () => boolean): boolean {
  if (hasContextAnchor(slice)) return true;
  for (const p of Object.values(HINT_PATTERNS)) if (p.test(slice)) return documentHasAnchor();
  return false;
}

const hex = { fake: 'azure-hex-key' };

export const keySettingRule: SecretRule = {
  meta: {
    id: RULE.keySetting,
    title: 'Azure key in a setting',
    tag: 'secret',
    severity: 'warning',
    confidence: 'medium',
    description: 'A setting whose name says it holds a key contains a value shaped like an Azure access key; keys belong in Key Vault.',
  },
  priority: 50,
  lineDetectors: [
    // AZURE_ENDPOINT_HINT's words.
    { name: 'account keys next to an endpoint', detect: detectAccountKeysNearEndpoints, anchors: ['documents.azure', 'core.windows', 'cosmos', 'keycredential', 'accountkey', 'storagecredentials'] },
    // CONTEXT_ANCHOR's names ('ocp-apim-subscription-key' holds 'subscription-key').
    { name: 'keys next to a header or SDK credential', detect: detectAzureServiceKeys, anchors: ['subscription-key', 'api-key', 'x-functions-key', 'azurekeycredential', 'cognitiveservicescredentials', 'apikeyserviceclientcredentials', 'fromsubscription', 'speechconfig'] },
    { name: 'Functions keys in ?code= URLs', detect: detectFunctionKeyUrls, anchors: ['code='] },
    // Every PROSE_KEY_WORDS match holds 'key'.
    { name: 'account keys in prose', detect: detectProseAccountKeys, anchors: ['key'] },
  ],
  patterns: [...Object.values(HINT_PATTERNS), HEX_WORDS, CONTEXT_ANCHOR, PROSE_KEY_WORDS, PROSE_NOT_KEY, PROSE_COSMOS, AZURE_ENDPOINT_HINT],
  examples: {
    positives: [
      { name: 'search key in a Bicep parameter file', file: 'main.bicepparam', text: "param searchApiKey = '{secret}'\n", secret: hex, kind: 'Azure AI Search key' },
      { name: '32-hex under a generic name in an ARM template is an Azure API key', file: 'azuredeploy.json', text: '{ "resources": [ { "properties": { "apiKey": "{secret}" } } ] }', secret: hex, kind: 'Azure API key' },
      { name: 'Heroku key is labelled Heroku, not Azure', file: '.env', text: 'HEROKU_API_KEY={secret}\n', secret: hex, kind: 'Heroku API key' },
      { name: 'DigitalOcean key is labelled DigitalOcean', file: 'deploy.sh', text: 'export DIGITALOCEAN_ACCESS_KEY={secret}\n', secret: { fake: 'azure-hex-key', seed: 2 }, kind: 'DigitalOcean API key' },
      { name: '32-hex under a key name with no Azure context is an API key', file: 'settings.py', text: 'API_KEY = "{secret}"\n', secret: { fake: 'azure-hex-key', seed: 3 }, kind: 'API key' },
      {
        name: 'ASP.NET Core Data Protection key ring committed with the app is named for what it is',
        file: 'src/Web/key-768c1632.xml',
        text: '<?xml version="1.0" encoding="utf-8"?>\n<key id="768c1632" version="1">\n  <descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection">\n    <descriptor>\n      <masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection">\n        <value>{secret}</value>\n      </masterKey>\n    </descriptor>\n  </descriptor>\n</key>\n',
        secret: { fake: 'azure-storage-key-legacy', seed: 5 },
        kind: 'ASP.NET Core Data Protection key',
      },
    ],
    negatives: [
      { name: 'hash under a key name', file: 'manifest.json', text: '{ "keyHash": "d41d8cd98f00b204e9800998ecf8427e", "cacheKey": "9e107d9d372bb6826bd81d3542a419d6" }' },
      { name: 'instrumentation key GUID', file: 'appsettings.json', text: '{ "ApplicationInsights": { "InstrumentationKey": "6f1c2d3e-9a8b-4c7d-b6e5-f4a3b2c1d0e9" } }' },
      { name: 'a computed signature in a test of signing code (a bare `signature` is no key name)', file: 'tests/unit/iothub/client_fixtures.py', text: 'signature = "{secret}"\n', secret: { fake: 'sas-signature', seed: 6 } },
      { name: 'documentation key with a keyboard row typed into it', file: 'README.md', text: '    "primaryKey": "{secret}",\n', secret: { fake: 'shared-access-key-hand-typed' } },
    ],
  },
};
