import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { checkShape, shapeSize } from '../core/shape';
import { DType, Storage, checkDType, isIntegerDType, storageMatches, storageName, toNumbers, toStorage } from './dtype';
import { formatNDArray } from './format';
import type { TapeNode } from '../autograd/tape';

export type { DType } from './dtype';

/** A nested array of numbers, as `toArray()` returns and `nd.array` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array, stored contiguously in row-major (C) order: float32 by default (what
 * tsgluon computes in), or any of the dtypes of ndarray/dtype.ts (`nd.array(v, { dtype: 'int32' })`,
 * `x.astype('uint8')`).
 *
 * NDArrays are immutable from the outside: every op returns a new array and none mutates its
 * inputs; `toFloat32Array()` and `toArray()` return copies.
 *
 * @example
 * const x = nd.array([[1, 2], [3, 4]]);
 * x.shape;          // [2, 2]
 * x.add(1).toArray(); // [[2, 3], [4, 5]]
 */
/** The key of the NDArray brand, shared by every copy of the package (`Symbol.for`). */
const NDARRAY_BRAND = Symbol.for('tsgluon.NDArray');

export class NDArray {
  /**
   * `x instanceof NDArray` by brand, not by prototype: an array made by another copy of tsgluon
   * (two versions in one bundle) is still an NDArray here. Subclasses keep the prototype test.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== NDArray) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [NDARRAY_BRAND]?: unknown })[NDARRAY_BRAND] === true;
  }

  /** @internal The brand `instanceof` reads (see above). */
  get [NDARRAY_BRAND](): true {
    return true;
  }

  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
  private readonly storage: Storage;

  /**
   * @internal Wraps `storage` (taking ownership) as an array of `shape` and `dtype` (float32 by
   * default; the storage must be that dtype's typed array, see ndarray/dtype.ts); use `nd.array`.
   */
  constructor(storage: Storage, shape: readonly number[], dtype: DType = 'float32') {
    if (!storageMatches(checkDType('NDArray', dtype), storage)) {
      throw new GluonError(`NDArray: expected the data as a ${storageName(dtype)}, but got ${describeValue(storage)} (use nd.array to convert)`);
    }
    checkShape(shape, 'NDArray');
    const size = shapeSize(shape);
    if (storage.length !== size) {
      throw new GluonError(`NDArray: expected ${size} values for shape ${formatShape(shape)}, but got ${storage.length}`);
    }
    this.shape = Object.freeze(shape.slice());
    this.size = size;
    this.dtype = dtype;
    this.storage = storage;
  }

  /**
   * @internal The row-major float32 values. Owned by this array: ops and layers read it and build
   * new arrays; only the library's own updates write to it once it is handed out (backward and
   * zeroGrad into an attached `x.grad`, the Trainer into a Parameter's data), as in MXNet. Only a
   * float32 array has it: the kernels compute in float32.
   */
  get data(): Float32Array {
    if (this.dtype !== 'float32' && !this.widened) {
      throw new GluonError(`expected a float32 array (tsgluon computes in float32; convert with x.astype('float32')), but got a ${this.dtype} array of shape ${formatShape(this.shape)}`);
    }
    // A widened array's storage is a Float64Array (see widened below).
    return this.storage as Float32Array;
  }

  /** @internal Set by `NDArray.widened`. */
  private widened = false;

  /**
   * @internal A float64 array whose `data` serves the float32 code of an operator declared
   * `dtypes: 'same'` (ops/invoke.ts): such code only indexes and computes in JavaScript numbers,
   * so it computes exactly on the integer and float64 values a Float64Array holds.
   */
  static widened(values: Float64Array, shape: readonly number[]): NDArray {
    const array = new NDArray(values, shape, 'float64');
    array.widened = true;
    return array;
  }

  /** @internal The storage of any dtype (float16 as its bits). */
  get values(): Storage {
    return this.storage;
  }

  /** @internal The op that computed this array while recording (see src/autograd/tape.ts). */
  tapeNode: TapeNode | undefined = undefined;
  /** @internal Which output of `tapeNode` this array is. */
  tapeOutput = 0;
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
    if (this.dtype !== 'float32') throw new GluonError(`attachGrad: expected a float32 array (gradients are float32), but got a ${this.dtype} array`);
    if (gradReq !== 'write' && gradReq !== 'add' && gradReq !== 'null') {
      throw new GluonError(`attachGrad: expected gradReq 'write', 'add' or 'null', but got ${describeValue(gradReq)}`);
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

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** A row-major copy of the values as float32 (converted from another dtype). */
  toFloat32Array(): Float32Array {
    return this.dtype === 'float32' ? this.data.slice() : Float32Array.from(toNumbers(this.dtype, this.storage));
  }

  /**
   * A copy of this array in `dtype` (MXNet's `astype`; the same dtype gives a copy too): floats
   * truncate toward zero into integers, integers wrap into narrower integers, anything nonzero
   * is a true bool, float16 rounds to nearest even. Where C's cast is undefined — NaN, an
   * infinity or a float out of the integer's range — it is an error instead. Not recorded by
   * autograd (gradients are float32).
   *
   * @example nd.array([1.7, -1.7, 300]).astype('int32').toArray(); // [1, -1, 300]
   */
  astype(dtype: DType): NDArray {
    const target = checkDType('astype', dtype);
    const values = toNumbers(this.dtype, this.storage);
    return new NDArray(toStorage('astype', target, values, isIntegerDType(this.dtype) || this.dtype === 'bool'), this.shape, target);
  }

  /**
   * The value of a one-element array as a number (MXNet's `asscalar`).
   *
   * @example nd.array([[3]]).asScalar(); // 3
   */
  asScalar(): number {
    if (this.size !== 1) throw new GluonError(`asScalar: expected an array of one element, but got shape ${formatShape(this.shape)}`);
    return toNumbers(this.dtype, this.storage)[0];
  }

  /**
   * This array outside autograd's graph (MXNet's `detach()`): the same storage, no history and
   * no gradient buffer, so no gradient flows back through it.
   *
   * @example const target = autograd.record(() => net(x)).detach(); // a fixed target
   */
  detach(): NDArray {
    return new NDArray(this.storage, this.shape, this.dtype);
  }

  /** The values as nested arrays (a plain number for a 0-d array). */
  toArray(): NestedArray {
    return nest(toNumbers(this.dtype, this.storage), this.shape, 0, 0);
  }

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

function nest(data: ArrayLike<number>, shape: readonly number[], axis: number, offset: number): NestedArray {
  if (axis === shape.length) return data[offset];
  const inner = shapeSize(shape.slice(axis + 1));
  const out: NestedArray[] = [];
  for (let i = 0; i < shape[axis]; i++) out.push(nest(data, shape, axis + 1, offset + i * inner));
  return out;
}
