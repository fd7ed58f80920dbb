// Role assignment *listing* for the fake Azure, as a transport wrapper: the fake serves PUT/GET of a single
// assignment but not `GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=...`. Every request
// still goes to the fake first (token check, api-version check, fault injection, request log); only when the
// fake answers that list route with 404 NoRegisteredProviderFound does this wrapper answer it from
// `fake.roleAssignments`, the way ARM does: assignments at the scope, above it and below it, filtered by
// `assignedTo('{id}')` / `principalId eq '{id}'` (no group membership is modelled) or `atScope()`.

import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { FakeAzure } from './server';
import type { FakeRoleAssignment, Json } from './state';

const LIST = /^(.*)\/providers\/microsoft\.authorization\/roleassignments\/?$/i;

function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

function norm(s: string): string {
  return trimSlashes(s).toLowerCase();
}

/** Whether an assignment at `assigned` shows up in a list at `scope` (at, above or below it). */
function visible(assigned: string, scope: string, atScopeOnly: boolean): boolean {
  const a = norm(assigned);
  const s = norm(scope);
  if (a === s || a === '' || s.startsWith(`${a}/`)) return true;
  return !atScopeOnly && a.startsWith(`${s}/`);
}

/** The assignments a list at `scope` with this `$filter` returns. */
export function listRoleAssignments(fake: FakeAzure, scope: string, filter: string | null): Json[] {
  const f = filter ?? '';
  const principal = /assignedTo\('([^']*)'\)/i.exec(f)?.[1] ?? /principalId\s+eq\s+'([^']*)'/i.exec(f)?.[1];
  const atScope = /atScope\(\)/i.test(f);
  return [...fake.roleAssignments.values()]
    .filter((a) => visible(a.scope, scope, atScope))
    .filter((a) => !principal || String((a.body.properties as Json).principalId).toLowerCase() === principal.toLowerCase())
    .map((a) => structuredClone(a.body));
}

/** An HttpClient that adds the role assignment list route to the fake (wraps `fake.httpClient()` by default). */
export function withRoleAssignmentListing(fake: FakeAzure, inner: HttpClient = fake.httpClient()): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const response = await inner.sendRequest(request);
      if (request.method !== 'GET' || response.status !== 404) return response;
      const url = new URL(request.url);
      const m = LIST.exec(decodeURIComponent(url.pathname));
      if (!m || !/NoRegisteredProviderFound/.test(response.bodyAsText ?? '')) return response;
      const value = listRoleAssignments(fake, m[1], url.searchParams.get('$filter'));
      return {
        request,
        status: 200,
        headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8' }),
        bodyAsText: JSON.stringify({ value, nextLink: null }),
      };
    },
  };
}

/** Seed an assignment (what a PUT would store). `roleDefinitionId`: a GUID or a full role definition id. */
export function seedRoleAssignment(
  fake: FakeAzure,
  a: { scope: string; roleDefinitionId: string; principalId: string; principalType?: string; name?: string },
): FakeRoleAssignment {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(a.scope)?.[1] ?? '00000000-0000-0000-0000-000000000000';
  const roleDefinitionId = a.roleDefinitionId.includes('/') ? a.roleDefinitionId : `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId}`;
  const name = a.name ?? globalThis.crypto.randomUUID();
  const id = `${trimSlashes(a.scope)}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const body: Json = {
    id,
    name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId, principalId: a.principalId, principalType: a.principalType ?? 'ServicePrincipal', scope: a.scope, createdOn: new Date().toISOString() },
  };
  const assignment: FakeRoleAssignment = { id, scope: a.scope, body };
  fake.roleAssignments.set(id.toLowerCase(), assignment);
  return assignment;
}
