// Errors from Azure calls, classified for the user: what happened and what to do. Messages are built from
// templates plus identifiers (status, error code, vault, resource, request id) — never from request bodies
// nor from server text: a server may echo what was sent in any form (upper-cased, URL-encoded, \u003d-escaped,
// cut or suffixed), so no redaction of the sent values can be trusted to catch it.

import { looksSecret } from '../core/mask';
import { credentialFailures, isCredentialError, signInFailureLine, type CredentialFailure } from './credentials';

export type AzureErrorKind =
  | 'auth'
  | 'forbidden'
  | 'conflict-deleted'
  | 'conflict'
  | 'throttled'
  | 'not-found'
  | 'bad-request'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'server'
  | 'unknown';

export interface AzureErrorContext {
  /** What was being done, e.g. "store the secret", "read app settings". */
  operation?: string;
  /** Vault name (Key Vault calls). */
  vault?: string;
  /** Secret name (Key Vault calls). */
  secretName?: string;
  /** Alias of secretName. */
  secret?: string;
  /** Resource id or path (ARM calls). */
  resource?: string;
  /** Host that was called. */
  host?: string;
}

export interface AzureErrorDetails {
  status?: number;
  /** Azure error code (`error.code`), e.g. AuthorizationFailed, Conflict. */
  code?: string;
  /** Inner error code (`error.innererror.code`), e.g. ObjectIsDeletedButRecoverable, ForbiddenByRbac. */
  innerCode?: string;
  requestId?: string;
  /** Network error code (ECONNRESET, ENOTFOUND, …). */
  networkCode?: string;
  /** Retry-After seconds from a 429/503. */
  retryAfterSeconds?: number;
  /** The call was cut short: by its own time limit, or by the caller. */
  aborted?: 'timeout' | 'cancelled';
  /** What the server message said, as our own words; the server text itself is never kept. */
  serverHint?: 'deleted-but-recoverable' | 'needs-list-action';
  /** Getting a token failed (@azure/identity): which credential and why, classified (no SDK or tool text). */
  credentials?: CredentialFailure[];
  context?: AzureErrorContext;
}

/** Error thrown by src/azure: a user-ready message plus the identifying details; holds no request or body. */
export class AzureRequestError extends Error {
  override readonly name = 'AzureRequestError';
  readonly kind: AzureErrorKind;
  constructor(
    message: string,
    kind: AzureErrorKind,
    readonly details: AzureErrorDetails,
  ) {
    super(message);
    this.kind = kind;
  }
}

export interface AzureErrorDescription {
  kind: AzureErrorKind;
  /** What happened and what to do; safe to show and log. */
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
  /** Worth retrying later without changing anything. */
  retryable: boolean;
}

const NETWORK_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPROTO',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

const IDENT = /^[A-Za-z0-9_.:-]{1,80}$/;
const DELETED_BUT_RECOVERABLE = /deleted but recoverable/i;
const LIST_ACTION = /list\/action/i;
const ident = (v: unknown): string | undefined => (typeof v === 'string' && IDENT.test(v) ? v : undefined);
/** An error code is a word ('ForbiddenByRbac'); a server that put an echoed value there gets no code shown. */
const errorCode = (v: unknown): string | undefined => {
  const code = ident(v);
  return code && !looksSecret(code) ? code : undefined;
};

type Loose = Record<string, unknown> | undefined;
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

const WITHHELD = '(server message withheld: it may contain a value that was sent)';
const JSON_ESCAPE = /\\u([0-9a-fA-F]{4})/g;
const PERCENT_ESCAPE = /%([0-9a-fA-F]{2})/g;
const NOT_ALNUM = /[^a-z0-9]/g;

/** Lower case, escapes decoded, only letters and digits: the forms an echo takes all look alike. */
function normalised(text: string): string {
  return text
    .replace(JSON_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(PERCENT_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .toLowerCase()
    .replace(NOT_ALNUM, '');
}

/**
 * A server message, or a note that it was withheld when any 8-character piece of a sent value (compared in
 * lower case, with JSON and URL escapes decoded and punctuation dropped) appears in it. Not used in our
 * messages; for callers that must show server text.
 */
export function redactValues(text: string, values: readonly string[]): string {
  const hay = normalised(text);
  for (const v of values) {
    const needle = normalised(v ?? '');
    if (!needle) continue;
    if (needle.length <= 8) {
      if (hay.includes(needle)) return WITHHELD;
      continue;
    }
    for (let i = 0; i + 8 <= needle.length; i++) if (hay.includes(needle.slice(i, i + 8))) return WITHHELD;
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function headerOf(headers: unknown, name: string): string | undefined {
  const h = obj(headers);
  if (!h) return undefined;
  if (typeof h.get === 'function') {
    const v = (h.get as (n: string) => unknown).call(h, name);
    return typeof v === 'string' ? v : undefined;
  }
  const v = h[name];
  return typeof v === 'string' ? v : undefined;
}

function parseBody(text: unknown): Loose {
  if (typeof text !== 'string' || !text) return undefined;
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Pull status, codes and request id out of a RestError-like or SDK error, and what the server message means
 * (never its text). `_sentValues` stays for callers: with no server text kept, nothing sent needs redacting.
 */
export function errorDetails(e: unknown, _sentValues: readonly string[] = [], context?: AzureErrorContext): AzureErrorDetails {
  if (e instanceof AzureRequestError) return { ...e.details, ...(context ? { context: { ...e.details.context, ...context } } : {}) };
  // No token, so no request was made: an Entra status or a tool's text says nothing about the resource.
  if (isCredentialError(e)) return { credentials: credentialFailures(e), ...(context ? { context } : {}) };
  const err = obj(e) ?? {};
  const response = obj(err.response);
  const status = typeof err.statusCode === 'number' ? err.statusCode : typeof response?.status === 'number' && response.status > 0 ? response.status : undefined;
  const body = obj(err.details) ?? parseBody(response?.bodyAsText);
  const inner = obj(body?.error) ?? body;
  const innerErr = obj(inner?.innererror) ?? obj(inner?.innerError);
  const code = errorCode(inner?.code) ?? (status !== undefined ? errorCode(err.code) : undefined);
  const networkCode = status === undefined ? ident(err.code) ?? ident(obj(err.cause)?.code) : undefined;
  const retryAfter = Number(headerOf(response?.headers, 'retry-after'));
  const rawMessage = typeof inner?.message === 'string' ? inner.message : undefined;
  const details: AzureErrorDetails = {};
  if (status !== undefined) details.status = status;
  if (code) details.code = code;
  const innerCode = errorCode(innerErr?.code);
  if (innerCode) details.innerCode = innerCode;
  const requestId = ident(headerOf(response?.headers, 'x-ms-request-id'));
  if (requestId) details.requestId = requestId;
  if (networkCode) details.networkCode = networkCode;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) details.retryAfterSeconds = retryAfter;
  if (err.name === 'AbortError') details.aborted = 'timeout';
  // Only what the message means is kept (see the header of this file).
  if (rawMessage && DELETED_BUT_RECOVERABLE.test(rawMessage)) details.serverHint = 'deleted-but-recoverable';
  else if (rawMessage && LIST_ACTION.test(rawMessage)) details.serverHint = 'needs-list-action';
  if (context) details.context = context;
  return details;
}

function kindOf(e: unknown, d: AzureErrorDetails): AzureErrorKind {
  if (e instanceof AzureRequestError && !d.status && !d.networkCode && !d.aborted) return e.kind;
  if (d.aborted) return d.aborted === 'cancelled' ? 'cancelled' : 'timeout';
  // Before the message test below: a chain's message quotes a managed-identity "Network unreachable".
  if (d.credentials || isCredentialError(e)) return 'auth';
  if (d.status !== undefined) {
    const s = d.status;
    if (s === 401) return 'auth';
    if (s === 403) return 'forbidden';
    if (s === 404) return 'not-found';
    if (s === 409) {
      const deleted = d.innerCode === 'ObjectIsDeletedButRecoverable' || d.serverHint === 'deleted-but-recoverable';
      return deleted ? 'conflict-deleted' : 'conflict';
    }
    if (s === 429) return 'throttled';
    if (s === 408 || s === 504) return 'timeout';
    if (s >= 500) return 'server';
    if (s >= 400) return 'bad-request';
  }
  if (d.networkCode) {
    if (TIMEOUT_CODES.has(d.networkCode)) return 'timeout';
    if (NETWORK_CODES.has(d.networkCode) || TLS_CODES.has(d.networkCode)) return 'network';
  }
  const msg = e instanceof Error ? e.message : '';
  if (/socket hang up|network|ECONNRESET|getaddrinfo/i.test(msg)) return 'network';
  return 'unknown';
}

function target(c: AzureErrorContext): string {
  if (c.vault) return `Key Vault '${c.vault}'`;
  if (c.resource) return `'${c.resource}'`;
  if (c.host) return c.host;
  return 'Azure';
}

function messageFor(kind: AzureErrorKind, d: AzureErrorDetails, c: AzureErrorContext): string {
  const op = c.operation ?? 'complete the request';
  const what = target(c);
  const statusCode = [d.status, d.code].filter((x) => x !== undefined).join(' ');
  const tag = statusCode ? ` (${statusCode})` : '';
  switch (kind) {
    case 'auth':
      if (d.credentials?.length) return signInFailureLine(d.credentials);
      return `Azure did not accept your sign-in to ${op} on ${what}${tag}. Sign in again and retry${c.vault ? "; if the vault is in another tenant, sign in to the vault's tenant" : ''}.`;
    case 'forbidden':
      if (d.innerCode === 'ForbiddenByFirewall' || d.innerCode === 'ForbiddenByConnection') {
        return `The firewall of ${what} blocked the request${tag}. Add your client IP address to the vault's networking allow list (or connect through an allowed network), then retry.`;
      }
      if (c.vault) {
        return `Could not ${op}: your account needs the Key Vault Secrets Officer role (or an access policy with Set) on vault ${c.vault}${tag}. Ask an owner of the vault to grant it, then retry.`;
      }
      if (/\/config\/(appsettings|connectionstrings)\/list/i.test(c.resource ?? '') || d.serverHint === 'needs-list-action') {
        return `Settings are not readable with your role${tag}: reading app settings needs Microsoft.Web/sites/config/list/action (Contributor or Website Contributor); Reader is not enough.`;
      }
      return `Your account is not allowed to ${op} on ${what}${tag}. Ask for a role that grants it; if access was granted just now, sign in again and retry.`;
    case 'conflict-deleted':
      return `A deleted secret named '${c.secretName ?? '?'}' still exists in vault ${c.vault ?? '?'} (soft delete keeps it recoverable)${tag}. Recover it and set a new version, or choose another secret name.`;
    case 'conflict':
      return `Could not ${op} on ${what}: it conflicts with the current state${tag}. Refresh and try again.`;
    case 'throttled':
      return `Azure is throttling requests to ${what}${tag}; the request was retried automatically and still refused. Wait ${d.retryAfterSeconds !== undefined ? `${d.retryAfterSeconds} s` : 'a minute'} and try again.`;
    case 'not-found':
      if (c.vault) return `Could not ${op}: ${c.secretName ? `secret '${c.secretName}' was` : 'it was'} not found in vault ${c.vault}${tag}.`;
      return `${what} was not found${tag}. It may have been deleted, or you are signed in to another tenant or subscription.`;
    case 'bad-request':
      return `Azure rejected the request to ${op} on ${what} as invalid${tag}.${d.innerCode ? ` Reason code: ${d.innerCode}.` : ''}`;
    case 'network':
      if (d.networkCode && TLS_CODES.has(d.networkCode)) {
        return `Could not ${op}: the TLS certificate of ${what} was not trusted (${d.networkCode}). If a proxy inspects TLS, add its root certificate to the operating system's trusted certificates (VS Code reads them), or point NODE_EXTRA_CA_CERTS at it (in VS Code also set "http.systemCertificates": false); then retry.`;
      }
      return `Could not reach ${what} to ${op}${d.networkCode ? ` (${d.networkCode})` : ''}. Check your network connection and proxy settings (http.proxy / HTTPS_PROXY), then retry.`;
    case 'timeout':
      return `${what} did not answer in time to ${op}. Check your network connection and proxy settings, then retry.`;
    case 'cancelled':
      return `Cancelled: ${op} on ${what}.`;
    case 'server':
      return `Azure had a server error while trying to ${op} on ${what}${tag}. This is usually temporary; retry in a minute.`;
    default:
      return `Could not ${op} on ${what}${tag}.`;
  }
}

/** Classify an error from src/azure, the Azure SDK or @azure/identity; the message never carries a sent value. */
export function describeAzureError(e: unknown, context: AzureErrorContext = {}): AzureErrorDescription {
  const d = errorDetails(e);
  const c: AzureErrorContext = { ...d.context, ...context };
  if (!c.secretName && c.secret) c.secretName = c.secret;
  const kind = kindOf(e, d);
  let message = messageFor(kind, d, c);
  if (d.requestId) message += ` Request id: ${d.requestId}.`;
  return {
    kind,
    message,
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.code ? { code: d.code } : {}),
    ...(d.requestId ? { requestId: d.requestId } : {}),
    retryable: kind === 'throttled' || kind === 'network' || kind === 'timeout' || kind === 'server',
  };
}

/** Convert any error into an AzureRequestError (no request, response, body or server text kept). */
export function toAzureRequestError(
  e: unknown,
  context: AzureErrorContext,
  sentValues: readonly string[] = [],
  aborted?: 'timeout' | 'cancelled',
): AzureRequestError {
  if (e instanceof AzureRequestError && !aborted) return e;
  const details = errorDetails(e, sentValues, context);
  if (aborted) details.aborted = aborted;
  const kind = kindOf(e, details);
  const described = describeAzureError(new AzureRequestError('', kind, details));
  return new AzureRequestError(described.message, kind, details);
}
