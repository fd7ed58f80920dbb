// extensionTestsPath entry for the web-worker extension host. No Node APIs: mocha's browser build is
// bundled in (as in the official helloworld-web-sample) and results go out through console output,
// which scripts/test-host/driver.mjs reads from the page. The exit code is the run() promise.
// Bundled by scripts/test-host/build-tests.mjs to dist-test/web/index.js.
import 'mocha/mocha.js';
import { loadSuites } from 'itest:suites';
import { attachReporter } from './report';

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 20_000 });
    if (__ITEST_GREP__) mocha.grep(new RegExp(__ITEST_GREP__));
    loadSuites();
    try {
      const runner = mocha.run();
      attachReporter(runner, 'web', (summary) => {
        if (summary.failed > 0) reject(new Error(`${summary.failed} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err);
    }
  });
}
