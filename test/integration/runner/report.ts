// Reporter shared by the Node and web runners. It prints machine-readable `[itest] ...` lines that
// scripts/test-host/driver.mjs parses from the browser console, and the plain `N passed, N failed` line.
// No Node APIs here (it is bundled for the web worker too).

export interface ItestSummary {
  host: 'node' | 'web';
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  failures: { title: string; error: string }[];
  metrics: Record<string, number>;
}

export function attachReporter(runner: Mocha.Runner, host: 'node' | 'web', onEnd: (s: ItestSummary) => void): void {
  const started = Date.now();
  const summary: ItestSummary = { host, passed: 0, failed: 0, skipped: 0, durationMs: 0, failures: [], metrics: {} };
  runner.on('pass', (t: Mocha.Test) => {
    summary.passed++;
    console.log(`[itest] pass ${JSON.stringify({ title: t.fullTitle(), ms: t.duration ?? 0 })}`);
  });
  runner.on('fail', (t: Mocha.Runnable, err: Error) => {
    summary.failed++;
    const error = String((err && (err.stack || err.message)) || err);
    summary.failures.push({ title: t.fullTitle(), error });
    console.log(`[itest] fail ${JSON.stringify({ title: t.fullTitle(), error })}`);
  });
  runner.on('pending', (t: Mocha.Test) => {
    summary.skipped++;
    console.log(`[itest] skip ${JSON.stringify({ title: t.fullTitle() })}`);
  });
  runner.on('end', () => {
    summary.durationMs = Date.now() - started;
    summary.metrics = { ...((globalThis as { __itestMetrics?: Record<string, number> }).__itestMetrics ?? {}) };
    console.log(`[itest] summary ${JSON.stringify(summary)}`);
    console.log(`${summary.passed} passed, ${summary.failed} failed`);
    onEnd(summary);
  });
}
