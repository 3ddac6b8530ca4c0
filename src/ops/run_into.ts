/**
 * How a backward rule runs another operator and writes the result straight into the storage
 * autograd offers for an input's gradient (`ctx.into[i]`: a leaf's attached gradient that nothing
 * else reads), so a first-order backward allocates no gradient it then copies.
 */
import type { NDArray } from '../ndarray/ndarray';
import { invoke } from './invoke';
import type { Nd } from './nd';
import type { Operator } from './operator';

/**
 * `op(inputs)` with `options` (camelCase, as `nd.X` takes them), its output written into
 * `storage` when given; recorded like any call when autograd records (a double backward).
 *
 * @example
 * // inside a backward rule: dx = Deconvolution(dy, w), into x's gradient when offered
 * runInto(F, DECONVOLUTION, [dy, w], { kernel: [3, 3], numFilter: 8 }, ctx.into[0]);
 */
export function runInto(F: Nd, op: Operator, inputs: readonly NDArray[], options: Readonly<Record<string, unknown>>, storage?: Float32Array): NDArray {
  return invoke(F, op, inputs, op.resolveOptions(options, op.name), [storage])[0];
}
