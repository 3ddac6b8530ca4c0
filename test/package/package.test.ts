/**
 * The published package as a user gets it: `npm pack` (which builds), the tarball unpacked into a
 * scratch consumer's node_modules (its three dependencies linked from this checkout, so no
 * network is needed), then used from CommonJS, an ES module, a strict TypeScript program with no
 * Node types, and pages bundled (and minified) by esbuild, webpack and Vite without configuration — run
 * in a context without `require`, as a browser runs them, where `nd.save` throws the library's
 * GluonError and blocks keep Gluon's names. The types carry no @internal members and the source
 * maps embed their sources.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as vm from 'vm';
import { buildSync } from 'esbuild';
import webpack from 'webpack';

const ROOT = join(__dirname, '..', '..');
let consumer = '';
let scratch = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tsgluon-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop() as string;
  execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', scratch]);
  consumer = join(scratch, 'consumer');
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  renameSync(join(scratch, 'package'), join(consumer, 'node_modules', 'tsgluon'));
  const dependencies = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies);
  for (const name of dependencies) symlinkSync(join(ROOT, 'node_modules', name), join(consumer, 'node_modules', name));
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(consumer, name), text);
  return join(consumer, name);
}

const node = (file: string) => execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' }).trim();

test('require and import give the same working library', () => {
  expect(node(write('cjs.js', "const { nd } = require('tsgluon'); console.log(nd.array([1, 2]).add(1).toArray().join(','));"))).toBe('2,3');
  const esm = "import { nd, gluon } from 'tsgluon'; import tsgluon from 'tsgluon'; import { createRequire } from 'module';\n" +
    "console.log(nd.array([1, 2]).add(1).toArray().join(','), tsgluon.gluon === gluon, createRequire(import.meta.url)('tsgluon').nd === nd);";
  expect(node(write('esm.mjs', esm))).toBe('2,3 true true');
});

test('a strict TypeScript program compiles against the published types, without Node types', () => {
  write('main.ts', "import { nd, nn, NDArray } from 'tsgluon';\nconst layer = new nn.InstanceNorm();\nlayer.initialize();\nconst y: NDArray = layer(nd.array([[[1, 2]], [[3, 5]]])) as NDArray;\nexport const batch: number = y.shape[0];\n");
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2020', module: 'commonjs', moduleResolution: 'node', types: [] }, files: ['main.ts'] }));
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { encoding: 'utf8' });
  const types = join(consumer, 'node_modules', 'tsgluon', 'dist');
  const leaks = listFiles(types).filter((file) => file.endsWith('.d.ts') && readFileSync(file, 'utf8').includes('@internal'));
  expect(leaks).toEqual([]);
});

/** What a page prints: the bundle run in a fresh context with a browser's globals and no `require`. */
function runAsPage(bundle: string): string[] {
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(args.join(' ')), warn: () => undefined };
  vm.runInNewContext(bundle, { console, WebAssembly, TextDecoder, TextEncoder, setTimeout, queueMicrotask, performance });
  return lines;
}

// Minifiers rename classes; blocks are named after theirs (Gluon's parameter names), so the names must survive.
const PAGE = "import { nd, nn, metric, GluonError } from 'tsgluon';\n" +
  "try { nd.save('x.params', nd.ones([1])); } catch (e) { console.log(e instanceof GluonError, e.message); }\n" +
  "console.log(nd.array([1, 2]).add(1).toArray().join(','));\n" +
  "const dense = new nn.Dense(2, { inUnits: 2 });\n" +
  "console.log([...dense.collectParams().keys()].join(','), dense.toString(), metric.create(new metric.Loss().getConfig()).constructor.name);\n";
const EXPECTED_PAGE = [
  "true nd.save: expected Node.js (it needs the 'fs' module), but this environment has none; use nd.saveBytes/nd.loadBytes",
  '2,3',
  'dense0_weight,dense0_bias Dense(2 -> 2, linear) Loss',
];

test('esbuild bundles it for a browser without configuration; importing nd alone leaves the rest out', () => {
  const page = write('page.js', PAGE);
  const bundle = (entry: string) => buildSync({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', minify: true, write: false, logLevel: 'silent' }).outputFiles[0].text;
  expect(runAsPage(bundle(page))).toEqual(EXPECTED_PAGE);
  const ndOnly = bundle(write('nd_only.js', "import { nd } from 'tsgluon'; console.log(nd.ones([1]).toString());"));
  const everything = bundle(write('everything.js', "import * as tsgluon from 'tsgluon'; console.log(tsgluon);"));
  expect(ndOnly.length).toBeLessThan(0.8 * everything.length);
});

test('webpack bundles it for a browser without configuration', async () => {
  write('page.js', PAGE);
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack({ mode: 'production', entry: './page.js', target: 'web', context: consumer, output: { path: join(consumer, 'out'), filename: 'page.js' }, performance: { hints: false } }, (error, result) => (error || !result ? reject(error) : resolve(result)));
  });
  expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
  expect(runAsPage(readFileSync(join(consumer, 'out', 'page.js'), 'utf8'))).toEqual(EXPECTED_PAGE);
}, 120_000);

/**
 * Vite's production build of the page (as a library in one IIFE file, so it runs in a plain
 * context; no other option), in a child process: Vite's Node API is an ES module. Prints the
 * warnings Vite logged, as JSON.
 */
const VITE_BUILD = `import { build, createLogger } from ${JSON.stringify(join(ROOT, 'node_modules', 'vite', 'dist', 'node', 'index.js'))};
const warnings = [];
const customLogger = { ...createLogger('silent'), warn: (message) => warnings.push(message), warnOnce: (message) => warnings.push(message) };
await build({ root: process.cwd(), configFile: false, customLogger, build: { outDir: 'vite-out', lib: { entry: 'page.js', formats: ['iife'], name: 'page', fileName: () => 'page.js' } } });
console.log(JSON.stringify(warnings));`;

test('Vite bundles it for a browser without warnings', () => {
  write('page.js', PAGE);
  const warnings = JSON.parse(node(write('vite_build.mjs', VITE_BUILD)).split('\n').pop() as string);
  expect(warnings).toEqual([]);
  expect(runAsPage(readFileSync(join(consumer, 'vite-out', 'page.js'), 'utf8'))).toEqual(EXPECTED_PAGE);
}, 120_000);

test('the browser module and the source maps embed their sources', () => {
  const dist = join(consumer, 'node_modules', 'tsgluon', 'dist');
  expect(runAsPage(buildSync({ stdin: { contents: PAGE.replace(/'tsgluon'/g, "'./tsgluon.browser.mjs'"), resolveDir: dist }, bundle: true, format: 'iife', write: false, logLevel: 'silent' }).outputFiles[0].text)).toEqual(EXPECTED_PAGE);
  for (const map of ['tsgluon.browser.mjs.map', 'index.js.map', 'nn/instance_norm.js.map']) {
    const { sources, sourcesContent } = JSON.parse(readFileSync(join(dist, map), 'utf8'));
    expect(sourcesContent?.length).toBe(sources.length);
    expect(sourcesContent.every((text: string | null) => typeof text === 'string' && text.length > 0)).toBe(true);
  }
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
