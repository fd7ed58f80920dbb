// Imperative App Service configuration in commands: Azure CLI (`az webapp ...`, `az functionapp ...`,
// `az resource update`, `az rest`) and Az PowerShell (`Set-AzWebApp`, `Set-AzWebAppSlot`). Findings carry the
// SAME rule ids as the IaC properties they mirror, so suppressions, docs and posture agree. A value that holds a
// variable or substitution is unknown until the script runs and is never reported.

import type { RawFinding, TextFix } from '../../model';
import { valueRange, type Command, type CommandWord } from '../../commandLine';
import { BASIC_AUTH_FTP, BASIC_AUTH_SCM } from '../appservice/basicAuth';
import { CORS_WILDCARD } from '../appservice/cors';
import { FTPS } from '../appservice/ftps';
import { HTTP2 } from '../appservice/http2';
import { HTTPS_ONLY } from '../appservice/httpsOnly';
import { MIN_TLS } from '../appservice/minTls';
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

/** '1.0', '1.1', '1' (quotes already removed) are below 1.2; anything else is not judged. */
function weakTls(v: string): boolean {
  return v === '1' || v === '1.0' || v === '1.1';
}

const WEB = ['webapp', 'functionapp'];
const on = (...verbs: string[]) => WEB.flatMap((g) => verbs.map((v) => `${g} ${v}`));

const AZ_CHECKS: FlagCheck[] = [
  { ruleId: HTTPS_ONLY, commands: on('update', 'create'), flags: ['--https-only'], bad: isFalse, good: boolText(true), why: 'turns HTTPS-only off, so the app accepts plain HTTP' },
  { ruleId: MIN_TLS, commands: on('config set'), flags: ['--min-tls-version'], bad: weakTls, good: () => '1.2', why: 'lets clients use deprecated TLS 1.0/1.1' },
  { ruleId: FTPS, commands: on('config set'), flags: ['--ftps-state'], bad: (v) => v === 'allallowed', good: () => 'Disabled', why: 'allows plain, unencrypted FTP for deployment' },
  { ruleId: REMOTE_DEBUG, commands: on('config set'), flags: ['--remote-debugging-enabled'], bad: isTrue, good: boolText(false), why: 'turns remote debugging on in the deployed app' },
  { ruleId: HTTP2, commands: on('config set'), flags: ['--http20-enabled'], bad: isFalse, good: boolText(true), why: 'turns HTTP/2 off' },
  { ruleId: CORS_WILDCARD, commands: on('cors add'), flags: ['--allowed-origins', '-a'], bad: (v) => v === '*', why: 'lets any web site call the app from a browser', anyValue: true },
];

const PS_CMDLETS = ['set-azwebapp', 'set-azwebappslot'];
const PS_CHECKS: FlagCheck[] = [
  { ruleId: HTTPS_ONLY, commands: PS_CMDLETS, flags: ['-httpsonly'], bad: isFalse, good: () => '$true', why: 'turns HTTPS-only off, so the app accepts plain HTTP' },
  { ruleId: MIN_TLS, commands: PS_CMDLETS, flags: ['-mintlsversion'], bad: weakTls, good: () => '1.2', why: 'lets clients use deprecated TLS 1.0/1.1' },
  { ruleId: FTPS, commands: PS_CMDLETS, flags: ['-ftpsstate'], bad: (v) => v === 'allallowed', good: () => 'Disabled', why: 'allows plain, unencrypted FTP for deployment' },
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

/** Every rule id a command can be reported under, read from the checks themselves. */
export const azCommandRuleIds: readonly string[] = [...new Set([...AZ_CHECKS, ...PS_CHECKS].map((c) => c.ruleId)), ...Object.values(POLICY_RULE)];
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

/** Findings for one command of a script. */
export function checkCommand(c: Command, text: string, out: RawFinding[]): void {
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
    if (sub.startsWith('resource ') || sub === 'rest') basicAuthChecks(words, sub, uses, text, out);
    return;
  }
  if (PS_CMDLETS.includes(program)) runChecks(PS_CHECKS, program, parseFlags(words, 1, true), text, out);
}
