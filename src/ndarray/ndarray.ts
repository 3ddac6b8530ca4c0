import { GluonError, formatShape } from '../errors';
import { checkShape, shapeSize } from './shape';
import { formatNDArray } from './format';
import type { TapeNode } from '../autograd/tape';
import { backward } from '../autograd/backward';
import type { BackwardOptions } from '../autograd/backward';
import * as ops from './ops';
import type { AxisSpec, DotOptions, Operand } from './ops';

/** Element types an NDArray can hold. tsgluon computes in float32, as Gluon does by default. */
export type DType = 'float32';

/** A nested array of numbers, as `toArray()` returns and `nd.array` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional float32 array, stored contiguously in row-major (C) order.
 *
 * NDArrays are immutable from the outside: every op returns a new array and none mutates its
 * inputs; `toFloat32Array()` and `toArray()` return copies.
 *
 * @example
 * const x = nd.array([[1, 2], [3, 4]]);
 * x.shape;          // [2, 2]
 * x.add(1).toArray(); // [[2, 3], [4, 5]]
 */
export class NDArray {
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType = 'float32';
  /**
   * @internal The row-major values. Owned by this array: ops and layers read it and build new
   * arrays; only the library's own updates write to it once it is handed out (backward and
   * zeroGrad into an attached `x.grad`, the Trainer into a Parameter's data), as in MXNet.
   */
  readonly data: Float32Array;

  /** @internal Wraps `data` (taking ownership) as an array of `shape`; use `nd.array` instead. */
  constructor(data: Float32Array, shape: readonly number[]) {
    checkShape(shape, 'NDArray');
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new GluonError(`NDArray: expected ${size} values for shape ${formatShape(shape)}, but got ${data.length}`);
    }
    this.shape = Object.freeze(shape.slice());
    this.size = size;
    this.data = data;
  }

  /** @internal The op that computed this array while recording (see src/autograd/tape.ts). */
  tapeNode: TapeNode | undefined = undefined;
  private attachedGradReq: 'write' | 'add' | 'null' | undefined = undefined;
  private attachedGrad: NDArray | undefined = undefined;

  /**
   * Attaches a zero gradient so that `backward()` computes d(head)/d(this) into `x.grad`:
   * `'write'` overwrites it on each backward, `'add'` accumulates, `'null'` computes none.
   * As in MXNet, `x.grad` is one array for as long as the gradient stays attached: backward and
   * `zeroGrad` update it in place (no fresh array per step), so a reference to it sees the
   * latest gradient; copy it (`x.grad.copy()`) to keep a snapshot.
   *
   * @example
   * const x = nd.array([1, 2]);
   * x.attachGrad();
   * autograd.record(() => x.square().sum()).backward();
   * x.grad?.toArray(); // [2, 4]
   */
  attachGrad(gradReq: 'write' | 'add' | 'null' = 'write'): void {
    if (gradReq !== 'write' && gradReq !== 'add' && gradReq !== 'null') {
      throw new GluonError(`attachGrad: expected gradReq 'write', 'add' or 'null', but got '${String(gradReq)}'`);
    }
    this.attachedGradReq = gradReq;
    this.attachedGrad = gradReq === 'null' ? undefined : new NDArray(new Float32Array(this.size), this.shape);
  }

  /** The gradient attached by `attachGrad()` (undefined if none), written by `backward()`. */
  get grad(): NDArray | undefined {
    return this.attachedGrad;
  }

  /** The gradReq given to `attachGrad()`, or undefined when no gradient is attached. */
  get gradReq(): 'write' | 'add' | 'null' | undefined {
    return this.attachedGradReq;
  }

  /**
   * @internal MXNet's `_fresh_grad`: set when backward writes the attached gradient, cleared by
   * the Trainer once it has used it, so a step can tell a stale gradient from a fresh one.
   */
  freshGrad = false;

  /**
   * @internal Stores a gradient computed by backward into the attached gradient, in place, as
   * the attached gradReq says ('write' copies, unless backward already wrote it there; 'add' adds).
   */
  receiveGrad(grad: NDArray): void {
    const target = this.attachedGrad;
    if (target === undefined) return;
    const into = target.data, from = grad.data;
    if (this.attachedGradReq === 'write') {
      if (from !== into) into.set(from);
    } else {
      for (let i = 0; i < into.length; i++) into[i] += from[i];
    }
    this.freshGrad = true;
  }

  /** @internal The attached gradient's storage when backward may write it directly ('write' only). */
  gradDestination(): Float32Array | undefined {
    return this.attachedGradReq === 'write' ? this.attachedGrad?.data : undefined;
  }

  /** @internal Resets the attached gradient to zeros, in place (Parameter.zeroGrad). */
  zeroGrad(): void {
    this.attachedGrad?.data.fill(0);
  }

  /**
   * Computes the gradient of this array (recorded inside `autograd.record`) with respect to every
   * array with an attached gradient it depends on. `headGrad` defaults to ones, as MXNet.
   */
  backward(headGrad?: NDArray, options: BackwardOptions = {}): void {
    backward(this, headGrad, options);
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** A row-major copy of the values. */
  toFloat32Array(): Float32Array {
    return this.data.slice();
  }

  /** The values as nested arrays (a plain number for a 0-d array). */
  toArray(): NestedArray {
    return nest(this.data, this.shape, 0, 0);
  }

  // Arithmetic: one-line delegations to the `nd` functions (src/ndarray/ops), which document
  // the semantics. Every method returns a new array and leaves `this` and its arguments alone.

  /** `nd.add(this, y)`: elementwise sum with broadcasting. */
  /** A new array with the same values (see `nd.copy`). */
  copy(): NDArray { return ops.copy(this); }
  add(y: Operand): NDArray { return ops.add(this, y); }
  /** `nd.subtract(this, y)`. */
  sub(y: Operand): NDArray { return ops.subtract(this, y); }
  /** `nd.multiply(this, y)`. */
  mul(y: Operand): NDArray { return ops.multiply(this, y); }
  /** `nd.divide(this, y)`. */
  div(y: Operand): NDArray { return ops.divide(this, y); }
  /** `nd.power(this, y)`. */
  pow(y: Operand): NDArray { return ops.power(this, y); }
  /** `nd.negative(this)`. */
  neg(): NDArray { return ops.negative(this); }
  /** `nd.abs(this)`. */
  abs(): NDArray { return ops.abs(this); }
  /** `nd.exp(this)`. */
  exp(): NDArray { return ops.exp(this); }
  /** `nd.log(this)`. */
  log(): NDArray { return ops.log(this); }
  /** `nd.sqrt(this)`. */
  sqrt(): NDArray { return ops.sqrt(this); }
  /** `nd.square(this)`. */
  square(): NDArray { return ops.square(this); }
  /** `nd.relu(this)`. */
  relu(): NDArray { return ops.relu(this); }
  /** `nd.sigmoid(this)`. */
  sigmoid(): NDArray { return ops.sigmoid(this); }
  /** `nd.tanh(this)`. */
  tanh(): NDArray { return ops.tanh(this); }
  /** `nd.clip(this, min, max)`. */
  clip(min: number, max: number): NDArray { return ops.clip(this, min, max); }
  /** `nd.softmax(this, axis)` (default: the last axis). */
  softmax(axis?: number): NDArray { return ops.softmax(this, axis); }
  /** `nd.sum(this, axis, keepdims)`: all axes when `axis` is absent. */
  sum(axis?: AxisSpec, keepdims?: boolean): NDArray { return ops.sum(this, axis, keepdims); }
  /** `nd.mean(this, axis, keepdims)`. */
  mean(axis?: AxisSpec, keepdims?: boolean): NDArray { return ops.mean(this, axis, keepdims); }
  /** `nd.max(this, axis, keepdims)`. */
  max(axis?: AxisSpec, keepdims?: boolean): NDArray { return ops.max(this, axis, keepdims); }
  /** `nd.min(this, axis, keepdims)`. */
  min(axis?: AxisSpec, keepdims?: boolean): NDArray { return ops.min(this, axis, keepdims); }
  /** `nd.argmax(this, axis, keepdims)`: float32 indices; of the flattened array when `axis` is absent. */
  argmax(axis?: number, keepdims?: boolean): NDArray { return ops.argmax(this, axis, keepdims); }
  /** `nd.argmin(this, axis, keepdims)`. */
  argmin(axis?: number, keepdims?: boolean): NDArray { return ops.argmin(this, axis, keepdims); }
  /** `nd.reshape(this, shape)`, as `x.reshape([2, 3])` or `x.reshape(2, 3)`; 0 copies a dimension, -1 infers one. */
  reshape(shape: readonly number[] | number, ...rest: number[]): NDArray {
    return ops.reshape(this, typeof shape === 'number' ? [shape, ...rest] : shape);
  }
  /** `nd.transpose(this, axes)`: reverses the axes when `axes` is absent. */
  transpose(axes?: readonly number[]): NDArray { return ops.transpose(this, axes); }
  /** `nd.swapaxes(this, axis1, axis2)`. */
  swapaxes(axis1: number, axis2: number): NDArray { return ops.swapaxes(this, axis1, axis2); }
  /** `nd.expandDims(this, axis)`. */
  expandDims(axis: number): NDArray { return ops.expandDims(this, axis); }
  /** `nd.squeeze(this, axis)`: all length-1 axes when `axis` is absent. */
  squeeze(axis?: AxisSpec): NDArray { return ops.squeeze(this, axis); }
  /** `nd.flatten(this)`: (N, d1, …) → (N, d1·…). */
  flatten(): NDArray { return ops.flatten(this); }
  /** `nd.broadcastTo(this, shape)`. */
  broadcastTo(shape: readonly number[]): NDArray { return ops.broadcastTo(this, shape); }
  /** `nd.dot(this, y, options)`. */
  dot(y: NDArray, options?: DotOptions): NDArray { return ops.dot(this, y, options); }

  /**
   * MXNet's repr: a newline, the values as numpy 1.13 prints them, a newline, then
   * `<NDArray 2x1x2 @cpu(0)>` (see `formatNDArray` in format.ts for the exact rules).
   *
   * @example
   * nd.array([1, 2, 3]).toString(); // '\n[ 1.  2.  3.]\n<NDArray 3 @cpu(0)>'
   */
  toString(): string {
    return formatNDArray(this);
  }

  /**
   * Node's `util.inspect` hook, so `console.log(x)` prints `x.toString()`. Keyed by
   * `Symbol.for` rather than an import of 'util' so the class stays browser-safe.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function nest(data: Float32Array, shape: readonly number[], axis: number, offset: number): NestedArray {
  if (axis === shape.length) return data[offset];
  const inner = shapeSize(shape.slice(axis + 1));
  const out: NestedArray[] = [];
  for (let i = 0; i < shape[axis]; i++) out.push(nest(data, shape, axis + 1, offset + i * inner));
  return out;
}
