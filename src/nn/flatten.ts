import type { Tensor } from './block';
import { HybridBlock, HybridF } from './hybrid_block';

/**
 * Flattens the input to two dimensions (Gluon's `nn.Flatten`), through `nd.Flatten`:
 *
 *     (N, x1, …, xn) → (N, x1·…·xn)
 *
 * A 1-D input (N,) gives (N, 1); a 0-d input is an error. The gradient is reshaped back.
 *
 * @example
 * const flatten = new nn.Flatten();
 * flatten(nd.zeros([2, 3, 4])).shape; // [2, 12]
 * flatten.toString();                 // 'Flatten'
 */
export class Flatten extends HybridBlock {
  static override readonly inputCount = 1;

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.Flatten(x);
  }

  /** Gluon's text: `Flatten`. */
  override toString(): string {
    return 'Flatten';
  }
}
