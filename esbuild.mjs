// Three bundles: the extension for the Node host, the extension for the web-worker host, and the CLI.
// Flags: --production (minify, no source maps), --watch.
import * as esbuild from 'esbuild';

import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Print errors in a form the $esbuild-watch problem matcher understands. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  // jsonc-parser's UMD build does not bundle; its ESM build does.
  mainFields: ['module', 'main'],
  // yaml's Node build reads process.env.LOG_TOKENS for every token (about a tenth of parsing a pipeline file); its
  // browser build is the same parser without that, and is what the web extension already ships.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  logLevel: 'warning',
  plugins: watch ? [problemMatcherPlugin] : [],
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The Azure SDK lives in dist/azure.js, required at run time by the commands that need it.
    external: ['vscode', './azure.js'],
  },
  {
    ...common,
    entryPoints: ['src/extension/azureBundle.ts'],
    outfile: 'dist/azure.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/extension/extension.web.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    // Never required on the web (no Key Vault writes there), but the shared code names it.
    external: ['vscode', './azure.js'],
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { __VERSION__: JSON.stringify(pkg.version) },
    // The posture command and the Azure SDK live in dist/cli-posture.js, required when `posture` runs
    // (src/cli/postureLoader.ts); './postureBundle' is the same module from the sources, never reached here.
    external: ['./cli-posture.js', './postureBundle'],
  },
  {
    ...common,
    entryPoints: ['src/cli/postureBundle.ts'],
    outfile: 'dist/cli-posture.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built ${builds.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
