// extensionTestsPath entry for the Node extension host (code-server's remote host, or desktop VS Code
// through @vscode/test-electron). VS Code requires this bundle and calls run(): resolve = exit 0, reject = 1.
// Bundled by scripts/test-host/build-tests.mjs to dist-test/node/index.js.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { loadSuites } from 'itest:suites';
import { attachReporter } from './report';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec' });
  if (__ITEST_GREP__) mocha.grep(new RegExp(__ITEST_GREP__));
  // What mocha.loadFiles() does per file: expose describe/it/... as globals, then load the suites.
  mocha.suite.emit('pre-require', globalThis, 'integration-suites', mocha);
  loadSuites();
  const resultsFile = process.env.ITEST_RESULTS_FILE; // set by the driver / run-desktop.mjs
  return new Promise((resolve, reject) => {
    const runner = mocha.run();
    attachReporter(runner, 'node', (summary) => {
      if (resultsFile) {
        try {
          fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
          fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2) + '\n');
        } catch (e) {
          console.error('[itest] could not write results file', e);
        }
      }
      if (summary.failed > 0) reject(new Error(`${summary.failed} integration test(s) failed`));
      else resolve();
    });
  });
}
