// Imperative App Service configuration in commands: Azure CLI (`az webapp ...`, `az functionapp ...`,
// `az resource update`, `az rest`) and Az PowerShell (`Set-AzWebApp`, `Set-AzWebAppSlot`). Findings carry the
// SAME rule ids as the IaC properties they mirror, so suppressions, docs and posture agree. A value that holds a
// variable or substitution is unknown until the script runs and is never reported.

import type { RawFinding, TextFix } from '../../model';
import { valueRange, type Command, type CommandWord } from '../../commandLine';
import { visitJson } from '../../parsers/jsonScanner';
import { BASIC_AUTH_FTP, BASIC_AUTH_SCM } from '../appservice/basicAuth';
import { CLIENT_CERT, readClientCert } from '../appservice/clientCert';
import { CORS_WILDCARD } from '../appservice/cors';
import { DETAILED_ERRORS } from '../appservice/detailedErrors';
import { allowsPlainFtp, FTPS } from '../appservice/ftps';
import { HTTP2 } from '../appservice/http2';
import { HTTPS_ONLY } from '../appservice/httpsOnly';
import { MIN_TLS, readMinTls, SCM_MIN_TLS } from '../appservice/minTls';
import { isAllowAllAddress, SCM_EXPOSED } from '../appservice/network';
import { REMOTE_DEBUG } from '../appservice/remoteDebug';

/** One flag value: the word holding it and the value's characters [from, to) in that word. */
interface FlagValue {
  word: CommandWord;
  from: number;
  to: number;
  text: string;
  /** The first value right after its flag (or attached to it with `=` / `:`). */
  adjacent: boolean;
}

interface FlagUse {
  flag: CommandWord;
  /** Flag name as written, without an attached `=value` / `:value`. */
  name: string;
  values: FlagValue[];
}

type Judge = (lowerValue: string) => boolean;

interface FlagCheck {
  ruleId: string;
  /** Lower-case command paths (`webapp config set`) for az; cmdlet names for PowerShell. */
  commands: readonly string[];
  /** Lower-case flag names, aliases included. */
  flags: readonly string[];
  bad: Judge;
  /** Replacement for a bad value ($-prefixed in PowerShell form when the value was). */
  good?: (value: string) => string;
  /** What the value does, for the message. */
  why: string;
  /** Any of several values (`--allowed-origins a b '*'`), instead of the last one. */
  anyValue?: boolean;
}

const FALSE_WORDS = new Set(['false', 'no', '0', 'off', '$false']);
const TRUE_WORDS = new Set(['true', 'yes', '1', 'on', '$true']);
const isFalse: Judge = (v) => FALSE_WORDS.has(v);
const isTrue: Judge = (v) => TRUE_WORDS.has(v);
const boolText = (b: boolean) => (value: string) => (value.startsWith('$') ? `$${b}` : String(b));

/** The value tests of the App Service units, so a command and the IaC property are judged alike. */
const weakTls: Judge = (v) => readMinTls(v).kind === 'weak';
const plainFtp: Judge = (v) => allowsPlainFtp(v);

const WEB = ['webapp', 'functionapp'];
const on = (...verbs: string[]) => WEB.flatMap((g) => verbs.map((v) => `${g} ${v}`));

const AZ_CHECKS: FlagCheck[] = [
  { ruleId: HTTPS_ONLY, commands: on('update', 'create'), flags: ['--https-only'], bad: isFalse, good: boolText(true), why: 'turns HTTPS-only off, so the app accepts plain HTTP' },
  { ruleId: MIN_TLS, commands: on('config set'), flags: ['--min-tls-version'], bad: weakTls, good: () => '1.2', why: 'lets clients use deprecated TLS 1.0/1.1' },
  { ruleId: FTPS, commands: on('config set'), flags: ['--ftps-state'], bad: plainFtp, good: () => 'Disabled', why: 'allows plain, unencrypted FTP for deployment' },
  { ruleId: REMOTE_DEBUG, commands: on('config set'), flags: ['--remote-debugging-enabled'], bad: isTrue, good: boolText(false), why: 'turns remote debugging on in the deployed app' },
  { ruleId: HTTP2, commands: on('config set'), flags: ['--http20-enabled'], bad: isFalse, good: boolText(true), why: 'turns HTTP/2 off' },
  { ruleId: CORS_WILDCARD, commands: on('cors add'), flags: ['--allowed-origins', '-a'], bad: (v) => v === '*', why: 'lets any web site call the app from a browser', anyValue: true },
];

const PS_CMDLETS = ['set-azwebapp', 'set-azwebappslot'];
const PS_CHECKS: FlagCheck[] = [
  { ruleId: HTTPS_ONLY, commands: PS_CMDLETS, flags: ['-httpsonly'], bad: isFalse, good: () => '$true', why: 'turns HTTPS-only off, so the app accepts plain HTTP' },
  { ruleId: MIN_TLS, commands: PS_CMDLETS, flags: ['-mintlsversion'], bad: weakTls, good: () => '1.2', why: 'lets clients use deprecated TLS 1.0/1.1' },
  { ruleId: FTPS, commands: PS_CMDLETS, flags: ['-ftpsstate'], bad: plainFtp, good: () => 'Disabled', why: 'allows plain, unencrypted FTP for deployment' },
];

/** Words that may precede the command itself: shell keywords, `call`, `&`, `sudo`, `time`. */
const PREFIX_WORDS = new Set(['if', 'then', 'do', 'else', 'elif', 'while', 'until', '!', 'time', 'exec', 'call', 'sudo', 'command', '{', '&', '.', 'xargs', 'nohup']);
const AZ_NAMES = new Set(['az', 'az.cmd', 'az.exe', 'az.ps1']);

/** The command's words from its name on: leading keywords and `NAME=value` assignments dropped. */
function commandWords(c: Command): CommandWord[] {
  let i = 0;
  const w = c.words;
  while (i < w.length) {
    const v = w[i].value;
    if (PREFIX_WORDS.has(v.toLowerCase())) i++;
    else if (isAssignment(v)) i++;
    else break;
  }
  return w.slice(i);
}

function isAssignment(v: string): boolean {
  const eq = v.indexOf('=');
  if (eq <= 0) return false;
  for (let k = 0; k < eq; k++) {
    const ch = v[k];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || (k > 0 && ch >= '0' && ch <= '9'))) return false;
  }
  return true;
}

/** The program name: last path segment, lower case, without cmd's `@` echo-off prefix. */
function programName(w: CommandWord): string {
  let v = w.value.toLowerCase();
  if (v.startsWith('@')) v = v.slice(1);
  const slash = Math.max(v.lastIndexOf('/'), v.lastIndexOf('\\'));
  return slash >= 0 ? v.slice(slash + 1) : v;
}

function isFlag(v: string, powershell: boolean): boolean {
  if (powershell) return v.length > 1 && v[0] === '-' && ((v[1] >= 'a' && v[1] <= 'z') || (v[1] >= 'A' && v[1] <= 'Z'));
  return v.startsWith('--') ? v.length > 2 : v.length === 2 && v[0] === '-' && v[1] !== '-' && !(v[1] >= '0' && v[1] <= '9');
}

/** Flags and their values from words[from]: `--flag value`, `--flag=value`, `-Param value`, `-Param:value`. */
function parseFlags(words: CommandWord[], from: number, powershell: boolean): FlagUse[] {
  const out: FlagUse[] = [];
  let cur: FlagUse | undefined;
  for (let i = from; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (!w.dynamic && isFlag(v, powershell)) {
      const sep = powershell ? v.indexOf(':') : v.startsWith('--') ? v.indexOf('=') : -1;
      if (sep > 0) {
        out.push({ flag: w, name: v.slice(0, sep), values: [{ word: w, from: sep + 1, to: v.length, text: v.slice(sep + 1), adjacent: true }] });
        cur = undefined;
      } else out.push((cur = { flag: w, name: v, values: [] }));
      continue;
    }
    if (cur) cur.values.push({ word: w, from: 0, to: v.length, text: v, adjacent: cur.values.length === 0 });
  }
  return out;
}

/** A value is known when no variable, substitution or expression feeds it. */
function known(v: FlagValue): boolean {
  return !v.word.dynamic;
}

function report(ruleId: string, use: FlagUse, v: FlagValue, text: string, why: string, replacement: string | undefined, out: RawFinding[]): void {
  const valueAt = valueRange(v.word, v.from, v.to);
  // A whole word keeps its closing quote; a part of one (`properties.allow=true`) ends with the value.
  const end = v.to === v.word.value.length ? v.word.end : valueAt.end;
  // The whole `--flag value` when it sits on one line; the value alone when a continuation or other values
  // come between them.
  const sameLine = v.adjacent && text.slice(use.flag.start, end).indexOf('\n') === -1;
  const start = sameLine ? use.flag.start : v.from === 0 ? v.word.start : valueAt.start;
  const fix: TextFix | undefined = replacement === undefined ? undefined : { title: `Set ${use.name} to ${replacement}`, start: valueAt.start, end: valueAt.end, replacement };
  out.push({
    ruleId,
    start,
    end,
    settingName: use.name,
    message: `${use.name} ${v.text} ${why}${replacement === undefined ? '.' : `; use ${use.name} ${replacement}.`}`,
    ...(fix ? { fix } : {}),
  });
}

function runChecks(checks: FlagCheck[], command: string, uses: FlagUse[], text: string, out: RawFinding[]): void {
  for (const check of checks) {
    if (!check.commands.includes(command)) continue;
    // argparse keeps the last occurrence of a flag.
    const use = [...uses].reverse().find((u) => check.flags.includes(u.name.toLowerCase()));
    if (!use || use.values.length === 0) continue;
    const values = check.anyValue ? use.values : [use.values[0]];
    for (const v of values) {
      if (!known(v) || !check.bad(v.text.toLowerCase())) continue;
      report(check.ruleId, use, v, text, check.why, check.good?.(v.text), out);
    }
  }
}

const POLICY = 'basicpublishingcredentialspolicies';

/** ftp / scm from `.../basicPublishingCredentialsPolicies/ftp` or `--name ftp`. */
function policyKind(words: CommandWord[], uses: FlagUse[]): 'ftp' | 'scm' | undefined {
  for (const w of words) {
    const v = w.value.toLowerCase();
    const at = v.indexOf(`${POLICY}/`);
    if (at === -1) continue;
    const rest = v.slice(at + POLICY.length + 1);
    if (rest.startsWith('ftp')) return 'ftp';
    if (rest.startsWith('scm')) return 'scm';
  }
  if (!words.some((w) => w.value.toLowerCase().includes(POLICY))) return undefined;
  const name = uses.find((u) => u.name === '--name' || u.name === '-n')?.values[0]?.text.toLowerCase();
  if (name === 'ftp' || name?.endsWith('/ftp')) return 'ftp';
  if (name === 'scm' || name?.endsWith('/scm')) return 'scm';
  return undefined;
}

const POLICY_RULE = { ftp: BASIC_AUTH_FTP, scm: BASIC_AUTH_SCM } as const;

const ALLOW_TRUE = /"allow"[ \t]*:[ \t]*(true)\b/i;
export const azCommandPatterns: RegExp[] = [ALLOW_TRUE];

/** `az resource update ... --set properties.allow=true` and `az rest ... --body '{"properties":{"allow":true}}'`. */
function basicAuthChecks(words: CommandWord[], sub: string, uses: FlagUse[], text: string, out: RawFinding[]): void {
  const kind = policyKind(words, uses);
  if (!kind) return;
  const ruleId = POLICY_RULE[kind];
  const why = `allows basic publishing credentials for ${kind.toUpperCase()}, which bypass Microsoft Entra ID`;
  if (sub === 'resource update' || sub === 'resource create') {
    for (const use of uses) {
      if (use.name !== '--set') continue;
      for (const v of use.values) {
        const lower = v.text.toLowerCase();
        if (!known(v) || !(lower === 'properties.allow=true' || lower === 'allow=true')) continue;
        const eq = v.text.indexOf('=');
        report(ruleId, use, { ...v, from: v.from + eq + 1, text: v.text.slice(eq + 1) }, text, why, 'false', out);
      }
    }
  } else if (sub === 'rest') {
    const body = uses.find((u) => u.name === '--body' || u.name === '-b');
    const v = body?.values[0];
    if (!body || !v || !known(v)) return;
    const m = ALLOW_TRUE.exec(v.text);
    if (!m) return;
    const at = m.index + m[0].length - 4;
    report(ruleId, body, { ...v, from: v.from + at, to: v.from + at + 4, text: 'true' }, text, why, 'false', out);
  }
}

// ---- properties by name: `--set path=value`, `--generic-configurations` ---------------------------------

/** One site or site-config property a command can set, judged by the same value test as the IaC property. */
interface PropertyCheck {
  ruleId: string;
  bad: Judge;
  good?: string;
  why: string;
}

/** Properties of the site itself (`httpsOnly`, ARM `properties.httpsOnly`), by name lower case without '_'. */
const SITE_PROPERTIES: Record<string, PropertyCheck> = {
  httpsonly: { ruleId: HTTPS_ONLY, bad: isFalse, good: 'true', why: 'turns HTTPS-only off, so the app accepts plain HTTP' },
  clientcertenabled: { ruleId: CLIENT_CERT, bad: (v) => isFalse(v) && readClientCert(false, undefined) === 'off', good: 'true', why: 'turns client certificates off' },
  // Mode alone: judged as if certificates are on (the mode matters only then).
  clientcertmode: { ruleId: CLIENT_CERT, bad: (v) => readClientCert(true, v) === 'optional', good: 'Required', why: 'lets callers without a client certificate in' },
};

/** Properties of the site configuration (`siteConfig.X`, config 'web' `properties.X`, generic configurations). */
const CONFIG_PROPERTIES: Record<string, PropertyCheck> = {
  mintlsversion: { ruleId: MIN_TLS, bad: weakTls, good: '1.2', why: 'lets clients use deprecated TLS 1.0/1.1' },
  scmmintlsversion: { ruleId: SCM_MIN_TLS, bad: weakTls, good: '1.2', why: 'lets clients of the SCM site use deprecated TLS 1.0/1.1' },
  ftpsstate: { ruleId: FTPS, bad: plainFtp, good: 'Disabled', why: 'allows plain, unencrypted FTP for deployment' },
  remotedebuggingenabled: { ruleId: REMOTE_DEBUG, bad: isTrue, good: 'false', why: 'turns remote debugging on in the deployed app' },
  http20enabled: { ruleId: HTTP2, bad: isFalse, good: 'true', why: 'turns HTTP/2 off' },
};

/** `min_tls_version`, `minTlsVersion` and `MinTlsVersion` name one property (az maps snake and camel case). */
function propertyKey(name: string): string {
  return name.toLowerCase().split('_').join('');
}

/** Which object a `--set` path lands in: the site, its site config, or neither. */
type Target = 'site' | 'webConfig';

/** The check for a dotted property path set on `target` (`siteConfig.minTlsVersion` on a site). */
function propertyCheck(path: string, target: Target, armShape: boolean): { check: PropertyCheck; config: boolean; name: string } | undefined {
  const parts = path.split('.').map(propertyKey);
  if (armShape) {
    if (parts[0] !== 'properties') return undefined;
    parts.shift();
  }
  if (target === 'site' && parts.length === 2 && parts[0] === 'siteconfig') parts.shift();
  else if (target === 'site' && parts.length === 1) {
    const check = SITE_PROPERTIES[parts[0]];
    return check ? { check, config: false, name: parts[0] } : undefined;
  }
  if (parts.length !== 1) return undefined;
  const check = CONFIG_PROPERTIES[parts[0]];
  return check ? { check, config: true, name: parts[0] } : undefined;
}

/** A value as written in `key=value`, without one pair of surrounding double quotes. */
function unquote(v: FlagValue): FlagValue {
  const t = v.text;
  if (t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"') return { ...v, from: v.from + 1, to: v.to - 1, text: t.slice(1, -1) };
  return v;
}

/** Report one property set to a bad value; `at` covers what the squiggle shows, `value` the part the fix replaces. */
function reportProperty(check: PropertyCheck, shown: string, value: FlagValue, at: { start: number; end: number }, out: RawFinding[]): void {
  if (!known(value) || !check.bad(value.text.toLowerCase())) return;
  const range = valueRange(value.word, value.from, value.to);
  const fix: TextFix | undefined = check.good === undefined ? undefined : { title: `Set ${shown} to ${check.good}`, start: range.start, end: range.end, replacement: check.good };
  out.push({
    ruleId: check.ruleId,
    start: at.start,
    end: at.end,
    settingName: shown,
    message: `${shown}=${value.text} ${check.why}${check.good === undefined ? '.' : `; set it to ${check.good}.`}`,
    ...(fix ? { fix } : {}),
  });
}

// ---- app settings and container env: `--settings ASPNETCORE_ENVIRONMENT=Development` ---------------------

/** The environment-name settings ASP.NET Core reads; Development there turns the Developer Exception Page on. */
const ENVIRONMENT_SETTING: PropertyCheck = {
  ruleId: DETAILED_ERRORS,
  bad: (v) => v === 'development',
  good: 'Production',
  why: 'makes the deployed app show the Developer Exception Page (stack traces, configuration) to clients',
};
const ENVIRONMENT_NAMES = new Set(['aspnetcore_environment', 'dotnet_environment']);

/** Commands that write app settings or container env vars, with the flags that carry `NAME=value` pairs. */
const SETTINGS_FLAGS = new Map<string, readonly string[]>([
  ...on('config appsettings set').map((c): [string, readonly string[]] => [c, ['--settings', '--slot-settings']]),
  ...['containerapp create', 'containerapp update', 'containerapp job create', 'containerapp job update'].map((c): [string, readonly string[]] => [c, ['--env-vars', '--set-env-vars']]),
]);

/** `NAME=value` words of an app-settings or env-vars flag; a JSON list or `@file` is not read. */
function settingsChecks(flags: readonly string[], uses: FlagUse[], out: RawFinding[]): void {
  for (const use of uses) {
    if (!flags.includes(use.name.toLowerCase())) continue;
    for (const v of use.values) {
      if (!known(v)) continue;
      const eq = v.text.indexOf('=');
      if (eq <= 0) continue;
      const name = v.text.slice(0, eq);
      if (!ENVIRONMENT_NAMES.has(name.toLowerCase())) continue;
      const value = unquote({ ...v, from: v.from + eq + 1, text: v.text.slice(eq + 1) });
      reportProperty(ENVIRONMENT_SETTING, name, value, v.from === 0 ? { start: v.word.start, end: v.word.end } : valueRange(v.word, v.from, v.to), out);
    }
  }
}

/** `--set a.b=value ...` of a generic update (`az webapp update`, `az resource update`). */
function setChecks(uses: FlagUse[], target: Target, armShape: boolean, facts: ScriptFacts, out: RawFinding[]): void {
  for (const use of uses) {
    if (use.name !== '--set') continue;
    for (const v of use.values) {
      const eq = v.text.indexOf('=');
      if (eq <= 0) continue;
      const path = v.text.slice(0, eq);
      // A variable in the path leaves the property unknown.
      if (path.includes('$')) continue;
      const found = propertyCheck(path, target, armShape);
      const value = unquote({ ...v, from: v.from + eq + 1, text: v.text.slice(eq + 1) });
      if (found) reportProperty(found.check, path, value, v.from === 0 ? { start: v.word.start, end: v.word.end } : valueRange(v.word, v.from, v.to), out);
      else scmFact(facts, path, target, armShape, value, v);
    }
  }
}

/** Access-restriction facts a `--set` can carry (`siteConfig.scmIpSecurityRestrictionsUseMain=false`, default actions). */
function scmFact(facts: ScriptFacts, path: string, target: Target, armShape: boolean, value: FlagValue, whole: FlagValue): void {
  const parts = path.split('.').map(propertyKey);
  if (armShape && parts.shift() !== 'properties') return;
  if (target === 'site' && parts[0] === 'siteconfig') parts.shift();
  if (parts.length !== 1 || !known(value)) return;
  const v = value.text.toLowerCase();
  if (parts[0] === 'scmipsecurityrestrictionsusemain' && isFalse(v)) {
    const range = valueRange(value.word, value.from, value.to);
    facts.scmUseMainOff.push({ start: whole.from === 0 ? whole.word.start : valueRange(whole.word, whole.from, whole.to).start, end: whole.word.end, name: path, fix: { title: `Set ${path} to true`, start: range.start, end: range.end, replacement: 'true' } });
  } else if (parts[0] === 'ipsecurityrestrictionsdefaultaction' && v === 'deny') facts.mainLocked = true;
  else if (parts[0] === 'scmipsecurityrestrictionsdefaultaction' && v === 'deny') facts.scmRestricted = true;
}

/** A JSON string value with PowerShell-style `\"` escapes undone, and where each character came from. */
function unescapeQuotes(text: string): { text: string; at: number[] } {
  let out = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '"') continue;
    out += text[i];
    at.push(i);
  }
  return { text: out, at };
}

/** `--generic-configurations '{"minTlsVersion":"1.0"}' ftpsState=AllAllowed`; `@file.json` is not read. */
function genericConfigChecks(uses: FlagUse[], out: RawFinding[]): void {
  for (const use of uses) {
    if (use.name !== '--generic-configurations') continue;
    for (const v of use.values) {
      if (!known(v)) continue;
      const t = v.text.trim();
      if (t.startsWith('@')) continue;
      if (t.startsWith('{')) {
        jsonConfigChecks(v, out);
        continue;
      }
      const eq = v.text.indexOf('=');
      if (eq <= 0) continue;
      const name = v.text.slice(0, eq);
      const check = CONFIG_PROPERTIES[propertyKey(name)];
      if (!check) continue;
      reportProperty(check, name, unquote({ ...v, from: v.from + eq + 1, text: v.text.slice(eq + 1) }), { start: v.word.start, end: v.word.end }, out);
    }
  }
}

/** Top-level literals of an inline JSON object, each judged as a site-config property. */
function jsonConfigChecks(v: FlagValue, out: RawFinding[]): void {
  const { text, at } = v.text.includes('\\"') ? unescapeQuotes(v.text) : { text: v.text, at: undefined };
  let depth = 0;
  let key: string | undefined;
  const literal = (value: string | number | boolean | null, offset: number, length: number) => {
    if (depth !== 1 || key === undefined) return;
    const name = key;
    const check = CONFIG_PROPERTIES[propertyKey(name)];
    key = undefined;
    if (!check || value === null) return;
    // The characters of the value inside its quotes, mapped back to the word.
    const quoted = typeof value === 'string';
    const from = offset + (quoted ? 1 : 0);
    const to = offset + length - (quoted ? 1 : 0);
    const map = (k: number) => (at ? at[k] : k);
    const inner: FlagValue = { ...v, from: v.from + map(from), to: v.from + (to > from ? map(to - 1) + 1 : map(from)), text: String(value) };
    const shown = valueRange(v.word, v.from + map(offset), v.from + map(offset + length - 1) + 1);
    reportProperty(check, name, inner, shown, out);
  };
  visitJson(text, {
    onObjectBegin: () => depth++,
    onObjectEnd: () => depth--,
    onArrayBegin: () => depth++,
    onArrayEnd: () => depth--,
    onObjectProperty: (name) => {
      if (depth === 1) key = name;
    },
    onLiteralValue: literal,
    onComment: () => undefined,
    onError: () => undefined,
  });
}
// ---- APPSVC-SCM-EXPOSED across the commands of one script -----------------------------------------------

/** A place where a script stops the SCM site from using the main site's restrictions. */
interface ScmOff {
  start: number;
  end: number;
  name: string;
  fix?: TextFix;
}

/**
 * What the commands of one script say about access restrictions. As in the IaC rule, turning off "SCM uses the
 * main rules" is reported only when the same script restricts the main site and gives the SCM site nothing.
 */
export interface ScriptFacts {
  scmUseMainOff: ScmOff[];
  /** A main-site rule that restricts (not an allow-all), or main default action Deny. */
  mainLocked: boolean;
  /** An SCM rule or SCM default action Deny. */
  scmRestricted: boolean;
}

export function newScriptFacts(): ScriptFacts {
  return { scmUseMainOff: [], mainLocked: false, scmRestricted: false };
}

/** The SCM findings once every command of the script has been read. */
export function finishScript(facts: ScriptFacts, out: RawFinding[]): void {
  if (!facts.mainLocked || facts.scmRestricted) return;
  for (const off of facts.scmUseMainOff) {
    out.push({
      ruleId: SCM_EXPOSED,
      start: off.start,
      end: off.end,
      settingName: off.name,
      message: `${off.name} stops the SCM (Kudu) site from using the main site's access restrictions, and this script gives it none of its own; use the main rules or add SCM rules.`,
      ...(off.fix ? { fix: off.fix } : {}),
    });
  }
}

/** One access-restriction rule added by a command: does it restrict (anything but an allow-all)? */
function addRule(facts: ScriptFacts, scm: boolean, address: FlagValue | undefined, action: FlagValue | undefined): void {
  const allowAll = address !== undefined && known(address) && isAllowAllAddress(address.text) && (!action || action.text.toLowerCase() === 'allow');
  if (allowAll) return;
  if (scm) facts.scmRestricted = true;
  else facts.mainLocked = true;
}

const lastUse = (uses: FlagUse[], ...names: string[]) => [...uses].reverse().find((u) => names.includes(u.name.toLowerCase()));

/** `az webapp|functionapp config access-restriction add|set`. */
function azAccessRestriction(verb: string, uses: FlagUse[], text: string, facts: ScriptFacts): void {
  if (verb === 'add') {
    const scm = lastUse(uses, '--scm-site');
    // A three-state flag: `--scm-site` alone is true.
    const onScm = !!scm && (scm.values.length === 0 || isTrue(scm.values[0].text.toLowerCase()));
    addRule(facts, onScm, lastUse(uses, '--ip-address')?.values[0], lastUse(uses, '--action')?.values[0]);
    return;
  }
  if (verb !== 'set') return;
  const same = lastUse(uses, '--use-same-restrictions-for-scm-site');
  const v = same?.values[0];
  if (same && v && known(v) && isFalse(v.text.toLowerCase())) {
    const range = valueRange(v.word, v.from, v.to);
    const sameLine = text.slice(same.flag.start, v.word.end).indexOf('\n') === -1;
    facts.scmUseMainOff.push({ start: sameLine ? same.flag.start : v.word.start, end: v.word.end, name: same.name, fix: { title: `Set ${same.name} to true`, start: range.start, end: range.end, replacement: 'true' } });
  }
  const main = lastUse(uses, '--default-action')?.values[0];
  if (main && known(main) && main.text.toLowerCase() === 'deny') facts.mainLocked = true;
  const scm = lastUse(uses, '--scm-default-action')?.values[0];
  if (scm && known(scm) && scm.text.toLowerCase() === 'deny') facts.scmRestricted = true;
}

const PS_SCM_SWITCH = '-scmsiteusemainsiterestrictionconfig';

/** `Update-AzWebAppAccessRestrictionConfig` (its switch absent or `:$false` turns the main rules off for SCM) and `Add-AzWebAppAccessRestrictionRule`. */
function psAccessRestriction(cmdlet: string, words: CommandWord[], uses: FlagUse[], facts: ScriptFacts): void {
  const nameWord = words[0];
  if (cmdlet === 'add-azwebappaccessrestrictionrule') {
    addRule(facts, !!lastUse(uses, '-targetscmsite'), lastUse(uses, '-ipaddress')?.values[0], lastUse(uses, '-action')?.values[0]);
    return;
  }
  // -InputObject writes a whole config object read elsewhere, and a splat (@params) may hold the switch: not judged.
  if (lastUse(uses, '-inputobject') || words.some((w) => w.value.startsWith('@'))) return;
  const use = lastUse(uses, PS_SCM_SWITCH);
  if (!use) {
    facts.scmUseMainOff.push({ start: nameWord.start, end: nameWord.end, name: `${nameWord.value} without -ScmSiteUseMainSiteRestrictionConfig` });
    return;
  }
  // A switch takes a value only as `-Switch:$false`; a separate word is a positional argument.
  const v = use.values[0];
  if (!v || v.word !== use.flag || !known(v) || !isFalse(v.text.toLowerCase())) return;
  const range = valueRange(v.word, v.from, v.to);
  facts.scmUseMainOff.push({ start: use.flag.start, end: use.flag.end, name: use.name, fix: { title: `Set ${use.name} to $true`, start: range.start, end: range.end, replacement: '$true' } });
}

// ---- az resource update: which resource ---------------------------------------------------------------

const WEB_SITES = 'microsoft.web/sites/';

/** What a resource id names: a site (or slot), its config 'web', something else, or unknown (a variable). */
function idTarget(id: string): Target | 'other' | undefined {
  const lower = id.toLowerCase();
  const at = lower.indexOf(WEB_SITES);
  let rest: string[];
  if (at !== -1) {
    rest = lower.slice(at + WEB_SITES.length).split('/').filter((p) => p !== '');
    rest.shift(); // the site name
    if (rest[0] === 'slots') rest = rest.slice(2);
  } else if (lower.startsWith('/subscriptions/') && !lower.includes('$') && !lower.includes('%')) return 'other';
  else {
    // `$SITE_ID/config/web`: only the literal tail is known.
    if (lower.endsWith('/config/web')) return 'webConfig';
    return undefined;
  }
  if (rest.length === 0) return 'site';
  if (rest.length === 2 && rest[0] === 'config' && rest[1] === 'web') return 'webConfig';
  return 'other';
}

/** The resource `az resource update|create` works on, from --ids or --resource-type/--namespace/--parent/--name. */
function resourceTarget(uses: FlagUse[]): Target | 'other' | undefined {
  const ids = lastUse(uses, '--ids', '--id');
  if (ids?.values.length) {
    const targets = new Set(ids.values.map((v) => idTarget(v.text)));
    return targets.size === 1 ? [...targets][0] : undefined;
  }
  const typeValue = lastUse(uses, '--resource-type')?.values[0];
  if (!typeValue || !known(typeValue)) return undefined;
  let type = typeValue.text.toLowerCase();
  const ns = lastUse(uses, '--namespace')?.values[0]?.text.toLowerCase();
  const parent = lastUse(uses, '--parent')?.values[0]?.text.toLowerCase();
  const name = lastUse(uses, '--name', '-n')?.values[0]?.text.toLowerCase() ?? '';
  if (!type.includes('/')) {
    if (ns !== 'microsoft.web') return 'other';
    type = parent?.startsWith('sites/') ? `microsoft.web/sites/${type}` : `microsoft.web/${type}`;
  }
  if (type === 'microsoft.web/sites' || type === 'microsoft.web/sites/slots') return 'site';
  if (type === 'microsoft.web/sites/config') return name === 'web' || name.endsWith('/web') ? 'webConfig' : 'other';
  return 'other';
}

/** `az resource update --set properties.httpsOnly=false properties.siteConfig.ftpsState=AllAllowed` on a site. */
function resourceSetChecks(uses: FlagUse[], facts: ScriptFacts, out: RawFinding[]): void {
  let target = resourceTarget(uses);
  if (target === 'other') return;
  if (target === undefined) {
    // An id held in a variable: `properties.siteConfig` exists only on sites.
    const paths = uses.filter((u) => u.name === '--set').flatMap((u) => u.values.map((v) => v.text.toLowerCase()));
    if (!paths.some((p) => p.startsWith('properties.siteconfig.'))) return;
    target = 'site';
  }
  setChecks(uses, target, true, facts, out);
}

const AZ_RESTRICTION_VERBS = new Set(on('config access-restriction add', 'config access-restriction set'));
const PS_RESTRICTION_CMDLETS = ['update-azwebappaccessrestrictionconfig', 'add-azwebappaccessrestrictionrule'];

/** Findings for one command of a script; facts that span commands go to `facts` (see finishScript). */
export function checkCommand(c: Command, text: string, out: RawFinding[], facts: ScriptFacts = newScriptFacts()): void {
  const words = commandWords(c);
  if (words.length < 2 || words[0].dynamic) return;
  const program = programName(words[0]);
  if (AZ_NAMES.has(program)) {
    // The command path: positional words up to the first flag (`webapp config set`).
    let i = 1;
    const path: string[] = [];
    while (i < words.length && !words[i].value.startsWith('-') && path.length < 4) path.push(words[i++].value.toLowerCase());
    const uses = parseFlags(words, i, false);
    const sub = path.join(' ');
    runChecks(AZ_CHECKS, sub, uses, text, out);
    if (sub === 'webapp update' || sub === 'functionapp update') setChecks(uses, 'site', false, facts, out);
    else if (sub === 'webapp config set' || sub === 'functionapp config set') genericConfigChecks(uses, out);
    else if (AZ_RESTRICTION_VERBS.has(sub)) azAccessRestriction(path[path.length - 1], uses, text, facts);
    const settingsFlags = SETTINGS_FLAGS.get(sub);
    if (settingsFlags) settingsChecks(settingsFlags, uses, out);
    if (sub === 'resource update' || sub === 'resource create') resourceSetChecks(uses, facts, out);
    if (sub.startsWith('resource ') || sub === 'rest') basicAuthChecks(words, sub, uses, text, out);
    return;
  }
  if (PS_CMDLETS.includes(program)) runChecks(PS_CHECKS, program, parseFlags(words, 1, true), text, out);
  else if (PS_RESTRICTION_CMDLETS.includes(program)) psAccessRestriction(program, words, parseFlags(words, 1, true), facts);
}

/** Every rule id a command can be reported under, read from the checks themselves. */
export const azCommandRuleIds: readonly string[] = [
  ...new Set([...[...AZ_CHECKS, ...PS_CHECKS, ...Object.values(SITE_PROPERTIES), ...Object.values(CONFIG_PROPERTIES)].map((c) => c.ruleId), ...Object.values(POLICY_RULE), SCM_EXPOSED, DETAILED_ERRORS]),
];
