/**
 * Second derivatives through the normalizations: P = Σ(∂L/∂x)² + Σ(∂L/∂gamma)² with
 * L = Σ w·Norm(x, gamma, beta), the gradients taken with createGraph (through the fused
 * `_backward_X` operators) and P differentiated again (through their composites), against central
 * finite differences of P computed from the float64 analytic first derivatives in test/helpers.
 */
import { NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { ReferenceNormSpec, groupAndAffineIndices } from '../helpers/reference_norm';
import { referenceNormGradients } from '../helpers/reference_norm_grad';

type Norm = (x: NDArray, gamma: NDArray, beta: NDArray) => NDArray;

function data(shape: readonly number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

const sumOfSquares = (values: ArrayLike<number>): number => Array.from(values).reduce((s, v) => s + v * v, 0);

/** P(x, gamma) by autograd: the gradients recorded (createGraph), then squared and summed. */
function penalty(norm: Norm, beta: NDArray, w: NDArray): (x: NDArray, gamma: NDArray) => NDArray {
  return (x, gamma) => {
    const [gx, gGamma] = autograd.grad(norm(x, gamma, beta), [x, gamma], { createGraph: true, headGrads: w });
    return nd.add(nd.sum(nd.square(gx)), nd.sum(nd.square(gGamma)));
  };
}

/** The float64 analytic gradients with constant statistics (BatchNorm on moving statistics): dx = w·γ·rstd, dγ = Σ w·x̂. */
function fixedStatisticsGradients(x: ArrayLike<number>, w: ArrayLike<number>, spec: ReferenceNormSpec, mean: ArrayLike<number>, variance: ArrayLike<number>) {
  const { group, affine } = groupAndAffineIndices(spec.shape, spec.keepAxes, spec.affineAxis);
  const dx = new Float64Array(x.length), dgamma = new Float64Array(spec.gamma.length);
  for (let f = 0; f < x.length; f++) {
    const rstd = 1 / Math.sqrt(variance[group[f]] + spec.eps);
    dx[f] = w[f] * spec.gamma[affine[f]] * rstd;
    dgamma[affine[f]] += w[f] * (x[f] - mean[group[f]]) * rstd;
  }
  return { dx, dgamma };
}

interface Case {
  name: string;
  shape: number[];
  /** gamma's length. */
  affine: number;
  norm: Norm;
  /** The float64 reference's view: (shape, keepAxes, affineAxis) and eps. */
  spec: Omit<ReferenceNormSpec, 'gamma' | 'beta'>;
  /** Constant statistics (BatchNorm prediction), per group. */
  fixed?: { mean: NDArray; variance: NDArray };
}

const EPS = 1e-3;
const movingMean = data([3], 51, 0.2, 0.5), movingVar = data([3], 52, 1.5, 0.5);
const bn = (axis: number, training: boolean): Norm => (x, gamma, beta) => {
  // Copies of the moving statistics: training updates them in place.
  const run = () => nd.BatchNorm(x, gamma, beta, nd.array(movingMean), nd.array(movingVar), { eps: EPS, axis, fixGamma: false });
  return training ? run() : autograd.predictMode(run);
};

const CASES: Case[] = [
  { name: 'InstanceNorm (N, C, S)', shape: [2, 3, 4], affine: 3, norm: (x, g, b) => nd.InstanceNorm(x, g, b, { eps: EPS }), spec: { shape: [2, 3, 4], keepAxes: [0, 1], affineAxis: 1, eps: EPS } },
  { name: 'InstanceNorm channels-last (N, S, C)', shape: [2, 4, 3], affine: 3, norm: (x, g, b) => nd.InstanceNorm(x, g, b, { eps: EPS, axis: -1 }), spec: { shape: [2, 4, 3], keepAxes: [0, 2], affineAxis: 2, eps: EPS } },
  { name: 'BatchNorm training (N, C, S)', shape: [4, 3, 2], affine: 3, norm: bn(1, true), spec: { shape: [4, 3, 2], keepAxes: [1], affineAxis: 1, eps: EPS } },
  { name: 'BatchNorm training channels-last (N, S, C)', shape: [4, 2, 3], affine: 3, norm: bn(-1, true), spec: { shape: [4, 2, 3], keepAxes: [2], affineAxis: 2, eps: EPS } },
  { name: 'BatchNorm prediction (N, C, S)', shape: [4, 3, 2], affine: 3, norm: bn(1, false), spec: { shape: [4, 3, 2], keepAxes: [1], affineAxis: 1, eps: EPS }, fixed: { mean: movingMean, variance: movingVar } },
  { name: 'BatchNorm prediction channels-last', shape: [4, 2, 3], affine: 3, norm: bn(-1, false), spec: { shape: [4, 2, 3], keepAxes: [2], affineAxis: 2, eps: EPS }, fixed: { mean: movingMean, variance: movingVar } },
  { name: 'LayerNorm last axis', shape: [3, 5], affine: 5, norm: (x, g, b) => nd.LayerNorm(x, g, b, { eps: EPS }), spec: { shape: [3, 5], keepAxes: [0], affineAxis: 1, eps: EPS } },
  { name: 'LayerNorm middle axis', shape: [2, 4, 3], affine: 4, norm: (x, g, b) => nd.LayerNorm(x, g, b, { eps: EPS, axis: 1 }), spec: { shape: [2, 4, 3], keepAxes: [0, 2], affineAxis: 1, eps: EPS } },
  { name: 'GroupNorm (N, C, S)', shape: [2, 6, 2], affine: 3, norm: (x, g, b) => nd.GroupNorm(x, g, b, { numGroups: 3, eps: EPS }), spec: { shape: [2, 3, 2, 2], keepAxes: [0, 1], affineAxis: 1, eps: EPS } },
  { name: 'GroupNorm (N, C, H, W)', shape: [2, 4, 2, 2], affine: 2, norm: (x, g, b) => nd.GroupNorm(x, g, b, { numGroups: 2, eps: EPS }), spec: { shape: [2, 2, 2, 2, 2], keepAxes: [0, 1], affineAxis: 1, eps: EPS } },
];

describe('second derivatives of the normalizations against finite differences of the float64 first derivatives', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: ∂P/∂x and ∂P/∂gamma', (_, c) => {
    const w = data(c.shape, 53), beta = data([c.affine], 54);
    const reference64 = (x: Float64Array, gamma: Float64Array): number[] => {
      const spec = { ...c.spec, gamma, beta: beta.toFloat32Array() };
      const grads = c.fixed === undefined
        ? referenceNormGradients(x, w.toFloat32Array(), spec)
        : fixedStatisticsGradients(x, w.toFloat32Array(), spec, c.fixed.mean.toFloat32Array(), c.fixed.variance.toFloat32Array());
      return [sumOfSquares(grads.dx) + sumOfSquares(grads.dgamma)];
    };
    checkGradient(penalty(c.norm, beta, w), [data(c.shape, 55, 0.5, 2), data([c.affine], 56, 1, 0.5)], { reference64, atol: 1e-4, rtol: 2e-3 });
  });

  it('BatchNorm with fixGamma: gamma is taken as 1, so its second derivative is 0', () => {
    const shape = [4, 3], w = data(shape, 57), beta = nd.zeros([3]);
    const norm: Norm = (x, gamma, b) => nd.BatchNorm(x, gamma, b, nd.zeros([3]), nd.ones([3]), { eps: EPS });
    // P = Σ(∂L/∂x)² of the gamma-free normalization (∂L/∂gamma is 0): independent of gamma.
    const reference64 = (x: Float64Array): number[] =>
      [sumOfSquares(referenceNormGradients(x, w.toFloat32Array(), { shape, keepAxes: [1], affineAxis: 1, eps: EPS, gamma: [1, 1, 1], beta: [0, 0, 0] }).dx)];
    checkGradient(penalty(norm, beta, w), [data(shape, 58, 0.5, 2), data([3], 59, 1, 0.5)], { reference64, atol: 1e-4, rtol: 2e-3 });
  });
});
