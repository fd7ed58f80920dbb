// Bulk reads of App Service apps and slots through Azure Resource Graph: the `resources` table holds the site
// bodies (httpsOnly, publicNetworkAccess, clientCert*, identity, ...), the `appserviceresources` table their
// config/web (TLS, FTPS, remote debugging, HTTP/2, access restrictions, CORS). Two queries per scope, paged
// with $skipToken (at most 1,000 rows a page), joined here by id; a site whose config row Resource Graph lacks is
// reported so the caller can read it from Resource Manager. Resource Graph's quota is honoured by the scheduler
// policy on the client (scheduler.ts). Pages are deduplicated by id, a truncated page is asked again and an
// expired $skipToken restarts the query, so an app is never reported twice nor dropped.

import type { ArmSite, ArmSiteConfig } from '../core/posture';
import { ARM_API_VERSIONS, type ArmClient, type CallOptions, type Json } from './arm';
import { AzureRequestError, errorDetails } from './errors';

/** Sites and slots, with the properties the posture checks read (siteConfig is not reliable in this table). */
export const GRAPH_SITES_QUERY =
  "resources | where type in~ ('microsoft.web/sites', 'microsoft.web/sites/slots') | project id, name, type, kind, location, subscriptionId, resourceGroup, tenantId, identity, properties | order by id asc";

/** config/web of sites and slots. */
export const GRAPH_SITE_CONFIG_QUERY =
  "appserviceresources | where type in~ ('microsoft.web/sites/config/web', 'microsoft.web/sites/slots/config/web') | project id, name, type, subscriptionId, resourceGroup, properties | order by id asc";

export interface GraphScope {
  subscriptions?: readonly string[];
  managementGroups?: readonly string[];
}

export interface GraphQueryStats {
  pages: number;
  /** Pages asked again because Resource Graph marked them truncated. */
  pageRetries: number;
  /** Queries started again from the first page because a $skipToken stopped working. */
  restarts: number;
}

/** An app or slot as Resource Graph holds it. */
export interface GraphApp {
  id: string;
  subscriptionId: string;
  isSlot: boolean;
  /** Shaped like GET {site}. */
  site: ArmSite;
  /** Shaped like GET {site}/config/web; absent when Resource Graph has no config row for it. */
  web?: ArmSiteConfig;
}

export interface GraphInventory {
  apps: GraphApp[];
  /** Apps and slots whose config/web row Resource Graph lacks (read them from Resource Manager). */
  missingConfig: string[];
  /** Config rows without their site (deleted between the two queries, or hidden): ignored. */
  orphanConfigs: number;
  stats: GraphQueryStats;
}

const SUBSCRIPTION = /^[0-9A-Za-z-]{1,64}$/;
/** Management group ids: letters, digits, '-', '_', '(', ')', '.', at most 90. */
const MANAGEMENT_GROUP = /^[\w().-]{1,90}$/;
const CONFIG_SUFFIX = /\/config\/web$/i;
const MAX_PAGES = 1000;
const PAGE_TRIES = 3;
const RESTARTS = 2;

export function isManagementGroupId(id: string): boolean {
  return MANAGEMENT_GROUP.test(id);
}

function invalid(message: string): never {
  throw new AzureRequestError(message, 'bad-request', { context: { operation: 'check the request' } });
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every row of `query` over `scope`, deduplicated by id (case-insensitive). */
export async function queryGraph(arm: ArmClient, query: string, scope: GraphScope, o: CallOptions & { pageSize?: number; stats?: GraphQueryStats } = {}): Promise<Json[]> {
  const subscriptions = scope.subscriptions ?? [];
  const managementGroups = scope.managementGroups ?? [];
  subscriptions.forEach((s) => SUBSCRIPTION.test(s) || invalid(`Not a subscription id: '${s.slice(0, 80)}'.`));
  managementGroups.forEach((g) => MANAGEMENT_GROUP.test(g) || invalid(`Not a management group id: '${g.slice(0, 100)}'.`));
  const stats = o.stats ?? { pages: 0, pageRetries: 0, restarts: 0 };
  const top = Math.min(1000, Math.max(1, Math.floor(o.pageSize ?? 1000)));
  const rows = new Map<string, Json>();
  let skipToken: string | undefined;
  let restarts = 0;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) invalid(`Stopped after ${MAX_PAGES} Resource Graph pages.`);
    const body = await readPage();
    if (!body) continue; // restarted from the first page
    for (const row of body.data) {
      const id = typeof row.id === 'string' ? row.id.toLowerCase() : undefined;
      if (id && !rows.has(id)) rows.set(id, row);
    }
    skipToken = body.token;
    if (!skipToken) return [...rows.values()];
  }

  async function readPage(): Promise<{ data: Json[]; token?: string } | undefined> {
    for (let attempt = 1; ; attempt++) {
      let body: { data?: unknown; $skipToken?: unknown; count?: unknown; resultTruncated?: unknown };
      try {
        stats.pages++;
        body = await arm.request('POST', '/providers/Microsoft.ResourceGraph/resources', {
          apiVersion: ARM_API_VERSIONS.resourceGraph,
          body: {
            ...(subscriptions.length ? { subscriptions } : {}),
            ...(managementGroups.length ? { managementGroups } : {}),
            query,
            options: { $top: top, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) },
          },
          context: { operation: 'query Azure Resource Graph' },
          ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
        });
      } catch (e) {
        // A continuation refused as a bad request: the $skipToken expired. Start over; rows are keyed by id.
        if (skipToken && errorDetails(e).status === 400 && restarts < RESTARTS) {
          restarts++;
          stats.restarts++;
          skipToken = undefined;
          return undefined;
        }
        throw e;
      }
      const data = Array.isArray(body?.data) ? body.data.filter(isObject) : [];
      const truncated = body?.resultTruncated === true || body?.resultTruncated === 'true' || (typeof body?.count === 'number' && body.count > data.length);
      if (truncated) {
        if (attempt < PAGE_TRIES) {
          stats.pageRetries++;
          continue;
        }
        throw new AzureRequestError(`Resource Graph returned a truncated page ${PAGE_TRIES} times; not trusting a partial inventory.`, 'server', {
          context: { operation: 'query Azure Resource Graph' },
        });
      }
      return { data, ...(typeof body?.$skipToken === 'string' && body.$skipToken ? { token: body.$skipToken } : {}) };
    }
  }
}

/**
 * Lower-cases the first letter of property names: the casing of appserviceresources properties is not
 * documented (azure-apis.md section 4), and the checks read ARM's camelCase. Header names inside access
 * restrictions are left alone.
 */
export function camelCaseConfig(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => camelCaseConfig(x));
  if (!isObject(v) || key === 'headers') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    const camel = k.charAt(0).toLowerCase() + k.slice(1);
    if (camel !== k && camel in v) continue; // both spellings present: keep the camelCase one
    out[camel] = camelCaseConfig(x, camel);
  }
  return out;
}

function siteOf(row: Json): ArmSite {
  const properties = isObject(row.properties) ? { ...row.properties } : {};
  delete properties.siteConfig;
  return {
    id: String(row.id),
    ...(typeof row.name === 'string' ? { name: row.name } : {}),
    ...(typeof row.type === 'string' ? { type: row.type } : {}),
    ...(typeof row.kind === 'string' ? { kind: row.kind } : {}),
    identity: isObject(row.identity) ? (row.identity as ArmSite['identity']) : null,
    properties,
  };
}

/** Sites, slots and their config/web for the scope: two paged queries, joined by id. */
export async function readGraphInventory(arm: ArmClient, scope: GraphScope, o: CallOptions & { pageSize?: number } = {}): Promise<GraphInventory> {
  const stats: GraphQueryStats = { pages: 0, pageRetries: 0, restarts: 0 };
  const [siteRows, configRows] = await Promise.all([
    queryGraph(arm, GRAPH_SITES_QUERY, scope, { ...o, stats }),
    queryGraph(arm, GRAPH_SITE_CONFIG_QUERY, scope, { ...o, stats }),
  ]);
  const configs = new Map<string, Json>();
  for (const r of configRows) configs.set(String(r.id).replace(CONFIG_SUFFIX, '').toLowerCase(), r);
  const apps: GraphApp[] = [];
  const missingConfig: string[] = [];
  for (const row of siteRows) {
    const id = String(row.id);
    const key = id.toLowerCase();
    const config = configs.get(key);
    configs.delete(key);
    if (!config) missingConfig.push(id);
    apps.push({
      id,
      subscriptionId: typeof row.subscriptionId === 'string' ? row.subscriptionId : (/^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? ''),
      isSlot: /\/slots\/[^/]+$/i.test(id),
      site: siteOf(row),
      ...(config ? { web: { id: String(config.id), properties: camelCaseConfig(isObject(config.properties) ? config.properties : {}) as ArmSiteConfig['properties'] } } : {}),
    });
  }
  return { apps, missingConfig, orphanConfigs: configs.size, stats };
}
