// Shared by the posture checks: reading the inputs defensively, explaining unreadable sources, building fixes.

import type { Level } from '../model';
import { SOURCE_INFO, WEB_API_VERSION } from './sources';
import { bicepChild, bicepSite, terraformSite, toHcl, type SnippetTarget } from './snippets';
import type { ArmSite, ArmSiteConfig, ManagedServiceIdentity, PostureCheck, PostureCheckMeta, PostureFix, PostureInput, PostureSourceName, PostureStatus, SourceResult } from './types';

/** What a check function returns; the runner adds rule id, title, category, why, sources. */
export interface Verdict {
  status: PostureStatus;
  value: string;
  unknownReason?: string;
  hint?: string;
  items?: PostureCheck['items'];
  fix?: PostureFix;
}

/**
 * A live posture check, declared by the rule module that owns the rule (next to its editor detector, sharing its
 * value test). `rank` orders the checks within their category in the posture view.
 */
export interface LiveCheck extends PostureCheckMeta {
  rank: number;
  evaluate(c: PostureContext): Verdict;
}

/** Facts shared by the checks of one app. */
export interface PostureContext {
  input: PostureInput;
  site?: ArmSite;
  web?: ArmSiteConfig['properties'];
  target: SnippetTarget;
  /** Rule levels from the user's settings (steer the secret detectors). */
  levels?: Readonly<Record<string, Level>>;
}

const MAX_MESSAGE = 200;

export function clip(s: string, n = MAX_MESSAGE): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a read gives nothing to judge, or undefined when its body is usable. */
export function unreadable(source: PostureSourceName, r: SourceResult | undefined): string | undefined {
  const info = SOURCE_INFO[source];
  if (!r) return `Not read: ${info.what} (${info.call}).`;
  if (r.ok) return isObject(r.body) ? undefined : `Unexpected response body for ${info.what} (${info.call}).`;
  const code = r.code ? ` (${clip(r.code, 60)})` : '';
  if (r.status === 403) return `Reading ${info.what} needs ${info.permission}; your role got 403${code}.`;
  if (r.status === 401) return `Reading ${info.what} was refused (401${code}): sign in again.`;
  if (r.status === 404) return `Reading ${info.what} returned 404${code}: ${clip(r.message)}`;
  if (r.status !== undefined) return `Reading ${info.what} failed (${r.status}${r.code ? ` ${clip(r.code, 60)}` : ''}): ${clip(r.message)}`;
  return `Reading ${info.what} failed: ${clip(r.message)}`;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function body<T>(r: SourceResult<T> | undefined): T | undefined {
  return r && r.ok && isObject(r.body) ? r.body : undefined;
}

export function unknown(reason: string, value = 'Unknown'): Verdict {
  return { status: 'unknown', value, unknownReason: reason };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixes

export function siteFix(c: PostureContext, property: string, oldValue: unknown, newValue: unknown, summary: string, tf: string[], caution?: string): PostureFix {
  const fix: PostureFix = {
    kind: 'patch-site',
    method: 'PATCH',
    scope: 'site',
    pathSuffix: '',
    apiVersion: WEB_API_VERSION,
    body: { properties: { [property]: newValue } },
    property: `properties.${property}`,
    oldValue,
    newValue,
    summary,
    bicep: bicepSite(c.target, { properties: { [property]: newValue } }),
    terraform: terraformSite(c.target, tf),
  };
  if (caution) fix.caution = caution;
  return fix;
}

export function webFix(c: PostureContext, properties: Record<string, unknown>, property: string, oldValue: unknown, newValue: unknown, summary: string, tf: string[], caution?: string): PostureFix {
  const fix: PostureFix = {
    kind: 'patch-web',
    method: 'PATCH',
    scope: 'site',
    pathSuffix: '/config/web',
    apiVersion: WEB_API_VERSION,
    body: { properties },
    property: `properties.${property}`,
    oldValue,
    newValue,
    summary,
    bicep: bicepSite(c.target, { properties: { siteConfig: properties } }),
    terraform: terraformSite(c.target, [`site_config {\n${tf.map((l) => `  ${l}`).join('\n')}\n}`]),
  };
  if (caution) fix.caution = caution;
  return fix;
}

/**
 * The `identity` to PATCH so the app gains a system-assigned identity without losing its user-assigned ones
 * (a PATCH with `type: SystemAssigned` alone drops them).
 */
export function identityPatchBody(current: ManagedServiceIdentity | null | undefined): { identity: { type: string; userAssignedIdentities?: Record<string, Record<string, never>> } } {
  const uami = isObject(current?.userAssignedIdentities) ? Object.keys(current!.userAssignedIdentities as object) : [];
  if (uami.length === 0) return { identity: { type: 'SystemAssigned' } };
  const userAssignedIdentities: Record<string, Record<string, never>> = {};
  for (const id of uami) userAssignedIdentities[id] = {};
  return { identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities } };
}

export function identityFix(c: PostureContext, summary: string): PostureFix {
  const current = c.site?.identity;
  const body = identityPatchBody(current);
  const uami = Object.keys(body.identity.userAssignedIdentities ?? {});
  const fix: PostureFix = {
    kind: 'patch-site',
    method: 'PATCH',
    scope: 'site',
    pathSuffix: '',
    apiVersion: WEB_API_VERSION,
    body,
    property: 'identity',
    oldValue: current?.type ?? 'None',
    newValue: body.identity.type,
    summary,
    bicep: bicepSite(c.target, body),
    terraform: terraformSite(c.target, [
      uami.length ? `identity {\n  type         = "SystemAssigned, UserAssigned"\n  identity_ids = ${toHcl(uami)}\n}` : 'identity {\n  type = "SystemAssigned"\n}',
    ]),
  };
  if (uami.length) fix.caution = `Keeps the ${uami.length} user-assigned identit${uami.length === 1 ? 'y' : 'ies'} already assigned.`;
  return fix;
}

export function policyFix(c: PostureContext, which: 'ftp' | 'scm', old: unknown): PostureFix {
  const tfArg = which === 'ftp' ? 'ftp_publish_basic_authentication_enabled' : 'webdeploy_publish_basic_authentication_enabled';
  return {
    kind: 'put-policy',
    method: 'PUT',
    scope: 'site',
    pathSuffix: `/basicPublishingCredentialsPolicies/${which}`,
    apiVersion: WEB_API_VERSION,
    body: { properties: { allow: false } },
    property: 'properties.allow',
    oldValue: old,
    newValue: false,
    summary: `Turn off ${which === 'ftp' ? 'FTP' : 'SCM/WebDeploy'} basic authentication (publishing credentials).`,
    caution:
      which === 'scm'
        ? 'Deployments that use a publish profile or Kudu user name/password stop working; move pipelines to Entra ID (OIDC/federated credentials).'
        : 'FTP clients that sign in with publishing credentials stop working.',
    bicep: bicepChild(c.target, 'basicPublishingCredentialsPolicies', which, { allow: false }),
    terraform: terraformSite(c.target, [`${tfArg} = false`]),
  };
}


function snippetTarget(site: ArmSite | undefined): SnippetTarget {
  const id = str(site?.id) ?? '';
  const type = (str(site?.type) ?? '').toLowerCase();
  const kind = (str(site?.kind) ?? '').toLowerCase();
  const isSlot = type.endsWith('/slots') || id.toLowerCase().includes('/slots/');
  const name = str(site?.name) ?? (id ? id.slice(id.lastIndexOf('/') + 1) : 'my-app');
  return { name, isSlot, isFunction: kind.includes('functionapp'), isLinux: kind.includes('linux') || site?.properties?.reserved === true };
}

export function postureContext(input: PostureInput, levels?: Readonly<Record<string, Level>>): PostureContext {
  const site = body<ArmSite>(input.site);
  const web = body<ArmSiteConfig>(input.web)?.properties;
  return { input, site, web: isObject(web) ? web : undefined, target: snippetTarget(site), levels };
}

