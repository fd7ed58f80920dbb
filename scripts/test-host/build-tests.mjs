// Bundles the integration suites with esbuild into dist-test/ (gitignored):
//   dist-test/node/index.js  Node extension host runner (mocha from node_modules, spec reporter)
//   dist-test/web/index.js   web-worker extension host runner (mocha's browser build bundled in, no Node APIs)
// Every test/integration/**/*.test.ts is picked up by both, through the virtual module `itest:suites`.
// Env: FORCE_FAIL=1 adds a deliberately failing test (see test/integration/harness.test.ts);
//      ITEST_GREP=<regexp> runs only the tests whose full title matches.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SUITES = path.join(ROOT, 'test/integration');

export function findSuiteFiles(dir = SUITES) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findSuiteFiles(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const suitesPlugin = (files) => ({
  name: 'itest-suites',
  setup(build) {
    build.onResolve({ filter: /^itest:suites$/ }, () => ({ path: 'itest:suites', namespace: 'itest' }));
    build.onLoad({ filter: /.*/, namespace: 'itest' }, () => ({
      resolveDir: SUITES,
      loader: 'js',
      // require() (not import) so each suite body runs when loadSuites() is called, after mocha set up its globals.
      contents: [
        `export const suiteFiles = ${JSON.stringify(files.map((f) => path.relative(ROOT, f)))};`,
        'export function loadSuites() {',
        ...files.map((f) => `  require(${JSON.stringify('./' + path.relative(SUITES, f).split(path.sep).join('/'))});`),
        '}',
      ].join('\n'),
    }));
  },
});

const NODE_SUPPORT = path.join(SUITES, 'support/node');
const FAKE_AZURE = path.join(ROOT, 'test/support/fakeAzure');

/**
 * Node bundle: the fake Azure (test/support/fakeAzure) runs inside the extension host, and its `./certs` is
 * swapped for support/node/fakeCerts.ts, which serves the CA + leaf the driver made (the host already trusts
 * that CA through NODE_EXTRA_CA_CERTS). Web bundle: Node-only support (support/node/*) becomes a stub that
 * throws when used, so suites can import it and skip those tests with `itNode`.
 */
const nodeSupportPlugin = (host) => ({
  name: 'itest-node-support',
  setup(build) {
    if (host === 'node') {
      build.onResolve({ filter: /^\.\/certs$/ }, (a) => (path.resolve(a.resolveDir) === FAKE_AZURE ? { path: path.join(NODE_SUPPORT, 'fakeCerts.ts') } : undefined));
      return;
    }
    build.onResolve({ filter: /(^|\/)support\/node\// }, (a) => ({ path: a.path, namespace: 'itest-node-only' }));
    build.onLoad({ filter: /.*/, namespace: 'itest-node-only' }, (a) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get: (_t, k) => k === '__esModule' ? false : () => { throw new Error(${JSON.stringify('Node extension host only: ')} + String(k) + ' from ' + ${JSON.stringify(a.path)}); } });`,
    }));
  },
});

export async function buildTests({ forceFail = !!process.env.FORCE_FAIL && process.env.FORCE_FAIL !== '0', grep = process.env.ITEST_GREP || '' } = {}) {
  const started = Date.now();
  const files = findSuiteFiles();
  const common = {
    bundle: true,
    format: 'cjs',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    external: ['vscode'],
  };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(SUITES, 'runner/node.ts')],
      outfile: path.join(ROOT, 'dist-test/node/index.js'),
      platform: 'node',
      target: 'node20',
      external: ['vscode', 'mocha'],
      plugins: [suitesPlugin(files), nodeSupportPlugin('node')],
      define: { __ITEST_HOST__: '"node"', __ITEST_FORCE_FAIL__: String(forceFail), __ITEST_GREP__: JSON.stringify(grep) },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(SUITES, 'runner/web.ts')],
      outfile: path.join(ROOT, 'dist-test/web/index.js'),
      platform: 'browser',
      target: 'es2022',
      mainFields: ['browser', 'module', 'main'],
      plugins: [suitesPlugin(files), nodeSupportPlugin('web')],
      // `assert`/`util` from npm read these; define them so no `process` global is needed in the worker.
      define: {
        __ITEST_HOST__: '"web"',
        __ITEST_FORCE_FAIL__: String(forceFail),
        __ITEST_GREP__: JSON.stringify(grep),
        'process.env.NODE_DEBUG': 'false',
        'process.env.NODE_ENV': '"test"',
        'process.stderr': 'undefined',
        'process.emitWarning': 'undefined',
      },
    }),
  ]);
  console.log(`[build-tests] ${files.length} suite file(s) -> dist-test/{node,web}/index.js in ${Date.now() - started} ms${forceFail ? ' (FORCE_FAIL)' : ''}${grep ? ` (grep ${grep})` : ''}`);
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildTests();
}
