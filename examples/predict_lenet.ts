/**
 * Loads a LeNet trained by MXNet Gluon's Fashion-MNIST tutorial (a `save_parameters` file) and
 * classifies a few 28×28 images drawn here as simple shapes, with timings:
 *
 *     npm run example:lenet -- path/to/lenet.params
 *
 * The network is the tutorial's, layer for layer, so the file's structural keys ('0.weight',
 * '0.bias', '2.weight', …, '7.bias') land on the same parameters; no `initialize()` is needed.
 * Inputs are preprocessed as in the tutorial: pixels in [0, 1], then normalized with mean 0.13
 * and standard deviation 0.31.
 */
import * as fs from 'fs';
import { NDArray, nd } from '../src';
import { lenet } from './lenet';

const CLASSES = ['t-shirt/top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot'];
const SIZE = 28;

/** A 28×28 image in [0, 1]: 1 where `inside(row, col)` holds. */
function draw(inside: (row: number, col: number) => boolean): Float32Array {
  const image = new Float32Array(SIZE * SIZE);
  for (let r = 0; r < SIZE; r++) for (let c = 0; c < SIZE; c++) image[r * SIZE + c] = inside(r, c) ? 1 : 0;
  return image;
}

/** Simple drawings, loosely after Fashion-MNIST classes (trouser, t-shirt, bag, dress, sneaker). */
const DRAWINGS: { name: string; image: Float32Array }[] = [
  { name: 'two legs', image: draw((r, c) => r >= 3 && r <= 25 && ((c >= 8 && c <= 12) || (c >= 15 && c <= 19) || (r <= 8 && c >= 8 && c <= 19))) },
  { name: 'a T shape', image: draw((r, c) => (r >= 4 && r <= 10 && c >= 3 && c <= 24) || (r > 10 && r <= 24 && c >= 8 && c <= 19)) },
  { name: 'a box with a handle', image: draw((r, c) => (r >= 10 && r <= 24 && c >= 4 && c <= 23) || (r >= 4 && r < 10 && (c === 9 || c === 18 || (r === 4 && c >= 9 && c <= 18)))) },
  { name: 'a widening trapezoid', image: draw((r, c) => r >= 2 && r <= 26 && Math.abs(c - 13.5) <= 3 + (r - 2) / 3) },
  { name: 'a low wedge', image: draw((r, c) => r >= 16 && r <= 22 && c >= 2 && c <= 25 && c - 2 >= (22 - r) * 2) },
];

/** The tutorial's preprocessing: (pixel − 0.13) / 0.31, as a (N, 1, 28, 28) batch. */
function batchOf(images: Float32Array[]): NDArray {
  const data = new Float32Array(images.length * SIZE * SIZE);
  images.forEach((image, i) => data.set(image.map((v) => (v - 0.13) / 0.31), i * SIZE * SIZE));
  return nd.array(data, { shape: [images.length, 1, SIZE, SIZE] });
}

function millis(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(2)} ms`;
}

function main(file: string | undefined): number {
  if (file === undefined || !fs.existsSync(file)) {
    console.error(file === undefined ? 'Missing the parameter file.' : `No such file: ${file}`);
    console.error('Usage: npm run example:lenet -- PATH.params');
    console.error("  PATH.params: a Gluon LeNet saved with net.save_parameters(...) (the Fashion-MNIST tutorial's network)");
    return 1;
  }
  const net = lenet();
  let start = process.hrtime.bigint();
  net.loadParameters(file);
  console.log(`loaded ${file} in ${millis(start)}`);
  console.log(net.toString());

  const batch = batchOf(DRAWINGS.map((d) => d.image));
  start = process.hrtime.bigint();
  const probabilities = nd.softmax(net(batch)).toArray() as number[][];
  console.log(`\nforward of a batch of ${DRAWINGS.length}: ${millis(start)}`);
  DRAWINGS.forEach((drawing, i) => {
    const p = probabilities[i];
    const best = p.indexOf(Math.max(...p));
    console.log(`  ${drawing.name.padEnd(22)} -> ${CLASSES[best].padEnd(12)} (${(100 * p[best]).toFixed(1)}%)`);
  });

  const runs = 20;
  start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) net(batch);
  console.log(`mean of ${runs} more forwards: ${(Number(process.hrtime.bigint() - start) / 1e6 / runs).toFixed(2)} ms per batch`);
  return 0;
}

process.exitCode = main(process.argv[2]);
