import * as vscode from 'vscode';
import type { KeyVaultCallOptions } from '../../azure';
import { isValidSecretName, isValidVaultName, SECRET_NAME_RULE, VAULT_NAME_RULE } from '../../core/vocabulary/azure';
import type { Finding, ParsedDocument } from '../../core/model';
import type { ScannedDocument } from '../../core/profile';
import { planKeyVaultMove, type MovePlan, type VaultTarget } from '../../core/references/keyVaultMove';
import type { MoveSecretTarget } from './moveTarget';
import { authMethod, currentCloud, type AzureAuth } from '../auth/azureAuth';
import { loadAzure, type AzureModule } from '../azureLoader';
import { log } from '../ui/log';
import { userInput } from '../ui/userInput';

const RECENT_KEY = 'azureSecureDev.recentVaults';
const MAX_RECENT = 5;

interface PickedVault extends VaultTarget {
  url: string;
  tenantId?: string;
}

/** Everything the move needs from the outside; tests and the extension pass the real ones. */
export interface MoveDeps {
  auth: AzureAuth;
  state: vscode.Memento;
  /** Scans a document under its folder's scan profile (custom patterns included), keeping the parsed document. */
  scan(doc: vscode.TextDocument): Promise<ScannedDocument>;
}


type Azure = AzureModule;
/** What every Key Vault call of one move shares: the vault, the signed-in cloud and the credential. */
type VaultCall = Pick<KeyVaultCallOptions, 'vaultUrl' | 'cloud' | 'credential'>;

async function azure(): Promise<Azure> {
  // The Azure SDK is loaded when a move starts, never at activation.
  return loadAzure();
}

/**
 * "Move secret to Azure Key Vault…" for the finding the quick fix names (or the secret under a range): one scan of
 * the document, under the same profile as its diagnostics, then the move planned from that scan.
 */
export async function moveSecretToKeyVault(deps: MoveDeps, uri: vscode.Uri, at: MoveSecretTarget | vscode.Range): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const scanned = await deps.scan(doc);
  const found = findingAt(doc, scanned.findings, at);
  if (!found) {
    userInput().notify('warning', 'Azure Secure Dev: there is no secret at this place any more.');
    return false;
  }
  return moveFinding(deps, doc, scanned.doc, found);
}

/** Write the secret first, change the document only after that worked. `parsed` is the scan `found` came from. */
async function moveFinding(deps: MoveDeps, doc: vscode.TextDocument, parsed: ParsedDocument, found: Finding, preset?: { vault?: PickedVault }): Promise<boolean> {
  const uri = doc.uri;
  const plannedVersion = doc.version;
  const planned = planKeyVaultMove(parsed, doc.uri.path, found);
  if (!planned.ok) {
    userInput().notify('warning', `Azure Secure Dev: ${planned.reason}.`);
    return false;
  }
  const plan = planned.plan;
  const vault = preset?.vault && (!plan.needsResourceId || preset.vault.resourceId) ? preset.vault : await pickVault(deps, plan.needsResourceId);
  if (!vault) return false;
  if (preset) preset.vault = vault;
  const az = await azure();
  // The cloud goes with every Key Vault call: each one checks the vault host against it again.
  const cloud = currentCloud().name;
  try {
    az.checkVaultUrl(vault.url, cloud);
  } catch (e) {
    userInput().notify('error', `Azure Secure Dev: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  const target: VaultCall = { vaultUrl: vault.url, cloud, credential: await deps.auth.credential(vault.tenantId) };
  const name = await pickSecretName(az, target, vault, plan.proposedName);
  if (!name) return false;

  const relPath = vscode.workspace.asRelativePath(uri, false);
  const confirm = await userInput().confirm(
    'Move the secret to Key Vault?',
    `${plan.describe(vault, name.name)}\n\nThe file changes only after the vault has accepted the secret.`,
    'Move to Key Vault',
  );
  if (confirm !== 'Move to Key Vault') return false;

  const stored = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Azure Secure Dev: storing secret "${name.name}" in ${vault.name}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        if (name.recover) await az.recoverSecret({ ...target, name: name.name, abortSignal: abort.signal });
        await az.storeSecret({
          ...target,
          name: name.name,
          value: plan.secretValue,
          contentType: 'text/plain',
          tags: { createdBy: 'azure-secure-dev', sourceFile: relPath.slice(0, 256), ...(found.settingName ? { setting: found.settingName.slice(0, 256) } : {}) },
          abortSignal: abort.signal,
        });
        return true;
      } catch (e) {
        const d = az.describeAzureError(e, { vault: vault.name, secret: name.name });
        log().error(`storing secret "${name.name}" in ${vault.name} failed (${d.kind})`);
        userInput().notify('error', `Azure Secure Dev: the secret was not stored and ${relPath} is unchanged. ${d.message}`);
        return false;
      }
    },
  );
  if (!stored) return false;
  log().info(`stored secret "${name.name}" in ${vault.name} (${plan.form}) for ${relPath}`);
  rememberVault(deps.state, vault);

  // The file may have changed while the vault was written: find the value again, or stop and say where it is.
  const where = `It is stored in vault ${vault.name} as secret "${name.name}".`;
  let edited: MovePlan = plan;
  if (doc.isClosed || doc.version !== plannedVersion) {
    const now = await vscode.workspace.openTextDocument(uri);
    const text = now.getText();
    const at = text.indexOf(plan.secretValue);
    const rescanned = at >= 0 && text.indexOf(plan.secretValue, at + 1) === -1 ? await deps.scan(now) : undefined;
    const again = rescanned && findingAt(now, rescanned.findings, new vscode.Range(now.positionAt(at), now.positionAt(at + plan.secretValue.length)));
    const replanned = rescanned && again ? planKeyVaultMove(rescanned.doc, now.uri.path, again) : undefined;
    if (!replanned?.ok || replanned.plan.secretValue !== plan.secretValue) {
      userInput().notify('warning', `Azure Secure Dev: ${relPath} changed while the secret was stored, and the value could not be found again exactly. ${where} Replace the value by hand.`);
      return false;
    }
    edited = replanned.plan;
  }
  const current = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(current.positionAt(edited.start), current.positionAt(edited.end)), edited.replacement(vault, name.name));
  if (!(await vscode.workspace.applyEdit(edit))) {
    userInput().notify('warning', `Azure Secure Dev: ${relPath} could not be edited. ${where} Replace the value by hand.`);
    return false;
  }
  userInput().notify('info', `Azure Secure Dev: moved to Key Vault. ${where} Undo restores the text; the secret stays in the vault.`);
  return true;
}

/**
 * The secret finding of a fresh scan that the target names: the same rule at the same place, or else the secret
 * that overlaps it (a range, or a diagnostic of a slightly older version). Never a stale diagnostic's values.
 */
function findingAt(doc: vscode.TextDocument, findings: readonly Finding[], at: MoveSecretTarget | vscode.Range): Finding | undefined {
  const range = at instanceof vscode.Range ? at : new vscode.Range(at.line, at.column, at.endLine, at.endColumn);
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const secrets = findings.filter((f) => f.tag === 'secret');
  const exact = at instanceof vscode.Range ? undefined : secrets.find((f) => f.ruleId === at.ruleId && f.start === start && f.end === end);
  return exact ?? secrets.find((f) => f.start < Math.max(end, start + 1) && start < f.end);
}

interface VaultPick extends vscode.QuickPickItem {
  vault?: PickedVault;
  action?: 'browse' | 'type';
}

function vaultFromName(name: string): PickedVault {
  const host = `${name.toLowerCase()}.${currentCloud().keyVaultSuffix}`;
  return { name, host, url: `https://${host}` };
}

async function pickVault(deps: MoveDeps, needsResourceId: boolean): Promise<PickedVault | undefined> {
  const items: VaultPick[] = [];
  // The workspace's vault comes from settings; in Restricted Mode only the user's own value counts.
  const inspect = vscode.workspace.getConfiguration('azureSecureDev').inspect<string>('keyVault.defaultVault');
  const configured = vscode.workspace.isTrusted ? (inspect?.workspaceFolderValue ?? inspect?.workspaceValue ?? inspect?.globalValue) : inspect?.globalValue;
  if (configured && isValidVaultName(configured) && !needsResourceId) items.push({ label: `$(key) ${configured}`, description: 'linked to this workspace', vault: vaultFromName(configured) });
  for (const v of recentVaults(deps.state)) {
    if (needsResourceId && !v.resourceId) continue;
    if (!v.host.endsWith(`.${currentCloud().keyVaultSuffix}`)) continue;
    items.push({ label: `$(history) ${v.name}`, description: 'recently used', vault: v });
  }
  items.push({ label: '$(search) Browse vaults in a subscription…', action: 'browse' });
  if (!needsResourceId) items.push({ label: '$(edit) Enter a vault name…', action: 'type' });
  const picked = await userInput().showQuickPick(items, { title: 'Move secret to Azure Key Vault (1/2): choose the vault', placeHolder: 'Vault', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.vault) return picked.vault;
  if (picked.action === 'type') {
    const name = await userInput().showInputBox({
      title: 'Key Vault name',
      prompt: `The vault's name; its address is https://<name>.${currentCloud().keyVaultSuffix}`,
      ignoreFocusOut: true,
      validateInput: (v) => (isValidVaultName(v) ? undefined : VAULT_NAME_RULE),
    });
    return name ? vaultFromName(name) : undefined;
  }
  return browseVaults(deps);
}

async function browseVaults(deps: MoveDeps): Promise<PickedVault | undefined> {
  if (authMethod() === 'vscode' && !deps.auth.isSignedIn && !(await deps.auth.signIn())) return undefined;
  const az = await azure();
  const credential = await deps.auth.credential();
  const arm = az.createArmClient({ credential, cloud: currentCloud().name });
  try {
    const subs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing subscriptions' }, () => arm.listSubscriptions());
    const sub = await userInput().showQuickPick(
      subs.map((s) => ({ label: s.displayName, description: s.subscriptionId, sub: s })),
      { title: 'Choose the subscription', ignoreFocusOut: true },
    );
    if (!sub) return undefined;
    const vaults = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing key vaults' }, () => arm.listVaults([sub.sub.subscriptionId]));
    if (!vaults.length) {
      userInput().notify('info', `Azure Secure Dev: no key vault in ${sub.sub.displayName}. Create one in the portal or with "az keyvault create".`);
      return undefined;
    }
    const pick = await userInput().showQuickPick(
      vaults.map((v) => ({ label: `$(key) ${v.name}`, description: v.resourceGroup, vault: v })),
      { title: 'Choose the vault', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    const host = new URL(pick.vault.vaultUri).host;
    return { name: pick.vault.name, host, url: `https://${host}`, resourceId: pick.vault.id, tenantId: pick.vault.tenantId ?? sub.sub.tenantId };
  } catch (e) {
    const d = az.describeAzureError(e, {});
    userInput().notify('error', `Azure Secure Dev: could not list vaults. ${d.message}`);
    return undefined;
  }
}

async function pickSecretName(
  az: Azure,
  target: VaultCall,
  vault: PickedVault,
  proposed: string,
): Promise<{ name: string; recover: boolean } | undefined> {
  let value = proposed;
  for (;;) {
    const name = await userInput().showInputBox({
      title: 'Move secret to Azure Key Vault (2/2): secret name',
      value,
      prompt: `Name of the secret in ${vault.name}`,
      ignoreFocusOut: true,
      validateInput: (v) => (isValidSecretName(v) ? undefined : SECRET_NAME_RULE),
    });
    if (!name) return undefined;
    let state: 'absent' | 'exists' | 'deleted';
    try {
      state = await az.secretExists({ ...target, name });
    } catch (e) {
      const d = az.describeAzureError(e, { vault: vault.name, secret: name });
      userInput().notify('error', `Azure Secure Dev: could not check the vault. ${d.message}`);
      return undefined;
    }
    if (state === 'absent') return { name, recover: false };
    const choice = await userInput().showQuickPick(
      state === 'exists'
        ? [{ label: `Add a new version of "${name}"`, id: 'use' }, { label: 'Choose another name', id: 'other' }]
        : [{ label: `Recover the deleted secret "${name}" and add a new version`, id: 'use' }, { label: 'Choose another name', id: 'other' }],
      { title: state === 'exists' ? `"${name}" already exists in ${vault.name}` : `"${name}" is deleted but recoverable in ${vault.name}`, ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    if (choice.id === 'use') return { name, recover: state === 'deleted' };
    value = `${name}-2`;
  }
}

function recentVaults(state: vscode.Memento): PickedVault[] {
  const raw = state.get<unknown[]>(RECENT_KEY, []);
  return raw.filter((v): v is PickedVault => !!v && typeof (v as PickedVault).name === 'string' && typeof (v as PickedVault).host === 'string' && typeof (v as PickedVault).url === 'string');
}

function rememberVault(state: vscode.Memento, vault: PickedVault): void {
  const list = [vault, ...recentVaults(state).filter((v) => v.host !== vault.host)].slice(0, MAX_RECENT);
  void state.update(RECENT_KEY, list.map(({ name, host, url, resourceId, tenantId }) => ({ name, host, url, resourceId, tenantId })));
}

/**
 * "Move all secrets in this file": one vault for all, each secret named and confirmed, last first. One scan for
 * the whole command: each move edits only text after the secrets still to come, so their findings and the parsed
 * document stay true; only when the text before one changed (the user typed meanwhile) is the file scanned again.
 */
export async function moveAllSecretsToKeyVault(deps: MoveDeps, uri: vscode.Uri): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(uri);
  let scanned = await deps.scan(doc);
  const secrets = scanned.findings.filter((f) => f.tag === 'secret');
  if (!secrets.length) {
    userInput().notify('info', 'Azure Secure Dev: no secret in this file.');
    return 0;
  }
  const preset: { vault?: PickedVault } = {};
  let moved = 0;
  // From the end of the file, so earlier ranges stay valid while later ones change.
  for (const f of [...secrets].sort((a, b) => b.start - a.start)) {
    const current = await vscode.workspace.openTextDocument(uri);
    let finding: Finding | undefined = f;
    if (!unchangedUpTo(current, scanned.doc.text, f.end)) {
      scanned = await deps.scan(current);
      finding = scanned.findings.find((x) => x.ruleId === f.ruleId && x.fingerprint === f.fingerprint);
      if (!finding) continue; // edited away meanwhile
    }
    if (await moveFinding(deps, current, scanned.doc, finding, preset)) moved++;
    else if (!preset.vault) break; // cancelled before a vault was chosen
  }
  return moved;
}

/** Is the document's text up to `end` still the scanned text? (Checked up to the end of the line: a plan may reach its closing quote.) */
function unchangedUpTo(doc: vscode.TextDocument, scannedText: string, end: number): boolean {
  const lineEnd = scannedText.indexOf('\n', end);
  const upTo = lineEnd === -1 ? scannedText.length : lineEnd;
  return doc.getText(new vscode.Range(doc.positionAt(0), doc.positionAt(upTo))) === scannedText.slice(0, upTo);
}
