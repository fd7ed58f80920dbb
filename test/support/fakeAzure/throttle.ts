// Resource Manager's throttling, as documented for the regional token-bucket model: per subscription (and
// principal) one bucket for reads and one for writes, each with a burst size and a refill rate. A request that
// finds its bucket empty gets 429 with Retry-After; every answer carries the remaining count in
// x-ms-ratelimit-remaining-subscription-reads / -writes. Resource Graph has its own per-user quota (a number of
// queries per window) reported in x-ms-user-quota-remaining / x-ms-user-quota-resets-after.

export interface BucketSpec {
  /** Tokens when full (the burst a client may spend at once). */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export interface ThrottleSpec {
  /** GET and HEAD. */
  reads: BucketSpec;
  /** PUT, PATCH, DELETE and POST (POST actions such as config/appsettings/list count as writes). */
  writes: BucketSpec;
}

/** Resource Manager's documented per-subscription limits (token bucket, per region and principal). */
export const ARM_THROTTLE_LIMITS: ThrottleSpec = Object.freeze({
  reads: Object.freeze({ burst: 250, perSecond: 25 }),
  writes: Object.freeze({ burst: 200, perSecond: 10 }),
});

export interface GraphQuotaSpec {
  /** Queries allowed per window (Resource Graph's default: 15 per 5 seconds per user). */
  perWindow: number;
  windowMs: number;
}

export const GRAPH_QUOTA_DEFAULT: GraphQuotaSpec = Object.freeze({ perWindow: 15, windowMs: 5000 });

export type ThrottleClass = 'reads' | 'writes';

export function throttleClass(method: string): ThrottleClass {
  return method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
}

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.updatedAt = now;
  }

  /** Take one token: the count left, or how long until one is there. */
  take(now: number): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.spec.perSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.spec.perSecond)) };
  }
}

/** One pair of buckets per subscription. */
export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly spec: ThrottleSpec) {}

  take(subscriptionId: string, cls: ThrottleClass, now = Date.now()): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    const key = `${subscriptionId.toLowerCase()}/${cls}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.spec[cls], now);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }
}

/** A fixed window of Resource Graph queries per caller (the bearer token stands for the user). */
export class GraphQuota {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(readonly spec: GraphQuotaSpec) {}

  take(user: string, now = Date.now()): { ok: boolean; remaining: number; resetsAfterMs: number } {
    let w = this.windows.get(user);
    if (!w || now - w.start >= this.spec.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(user, w);
    }
    const resetsAfterMs = Math.max(0, w.start + this.spec.windowMs - now);
    if (w.used >= this.spec.perWindow) return { ok: false, remaining: 0, resetsAfterMs };
    w.used++;
    return { ok: true, remaining: this.spec.perWindow - w.used, resetsAfterMs };
  }
}

/** `hh:mm:ss` as Resource Graph writes x-ms-user-quota-resets-after (rounded up to the second). */
export function formatResetsAfter(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
