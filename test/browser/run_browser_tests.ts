/**
 * `npm run test:browser`: runs runtime_page.ts in headless Chromium (Debian's `chromium` through
 * playwright-core; CHROMIUM_PATH overrides where it is), served twice from a local server:
 *
 * - cross-origin isolated (COOP/COEP headers): SharedArrayBuffer exists, so `ready()` must start
 *   the Web Workers and report every thread ready, with the SIMD kernels on;
 * - plain: no SharedArrayBuffer, so everything runs on one thread and the console says why, once.
 *
 * Both pages check a GEMM and a convolution against float64 references and the same bits on one
 * and on all threads, and that a Node-only function (nd.save) throws the library's GluonError in
 * a bundle made without any configuration.
 *
 * Then the demo page of `npm run web` (examples/web/): it trains 300 batches of MNIST with the
 * SIMD kernels and the thread pool, its loss falls and its plot is drawn, a digit drawn with the
 * mouse gets probabilities, and Gluon's InstanceNorm example prints as in Node; a screenshot goes
 * to build/demo.png. Exits non-zero on any failure.
 */
import { createServer, IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import { nd, nn } from '../../src';
import { startDemoServer } from '../../examples/web/serve';
import type { DemoState } from '../../examples/web/main';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { RuntimeChecks } from './runtime_page';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface PageRun { checks: RuntimeChecks; warnings: string[] }

async function bundlePage(): Promise<string> {
  const result = await build({
    // No configuration: package.json's "browser" field maps the Node built-ins away.
    entryPoints: [join(__dirname, 'runtime_page.ts')], bundle: true, platform: 'browser', format: 'iife', keepNames: true,
    write: false, logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

/** Serves the page at /isolated/ (with the cross-origin isolation headers) and /plain/. */
function servePage(script: string) {
  const html = '<!doctype html><meta charset="utf-8"><title>tsgluon runtime</title><script src="page.js"></script>';
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    if (url.startsWith('/isolated/')) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (url.endsWith('/page.js')) {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(script);
    } else if (url.endsWith('/')) {
      response.setHeader('Content-Type', 'text/html');
      response.end(html);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
}

async function runPage(browser: import('playwright-core').Browser, url: string): Promise<PageRun> {
  const page = await browser.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  const checks = await page.evaluate(() => (globalThis as { runtimeChecks?: Promise<RuntimeChecks> }).runtimeChecks);
  await page.close();
  if (errors.length > 0) throw new Error(`page errors at ${url}: ${errors.join('; ')}`);
  if (!checks) throw new Error(`${url}: the page set no runtimeChecks`);
  return { checks, warnings };
}

const failures: string[] = [];

function check(name: string, ok: boolean, detail: unknown): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${JSON.stringify(detail)}`}`);
  if (!ok) failures.push(name);
}

function checkNumerics(label: string, checks: RuntimeChecks): void {
  check(`${label}: no error`, checks.error === undefined, checks.error);
  if (checks.error !== undefined) return;
  check(`${label}: nd.save throws the library's GluonError pointing to nd.saveBytes`, /^GluonError: nd\.save: .*use nd\.saveBytes/.test(checks.saveError), checks.saveError);
  check(`${label}: GEMM within the bound of float64`, checks.gemm.worstOverBound <= 1, checks.gemm);
  check(`${label}: GEMM has the same bits on 1 and ${checks.after.numThreads} threads`, checks.gemm.sameBitsAcrossThreads, checks.gemm);
  check(`${label}: convolution within the bound of float64`, checks.conv.worstOverBound <= 1, checks.conv);
  check(`${label}: convolution has the same bits on 1 and ${checks.after.numThreads} threads`, checks.conv.sameBitsAcrossThreads, checks.conv);
}

const DEMO_STEPS = 300;

/** What the demo page must print: the example computed here, in Node, by the same library. */
function expectedExample(): string {
  const layer = new nn.InstanceNorm();
  layer.initialize();
  return `>>> x = mx.nd.array([[[ 1.1,  2.2]],\n...                 [[ 3.3,  4.4]]])\n>>> layer = InstanceNorm()\n>>> layer.initialize(ctx=mx.cpu(0))\n>>> layer(x)${layer(nd.array([[[1.1, 2.2]], [[3.3, 4.4]]])).toString()}`;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function checkDemo(browser: import('playwright-core').Browser): Promise<void> {
  const server = await startDemoServer(0);
  const page = await browser.newPage({ viewport: { width: 1000, height: 1150 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const started = Date.now();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?steps=${DEMO_STEPS}`);
    await page.waitForFunction(() => ['done', 'failed'].includes((globalThis as { demo?: DemoState }).demo?.phase ?? ''), undefined, { timeout: 240_000 });
    const state = await page.evaluate(() => (globalThis as unknown as { demo: DemoState }).demo);
    console.log(`demo page: ${state.steps} batches and the test in ${((Date.now() - started) / 1000).toFixed(1)} s, test accuracy ${((state.testAccuracy ?? 0) * 100).toFixed(2)} %, ${JSON.stringify(state.runtime)}`);
    check('demo: trains without an error', state.phase === 'done' && errors.length === 0, state.error ?? errors);
    if (state.phase !== 'done') return;
    check(`demo: trains ${DEMO_STEPS} batches`, state.steps === DEMO_STEPS && state.losses.length === DEMO_STEPS, state.steps);
    check('demo: the loss falls', mean(state.losses.slice(-20)) < 0.5 * mean(state.losses.slice(0, 20)), [mean(state.losses.slice(0, 20)), mean(state.losses.slice(-20))]);
    check('demo: over 90 % of the held-out digits right', (state.testAccuracy ?? 0) > 0.9, state.testAccuracy);
    check('demo: runs on the SIMD kernels and the thread pool', state.runtime?.simd === true && state.runtime.readyThreads >= 2, state.runtime);
    const plotted = await page.evaluate(() => {
      const canvas = document.getElementById('plot') as HTMLCanvasElement;
      const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      let colored = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && (pixels[i] > 150 || pixels[i + 2] > 150)) colored++;
      return colored;
    });
    check('demo: the plot is drawn', plotted > 300, plotted);
    check('demo: prints Gluon’s InstanceNorm example as Node does', state.example === expectedExample(), state.example);
    const pad = await page.locator('#pad').boundingBox();
    if (pad === null) throw new Error('demo: no drawing pad');
    // A "1": one vertical stroke down the middle of the pad.
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.85, { steps: 12 });
    await page.mouse.up();
    await page.waitForFunction(() => (globalThis as unknown as { demo: DemoState }).demo.prediction !== undefined, undefined, { timeout: 10_000 });
    const prediction = await page.evaluate(() => (globalThis as unknown as { demo: DemoState }).demo.prediction as number[]);
    const bars = await page.locator('#bars .bar').count();
    const best = prediction.indexOf(Math.max(...prediction));
    console.log(`demo page: the drawn 1 reads as ${best} (${(100 * prediction[best]).toFixed(1)} %)`);
    check('demo: a drawn digit gets ten probabilities, shown as bars', bars === 10 && Math.abs(mean(prediction) * 10 - 1) < 1e-5, { bars, prediction });
    check('demo: the drawn 1 reads as a 1', best === 1, prediction);
    mkdirSync(join(__dirname, '..', '..', 'build'), { recursive: true });
    await page.screenshot({ path: join(__dirname, '..', '..', 'build', 'demo.png'), fullPage: true });
  } finally {
    await page.close();
    server.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const server = servePage(await bundlePage()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const isolated = await runPage(browser, `${origin}/isolated/`);
    const { after } = isolated.checks;
    console.log(`isolated page: ${JSON.stringify(after)}; GEMM ${isolated.checks.gemm?.msOneThread.toFixed(1)} ms on 1 thread, ${isolated.checks.gemm?.msAllThreads.toFixed(1)} ms on ${after?.numThreads}`);
    checkNumerics('isolated page', isolated.checks);
    check('isolated page: ready() turns the SIMD kernels on', after?.simd === true, after);
    check('isolated page: the kernel memory is shared', after?.sharedMemory === true, after);
    check('isolated page: ready() resolves with every thread ready (Web Workers)', after?.numThreads >= 2 && after.readyThreads === after.numThreads, after);
    check('isolated page: no warning', isolated.warnings.length === 0, isolated.warnings);

    const plain = await runPage(browser, `${origin}/plain/`);
    console.log(`plain page: ${JSON.stringify(plain.checks.after)}`);
    checkNumerics('plain page', plain.checks);
    check('plain page: one thread, memory not shared', plain.checks.after?.readyThreads === 1 && plain.checks.after.sharedMemory === false, plain.checks.after);
    check('plain page: says once why it runs on one thread', plain.warnings.length === 1 && plain.warnings[0].includes('cross-origin isolated'), plain.warnings);
    await checkDemo(browser);
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length > 0) throw new Error(`${failures.length} browser check(s) failed`);
  console.log('all browser checks passed');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
