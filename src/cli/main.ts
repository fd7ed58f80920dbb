import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BaselineError, createBaseline, parseBaseline, type Baseline } from '../core/baseline';
import { decodeBytes } from '../core/binary';
import { CONFIG_FILE_NAME, ConfigError, emptyConfig, FAIL_ON, failsAt, isFailOn, type FailOn, parseConfig, type ProjectConfig } from '../core/config';
import { createScanProfile, type ScanProfile, type ScanProfileSources } from '../core/profile';
import { allRules } from '../core/rules';
import { toSarif } from '../core/sarif';
import { formatJson, formatText, printable, skippedLines } from './output';
import { isInside, readRepoFile, RepoFileError } from './repoFile';
import { ruleErrorLines } from './ruleErrors';
import { loadPosture } from './postureLoader';
import { errorMessage, runScanWorkerIfAny, scanPaths, scanPathsParallel, type ScanRequest, type ScanSummary } from './scan';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const USAGE = `Usage: azure-secure-dev <command> [options]

Commands:
  scan [paths...]       Scan files and folders for inline secrets and insecure App Service settings
  baseline [paths...]   Write a baseline of the current findings (use with scan --baseline)
  posture               Live security posture of App Service apps from Azure Resource Manager
  rules                 List the rules

Options for scan and baseline:
  --format text|json|sarif   Output format (default text)
  --output FILE              Write the report to FILE instead of standard output. Inside a scanned folder or
                             the current folder, FILE and the folders on its way must not be symbolic links
                             (exit 2), so a repository cannot redirect the report; a link outside both is
                             followed, as you named it
  --baseline FILE            Do not report findings listed in this baseline
  --config FILE              Project config (default: ${CONFIG_FILE_NAME} in the first folder scanned)
  --max-file-size KB         Skip larger files and report them as skipped (default 4096)
  --no-inline-suppressions   Ignore azure-secure-dev-ignore comments
  --no-color                 Plain text output
  --verbose                  List every info finding in text output (by default they are summed up per rule)
  --jobs N                   Threads for large trees (default: one per core from 4 cores on, at most 4;
                             one thread below 4 cores, where threads were measured slower)
  --fail-on error|warning|info|hint|none
                             Lowest severity that makes scan exit 1 (default warning; the config's
                             "failOn" sets it too). Lower findings are still reported.

Options for posture:
  --app <resource id>        An app or slot to check (repeatable); an app's deployment slots are checked too
  --no-slots                 Do not add the deployment slots of the apps given with --app
  --subscription <id>        Check every app and deployment slot of the subscription (repeatable)
  --format text|json|jsonl|sarif  Output format (default text); jsonl streams one app per line, then a summary line
  --iac DIR                  Link each check to the Bicep, ARM or Terraform in DIR that declares the app
                             (file and line, declared vs deployed value, drift); without it no files are read
  --cloud AzureCloud|AzureChinaCloud|AzureUSGovernment
  --arm-endpoint <url>       Custom Resource Manager endpoint (Azure Stack Hub and other custom clouds)
  --management-group <id>    Check every app and slot of the group's subscriptions (repeatable)
  --checks RULE,...          Only these rule ids; 'resource-graph' = the checks Resource Graph alone answers
                             (no per-app call: the fast tenant-wide sweep)
  --time-budget SECONDS      Stop making calls after this long; checks still waiting are reported unknown
  Subscriptions and management groups are read through Azure Resource Graph; per-app calls are paced to
  Resource Manager's throttling limits. Progress goes to standard error.
  --config FILE              Project config whose "rules" levels apply (default: ${CONFIG_FILE_NAME} in the
                             current folder, if any)
  Signs in with DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, azd);
  set AZURE_TOKEN_CREDENTIALS to narrow it (for example AzureCliCredential).

Exit codes: 0 no problems at or above --fail-on, 1 problems found, 2 error (bad arguments, config, unreadable paths, Azure errors).`;

class UsageError extends Error {}

const SCAN_OPTIONS = ['--format', '--output', '--baseline', '--config', '--max-file-size', '--no-inline-suppressions', '--no-color', '--verbose', '--jobs', '--fail-on', '--help', '--version'];
const POSTURE_OPTIONS = ['--app', '--subscription', '--format', '--cloud', '--arm-endpoint', '--iac', '--config', '--management-group', '--checks', '--time-budget', '--no-slots'];

/** Node's argument-parser errors in our words: the flag, and the closest valid one. */
function argumentError(e: unknown, known: readonly string[]): string {
  const code = (e as { code?: string }).code;
  const flag = /'(-[^']*)'/.exec(errorMessage(e))?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const name = flag.split('=')[0];
    const close = closest(name, known);
    return `unknown option ${printable(name.slice(0, 40))}${close ? ` (did you mean ${close}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) return `option ${printable(flag.split(' ')[0].slice(0, 40))} needs a value`;
  return errorMessage(e);
}

/** The known option within edit distance 3 of `name`, if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  try {
    if (argv[0] === 'posture') throw new UsageError('posture is asynchronous: call mainAsync');
    return run(argv, out, err) as number;
  } catch (e) {
    return reportError(e, err);
  }
}

/** Like main(), with the commands that talk to Azure. */
export async function mainAsync(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    // Large trees are scanned by worker threads running this same bundle.
    if (argv[0] !== 'posture') return await run(argv, out, err, (req, profile) => scanPathsParallel(req, __filename, profile));
    return await posture(argv.slice(1), out, err);
  } catch (e) {
    return reportError(e, err);
  }
}

function reportError(e: unknown, err: NodeJS.WritableStream): number {
  // One line that stays on screen, not the whole help after it.
  if (e instanceof UsageError) err.write(`azure-secure-dev: ${e.message}\nRun 'azure-secure-dev --help' for the commands and options.\n`);
  else if (e instanceof ConfigError || e instanceof BaselineError) err.write(`azure-secure-dev: ${e.message}\n`);
  else err.write(`azure-secure-dev: ${errorMessage(e)}\n`);
  return 2;
}

async function posture(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        app: { type: 'string', multiple: true, default: [] },
        subscription: { type: 'string', multiple: true, default: [] },
        format: { type: 'string', default: 'text' },
        cloud: { type: 'string', default: 'AzureCloud' },
        'arm-endpoint': { type: 'string' },
        iac: { type: 'string' },
        'no-slots': { type: 'boolean' },
        'management-group': { type: 'string', multiple: true, default: [] },
        checks: { type: 'string' },
        'time-budget': { type: 'string' },
        config: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(argumentError(e, POSTURE_OPTIONS));
  }
  const v = parsed.values;
  const apps = v.app ?? [];
  const subscriptions = v.subscription ?? [];
  const managementGroups = v['management-group'] ?? [];
  if (!apps.length && !subscriptions.length && !managementGroups.length) throw new UsageError('posture needs --app <resource id>, --subscription <id> or --management-group <id>');
  const cloud = v.cloud ?? 'AzureCloud';
  if (cloud !== 'AzureCloud' && cloud !== 'AzureChinaCloud' && cloud !== 'AzureUSGovernment') throw new UsageError(`--cloud must be AzureCloud, AzureChinaCloud or AzureUSGovernment, not "${cloud}"`);
  const format = v.format;
  if (format !== 'text' && format !== 'json' && format !== 'jsonl' && format !== 'sarif') throw new UsageError('--format for posture must be text, json, jsonl or sarif');
  const { CredentialSelectionError, formatPostureSummary, invalidPostureTarget, postureJsonlLine, postureJsonlSummary, progressReporter, runPosture, SignInError, resolveChecks, postureChecks, DeployedValues, formatPostureReport, iacNotes, loadIacFolder } = loadPosture();
  // Before any Azure call: a mistyped id is the user's to fix, not a request for Azure to refuse.
  const invalid = invalidPostureTarget(apps, subscriptions, managementGroups);
  if (invalid) throw new UsageError(invalid);
  let checks: string[] | undefined;
  if (v.checks !== undefined) {
    const r = resolveChecks(v.checks.split(','));
    if ('unknown' in r) {
      const close = closest(r.unknown.toUpperCase(), postureChecks.map((m) => m.ruleId));
      throw new UsageError(`--checks: unknown rule id ${printable(r.unknown.slice(0, 60))}${close ? ` (did you mean ${close}?)` : ''}`);
    }
    if (!r.ids.length) throw new UsageError('--checks needs at least one rule id');
    checks = r.ids;
  }
  let timeBudgetMs: number | undefined;
  if (v['time-budget'] !== undefined) {
    const seconds = Number(v['time-budget']);
    if (!(seconds > 0 && seconds <= 86_400)) throw new UsageError('--time-budget must be a number of seconds from 1 to 86400');
    timeBudgetMs = seconds * 1000;
  }
  // Read before signing in: a mistyped folder fails fast (exit 2). Without --iac no file is read.
  const iac = v.iac === undefined ? undefined : loadIacFolder(v.iac);
  // Rule levels as in the editor and scan: a rule turned off is left out, a default-off rule is turned on.
  const { config } = loadConfig(v.config, '.');
  const deployed = new DeployedValues();
  const progress = progressReporter(err);
  let result;
  try {
    result = await runPosture(
      { apps, subscriptions, managementGroups, cloud, armEndpoint: v['arm-endpoint'], ...(checks ? { checks } : {}), ...(timeBudgetMs ? { timeBudgetMs } : {}), observe: deployed.observe, levels: config.rules, ...(v['no-slots'] ? { slots: false } : {}) },
      {
        onProgress: (p) => progress.update(p),
        onWarning: (m) => err.write(`azure-secure-dev: warning: ${m}\n`),
        ...(v.format === 'jsonl' ? { onReport: (r) => out.write(postureJsonlLine(r)) } : {}),
      },
    );
  } catch (e) {
    if (e instanceof CredentialSelectionError) throw new UsageError(e.message);
    if (e instanceof SignInError) {
      err.write(`azure-secure-dev: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  progress.done();
  if (format === 'jsonl') out.write(postureJsonlSummary(result));
  else out.write(formatPostureReport(format, result, VERSION, iac, deployed));
  for (const e of result.errors) err.write(`azure-secure-dev: ${printable(e.app)}: ${e.message}\n`);
  for (const e of result.scopeErrors ?? []) err.write(`azure-secure-dev: ${printable(e.scope)}: ${e.message}\n`);
  for (const line of iac ? iacNotes(iac) : []) err.write(`azure-secure-dev: ${printable(line)}\n`);
  if (format === 'text') out.write(formatPostureSummary(result));
  if (result.errors.length || result.scopeErrors?.length) return 2;
  // Streamed runs keep no reports: the summary counts them.
  return result.reports.some((r) => r.checks.some((c) => c.status === 'fail')) || (result.summary?.failing ?? 0) > 0 ? 1 : 0;
}

type Scanner = (req: ScanRequest, profile: ScanProfile) => ScanSummary | Promise<ScanSummary>;

function run(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, scanner: Scanner = scanPaths): number | Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string', short: 'o' },
        baseline: { type: 'string' },
        config: { type: 'string' },
        'max-file-size': { type: 'string' },
        'no-inline-suppressions': { type: 'boolean', default: false },
        'no-color': { type: 'boolean', default: false },
        jobs: { type: 'string' },
        'fail-on': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(argumentError(e, SCAN_OPTIONS));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    out.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (values.help || !command) {
    out.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'rules') {
    for (const r of allRules) out.write(`${r.id.padEnd(34)} ${r.severity.padEnd(7)} ${r.tag.padEnd(16)} ${r.title}${r.defaultOff ? ' (off by default)' : ''}\n`);
    return 0;
  }
  if (command !== 'scan' && command !== 'baseline') throw new UsageError(`unknown command "${command}"`);
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const targets = paths.length ? paths : ['.'];
  for (const t of targets) {
    try {
      fs.accessSync(t, fs.constants.R_OK);
    } catch (e) {
      err.write(`azure-secure-dev: cannot read ${t}: ${errorMessage(e)}\n`);
      return 2;
    }
  }

  const writeGuard = values.output === undefined ? undefined : checkOutputPath(values.output, targets);
  const failOnFlag = values['fail-on'];
  if (failOnFlag !== undefined && !isFailOn(failOnFlag)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${printable(failOnFlag.slice(0, 20))}"`);
  const failOnArg: FailOn | undefined = failOnFlag;
  const { config, configDir } = loadConfig(values.config, targets[0]);
  let maxKb: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxKb = Number(values['max-file-size']);
    if (!(maxKb > 0)) throw new UsageError('--max-file-size must be a positive number of KB');
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError('--jobs must be a whole number from 1 to 64');
  }
  let baseline: Baseline | undefined;
  if (command === 'scan' && values.baseline !== undefined) baseline = parseBaseline(readChosenFile(values.baseline, 'baseline', BASELINE_MAX_BYTES), values.baseline);
  else if (command === 'scan' && config.baseline) {
    const named = resolveInside(configDir, config.baseline, 'baseline');
    baseline = parseBaseline(readChosenFile(named, 'baseline', BASELINE_MAX_BYTES, configDir), named);
  }

  const sources: ScanProfileSources = {
    project: config,
    overrides: { ...(maxKb === undefined ? {} : { maxFileSizeBytes: maxKb * 1024 }), noInlineSuppressions: values['no-inline-suppressions'] },
  };
  const profile = createScanProfile(sources);
  // A refused pattern never runs: say so, or a CI run would look clean for the wrong reason.
  for (const r of profile.rejectedPatterns) err.write(`azure-secure-dev: custom pattern ${printable(r.id.slice(0, 80))} is not used: ${r.reason}\n`);
  const scanned = scanner({ paths: targets, profile: sources, baseline, ...(jobs ? { jobs } : {}) }, profile);
  return scanned instanceof Promise ? scanned.then(finish) : finish(scanned);

  function finish(summary: ScanSummary): number {
  let report: string;
  if (command === 'baseline') {
    report = JSON.stringify(createBaseline(summary.files), null, 2) + '\n';
  } else if (format === 'json') {
    report = formatJson(summary);
  } else if (format === 'sarif') {
    const rootUri = pathToFileUri(path.resolve(fs.statSync(targets[0]).isFile() ? path.dirname(targets[0]) : targets[0]));
    report = JSON.stringify(toSarif(summary.files, [...allRules, ...(profile.options.extraRules ?? [])], { version: VERSION, rootUri }), null, 2) + '\n';
  } else {
    const color = !values['no-color'] && !values.output && !process.env.NO_COLOR && (out as NodeJS.WriteStream).isTTY === true;
    report = formatText(summary, color, values.verbose);
  }
  if (values.output !== undefined) writeReport(values.output, report, writeGuard === 'no-links');
  else out.write(report);
  if (format !== 'text' || values.output) {
    // Errors and skipped files must be visible even when the report goes elsewhere.
    for (const e of summary.errors) err.write(`azure-secure-dev: ${printable(e.path)}: ${printable(e.message)}\n`);
    for (const l of skippedLines(summary)) err.write(`azure-secure-dev: ${l}\n`);
  }
  // A crashed rule is a finding in the report and, whatever the format, a line for whoever reads the run's log.
  for (const l of ruleErrorLines(summary.ruleErrors)) err.write(`${l}\n`);
  if (summary.errors.length) return 2;
  if (command === 'baseline') return 0;
  const failOn = failOnArg ?? config.failOn ?? 'warning';
  return summary.files.some((f) => f.findings.some((x) => failsAt(x.severity, failOn))) ? 1 : 0;
  }
}

/** Far above any real config (thousands of globs are ~100 KB); a repository cannot make the CLI read more. */
const CONFIG_MAX_BYTES = 4 * 1024 * 1024;
/** About 400,000 baseline entries. */
const BASELINE_MAX_BYTES = 64 * 1024 * 1024;

function loadConfig(explicit: string | undefined, firstTarget: string): { config: ProjectConfig; configDir: string } {
  if (explicit) return { config: parseConfig(readChosenFile(explicit, 'config', CONFIG_MAX_BYTES), explicit), configDir: path.dirname(path.resolve(explicit)) };
  const dir = scannedFolder(firstTarget);
  const candidate = path.join(dir, CONFIG_FILE_NAME);
  // lstat: a dangling symlink is a config the repository tried to plant, not an absent one.
  if (lstatOrUndefined(candidate)) return { config: parseConfig(readChosenFile(candidate, 'config', CONFIG_MAX_BYTES, dir), candidate), configDir: dir };
  return { config: emptyConfig(), configDir: dir };
}

/** The folder a target stands for: itself, or the folder of a file. */
function scannedFolder(target: string): string {
  return path.resolve(fs.statSync(target).isFile() ? path.dirname(target) : target);
}

/**
 * A path named by a config file must stay inside the config's folder: a repository cannot point the CLI
 * elsewhere with '..'. Symlinks are checked when the file is read (readRepoFile).
 */
function resolveInside(dir: string, rel: string, what: string): string {
  const abs = path.resolve(dir, rel);
  if (!isInside(abs, dir)) throw new ConfigError(`${what} path "${rel}" in the config file points outside ${dir}; refusing to read it`);
  return abs;
}

/**
 * The text of a config or baseline file. With `root` (the repository chose the file) it must really lie
 * inside root and be a regular file; the size cap applies either way.
 */
function readChosenFile(p: string, what: string, maxBytes: number, root?: string): string {
  let bytes: Buffer;
  try {
    bytes = readRepoFile(p, { root, maxBytes });
  } catch (e) {
    if (!(e instanceof RepoFileError)) throw e;
    if (e.reason === 'unreadable') throw new ConfigError(`cannot read ${what} file ${p}: ${e.message}`);
    throw new ConfigError(`${what} file ${p} ${e.message}; refusing to read it`);
  }
  // Decoded like scanned files: PowerShell's Out-File writes UTF-16.
  const decoded = decodeBytes(bytes);
  if ('skipped' in decoded) throw new ConfigError(`${what} file ${p} is not text (${decoded.skipped})`);
  return decoded.text;
}

/**
 * The --output rule, checked before scanning: inside a scanned folder or the current folder (where a
 * repository can plant symlinks) neither the file nor a folder on its way may be a symlink; returns
 * 'no-links' so the write also refuses a link created since. Outside them the user's path is followed.
 */
function checkOutputPath(output: string, targets: string[]): 'no-links' | 'follow' {
  const abs = path.resolve(output);
  const parent = path.dirname(abs);
  const realParent = realpathOrUndefined(parent);
  // Not the file system root (a container's working folder): every path would be "inside" it, /tmp links included.
  const roots = [...targets.map(scannedFolder), process.cwd()].filter((r) => path.dirname(r) !== r);
  let guarded = false;
  for (const root of roots) {
    const realRoot = realpathOrUndefined(root) ?? root;
    if (isInside(abs, root)) {
      guarded = true;
      // The real parent must be the lexical one moved onto the real root: otherwise a folder on the way is a link.
      if (realParent !== undefined && realParent !== path.join(realRoot, path.relative(root, parent))) throw outputRefused(output, 'goes through a symbolic link');
    } else if (realParent !== undefined && isInside(realParent, realRoot)) guarded = true;
  }
  if (!guarded) return 'follow';
  if (lstatOrUndefined(abs)?.isSymbolicLink()) throw outputRefused(output, 'is a symbolic link');
  return 'no-links';
}

function outputRefused(output: string, what: string): Error {
  return new Error(
    `--output ${printable(output)} ${what} inside the scanned folder or the current folder; refusing to write through it. Remove the link, or name a file outside both.`,
  );
}

function writeReport(output: string, report: string, noLinks: boolean): void {
  if (!noLinks) {
    fs.writeFileSync(output, report);
    return;
  }
  let fd: number;
  try {
    // The normalised path is the one checked ('link/..' would be resolved through the link by the kernel).
    // O_NOFOLLOW: a link planted after checkOutputPath fails with ELOOP instead of being written through.
    fd = fs.openSync(path.resolve(output), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0), 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw outputRefused(output, 'is a symbolic link');
    throw e;
  }
  try {
    fs.writeFileSync(fd, report);
  } finally {
    fs.closeSync(fd);
  }
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function pathToFileUri(p: string): string {
  return 'file://' + p.split(path.sep).map(encodeURIComponent).join('/').replace(/^([^/])/, '/$1');
}

if (runScanWorkerIfAny()) {
  // A scan worker: it posted its results and ends.
} else if (require.main === module) {
  void mainAsync(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
