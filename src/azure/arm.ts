// A small Azure Resource Manager client on @azure/core-rest-pipeline: bearer-token policy with the cloud's ARM
// scope, the SDK's default retry policy (honours 429/503 Retry-After), bounded paging that never follows a
// nextLink to another host, and errors converted to AzureRequestError (describeAzureError understands them).
// No Node built-ins: works in the extension host, the CLI and (with a browser HttpClient) the web build.

import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRetryOptions,
} from '@azure/core-rest-pipeline';
import { mapWithConcurrency, withDeadline } from './concurrency';
import { customCloud, resolveCloud, type AzureCloud, type AzureCloudName } from './clouds';
import { AzureRequestError, toAzureRequestError, type AzureErrorContext } from './errors';
import { API_VERSIONS } from '../core/vocabulary/azure';

export const ARM_API_VERSIONS = API_VERSIONS;

/** Built-in role definition ids (GUIDs). */
export const ROLE_DEFINITIONS = Object.freeze({
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
});

export type Json = Record<string, unknown>;

export interface ArmResource<P = Json> {
  id: string;
  name: string;
  type?: string;
  kind?: string;
  location?: string;
  identity?: { type?: string; principalId?: string; tenantId?: string; userAssignedIdentities?: Record<string, unknown> } | null;
  properties: P;
  [k: string]: unknown;
}

export interface Subscription {
  id: string;
  subscriptionId: string;
  displayName: string;
  tenantId?: string;
  state?: string;
}

/** A Resource Graph row for microsoft.web/sites (properties.siteConfig is not reliable there). */
export interface SiteSummary {
  id: string;
  name: string;
  kind?: string;
  location?: string;
  subscriptionId: string;
  resourceGroup: string;
  tenantId?: string;
  identity?: ArmResource['identity'];
  properties: Json;
}

export interface VaultSummary {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location?: string;
  tenantId?: string;
  /** `https://<vault>.<suffix>/` */
  vaultUri: string;
  properties: Json;
}

export interface ArmClientOptions {
  credential: TokenCredential;
  /** Transport (tests inject the fake's); default: core-rest-pipeline's default client. */
  httpClient?: HttpClient;
  /** Custom ARM endpoint (https), e.g. Azure Stack; overrides the cloud's endpoint. */
  endpoint?: string;
  cloud?: AzureCloud | Exclude<AzureCloudName, 'Custom'>;
  /** Retry options for the SDK's default retry policy (429 Retry-After honoured). */
  retryOptions?: PipelineRetryOptions;
  /** Time limit per call, retries included, in ms (default 60 000). */
  timeoutMs?: number;
  /** Concurrency for per-app helpers (default 8). */
  concurrency?: number;
  /** Upper bound on pages followed by any list call (default 100). */
  maxPages?: number;
  /**
   * Extra pipeline policies, as the Azure SDK clients take them: 'perCall' runs once per call, 'perRetry' once per
   * attempt (e.g. the throttle-aware scheduler, which must see every 429 and rate-limit header).
   */
  additionalPolicies?: Array<{ policy: PipelinePolicy; position: 'perCall' | 'perRetry' }>;
}

export interface CallOptions {
  abortSignal?: AbortSignal;
}

export type PublishingEndpoint = 'ftp' | 'scm';

const SITE_ID = /^\/subscriptions\/[^/?#]+\/resourceGroups\/[^/?#]+\/providers\/Microsoft\.Web\/sites\/[^/?#]+(?:\/slots\/[^/?#]+)?$/i;
const VAULT_ID = /^\/subscriptions\/[^/?#]+\/resourceGroups\/[^/?#]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/?#]+$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBSCRIPTION = /^[0-9A-Za-z-]{1,64}$/;

function stringLeaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => stringLeaves(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => stringLeaves(x, out));
  return out;
}

function invalid(message: string): never {
  throw new AzureRequestError(message, 'bad-request', { context: { operation: 'check the request' } });
}

/** An App Service app or slot resource id, as the per-site calls require. */
export function isSiteId(id: string): boolean {
  return SITE_ID.test(id);
}

function checkSiteId(siteId: string): string {
  if (!SITE_ID.test(siteId)) invalid(`Not an App Service resource id: '${String(siteId).slice(0, 300)}'.`);
  return siteId;
}

export class ArmClient {
  readonly cloud: AzureCloud;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly maxPages: number;

  constructor(options: ArmClientOptions) {
    const base = resolveCloud(options.cloud);
    this.cloud = options.endpoint ? customCloud({ armEndpoint: options.endpoint, base: base.name === 'Custom' ? 'AzureCloud' : base.name, armScope: base.armScope }) : base;
    if (!this.cloud.armEndpoint.startsWith('https://')) invalid('The Resource Manager endpoint must use https.');
    this.pipeline = createPipelineFromOptions({
      ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
      userAgentOptions: { userAgentPrefix: 'azure-secure-dev' },
    });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: this.cloud.armScope }));
    for (const p of options.additionalPolicies ?? []) this.pipeline.addPolicy(p.policy, p.position === 'perRetry' ? { afterPhase: 'Retry' } : {});
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.concurrency = options.concurrency ?? 8;
    this.maxPages = options.maxPages ?? 100;
  }

  /**
   * One ARM call: `path` is a resource path (starting with `/`) or a full URL on the ARM endpoint (nextLink).
   * Returns the parsed JSON body (undefined for an empty body); throws AzureRequestError on failure.
   */
  async request<T = unknown>(
    method: HttpMethods,
    path: string,
    o: { apiVersion?: string; body?: unknown; abortSignal?: AbortSignal; context?: AzureErrorContext } = {},
  ): Promise<T> {
    const url = this.url(path, o.apiVersion);
    const context: AzureErrorContext = { operation: `${method} ${url.pathname}`, resource: url.pathname, host: url.host, ...o.context };
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const sent = o.body === undefined ? [] : stringLeaves(o.body);
    const r = await withDeadline(this.timeoutMs, o.abortSignal, (abortSignal) =>
      this.pipeline.sendRequest(
        this.httpClient,
        createPipelineRequest({
          url: url.toString(),
          method,
          headers: createHttpHeaders({ accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }),
          ...(body !== undefined ? { body } : {}),
          abortSignal,
        }),
      ),
    );
    if (!r.ok) throw toAzureRequestError(r.error, context, sent, r.aborted);
    const response = r.value;
    if (response.status >= 400) {
      throw toAzureRequestError({ statusCode: response.status, response }, context, sent);
    }
    if (!response.bodyAsText) return undefined as T;
    try {
      return JSON.parse(response.bodyAsText) as T;
    } catch {
      throw new AzureRequestError(`Azure returned a response that is not JSON for ${url.pathname}.`, 'server', { status: response.status, context });
    }
  }

  private url(path: string, apiVersion?: string): URL {
    const endpoint = new URL(this.cloud.armEndpoint);
    let url: URL;
    if (/^https:\/\//i.test(path)) url = new URL(path);
    else if (path.startsWith('/') && !path.startsWith('//')) url = new URL(path, endpoint);
    else return invalid(`Not a Resource Manager path: '${path.slice(0, 200)}'.`);
    // Never send the ARM token to another host (nextLinks come from the server).
    if (url.origin !== endpoint.origin) invalid(`Refusing to call ${url.origin}: it is not the Resource Manager endpoint ${endpoint.origin}.`);
    if (apiVersion) url.searchParams.set('api-version', apiVersion);
    return url;
  }

  /** GET a list and follow nextLink (same host only, at most maxPages pages). */
  async listAll<T>(path: string, apiVersion: string, o: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let first = true;
    for (let page = 0; next; page++) {
      if (page >= this.maxPages) invalid(`Stopped after ${this.maxPages} pages of ${path}.`);
      const body: { value?: T[]; nextLink?: string | null } = await this.request('GET', next, { ...(first ? { apiVersion } : {}), ...o });
      first = false;
      items.push(...(body?.value ?? []));
      next = body?.nextLink ?? undefined;
    }
    return items;
  }

  /** Resource Graph query over subscriptions, following $skipToken (bounded). */
  async queryResourceGraph<T = Json>(query: string, subscriptions: readonly string[], o: CallOptions & { pageSize?: number } = {}): Promise<T[]> {
    subscriptions.forEach((s) => SUBSCRIPTION.test(s) || invalid(`Not a subscription id: '${s}'.`));
    const rows: T[] = [];
    let skipToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= this.maxPages) invalid(`Stopped after ${this.maxPages} Resource Graph pages.`);
      const body: { data?: T[]; $skipToken?: string } = await this.request('POST', '/providers/Microsoft.ResourceGraph/resources', {
        apiVersion: ARM_API_VERSIONS.resourceGraph,
        body: { subscriptions, query, options: { $top: o.pageSize ?? 1000, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) } },
        context: { operation: 'query Azure Resource Graph' },
        ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
      });
      rows.push(...(body?.data ?? []));
      skipToken = body?.$skipToken;
      if (!skipToken) return rows;
    }
  }

  // ------------------------------------------------------------------ subscriptions, inventories

  async listSubscriptions(o: CallOptions = {}): Promise<Subscription[]> {
    return await this.listAll<Subscription>('/subscriptions', ARM_API_VERSIONS.subscriptions, o);
  }

  /** All web and function apps (not slots) in the subscriptions, via Resource Graph. */
  async listSites(subscriptions: readonly string[], o: CallOptions & { pageSize?: number } = {}): Promise<SiteSummary[]> {
    return await this.queryResourceGraph<SiteSummary>(
      "resources | where type =~ 'microsoft.web/sites' | project id, name, kind, location, subscriptionId, resourceGroup, tenantId, identity, properties | order by id asc",
      subscriptions,
      o,
    );
  }

  /** All key vaults in the subscriptions, via Resource Graph. */
  async listVaults(subscriptions: readonly string[], o: CallOptions & { pageSize?: number } = {}): Promise<VaultSummary[]> {
    const rows = await this.queryResourceGraph<Json>(
      "resources | where type =~ 'microsoft.keyvault/vaults' | project id, name, subscriptionId, resourceGroup, location, tenantId, vaultUri = tostring(properties.vaultUri), properties | order by name asc",
      subscriptions,
      o,
    );
    return rows.map((r) => {
      const properties = (r.properties ?? {}) as Json;
      const tenantId = typeof r.tenantId === 'string' ? r.tenantId : typeof properties.tenantId === 'string' ? properties.tenantId : undefined;
      return {
        id: String(r.id),
        name: String(r.name),
        subscriptionId: String(r.subscriptionId),
        resourceGroup: String(r.resourceGroup),
        ...(typeof r.location === 'string' ? { location: r.location } : {}),
        ...(tenantId ? { tenantId } : {}),
        vaultUri: String(r.vaultUri ?? properties.vaultUri ?? ''),
        properties,
      };
    });
  }

  // ------------------------------------------------------------------ per-site reads

  private async web<T>(method: HttpMethods, siteId: string, sub: string, operation: string, o: CallOptions & { body?: unknown } = {}): Promise<T> {
    return this.request<T>(method, `${checkSiteId(siteId)}${sub}`, {
      apiVersion: ARM_API_VERSIONS.web,
      context: { operation, resource: siteId },
      ...o,
    });
  }

  async getSite(siteId: string, o?: CallOptions): Promise<ArmResource> {
    return await this.web('GET', siteId, '', 'read the app', o);
  }

  async getSiteConfig(siteId: string, o?: CallOptions): Promise<ArmResource> {
    return await this.web('GET', siteId, '/config/web', 'read the app configuration', o);
  }

  /** App settings (values in clear): needs config/list/action — Reader gets 403 (kind 'forbidden'). */
  async listAppSettings(siteId: string, o?: CallOptions): Promise<ArmResource<Record<string, string>>> {
    return await this.web('POST', siteId, '/config/appsettings/list', 'read app settings', o);
  }

  /** Replace the WHOLE app-settings set (omitted names are deleted; the app restarts). */
  async updateAppSettings(siteId: string, settings: Record<string, string>, o: CallOptions = {}): Promise<ArmResource<Record<string, string>>> {
    return await this.web('PUT', siteId, '/config/appsettings', 'update app settings', { ...o, body: { properties: settings } });
  }

  /** Easy Auth v2 settings without secrets. */
  async getAuthSettingsV2(siteId: string, o?: CallOptions): Promise<ArmResource> {
    return await this.web('GET', siteId, '/config/authsettingsV2', 'read authentication settings', o);
  }

  async getPublishingPolicy(siteId: string, which: PublishingEndpoint, o?: CallOptions): Promise<ArmResource<{ allow: boolean }>> {
    if (which !== 'ftp' && which !== 'scm') invalid(`Unknown publishing endpoint '${String(which)}'.`);
    return await this.web('GET', siteId, `/basicPublishingCredentialsPolicies/${which}`, `read the ${which} basic-auth policy`, o);
  }

  async setPublishingPolicy(siteId: string, which: PublishingEndpoint, allow: boolean, o: CallOptions = {}): Promise<ArmResource<{ allow: boolean }>> {
    if (which !== 'ftp' && which !== 'scm') invalid(`Unknown publishing endpoint '${String(which)}'.`);
    return await this.web('PUT', siteId, `/basicPublishingCredentialsPolicies/${which}`, `change the ${which} basic-auth policy`, {
      ...o,
      body: { properties: { allow } },
    });
  }

  /** Key Vault reference status of every app setting (no secret values). */
  async getConfigReferences(siteId: string, o: CallOptions = {}): Promise<Array<ArmResource>> {
    return await this.listAll(`${checkSiteId(siteId)}/config/configreferences/appsettings`, ARM_API_VERSIONS.web, o);
  }

  async listSlots(siteId: string, o: CallOptions = {}): Promise<ArmResource[]> {
    return await this.listAll(`${checkSiteId(siteId)}/slots`, ARM_API_VERSIONS.web, o);
  }

  async getDefenderPricing(subscriptionId: string, plan = 'AppServices', o: CallOptions = {}): Promise<ArmResource<{ pricingTier: string }>> {
    if (!SUBSCRIPTION.test(subscriptionId)) invalid(`Not a subscription id: '${subscriptionId}'.`);
    if (!/^[A-Za-z]{1,40}$/.test(plan)) invalid(`Not a Defender plan name: '${plan}'.`);
    return await this.request('GET', `/subscriptions/${subscriptionId}/providers/Microsoft.Security/pricings/${plan}`, {
      apiVersion: ARM_API_VERSIONS.security,
      context: { operation: `read the Defender for ${plan} plan` },
      ...o,
    });
  }

  // ------------------------------------------------------------------ writes

  /** PATCH the site with exactly this body (e.g. `{ properties: { httpsOnly: true } }`). */
  async patchSite(siteId: string, patch: { properties?: Json; identity?: Json }, o: CallOptions = {}): Promise<ArmResource> {
    return await this.web('PATCH', siteId, '', 'update the app', { ...o, body: patch });
  }

  /** PATCH config/web with `{ properties }` (arrays such as ipSecurityRestrictions are replaced wholesale). */
  async patchSiteConfig(siteId: string, properties: Json, o: CallOptions = {}): Promise<ArmResource> {
    return await this.web('PATCH', siteId, '/config/web', 'update the app configuration', { ...o, body: { properties } });
  }

  async getVault(vaultId: string, o: CallOptions = {}): Promise<ArmResource> {
    if (!VAULT_ID.test(vaultId)) invalid(`Not a key vault resource id: '${String(vaultId).slice(0, 300)}'.`);
    return await this.request('GET', vaultId, { apiVersion: ARM_API_VERSIONS.keyVault, context: { operation: 'read the key vault', resource: vaultId }, ...o });
  }

  /**
   * Create a role assignment at `scope` (e.g. a vault id). `roleDefinitionId` is a GUID or a full role definition id;
   * `assignmentId` defaults to a new GUID.
   */
  async assignRole(
    a: { scope: string; roleDefinitionId: string; principalId: string; principalType?: 'User' | 'Group' | 'ServicePrincipal'; assignmentId?: string },
    o: CallOptions = {},
  ): Promise<ArmResource> {
    const sub = /^\/subscriptions\/([^/?#]+)/i.exec(a.scope)?.[1];
    if (!sub || /[?#]/.test(a.scope)) invalid(`Not a resource scope: '${String(a.scope).slice(0, 300)}'.`);
    if (!GUID.test(a.principalId)) invalid(`Not a principal id: '${a.principalId}'.`);
    const roleDefinitionId = GUID.test(a.roleDefinitionId)
      ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId}`
      : a.roleDefinitionId;
    const name = a.assignmentId ?? globalThis.crypto.randomUUID();
    if (!GUID.test(name)) invalid(`Not a role assignment id: '${name}'.`);
    return await this.request('PUT', `${a.scope.replace(/\/+$/, '')}/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      apiVersion: ARM_API_VERSIONS.authorization,
      body: { properties: { roleDefinitionId, principalId: a.principalId, ...(a.principalType ? { principalType: a.principalType } : {}) } },
      context: { operation: 'assign the role', resource: a.scope },
      ...o,
    });
  }

  // ------------------------------------------------------------------ helpers

  /** Run `fn` for each app with at most `concurrency` (default 8) in flight; results keep input order. */
  async forEachApp<T, R>(apps: readonly T[], fn: (app: T, client: ArmClient) => Promise<R>, o: CallOptions & { concurrency?: number } = {}) {
    return await mapWithConcurrency(apps, (app) => fn(app, this), {
      concurrency: o.concurrency ?? this.concurrency,
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
    });
  }
}

export function createArmClient(options: ArmClientOptions): ArmClient {
  return new ArmClient(options);
}
