// npm run bench:realcode — detection and speed on real code that no one on this project wrote.
//
// Trees (pinned, in bench/realcode/):
//   npm       the published packages in packages.json, installed with `npm ci --ignore-scripts` (lockfile
//             package-lock.json pins every transitive version) into bench/.data/realcode/npm, reused when present.
//   <name>    public Azure repositories from trees.json, each pinned by commit and extracted with `git archive`
//             from a local bare mirror (REALCODE_MIRRORS, default /work/.mirror/<owner>+<name>/repo). A tree
//             whose mirror is absent is skipped with a note, never a failure.
// Each tree is scanned by the built CLI exactly as a user runs it (`node dist/cli.js scan --format json`) and
// timed next to ripgrep with the pattern set of `npm run bench` (bench/ripgrep.ts).
//
// Output: files, MiB, findings per rule × severity per tree; every finding not listed in expectations.json
// as `path:line rule severity snippet` (secret values masked with maskSecret); then the verdict
//   unexpected: N above hint, M hints (K per 1,000 files)
// The goal (issue 10) is N = 0 and K <= 1: every finding left is either a documented example credential
// (expectations.json, with the reason) or a bug. Always exits 0: this is a measurement, not a test.
//
// Options: tree names to run only those (`npm run bench:realcode -- npm azure-dev`); --no-speed skips the
// timing; --json FILE also writes the unexpected findings (masked) for further sorting.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchGlob } from '../src/core/glob';
import { maskRanges } from '../src/core/mask';
import { ripgrepVersion, timeCommand, timeRipgrep } from './ripgrep';

const ROOT = path.resolve(__dirname, '..');
const SPEC = path.join(ROOT, 'bench', 'realcode');
// Resolved: bench/.data may be a link (worktrees share one), and the CLI refuses to write --output through a link.
const DATA = path.join(fs.realpathSync(path.join(ROOT, 'bench', '.data')), 'realcode');
const MIRRORS = process.env.REALCODE_MIRRORS ?? '/work/.mirror';
const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;

interface TreeSpec {
  name: string;
  /** owner/name on GitHub. */
  repo: string;
  commit: string;
  /** Only these folders of the repository (default: all of it). */
  paths?: string[];
}

interface Expectation {
  tree: string;
  /** A path or a glob (`examples/**`) relative to the tree, as in ignorePaths. */
  path: string;
  rule: string;
  /** example: a documented example or test credential; true-positive: a correct finding that must stay. */
  kind: 'example' | 'true-positive';
  /** The finding's fingerprint (rule + hash of the value): one value, wherever it moves in the file. */
  fingerprint?: string;
  reason: string;
}

interface JsonFinding {
  ruleId: string;
  severity: (typeof SEVERITIES)[number];
  confidence: string;
  tag: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
}

interface JsonReport {
  files: { path: string; findings: JsonFinding[] }[];
  summary: { scannedFiles: number; skipped: unknown[]; errors: unknown[] };
}

interface Unexpected {
  tree: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  confidence: string;
  fingerprint: string;
  snippet: string;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function run(cmd: string, args: string[], cwd: string): boolean {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

/** The npm tree: installed once from the checked-in manifest and lockfile, without install scripts. */
function ensureNpmTree(): string | undefined {
  const dir = path.join(DATA, 'npm');
  const root = path.join(dir, 'node_modules');
  const lock = fs.readFileSync(path.join(SPEC, 'package-lock.json'), 'utf8');
  const marker = path.join(dir, '.realcode-installed');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lock) return root;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(SPEC, 'packages.json'), path.join(dir, 'package.json'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
  console.log('installing the pinned packages (npm ci --ignore-scripts) ...');
  if (!run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir)) {
    console.log('npm ci failed: skipping the npm tree');
    return undefined;
  }
  fs.writeFileSync(marker, lock);
  return root;
}

/** A repository tree at its pinned commit, from the local mirror; undefined (with a note) when there is none. */
function ensureRepoTree(spec: TreeSpec): string | undefined {
  const dir = path.join(DATA, spec.name);
  const marker = path.join(dir, '.realcode-commit');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === spec.commit) return dir;
  const gitDir = path.join(MIRRORS, spec.repo.replace('/', '+'), 'repo');
  const has = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '-e', `${spec.commit}^{commit}`]);
  if (has.status !== 0) {
    console.log(`${spec.name}: no mirror of ${spec.repo} at ${spec.commit.slice(0, 12)} under ${MIRRORS}: skipped`);
    return undefined;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A mirror may lack its largest blobs: leave those files out (git archive would stop at the first one).
  const listed = spawnSync('git', [`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', spec.commit, '--', ...(spec.paths ?? [])], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const entries = listed.stdout.split('\0').filter(Boolean).map((e) => ({ oid: e.split(/\s/)[2], path: e.slice(e.indexOf('\t') + 1) }));
  const check = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: entries.map((e) => e.oid).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  const missing = new Set(check.stdout.split('\n').filter((l) => l.endsWith(' missing')).map((l) => l.split(' ')[0]));
  const excluded = entries.filter((e) => missing.has(e.oid)).map((e) => `:(exclude,literal)${e.path}`);
  if (excluded.length) console.log(`${spec.name}: ${excluded.length} files absent from the mirror, left out`);
  // Piped straight into tar: some trees are larger than a child-process buffer.
  const script = 'git --git-dir="$1" archive "$2" -- "${@:4}" | tar -x -C "$3"';
  const pathspec = [...(spec.paths ?? (excluded.length ? ['.'] : [])), ...excluded];
  const extract = spawnSync('bash', ['-o', 'pipefail', '-c', script, 'extract', gitDir, spec.commit, dir, ...pathspec], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (extract.status !== 0) {
    process.stdout.write(extract.stderr);
    console.log(`${spec.name}: could not extract ${spec.repo} at ${spec.commit.slice(0, 12)}: skipped`);
    return undefined;
  }
  fs.writeFileSync(marker, spec.commit);
  return dir;
}

/** What the CLI reads: every file it would scan, with the CLI's own size limit, for the MiB figure. */
function treeBytes(dir: string): number {
  let bytes = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') stack.push(p);
      } else if (e.isFile()) {
        const size = fs.statSync(p).size;
        if (size <= 4096 * 1024) bytes += size;
      }
    }
  }
  return bytes;
}

/**
 * The finding's line with every secret on it masked (maskSecret via maskRanges), cut to a short window
 * around the finding: enough to see the shape (`password = opts.pwd`), never a value.
 */
function maskedSnippet(lines: string[], f: JsonFinding, sameLine: JsonFinding[]): string {
  const text = lines[f.line - 1] ?? '';
  const secretRanges = sameLine
    .filter((o) => o.tag === 'secret')
    .map((o) => ({ start: o.column - 1, end: o.endLine > o.line ? text.length : o.endColumn - 1 }));
  const masked = maskRanges(text, secretRanges);
  // Offsets move once values are masked: find the finding's start again in the masked line.
  const before = maskRanges(text.slice(0, f.column - 1), secretRanges.filter((r) => r.end <= f.column - 1));
  const at = before.length;
  const from = Math.max(0, at - 50);
  const to = Math.min(masked.length, at + (f.tag === 'secret' ? 40 : 80));
  return `${from > 0 ? '…' : ''}${masked.slice(from, to).replace(/\s+/g, ' ').trim()}${to < masked.length ? '…' : ''}`;
}

/** The trees a previous run installed or extracted at their pinned versions (for `npm run bench`), installing nothing. */
export function installedRealcodeTrees(): { name: string; dir: string }[] {
  const trees: { name: string; dir: string }[] = [];
  const npmMarker = path.join(DATA, 'npm', '.realcode-installed');
  if (fs.existsSync(npmMarker) && fs.readFileSync(npmMarker, 'utf8') === fs.readFileSync(path.join(SPEC, 'package-lock.json'), 'utf8')) {
    trees.push({ name: 'npm', dir: path.join(DATA, 'npm', 'node_modules') });
  }
  for (const spec of readJson<TreeSpec[]>(path.join(SPEC, 'trees.json'))) {
    const marker = path.join(DATA, spec.name, '.realcode-commit');
    if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === spec.commit) trees.push({ name: spec.name, dir: path.join(DATA, spec.name) });
  }
  return trees;
}

/** Bytes the CLI reads in these trees (for MiB/s figures). */
export function realcodeBytes(trees: readonly { dir: string }[]): number {
  return trees.reduce((n, t) => n + treeBytes(t.dir), 0);
}

function main(): void {
  const args = process.argv.slice(2);
  const noSpeed = args.includes('--no-speed');
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const only = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));

  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || process.env.REALCODE_BUILD !== '0') {
    if (!run('npm', ['run', '--silent', 'build'], ROOT)) throw new Error('build failed');
  }
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const expectations = readJson<Expectation[]>(path.join(SPEC, 'expectations.json'));
  const used = new Set<Expectation>();
  const repoTrees = readJson<TreeSpec[]>(path.join(SPEC, 'trees.json'));
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const rgVersion = noSpeed ? undefined : ripgrepVersion();

  console.log('Azure Secure Dev on real code (bench/realcode): findings per tree, then the verdict\n');
  const trees: { name: string; dir: string }[] = [];
  if (wanted('npm')) {
    const dir = ensureNpmTree();
    if (dir) trees.push({ name: 'npm', dir });
  }
  for (const spec of repoTrees) {
    if (!wanted(spec.name)) continue;
    const dir = ensureRepoTree(spec);
    if (dir) trees.push({ name: spec.name, dir });
  }

  const unexpected: Unexpected[] = [];
  const totals = new Map<string, Record<string, number>>();
  let allFiles = 0;
  let allBytes = 0;
  let cliMs = 0;
  let rgMs = 0;
  for (const tree of trees) {
    const reportFile = path.join(DATA, `${tree.name}.report.json`);
    // Never read a report left by an earlier run: a scan that fails (exit 2) must show, not its stale result.
    fs.rmSync(reportFile, { force: true });
    const timed = timeCommand(process.execPath, [cli, 'scan', tree.dir, '--format', 'json', '--fail-on', 'none', '--output', reportFile]);
    if (timed.status !== 0 || !fs.existsSync(reportFile)) {
      console.log(`── ${tree.name}: the CLI failed (exit ${timed.status}); no report`);
      continue;
    }
    const report = readJson<JsonReport>(reportFile);
    const bytes = treeBytes(tree.dir);
    const files = report.summary.scannedFiles;
    allFiles += files;
    allBytes += bytes;
    let speed = '';
    if (rgVersion) {
      const rg = timeRipgrep(tree.dir);
      cliMs += timed.ms;
      rgMs += rg.ms;
      speed = `, CLI / ripgrep throughput ${(rg.ms / timed.ms).toFixed(2)}`;
    }
    console.log(`── ${tree.name}: ${files} files scanned, ${(bytes / 1048576).toFixed(1)} MiB, CLI exit ${timed.status}${speed}`);

    const counts = new Map<string, Record<string, number>>();
    let treeUnexpected = 0;
    const treeExpected = { example: 0, 'true-positive': 0 };
    for (const file of report.files) {
      let lines: string[] | undefined;
      for (const f of file.findings) {
        const row = counts.get(f.ruleId) ?? Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
        row[f.severity]++;
        counts.set(f.ruleId, row);
        const total = totals.get(f.ruleId) ?? Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
        total[f.severity]++;
        totals.set(f.ruleId, total);
        const expected = expectations.find(
          (e) => e.tree === tree.name && e.rule === f.ruleId && (e.path === file.path || matchGlob(file.path, e.path)) && (!e.fingerprint || e.fingerprint === f.fingerprint),
        );
        if (expected) {
          used.add(expected);
          treeExpected[expected.kind]++;
          continue;
        }
        lines ??= fs.readFileSync(path.join(tree.dir, file.path), 'utf8').split(/\r?\n/);
        const sameLine = file.findings.filter((o) => o.line === f.line);
        unexpected.push({ tree: tree.name, path: file.path, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, rule: f.ruleId, severity: f.severity, confidence: f.confidence, fingerprint: f.fingerprint, snippet: maskedSnippet(lines, f, sameLine) });
        treeUnexpected++;
      }
    }
    printCounts(counts);
    console.log(`   expected: ${treeExpected.example} documented example or test credentials, ${treeExpected['true-positive']} correct findings; unexpected: ${treeUnexpected}`);
  }

  console.log('\n── all trees: findings per rule and severity');
  printCounts(totals);

  const order = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  unexpected.sort((a, b) => order(a.severity) - order(b.severity) || a.rule.localeCompare(b.rule) || a.tree.localeCompare(b.tree) || a.path.localeCompare(b.path) || a.line - b.line);
  if (unexpected.length) {
    console.log('\n── unexpected findings (not in bench/realcode/expectations.json): each is a bug or a missing expectation');
    for (const u of unexpected) console.log(`${u.tree}/${u.path}:${u.line} ${u.rule} ${u.severity} ${u.snippet}`);
  }
  const stale = expectations.filter((e) => !used.has(e) && trees.some((t) => t.name === e.tree));
  if (stale.length) {
    console.log('\n── expectations that matched nothing (fixed upstream or no longer found: remove them)');
    for (const e of stale) console.log(`${e.tree}/${e.path} ${e.rule}${e.fingerprint ? ` ${e.fingerprint}` : ''}`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(unexpected, null, 2) + '\n');

  const hints = unexpected.filter((u) => u.severity === 'hint').length;
  const aboveHint = unexpected.length - hints;
  const perThousand = allFiles ? (hints * 1000) / allFiles : 0;
  console.log(`\n${trees.length} trees, ${allFiles} files, ${(allBytes / 1048576).toFixed(1)} MiB`);
  if (rgVersion && cliMs > 0) console.log(`CLI / ripgrep ${rgVersion} throughput ratio, all trees: ${(rgMs / cliMs).toFixed(2)} (target >= 0.7)`);
  console.log(`unexpected: ${aboveHint} above hint, ${hints} hints (${perThousand.toFixed(2)} per 1,000 files) — goal: 0 above hint, at most 1 hint per 1,000 files`);
}

function printCounts(counts: Map<string, Record<string, number>>): void {
  const rules = [...counts.keys()].sort();
  if (!rules.length) {
    console.log('   no findings');
    return;
  }
  console.log(`   ${'rule'.padEnd(34)} ${SEVERITIES.map((s) => s.padStart(7)).join(' ')}`);
  for (const r of rules) console.log(`   ${r.padEnd(34)} ${SEVERITIES.map((s) => String(counts.get(r)![s] || '').padStart(7)).join(' ')}`);
}

if (require.main === module) main();
