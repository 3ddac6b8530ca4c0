/**
 * gluon.contrib.nn: Concurrent / HybridConcurrent (children on one input, concatenated; hybrid and
 * exported runs with the imperative bits), Identity, and PixelShuffle1D/2D/3D against the index
 * formula out[n, c, d·f1 + i, h·f2 + j, w·f3 + k] = x[n, ((c·f1 + i)·f2 + j)·f3 + k, d, h, w],
 * written here with explicit loops.
 */
import { NDArray, gluon, nd, nn } from '../../../src';
import { pseudoRandom } from '../../helpers/gradient_check';

const { Concurrent, HybridConcurrent, Identity, PixelShuffle1D, PixelShuffle2D, PixelShuffle3D } = gluon.contrib.nn;

/** The pixel shuffle of x (N, C·Πf, *S) by factors f, by the index formula. */
function shuffleReference(x: NDArray, f: number[]): number[] {
  const [n, cf, ...size] = x.shape;
  const rank = size.length;
  const block = f.reduce((a, b) => a * b, 1);
  const c = cf / block;
  const outSize = size.map((s, a) => s * f[a]);
  const out: number[] = [];
  const data = x.toFloat32Array();
  const total = n * c * outSize.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    const pos = outSize.map(() => 0);
    for (let a = rank - 1; a >= 0; a--) { pos[a] = rest % outSize[a]; rest = Math.floor(rest / outSize[a]); }
    const ch = rest % c, batch = Math.floor(rest / c);
    let inChannel = ch;
    for (let a = 0; a < rank; a++) inChannel = inChannel * f[a] + (pos[a] % f[a]);
    let index = batch * cf + inChannel;
    for (let a = 0; a < rank; a++) index = index * size[a] + Math.floor(pos[a] / f[a]);
    out.push(data[index]);
  }
  return out;
}

const random = (shape: number[], seed: number) => nd.array(Float32Array.from(pseudoRandom(shape.reduce((a, b) => a * b, 1), seed)), { shape });

describe('PixelShuffle', () => {
  it.each([
    ['1D', () => new PixelShuffle1D(3), [2, 6, 4], [3]],
    ['2D', () => new PixelShuffle2D([2, 3]), [2, 12, 3, 4], [2, 3]],
    ['3D', () => new PixelShuffle3D(2), [1, 16, 2, 3, 2], [2, 2, 2]],
  ] as [string, () => nn.HybridBlock, number[], number[]][])('%s moves channels into space by the index formula, hybridized too', (_name, make, shape, f) => {
    const x = random(shape, 3);
    const block = make();
    const y = block(x) as NDArray;
    expect(y.shape).toEqual([shape[0], shape[1] / f.reduce((a, b) => a * b, 1), ...shape.slice(2).map((s, a) => s * f[a])]);
    expect(Array.from(y.toFloat32Array())).toEqual(shuffleReference(x, f));
    block.hybridize();
    block(x);
    expect((block(x) as NDArray).toFloat32Array()).toEqual(y.toFloat32Array());
  });

  it('refuses bad factors', () => {
    expect(() => new PixelShuffle2D([2])).toThrow('PixelShuffle2D: expected 2 factors (or one), but got 1');
    expect(() => new PixelShuffle1D(0)).toThrow('PixelShuffle1D: expected factor');
  });
});

describe('Concurrent and HybridConcurrent', () => {
  it('concatenate their children\'s outputs along axis; the hybrid one hybridizes and exports', () => {
    const x = random([2, 3], 5);
    const branches = () => [new nn.Dense(4, { inUnits: 3 }), new Identity(), new nn.Dense(1, { inUnits: 3 })];
    const make = <T extends nn.Block<unknown>>(container: T) => {
      container.initialize('xavier');
      return container;
    };
    const eager = make(new Concurrent(1).add(...branches()));
    const children = [...eager.childEntries().values()].map((child) => child(x) as NDArray);
    expect((eager(x) as NDArray).toArray()).toEqual(nd.concat(...children, { dim: 1 }).toArray());
    const hybrid = make(new HybridConcurrent(1).add(...branches()));
    const imperative = (hybrid(x) as NDArray).toFloat32Array();
    expect((hybrid(x) as NDArray).shape).toEqual([2, 8]);
    hybrid.hybridize();
    hybrid(x);
    expect((hybrid(x) as NDArray).toFloat32Array()).toEqual(imperative);
    const { symbol, params } = hybrid.exportBytes();
    expect((gluon.SymbolBlock.imports(symbol, ['data'], params)(x) as NDArray).toFloat32Array()).toEqual(imperative);
  });

  it('names a child with several outputs', () => {
    class Two extends nn.HybridBlock<NDArray[]> {
      override hybridForward(_F: nn.HybridF, v: nn.Tensor): nn.Tensor[] { return [v, v]; }
    }
    const c = new HybridConcurrent();
    c.add(new Two() as unknown as nn.HybridBlock);
    expect(() => c(nd.ones([1, 2]))).toThrow(/^hybridconcurrent\d+: child '0' returned 2 outputs; a concurrent container concatenates one array per child$/);
  });
});
