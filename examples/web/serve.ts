/**
 * `npm run web`: serves the demo page (examples/web/) at http://localhost:8080 (PORT overrides),
 * cross-origin isolated (COOP/COEP headers) so the thread pool's Web Workers run. The page is
 * bundled by esbuild on start; its digits, `mnist.bin`, are made from the `mnist` package: u32
 * training count, u32 test count, then for each set its pixels (bytes, 0–255, row-major 28×28)
 * followed by its labels (bytes). The split is train_mnist's (first 80 % of each digit).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSync } from 'esbuild';
import { MnistDigit, loadMnistDigits } from '../mnist_data';

/** The page's script: main.ts bundled for browsers (the `mnist` package stays out: the page fetches mnist.bin). */
export function bundleDemo(): string {
  return buildSync({ entryPoints: [join(__dirname, 'main.ts')], bundle: true, platform: 'browser', format: 'iife', external: ['mnist'], keepNames: true, write: false, logLevel: 'error' }).outputFiles[0].text;
}

/** mnist.bin (see the file comment). */
export function mnistBytes(digits: readonly MnistDigit[] = loadMnistDigits()): Uint8Array {
  const samples: [number, number][][] = [[], []]; // (label, index) of the training and test digits
  digits.forEach((digit, label) => {
    const trainCount = Math.floor(digit.length * 0.8);
    for (let i = 0; i < digit.length; i++) samples[i < trainCount ? 0 : 1].push([label, i]);
  });
  const pixels = 28 * 28;
  const out = new Uint8Array(8 + (samples[0].length + samples[1].length) * (pixels + 1));
  new DataView(out.buffer).setUint32(0, samples[0].length, true);
  new DataView(out.buffer).setUint32(4, samples[1].length, true);
  let at = 8;
  for (const set of samples) {
    for (const [label, i] of set) {
      out.set(digits[label].get(i).map((v) => Math.round(v * 255)), at);
      at += pixels;
    }
    for (const [label] of set) out[at++] = label;
  }
  return out;
}

/** Starts the server on `port` (0: any free port); resolves when it listens. */
export async function startDemoServer(port: number): Promise<Server> {
  const files: Record<string, [string, string | Uint8Array]> = {
    '/': ['text/html', readFileSync(join(__dirname, 'index.html'), 'utf8')],
    '/page.js': ['text/javascript', bundleDemo()],
    '/mnist.bin': ['application/octet-stream', mnistBytes()],
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const file = files[(request.url ?? '/').split('?')[0]];
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (file === undefined) {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.setHeader('Content-Type', file[0]);
    response.end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

if (require.main === module) {
  startDemoServer(Number(process.env.PORT ?? 8080)).then((server) => {
    console.log(`tsgluon demo: http://localhost:${(server.address() as AddressInfo).port}/ (Ctrl-C stops it)`);
  });
}
