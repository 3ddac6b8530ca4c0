/**
 * `gluon.contrib.nn` (MXNet 1.9's contrib/nn/basic_layers.py): Concurrent and HybridConcurrent
 * (every child on the same input, outputs concatenated), Identity, and PixelShuffle1D/2D/3D
 * (sub-pixel upsampling: channels moved into space).
 */
import { checkIntAtLeast } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { NDArray } from '../../../ndarray/ndarray';
import { nd } from '../../../ops/nd';
import type { BlockOptions, Tensor } from '../../../nn/block';
import { HybridBlock, HybridF } from '../../../nn/hybrid_block';
import { HybridSequential, Sequential } from '../../../nn/sequential';

/** The outputs of every child of `container` on `x` (each must return one array). */
function childOutputs<T extends Tensor>(container: Sequential | HybridSequential, x: T): T[] {
  return [...container.childEntries()].map(([key, child]) => {
    const out = child(x);
    if (Array.isArray(out)) throw new GluonError(`${container.errorName}: child '${key}' returned ${out.length} outputs; a concurrent container concatenates one array per child`);
    return out as T;
  });
}

/**
 * Runs every child on the same input and concatenates their outputs along `axis` (default −1),
 * as Gluon's `contrib.nn.Concurrent` (Inception's branches). Not hybridizable: see HybridConcurrent.
 *
 * @example
 * const branches = new gluon.contrib.nn.Concurrent(1);
 * branches.add(new nn.Dense(4), new nn.Dense(2));
 */
export class Concurrent extends Sequential {
  constructor(readonly axis = -1, options: BlockOptions = {}) {
    super(options);
    checkIntAtLeast('Concurrent', 'axis', axis, -Infinity);
  }

  override forward(x: Tensor): Tensor {
    const outputs = childOutputs(this, x as NDArray);
    return nd.concat(...outputs, { dim: this.axis });
  }
}

/**
 * Concurrent as a HybridBlock: the children's outputs of one input, concatenated along `axis`
 * (default −1); hybridizes and exports as MXNet's `Concat` of the branches.
 *
 * @example
 * const branches = new gluon.contrib.nn.HybridConcurrent(1);
 * branches.add(new nn.Conv2D(8, 1), new nn.Conv2D(8, 3, { padding: 1 }));
 */
export class HybridConcurrent extends HybridSequential {
  constructor(readonly axis = -1, options: BlockOptions = {}) {
    super(options);
    checkIntAtLeast('HybridConcurrent', 'axis', axis, -Infinity);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.concat(...childOutputs(this, x), { dim: this.axis });
  }
}

/**
 * Passes its input through unchanged (Gluon's `contrib.nn.Identity`), e.g. as the shortcut
 * branch of a HybridConcurrent.
 *
 * @example new gluon.contrib.nn.Identity()(x) // x's values
 */
export class Identity extends HybridBlock {
  static override readonly inputCount = 1;

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return x;
  }
}

/** The per-axis factors of a PixelShuffle of `rank` spatial axes: one integer for all, or one each. */
function pixelFactors(who: string, factor: number | readonly number[], rank: number): number[] {
  const factors = typeof factor === 'number' ? Array<number>(rank).fill(factor) : [...factor];
  if (factors.length !== rank) throw new GluonError(`${who}: expected ${rank} factors (or one), but got ${factors.length}`);
  factors.forEach((f) => checkIntAtLeast(who, 'factor', f, 1));
  return factors;
}

/** What the PixelShuffles share: one input, and a factor per spatial axis. */
abstract class PixelShuffle extends HybridBlock {
  static override readonly inputCount = 1;
  readonly factors: number[];

  protected constructor(rank: number, factor: number | readonly number[], options: BlockOptions) {
    super(options);
    this.factors = pixelFactors(new.target.name, factor, rank);
  }
}

/**
 * Sub-pixel upsampling along the last axis (Gluon's `PixelShuffle1D`):
 * (N, C·f, W) → (N, C, W·f), out[n, c, w·f + i] = x[n, c·f + i, w].
 *
 * @example new gluon.contrib.nn.PixelShuffle1D(2)(nd.zeros([1, 4, 3])).shape; // [1, 2, 6]
 */
export class PixelShuffle1D extends PixelShuffle {
  constructor(factor: number | readonly number[], options: BlockOptions = {}) {
    super(1, factor, options);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const [f] = this.factors;
    const split = F.reshape(x, { shape: [0, -4, -1, f, 0] }); // (N, C, f, W)
    return F.reshape(F.transpose(split, { axes: [0, 1, 3, 2] }), { shape: [0, 0, -3] });
  }
}

/**
 * Sub-pixel upsampling of the last two axes (Gluon's `PixelShuffle2D`, Shi et al. 2016):
 * (N, C·f1·f2, H, W) → (N, C, H·f1, W·f2), out[n, c, h·f1 + i, w·f2 + j] = x[n, c·f1·f2 + i·f2 + j, h, w].
 *
 * @example new gluon.contrib.nn.PixelShuffle2D([2, 3])(nd.zeros([1, 12, 4, 5])).shape; // [1, 2, 8, 15]
 */
export class PixelShuffle2D extends PixelShuffle {
  constructor(factor: number | readonly number[], options: BlockOptions = {}) {
    super(2, factor, options);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const [f1, f2] = this.factors;
    const split = F.reshape(F.reshape(x, { shape: [0, -4, -1, f1 * f2, 0, 0] }), { shape: [0, 0, -4, f1, f2, 0, 0] }); // (N, C, f1, f2, H, W)
    return F.reshape(F.transpose(split, { axes: [0, 1, 4, 2, 5, 3] }), { shape: [0, 0, -3, -3] });
  }
}

/**
 * Sub-pixel upsampling of the last three axes (Gluon's `PixelShuffle3D`):
 * (N, C·f1·f2·f3, D, H, W) → (N, C, D·f1, H·f2, W·f3).
 *
 * @example new gluon.contrib.nn.PixelShuffle3D(2)(nd.zeros([1, 8, 2, 2, 2])).shape; // [1, 1, 4, 4, 4]
 */
export class PixelShuffle3D extends PixelShuffle {
  constructor(factor: number | readonly number[], options: BlockOptions = {}) {
    super(3, factor, options);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const [f1, f2, f3] = this.factors;
    let y = F.reshape(x, { shape: [0, -4, -1, f1 * f2 * f3, 0, 0, 0] }); // (N, C, f1·f2·f3, D, H, W)
    y = F.reshape(y, { shape: [0, 0, -4, f1, f2 * f3, 0, 0, 0] });
    y = F.reshape(y, { shape: [0, 0, 0, -4, f2, f3, 0, 0, 0] }); // (N, C, f1, f2, f3, D, H, W)
    return F.reshape(F.transpose(y, { axes: [0, 1, 5, 2, 6, 3, 7, 4] }), { shape: [0, 0, -3, -3, -3] });
  }
}
