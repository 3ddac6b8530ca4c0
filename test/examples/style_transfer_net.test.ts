import { autograd, nd, random } from '../../src';
import { TransformerNet } from '../../examples/style_transfer_net';
import { pseudoRandom } from '../helpers/gradient_check';

/**
 * Johnson et al.'s architecture counted by hand, independently of the blocks: every convolution
 * as (in, out, kernel), then the channels of every affine InstanceNorm.
 */
const CONVS: [number, number, number][] = [
  [3, 32, 9], [32, 64, 3], [64, 128, 3],
  ...Array.from({ length: 10 }, (): [number, number, number] => [128, 128, 3]), // 5 residual blocks × 2
  [128, 64, 3], [64, 32, 3], [32, 3, 9],
];
const NORMS = [32, 64, 128, ...Array.from({ length: 10 }, () => 128), 64, 32];
const HAND_COUNT =
  CONVS.reduce((total, [cin, cout, k]) => total + cin * cout * k * k + cout, 0) + NORMS.reduce((total, c) => total + 2 * c, 0);

describe('examples/style_transfer_net: TransformerNet', () => {
  random.seed(7);
  const net = new TransformerNet();
  net.initialize('xavier');
  const x = nd.random.uniform(0, 1, [1, 3, 32, 32]);

  it('maps a 1×3×32×32 image to finite values of the same shape', () => {
    const y = net(x);
    expect(y.shape).toEqual([1, 3, 32, 32]);
    expect(y.toFloat32Array().every(Number.isFinite)).toBe(true);
  });

  it('has the hand-counted number of parameters (1,679,235, as PyTorch’s fast_neural_style TransformerNet)', () => {
    const params = [...net.collectParams().values()];
    const total = params.reduce((sum, p) => sum + p.data().size, 0);
    expect(HAND_COUNT).toBe(1679235);
    expect(total).toBe(HAND_COUNT);
    expect(params.length).toBe(2 * CONVS.length + 2 * NORMS.length);
  });

  it('backpropagates a training-mode forward to every parameter, with finite gradients', () => {
    const params = [...net.collectParams().values()];
    const before = params.map((p) => p.grad());
    params.forEach((p) => { p.data().freshGrad = false; });
    const y = autograd.record(() => net(x));
    y.backward(nd.array(Float32Array.from(pseudoRandom(y.size, 3)), { shape: y.shape }));
    const finalBias = params[params.length - 1]; // the last ConvLayer's: no norm follows it
    expect(finalBias.name).toMatch(/^transformernet\d+_hybridsequential0_convlayer\d+_conv0_bias$/);
    const largest = Math.max(...params.map((p) => maxAbs(p.grad().toFloat32Array())));
    params.forEach((p, i) => {
      const grad = p.grad().toFloat32Array();
      expect(p.data().freshGrad).toBe(true); // written by this backward…
      expect(p.grad()).toBe(before[i]); // …in place, as MXNet
      expect(grad.every(Number.isFinite)).toBe(true);
      // A convolution bias followed by an InstanceNorm has gradient 0 in exact arithmetic (the norm
      // subtracts each channel's mean, so a per-channel shift changes nothing); all others are non-zero.
      const biasBeforeNorm = p.name.endsWith('_bias') && p !== finalBias;
      if (biasBeforeNorm) expect(maxAbs(grad)).toBeLessThan(1e-4 * largest);
      else expect(maxAbs(grad)).toBeGreaterThan(0);
    });
  });
});

function maxAbs(values: Float32Array): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
