import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { array } from '../ndarray/creation';
import { NDArray } from '../ndarray/ndarray';
import type { NestedArray } from '../ndarray/ndarray';
import { rowMajorStrides } from '../core/shape';
import { Initializer } from './initializer';
import type { JsonValue } from './python_json';

/**
 * Fills with 0 (Gluon's `Zero`, registered as `'zero'` and `'zeros'`).
 *
 * @example
 * new init.Zero().initialize('dense0_bias', [3]).toArray(); // [0, 0, 0]
 */
export class Zero extends Initializer {
  constructor() {
    super('zero');
  }

  protected override fill(): void {
    // A new Float32Array is already zero.
  }
}

/**
 * Fills with 1 (Gluon's `One`, registered as `'one'` and `'ones'`).
 *
 * @example
 * new init.One().initialize('instancenorm0_gamma', [2]).toArray(); // [1, 1]
 */
export class One extends Initializer {
  constructor() {
    super('one');
  }

  protected override fill(_paramName: string, _shape: readonly number[], out: Float32Array): void {
    out.fill(1);
  }
}

export { Zero as Zeros, One as Ones };

/** What `Constant` accepts: a number, (nested) number arrays, or an NDArray. */
export type ConstantValue = NestedArray | NDArray;

/** True when `value` is a number, an NDArray, or arrays nested down to numbers. */
export function isConstantValue(value: unknown): value is ConstantValue {
  if (typeof value === 'number' || value instanceof NDArray) return true;
  return Array.isArray(value) && value.every((item) => isConstantValue(item) && !(item instanceof NDArray));
}

/**
 * Fills with a constant (Gluon's `Constant`, registered as `'constant'`). A scalar fills every
 * element; an array or NDArray value is broadcast to the parameter's shape with numpy's rules
 * (dims aligned from the right, each value dim equal or 1), as Gluon's `arr[:] = value`.
 *
 * @param value a number, a (nested) number array or an NDArray; copied, so later changes to
 *   the caller's array don't affect it.
 * @example
 * new init.Constant(0.5).initialize('w', [2]).toArray();            // [0.5, 0.5]
 * new init.Constant([1, 2]).initialize('w', [2, 2]).toArray();      // [[1, 2], [1, 2]]
 */
export class Constant extends Initializer {
  private readonly value: NDArray;

  constructor(value: ConstantValue) {
    if (!isConstantValue(value)) {
      throw new GluonError(`init.Constant: expected the value to be a number, a (nested) number array or an NDArray, but got ${describeValue(value)}`);
    }
    super('constant', { value: jsonValue(value) });
    this.value = toNDArray(value);
  }

  protected override fill(paramName: string, shape: readonly number[], out: Float32Array): void {
    const strides = broadcastStrides(this.value.shape, shape);
    if (strides === null) {
      throw new GluonError(
        `init.Constant: cannot initialize parameter '${paramName}': expected a value broadcastable to its shape ` +
          `${formatShape(shape)}, but got a value of shape ${formatShape(this.value.shape)}`,
      );
    }
    const outStrides = rowMajorStrides(shape);
    const source = this.value.data;
    for (let i = 0; i < out.length; i++) {
      let rest = i;
      let at = 0;
      for (let axis = 0; axis < shape.length; axis++) {
        const index = Math.floor(rest / outStrides[axis]);
        rest -= index * outStrides[axis];
        at += index * strides[axis];
      }
      out[i] = source[at];
    }
  }
}

/** Gluon dumps an array value as a nested list (an NDArray's as its float32 values). */
function jsonValue(value: ConstantValue): JsonValue {
  if (value instanceof NDArray) return jsonValue(value.toArray());
  return Array.isArray(value) ? value.map(jsonValue) : value;
}

function toNDArray(value: ConstantValue): NDArray {
  try {
    return array(value);
  } catch (error) {
    // nd.array explains the problem (e.g. a ragged nested array); say who was given it.
    if (error instanceof GluonError) throw new GluonError(`init.Constant: ${error.message}`);
    throw error;
  }
}

/**
 * The value's strides over the target's axes (0 on broadcast axes), or null when numpy's rules
 * don't allow broadcasting `from` to `to`.
 */
function broadcastStrides(from: readonly number[], to: readonly number[]): number[] | null {
  const offset = to.length - from.length;
  if (offset < 0) return null;
  const fromStrides = rowMajorStrides(from);
  const strides: number[] = [];
  for (let axis = 0; axis < to.length; axis++) {
    const dim = axis < offset ? 1 : from[axis - offset];
    if (dim !== 1 && dim !== to[axis]) return null;
    strides.push(dim === 1 ? 0 : fromStrides[axis - offset]);
  }
  return strides;
}
