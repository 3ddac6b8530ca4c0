// @ts-check
/**
 * `npm run lint`: ESLint's and typescript-eslint's recommended rules over the sources, tests,
 * examples, benchmarks and scripts, with these departures for the code's conventions (DESIGN.md §6):
 *
 * - `require()` is allowed: Node built-ins and Node-only packages (fs, os, worker_threads, pngjs,
 *   jpeg-js) are required lazily inside the functions that need them, so a browser bundle never
 *   loads them (package.json's "browser" field maps them away);
 * - unused names starting with `_` are placeholders (a hybridForward's `_params`);
 * - an empty interface extending one type is how a namespace re-exports an options type.
 */
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'scratch/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
);
