/**
 * Float64 references for the shape ops' gradient checks (concat, sliceAxis, broadcastTo, plain
 * reshapes), written on explicit multi-indices like test/helpers/naive_ops.ts, and
 * `checkAgainst`, which runs `checkGradient` with a reference written on `Ref` tensors.
 */
import { NDArray } from '../../src/ndarray/ndarray';
import { checkGradient, GradientCheckOptions } from './gradient_check';
import { Ref, naiveBinary, ravel, sizeOf, unravel } from './naive_ops';

/**
 * Checks `op`'s gradient with respect to every input against central differences of `ref`, a
 * float64 reference of the same maths on `Ref` tensors (given the inputs' shapes). First
 * asserts that the reference produces the op's output shape, so the two cannot silently
 * disagree on the layout the head gradient is laid over.
 */
export function checkAgainst(
  op: (...inputs: NDArray[]) => NDArray,
  inputs: NDArray[],
  ref: (...inputs: Ref[]) => Ref,
  options: Omit<GradientCheckOptions, 'reference64'> = {},
): void {
  const shapes = inputs.map((x) => x.shape.slice());
  const asRefs = (xs: ArrayLike<number>[]): Ref[] => xs.map((x, i) => ({ shape: shapes[i], data: Array.from(x) }));
  expect(ref(...asRefs(inputs.map((x) => x.data))).shape).toEqual(op(...inputs).shape);
  checkGradient(op, inputs, { ...options, reference64: (...xs) => ref(...asRefs(xs)).data });
}

/** The same values in another shape (reshape, flatten, expandDims, squeeze). */
export function naiveReshape(a: Ref, shape: number[]): Ref {
  if (sizeOf(shape) !== a.data.length) throw new Error('reference: reshape changes the size');
  return { shape, data: a.data.slice() };
}

/** numpy's broadcast_to, as a broadcast against zeros of the target shape that keeps the lhs. */
export function naiveBroadcastTo(a: Ref, shape: number[]): Ref {
  return naiveBinary((x) => x, a, { shape, data: new Array<number>(sizeOf(shape)).fill(0) });
}

/** Concatenation along `axis`: output index i on that axis reads the array whose range holds i. */
export function naiveConcat(arrays: Ref[], axis: number): Ref {
  const shape = arrays[0].shape.slice();
  shape[axis] = arrays.reduce((total, x) => total + x.shape[axis], 0);
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const index = unravel(flat, shape);
    let k = 0;
    while (index[axis] >= arrays[k].shape[axis]) index[axis] -= arrays[k++].shape[axis];
    data.push(arrays[k].data[ravel(index, arrays[k].shape)]);
  }
  return { shape, data };
}

/** The slice [begin, end) along `axis` (non-negative bounds). */
export function naiveSliceAxis(a: Ref, axis: number, begin: number, end: number): Ref {
  const shape = a.shape.slice();
  shape[axis] = end - begin;
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const index = unravel(flat, shape);
    index[axis] += begin;
    data.push(a.data[ravel(index, a.shape)]);
  }
  return { shape, data };
}
