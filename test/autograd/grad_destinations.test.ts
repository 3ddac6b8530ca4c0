/**
 * Backward writes a leaf's gradient straight into its attached gradient (x.grad) when the rule
 * supports it (the normalization operators) and nothing else reads that storage. These cases
 * would go wrong if it wrote there while the storage was still needed; each is checked against
 * the float64 analytic InstanceNorm gradient.
 */
import seedrandom from 'seedrandom';
import { autograd, nd, NDArray } from '../../src';
import { referenceNorm } from '../helpers/reference_norm';
import { referenceNormGradients } from '../helpers/reference_norm_grad';

const rng = seedrandom('grad-destinations');
const SHAPE = [2, 3, 4];
const SPEC = { shape: SHAPE, keepAxes: [0, 1], affineAxis: 1, eps: 1e-3, gamma: [1, 1, 1], beta: [0, 0, 0] };

function random(shape: number[]): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from({ length: size }, () => 2 * rng() - 1), { shape });
}

const instanceNorm = (x: NDArray) => nd.InstanceNorm(x, nd.ones([3]), nd.zeros([3]), { eps: 1e-3 });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(expected[i])));
}

test('the gradient lands in the attached array itself, with the analytic values', () => {
  const x = random(SHAPE), dy = random(SHAPE);
  x.attachGrad();
  const held = x.grad;
  autograd.record(() => instanceNorm(x)).backward(dy);
  expect(x.grad).toBe(held);
  expectClose(x.grad?.data ?? [], referenceNormGradients(x.data, dy.data, SPEC).dx);
});

test('x.grad passed as the head gradient is read before it is overwritten', () => {
  const x = random(SHAPE);
  x.attachGrad();
  autograd.record(() => instanceNorm(x).mul(random(SHAPE))).backward(); // x.grad is now non-zero
  const head = Float32Array.from(x.grad?.data ?? []);
  autograd.record(() => instanceNorm(x)).backward(x.grad);
  expectClose(x.grad?.data ?? [], referenceNormGradients(x.data, head, SPEC).dx);
});

test('x.grad used inside the recorded graph keeps its values until backward is done', () => {
  const x = random(SHAPE), dy = random(SHAPE);
  x.attachGrad();
  autograd.record(() => instanceNorm(x).mul(random(SHAPE))).backward();
  const weights = Float32Array.from(x.grad?.data ?? []);
  // y = InstanceNorm(x)·w with w = x.grad (a constant): dx = InstanceNorm′(dy·w).
  autograd.record(() => instanceNorm(x).mul(x.grad as NDArray)).backward(dy);
  const weighted = dy.data.map((v, i) => v * weights[i]);
  expectClose(x.grad?.data ?? [], referenceNormGradients(x.data, weighted, SPEC).dx);
});

test('an input read by two ops gets the sum of both gradients', () => {
  const x = random(SHAPE), dy = random(SHAPE);
  x.attachGrad();
  autograd.record(() => instanceNorm(x).add(x)).backward(dy);
  const expected = referenceNormGradients(x.data, dy.data, SPEC).dx.map((v, i) => v + dy.data[i]);
  expectClose(x.grad?.data ?? [], expected);
});

test('a rule that reads x.grad after the normalization rule ran still sees the old values', () => {
  const x = random(SHAPE), v = random(SHAPE), dy = random(SHAPE);
  x.attachGrad();
  v.attachGrad();
  autograd.record(() => instanceNorm(x).mul(random(SHAPE))).backward();
  const old = Float32Array.from(x.grad?.data ?? []);
  // y = InstanceNorm(x)·(x.grad·v): the rule of x.grad·v reads x.grad to give v its gradient.
  autograd.record(() => instanceNorm(x).mul((x.grad as NDArray).mul(v))).backward(dy);
  const normalized = referenceNorm(x.data, SPEC).out;
  expectClose(v.grad?.data ?? [], dy.data.map((d, i) => d * normalized[i] * old[i]));
  expectClose(x.grad?.data ?? [], referenceNormGradients(x.data, dy.data.map((d, i) => d * old[i] * v.data[i]), SPEC).dx);
});

test('two normalizations of one input each contribute (neither writes over the other)', () => {
  const x = random(SHAPE), dy = random(SHAPE);
  x.attachGrad();
  autograd.record(() => instanceNorm(x).add(instanceNorm(x).mul(2))).backward(dy);
  expectClose(x.grad?.data ?? [], referenceNormGradients(x.data, dy.data, SPEC).dx.map((v) => 3 * v));
});
