// UI check: installs the packaged .vsix into a fresh code-server profile (Node extension host), opens the
// real VS Code workbench on a sample workspace in headless Chromium and drives it like a user.
// Every step is a named check (pass/fail); screenshots go to test-results/screenshots/ and, with
// UPDATE_SCREENSHOTS=1, the README ones are copied to media/screenshots/.
//
//   node scripts/test-host/ui-check.mjs --vsix dist-vsix/azure-secure-dev.vsix [--folder DIR] [--file REL]
// Env: UPDATE_SCREENSHOTS=1, UI_SETTINGS_JSON='{...}' (extra user settings), UI_TIMEOUT=<s>, KEEP_RUN=1.
// Exit: 0 all steps passed, 1 a step failed, 3 harness error, 124 hard timeout.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fakeAzureEnv, loadFakeAzure } from './fake-azure-env.mjs';
import { DEMO_FILE, DEMO_SETTINGS, ROOT, RESULTS_DIR, launchBrowser, prepareWorkspace, removeOnExit, serverLogTail, startCodeServer, workbenchUrl } from './host.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const VSIX = path.resolve(opt('--vsix') || path.join(ROOT, 'dist-vsix/azure-secure-dev.vsix'));
const SAMPLE = opt('--file') || 'infra/main.bicep'; // a sample file with a planted problem, relative to the workspace
const SHOTS = path.join(RESULTS_DIR, 'screenshots');
const README_SHOTS = path.join(ROOT, 'media/screenshots');
const HARD_TIMEOUT_MS = Number(process.env.UI_TIMEOUT || 180) * 1000;
const TITLE = 'Azure Secure Dev'; // viewsContainer title / diagnostic source

const T0 = Date.now();
const since = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const results = [];
let page;

async function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  return file;
}

/** A named check: runs fn with a time limit, records pass/fail, never throws. */
async function step(name, fn, { timeoutMs = 30_000 } = {}) {
  const started = Date.now();
  let timer;
  try {
    await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`step timed out after ${timeoutMs / 1000}s`)), timeoutMs); })]);
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`  ✓ ${name} (+${since()})`);
    return true;
  } catch (e) {
    const error = String(e?.message || e).split('\n')[0];
    results.push({ name, ok: false, ms: Date.now() - started, error });
    console.log(`  ✗ ${name}: ${error}`);
    const safe = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, '');
    await shot(`failure-${safe}.png`).catch(() => {});
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Drags the sash between the side bar and the editor until the side bar is `width` px wide. */
async function widenSideBar(width) {
  const bar = await page.locator('.part.sidebar').first().boundingBox();
  if (!bar || bar.width >= width) return;
  const y = bar.y + bar.height / 2;
  await page.mouse.move(bar.x + bar.width, y);
  await page.mouse.down();
  await page.mouse.move(bar.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(300);
}

/** First line containing `needle` in the profile's extension-host logs. */
function findInLogs(dir, needle) {
  const walk = (d) => {
    let ents = [];
    try { ents = readdirSync(d, { withFileTypes: true }); } catch { return null; }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { const r = walk(p); if (r) return r; }
      else if (e.name.endsWith('.log') && /exthost/i.test(p)) {
        const line = readFileSync(p, 'utf8').split('\n').find((l) => l.includes(needle));
        if (line) return { file: p, line };
      }
    }
    return null;
  };
  return walk(dir);
}

async function main() {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package`);
  rmSync(SHOTS, { recursive: true, force: true });
  const tempParent = opt('--folder') ? '' : removeOnExit(path.join(RESULTS_DIR, `.ui-${process.pid}`));
  const folder = opt('--folder') ? path.resolve(opt('--folder')) : prepareWorkspace(path.join(tempParent, 'samples'));
  let server;
  let browser;
  // The fake Azure runs in this process; the packaged extension reaches it through HTTPS_PROXY with its real SDK.
  const { FakeAzure } = await loadFakeAzure();
  const fake = await FakeAzure.start();
  const fakeEnv = fakeAzureEnv({ certs: { caPem: fake.caPem }, proxyPort: fake.proxy.port });
  // Two apps for the posture view: one breaking Microsoft's guidance, one following it.
  const POSTURE_SUB = '00000000-0000-0000-0000-0000000000aa';
  fake.addSubscription({ subscriptionId: POSTURE_SUB, displayName: 'Contoso Production' });
  fake.setDefenderTier(POSTURE_SUB, 'Standard');
  const postureApps = [
    fake.addApp({ subscriptionId: POSTURE_SUB, resourceGroup: 'rg-web', name: 'orders-web', siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.0', ftpsState: 'AllAllowed', remoteDebuggingEnabled: true }, publishing: { ftp: true, scm: true } }).id,
    fake.addApp({ subscriptionId: POSTURE_SUB, resourceGroup: 'rg-web', name: 'billing-api', identity: { type: 'SystemAssigned' }, siteProperties: { httpsOnly: true }, config: { minTlsVersion: '1.2', scmMinTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false, http20Enabled: true }, publishing: { ftp: false, scm: false } }).id,
  ];
  // Declared in the sample's infra/main.tf (minimum TLS 1.1); someone lowered it to 1.0 in the portal: a drift.
  const declaredApp = fake.addApp({ subscriptionId: POSTURE_SUB, resourceGroup: 'rg-api', name: 'contoso-api', identity: { type: 'SystemAssigned' }, siteProperties: { httpsOnly: false }, config: { minTlsVersion: '1.0', ftpsState: 'Disabled' }, publishing: { ftp: false, scm: false } }).id;
  postureApps.push(declaredApp);
  fakeEnv.settings['azureSecureDev.posture.apps'] = postureApps;
  // The demo's settings (no ARM schema download, wrapped lines), so the screenshots show what the demo shows.
  Object.assign(fakeEnv.settings, DEMO_SETTINGS);
  try {
    await step('the .vsix installs into a fresh profile and code-server starts', async () => {
      server = await startCodeServer({ label: 'ui', folder, vsix: VSIX, env: fakeEnv.env, args: fakeEnv.args, settings: { ...fakeEnv.settings, ...JSON.parse(process.env.UI_SETTINGS_JSON || '{}') } });
    }, { timeoutMs: 150_000 });
    if (!server) return;
    browser = await launchBrowser({ viewport: { width: 1400, height: 860 } });
    page = browser.page;
    page.setDefaultTimeout(20_000);

    await step(`workbench loads with the demo's first file ${DEMO_FILE} open`, async () => {
      await page.goto(workbenchUrl(server, { openFile: DEMO_FILE }), { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible' });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { state: 'visible' });
      await page.waitForSelector(`.tabs-container .tab.active:has-text("${DEMO_FILE.split('/').at(-1)}")`);
    });

    await step("the demo's first screen shows squiggles inside the editor and only this extension's problems", async () => {
      // A squiggle scrolled off to the right (a key at column 120) is in the DOM but not on screen: check boxes.
      const editor = await page.locator('.part.editor .monaco-editor .overflow-guard').first().boundingBox();
      const onScreen = async () => {
        const boxes = await page.locator('.part.editor .monaco-editor .squiggly-error, .part.editor .monaco-editor .squiggly-warning').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width }; }));
        return boxes.filter((b) => b.w > 0 && b.x >= editor.x && b.x + 8 <= editor.x + editor.width && b.y >= editor.y && b.y <= editor.y + editor.height).length;
      };
      let visible = 0;
      for (let i = 0; i < 50 && visible < 5; i++) { visible = await onScreen(); if (visible < 5) await page.waitForTimeout(200); }
      if (visible < 5) throw new Error(`${visible} squiggles on screen, expected the 4 settings and the key`);
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector(`.markers-panel .monaco-list-row:has-text("${TITLE}")`, { timeout: 15_000 });
      await page.waitForTimeout(1500); // the JSON language server reports after us
      const rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      const foreign = rows.filter((t) => /\[Ln \d+/.test(t) && !t.includes(TITLE));
      if (foreign.length) throw new Error(`unrelated problems: ${foreign.join(' | ').slice(0, 300)}`);
      console.log(`    ${visible} squiggles on screen; ${rows.filter((t) => t.includes(TITLE)).length} problems, all from ${TITLE}`);
      await shot('demo-first-screen.png');
      await page.keyboard.press('Control+Shift+M'); // close the panel again
    }, { timeoutMs: 30_000 });

    await step(`opens the sample file ${SAMPLE} from the Explorer`, async () => {
      // Clicking the Explorer row is reliable; typing into Quick Open right after it opens loses keys.
      const parts = SAMPLE.split('/');
      for (const [i, part] of parts.entries()) {
        const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${part}"], .explorer-folders-view .monaco-list-row:has(.label-name:text-is("${part}"))`).first();
        // A folder the first file's reveal already expanded would collapse on a click.
        if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'true') continue;
        await row.click();
        if (i < parts.length - 1) await page.waitForTimeout(300); // folder expands
      }
      await page.waitForSelector(`.tabs-container .tab.active:has-text("${parts.at(-1)}")`);
      await page.waitForSelector('.monaco-editor .view-lines .view-line');
    });

    await step('the extension activates in the Node extension host (extension host log)', async () => {
      const want = 'ExtensionService#_doActivateExtension azure-secure-dev.azure-secure-dev';
      for (;;) {
        const hit = findInLogs(server.runDir, want);
        if (hit) { console.log(`    ${path.basename(hit.file)}: ${hit.line.trim().slice(0, 140)}`); return; }
        await page.waitForTimeout(200);
      }
    }, { timeoutMs: 20_000 });

    const squiggle = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
    await step('a squiggle marks the planted problem', async () => {
      await page.waitForSelector(squiggle, { state: 'attached', timeout: 15_000 });
      await shot('editor-squiggle.png');
    }, { timeoutMs: 20_000 });

    await step(`the Problems panel lists a "${TITLE}" finding`, async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel', { state: 'visible' });
      await page.waitForSelector(`.markers-panel .monaco-list-row:has-text("${TITLE}")`, { timeout: 15_000 });
      await shot('problems-panel.png');
    });

    await step(`the "${TITLE}" activity-bar container opens`, async () => {
      const icon = page.locator(`.activitybar .action-item a[aria-label^="${TITLE}"], .activitybar .action-item[aria-label^="${TITLE}"]`).first();
      await icon.click();
      await page.locator('.sidebar .title-label').filter({ hasText: new RegExp(TITLE, 'i') }).first().waitFor({ state: 'visible' });
      await page.locator('.sidebar .pane-body').first().waitFor({ state: 'visible' });
      // The linked apps read, not "Reading from Azure Resource Manager…".
      await page.locator('.part.sidebar .monaco-list-row:has-text("orders-web"):has-text("failing")').first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.part.sidebar .monaco-list-row:has-text("billing-api"):has-text("failing")').first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForFunction(() => !/Reading from Azure|Looking for apps/.test(document.querySelector('.part.sidebar')?.textContent ?? ''), undefined, { timeout: 20_000 });
      await page.mouse.move(900, 450); // no hover tooltip over the tree
      await page.waitForTimeout(500);
      await shot('workbench.png');
    });

    await step('Ctrl+. on the squiggle opens the quick-fix menu', async () => {
      // Go to the finding through the Problems panel (puts the cursor on the diagnostic's range): the first one
      // under the sample's file (the demo's first file is listed too).
      const rows = page.locator('.markers-panel .monaco-list-row');
      const texts = await rows.allInnerTexts();
      const header = texts.findIndex((t) => !t.includes(TITLE) && t.includes(SAMPLE.split('/').at(-1)));
      const first = texts.findIndex((t, i) => i > header && t.includes(TITLE));
      const row = header >= 0 && first >= 0 ? rows.nth(first) : page.locator(`.markers-panel .monaco-list-row:has-text("${TITLE}")`).first();
      if (await row.count()) {
        await row.click();
        await page.keyboard.press('Enter');
      } else {
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('F8'); // next problem
        await page.keyboard.press('Escape');
      }
      await page.waitForTimeout(300);
      await page.locator('.monaco-editor.focused, .monaco-editor .view-lines').first().waitFor();
      await page.keyboard.press('Control+.');
      await page.waitForSelector('.action-widget .monaco-list-row', { state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(200);
      const titles = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim()).filter((t) => t && t !== 'Quick Fix');
      console.log(`    quick fixes: ${titles.join(' | ')}`);
      await shot('quick-fix.png');
      await page.keyboard.press('Escape');
    });

    await step('Enter on the preferred fix rewrites the value in the editor', async () => {
      const before = await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info').count();
      await page.keyboard.press('Control+.');
      await page.waitForSelector('.action-widget .monaco-list-row', { state: 'visible', timeout: 10_000 });
      const first = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim()).find((t) => t && t !== 'Quick Fix') ?? '';
      if (first.startsWith('Suppress') || first.startsWith('Show documentation')) throw new Error(`the first quick fix is not a fix: ${first}`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (n) => document.querySelectorAll('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info').length < n,
        before,
        { timeout: 10_000 },
      );
      console.log(`    applied: ${first}`);
      await shot('after-fix.png');
    });

    await step('Key Vault move through the real quick-fix menu, quick picks and modal against the fake Azure', async () => {
      const file = 'azuredeploy.json';
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+E');
      await page.mouse.move(5, 5); // no hover tooltip over the tree
      await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${file}"], .explorer-folders-view .monaco-list-row:has(.label-name:text-is("${file}"))`).first().click({ force: true });
      await page.waitForSelector(`.tabs-container .tab.active:has-text("${file}")`);
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row:has-text("SECRET-AZURE-IDENTIFIABLE-KEY")').first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click();
      await page.keyboard.press('Enter'); // puts the cursor on the diagnostic's range
      // The editor takes the focus a moment later; ask again if the first Ctrl+. came too early.
      for (let i = 0; ; i++) {
        await page.waitForTimeout(400);
        await page.keyboard.press('Control+.');
        try {
          await page.waitForSelector('.action-widget .monaco-list-row', { state: 'visible', timeout: 3_000 });
          break;
        } catch (e) {
          if (i === 3) throw e;
          await page.keyboard.press('Escape');
          await row.click();
          await page.keyboard.press('Enter');
        }
      }
      const first = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim()).find((t) => t && t !== 'Quick Fix') ?? '';
      if (!first.startsWith('Move secret to Azure Key Vault')) throw new Error(`the first quick fix is ${first}`);
      await page.keyboard.press('Enter');
      const quickInput = '.quick-input-widget';
      await page.locator(`${quickInput} .monaco-list-row:has-text("Enter a vault name")`).first().click({ timeout: 10_000 });
      await page.waitForTimeout(200);
      await page.keyboard.type('contoso-kv');
      await page.keyboard.press('Enter');
      await page.locator(`${quickInput} .quick-input-title:has-text("secret name")`).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter'); // accept the proposed name
      const button = page.locator('.monaco-dialog-box .monaco-button:has-text("Move to Key Vault")');
      await button.waitFor({ state: 'visible', timeout: 15_000 });
      await shot('keyvault-confirm.png');
      await button.click();
      // Lines wrap (DEMO_SETTINGS): compare the editor's text without the breaks.
      await page.waitForFunction(
        (want) => (document.querySelector('.part.editor .monaco-editor .view-lines')?.textContent ?? '').replace(/\s+/g, '').includes(want),
        '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/StorageConnection/)',
        { timeout: 20_000 },
      );
      const stored = fake.secret('contoso-kv', 'StorageConnection');
      if (!stored || stored.tags?.createdBy !== 'azure-secure-dev') throw new Error('the fake vault does not hold the secret');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Home'); // the reference line from its start
      await page.waitForTimeout(500);
      await shot('keyvault-move.png');
      console.log(`    stored in contoso-kv through the proxy: ${fake.proxy.log.map((e) => e.target).filter((t, i, a) => a.indexOf(t) === i).join(', ')}`);
    }, { timeoutMs: 60_000 });

    await step('the posture view shows the linked apps with failing and passing checks', async () => {
      const row = (text) => page.locator(`.sidebar .monaco-list-row:has-text("${text}")`).first();
      if (!(await row('orders-web').count())) {
        // With a badge the item's label grows ("Azure Secure Dev - 8 …"): match on the start, visible items only.
        // A notification toast from the move can sit over the workbench: dismiss it, then click.
        await page.keyboard.press('Escape');
        await page.locator(`.activitybar .action-item a[aria-label*="${TITLE}"]`).first().click({ timeout: 5_000, force: true });
      }
      await row('orders-web').waitFor({ state: 'visible', timeout: 20_000 });
      await row('Transport').waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.sidebar .monaco-list-row .codicon-error').first().waitFor({ state: 'visible' });
      await widenSideBar(640); // the check names whole, not cut at the default width
      await page.mouse.move(1100, 450); // no hover tooltip over the tree
      await page.waitForTimeout(700);
      await shot('posture.png');
      const failing = await page.locator('.sidebar .monaco-list-row .codicon-error').count();
      console.log(`    posture rows with a failing mark: ${failing}`);
    }, { timeoutMs: 45_000 });

    await step('in code-server (a browser workbench, Node extension host) the posture view offers Link App Service app', async () => {
      await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Link App Service app"]').first().waitFor({ state: 'attached', timeout: 10_000 });
    });

    const postureRow = (text) => page.locator(`.sidebar .monaco-list-row:has-text("${text}")`).first();
    await step('a failing check opens its declaration, with the drift in the tree, its tooltip and the editor', async () => {
      // Collapse the other apps so contoso-api's rows are in view.
      for (const name of ['orders-web', 'billing-api']) {
        const row = postureRow(name);
        if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
      }
      const check = page.locator('.sidebar .monaco-list-row:has-text("Minimum TLS version"):has-text("drift")').first();
      await check.waitFor({ state: 'visible', timeout: 20_000 });
      const a11y = await check.getAttribute('aria-label');
      if (!/^Failed: Minimum TLS version, TLS 1\.0\. Drift: declared minTlsVersion: 1\.1, deployed 1\.0/.test(a11y ?? '')) throw new Error(`the row's accessible label is ${a11y}`);
      await check.click();
      await check.locator('.action-label[aria-label="Go to declaration"]').click();
      await page.waitForSelector('.tabs-container .tab.active:has-text("main.tf")');
      await page.locator('.part.editor .monaco-editor .squiggly-info').first().waitFor({ state: 'visible', timeout: 20_000 });
      await check.hover();
      await page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Drift' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(300);
      await shot('posture-declaration-drift.png');
      await page.mouse.move(1100, 450);
    }, { timeoutMs: 60_000 });

    await step('Enter in the Fix… modal of a live app changes nothing in Azure', async () => {
      fake.clearLog();
      const row = page.locator('.sidebar .monaco-list-row:has-text("HTTPS only"):has-text("Off")').first();
      await row.click();
      await row.locator('.action-label[aria-label="Fix…"]').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      const buttons = (await dialog.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      // The dialog orders buttons per platform; the default is the one with the focus, which Enter presses.
      await page.waitForTimeout(300);
      const focused = (await page.evaluate(() => document.activeElement?.textContent ?? '')).trim();
      if (!buttons.includes('Apply fix')) throw new Error(`no Apply fix button (${buttons.join(' | ')})`);
      if (focused === 'Apply fix') throw new Error(`the default (focused) button is Apply fix (${buttons.join(' | ')})`);
      await shot('posture-fix-modal.png');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      await page.waitForTimeout(1_000);
      const writes = fake.writes();
      if (writes.length) throw new Error(`Enter wrote to Azure: ${writes.map((w) => `${w.method} ${w.path}`).join(', ')}`);
      console.log(`    modal buttons: ${buttons.join(' | ')}; default (focused): ${focused}`);
    }, { timeoutMs: 45_000 });

    await step('no request left 127.0.0.1', async () => {
      if (browser.nonLocal.size) throw new Error(`blocked requests to ${[...browser.nonLocal].join(', ')}`);
    });
  } finally {
    if (browser) await browser.close();
    if (server) {
      if (results.some((r) => !r.ok)) console.log(`----- code-server log (tail) -----\n${serverLogTail(server, 25)}\n-----`);
      await server.stop();
    }
    await fake.dispose();
    if (!opt('--folder') && !process.env.KEEP_RUN) rmSync(tempParent, { recursive: true, force: true });
  }
}

const hard = setTimeout(() => { console.error(`[ui] hard timeout after ${HARD_TIMEOUT_MS / 1000}s`); finish(124); }, HARD_TIMEOUT_MS);

function finish(forced) {
  clearTimeout(hard);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (forced && results.every((r) => r.ok) ? 1 : 0);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'ui.json'), JSON.stringify({ tier: 'ui', passed, failed, durationMs: Date.now() - T0, steps: results }, null, 2) + '\n');
  if (process.env.UPDATE_SCREENSHOTS === '1' && failed === 0) {
    mkdirSync(README_SHOTS, { recursive: true });
    for (const f of ['workbench.png', 'quick-fix.png', 'problems-panel.png', 'keyvault-move.png', 'posture.png', 'posture-declaration-drift.png']) {
      if (existsSync(path.join(SHOTS, f))) copyFileSync(path.join(SHOTS, f), path.join(README_SHOTS, f));
    }
    console.log(`[ui] README screenshots updated in ${path.relative(ROOT, README_SHOTS)}/`);
  } else if (process.env.UPDATE_SCREENSHOTS === '1') {
    console.log('[ui] a step failed: media/screenshots/ left unchanged');
  }
  console.log(`[ui] screenshots in ${path.relative(ROOT, SHOTS)}/ ; ${((Date.now() - T0) / 1000).toFixed(1)}s`);
  console.log(`[ui] ${passed} passed, ${failed} failed`);
  process.exit(forced || (failed ? 1 : 0));
}

main().then(() => finish(0), (e) => { console.error(`[ui] harness error: ${e.stack || e}`); results.push({ name: 'harness', ok: false, error: String(e) }); finish(3); });
