// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'dist-vsix/**', 'node_modules/**', '.test-host/**', 'samples/**', 'bench/.data/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(describe|it|suite|test)$/][callee.property.name='only']", message: 'No focused tests.' },
      ],
    },
  },
  {
    // The core is pure: no editor, no Azure SDK, no Node built-ins, so the CLI and the web build share it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode'], message: 'src/core must not import vscode.' },
            { group: ['@azure/*'], message: 'src/core must not import the Azure SDK.' },
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'buffer', 'stream', 'worker_threads'], message: 'src/core must not import Node built-ins.' },
            { group: ['../cli/*', '../extension/*', '../azure/*', '../../cli/*', '../../extension/*', '../../azure/*'], message: 'Dependencies point inward: core imports only core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/azure/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', '../extension/*', '../../extension/*'], message: 'Only src/extension may import vscode.' }] }],
    },
  },
);
