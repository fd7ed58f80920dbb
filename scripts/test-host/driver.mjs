// Runs the integration suites inside a REAL VS Code (code-server 4.99.4 = VS Code 1.99.3), headless.
//
// The browser workbench is opened with VS Code's own extension-development payload
// (extensionDevelopmentPath / extensionTestsPath, plus extensionDevelopmentKind=web for the web-worker
// host); the workbench asks the chosen extension host to load the tests file and call run(), and reports
// the result through window.codeAutomationExit(code) - the same protocol @vscode/test-web uses.
//
//   node scripts/test-host/driver.mjs --mode node|web [--folder DIR] [--ext-dev DIR] [--tests FILE]
//                                     [--timeout SEC] [--verbose]
// Exit: 0 passed, 1 tests failed, 124 hard timeout, 3 harness error.
// Writes test-results/integration-<mode>.json and merges the in-host figures into test-results/metrics.json.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { fakeAzureEnv, loadFakeAzure } from './fake-azure-env.mjs';
import { ROOT, RESULTS_DIR, freePort, launchBrowser, prepareWorkspace, remoteUri, removeOnExit, serverLogTail, startCodeServer, updateMetrics, workbenchUrl } from './host.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Console message -> plain text. The remote Node host's output is forwarded as console.log('%c...', css..., args). */
async function consoleText(msg) {
  let args;
  try {
    args = await Promise.all(msg.args().map((h) => h.jsonValue().catch(() => String(h))));
  } catch {
    return msg.text();
  }
  if (!args.length) return msg.text();
  if (typeof args[0] === 'string' && args[0].includes('%c')) {
    // e.g. ('%c INFO', 'color: #33f', '  %s) %s:', 1, 'title'): a label, its CSS, then the original console args.
    const n = args[0].split('%c').length - 1;
    const label = args[0].replaceAll('%c', '').trim();
    const rest = args.slice(1 + n);
    return `${label} ${rest.length ? util.format(...rest) : ''}`.trim();
  }
  return util.format(...args);
}

/**
 * @param {object} o
 * @param {'node'|'web'} o.mode
 * @param {string} [o.extDev]   extension root (default: the repo)
 * @param {string} [o.tests]    bundled runner (default: dist-test/<mode>/index.js)
 * @param {string} [o.folder]   workspace to open (default: a temp sample workspace)
 * @param {number} [o.timeoutMs]
 * @param {boolean} [o.verbose] echo the whole page console
 */
export async function runIntegration(o) {
  const mode = o.mode;
  if (mode !== 'node' && mode !== 'web') throw new Error(`mode must be node or web, not ${mode}`);
  const T0 = Date.now();
  const mark = (s) => console.log(`[driver:${mode}] +${((Date.now() - T0) / 1000).toFixed(2)}s ${s}`);
  const extDev = path.resolve(o.extDev || ROOT);
  const tests = path.resolve(o.tests || path.join(ROOT, `dist-test/${mode}/index.js`));
  if (!existsSync(tests)) throw new Error(`${tests} is missing: run node scripts/test-host/build-tests.mjs`);
  const timeoutMs = o.timeoutMs || 480_000;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const resultsFile = path.join(RESULTS_DIR, `.integration-${mode}-raw.json`);
  rmSync(resultsFile, { force: true });

  let tempWs;
  let folder = o.folder;
  if (!folder) {
    tempWs = removeOnExit(path.join(RESULTS_DIR, `.${mode}-${process.pid}`));
    rmSync(tempWs, { recursive: true, force: true });
    folder = prepareWorkspace(path.join(tempWs, 'samples'));
  }

  // The server's environment reaches the Node extension host (not the web worker).
  // The browser workbench of VS Code 1.99 reads the payload's extensionDevelopmentKind into a property the
  // running-location tracker never looks at, so the web-worker host is chosen with the user setting
  // remote.extensionKind = ["web"] for the extension under test (the payload entry is still sent).
  const extId = (() => { try { const p = JSON.parse(readFileSync(path.join(extDev, 'package.json'), 'utf8')); return `${p.publisher}.${p.name}`; } catch { return undefined; } })();
  const settings = mode === 'web' && extId ? { 'remote.extensionKind': { [extId]: ['web'] } } : {};
  const env = { ITEST_RESULTS_FILE: resultsFile };
  const args = [];
  if (mode === 'node') {
    // The Key Vault suites start the fake Azure INSIDE the Node extension host (they drive it directly) on
    // the proxy port agreed here, with this CA + leaf; the host trusts the CA and routes the SDK through the proxy.
    const { testCertificates } = await loadFakeAzure();
    const fake = fakeAzureEnv({ certs: testCertificates(), proxyPort: await freePort() });
    Object.assign(env, fake.env);
    Object.assign(settings, fake.settings);
    args.push(...fake.args);
    mark(`fake Azure environment ready (proxy port ${fake.env.ASD_FAKE_AZURE_PROXY_PORT}, CA ${path.basename(fake.caFile)}, fake az on PATH)`);
  }
  const server = await startCodeServer({ label: `itest-${mode}`, folder, settings, env, args, restricted: !!o.restricted });
  mark(`code-server up at ${server.url}`);
  const browser = await launchBrowser();
  mark('chromium launched');
  const { page } = browser;

  const summaryFromConsole = { passes: [], failures: [], skipped: [], summary: null, metrics: {} };
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit({ code: Number(code) || 0, why: 'codeAutomationExit' }));

  const onConsole = async (m) => {
    const t = await consoleText(m);
    const i = t.indexOf('[itest] ');
    if (i >= 0) {
      const rest = t.slice(i + 8);
      const sp = rest.indexOf(' ');
      const kind = rest.slice(0, sp);
      let data;
      try { data = JSON.parse(rest.slice(sp + 1)); } catch { data = { raw: rest }; }
      if (kind === 'pass') { summaryFromConsole.passes.push(data); console.log(`  ✓ ${data.title} (${data.ms} ms)`); }
      else if (kind === 'fail') { summaryFromConsole.failures.push(data); console.log(`  ✗ ${data.title}\n      ${String(data.error).split('\n').slice(0, 6).join('\n      ')}`); }
      else if (kind === 'skip') { summaryFromConsole.skipped.push(data); console.log(`  - ${data.title} (skipped)`); }
      else if (kind === 'metric') { summaryFromConsole.metrics[data.name] = data.value; console.log(`  · ${data.name} = ${typeof data.value === 'number' ? data.value.toFixed(1) : data.value}`); }
      else if (kind === 'summary') summaryFromConsole.summary = data;
      return;
    }
    if (o.verbose) { console.log(`[page:${m.type()}] ${t}`); return; }
    // Surface what explains a failure: extension/activation errors from either host.
    // (mocha's own spec output is not echoed: the [itest] lines above carry the same.)
    if (/Activating extension .*failed|extension host (terminated|crashed)|Cannot find module|Error loading|failed to load(?! resource)/i.test(t)) {
      console.log(`[page:${m.type()}] ${t.slice(0, 500)}`);
    }
  };
  page.on('console', onConsole);
  page.on('pageerror', (e) => { if (o.verbose) console.log(`[pageerror] ${e.message}`); });
  page.on('crash', () => resolveExit({ code: 3, why: 'page crashed' }));

  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, extDev)],
    ['extensionTestsPath', remoteUri(server, tests)],
    ...(mode === 'web' ? [['extensionDevelopmentKind', 'web']] : []),
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  let timer;
  const timeout = new Promise((r) => { timer = setTimeout(() => r({ code: 124, why: `hard timeout after ${timeoutMs / 1000}s` }), timeoutMs); });
  let result;
  try {
    await page.goto(workbenchUrl(server, { folder, payload }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    mark('workbench page loaded');
    result = await Promise.race([exited, timeout]);
    await sleep(400); // let trailing console messages arrive
  } catch (e) {
    result = { code: 3, why: `harness error: ${e.message}` };
  } finally {
    clearTimeout(timer);
  }
  mark(`${result.why}; exit code ${result.code}`);
  if (browser.nonLocal.size) console.log(`[driver:${mode}] blocked non-loopback requests: ${[...browser.nonLocal].join(', ')}`);
  await browser.close();
  if (result.code !== 0 || o.verbose) {
    console.log(`----- code-server log (tail) -----\n${serverLogTail(server, o.verbose ? 200 : 30)}\n-----`);
  }
  await server.stop();
  if (tempWs && !process.env.KEEP_RUN) rmSync(tempWs, { recursive: true, force: true });

  // The Node runner writes a file (authoritative); the web runner only has the console.
  let s = null;
  if (existsSync(resultsFile)) { try { s = JSON.parse(readFileSync(resultsFile, 'utf8')); } catch { /* partial */ } rmSync(resultsFile, { force: true }); }
  s ??= summaryFromConsole.summary;
  s ??= {
    host: mode,
    passed: summaryFromConsole.passes.length,
    failed: summaryFromConsole.failures.length,
    skipped: summaryFromConsole.skipped.length,
    failures: summaryFromConsole.failures,
    metrics: summaryFromConsole.metrics,
  };
  let { passed = 0, failed = 0 } = s;
  // A red exit with no failed test (timeout, crash, load error) still counts as one failure.
  if (result.code !== 0 && failed === 0) {
    failed = 1;
    console.log(`[driver:${mode}] run ended with code ${result.code} and no failed test: counted as 1 failure (${result.why})`);
  }
  const code = result.code === 0 && failed === 0 ? 0 : (result.code === 0 ? 1 : result.code);
  const out = {
    tier: `integration-${o.restricted ? 'restricted' : mode}`,
    passed,
    failed,
    skipped: s.skipped ?? 0,
    code,
    why: result.why,
    durationMs: Date.now() - T0,
    suiteMs: s.durationMs,
    failures: s.failures ?? [],
    metrics: { ...(s.metrics || {}), ...summaryFromConsole.metrics },
    vscode: '1.99.3 (code-server 4.99.4)',
  };
  writeFileSync(path.join(RESULTS_DIR, `${out.tier}.json`), JSON.stringify(out, null, 2) + '\n');
  if (o.restricted) {
    console.log(`[driver:restricted] ${passed} passed, ${failed} failed${out.skipped ? `, ${out.skipped} skipped` : ''} in ${(out.durationMs / 1000).toFixed(1)}s`);
    return out;
  }
  // Always written (null when not measured), so metrics.json never shows a figure from an older run.
  const act = out.metrics[`activationMs.${mode}`];
  let prev = {};
  try { prev = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'metrics.json'), 'utf8')).activationMs || {}; } catch { /* none */ }
  updateMetrics({ activationMs: { ...prev, [mode]: typeof act === 'number' ? Number(act.toFixed(2)) : null } });
  if (typeof act === 'number') console.log(`[driver:${mode}] activation time measured in the ${mode} extension host: ${act.toFixed(1)} ms`);
  console.log(`[driver:${mode}] ${passed} passed, ${failed} failed${out.skipped ? `, ${out.skipped} skipped` : ''} in ${(out.durationMs / 1000).toFixed(1)}s`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  try {
    const out = await runIntegration({
      mode: opt('--mode') || 'node',
      extDev: opt('--ext-dev'),
      tests: opt('--tests'),
      folder: opt('--folder') && path.resolve(opt('--folder')),
      timeoutMs: Number(opt('--timeout') || process.env.TEST_TIMEOUT || 480) * 1000,
      verbose: args.includes('--verbose') || !!process.env.ITEST_VERBOSE,
      restricted: args.includes('--restricted'),
    });
    process.exit(out.code);
  } catch (e) {
    console.error(`[driver] harness error: ${e.stack || e}`);
    process.exit(3);
  }
}
