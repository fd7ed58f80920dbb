// "Move secret to Azure Key Vault…" end to end in the Node extension host: the real code action and command,
// the extension's REAL Azure SDK clients (@azure/keyvault-secrets, Resource Manager, AzureCliCredential running the
// driver's fake `az`), HTTPS through HTTPS_PROXY to the fake Azure started here, trusted through
// NODE_EXTRA_CA_CERTS. Prompts are scripted through the extension API (setUserInput). Skipped in the web host,
// which writes nothing to Azure.
import * as assert from 'assert';
import * as vscode from 'vscode';
import expected from '../fixtures/samples-expected.json';
import { DIAGNOSTIC_SOURCE, activateExtension, expectedHost, itNode, waitForDiagnostics, workspaceRoot, writeScratchFile } from './helpers';
import { ScriptedUserInput, type Step } from './support/scriptedInput';
import { extensionLogText, startFakeAzureInHost, storageKey, type FakeAzureInHost } from './support/node/fakeAzureHost';
import type { UserInput } from '../../src/extension/ui/userInput';

const VAULT = 'contoso-kv';
const HOST = `${VAULT}.vault.azure.net`;
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const VAULT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-vaults/providers/Microsoft.KeyVault/vaults/${VAULT}`;
const MOVE = 'Move secret to Azure Key Vault…';
const TYPE_VAULT = '$(edit) Enter a vault name…';
const BROWSE = '$(search) Browse vaults in a subscription…';
const CONFIRM = 'Move to Key Vault';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

type Api = { setUserInput(input: UserInput | undefined): void };
const files = (expected as { files: Record<string, { rule: string; line: number }[]> }).files;
const ours = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.source === DIAGNOSTIC_SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const isSecret = (d: vscode.Diagnostic) => codeOf(d).startsWith('SECRET-');

let az: FakeAzureInHost;
let api: Api;
/** Every scripted input of the suite (for the final "no secret anywhere" check) and every planted value. */
const inputs: ScriptedUserInput[] = [];
const planted = new Set<string>();

const typed = (name?: string): Step[] => [{ pick: TYPE_VAULT }, { input: VAULT }, { input: (p) => name ?? p }];
const browsed = (vaultLabel = `$(key) ${VAULT}`): Step[] => [{ pick: BROWSE }, { pick: 'Contoso Dev' }, { pick: vaultLabel }, { input: (p) => p }];

async function openSecret(uri: vscode.Uri, rule?: string, line?: number): Promise<{ doc: vscode.TextDocument; d: vscode.Diagnostic }> {
  // A rule named by the caller may be a custom pattern's (CUSTOM-*), which is a secret finding too.
  const match = (x: vscode.Diagnostic) => (rule ? codeOf(x) === rule : isSecret(x)) && (!line || x.range.start.line + 1 === line);
  const pending = waitForDiagnostics(uri, (all) => ours(all).some(match), 15_000);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const d = ours(await pending).find(match)!;
  planted.add(doc.getText(d.range));
  return { doc, d };
}

/** Runs the preferred quick fix "Move secret to Azure Key Vault…" of `d` with the scripted prompts. */
async function move(doc: vscode.TextDocument, d: vscode.Diagnostic, steps: Step[]): Promise<{ ok: boolean; input: ScriptedUserInput }> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  const action = actions.find((a) => a.title === MOVE);
  assert.ok(action?.command, `no "${MOVE}" action; offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(action.isPreferred, 'the move is the preferred quick fix');
  const input = new ScriptedUserInput(steps);
  inputs.push(input);
  api.setUserInput(input);
  try {
    const ok = await vscode.commands.executeCommand<boolean>(action.command.command, ...(action.command.arguments ?? []));
    assert.strictEqual(input.remaining, 0, `prompts left unanswered: ${input.remaining}; notifications: ${JSON.stringify(input.notifications)}; prompts: ${JSON.stringify(input.prompts.map((p) => p.title))}`);
    return { ok: ok === true, input };
  } finally {
    api.setUserInput(undefined);
  }
}

/** VS Code's sovereign-cloud user setting (what the extension reads as the signed-in cloud). */
async function setSovereignCloud(env: 'ChinaCloud' | 'USGovernment' | undefined): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
  await config().update('environment', env, vscode.ConfigurationTarget.Global);
  // The write resolves before this host may have seen the change: wait for it (runaway guard 5 s).
  for (let i = 0; i < 100 && config().inspect<string>('environment')?.globalValue !== env; i++) await new Promise((r) => setTimeout(r, 50));
  assert.strictEqual(config().inspect<string>('environment')?.globalValue, env);
}

const errors = (i: ScriptedUserInput) => i.notifications.filter((n) => n.level !== 'info').map((n) => n.message);
const kvRequests = () => az.fake.requests().filter((e) => e.host.endsWith('.vault.azure.net'));

async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Asserts the whole success path: vault content, reference form, diagnostic gone, undo. */
async function assertMoved(o: {
  doc: vscode.TextDocument;
  d: vscode.Diagnostic;
  before: string;
  input: ScriptedUserInput;
  secretName: string;
  lineAfter: string;
  setting?: string;
}): Promise<void> {
  const { doc, d, before, input, secretName } = o;
  // The flagged token, cut from the text before the move (d.range is a position in that text).
  const lines = before.split('\n');
  const token = lines[d.range.start.line].slice(d.range.start.character, d.range.end.line === d.range.start.line ? d.range.end.character : undefined);
  assert.deepStrictEqual(errors(input), []);
  assert.ok(input.notifications.some((n) => n.level === 'info' && n.message.includes(`vault ${VAULT} as secret "${secretName}"`)), JSON.stringify(input.notifications));
  const stored = az.fake.secret(VAULT, secretName);
  assert.ok(stored, `the vault holds "${secretName}"`);
  assert.ok(stored.value.includes(token) && before.includes(stored.value), 'the stored value is the setting value that holds the secret');
  assert.strictEqual(stored.contentType, 'text/plain');
  assert.strictEqual(stored.tags?.createdBy, 'azure-secure-dev');
  assert.strictEqual(stored.tags?.sourceFile, vscode.workspace.asRelativePath(doc.uri, false));
  if (o.setting) assert.strictEqual(stored.tags?.setting, o.setting);
  const text = doc.getText();
  assert.ok(!text.includes(token), 'the secret left the file');
  assert.strictEqual(doc.lineAt(d.range.start.line).text, o.lineAfter);
  await waitForDiagnostics(doc.uri, (all) => !ours(all).some((x) => codeOf(x) === codeOf(d) && x.range.start.line === d.range.start.line));
  // Undo restores the text (the secret stays in the vault).
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('undo');
  assert.strictEqual(doc.getText(), before, 'undo restores the text');
}

describe('Key Vault move against the fake Azure (Node host, real SDK)', function () {
  this.timeout(60_000);

  before(async function () {
    if (expectedHost !== 'node') return;
    const ext = await activateExtension();
    api = ext.exports as unknown as Api;
    az = await startFakeAzureInHost();
    az.fake.addSubscription({ subscriptionId: SUBSCRIPTION, displayName: 'Contoso Dev', tenantId: TENANT });
  });
  after(async () => {
    api?.setUserInput(undefined);
    await az?.dispose();
  });
  beforeEach(() => {
    if (!az) return;
    az.fake.clearFaults();
    az.fake.clearLog();
    az.fake.vaults.clear();
    az.fake.addVault({ name: VAULT, subscriptionId: SUBSCRIPTION, tenantId: TENANT, properties: { enabledForTemplateDeployment: true } });
  });
  afterEach(closeAll);

  // ---- one test per file kind -------------------------------------------------------------------------
  const ref = (q: string, name: string) => `${q}@Microsoft.KeyVault(SecretUri=https://${HOST}/secrets/${name}/)${q}`;
  const sample = (rel: string, rule: string) => {
    const e = files[rel].find((x) => x.rule === rule)!;
    return { uri: () => Promise.resolve(vscode.Uri.joinPath(workspaceRoot(), rel)), rule, line: e.line };
  };
  const kinds: {
    kind: string;
    file: { uri: () => Promise<vscode.Uri>; rule?: string; line?: number };
    steps: (name?: string) => Step[];
    name: string;
    setting?: string;
    /** The edited line, from the line before. */
    after: (line: string, name: string) => string;
  }[] = [
    {
      kind: 'ARM template app setting (infra/azuredeploy.json)',
      file: sample('infra/azuredeploy.json', 'SECRET-AZURE-IDENTIFIABLE-KEY'),
      steps: typed,
      name: 'StorageConnection',
      setting: 'StorageConnection',
      after: (l, n) => l.replace(/"value": ".*"/, `"value": ${ref('"', n)}`),
    },
    {
      kind: 'Terraform app_settings (infra/main.tf)',
      file: sample('infra/main.tf', 'SECRET-AZURE-IDENTIFIABLE-KEY'),
      steps: typed,
      name: 'ServiceBusConnection',
      after: (l, n) => l.replace(/= ".*"/, `= ${ref('"', n)}`),
    },
    {
      kind: 'local.settings.json (src/Functions)',
      file: sample('src/Functions/local.settings.json', 'SECRET-AZURE-IDENTIFIABLE-KEY'),
      steps: typed,
      name: 'CosmosConnection',
      after: (l, n) => l.replace(/: ".*"/, `: ${ref('"', n)}`),
    },
    {
      kind: 'appsettings.json connection string (src/Api)',
      file: sample('src/Api/appsettings.json', 'SECRET-CONNECTION-STRING'),
      steps: typed,
      name: 'ConnectionStrings--OrdersDb',
      after: (l) => l.replace(/: ".*"/, ': ""'),
    },
    {
      kind: '.env',
      file: sample('.env', 'SECRET-ENTRA-CLIENT-SECRET'),
      steps: typed,
      name: 'AZURE-CLIENT-SECRET',
      after: (l) => l.replace(/=.*/, '='),
    },
    {
      kind: 'code file: C# string literal (src/Api/Program.cs)',
      file: sample('src/Api/Program.cs', 'SECRET-SAS-TOKEN'),
      steps: typed,
      name: 'export-url',
      after: (l) => l.replace(/".*"/, 'Environment.GetEnvironmentVariable("EXPORT_URL")'),
    },
    {
      kind: 'Bicep app setting (scratch site.bicep)',
      file: {
        uri: () =>
          writeScratchFile(
            'site.bicep',
            [
              "resource site 'Microsoft.Web/sites@2024-04-01' = {",
              "  name: 'contoso-web'",
              "  location: 'westeurope'",
              '  properties: {',
              '    httpsOnly: true',
              '    siteConfig: {',
              "      minTlsVersion: '1.2'",
              '      appSettings: [',
              '        {',
              "          name: 'StorageConnection'",
              `          value: 'DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${storageKey(901)};EndpointSuffix=core.windows.net'`,
              '        }',
              '      ]',
              '    }',
              '  }',
              '}',
              '',
            ].join('\n'),
          ),
      },
      steps: typed,
      name: 'StorageConnection',
      after: (l, n) => l.replace(/'.*'/, ref("'", n)),
    },
    {
      kind: 'ARM parameters file (scratch, vault chosen by Browse through Resource Graph)',
      file: {
        uri: () =>
          writeScratchFile(
            'azuredeploy.parameters.json',
            JSON.stringify(
              {
                $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
                contentVersion: '1.0.0.0',
                parameters: {
                  siteName: { value: 'contoso-web' },
                  storageConnection: { value: `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${storageKey(902)};EndpointSuffix=core.windows.net` },
                },
              },
              null,
              2,
            ) + '\n',
          ),
      },
      steps: () => browsed(),
      name: 'storageConnection',
      after: (l, n) => l.replace(/"value": ".*"/, `"reference": { "keyVault": { "id": "${VAULT_ID}" }, "secretName": "${n}" }`),
    },
  ];

  for (const k of kinds) {
    itNode(`${k.kind}: stored in the vault with tags, reference in the file, diagnostic gone, undo restores`, async () => {
      const { doc, d } = await openSecret(await k.file.uri(), k.file.rule, k.file.line);
      const before = doc.getText();
      const lineBefore = doc.lineAt(d.range.start.line).text;
      const { ok, input } = await move(doc, d, [...k.steps(), { confirm: CONFIRM }]);
      assert.ok(ok, `the move failed: ${JSON.stringify(input.notifications)}`);
      const proposed = input.prompts.find((p) => p.kind === 'input' && /secret name/.test(p.title));
      assert.strictEqual(proposed?.shown[1], k.name, 'proposed secret name');
      await assertMoved({ doc, d, before, input, secretName: k.name, lineAfter: k.after(lineBefore, k.name), setting: k.setting });
      assert.ok(kvRequests().some((e) => e.method === 'PUT' && e.status === 200), 'the secret was written with PUT');
    });
  }

  // ---- the scan profile: the move scans like the diagnostics, once per command ----------------------------
  itNode('custom-pattern finding (customPatterns setting): the quick fix moves it to the vault', async () => {
    const config = vscode.workspace.getConfiguration('azureSecureDev');
    await config.update('customPatterns', [{ id: 'contoso-token', pattern: 'ctso_[a-z0-9]{16}' }], vscode.ConfigurationTarget.Workspace);
    try {
      // An internal token format only this workspace knows, built from pieces at run time.
      const token = ['ctso', '_', 'k3v9', 'q2x7', 'm5p1', 'z8w4'].join('');
      const { doc, d } = await openSecret(await writeScratchFile('.env', `BUILD_LABEL=${token}\n`), 'CUSTOM-CONTOSO-TOKEN');
      const before = doc.getText();
      const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
      assert.ok(ok, `the move failed: ${JSON.stringify(input.notifications)}`);
      await assertMoved({ doc, d, before, input, secretName: 'BUILD-LABEL', lineAfter: 'BUILD_LABEL=' });
    } finally {
      await config.update('customPatterns', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  itNode('Move all with three secrets: one vault, all three moved, and the file scanned once for the whole command', async () => {
    const names = ['FIRST_KEY', 'SECOND_KEY', 'THIRD_KEY'];
    const uri = await writeScratchFile('.env', names.map((n, i) => `${n}=${storageKey(920 + i)}`).join('\n') + '\n');
    const rel = vscode.workspace.asRelativePath(uri, false);
    const all = await waitForDiagnostics(uri, (x) => ours(x).filter(isSecret).length === 3, 15_000).catch(async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      return waitForDiagnostics(uri, (x) => ours(x).filter(isSecret).length === 3, 15_000);
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    for (const d of ours(all).filter(isSecret)) planted.add(doc.getText(d.range));
    // One vault for all, then each secret is named and confirmed (last first).
    const input = new ScriptedUserInput([...typed(), { confirm: CONFIRM }, { input: (p) => p }, { confirm: CONFIRM }, { input: (p) => p }, { confirm: CONFIRM }]);
    inputs.push(input);
    api.setUserInput(input);
    let moved: number | undefined;
    try {
      moved = await vscode.commands.executeCommand<number>('azureSecureDev.moveAllSecretsToKeyVault', uri);
    } finally {
      api.setUserInput(undefined);
    }
    assert.deepStrictEqual(errors(input), []);
    assert.strictEqual(moved, 3, JSON.stringify(input.notifications));
    assert.strictEqual(doc.getText(), names.map((n) => `${n}=`).join('\n') + '\n');
    for (const n of names) assert.ok(az.fake.secret(VAULT, n.replace('_', '-')), `the vault holds ${n}`);
    // Each scan the move makes is one log line; the last "stored" line comes after every scan of the command.
    let log = extensionLogText().text;
    const stored = () => log.split('\n').filter((l) => l.includes('stored secret') && l.endsWith(`for ${rel}`)).length;
    for (let i = 0; i < 50 && stored() < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      log = extensionLogText().text;
    }
    assert.strictEqual(stored(), 3, 'the log holds the three moves');
    const scans = log.split('\n').filter((l) => l.includes(`Key Vault move: scanned ${rel} (`));
    assert.deepStrictEqual(scans.map((l) => l.replace(/^.*Key Vault move: /, '')), [`scanned ${rel} (3 secret(s))`], 'one scan for the whole command');
  });

  // ---- faults -------------------------------------------------------------------------------------------
  const faultFile = async (seed: number) =>
    openSecret(
      await writeScratchFile(
        'local.settings.json',
        JSON.stringify({ IsEncrypted: false, Values: { StorageConnection: `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${storageKey(seed)};EndpointSuffix=core.windows.net` } }, null, 2) + '\n',
      ),
    );
  const PUT = `PUT ${HOST}/secrets/`;
  const unchanged = (doc: vscode.TextDocument, before: string) => assert.strictEqual(doc.getText(), before, 'the document is unchanged');

  const faults: { name: string; run: (seed: number) => Promise<void> }[] = [
    {
      name: '401 challenge (every new client starts unauthenticated): handled transparently with a CLI token for the challenge tenant',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        assert.deepStrictEqual(errors(input), []);
        const kv = kvRequests();
        const challenged = kv.filter((e) => e.status === 401 && !e.authenticated);
        assert.ok(challenged.length >= 1, 'the vault challenged an unauthenticated request');
        const put = kv.filter((e) => e.method === 'PUT');
        assert.deepStrictEqual(put.map((e) => [e.status, e.authenticated]).slice(-1), [[200, true]]);
        assert.ok(kv.every((e) => e.status !== 401 || !e.authenticated), 'no authenticated request was refused');
        const calls = az.azCalls().join('\n');
        assert.match(calls, new RegExp(`account get-access-token --output json --resource https://vault\\.azure\\.net --tenant ${TENANT}`));
      },
    },
    {
      name: '403 on write: unchanged, and the user is told which role is missing on which vault',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, status: 403 });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        const [msg] = errors(input);
        assert.match(msg ?? '', /Key Vault Secrets Officer role/);
        assert.match(msg ?? '', /vault contoso-kv/);
        assert.match(msg ?? '', /is unchanged/);
        assert.strictEqual(az.fake.secret(VAULT, 'StorageConnection'), undefined);
      },
    },
    {
      name: '409 soft-deleted name: the flow offers "Recover …", recovers, then stores a new version',
      run: async (seed) => {
        az.fake.vaults.clear();
        az.fake.addVault({ name: VAULT, subscriptionId: SUBSCRIPTION, tenantId: TENANT, deletedSecrets: [{ name: 'StorageConnection', value: 'old-value' }] });
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        const { ok, input } = await move(doc, d, [...typed(), { pick: /^Recover the deleted secret "StorageConnection"/ }, { confirm: CONFIRM }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        assert.ok(input.prompts.some((p) => /is deleted but recoverable in contoso-kv/.test(p.title)));
        assert.ok(az.fake.requests({ method: 'POST', pathIncludes: '/deletedsecrets/StorageConnection/recover' }).length === 1, 'recovered');
        assert.strictEqual(az.fake.vault(VAULT).secrets.get('storageconnection')?.length, 2, 'a new version on top of the recovered one');
        await assertMoved({ doc, d, before, input, secretName: 'StorageConnection', lineAfter: `    "StorageConnection": ${ref('"', 'StorageConnection')}` });
      },
    },
    {
      name: '409 on write (the name was deleted after the check): unchanged, told to recover or rename',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, status: 409 });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(errors(input)[0] ?? '', /deleted secret named 'StorageConnection' still exists in vault contoso-kv.*Recover it/);
      },
    },
    {
      name: '429 with Retry-After: retried after the wait and succeeds',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        const f = az.fake.fault({ route: PUT, status: 429, retryAfterSeconds: 1, times: 1 });
        const t0 = Date.now();
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        assert.strictEqual(f.hits, 1);
        const puts = kvRequests().filter((e) => e.method === 'PUT' && e.authenticated);
        assert.deepStrictEqual(puts.map((e) => e.status), [429, 200]);
        assert.ok(Date.now() - t0 >= 1000, 'waited for Retry-After');
        await assertMoved({ doc, d, before, input, secretName: 'StorageConnection', lineAfter: `    "StorageConnection": ${ref('"', 'StorageConnection')}` });
      },
    },
    {
      name: '500 on every write: unchanged, and told it is a server error',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, status: 500 });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(errors(input)[0] ?? '', /server error .*contoso-kv/);
      },
    },
    {
      name: 'dropped connection on every write: unchanged, and told the vault could not be reached',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, drop: true });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(errors(input)[0] ?? '', /(Could not reach|did not answer in time).*contoso-kv.*is unchanged|is unchanged.*(Could not reach|did not answer in time)/);
      },
    },
    {
      name: 'document edited between confirm and write (lines inserted above): the value is found again and replaced',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const original = doc.getText();
        const edit = async () => {
          const we = new vscode.WorkspaceEdit();
          we.insert(doc.uri, new vscode.Position(0, 0), '\n\n');
          assert.ok(await vscode.workspace.applyEdit(we));
        };
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM, before: edit }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        const line = doc.lineAt(d.range.start.line + 2).text;
        assert.strictEqual(line, `    "StorageConnection": ${ref('"', 'StorageConnection')}`);
        assert.ok(!doc.getText().includes(original.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character)), 'the secret left the file');
      },
    },
    {
      name: 'document edited between confirm and write (the value itself changed): stop, and say where the secret is',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const edit = async () => {
          const we = new vscode.WorkspaceEdit();
          we.replace(doc.uri, new vscode.Range(d.range.start, d.range.start.translate(0, 4)), 'XXXX');
          assert.ok(await vscode.workspace.applyEdit(we));
        };
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM, before: edit }]);
        assert.strictEqual(ok, false);
        const [msg] = errors(input);
        assert.match(msg ?? '', /changed while the secret was stored/);
        assert.match(msg ?? '', /stored in vault contoso-kv as secret "StorageConnection"/);
        assert.ok(az.fake.secret(VAULT, 'StorageConnection'), 'the secret is in the vault');
        assert.ok(!doc.getText().includes('@Microsoft.KeyVault'), 'the file was not edited');
      },
    },
    {
      name: 'vault typed as a host off the Key Vault suffixes: refused by the input, no request at all',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        const connects = az.connects.length;
        const { ok, input } = await move(doc, d, [{ pick: TYPE_VAULT }, { input: 'contoso-kv.evil.example.com', rejected: true }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(input.validation[0] ?? '', /Vault names are 3–24 letters/);
        assert.deepStrictEqual(az.fake.requests(), []);
        assert.strictEqual(az.connects.length, connects, 'no connection to the proxy');
      },
    },
    {
      name: 'workspace setting keyVault.defaultVault pointing elsewhere: never offered, no request',
      run: async (seed) => {
        const config = vscode.workspace.getConfiguration('azureSecureDev');
        await config.update('keyVault.defaultVault', 'contoso-kv.evil.example.com', vscode.ConfigurationTarget.Workspace);
        try {
          const { doc, d } = await faultFile(seed);
          const { ok, input } = await move(doc, d, [{ pick: null }]);
          assert.strictEqual(ok, false);
          const labels = input.prompts[0].shown;
          assert.ok(!labels.some((l) => /evil/.test(l)), labels.join(' | '));
          assert.deepStrictEqual(az.fake.requests(), []);
        } finally {
          await config.update('keyVault.defaultVault', undefined, vscode.ConfigurationTarget.Workspace);
        }
      },
    },
    {
      name: 'vault from Resource Graph whose vaultUri is off the Key Vault suffix: refused before any Key Vault request',
      run: async (seed) => {
        const connects = az.connects.length;
        az.fake.addVault({ name: 'rogue-kv', subscriptionId: SUBSCRIPTION, tenantId: TENANT, properties: { vaultUri: 'https://rogue-kv.evil.example.com/' } });
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        const { ok, input } = await move(doc, d, browsed('$(key) rogue-kv').slice(0, 3));
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(errors(input)[0] ?? '', /Refusing vault URL 'https:\/\/rogue-kv\.evil\.example\.com'.*not a Key Vault host of AzureCloud/);
        const hosts = new Set(az.fake.requests().map((e) => e.host));
        assert.deepStrictEqual([...hosts], ['management.azure.com'], 'only Resource Manager was called');
        assert.ok(!az.connects.slice(connects).some((c) => /evil|vault\.azure/.test(c)), 'no tunnel to the vault host');
      },
    },
    {
      name: 'vault from Resource Graph in another cloud (vault.azure.cn): refused before any Key Vault request',
      run: async (seed) => {
        az.fake.addVault({ name: 'china-kv', cloud: 'AzureChinaCloud', subscriptionId: SUBSCRIPTION, tenantId: TENANT });
        const { doc, d } = await faultFile(seed);
        const { ok, input } = await move(doc, d, browsed('$(key) china-kv').slice(0, 3));
        assert.strictEqual(ok, false);
        assert.match(errors(input)[0] ?? '', /Refusing vault URL 'https:\/\/china-kv\.vault\.azure\.cn'/);
        assert.deepStrictEqual([...new Set(az.fake.requests().map((e) => e.host))], ['management.azure.com']);
      },
    },
    {
      name: 'vault renamed or deleted (404): unchanged, and the user is told the vault was not found',
      run: async (seed) => {
        az.fake.vaults.clear();
        az.fake.autoCreateVaults = false;
        try {
          const { doc, d } = await faultFile(seed);
          const before = doc.getText();
          const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
          assert.strictEqual(ok, false);
          unchanged(doc, before);
          assert.match(errors(input)[0] ?? '', /contoso-kv/);
          assert.match(errors(input)[0] ?? '', /not found|does not exist/i);
        } finally {
          az.fake.autoCreateVaults = true;
        }
      },
    },
    {
      name: 'expired or revoked sign-in (401 on an authenticated write): unchanged, told to sign in again',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, status: 401 });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.strictEqual(ok, false);
        unchanged(doc, before);
        assert.match(errors(input)[0] ?? '', /sign/i);
        assert.strictEqual(az.fake.secret(VAULT, 'StorageConnection'), undefined);
      },
    },
    {
      name: 'slow vault (2 s per write): the move waits and completes',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const before = doc.getText();
        az.fake.fault({ route: PUT, delayMs: 2000 });
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        await assertMoved({ doc, d, before, input, secretName: 'StorageConnection', lineAfter: `    "StorageConnection": ${ref('"', 'StorageConnection')}` });
      },
    },
    {
      name: 'editor closed while the secret is written: the document still gets the reference',
      run: async (seed) => {
        const { doc, d } = await faultFile(seed);
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM, before: () => vscode.commands.executeCommand('workbench.action.closeAllEditors') as Promise<void> }]);
        assert.ok(ok, JSON.stringify(input.notifications));
        const now = await vscode.workspace.openTextDocument(doc.uri);
        assert.ok(now.getText().includes(ref('"', 'StorageConnection')), now.getText());
        assert.ok(az.fake.secret(VAULT, 'StorageConnection'), 'the vault holds the secret');
      },
    },
  ];
  faults.forEach((f, i) => itNode(`fault: ${f.name}`, () => f.run(950 + i)));

  // ---- sovereign clouds -----------------------------------------------------------------------------------
  // The cloud is VS Code's own user setting microsoft-sovereign-cloud.environment; the fake `az` answers for any
  // cloud's resource, and the proxy routes vault.azure.cn / vault.usgovcloudapi.net to the fake like any host.
  const sovereign: { env: 'ChinaCloud' | 'USGovernment'; cloud: 'AzureChinaCloud' | 'AzureUSGovernment'; suffix: string; resource: string }[] = [
    { env: 'ChinaCloud', cloud: 'AzureChinaCloud', suffix: 'vault.azure.cn', resource: 'https://vault.azure.cn' },
    { env: 'USGovernment', cloud: 'AzureUSGovernment', suffix: 'vault.usgovcloudapi.net', resource: 'https://vault.usgovcloudapi.net' },
  ];
  sovereign.forEach((c, i) =>
    itNode(`sovereign cloud ${c.env}: the secret is stored in the ${c.suffix} vault and the file gets that reference`, async () => {
      const sovereignHost = `${VAULT}.${c.suffix}`;
      az.fake.addVault({ name: VAULT, cloud: c.cloud, subscriptionId: SUBSCRIPTION, tenantId: TENANT });
      await setSovereignCloud(c.env);
      try {
        const { doc, d } = await faultFile(980 + i);
        const { ok, input } = await move(doc, d, [...typed(), { confirm: CONFIRM }]);
        assert.ok(ok, `the move failed: ${JSON.stringify(input.notifications)}`);
        assert.deepStrictEqual(errors(input), []);
        const stored = az.fake.secret(sovereignHost, 'StorageConnection');
        assert.ok(stored, `the ${c.suffix} vault holds the secret`);
        assert.ok(doc.getText().includes(`@Microsoft.KeyVault(SecretUri=https://${sovereignHost}/secrets/StorageConnection/)`), doc.getText());
        const hosts = new Set(az.fake.requests().map((e) => e.host));
        assert.deepStrictEqual([...hosts], [sovereignHost], 'only the sovereign vault was called');
        assert.match(az.azCalls().join('\n'), new RegExp(`--resource ${c.resource.replace(/\./g, '\\.')}( |$)`, 'm'));
      } finally {
        await setSovereignCloud(undefined);
      }
    }),
  );

  // ---- nothing leaks ------------------------------------------------------------------------------------
  itNode('the output channel log, every notification and prompt, and the fake request log hold no planted secret', async () => {
    // Every planted secret of the sample workspace, not only the ones moved above.
    for (const [rel, list] of Object.entries(files)) {
      if (!list.some((e) => e.rule.startsWith('SECRET-'))) continue;
      const uri = vscode.Uri.joinPath(workspaceRoot(), rel);
      const all = await waitForDiagnostics(uri, (x) => ours(x).some(isSecret), 15_000).catch(async () => {
        await vscode.workspace.openTextDocument(uri);
        return waitForDiagnostics(uri, (x) => ours(x).some(isSecret), 15_000);
      });
      const doc = await vscode.workspace.openTextDocument(uri);
      for (const d of ours(all).filter(isSecret)) planted.add(doc.getText(d.range));
    }
    assert.ok(planted.size >= 8, `planted values collected: ${planted.size}`);
    // The LogOutputChannel is flushed to <user-data>/logs/<session>/.../Azure Secure Dev.log by the host.
    let log = extensionLogText();
    for (let i = 0; i < 50 && !/stored secret "StorageConnection"/.test(log.text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      log = extensionLogText();
    }
    assert.ok(log.files.length > 0, 'found the extension log file');
    assert.match(log.text, /stored secret "StorageConnection" in contoso-kv/, `the log holds the moves (${log.files.join(', ')})`);
    assert.match(log.text, /storing secret "StorageConnection" in contoso-kv failed \(forbidden\)/);
    const shown = inputs.map((i) => i.visibleText).join('\n');
    assert.ok(inputs.length >= 15 && shown.includes('Key Vault Secrets Officer'), 'notifications were recorded');
    const requests = JSON.stringify(az.fake.requests());
    for (const v of planted) {
      assert.ok(v.length >= 8, 'a planted value is a real token');
      const at = (where: string) => `a planted secret (${v.length} characters, starting ${v.slice(0, 3)}…) appears in ${where}`;
      assert.ok(!log.text.includes(v), at('the extension log'));
      assert.ok(!shown.includes(v), at('a prompt or notification'));
      assert.ok(!requests.includes(v), at('the fake request log'));
    }
  });

  // ---- what the proxy saw (the experiment behind HTTPS_PROXY in the extension host) ----------------------
  itNode('the SDK reached the fake only through HTTPS_PROXY (CONNECT tunnels seen by the relay and the fake proxy)', () => {
    console.log(`[keyVault] CONNECTs seen by the relay: ${[...new Set(az.connects)].join(" || ")}; NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} PATH=${process.env.PATH}`);
    const tunnels = az.fake.proxy!.log.filter((e) => e.outcome === 'tunnelled').map((e) => e.target);
    assert.ok(tunnels.includes(`${HOST}:443`) && tunnels.includes('management.azure.com:443'), tunnels.join(', '));
    assert.ok(az.connects.every((c) => /^CONNECT [a-z0-9.-]+:443 HTTP\/1\.1/.test(c)), az.connects[0]);
  });
});
