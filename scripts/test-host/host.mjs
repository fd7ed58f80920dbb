// The ONE piece that starts and stops the local VS Code (code-server) and the headless browser.
// Used by the integration runs (driver.mjs), the UI check (ui-check.mjs) and the demo (scripts/demo.sh).
//
// Everything binds to / talks to 127.0.0.1 only: code-server gets an empty extension gallery and fresh
// user-data, extensions and XDG dirs (nothing in $HOME is touched); Chromium gets the flags that stop
// its background networking.
//
// CLI (used by the demo):
//   node scripts/test-host/host.mjs serve [--folder DIR] [--vsix FILE] [--port N] [--open REL]
//   -> prints the URL (opening REL, a file of the folder, when given) and keeps running until Ctrl+C / SIGTERM, then cleans up.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR || path.join(ROOT, '.test-host/code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** Settings for a quiet, offline, trust-free profile. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.commandCenter.enabled': false,
};

/**
 * What the demo adds (and the UI check, so the README screenshots look like the demo): no ARM schema
 * download (a JSON file with "$schema" otherwise opens with an "Unable to load schema" warning that has
 * nothing to do with the extension), and wrapped lines, so a long value or Key Vault reference is seen whole.
 */
export const DEMO_SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern',
  'json.schemaDownload.enable': false,
  'editor.wordWrap': 'on',
  // The sticky scroll header would cover the lines a screenshot is about.
  'editor.stickyScroll.enabled': false,
};

/** The sample file the demo opens: its first screen shows insecure settings and a planted key, squiggled. */
export const DEMO_FILE = 'infra/azuredeploy.json';

const log = (...a) => console.log('[host]', ...a);

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function assertCodeServerInstalled() {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_DIR}: run scripts/test-host/setup.sh`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Servers still running; on Ctrl+C / SIGTERM / exit their process groups are killed and their temp dirs removed. */
const live = new Map();
const tempDirs = new Set();
/** Removes `dir` when the process ends (normally or by a signal) unless KEEP_RUN is set. */
export function removeOnExit(dir) { tempDirs.add(dir); return dir; }
function killAll() {
  for (const [pid, dir] of live) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    if (!process.env.KEEP_RUN) rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
  if (!process.env.KEEP_RUN) for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (live.size) console.log(`\n[host] ${sig}: stopping code-server`);
    killAll();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/**
 * Starts code-server on 127.0.0.1 with a fresh profile.
 * @param {object} o
 * @param {string} [o.folder]    workspace folder to open (a temp one is created when missing)
 * @param {string} [o.vsix]      a .vsix to install into the fresh extensions dir first
 * @param {object} [o.settings]  extra user settings
 * @param {number} [o.port]      fixed port (default: a free one)
 * @param {object} [o.env]       extra environment for the server (reaches the extension host)
 * @param {string} [o.label]     name used for the temp dir
 * @param {string[]} [o.args]    extra code-server / VS Code server arguments
 * @returns {Promise<{url:string, port:number, authority:string, folder:string, runDir:string, serverLog:string, stop:()=>Promise<void>}>}
 */
export async function startCodeServer(o = {}) {
  assertCodeServerInstalled();
  const t0 = Date.now();
  const runDir = mkdtempSync(path.join(os.tmpdir(), `asd-${o.label || 'host'}-`));
  const dirs = { ud: 'ud', exts: 'exts', xdgConfig: 'xdg-config', xdgData: 'xdg-data', xdgCache: 'xdg-cache' };
  for (const k of Object.keys(dirs)) { dirs[k] = path.join(runDir, dirs[k]); mkdirSync(dirs[k], { recursive: true }); }
  mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  // o.restricted: workspace trust on and the folder not trusted, so the window opens in Restricted Mode.
  const trust = o.restricted
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.untrustedFiles': 'open', 'security.workspace.trust.emptyWindow': false }
    : {};
  writeFileSync(path.join(dirs.ud, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...(o.settings || {}) }, null, 2));
  let folder = o.folder;
  if (!folder) { folder = path.join(runDir, 'ws'); mkdirSync(folder, { recursive: true }); }
  const port = o.port || await freePort();
  const configFile = path.join(runDir, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}', // no marketplace / Open VSX queries
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    ASD_USER_DATA_DIR: dirs.ud, // tests find the extension host's logs under <user-data>/logs
    ...(o.env || {}),
  };
  const common = ['--config', configFile, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.exts];

  if (o.vsix) {
    const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...common, '--install-extension', o.vsix],
      { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      rmSync(runDir, { recursive: true, force: true });
      throw new Error(`installing ${o.vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    log(`installed ${path.basename(o.vsix)} into a fresh profile in ${Date.now() - t0} ms`);
  }

  const serverLog = path.join(runDir, 'server.log');
  const fd = openSync(serverLog, 'a');
  // detached => own process group, so stop() can end the server and every child (extension hosts, pty, watcher).
  const child = spawn(process.execPath, [CODE_SERVER_ENTRY, ...common,
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', ...(o.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened', '--log', process.env.CODE_SERVER_LOG || 'info',
    ...(o.args || []), folder], { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, sig) => { exited = code ?? sig; });
  live.set(child.pid, runDir);

  let stopped = false;
  const stop = async () => {
    if (stopped) return; stopped = true;
    live.delete(child.pid);
    const alive = () => { try { process.kill(-child.pid, 0); return true; } catch { return false; } };
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (!process.env.KEEP_RUN) rmSync(runDir, { recursive: true, force: true });
    else log(`kept ${runDir}`);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) break;
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  if (exited !== null || Date.now() > deadline) {
    const tail = existsSync(serverLog) ? readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n') : '';
    await stop();
    throw new Error(`code-server did not come up on ${url} (exit: ${exited})\n${tail}`);
  }
  log(`code-server up on ${url} in ${Date.now() - t0} ms (profile ${runDir})`);
  return { url, port, authority: `127.0.0.1:${port}`, folder, runDir, serverLog, stop };
}

/**
 * Fills `target` with the sample workspace: built from samples-src/ by scripts/make-samples.ts when the
 * project has it, else a copy of samples/, else a few files with planted problems. Returns `target`.
 */
export function prepareWorkspace(target) {
  mkdirSync(target, { recursive: true });
  const maker = path.join(ROOT, 'scripts/make-samples.ts');
  const samples = path.join(ROOT, 'samples');
  if (existsSync(maker) && existsSync(path.join(ROOT, 'samples-src'))) {
    const r = spawnSync(process.execPath, ['-r', 'esbuild-register', maker, target], { cwd: ROOT, encoding: 'utf8' });
    if (r.status === 0) return target;
    log(`make-samples failed (${r.status}: ${(r.stderr || '').split('\n').find((l) => /Error/.test(l)) || ''}); using fallback files`);
  } else if (existsSync(samples) && readdirSync(samples).length > 0) {
    cpSync(samples, target, { recursive: true });
    return target;
  }
  // Fallback: values are assembled here so no whole fake key sits in the repository.
  const secret = ['q7Zr', 'W2xP', '9kLm', 'V4tB', 'e8Nc', 'J3sH', 'u6Yd', 'R1fG'].join('');
  writeFileSync(path.join(target, '.env'), `APP_NAME=contoso-web\n${'API_' + 'PASSWORD'}=${secret}\n`);
  writeFileSync(path.join(target, 'appsettings.json'), JSON.stringify({ ConnectionStrings: { Db: `Server=tcp:contoso.database.windows.net;Password=${secret};` } }, null, 2) + '\n');
  writeFileSync(path.join(target, 'README.md'), '# temp workspace for the test host\n');
  return target;
}

/** Last lines of the server log (extension host messages included). */
export function serverLogTail(server, n = 40) {
  try { return readFileSync(server.serverLog, 'utf8').split('\n').filter((l) => l.trim()).slice(-n).join('\n'); } catch { return ''; }
}

/** Headless Chromium (Debian's) with a fresh profile and no background networking. */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = removeOnExit(mkdtempSync(path.join(os.tmpdir(), 'asd-chromium-')));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--disable-extensions', '--disable-domain-reliability',
      '--disable-client-side-phishing-detection', '--metrics-recording-only', '--no-pings',
      '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication',
      '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] || await context.newPage();
  // Anything not on loopback is recorded (and blocked) so a run can prove it stayed local.
  const nonLocal = new Set();
  const isLocal = (u) => !/^(https?|wss?):$/.test(u.protocol) || /^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname);
  await context.route((u) => !isLocal(u), (route) => {
    try { nonLocal.add(new URL(route.request().url()).hostname); } catch { /* ignore */ }
    return route.abort('blockedbyclient');
  });
  let closed = false;
  const close = async () => {
    if (closed) return; closed = true;
    try { await context.close(); } catch { /* already gone */ }
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, nonLocal, close };
}

/**
 * Workbench URL for a folder, optionally with VS Code's extension-development/test payload, or a file of the
 * folder to open (`openFile`, relative to the folder).
 */
export function workbenchUrl(server, { folder = server.folder, payload, openFile } = {}) {
  let u = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  const all = [...(payload || []), ...(openFile ? [['openFile', remoteUri(server, path.join(folder, openFile))]] : [])];
  if (all.length) u += `&payload=${encodeURIComponent(JSON.stringify(all))}`;
  return u;
}

/** vscode-remote URI of a server-side path (the remote authority is host:port of the page). */
export const remoteUri = (server, p) => `vscode-remote://${server.authority}${p}`;

/** Merges figures into test-results/metrics.json (read by `npm run bench`). */
export function updateMetrics(patch) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'metrics.json');
  let cur = {};
  try { cur = JSON.parse(readFileSync(file, 'utf8')); } catch { /* new */ }
  const next = { ...cur, ...patch, updatedAt: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
  return next;
}

// ---- CLI: `serve` (demo) ----
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  if (args[0] !== 'serve') {
    console.error('usage: node scripts/test-host/host.mjs serve [--folder DIR] [--vsix FILE] [--port N] [--open REL]');
    process.exit(2);
  }
  const server = await startCodeServer({
    label: 'demo',
    folder: opt('--folder') && path.resolve(opt('--folder')),
    vsix: opt('--vsix') && path.resolve(opt('--vsix')),
    port: opt('--port') ? Number(opt('--port')) : undefined,
    settings: DEMO_SETTINGS,
  });
  const open = opt('--open');
  const openFile = open && existsSync(path.join(server.folder, open)) ? open : undefined;
  console.log(`\n  Azure Secure Dev demo: open ${workbenchUrl(server, { openFile })}\n  (VS Code ${'1.99.3'} via code-server, bound to 127.0.0.1 only; Ctrl+C to stop)\n`);
  // Ctrl+C / SIGTERM: the handlers above stop the server and remove the fresh profile.
  setInterval(() => {}, 1 << 30);
}
