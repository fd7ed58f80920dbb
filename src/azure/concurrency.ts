// Run per-item async work with a bounded number in flight (e.g. per-app ARM calls, 8 at a time).

export interface MapLimitOptions {
  /** Maximum calls in flight (default 8, at least 1). */
  concurrency?: number;
  /** Stop starting new items once aborted; items not started settle as rejected with an AbortError. */
  abortSignal?: AbortSignal;
}

/** Like Promise.allSettled(items.map(fn)) but with at most `concurrency` calls running; results keep input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: MapLimitOptions = {},
): Promise<Array<PromiseSettledResult<R>>> {
  const limit = Math.max(1, Math.floor(options.concurrency ?? 8));
  const results: Array<PromiseSettledResult<R>> = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (options.abortSignal?.aborted) {
        const reason = new Error('The operation was aborted.');
        reason.name = 'AbortError';
        results[i] = { status: 'rejected', reason };
        continue;
      }
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i], i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Run `fn` with a signal that aborts when the caller's signal does or after `timeoutMs`; says which one it was.
 * The timer is always cleared (the SDK's per-request `timeout` leaves a timer behind on errors, which keeps a CLI
 * process alive), so nothing lingers after the call.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown; aborted?: 'timeout' | 'cancelled' }> {
  const ac = new AbortController();
  let timedOut = false;
  const onAbort = (): void => ac.abort();
  if (callerSignal?.aborted) ac.abort();
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), ac.abort()), timeoutMs) : undefined;
  try {
    return { ok: true, value: await fn(ac.signal) };
  } catch (error) {
    const aborted = callerSignal?.aborted ? 'cancelled' : timedOut ? 'timeout' : undefined;
    return { ok: false, error, ...(aborted ? { aborted } : {}) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  }
}
