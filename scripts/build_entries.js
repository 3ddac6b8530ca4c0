/**
 * `npm run build`, after `tsc` has written the type declarations to dist/: compiles src/ with
 * esbuild, file by file, into
 *
 * - dist/ (CommonJS, `require`) and dist/esm/ (ES modules, for bundlers: the `browser` condition
 *   and `module`), each with source maps that embed the TypeScript sources. Class and function
 *   names are kept (`keepNames`): tsgluon names blocks after their classes (`dense0_weight`, as
 *   Gluon) and metrics and initializers by them, so a consumer's minifier must not change them;
 * - dist/index.mjs, Node's `import` entry: the CommonJS build's exports re-exported by name, so
 *   `import { nd } from 'tsgluon'` and `require('tsgluon')` share one copy of the library (no
 *   dual-package hazard: one operator registry, one random generator);
 * - dist/tsgluon.browser.mjs, one minified ES module for a page without a bundler
 *   (`<script type="module">`), with its source map.
 */
const { existsSync, readFileSync, readdirSync, writeFileSync } = require('fs');
const { dirname, join, relative } = require('path');
const { buildSync } = require('esbuild');

const root = join(__dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

function listTs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const common = { entryPoints: listTs(src), outbase: src, target: 'es2020', sourcemap: true, sourcesContent: true, keepNames: true, logLevel: 'error', tsconfig: join(root, 'tsconfig.json') };
buildSync({ ...common, outdir: dist, format: 'cjs', platform: 'node' });
buildSync({ ...common, outdir: join(dist, 'esm'), format: 'esm', platform: 'neutral' });

/**
 * dist/esm/ as ES modules every bundler accepts: a package.json saying so, and every relative
 * import fully specified (`./ops/nd.js`, `./nn/index.js`), as ES modules require and webpack
 * enforces for them; the TypeScript sources use extensionless specifiers.
 */
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function resolveSpecifier(file, spec) {
  const target = join(dirname(file), spec);
  if (existsSync(`${target}.js`)) return `${spec}.js`;
  if (existsSync(join(target, 'index.js'))) return `${spec}/index.js`;
  throw new Error(`build_entries: cannot resolve '${spec}' from ${relative(root, file)}`);
}

function fullySpecify(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fullySpecify(path);
    else if (entry.name.endsWith('.js')) {
      const code = readFileSync(path, 'utf8');
      writeFileSync(path, code.replace(RELATIVE_SPECIFIER, (_, keyword, quote, spec) => `${keyword}${quote}${resolveSpecifier(path, spec)}${quote}`));
    }
  }
}

fullySpecify(join(dist, 'esm'));
writeFileSync(join(dist, 'esm', 'package.json'), '{ "type": "module", "sideEffects": false }\n');

const names = Object.keys(require(join(dist, 'index.js'))).filter((name) => name !== 'default' && name !== '__esModule');
writeFileSync(join(dist, 'index.mjs'), ["import cjs from './index.js';", `export const { ${names.join(', ')} } = cjs;`, 'export default cjs;', ''].join('\n'));

buildSync({
  entryPoints: [join(src, 'index.ts')],
  outfile: join(dist, 'tsgluon.browser.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'error',
});
