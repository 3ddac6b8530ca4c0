/**
 * The arithmetic methods of NDArray and Symbol (`x.add(y)`, `x.sum(1, true)`, `x.reshape([0, -1])`):
 * one-line delegations to the operators, installed on both prototypes from one definition so a
 * hybridForward reads the same whether F is `nd` or `sym`. Methods keep Gluon's positional
 * arguments (`x.sum(axis, keepdims)`); the `nd.X` functions take MXNet's options objects.
 */
import { checkIntAtLeast } from '../core/checks';
import type { DotOptions } from './dot';
import type { OperatorSignatures } from './signatures';

/** Axis arguments of the reduction methods: one axis, several, or every axis when absent. */
export type AxisSpec = number | readonly number[] | undefined;

/** The methods every tensor (NDArray, Symbol) has; each returns a new tensor. */
export interface TensorMethods<T> {
  /** `nd.add(this, y)`: elementwise sum with broadcasting; `y` may be a number. */
  add(y: T | number): T;
  /** `nd.subtract(this, y)`. */
  sub(y: T | number): T;
  /** `nd.multiply(this, y)`. */
  mul(y: T | number): T;
  /** `nd.divide(this, y)`. */
  div(y: T | number): T;
  /** `nd.power(this, y)`. */
  pow(y: T | number): T;
  /** `nd.negative(this)`. */
  neg(): T;
  /** `nd.abs(this)`. */
  abs(): T;
  /** `nd.exp(this)`. */
  exp(): T;
  /**
   * Gluon's `x[i]`: the i-th item along the first axis (negative counts from the end), shape
   * `shape[1:]` (a 1-D array gives shape (1,), as MXNet's legacy NDArray). Differentiable.
   * @example nd.array([[1, 2], [3, 4]]).at(-1).toArray(); // [3, 4]
   */
  at(index: number): T;
  /**
   * Gluon's `x[b0:e0:s0, b1:e1:s1, …]` (MXNet's `slice`): per leading axis, `begin`/`end`/`step`
   * with null for "from the start"/"to the end"/1. Differentiable.
   * @example nd.arange(0, 6).reshape([2, 3]).slice([null, 1], [null, null]).toArray(); // [[1, 2], [4, 5]]
   */
  slice(begin: readonly (number | null)[], end: readonly (number | null)[], step?: readonly (number | null)[]): T;
  /**
   * MXNet's `x[b0:e0:s0, …] = value` as a new array (`nd.sliceAssign`; this array is unchanged):
   * the slice replaced by `value`, an array of the slice's shape or a number.
   * @example nd.zeros([2, 3]).sliceAssign(7, [null, 1], [null, 2]).toArray(); // [[0, 7, 0], [0, 7, 0]]
   */
  sliceAssign(value: T | number, begin: readonly (number | null)[], end: readonly (number | null)[], step?: readonly (number | null)[]): T;
  /** `nd.log(this)`. */
  log(): T;
  /** `nd.sqrt(this)`. */
  sqrt(): T;
  /** `nd.square(this)`. */
  square(): T;
  /** `nd.relu(this)`. */
  relu(): T;
  /** `nd.sigmoid(this)`. */
  sigmoid(): T;
  /** `nd.tanh(this)`. */
  tanh(): T;
  /** `nd.softmax(this, { axis })`: along the last axis when `axis` is absent. */
  softmax(axis?: number): T;
  /** `nd.clip(this, { aMin: min, aMax: max })`. */
  clip(min: number, max: number): T;
  /** `nd.sum(this, { axis, keepdims })`: every axis when `axis` is absent. */
  sum(axis?: AxisSpec, keepdims?: boolean): T;
  /** `nd.mean(this, { axis, keepdims })`. */
  mean(axis?: AxisSpec, keepdims?: boolean): T;
  /** `nd.max(this, { axis, keepdims })`. */
  max(axis?: AxisSpec, keepdims?: boolean): T;
  /** `nd.min(this, { axis, keepdims })`. */
  min(axis?: AxisSpec, keepdims?: boolean): T;
  /** `nd.argmax(this, { axis, keepdims })`: float32 indices; of the flattened array when `axis` is absent. */
  argmax(axis?: number, keepdims?: boolean): T;
  /** `nd.argmin(this, { axis, keepdims })`. */
  argmin(axis?: number, keepdims?: boolean): T;
  /** `nd.reshape(this, { shape })`, as `x.reshape([2, 3])` or `x.reshape(2, 3)`; 0 copies a dimension, -1 infers one. */
  reshape(shape: readonly number[] | number, ...rest: number[]): T;
  /** `nd.transpose(this, { axes })`: reverses the axes when `axes` is absent. */
  transpose(axes?: readonly number[]): T;
  /** `nd.swapaxes(this, { dim1: axis1, dim2: axis2 })`. */
  swapaxes(axis1: number, axis2: number): T;
  /** `nd.expandDims(this, { axis })`. */
  expandDims(axis: number): T;
  /** `nd.squeeze(this, { axis })`: every length-1 axis when `axis` is absent. */
  squeeze(axis?: number | readonly number[]): T;
  /** `nd.Flatten(this)`: (N, d1, …) → (N, d1·…). */
  flatten(): T;
  /** `nd.broadcastTo(this, { shape })`. */
  broadcastTo(shape: readonly number[]): T;
  /** `nd.copy(this)`: a new array with the same values. */
  copy(): T;
  /** `nd.dot(this, y, options)`: the matrix product (see `nd.dot` for N-D operands and the transpose flags). */
  dot(y: T, options?: DotOptions): T;
}

/** The method implementations over an operator namespace, to assign to a tensor class's prototype. */
export function tensorMethods<T>(F: OperatorSignatures<T>): TensorMethods<T> & ThisType<T> {
  const axisOptions = (axis: AxisSpec | number, keepdims?: boolean) => ({ axis: axis ?? null, keepdims: keepdims ?? false });
  return {
    add(this: T, y: T | number) { return F.add(this, y); },
    sub(this: T, y: T | number) { return F.subtract(this, y); },
    mul(this: T, y: T | number) { return F.multiply(this, y); },
    div(this: T, y: T | number) { return F.divide(this, y); },
    pow(this: T, y: T | number) { return F.power(this, y); },
    neg(this: T) { return F.negative(this); },
    abs(this: T) { return F.abs(this); },
    exp(this: T) { return F.exp(this); },
    at(this: T, index: number) {
      checkIntAtLeast('at', 'index', index, -Infinity);
      return F.squeeze(F.sliceAxis(this, { axis: 0, begin: index, end: index === -1 ? null : index + 1 }), { axis: 0 });
    },
    slice(this: T, begin: readonly (number | null)[], end: readonly (number | null)[], step?: readonly (number | null)[]) {
      return F.slice(this, step === undefined ? { begin, end } : { begin, end, step });
    },
    sliceAssign(this: T, value: T | number, begin: readonly (number | null)[], end: readonly (number | null)[], step?: readonly (number | null)[]) {
      const region = step === undefined ? { begin, end } : { begin, end, step };
      return typeof value === 'number' ? F.sliceAssignScalar(this, { ...region, scalar: value }) : F.sliceAssign(this, value, region);
    },
    log(this: T) { return F.log(this); },
    sqrt(this: T) { return F.sqrt(this); },
    square(this: T) { return F.square(this); },
    relu(this: T) { return F.relu(this); },
    sigmoid(this: T) { return F.sigmoid(this); },
    tanh(this: T) { return F.tanh(this); },
    softmax(this: T, axis?: number) { return F.softmax(this, axis === undefined ? {} : { axis }); },
    clip(this: T, min: number, max: number) { return F.clip(this, { aMin: min, aMax: max }); },
    sum(this: T, axis?: AxisSpec, keepdims?: boolean) { return F.sum(this, axisOptions(axis, keepdims)); },
    mean(this: T, axis?: AxisSpec, keepdims?: boolean) { return F.mean(this, axisOptions(axis, keepdims)); },
    max(this: T, axis?: AxisSpec, keepdims?: boolean) { return F.max(this, axisOptions(axis, keepdims)); },
    min(this: T, axis?: AxisSpec, keepdims?: boolean) { return F.min(this, axisOptions(axis, keepdims)); },
    argmax(this: T, axis?: number, keepdims?: boolean) { return F.argmax(this, { axis: axis ?? null, keepdims: keepdims ?? false }); },
    argmin(this: T, axis?: number, keepdims?: boolean) { return F.argmin(this, { axis: axis ?? null, keepdims: keepdims ?? false }); },
    reshape(this: T, shape: readonly number[] | number, ...rest: number[]) {
      return F.reshape(this, { shape: typeof shape === 'number' ? [shape, ...rest] : shape });
    },
    transpose(this: T, axes?: readonly number[]) { return F.transpose(this, { axes: axes ?? [] }); },
    swapaxes(this: T, axis1: number, axis2: number) { return F.swapaxes(this, { dim1: axis1, dim2: axis2 }); },
    expandDims(this: T, axis: number) { return F.expandDims(this, { axis }); },
    squeeze(this: T, axis?: number | readonly number[]) { return F.squeeze(this, { axis: axis ?? null }); },
    flatten(this: T) { return F.Flatten(this); },
    broadcastTo(this: T, shape: readonly number[]) { return F.broadcastTo(this, { shape }); },
    copy(this: T) { return F.copy(this); },
    dot(this: T, y: T, options?: DotOptions) { return F.dot(this, y, options); },
  };
}
