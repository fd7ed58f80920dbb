// The fake's Resource Graph: POST /providers/Microsoft.ResourceGraph/resources over the in-memory tenant.
//
// It does NOT parse KQL. It recognises the query shapes this project sends, by the table and the type names in
// the text, and answers them as Resource Graph would (rows ordered by id, paged with $top/$skipToken):
//   - `appserviceresources ... 'microsoft.web/sites/config/web' [, 'microsoft.web/sites/slots/config/web']`:
//     one row per app (and slot) config/web: id, name, type, subscriptionId, resourceGroup, properties;
//   - `resources ... 'microsoft.web/sites' [, 'microsoft.web/sites/slots']`: the sites (and slots) with the site
//     body's properties minus siteConfig (Resource Graph does not fill it reliably);
//   - any other text naming microsoft.web/sites: sites only (the older inventory query);
//   - text naming microsoft.keyvault/vaults: the vaults.
// Anything else gets 400. Projections, filters and joins in the text are ignored: the reader must not rely on
// them beyond what the rows above carry.

import { createHash } from 'node:crypto';
import type { FakeApp, FakeSubscription, FakeVault, Json } from './state';
import { DEFAULT_TENANT } from './state';

/** What a test may do to one page (see FakeAzure.onGraphPage). */
export type GraphPageQuirk = 'expire-token' | 'truncate' | undefined;

export interface GraphState {
  subscriptions: readonly FakeSubscription[];
  apps: ReadonlyMap<string, FakeApp>;
  vaults: ReadonlyMap<string, FakeVault>;
  /** Management group id (lower case) → subscription ids. */
  managementGroups: ReadonlyMap<string, readonly string[]>;
  /** Subscriptions the caller cannot read at all (lower case). */
  deniedSubscriptions: ReadonlySet<string>;
  /** Subscriptions (or management groups) where only Resource Graph answers 403 (lower case). */
  graphDenied: ReadonlySet<string>;
  /** Subscriptions not registered for Microsoft.ResourceGraph (lower case). */
  graphUnregistered: ReadonlySet<string>;
  /** Config rows Resource Graph does not hold (lower-case site ids). */
  graphMissingConfig: ReadonlySet<string>;
  /** Write appserviceresources property names in PascalCase (the casing there is not documented). */
  graphPascalCaseConfig: boolean;
  graphPageSize: number;
  skipTokenEpoch: number;
  onGraphPage?: (page: { query: string; skip: number; top: number }) => GraphPageQuirk;
}

export interface GraphAnswer {
  status: number;
  body: unknown;
}

const API_VERSIONS = new Set(['2021-03-01', '2022-10-01', '2024-04-01']);

function error(status: number, code: string, message: string): GraphAnswer {
  return { status, body: { error: { code, message } } };
}

function pascal(properties: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(properties)) out[k.charAt(0).toUpperCase() + k.slice(1)] = v;
  return out;
}

function siteRow(s: GraphState, a: FakeApp): Json {
  const { siteConfig: _siteConfig, ...properties } = a.site.properties as Json;
  return {
    id: a.id,
    name: a.site.name,
    type: a.slot ? 'microsoft.web/sites/slots' : 'microsoft.web/sites',
    kind: a.site.kind,
    location: a.site.location,
    subscriptionId: a.subscriptionId,
    resourceGroup: a.resourceGroup,
    tenantId: s.subscriptions.find((x) => x.subscriptionId === a.subscriptionId)?.tenantId ?? DEFAULT_TENANT,
    identity: a.site.identity ?? null,
    properties,
  };
}

function configRow(s: GraphState, a: FakeApp): Json {
  const properties = structuredClone((a.config.properties ?? {}) as Json);
  return {
    id: `${a.id}/config/web`,
    name: 'web',
    type: a.slot ? 'microsoft.web/sites/slots/config/web' : 'microsoft.web/sites/config/web',
    subscriptionId: a.subscriptionId,
    resourceGroup: a.resourceGroup,
    properties: s.graphPascalCaseConfig ? pascal(properties) : properties,
  };
}

/** Subscriptions in scope, or an error answer. */
function scope(s: GraphState, b: Json): { subs: Set<string> } | GraphAnswer {
  const listed = Array.isArray(b.subscriptions) ? (b.subscriptions as unknown[]).map((x) => String(x).toLowerCase()) : undefined;
  const groups = Array.isArray(b.managementGroups) ? (b.managementGroups as unknown[]).map((x) => String(x).toLowerCase()) : undefined;
  if (listed) {
    for (const sub of listed) {
      if (s.deniedSubscriptions.has(sub) || s.graphDenied.has(sub)) {
        return error(403, 'AuthorizationFailed', `The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/${sub}' or the scope is invalid.`);
      }
      if (s.graphUnregistered.has(sub)) {
        return error(409, 'MissingSubscriptionRegistration', `The subscription '${sub}' is not registered to use namespace 'Microsoft.ResourceGraph'.`);
      }
    }
    return { subs: new Set(listed) };
  }
  if (groups) {
    const subs = new Set<string>();
    for (const g of groups) {
      const members = s.managementGroups.get(g);
      if (!members) return error(404, 'ManagementGroupNotFound', `Management group '${g}' was not found.`);
      if (s.graphDenied.has(g)) return error(403, 'AuthorizationFailed', `The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/providers/Microsoft.Management/managementGroups/${g}'.`);
      // Like Resource Graph: subscriptions under the group that the caller cannot read are left out silently.
      for (const m of members) if (!s.deniedSubscriptions.has(m.toLowerCase())) subs.add(m.toLowerCase());
    }
    return { subs };
  }
  return { subs: new Set(s.subscriptions.map((x) => x.subscriptionId.toLowerCase()).filter((x) => !s.deniedSubscriptions.has(x))) };
}

function sortedById(apps: FakeApp[]): FakeApp[] {
  return apps
    .map((a) => ({ a, k: a.id.toLowerCase() }))
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .map((x) => x.a);
}

function tokenFor(epoch: number, key: string, skip: number): string {
  return Buffer.from(JSON.stringify({ e: epoch, k: key, s: skip })).toString('base64');
}

export function answerGraphQuery(s: GraphState, apiVersion: string | null, json: unknown): GraphAnswer {
  if (!apiVersion || !API_VERSIONS.has(apiVersion)) {
    return error(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion ?? ''}' is invalid. The supported versions are '${[...API_VERSIONS].join(',')}'.`);
  }
  const b = (json ?? {}) as Json;
  const query = typeof b.query === 'string' ? b.query.toLowerCase().replace(/\s+/g, ' ').trim() : '';
  const sc = scope(s, b);
  if ('status' in sc) return sc;
  const inScope = (sub: string): boolean => sc.subs.has(sub.toLowerCase());
  const apps = [...s.apps.values()].filter((a) => inScope(a.subscriptionId));
  // Rows are built for the page only (a tenant of 25,000 apps would otherwise be copied for every page).
  let rows: Array<() => Json>;
  if (query.startsWith('appserviceresources') && query.includes("'microsoft.web/sites/config/web'")) {
    const slots = query.includes("'microsoft.web/sites/slots/config/web'");
    rows = sortedById(apps.filter((a) => (slots || !a.slot) && !s.graphMissingConfig.has(a.id.toLowerCase()))).map((a) => () => configRow(s, a));
  } else if (query.startsWith('resources') && query.includes("'microsoft.web/sites/slots'")) {
    const sites = query.includes("'microsoft.web/sites'");
    rows = sortedById(apps.filter((a) => (a.slot ? true : sites))).map((a) => () => siteRow(s, a));
  } else if (/microsoft\.web\/sites(?![/\w])/.test(query)) {
    rows = apps.filter((a) => !a.slot).map((a) => () => siteRow(s, a));
  } else if (/microsoft\.keyvault\/vaults/.test(query)) {
    rows = [...s.vaults.values()]
      .filter((v) => inScope(v.subscriptionId))
      .map((v) => () => ({ ...structuredClone(v.resource), type: 'microsoft.keyvault/vaults', subscriptionId: v.subscriptionId, resourceGroup: v.resourceGroup, tenantId: v.tenantId }));
  } else {
    return error(400, 'BadRequest', 'fake Resource Graph understands only the query shapes listed in test/support/fakeAzure/resourceGraph.ts');
  }

  const opts = (b.options ?? {}) as Json;
  const top = Math.min(typeof opts.$top === 'number' && opts.$top > 0 ? opts.$top : 100, s.graphPageSize, 1000);
  // A token is bound to the query text and scope, and dies when the fake's epoch moves on.
  const key = createHash('sha256').update(JSON.stringify([query, [...sc.subs].sort()])).digest('hex').slice(0, 16);
  let skip = 0;
  if (typeof opts.$skipToken === 'string') {
    let t: { e?: unknown; k?: unknown; s?: unknown } = {};
    try {
      t = JSON.parse(Buffer.from(opts.$skipToken, 'base64').toString('utf8')) as typeof t;
    } catch {
      // falls through to the error below
    }
    if (t.k !== key || typeof t.s !== 'number') return error(400, 'InvalidSkipToken', 'The $skipToken is not valid for this query.');
    if (t.e !== s.skipTokenEpoch) return error(400, 'InvalidSkipToken', 'The $skipToken has expired; run the query again.');
    skip = t.s;
  }
  const quirk = s.onGraphPage?.({ query, skip, top });
  if (quirk === 'expire-token' && skip > 0) return error(400, 'InvalidSkipToken', 'The $skipToken has expired; run the query again.');
  let data = rows.slice(skip, skip + top).map((build) => build());
  const full = data.length;
  if (quirk === 'truncate' && data.length > 1) data = data.slice(0, Math.ceil(data.length / 2));
  const next = skip + top;
  return {
    status: 200,
    body: {
      totalRecords: rows.length,
      count: full,
      data,
      facets: [],
      resultTruncated: data.length < full ? 'true' : 'false',
      ...(next < rows.length ? { $skipToken: tokenFor(s.skipTokenEpoch, key, next) } : {}),
    },
  };
}
