// Throttle-aware scheduling of Resource Manager calls, as a pipeline policy on the ArmClient (one attempt = one
// pass through it, retries included). Resource Manager throttles per subscription with two token buckets, reads
// (GET) and writes (PUT/PATCH/DELETE and POST actions such as config/appsettings/list); each answer says how many
// tokens are left (x-ms-ratelimit-remaining-subscription-reads/-writes) and a 429 says when to come back
// (Retry-After). Resource Graph has its own per-user quota (x-ms-user-quota-remaining/-resets-after).
// The scheduler keeps an estimate of each bucket, lowered by those headers, spaces calls so the bucket is not
// overrun, and refuses a call (TimeBudgetError) rather than wait past the run's time budget, so a sweep degrades
// to "unknown" checks instead of running for an hour. No Node built-ins (runs in the extension host too).

import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import { AzureRequestError } from './errors';

export interface RateSpec {
  /** Tokens when the bucket is full. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

/** Resource Manager's documented per-subscription buckets; the headers lower the estimate when Azure has less. */
export const ARM_RATE_LIMITS = Object.freeze({
  reads: Object.freeze({ burst: 250, perSecond: 25 }) as RateSpec,
  writes: Object.freeze({ burst: 200, perSecond: 10 }) as RateSpec,
});

export interface SchedulerOptions {
  /** Calls in flight per subscription, for reads and for writes each (default 16). */
  concurrencyPerSubscription?: number;
  /** Time budget of the whole run in ms, from the scheduler's creation (default: none). */
  timeBudgetMs?: number;
  /** Assumed buckets until Azure's headers say otherwise (default ARM_RATE_LIMITS). */
  reads?: RateSpec;
  writes?: RateSpec;
  /** Resource Graph queries in flight at once (default 4). */
  graphConcurrency?: number;
  /** Times a Resource Graph query refused for quota (429) is sent again after the reset (default 5). */
  graphQuotaRetries?: number;
}

export interface SchedulerStats {
  /** Resource Graph queries sent (pages and retries included). */
  graph: number;
  /** Resource Manager reads (GET) sent, retries included. */
  reads: number;
  /** Resource Manager writes and POST actions sent, retries included. */
  writes: number;
  /** Answers with 429, Resource Graph's included. */
  throttled: number;
  /** Calls not sent because the time budget would have run out first. */
  refusedByBudget: number;
}

/** A call the scheduler did not send (or did not retry) because the run's time budget would run out first. */
export class TimeBudgetError extends AzureRequestError {
  constructor(message: string) {
    super(message, 'timeout', { code: 'TimeBudgetExhausted' });
  }
}

type Cls = 'reads' | 'writes';

class Bucket {
  tokens: number;
  updatedAt: number;
  pausedUntil = 0;
  inFlight = 0;
  readonly waiters: Array<() => void> = [];

  constructor(
    readonly spec: RateSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.updatedAt = now;
  }

  refill(now: number): void {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.spec.perSecond);
    this.updatedAt = now;
  }
}

const SUBSCRIPTION_PATH = /^\/subscriptions\/([^/?#]+)\//i;
const GRAPH_PATH = /^\/providers\/microsoft\.resourcegraph\/resources$/i;
const HMS = /^(\d{1,3}):(\d{2}):(\d{2})$/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function headerNumber(response: PipelineResponse, name: string): number | undefined {
  const v = response.headers.get(name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After in ms: seconds or an HTTP date in Retry-After, or the ms variants Azure also sends. */
function retryAfterMs(response: PipelineResponse, now: number): number | undefined {
  const ms = headerNumber(response, 'retry-after-ms') ?? headerNumber(response, 'x-ms-retry-after-ms');
  if (ms !== undefined) return ms;
  const raw = response.headers.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return s * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** x-ms-user-quota-resets-after (`hh:mm:ss`) in ms. */
export function parseQuotaResetsAfter(v: string | undefined): number | undefined {
  const m = v ? HMS.exec(v.trim()) : null;
  return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 : undefined;
}

export class ArmScheduler {
  readonly stats: SchedulerStats = { graph: 0, reads: 0, writes: 0, throttled: 0, refusedByBudget: 0 };
  readonly startedAt = Date.now();
  readonly deadline: number | undefined;
  private readonly buckets = new Map<string, Bucket>();
  private readonly limit: number;
  private readonly rates: Record<Cls, RateSpec>;
  private readonly graphLimit: number;
  private readonly graphRetries: number;
  private graphInFlight = 0;
  private readonly graphWaiters: Array<() => void> = [];
  private graphRemaining: number | undefined;
  private graphResetAt = 0;

  constructor(private readonly options: SchedulerOptions = {}) {
    this.limit = Math.max(1, Math.floor(options.concurrencyPerSubscription ?? 16));
    this.rates = { reads: options.reads ?? ARM_RATE_LIMITS.reads, writes: options.writes ?? ARM_RATE_LIMITS.writes };
    this.graphLimit = Math.max(1, Math.floor(options.graphConcurrency ?? 4));
    this.graphRetries = Math.max(0, Math.floor(options.graphQuotaRetries ?? 5));
    this.deadline = options.timeBudgetMs !== undefined && options.timeBudgetMs > 0 ? this.startedAt + options.timeBudgetMs : undefined;
  }

  /** Whether the time budget is spent. */
  get expired(): boolean {
    return this.deadline !== undefined && Date.now() >= this.deadline;
  }

  /** The pipeline policy (add it after the retry phase, so each attempt passes through it). */
  policy(): PipelinePolicy {
    return { name: 'armThrottleScheduler', sendRequest: (request, next) => this.send(request, next) };
  }

  private budgetError(why: string): TimeBudgetError {
    this.stats.refusedByBudget++;
    const seconds = Math.round((this.options.timeBudgetMs ?? 0) / 1000);
    return new TimeBudgetError(`Not read: the run's time budget (${seconds} s) ran out ${why}. Run again with a longer --time-budget, or fewer --checks.`);
  }

  private async send(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    const path = new URL(request.url).pathname;
    if (GRAPH_PATH.test(path)) return await this.sendGraph(request, next);
    const cls: Cls = request.method === 'GET' || request.method === 'HEAD' ? 'reads' : 'writes';
    const sub = SUBSCRIPTION_PATH.exec(path)?.[1]?.toLowerCase();
    if (!sub) {
      // Tenant-level calls (subscription list, management groups): not in a subscription's buckets.
      if (this.expired) throw this.budgetError('before this call');
      this.stats[cls]++;
      return await next(request);
    }
    const b = this.bucket(sub, cls);
    await this.acquire(b, cls);
    let response: PipelineResponse;
    try {
      this.stats[cls]++;
      response = await next(request);
    } finally {
      this.release(b);
    }
    this.observe(b, cls, response);
    return response;
  }

  private bucket(sub: string, cls: Cls): Bucket {
    const key = `${sub}/${cls}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new Bucket(this.rates[cls], Date.now());
      this.buckets.set(key, b);
    }
    return b;
  }

  /** A slot (bounded calls in flight), then a token: a reservation that may lie in the future, so waiters never stampede. */
  private async acquire(b: Bucket, cls: Cls): Promise<void> {
    while (b.inFlight >= this.limit) await new Promise<void>((resolve) => b.waiters.push(resolve));
    b.inFlight++;
    const now = Date.now();
    b.refill(now);
    b.tokens -= 1;
    const wait = Math.max(b.tokens < 0 ? (-b.tokens / b.spec.perSecond) * 1000 : 0, b.pausedUntil - now);
    if (this.deadline !== undefined && now + wait >= this.deadline) {
      b.tokens += 1;
      this.release(b);
      throw this.budgetError(`before Resource Manager had room for this call (subscription ${cls} are throttled)`);
    }
    if (wait > 0) await sleep(wait);
  }

  private release(b: Bucket): void {
    b.inFlight--;
    b.waiters.shift()?.();
  }

  private observe(b: Bucket, cls: Cls, response: PipelineResponse): void {
    const remaining = headerNumber(response, `x-ms-ratelimit-remaining-subscription-${cls}`);
    const now = Date.now();
    b.refill(now);
    // Azure's count wins when it is lower (another client, a smaller bucket than assumed); calls still in flight
    // may not be in it yet, so they are taken off too.
    if (remaining !== undefined && remaining - b.inFlight < b.tokens) b.tokens = remaining - b.inFlight;
    if (response.status !== 429) return;
    this.stats.throttled++;
    const after = retryAfterMs(response, now) ?? 1000;
    b.pausedUntil = Math.max(b.pausedUntil, now + after);
    b.tokens = Math.min(b.tokens, 0);
    // The SDK's retry policy would sleep Retry-After and try again: not past the budget.
    if (this.deadline !== undefined && now + after >= this.deadline) throw this.budgetError(`while Resource Manager was throttling this call`);
  }

  private async sendGraph(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    while (this.graphInFlight >= this.graphLimit) await new Promise<void>((resolve) => this.graphWaiters.push(resolve));
    this.graphInFlight++;
    try {
      for (let attempt = 0; ; attempt++) {
        await this.graphQuotaGate();
        this.stats.graph++;
        const response = await next(request);
        const now = Date.now();
        const remaining = headerNumber(response, 'x-ms-user-quota-remaining');
        const resetsAfter = parseQuotaResetsAfter(response.headers.get('x-ms-user-quota-resets-after'));
        // Queries still in flight may not be counted in the header yet.
        if (remaining !== undefined) this.graphRemaining = Math.min(this.graphRemaining ?? remaining, remaining - (this.graphInFlight - 1));
        if (resetsAfter !== undefined) this.graphResetAt = now + resetsAfter;
        if (response.status !== 429) return response;
        this.stats.throttled++;
        this.graphRemaining = 0;
        if (resetsAfter === undefined) this.graphResetAt = now + (retryAfterMs(response, now) ?? 5000);
        if (attempt >= this.graphRetries) return response;
      }
    } finally {
      this.graphInFlight--;
      this.graphWaiters.shift()?.();
    }
  }

  /** Wait for Resource Graph's quota window to reset when the last answer said it is spent. */
  private async graphQuotaGate(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (this.graphRemaining === undefined || this.graphRemaining > 0) {
        if (this.graphRemaining !== undefined) this.graphRemaining--;
        if (this.expired) throw this.budgetError('before this Resource Graph query');
        return;
      }
      if (now >= this.graphResetAt) {
        this.graphRemaining = undefined;
        continue;
      }
      if (this.deadline !== undefined && this.graphResetAt >= this.deadline) throw this.budgetError("before Resource Graph's quota window reset");
      await sleep(this.graphResetAt - now);
    }
  }
}
