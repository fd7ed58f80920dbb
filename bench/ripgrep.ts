// Timing helpers shared by the benchmarks (npm run bench, npm run bench:realcode): one place for the
// ripgrep pattern set, so the CLI is always compared against the same work.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface TimedRun {
  ms: number;
  status: number | null;
  maxRssKb?: number;
}

export function timeCommand(cmd: string, args: string[]): TimedRun {
  const useTime = fs.existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '__MAXRSS__%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const m = /__MAXRSS__(\d+)/.exec(r.stderr ?? '');
  return { ms, status: r.status, maxRssKb: m ? Number(m[1]) : undefined };
}

/** The same literal anchors the engine's prefilter looks for, matched case-insensitively in every file. */
export const RIPGREP_PATTERNS = ['AccountKey=', 'SharedAccessKey=', 'sig=', '-----BEGIN', 'eyJ', 'ghp_', 'github_pat_', 'AKIA', 'xox[baprs]-', 'sk_live_', 'SG\\.', 'AIza', 'glpat-', 'Q~', 'password', 'passwd', 'pwd', 'secret', 'api[_-]?key', 'token', '[a-z]+://[^/\\s:@]+:[^/\\s@]+@', 'httpsOnly', 'https_only', 'minTlsVersion', 'minimum_tls_version', 'ftpsState', 'ftps_state', 'remoteDebugging', 'Encrypt=', 'TrustServerCertificate'];

/** ripgrep's version, or undefined when it is not installed. */
export function ripgrepVersion(): string | undefined {
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  return rg.status === 0 ? rg.stdout.split('\n')[0].split(' ')[1] : undefined;
}

/**
 * ripgrep over `dir` with the pattern set, reading the files the CLI reads: dotfiles and ignored files
 * included; nested node_modules, lockfiles, source maps, minified bundles and files over the CLI's
 * default size limit left out, as the CLI leaves them out.
 */
export function timeRipgrep(dir: string): TimedRun {
  const skip = ['!node_modules/', '!.git/', '!*.map', '!*.min.js', '!package-lock.json', '!yarn.lock', '!pnpm-lock.yaml', '!packages.lock.json', '!.terraform.lock.hcl'];
  const args = ['--hidden', '--no-ignore', '-i', '-c', '--no-messages', '--max-filesize', '4M', ...skip.flatMap((g) => ['-g', g]), ...RIPGREP_PATTERNS.flatMap((p) => ['-e', p]), dir];
  return timeCommand('rg', args);
}
