import * as vscode from 'vscode';
import { log } from '../ui/log';
import { iacSiteNames } from '../../core/declarations/names';

/** App Service resource ids: sites and slots. */
const SITE_ID = /^\/subscriptions\/[^/]{1,64}\/resourceGroups\/[^/]{1,90}\/providers\/Microsoft\.Web\/sites\/[^/]{1,60}(?:\/slots\/[^/]{1,60})?$/i;

export interface LinkedApp {
  id: string;
  /**
   * Where the link came from: the workspace settings, or detected from an azd project, the App Service extension's
   * setting, or a literal site name in the workspace's Bicep, ARM JSON or Terraform files.
   */
  source: 'linked' | 'azd' | 'appService' | 'iac';
  /**
   * Named by the workspace (its settings or files) rather than the user's own settings. In Restricted Mode such an
   * app is read with the user's token only after the user confirms it.
   */
  fromWorkspace: boolean;
}

export function isSiteId(id: unknown): id is string {
  return typeof id === 'string' && SITE_ID.test(id);
}

export function appName(id: string): string {
  const parts = id.split('/');
  const slot = parts.indexOf('slots');
  return slot > 0 ? `${parts[slot - 1]}/${parts[slot + 1]}` : parts[parts.length - 1];
}

/**
 * A setting as the user's value and the workspace's. Trusted, the workspace's value replaces the user's (as VS Code
 * merges them); in Restricted Mode both are kept apart, so the user's own links stay usable on their own.
 */
function layered<T>(section: string, key: string): { value: T; fromWorkspace: boolean }[] {
  const i = vscode.workspace.getConfiguration(section).inspect<T>(key);
  const workspace = i?.workspaceFolderValue ?? i?.workspaceValue;
  const own = i?.globalValue;
  if (vscode.workspace.isTrusted && workspace !== undefined) return [{ value: workspace, fromWorkspace: true }];
  return [
    ...(own !== undefined ? [{ value: own, fromWorkspace: false }] : []),
    ...(workspace !== undefined ? [{ value: workspace, fromWorkspace: true }] : []),
  ];
}

/** Links kept in settings (resource ids), plus apps found in the workspace. */
export async function linkedApps(): Promise<LinkedApp[]> {
  const out: LinkedApp[] = [];
  const add = (id: unknown, source: LinkedApp['source'], fromWorkspace: boolean) => {
    if (isSiteId(id) && !out.some((a) => a.id.toLowerCase() === id.toLowerCase())) out.push({ id, source, fromWorkspace });
  };
  for (const { value, fromWorkspace } of layered<unknown>('azureSecureDev', 'posture.apps')) if (Array.isArray(value)) for (const id of value) add(id, 'linked', fromWorkspace);
  for (const { value, fromWorkspace } of layered<unknown>('appService', 'defaultWebAppToDeploy')) add(value, 'appService', fromWorkspace);
  for (const id of await azdApps()) add(id, 'azd', true);
  return out;
}

export async function linkApps(ids: string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration('azureSecureDev');
  const current = (config.get<unknown[]>('posture.apps', []) ?? []).filter(isSiteId);
  const next = [...current];
  for (const id of ids) if (!next.some((x) => x.toLowerCase() === id.toLowerCase())) next.push(id);
  await config.update('posture.apps', next, vscode.ConfigurationTarget.Workspace);
}

export async function unlinkApp(id: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('azureSecureDev');
  const current = (config.get<unknown[]>('posture.apps', []) ?? []).filter(isSiteId);
  await config.update('posture.apps', current.filter((x) => x.toLowerCase() !== id.toLowerCase()), vscode.ConfigurationTarget.Workspace);
}

/**
 * An azd project: azure.yaml services hosted on App Service or Functions, and .azure/<env>/.env for the
 * subscription, resource group and the deployed names (SERVICE_<NAME>_NAME / SERVICE_<NAME>_RESOURCE_NAME).
 */
async function azdApps(): Promise<string[]> {
  const ids: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const yaml = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'azure.yaml')));
      const services = appServiceServices(yaml);
      if (!services.length) continue;
      const envDir = vscode.Uri.joinPath(folder.uri, '.azure');
      let envName: string | undefined;
      try {
        const config = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(envDir, 'config.json')))) as { defaultEnvironment?: string };
        envName = config.defaultEnvironment;
      } catch {
        const dirs = (await vscode.workspace.fs.readDirectory(envDir)).filter(([, t]) => t === vscode.FileType.Directory);
        envName = dirs[0]?.[0];
      }
      if (!envName || !/^[A-Za-z0-9_-]{1,64}$/.test(envName)) continue;
      const env = parseDotEnv(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(envDir, envName, '.env'))));
      const sub = env.AZURE_SUBSCRIPTION_ID;
      const rg = env.AZURE_RESOURCE_GROUP;
      if (!sub || !rg) continue;
      for (const s of services) {
        const key = s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
        const name = env[`SERVICE_${key}_NAME`] ?? env[`SERVICE_${key}_RESOURCE_NAME`];
        if (name) ids.push(`/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`);
      }
    } catch {
      // No azd project here, or an unreadable one: nothing detected.
    }
  }
  if (ids.length) log().debug(`detected ${ids.length} App Service app(s) from azd`);
  return ids;
}

/** Service names of azure.yaml whose host is appservice or function (a small line reader; azure.yaml is simple YAML). */
export function appServiceServices(yaml: string): string[] {
  const out: string[] = [];
  let inServices = false;
  let current: string | undefined;
  for (const raw of yaml.split(/\r?\n/)) {
    const hash = raw.indexOf(' #');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
    if (/^services:\s*$/.test(line)) {
      inServices = true;
      continue;
    }
    if (inServices && /^\S/.test(line)) inServices = false;
    if (!inServices) continue;
    const svc = /^ {2}([A-Za-z0-9_-]{1,64}):\s*$/.exec(line);
    if (svc) current = svc[1];
    const host = /^ {4}host:\s*["']?(appservice|function)["']?\s*$/.exec(line);
    if (host && current) out.push(current);
  }
  return out;
}

function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.trimStart().startsWith('#')) continue;
    env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** At most this many infrastructure files are read when looking for site names. */
export const IAC_FILE_CAP = 200;
export const IAC_MAX_BYTES = 1024 * 1024;
export const IAC_EXCLUDE = '**/{node_modules,.git,.terraform,bin,obj,dist,out}/**';

/**
 * Literal App Service site names declared in the workspace's Bicep, Terraform and ARM JSON files (at most
 * IAC_FILE_CAP files; Bicep and Terraform first, then JSON, of which only ARM templates are parsed).
 */
export async function iacAppNames(token?: vscode.CancellationToken): Promise<string[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const files = await vscode.workspace.findFiles('**/*.{bicep,tf}', IAC_EXCLUDE, IAC_FILE_CAP, token);
  if (files.length < IAC_FILE_CAP) files.push(...(await vscode.workspace.findFiles('**/*.json', IAC_EXCLUDE, IAC_FILE_CAP - files.length, token)));
  const names: string[] = [];
  for (const uri of files) {
    if (token?.isCancellationRequested) break;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > IAC_MAX_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      for (const n of iacSiteNames(uri.path, text)) if (!names.some((x) => x.toLowerCase() === n.toLowerCase())) names.push(n);
    } catch {
      // An unreadable file declares nothing.
    }
  }
  log().debug(`found ${names.length} App Service name(s) in ${files.length} infrastructure file(s)`);
  return names;
}
