// Key Vault data plane for the quick fix: store a secret, check whether a name is taken, recover a
// soft-deleted secret. Uses @azure/keyvault-secrets (its challenge-auth policy and resource verification).
// The vault URL is checked against the cloud's Key Vault DNS suffix BEFORE any request, so a token is never
// sent to a host that is not Key Vault. Secret values never appear in errors, logs or return values.

import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { isValidSecretName, isValidVaultName } from '../core/vocabulary/azure';
import { resolveCloud, type AzureCloud, type AzureCloudName } from './clouds';
import { withDeadline } from './concurrency';
import { AzureRequestError, toAzureRequestError, type AzureErrorContext } from './errors';


export interface CheckedVaultUrl {
  /** Normalised vault URL: `https://<vault>.<suffix>/`. */
  vaultUrl: string;
  vaultName: string;
  host: string;
  cloud: AzureCloud;
}

/**
 * Security control: accept only `https://<vault>.<Key Vault suffix of the cloud>[/]` (no credentials, port,
 * path, query or fragment). Throws an AzureRequestError (kind 'bad-request') with a clear message otherwise.
 */
export function checkVaultUrl(url: string, cloud?: AzureCloud | Exclude<AzureCloudName, 'Custom'>): CheckedVaultUrl {
  const c = resolveCloud(cloud);
  const refuse = (why: string): never => {
    throw new AzureRequestError(
      `Refusing vault URL '${String(url).slice(0, 200)}': ${why}. Expected https://<vault-name>.${c.keyVaultSuffix}/ for ${c.name}.`,
      'bad-request',
      { context: { operation: 'check the vault URL' } },
    );
  };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return refuse('not a valid URL');
  }
  if (u.protocol !== 'https:') refuse('it must use https');
  if (u.username || u.password) refuse('it must not contain credentials');
  if (u.port && u.port !== '443') refuse('it must not name a port');
  if (u.pathname !== '/' && u.pathname !== '') refuse('it must be the vault URL without a path');
  if (u.search || u.hash || /[?#]/.test(url)) refuse('it must not have a query or fragment');
  const host = u.hostname.toLowerCase();
  const suffix = `.${c.keyVaultSuffix}`;
  if (!host.endsWith(suffix)) refuse(`the host is not a Key Vault host of ${c.name}`);
  const vaultName = host.slice(0, -suffix.length);
  if (!isValidVaultName(vaultName)) refuse(`'${vaultName}' is not a valid vault name`);
  return { vaultUrl: `https://${host}/`, vaultName, host, cloud: c };
}

/** Secret names: 1–127 letters, digits and dashes. Throws AzureRequestError ('bad-request') otherwise. */
export function checkSecretName(name: string): void {
  if (!isValidSecretName(name)) {
    throw new AzureRequestError(
      `'${String(name).slice(0, 130)}' is not a valid secret name: use 1-127 letters, digits and dashes (for example ConnectionStrings--Db instead of ConnectionStrings__Db).`,
      'bad-request',
      { context: { operation: 'check the secret name' } },
    );
  }
}

/** The one secret-name sanitiser, for callers of this package. */
export { toSecretName } from '../core/vocabulary/azure';

export interface KeyVaultCallOptions {
  vaultUrl: string;
  name: string;
  credential: TokenCredential;
  cloud?: AzureCloud | Exclude<AzureCloudName, 'Custom'>;
  /** Passed to SecretClient (e.g. `httpClient`, `retryOptions`); challenge-resource verification stays on. */
  clientOptions?: SecretClientOptions & { httpClient?: HttpClient };
  abortSignal?: AbortSignal;
  /** Time limit for the whole call, retries included, in ms (default 60 000). */
  timeoutMs?: number;
}

export interface StoreSecretOptions extends KeyVaultCallOptions {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
}

export interface StoredSecret {
  /** Versioned id: https://<vault>/secrets/<name>/<version>. */
  id: string;
  /** Versionless id (for a Key Vault reference that follows rotation). */
  versionlessId: string;
  name: string;
  version: string;
  vaultUrl: string;
  contentType?: string;
  tags?: Record<string, string>;
}

interface Prepared {
  client: SecretClient;
  checked: CheckedVaultUrl;
  context: AzureErrorContext;
}

function prepare(o: KeyVaultCallOptions, operation: string): Prepared {
  const checked = checkVaultUrl(o.vaultUrl, o.cloud);
  checkSecretName(o.name);
  const client = new SecretClient(checked.vaultUrl, o.credential, { ...o.clientOptions, disableChallengeResourceVerification: false });
  return { client, checked, context: { operation, vault: checked.vaultName, secretName: o.name, host: checked.host } };
}

/** Run an SDK call under the deadline; failures become AzureRequestError with `sent` values redacted. */
async function run<T>(p: Prepared, o: KeyVaultCallOptions, fn: (abortSignal: AbortSignal) => Promise<T>, sent: string[] = []): Promise<T> {
  const r = await withDeadline(o.timeoutMs ?? 60_000, o.abortSignal, fn);
  if (r.ok) return r.value;
  throw toAzureRequestError(r.error, p.context, sent, r.aborted);
}

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
};

/** Store a secret (a new version each time). Returns ids and metadata, never the value. */
export async function storeSecret(o: StoreSecretOptions): Promise<StoredSecret> {
  const p = prepare(o, `store secret '${o.name}'`);
  const s = await run(
    p,
    o,
    (abortSignal) =>
      p.client.setSecret(o.name, o.value, {
        ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
        ...(o.tags ? { tags: o.tags } : {}),
        abortSignal,
      }),
    [o.value],
  );
  const props = s.properties;
  const version = props.version ?? '';
  return {
    id: props.id ?? `${p.checked.vaultUrl}secrets/${props.name}/${version}`,
    versionlessId: `${p.checked.vaultUrl}secrets/${props.name}`,
    name: props.name,
    version,
    vaultUrl: p.checked.vaultUrl,
    ...(props.contentType !== undefined ? { contentType: props.contentType } : {}),
    ...(props.tags ? { tags: props.tags } : {}),
  };
}

/**
 * Whether the name is taken: 'exists' (a current secret), 'deleted' (soft-deleted: recover or pick another
 * name) or 'absent'. The value read by getSecret is discarded immediately.
 */
export async function secretExists(o: KeyVaultCallOptions): Promise<'absent' | 'exists' | 'deleted'> {
  const p = prepare(o, `check secret '${o.name}'`);
  const probe = async (fn: (abortSignal: AbortSignal) => Promise<unknown>): Promise<boolean> =>
    run(p, o, async (abortSignal) => {
      try {
        await fn(abortSignal);
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    });
  if (await probe((abortSignal) => p.client.getSecret(o.name, { abortSignal }).then(() => undefined))) return 'exists';
  if (await probe((abortSignal) => p.client.getDeletedSecret(o.name, { abortSignal }).then(() => undefined))) return 'deleted';
  return 'absent';
}

/** Recover a soft-deleted secret and wait until it is usable again. */
export async function recoverSecret(o: KeyVaultCallOptions & { pollIntervalMs?: number }): Promise<{ name: string; id: string }> {
  const p = prepare(o, `recover deleted secret '${o.name}'`);
  const props = await run(p, o, async (abortSignal) => {
    const poller = await p.client.beginRecoverDeletedSecret(o.name, { intervalInMs: o.pollIntervalMs ?? 1000, abortSignal });
    return poller.pollUntilDone({ abortSignal });
  });
  return { name: props.name, id: props.id ?? `${p.checked.vaultUrl}secrets/${props.name}` };
}
