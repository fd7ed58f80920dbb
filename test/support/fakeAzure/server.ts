// The fake Azure: one HTTPS server on 127.0.0.1 (random port) that answers as Key Vault (data plane) and as
// Azure Resource Manager, routed by Host header and path; plus fault injection, a request log without secret
// values, and an HTTP CONNECT proxy (proxy.ts) that tunnels any host:443 here.

import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { testCertificates } from './certs';
import { createFakeHttpClient, type FakeHttpClient } from './httpClient';
import { FakeAzureProxy } from './proxy';
import { answerGraphQuery, type GraphPageQuirk } from './resourceGraph';
import {
  ARM_THROTTLE_LIMITS,
  formatResetsAfter,
  GRAPH_QUOTA_DEFAULT,
  GraphQuota,
  SubscriptionThrottle,
  throttleClass,
  type GraphQuotaSpec,
  type ThrottleSpec,
} from './throttle';
import {
  buildApp,
  buildVault,
  DEFAULT_TENANT,
  LOGIN_AUTHORITY,
  VAULT_SUFFIX,
  type AppSeed,
  type CloudName,
  type FakeApp,
  type FakeDeletedSecret,
  type FakeRoleAssignment,
  type FakeSecretVersion,
  type FakeSubscription,
  type FakeVault,
  type Json,
  type SecretSeed,
  type VaultSeed,
} from './state';

export interface FakeRequestLogEntry {
  seq: number;
  method: string;
  /** Host header without port, lower case. */
  host: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 when the fake dropped the connection or never answered. */
  status: number;
  outcome: 'answered' | 'dropped' | 'timeout' | 'aborted';
  /** Whether a bearer token was present. */
  authenticated: boolean;
  /** Request body: parsed JSON for non-secret routes; Key Vault and app-settings bodies are masked. */
  body?: unknown;
  /** Description of the fault applied, if any. */
  fault?: string;
}

export interface FaultSpec {
  /**
   * Which requests: matched against `"METHOD host/path"`, e.g. `"PUT myvault.vault.azure.net/secrets/db"`.
   * A string matches as a case-insensitive substring; a RegExp is tested as is.
   */
  route: string | RegExp;
  /** Answer with this status and an Azure-style error body (ARM or Key Vault flavour by host). */
  status?: number;
  /** With 429 (or 503): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Replace the error body. */
  body?: unknown;
  /** Hostile server: put the raw request body into the error message (tests that clients never surface it). */
  echoRequestBody?: boolean;
  /** Wait this long first (then answer normally, or with `status`). */
  delayMs?: number;
  /** Never answer (until the client gives up, or the fake is disposed; bounded by 120 s). */
  timeout?: boolean;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Apply to the first N matching requests only; permanent when omitted. */
  times?: number;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** How many requests this fault has been applied to. */
  readonly hits: number;
  remove(): void;
}

export interface FakeAzureOptions {
  /** Start the CONNECT proxy too (default true). */
  proxy?: boolean;
  /** Rows per Resource Graph page unless the request's `$top` is smaller (default 1000). */
  graphPageSize?: number;
  /** Items per ARM list page (subscriptions, slots, configreferences; default 100). */
  armPageSize?: number;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  json: unknown;
  entry: FakeRequestLogEntry;
  /** Headers every answer to this request carries (throttling counters). */
  extraHeaders?: Record<string, string>;
}

/** Calls by kind, from the request log (benchmarks). */
export interface FakeCallStats {
  /** Resource Graph queries (pages included). */
  graph: number;
  /** Resource Manager GETs. */
  reads: number;
  /** Resource Manager PUT/PATCH/DELETE/POST, POST actions such as config/appsettings/list included. */
  writes: number;
  /** Answers with 429 (Resource Manager buckets and Resource Graph quota). */
  throttled: number;
}

type Kind = 'kv' | 'arm';

/** Where ARM template schemas live; a JSON editor that opens a template may fetch its `$schema` from here. */
const SCHEMA_HOST = 'schema.management.azure.com';
const ARM_HOSTS = new Set(['management.azure.com', 'management.chinacloudapi.cn', 'management.usgovcloudapi.net', 'localhost', '127.0.0.1']);
const MAX_BODY = 1024 * 1024;
const MAX_HOLD_MS = 120_000;

function cloudOfVaultHost(host: string): CloudName | undefined {
  for (const [cloud, suffix] of Object.entries(VAULT_SUFFIX) as Array<[CloudName, string]>) {
    if (host.endsWith(`.${suffix}`) && host.length > suffix.length + 1) return cloud;
  }
  return undefined;
}

const newVersion = (): string => randomBytes(16).toString('hex');
const nowSec = (): number => Math.floor(Date.now() / 1000);

function mask(v: unknown): unknown {
  if (typeof v === 'string') return '***';
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const out: Json = {};
    for (const [k, x] of Object.entries(v as Json)) out[k] = x && typeof x === 'object' ? mask(x) : '***';
    return out;
  }
  return '***';
}

export class FakeAzure {
  readonly caPem: string;
  readonly subscriptions: FakeSubscription[] = [];
  /** lower-case resource id → app (slots included). */
  readonly apps = new Map<string, FakeApp>();
  /** lower-case vault host → vault. */
  readonly vaults = new Map<string, FakeVault>();
  /** `${subscriptionId}/${plan}` (lower case) → pricing tier. */
  readonly defender = new Map<string, string>();
  /** lower-case assignment id → assignment. */
  readonly roleAssignments = new Map<string, FakeRoleAssignment>();
  /** Added to every request (e.g. 100 for a benchmark). */
  latencyMs = 0;
  graphPageSize: number;
  armPageSize: number;
  /** Create unknown vaults on first use (default true); when false, unknown vault hosts get 404. */
  autoCreateVaults = true;
  /** Management group id (lower case) → subscription ids (Resource Graph scope and `descendants`). */
  readonly managementGroups = new Map<string, string[]>();
  /** Subscriptions the caller cannot read: every call under them (and Resource Graph naming them) gets 403. */
  readonly deniedSubscriptions = new Set<string>();
  /** Subscriptions or management groups where only Resource Graph refuses (403); Resource Manager still answers. */
  readonly graphDenied = new Set<string>();
  /** Subscriptions not registered for Microsoft.ResourceGraph (409 MissingSubscriptionRegistration). */
  readonly graphUnregistered = new Set<string>();
  /** Apps or slots (lower-case ids) whose config/web row Resource Graph lacks. */
  readonly graphMissingConfig = new Set<string>();
  /** appserviceresources rows with PascalCase property names (casing there is not documented). */
  graphPascalCaseConfig = false;
  /** Per-page hook for tests: expire the $skipToken or truncate the page. */
  onGraphPage?: (page: { query: string; skip: number; top: number }) => GraphPageQuirk;
  private skipTokenEpoch = 0;
  private throttle?: SubscriptionThrottle;
  private graphQuota?: GraphQuota;

  private readonly log: FakeRequestLogEntry[] = [];
  private faults: Array<{ spec: FaultSpec; hits: number }> = [];
  private seq = 0;
  private inFlight = 0;
  private maxInFlightSeen = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;
  private readonly clients: FakeHttpClient[] = [];

  private constructor(
    private readonly server: https.Server,
    readonly port: number,
    readonly proxy: FakeAzureProxy | undefined,
    options: FakeAzureOptions,
  ) {
    this.caPem = testCertificates().caPem;
    this.graphPageSize = options.graphPageSize ?? 1000;
    this.armPageSize = options.armPageSize ?? 100;
  }

  /** Start the fake (HTTPS server + CONNECT proxy) on 127.0.0.1, random free ports. */
  static async start(options: FakeAzureOptions = {}): Promise<FakeAzure> {
    const certs = testCertificates();
    const server = https.createServer({ key: certs.keyPem, cert: certs.certPem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const proxy = options.proxy === false ? undefined : await FakeAzureProxy.start(port);
    const fake = new FakeAzure(server, port, proxy, options);
    server.on('connection', (s: Socket) => {
      fake.sockets.add(s);
      s.once('close', () => fake.sockets.delete(s));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'FakeAzureBug', message: String(e instanceof Error ? e.message : e) } }));
        }
      });
    });
    return fake;
  }

  /** `https://127.0.0.1:<port>` — an ARM endpoint reachable without host rewriting (custom cloud). */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** A core-rest-pipeline HttpClient that reaches this fake for any Azure host (pass as the SDK's `httpClient`). */
  httpClient(): FakeHttpClient {
    const c = createFakeHttpClient(this.port, this.caPem);
    this.clients.push(c);
    return c;
  }

  /** Close the proxy and the server, destroying open sockets and held requests. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.clients) c.dispose();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.proxy?.dispose();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  // ---------------------------------------------------------------- seeding and read-back

  addSubscription(s: Partial<FakeSubscription> & { subscriptionId: string }): FakeSubscription {
    const sub: FakeSubscription = { displayName: `Subscription ${s.subscriptionId.slice(0, 8)}`, tenantId: DEFAULT_TENANT, state: 'Enabled', ...s };
    this.subscriptions.push(sub);
    return sub;
  }

  /** Add an app (or slot) built from the spec fixtures, with overrides. */
  addApp(seed: AppSeed): FakeApp {
    const app = buildApp(seed);
    this.apps.set(app.id.toLowerCase(), app);
    if (!this.subscriptions.some((s) => s.subscriptionId === seed.subscriptionId)) this.addSubscription({ subscriptionId: seed.subscriptionId });
    return app;
  }

  /** The app (or slot) with this resource id. */
  app(id: string): FakeApp {
    const app = this.apps.get(id.toLowerCase());
    if (!app) throw new Error(`fake Azure: no app ${id}`);
    return app;
  }

  addVault(seed: VaultSeed): FakeVault {
    const vault = buildVault(seed);
    this.vaults.set(vault.host, vault);
    for (const s of seed.secrets ?? []) this.putSecretVersion(vault, s);
    for (const s of seed.deletedSecrets ?? []) {
      this.putSecretVersion(vault, s);
      this.softDelete(vault, s.name);
    }
    return vault;
  }

  /** The vault by name (public cloud) or host. */
  vault(nameOrHost: string): FakeVault {
    const key = nameOrHost.includes('.') ? nameOrHost.toLowerCase() : `${nameOrHost.toLowerCase()}.${VAULT_SUFFIX.AzureCloud}`;
    const v = this.vaults.get(key);
    if (!v) throw new Error(`fake Azure: no vault ${nameOrHost}`);
    return v;
  }

  /** Latest version of a secret (tests only; includes the value). */
  secret(vaultNameOrHost: string, name: string): FakeSecretVersion | undefined {
    const versions = this.vault(vaultNameOrHost).secrets.get(name.toLowerCase());
    return versions?.[versions.length - 1];
  }

  setDefenderTier(subscriptionId: string, tier: 'Free' | 'Standard', plan = 'AppServices'): void {
    this.defender.set(`${subscriptionId}/${plan}`.toLowerCase(), tier);
  }

  addManagementGroup(id: string, subscriptionIds: string[]): void {
    this.managementGroups.set(id.toLowerCase(), [...subscriptionIds]);
  }

  /** The caller can read nothing in this subscription (Resource Manager and Resource Graph answer 403). */
  denySubscription(subscriptionId: string): void {
    this.deniedSubscriptions.add(subscriptionId.toLowerCase());
  }

  /** Every $skipToken handed out so far stops working (400 InvalidSkipToken), as when a token expires. */
  expireGraphSkipTokens(): void {
    this.skipTokenEpoch++;
  }

  /**
   * Model Resource Manager's per-subscription token buckets (default: reads 250 burst / 25 per s, writes 200 / 10
   * per s) and Resource Graph's per-user quota (default 15 queries per 5 s). Off until called.
   */
  enableThrottling(spec: ThrottleSpec = ARM_THROTTLE_LIMITS, quota: GraphQuotaSpec | false = GRAPH_QUOTA_DEFAULT): void {
    this.throttle = new SubscriptionThrottle(spec);
    this.graphQuota = quota ? new GraphQuota(quota) : undefined;
  }

  disableThrottling(): void {
    this.throttle = undefined;
    this.graphQuota = undefined;
  }

  /** Calls by kind since the last clearLog(). */
  callStats(): FakeCallStats {
    const s: FakeCallStats = { graph: 0, reads: 0, writes: 0, throttled: 0 };
    for (const e of this.log) {
      if (!ARM_HOSTS.has(e.host)) continue;
      if (e.status === 429) s.throttled++;
      if (/^\/providers\/microsoft\.resourcegraph\//i.test(e.path)) s.graph++;
      else if (e.method === 'GET' || e.method === 'HEAD') s.reads++;
      else s.writes++;
    }
    return s;
  }

  // ---------------------------------------------------------------- log, stats, faults

  /** Copy of the request log. */
  requests(filter?: { method?: string; pathIncludes?: string; host?: string }): FakeRequestLogEntry[] {
    return this.log
      .filter(
        (e) =>
          (!filter?.method || e.method === filter.method.toUpperCase()) &&
          (!filter?.host || e.host === filter.host.toLowerCase()) &&
          (!filter?.pathIncludes || e.path.toLowerCase().includes(filter.pathIncludes.toLowerCase())),
      )
      .map((e) => structuredClone(e));
  }

  /** Write requests (PUT/PATCH/DELETE and non-list POSTs) with their (masked where secret) bodies. */
  writes(): FakeRequestLogEntry[] {
    return this.requests().filter((e) => e.method !== 'GET' && !(e.method === 'POST' && /\/list$|resourcegraph/i.test(e.path)));
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Highest number of requests handled at the same time since the last reset. */
  get maxConcurrentRequests(): number {
    return this.maxInFlightSeen;
  }

  resetStats(): void {
    this.maxInFlightSeen = this.inFlight;
  }

  fault(spec: FaultSpec): FaultHandle {
    const f = { spec, hits: 0 };
    this.faults.push(f);
    return {
      spec,
      get hits() {
        return f.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((x) => x !== f);
      },
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  // ---------------------------------------------------------------- request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    res.once('close', () => this.inFlight--);

    const method = (req.method ?? 'GET').toUpperCase();
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'https://fake.invalid');
    const path = decodeURIComponent(url.pathname);
    const entry: FakeRequestLogEntry = {
      seq: ++this.seq,
      method,
      host,
      path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      outcome: 'aborted',
      authenticated: /^bearer\s+\S+/i.test(req.headers.authorization ?? ''),
    };
    this.log.push(entry);
    res.once('finish', () => {
      entry.status = res.statusCode;
      entry.outcome = 'answered';
    });

    const rawBody = await this.readBody(req);
    if (rawBody === undefined) {
      this.send({ res, entry } as Ctx, 413, { error: { code: 'RequestTooLarge', message: 'Request body too large for the fake.' } });
      return;
    }
    let json: unknown;
    try {
      json = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      json = undefined;
    }
    const ctx: Ctx = { req, res, method, host, path, query: url.searchParams, rawBody, json, entry };
    const kind: Kind | undefined = cloudOfVaultHost(host) ? 'kv' : ARM_HOSTS.has(host) ? 'arm' : undefined;
    this.recordBody(ctx, kind);

    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    // The real host serves schemas to anyone; an open-ended schema here keeps the JSON language server quiet.
    if (host === SCHEMA_HOST && method === 'GET' && path.startsWith('/schemas/')) {
      return this.send(ctx, 200, { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' });
    }
    if (!kind) return this.send(ctx, 404, { error: { code: 'UnknownHost', message: `fake Azure does not serve host '${host}'` } });

    if (!entry.authenticated) {
      if (kind === 'kv') return this.kvChallenge(ctx);
      return this.send(ctx, 401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
    }

    if (await this.applyFault(ctx, kind)) return;

    if (!url.searchParams.get('api-version')) {
      const error =
        kind === 'arm'
          ? { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' }
          : { code: 'BadParameter', message: 'The api-version query parameter is missing.' };
      return this.send(ctx, 400, { error });
    }
    if (kind === 'kv') return this.keyVault(ctx);
    return this.arm(ctx);
  }

  private readBody(req: IncomingMessage): Promise<string | undefined> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => resolve(''));
    });
  }

  /** Bodies go to the log only where they carry no secret: Key Vault and settings bodies are masked. */
  private recordBody(ctx: Ctx, kind: Kind | undefined): void {
    if (!ctx.rawBody) return;
    const secretRoute =
      kind === 'kv' || kind === undefined || /\/config\/(appsettings|connectionstrings|authsettings(v2)?)(\/|$)/i.test(ctx.path) || /\/list$/i.test(ctx.path);
    if (ctx.json === undefined) {
      ctx.entry.body = secretRoute ? '***' : '(non-JSON body)';
      return;
    }
    if (!secretRoute) {
      ctx.entry.body = structuredClone(ctx.json);
      return;
    }
    const j = ctx.json as Json;
    if (kind === 'kv' && j && typeof j === 'object') {
      const { value, ...rest } = j;
      ctx.entry.body = { ...structuredClone(rest), ...(value !== undefined ? { value: '***' } : {}) };
    } else if (j && typeof j === 'object' && 'properties' in j) {
      ctx.entry.body = { ...j, properties: mask(j.properties) };
    } else {
      ctx.entry.body = mask(j);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async applyFault(ctx: Ctx, kind: Kind): Promise<boolean> {
    const target = `${ctx.method} ${ctx.host}${ctx.path}`;
    const f = this.faults.find((x) => {
      if (x.spec.times !== undefined && x.hits >= x.spec.times) return false;
      const r = x.spec.route;
      return typeof r === 'string' ? target.toLowerCase().includes(r.toLowerCase()) : r.test(target);
    });
    if (!f) return false;
    f.hits++;
    const s = f.spec;
    const parts: string[] = [];
    if (s.delayMs) {
      parts.push(`delay ${s.delayMs}ms`);
      ctx.entry.fault = parts.join(', ');
      await this.sleep(s.delayMs);
      if (ctx.res.destroyed) return true;
    }
    if (s.drop) {
      ctx.entry.fault = [...parts, 'drop'].join(', ');
      ctx.entry.outcome = 'dropped';
      ctx.req.socket.destroy();
      return true;
    }
    if (s.timeout) {
      ctx.entry.fault = [...parts, 'timeout'].join(', ');
      ctx.entry.outcome = 'timeout';
      // Hold the request; the client's timeout (or dispose) ends it. Bounded so nothing hangs forever.
      const t = setTimeout(() => {
        this.timers.delete(t);
        ctx.req.socket.destroy();
      }, MAX_HOLD_MS);
      t.unref();
      this.timers.add(t);
      ctx.res.once('close', () => {
        clearTimeout(t);
        this.timers.delete(t);
      });
      return true;
    }
    if (s.status) {
      ctx.entry.fault = [...parts, `status ${s.status}`].join(', ');
      const headers: Record<string, string> = {};
      if (s.retryAfterSeconds !== undefined) headers['retry-after'] = String(s.retryAfterSeconds);
      let body = s.body ?? this.errorBody(s.status, kind, ctx);
      if (s.echoRequestBody) {
        body = { error: { code: 'BadRequest', message: `Invalid request body: ${ctx.rawBody}` } };
      }
      this.send(ctx, s.status, body, headers);
      return true;
    }
    ctx.entry.fault = parts.join(', ');
    return false;
  }

  private errorBody(status: number, kind: Kind, ctx: Ctx): unknown {
    const vault = ctx.host.split('.')[0];
    switch (status) {
      case 401:
        return { error: { code: kind === 'kv' ? 'Unauthorized' : 'InvalidAuthenticationToken', message: 'The access token is invalid or expired.' } };
      case 403:
        return kind === 'kv'
          ? {
              error: {
                code: 'Forbidden',
                message: `Caller is not authorized to perform action on resource. If role assignments, deny assignments or role definitions were changed recently, please observe propagation time. Caller: appid=04b07795-8ddb-461a-bbee-02f9e1bf7b46;oid=00000000-0000-0000-0000-000000000042 Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action' Resource: '/subscriptions/.../providers/microsoft.keyvault/vaults/${vault}/secrets/x' Assignment: (not found) Vault: ${vault};location=eastus`,
                innererror: { code: 'ForbiddenByRbac' },
              },
            }
          : {
              error: {
                code: 'AuthorizationFailed',
                message: `The client 'user@example.com' with object id '00000000-0000-0000-0000-000000000042' does not have authorization to perform action 'Microsoft.Web/sites/config/list/action' over scope '${ctx.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
              },
            };
      case 404:
        return kind === 'kv'
          ? { error: { code: 'SecretNotFound', message: 'A secret with (name/id) x was not found in this key vault.' } }
          : { error: { code: 'ResourceNotFound', message: `The Resource '${ctx.path}' was not found.` } };
      case 409:
        return kind === 'kv' ? this.deletedConflictBody(ctx.path.split('/')[2] ?? 'x') : { error: { code: 'Conflict', message: 'The request conflicts with the current state.' } };
      case 429:
        return { error: { code: 'TooManyRequests', message: 'Too many requests. Please retry after the time in the Retry-After header.' } };
      default:
        return { error: { code: status >= 500 ? 'InternalServerError' : 'BadRequest', message: `Fake Azure fault: status ${status}.` } };
    }
  }

  private deletedConflictBody(name: string): Json {
    return {
      error: {
        code: 'Conflict',
        message: `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        innererror: { code: 'ObjectIsDeletedButRecoverable' },
      },
    };
  }

  private send(ctx: Ctx, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const { res } = ctx;
    if (res.headersSent || res.destroyed) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': randomUUID(),
      ...ctx.extraHeaders,
      ...headers,
    });
    res.end(text);
  }

  // ---------------------------------------------------------------- Key Vault data plane

  private kvChallenge(ctx: Ctx): void {
    const cloud = cloudOfVaultHost(ctx.host) ?? 'AzureCloud';
    const vault = this.vaults.get(ctx.host);
    const tenant = vault?.tenantId ?? DEFAULT_TENANT;
    this.send(
      ctx,
      401,
      { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
      { 'www-authenticate': `Bearer authorization="${LOGIN_AUTHORITY[cloud]}/${tenant}", resource="https://${VAULT_SUFFIX[cloud]}"` },
    );
  }

  private secretBundle(vault: FakeVault, v: FakeSecretVersion, withValue: boolean): Json {
    return {
      ...(withValue ? { value: v.value } : {}),
      id: `https://${vault.host}/secrets/${v.name}/${v.version}`,
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
      ...(v.tags ? { tags: v.tags } : {}),
      attributes: v.attributes,
    };
  }

  private deletedBundle(vault: FakeVault, d: FakeDeletedSecret, withValue: boolean): Json {
    const latest = d.versions[d.versions.length - 1];
    return {
      ...this.secretBundle(vault, latest, withValue),
      recoveryId: `https://${vault.host}/deletedsecrets/${latest.name}`,
      deletedDate: d.deletedDate,
      scheduledPurgeDate: d.scheduledPurgeDate,
    };
  }

  private putSecretVersion(vault: FakeVault, s: SecretSeed & { attributes?: Json }): FakeSecretVersion {
    const key = s.name.toLowerCase();
    const versions = vault.secrets.get(key) ?? [];
    const t = nowSec();
    const v: FakeSecretVersion = {
      name: versions[0]?.name ?? s.name,
      version: newVersion(),
      value: s.value,
      ...(s.contentType !== undefined ? { contentType: s.contentType } : {}),
      ...(s.tags ? { tags: { ...s.tags } } : {}),
      attributes: { enabled: true, ...(s.attributes ?? {}), created: t, updated: t, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    };
    versions.push(v);
    vault.secrets.set(key, versions);
    return v;
  }

  private softDelete(vault: FakeVault, name: string): FakeDeletedSecret | undefined {
    const key = name.toLowerCase();
    const versions = vault.secrets.get(key);
    if (!versions) return undefined;
    vault.secrets.delete(key);
    const d: FakeDeletedSecret = { versions, deletedDate: nowSec(), scheduledPurgeDate: nowSec() + 90 * 86400 };
    vault.deleted.set(key, d);
    return d;
  }

  private keyVault(ctx: Ctx): void {
    let vault = this.vaults.get(ctx.host);
    if (!vault) {
      if (!this.autoCreateVaults) return this.send(ctx, 404, { error: { code: 'VaultNotFound', message: `Vault ${ctx.host} not found.` } });
      vault = this.addVault({ name: ctx.host.split('.')[0], cloud: cloudOfVaultHost(ctx.host) });
    }
    const notFound = (name: string, deleted = false): void =>
      this.send(ctx, 404, {
        error: {
          code: 'SecretNotFound',
          message: deleted ? `Deleted Secret not found: ${name}` : `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
        },
      });
    const segs = ctx.path.split('/').filter(Boolean);
    // segs: ['secrets', name, version?] | ['deletedsecrets', name, 'recover'?]
    const [collection, rawName, rest] = [segs[0]?.toLowerCase(), segs[1], segs[2]];
    const m = ctx.method;

    if (collection === 'secrets' && rawName === undefined && m === 'GET') {
      const value = [...vault.secrets.values()].map((vs) => {
        const { value: _v, ...b } = this.secretBundle(vault, vs[vs.length - 1], false);
        return { ...b, id: `https://${vault.host}/secrets/${vs[0].name}` };
      });
      return this.send(ctx, 200, { value, nextLink: null });
    }
    if (collection === 'deletedsecrets' && rawName === undefined && m === 'GET') {
      return this.send(ctx, 200, { value: [...vault.deleted.values()].map((d) => this.deletedBundle(vault, d, false)), nextLink: null });
    }
    if (!rawName || !/^[0-9a-zA-Z-]{1,127}$/.test(rawName)) {
      return this.send(ctx, 400, { error: { code: 'BadParameter', message: 'The request URI contains an invalid name. Secret names may contain only 0-9, a-z, A-Z and -.' } });
    }
    const key = rawName.toLowerCase();

    if (collection === 'secrets') {
      if (m === 'PUT' && rest === undefined) {
        if (vault.deleted.has(key)) return this.send(ctx, 409, this.deletedConflictBody(rawName));
        const b = (ctx.json ?? {}) as Json;
        if (typeof b.value !== 'string') return this.send(ctx, 400, { error: { code: 'BadParameter', message: 'Property value is required.' } });
        const v = this.putSecretVersion(vault, {
          name: rawName,
          value: b.value,
          ...(typeof b.contentType === 'string' ? { contentType: b.contentType } : {}),
          ...(b.tags && typeof b.tags === 'object' ? { tags: b.tags as Record<string, string> } : {}),
          ...(b.attributes && typeof b.attributes === 'object' ? { attributes: b.attributes as Json } : {}),
        });
        return this.send(ctx, 200, this.secretBundle(vault, v, true));
      }
      if (m === 'DELETE' && rest === undefined) {
        const d = this.softDelete(vault, key);
        if (!d) return notFound(rawName);
        return this.send(ctx, 200, this.deletedBundle(vault, d, false));
      }
      if (m === 'GET') {
        const versions = vault.secrets.get(key);
        if (!versions) return notFound(rawName);
        if (rest === 'versions') {
          return this.send(ctx, 200, { value: versions.map((v) => this.secretBundle(vault, v, false)), nextLink: null });
        }
        const v = rest ? versions.find((x) => x.version === rest.toLowerCase()) : versions[versions.length - 1];
        if (!v) return notFound(rawName);
        return this.send(ctx, 200, this.secretBundle(vault, v, true));
      }
    }
    if (collection === 'deletedsecrets') {
      const d = vault.deleted.get(key);
      if (m === 'GET' && rest === undefined) return d ? this.send(ctx, 200, this.deletedBundle(vault, d, false)) : notFound(rawName, true);
      if (m === 'POST' && rest?.toLowerCase() === 'recover') {
        if (!d) return notFound(rawName, true);
        vault.deleted.delete(key);
        vault.secrets.set(key, d.versions);
        return this.send(ctx, 200, this.secretBundle(vault, d.versions[d.versions.length - 1], false));
      }
      if (m === 'DELETE' && rest === undefined) {
        if (!d) return notFound(rawName, true);
        vault.deleted.delete(key);
        return this.send(ctx, 204);
      }
    }
    return this.send(ctx, 405, { error: { code: 'MethodNotAllowed', message: `fake Key Vault: ${m} ${ctx.path} not supported` } });
  }

  // ---------------------------------------------------------------- Resource Manager

  private page<T>(ctx: Ctx, items: T[]): Json {
    const skip = Number(ctx.query.get('$skiptoken') ?? '0') || 0;
    const slice = items.slice(skip, skip + this.armPageSize);
    const next = skip + this.armPageSize;
    let nextLink: string | null = null;
    if (next < items.length) {
      const u = new URL(`https://${ctx.req.headers.host ?? ctx.host}${ctx.path}`);
      ctx.query.forEach((v, k) => k !== '$skiptoken' && u.searchParams.set(k, v));
      u.searchParams.set('$skiptoken', String(next));
      nextLink = u.toString();
    }
    return { value: slice, nextLink };
  }

  private armNotFound(ctx: Ctx, what: string): void {
    this.send(ctx, 404, {
      error: { code: 'ResourceNotFound', message: `The Resource '${what}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` },
    });
  }

  private arm(ctx: Ctx): void {
    const p = ctx.path.replace(/\/+$/, '');
    const lp = p.toLowerCase();
    const m = ctx.method;

    const scoped = /^\/subscriptions\/([^/]+)\//i.exec(p)?.[1]?.toLowerCase();
    if (scoped && this.deniedSubscriptions.has(scoped)) {
      return this.send(ctx, 403, {
        error: {
          code: 'AuthorizationFailed',
          message: `The client 'user@example.com' with object id '00000000-0000-0000-0000-000000000042' does not have authorization to perform action 'Microsoft.Web/sites/read' over scope '/subscriptions/${scoped}' or the scope is invalid.`,
        },
      });
    }
    if (scoped && this.throttle) {
      const cls = throttleClass(m);
      const t = this.throttle.take(scoped, cls);
      const header = `x-ms-ratelimit-remaining-subscription-${cls}`;
      if (!t.ok) {
        ctx.entry.fault = `throttled (${cls})`;
        return this.send(ctx, 429, this.errorBody(429, 'arm', ctx), { 'retry-after': String(t.retryAfterSeconds), [header]: '0' });
      }
      ctx.extraHeaders = { ...ctx.extraHeaders, [header]: String(t.remaining) };
    }

    if (lp === '/providers/microsoft.resourcegraph/resources' && m === 'POST' && this.graphQuota) {
      const user = /^bearer\s+(\S+)/i.exec(ctx.req.headers.authorization ?? '')?.[1] ?? '';
      const q = this.graphQuota.take(user);
      ctx.extraHeaders = { ...ctx.extraHeaders, 'x-ms-user-quota-remaining': String(q.remaining), 'x-ms-user-quota-resets-after': formatResetsAfter(q.resetsAfterMs) };
      if (!q.ok) {
        ctx.entry.fault = 'Resource Graph quota';
        return this.send(ctx, 429, {
          error: { code: 'RateLimiting', message: 'Please provide below info when asking for support: timestamp, correlationId. Too many requests; see x-ms-user-quota-resets-after.' },
        });
      }
    }

    const siteList = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.web\/sites$/i.exec(p);
    if (siteList && m === 'GET') {
      const sub = siteList[1].toLowerCase();
      return this.send(
        ctx,
        200,
        this.page(
          ctx,
          [...this.apps.values()].filter((a) => !a.slot && a.subscriptionId.toLowerCase() === sub).map((a) => a.site),
        ),
      );
    }
    const descendants = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)\/descendants$/i.exec(p);
    if (descendants && m === 'GET') {
      const members = this.managementGroups.get(descendants[1].toLowerCase());
      if (!members) return this.armNotFound(ctx, p);
      return this.send(
        ctx,
        200,
        this.page(
          ctx,
          members.map((s) => ({ id: `/subscriptions/${s}`, type: 'Microsoft.Management/managementGroups/subscriptions', name: s, properties: { displayName: s } })),
        ),
      );
    }

    if (lp === '/subscriptions' && m === 'GET') {
      return this.send(
        ctx,
        200,
        this.page(
          ctx,
          this.subscriptions.map((s) => ({ id: `/subscriptions/${s.subscriptionId}`, authorizationSource: 'RoleBased', managedByTenants: [], ...s })),
        ),
      );
    }
    if (lp === '/providers/microsoft.resourcegraph/resources' && m === 'POST') return this.resourceGraph(ctx);

    const site = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+(?:\/slots\/[^/]+)?)(\/.*)?$/i.exec(p);
    if (site) return this.siteRoute(ctx, site[1], (site[2] ?? '').toLowerCase());

    const pricing = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.security\/pricings\/([^/]+)$/i.exec(p);
    if (pricing) {
      const key = `${pricing[1]}/${pricing[2]}`.toLowerCase();
      if (m === 'PUT') {
        const tier = ((ctx.json as Json | undefined)?.properties as Json | undefined)?.pricingTier;
        if (typeof tier !== 'string') return this.send(ctx, 400, { error: { code: 'InvalidInput', message: 'properties.pricingTier is required' } });
        this.defender.set(key, tier);
      } else if (m !== 'GET') return this.send(ctx, 405, { error: { code: 'MethodNotAllowed', message: m } });
      return this.send(ctx, 200, {
        id: p,
        name: pricing[2],
        type: 'Microsoft.Security/pricings',
        properties: { pricingTier: this.defender.get(key) ?? 'Free', freeTrialRemainingTime: 'PT0S' },
      });
    }

    const vaultRoute = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/i.exec(p);
    if (vaultRoute && m === 'GET') {
      const v = [...this.vaults.values()].find((x) => x.id.toLowerCase() === lp);
      return v ? this.send(ctx, 200, v.resource) : this.armNotFound(ctx, p);
    }

    const ra = /^(.*)\/providers\/microsoft\.authorization\/roleassignments\/([^/]+)$/i.exec(p);
    if (ra && m === 'PUT') return this.putRoleAssignment(ctx, ra[1], ra[2]);
    if (ra && m === 'GET') {
      const a = this.roleAssignments.get(lp);
      return a ? this.send(ctx, 200, a.body) : this.armNotFound(ctx, p);
    }

    return this.send(ctx, 404, { error: { code: 'NoRegisteredProviderFound', message: `fake ARM: no route for ${m} ${p}` } });
  }

  private putRoleAssignment(ctx: Ctx, scope: string, name: string): void {
    const props = ((ctx.json as Json | undefined)?.properties ?? {}) as Json;
    if (typeof props.roleDefinitionId !== 'string' || typeof props.principalId !== 'string') {
      return this.send(ctx, 400, { error: { code: 'InvalidRoleAssignmentRequest', message: 'roleDefinitionId and principalId are required.' } });
    }
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    const roleDefinitionId = props.roleDefinitionId.toLowerCase();
    const dup = [...this.roleAssignments.values()].find(
      (a) =>
        a.id.toLowerCase() !== id.toLowerCase() &&
        a.scope.toLowerCase() === scope.toLowerCase() &&
        String((a.body.properties as Json).roleDefinitionId).toLowerCase() === roleDefinitionId &&
        (a.body.properties as Json).principalId === props.principalId,
    );
    if (dup) return this.send(ctx, 409, { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } });
    const body: Json = {
      id,
      name,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { ...props, scope, createdOn: new Date().toISOString() },
    };
    this.roleAssignments.set(id.toLowerCase(), { id, scope, body });
    this.send(ctx, 201, body);
  }

  private resourceGraph(ctx: Ctx): void {
    const a = answerGraphQuery(
      {
        subscriptions: this.subscriptions,
        apps: this.apps,
        vaults: this.vaults,
        managementGroups: this.managementGroups,
        deniedSubscriptions: this.deniedSubscriptions,
        graphDenied: new Set([...this.graphDenied].map((x) => x.toLowerCase())),
        graphUnregistered: new Set([...this.graphUnregistered].map((x) => x.toLowerCase())),
        graphMissingConfig: this.graphMissingConfig,
        graphPascalCaseConfig: this.graphPascalCaseConfig,
        graphPageSize: this.graphPageSize,
        skipTokenEpoch: this.skipTokenEpoch,
        ...(this.onGraphPage ? { onGraphPage: this.onGraphPage } : {}),
      },
      ctx.query.get('api-version'),
      ctx.json,
    );
    this.send(ctx, a.status, a.body);
  }

  private siteRoute(ctx: Ctx, id: string, sub: string): void {
    const app = this.apps.get(id.toLowerCase());
    if (!app) return this.armNotFound(ctx, id);
    const m = ctx.method;
    const body = (ctx.json ?? {}) as Json;
    const configBody = (name: string, properties: unknown): Json => ({ id: `${app.id}/config/${name}`, name, type: 'Microsoft.Web/sites/config', kind: app.site.kind, properties });
    const policy = (which: 'ftp' | 'scm'): Json => ({
      id: `${app.id}/basicPublishingCredentialsPolicies/${which}`,
      name: which,
      type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
      properties: { allow: app.publishing[which] },
    });
    const bad = (message: string): void => this.send(ctx, 400, { error: { code: 'BadRequest', message } });

    switch (`${m} ${sub}`) {
      case 'GET ':
        return this.send(ctx, 200, app.site);
      case 'PATCH ': {
        if (body.properties && typeof body.properties === 'object') Object.assign(app.site.properties as Json, structuredClone(body.properties));
        if (body.identity && typeof body.identity === 'object') app.site.identity = structuredClone(body.identity);
        return this.send(ctx, 200, app.site);
      }
      case 'GET /config/web':
        return this.send(ctx, 200, app.config);
      case 'PATCH /config/web':
      case 'PUT /config/web': {
        if (!body.properties || typeof body.properties !== 'object') return bad('properties is required');
        if (m === 'PUT') app.config.properties = structuredClone(body.properties);
        else Object.assign(app.config.properties as Json, structuredClone(body.properties));
        return this.send(ctx, 200, app.config);
      }
      case 'POST /config/appsettings/list':
        return this.send(ctx, 200, configBody('appsettings', app.appSettings));
      case 'PUT /config/appsettings': {
        const props = body.properties;
        if (!props || typeof props !== 'object' || Object.values(props).some((v) => typeof v !== 'string')) return bad('properties must map names to strings');
        app.appSettings = { ...(props as Record<string, string>) };
        return this.send(ctx, 200, configBody('appsettings', app.appSettings));
      }
      case 'POST /config/connectionstrings/list':
        return this.send(ctx, 200, configBody('connectionstrings', app.connectionStrings));
      case 'GET /config/authsettingsv2':
        return this.send(ctx, 200, app.authSettingsV2);
      case 'GET /basicpublishingcredentialspolicies':
        return this.send(ctx, 200, { value: [policy('ftp'), policy('scm')], nextLink: null });
      case 'GET /basicpublishingcredentialspolicies/ftp':
      case 'GET /basicpublishingcredentialspolicies/scm':
        return this.send(ctx, 200, policy(sub.endsWith('ftp') ? 'ftp' : 'scm'));
      case 'PUT /basicpublishingcredentialspolicies/ftp':
      case 'PUT /basicpublishingcredentialspolicies/scm': {
        const allow = (body.properties as Json | undefined)?.allow;
        if (typeof allow !== 'boolean') return bad('properties.allow must be a boolean');
        const which = sub.endsWith('ftp') ? 'ftp' : 'scm';
        app.publishing[which] = allow;
        return this.send(ctx, 200, policy(which));
      }
      case 'GET /config/configreferences/appsettings':
        return this.send(
          ctx,
          200,
          this.page(
            ctx,
            app.configReferences.map((r) => ({ id: `${app.id}/config/configreferences/appsettings/${r.name}`, name: r.name, properties: r.properties })),
          ),
        );
      case 'GET /slots': {
        if (app.slot) return this.armNotFound(ctx, `${id}/slots`);
        const prefix = `${app.id.toLowerCase()}/slots/`;
        return this.send(
          ctx,
          200,
          this.page(
            ctx,
            [...this.apps.values()].filter((a) => a.id.toLowerCase().startsWith(prefix)).map((a) => a.site),
          ),
        );
      }
    }
    const ref = /^\/config\/configreferences\/appsettings\/([^/]+)$/.exec(sub);
    if (ref && m === 'GET') {
      const r = app.configReferences.find((x) => x.name.toLowerCase() === ref[1]);
      return r
        ? this.send(ctx, 200, { id: `${app.id}/config/configreferences/appsettings/${r.name}`, name: r.name, properties: r.properties })
        : this.armNotFound(ctx, `${id}${sub}`);
    }
    return this.send(ctx, 404, { error: { code: 'NotFound', message: `fake ARM: no route for ${m} ${id}${sub}` } });
  }
}
