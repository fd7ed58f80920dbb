// Secrets recognised by the name they are assigned to: old Azure keys without a signature (only with a
// key-like setting name), Azure DevOps PATs by name, and the generic password/secret/token heuristic.
// Assignments come from the parsed entries (JSON today; other parsers as they land) and from a line
// scanner for the common shapes: `name = "v"`, `name: v`, `NAME=v`, `"name": "v"`, `<add key="n" value="v"/>`,
// `<Password>v</Password>`, Bicep `param name string = 'v'`.

import { decodeBase64, shannonEntropy } from './encoding';
import { isGuid, isKeyName, isNonSecretName, isPlaceholder, isPublicContent, isPublicDevKey, isReference, isSecretName, looksRandom, normaliseName } from './negatives';
import { validateAdoPat } from './azureKeys';
import { type Hit, type LineContext, RULE } from './types';

export interface Assignment {
  name: string;
  value: string;
  /** Absolute offsets of the value's literal text (inside quotes). */
  start: number;
  end: number;
  quoted: boolean;
}

const ACCOUNT_KEY = /^[A-Za-z0-9+/]{86}==$/;
const KEY_44 = /^[A-Za-z0-9+/]{43}=$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{38,100}={0,2}$/;
const HEX_32 = /^[0-9a-fA-F]{32}$/;
const ADO_PAT = /^[a-z2-7]{52}$/;
const ADO_NAME = /pat$|^pat|personalaccesstoken|devops|azdo|vsts|adotoken|systemaccesstoken/;

function hexKeyKind(n: string): string {
  if (n.includes('search')) return 'Azure AI Search key';
  if (/openai|cognitive|speech|translator|vision|language|formrecognizer|documentintelligence|contentsafety|aiservices|computervision|face/.test(n)) return 'Azure AI services key';
  if (/apim|subscription|ocpapim/.test(n)) return 'Azure API Management subscription key';
  if (n.includes('maps')) return 'Azure Maps key';
  return 'Azure API key';
}

/** Judge one name/value pair. Returns the hit or undefined. */
export function judgeAssignment(a: Assignment, _ctx: LineContext): Hit | undefined {
  const { name, value } = a;
  if (value.length < 8 || value.length > 4096) return undefined;
  if (isReference(value) || isPlaceholder(value) || isPublicContent(value) || isGuid(value)) return undefined;
  // Connection strings and URLs are judged pair by pair by their own detectors.
  if ((value.includes(';') && value.includes('=')) || value.includes('://')) return undefined;
  const n = normaliseName(name);
  const hit = (ruleId: Hit['ruleId'], kind: string): Hit => ({ ruleId, start: a.start, end: a.end, secret: value, kind });

  if (isKeyName(name) || isSecretName(name)) {
    if (ACCOUNT_KEY.test(value)) {
      if (isPublicDevKey(value) || shannonEntropy(value) < 4.5) return undefined;
      return hit(RULE.keySetting, n.includes('cosmos') || n.includes('documentdb') ? 'Azure Cosmos DB account key' : n.includes('storage') || n.includes('account') ? 'Azure Storage account key' : 'Azure account key');
    }
    if (KEY_44.test(value) && shannonEntropy(value) >= 4.2) {
      return hit(RULE.keySetting, n.includes('redis') ? 'Azure Cache for Redis access key' : n.includes('signalr') ? 'Azure SignalR access key' : 'Azure shared access key');
    }
    if (HEX_32.test(value) && shannonEntropy(value) >= 3.0 && !/hash|md5|sha|checksum|etag/.test(n)) return hit(RULE.keySetting, hexKeyKind(n));
    if (BASE64_KEY.test(value) && shannonEntropy(value) >= 4.2 && /[0-9]/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) {
      const bytes = decodeBase64(value);
      if (bytes && bytes.length >= 28 && /function|hostkey|masterkey|functionkey|xfunctionskey/.test(n)) return hit(RULE.keySetting, 'Azure Functions key');
    }
  }
  if (ADO_PAT.test(value) && (ADO_NAME.test(n) || validateAdoPat(value))) return hit(RULE.devopsPat, 'Azure DevOps personal access token');
  if (isSecretName(name) && looksRandom(value)) {
    const kind = /pass|pwd/.test(n) ? 'Password' : /token/.test(n) ? 'Token' : /apikey|accesskey|key$/.test(n) ? 'API key' : 'Secret';
    return hit(RULE.generic, kind);
  }
  return undefined;
}

// ---- Line scanner ----

// name [quote/bracket] op value: `password = "x"`, `"password": "x"`, `PASSWORD=x`, `['password'] = 'x'`, `password: str = "x"`.
const ASSIGN = /(?<![A-Za-z0-9_.$@-])([A-Za-z_$@][A-Za-z0-9_.$@-]{0,100})["'\]]{0,3}[ \t]{0,8}(?::=|=>|=|:)(?!=)[ \t]{0,8}/g;
const TYPE_ANNOTATION = /^(?:str|string|String|SecureString|securestring|secureString|bytes|any)[ \t]{0,8}=[ \t]{0,8}/;
const BICEP_PARAM = /\bparam[ \t]{1,8}([A-Za-z_][A-Za-z0-9_]{0,100})[ \t]{1,8}[A-Za-z]{1,20}[ \t]{0,8}=[ \t]{0,8}/g;
const XML_ADD = /\b(?:key|name)[ \t]{0,3}=[ \t]{0,3}"([^"]{1,200})"[ \t]{1,20}value[ \t]{0,3}=[ \t]{0,3}"/gi;
const XML_ELEMENT = /<([A-Za-z_][A-Za-z0-9_.:-]{0,100})>([^<]{1,500})<\/([A-Za-z_][A-Za-z0-9_.:-]{0,100})>/g;
const CLI_FLAG = /(?<![A-Za-z0-9_-])--?([A-Za-z][A-Za-z0-9_-]{0,60})[ \t]{1,4}(?=["'])/g;
const UNQUOTED_LINE = /^[ \t]{0,40}(?:export[ \t]{1,8}|set[ \t]{1,8}|ENV[ \t]{1,8})?[A-Za-z_][A-Za-z0-9_.-]{0,100}[ \t]{0,4}[=:]/;
const CONFIG_FILE = /\.(?:properties|ini|cfg|conf|sh|bash|zsh|cmd|bat|env|toml)$|dockerfile$|\.env\.[a-z]+$/;

/** The value starting at i: a quoted literal (with escapes) or an unquoted token. */
function readValue(line: string, i: number): { start: number; end: number; quoted: boolean } | undefined {
  let j = i;
  // Language string prefixes: C# @"..", $"..", Python r"..", f"..", b"..".
  if ((line[j] === '@' || line[j] === 'r' || line[j] === 'f' || line[j] === 'b' || line[j] === 'u') && QUOTE.includes(line[j + 1] ?? '')) j++;
  const q = line[j];
  if (QUOTE.includes(q ?? '')) {
    let k = j + 1;
    while (k < line.length && line[k] !== q) k += line[k] === '\\' ? 2 : 1;
    if (k >= line.length) return undefined;
    return { start: j + 1, end: k, quoted: true };
  }
  let k = j;
  while (k < line.length && line[k] !== ' ' && line[k] !== '\t') k++;
  let e = k;
  while (e > j && ',;'.includes(line[e - 1])) e--;
  return e > j ? { start: j, end: e, quoted: false } : undefined;
}
const QUOTE = '"\'`';

function allowUnquoted(ctx: LineContext, line: string): boolean {
  if (ctx.fileKind === 'env' || ctx.fileKind === 'yaml') return true;
  if (ctx.fileKind !== 'code') return false;
  return CONFIG_FILE.test(ctx.path) && UNQUOTED_LINE.test(line);
}

export function scanLineAssignments(line: string, lineStart: number, ctx: LineContext, out: Hit[]): void {
  const found: Assignment[] = [];
  const push = (name: string, v: { start: number; end: number; quoted: boolean } | undefined) => {
    if (!v) return;
    if (!v.quoted && !allowUnquoted(ctx, line)) return;
    found.push({ name, value: line.slice(v.start, v.end), start: lineStart + v.start, end: lineStart + v.end, quoted: v.quoted });
  };
  ASSIGN.lastIndex = 0;
  for (let m = ASSIGN.exec(line); m; m = ASSIGN.exec(line)) {
    const name = m[1];
    if (!isKeyName(name) && !isSecretName(name) && !ADO_NAME.test(normaliseName(name))) continue;
    let at = m.index + m[0].length;
    const ann = TYPE_ANNOTATION.exec(line.slice(at, at + 40));
    if (ann) at += ann[0].length;
    push(name, readValue(line, at));
  }
  if (ctx.fileKind === 'bicep' || ctx.fileKind === 'bicepparam') {
    BICEP_PARAM.lastIndex = 0;
    for (let m = BICEP_PARAM.exec(line); m; m = BICEP_PARAM.exec(line)) push(m[1], readValue(line, m.index + m[0].length));
  }
  if (line.indexOf('value') !== -1) {
    XML_ADD.lastIndex = 0;
    for (let m = XML_ADD.exec(line); m; m = XML_ADD.exec(line)) {
      const vs = m.index + m[0].length;
      const ve = line.indexOf('"', vs);
      if (ve > vs) found.push({ name: m[1], value: line.slice(vs, ve), start: lineStart + vs, end: lineStart + ve, quoted: true });
    }
  }
  if (line.indexOf('</') !== -1) {
    XML_ELEMENT.lastIndex = 0;
    for (let m = XML_ELEMENT.exec(line); m; m = XML_ELEMENT.exec(line)) {
      if (m[1] !== m[3]) continue;
      const vs = m.index + m[1].length + 2;
      found.push({ name: m[1], value: m[2], start: lineStart + vs, end: lineStart + vs + m[2].length, quoted: true });
    }
  }
  if (line.indexOf('-') !== -1) {
    CLI_FLAG.lastIndex = 0;
    for (let m = CLI_FLAG.exec(line); m; m = CLI_FLAG.exec(line)) push(m[1], readValue(line, m.index + m[0].length));
  }
  for (const a of found) {
    if (isNonSecretName(a.name)) continue;
    const h = judgeAssignment(a, ctx);
    if (h) out.push(h);
  }
}

export const assignmentPatterns: RegExp[] = [ACCOUNT_KEY, KEY_44, BASE64_KEY, HEX_32, ADO_PAT, ADO_NAME, ASSIGN, TYPE_ANNOTATION, BICEP_PARAM, XML_ADD, XML_ELEMENT, CLI_FLAG, UNQUOTED_LINE, CONFIG_FILE];
