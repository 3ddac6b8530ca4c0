/**
 * After `tsc` has written dist/ (CommonJS) and dist/esm/ (ES modules, for bundlers): writes
 *
 * - dist/index.mjs, Node's `import` entry: the CommonJS build's exports re-exported by name, so
 *   `import { nd } from 'tsgluon'` and `require('tsgluon')` share one copy of the library (no
 *   dual-package hazard: one operator registry, one random generator);
 * - dist/tsgluon.browser.mjs, one minified ES module for a page without a bundler
 *   (`<script type="module">`), with a source map that embeds the TypeScript sources.
 *
 * Run by `npm run build`.
 */
const { existsSync, readFileSync, readdirSync, writeFileSync } = require('fs');
const { dirname, join } = require('path');
const { buildSync } = require('esbuild');

const dist = join(__dirname, '..', 'dist');
const names = Object.keys(require(join(dist, 'index.js'))).filter((name) => name !== 'default' && name !== '__esModule');
const wrapper = [
  "import cjs from './index.js';",
  `export const { ${names.join(', ')} } = cjs;`,
  'export default cjs;',
  '',
].join('\n');
writeFileSync(join(dist, 'index.mjs'), wrapper);

buildSync({
  entryPoints: [join(__dirname, '..', 'src', 'index.ts')],
  outfile: join(dist, 'tsgluon.browser.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  minify: true,
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'error',
});

/**
 * dist/esm/ as ES modules every bundler accepts: a package.json saying so, and every relative
 * import fully specified (`./ops/nd.js`, `./nn/index.js`), as ES modules require and webpack
 * enforces for them; tsc keeps the extensionless specifiers of the TypeScript sources.
 */
function fullySpecifyEsm(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fullySpecifyEsm(path);
    else if (entry.name.endsWith('.js')) writeFileSync(path, readFileSync(path, 'utf8').replace(RELATIVE_SPECIFIER, (match, quote, spec) => match.replace(`${quote}${spec}${quote}`, `${quote}${resolveSpecifier(path, spec)}${quote}`)));
  }
}

const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\1/g;

function resolveSpecifier(file, spec) {
  const target = join(dirname(file), spec);
  if (existsSync(`${target}.js`)) return `${spec}.js`;
  if (existsSync(join(target, 'index.js'))) return `${spec}/index.js`;
  throw new Error(`build_entries: cannot resolve '${spec}' from ${file}`);
}

fullySpecifyEsm(join(dist, 'esm'));
writeFileSync(join(dist, 'esm', 'package.json'), '{ "type": "module", "sideEffects": false }\n');
