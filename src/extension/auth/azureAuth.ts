import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import { loadAzure } from '../azureLoader';
import { log } from '../ui/log';

export type AuthMethod = 'vscode' | 'azureCli' | 'azureDeveloperCli';

export interface CloudInfo {
  name: 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';
  armEndpoint: string;
  keyVaultSuffix: string;
  portal: string;
  /** VS Code's authentication provider for this cloud. */
  authProvider: 'microsoft' | 'microsoft-sovereign-cloud';
}

const CLOUDS: Record<CloudInfo['name'], CloudInfo> = {
  AzureCloud: { name: 'AzureCloud', armEndpoint: 'https://management.azure.com', keyVaultSuffix: 'vault.azure.net', portal: 'https://portal.azure.com', authProvider: 'microsoft' },
  AzureChinaCloud: { name: 'AzureChinaCloud', armEndpoint: 'https://management.chinacloudapi.cn', keyVaultSuffix: 'vault.azure.cn', portal: 'https://portal.azure.cn', authProvider: 'microsoft-sovereign-cloud' },
  AzureUSGovernment: { name: 'AzureUSGovernment', armEndpoint: 'https://management.usgovcloudapi.net', keyVaultSuffix: 'vault.usgovcloudapi.net', portal: 'https://portal.azure.us', authProvider: 'microsoft-sovereign-cloud' },
};

/** The signed-in cloud follows VS Code's own sovereign-cloud setting, never a workspace file. */
export function currentCloud(): CloudInfo {
  const env = vscode.workspace.getConfiguration('microsoft-sovereign-cloud').inspect<string>('environment');
  const value = env?.globalValue ?? env?.defaultValue;
  if (value === 'ChinaCloud') return CLOUDS.AzureChinaCloud;
  if (value === 'USGovernment') return CLOUDS.AzureUSGovernment;
  return CLOUDS.AzureCloud;
}

/** The sign-in method is a user setting only (application scope): a repository cannot pick it. */
export function authMethod(): AuthMethod {
  const v = vscode.workspace.getConfiguration('azureSecureDev').inspect<string>('auth.method')?.globalValue;
  return v === 'azureCli' || v === 'azureDeveloperCli' ? v : 'vscode';
}

/** `https://vault.azure.net/.default` style scopes; VS Code wants one resource per session. */
function normalizeScopes(scopes: string | string[]): string[] {
  const list = Array.isArray(scopes) ? scopes : [scopes];
  return list.map((s) => (s.endsWith('/.default') ? s : `${s.replace(/\/$/, '')}/.default`));
}

/**
 * Sign-in through VS Code's Microsoft account, or the Azure CLI / Azure Developer CLI when the user chose
 * that in settings, handed to the rest of the code as an @azure/identity TokenCredential. Keeps the
 * `azureSecureDev.signedIn` context key current; signing out is honoured at once.
 */
export class AzureAuth implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<boolean>();
  readonly onDidChangeSignIn = this.emitter.event;
  private signedIn = false;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    this.disposables.push(
      vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === currentCloud().authProvider) void this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('azureSecureDev.auth') || e.affectsConfiguration('microsoft-sovereign-cloud')) void this.refresh();
      }),
    );
  }

  get isSignedIn(): boolean {
    return this.signedIn;
  }

  /** Look (silently) whether a session exists; never prompts. */
  async refresh(): Promise<boolean> {
    let now = false;
    if (authMethod() === 'vscode') {
      try {
        now = !!(await vscode.authentication.getSession(currentCloud().authProvider, [`${currentCloud().armEndpoint}/.default`], { silent: true }));
      } catch {
        now = false;
      }
    } else {
      // The CLIs keep their own sign-in; whether it is valid shows on the first call.
      now = true;
    }
    if (now !== this.signedIn) {
      this.signedIn = now;
      this.emitter.fire(now);
    }
    await vscode.commands.executeCommand('setContext', 'azureSecureDev.signedIn', now);
    return now;
  }

  async signIn(): Promise<boolean> {
    if (authMethod() === 'vscode') {
      await vscode.authentication.getSession(currentCloud().authProvider, [`${currentCloud().armEndpoint}/.default`], { createIfNone: true });
    }
    return this.refresh();
  }

  /** A credential for `tenantId` (the vault's or subscription's tenant), asking to sign in when needed. */
  async credential(tenantId?: string): Promise<TokenCredential> {
    const method = authMethod();
    if (method === 'vscode') return new VsCodeCredential(currentCloud().authProvider, tenantId);
    // Loaded only when chosen: @azure/identity is large and lives in dist/azure.js.
    const identity = loadAzure();
    return method === 'azureCli' ? new identity.AzureCliCredential(tenantId ? { tenantId } : {}) : new identity.AzureDeveloperCliCredential(tenantId ? { tenantId } : {});
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** VS Code's authentication session as a TokenCredential. */
export class VsCodeCredential implements TokenCredential {
  constructor(
    private readonly providerId: string,
    private readonly tenantId?: string,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const tenant = options?.tenantId ?? this.tenantId;
    const request = [...normalizeScopes(scopes), ...(tenant ? [`VSCODE_TENANT:${tenant}`] : [])];
    const session = await vscode.authentication.getSession(this.providerId, request, { createIfNone: true });
    if (!session) return null;
    log().debug(`token for ${normalizeScopes(scopes).join(' ')}${tenant ? ` in tenant ${tenant}` : ''}`);
    // VS Code refreshes the session itself; ask again often rather than caching a token.
    return { token: session.accessToken, expiresOnTimestamp: Date.now() + 5 * 60_000 };
  }
}
