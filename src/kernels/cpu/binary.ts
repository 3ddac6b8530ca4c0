/**
 * Binary elementwise loops with numpy broadcasting: arithmetic, maximum/minimum, comparisons.
 * One tight, monomorphic loop per function (a shared loop calling a per-element callback is ~8x
 * slower in V8), driven over the runs of a strided plan. Every loop reads an element before it
 * writes the same position, so the output may be one of the inputs when it has the output's shape.
 */
import { shapeSize } from '../../core/shape';
import { addInKernelMemory } from './elementwise_wasm';
import { broadcastStrides, forEachRun, innerStrides, planStrided } from './strided';

/**
 * The arrays the loops run on: float32, or float64 for another dtype's values (ops/invoke.ts
 * computes integer and float64 arrays in float64 with these same loops).
 */
export type Values = Float32Array | Float64Array;

/** Computes `out[o + i] = f(x[xi + i*sx], y[yi + i*sy])` for `i < n`: one run of a binary function. */
export type BinaryKernel = (
  out: Values, o: number,
  x: Values, xi: number, sx: number,
  y: Values, yi: number, sy: number, n: number,
) => void;

/**
 * `out = f(x, y)` over the broadcast `shape` of `xShape` and `yShape` (the caller checked that
 * they broadcast to it); `out` is row-major of `shape`. An addition of same-shape arrays that all
 * lie in the kernel memory (a cached graph's residual addition) runs in the kernel module.
 */
export function binaryBroadcast(
  kernel: BinaryKernel, out: Values, x: Values, xShape: readonly number[], y: Values, yShape: readonly number[],
  shape: readonly number[],
): void {
  const size = shapeSize(shape);
  if (kernel === ADD && shapeSize(xShape) === size && shapeSize(yShape) === size && addInKernelMemory(x, y, out, size)) return;
  const plan = planStrided(shape, broadcastStrides(xShape, shape), broadcastStrides(yShape, shape));
  const [sx, sy] = innerStrides(plan);
  forEachRun(plan, (o, xi, yi, n) => kernel(out, o, x, xi, sx, y, yi, sy, n));
}

// Scalars are read from a one-element array, with a zero stride; kernels run to completion on
// one thread, so one shared slot is safe. A Float64Array keeps the scalar as the caller cast it.
const SCALAR = new Float64Array(1);

/** `out[i] = f(x[i], s)`; the caller casts `s` to the array's dtype first (ops/scalar.ts), as MXNet. */
export function binaryScalar(kernel: BinaryKernel, out: Values, x: Values, s: number): void {
  SCALAR[0] = s;
  kernel(out, 0, x, 0, 1, SCALAR, 0, 0, x.length);
}

/** `out[i] = f(s, x[i])`: the reversed form (`s - x`, `s / x`). */
export function scalarBinary(kernel: BinaryKernel, out: Values, s: number, x: Values): void {
  SCALAR[0] = s;
  kernel(out, 0, SCALAR, 0, 0, x, 0, 1, x.length);
}

export const ADD: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] + y[yi];
};
export const SUBTRACT: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] - y[yi];
};
export const MULTIPLY: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] * y[yi];
};
export const DIVIDE: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] / y[yi];
};
export const POWER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] ** y[yi];
};
// V8 compiles `?:` to a branch, which mispredicts on random data (about 3x slower), so the
// selecting kernels pick from a 2-slot table with a 0/1 flag: PICK[0] = y, PICK[1] = x.
const PICK = new Float64Array(2);
// NaN propagates from either side, as numpy's maximum/minimum: a NaN x is picked by the flag,
// a NaN y by default since no comparison with it is true.
export const MAXIMUM: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) {
    const p = x[xi];
    const q = y[yi];
    PICK[0] = q;
    PICK[1] = p;
    out[o + i] = PICK[+(p > q) | +(p !== p)];
  }
};
export const MINIMUM: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) {
    const p = x[xi];
    const q = y[yi];
    PICK[0] = q;
    PICK[1] = p;
    out[o + i] = PICK[+(p < q) | +(p !== p)];
  }
};
// `+(a > b)` compiles to a flag set (setcc), not a branch; see PICK above.
export const EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] === y[yi]);
};
export const NOT_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] !== y[yi]);
};
export const GREATER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] > y[yi]);
};
export const GREATER_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] >= y[yi]);
};
export const LESSER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] < y[yi]);
};
export const LESSER_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] <= y[yi]);
};
// Logical operators as C's `a && b` on floats: every nonzero value, NaN included, is true.
export const LOGICAL_AND: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] !== 0) & +(y[yi] !== 0);
};
export const LOGICAL_OR: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] !== 0) | +(y[yi] !== 0);
};
export const LOGICAL_XOR: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] !== 0) ^ +(y[yi] !== 0);
};
/** √(x² + y²) without overflow or underflow in between, in float64 (C's hypot, rounded once). */
export const HYPOT: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = Math.hypot(x[xi], y[yi]);
};

/**
 * MXNet's `mod` (mshadow_op::mod): Python's a % b, the sign of b, built from C's fmod in float64
 * (JavaScript's %, exact) and rounded once; 0 where b = 0 (not NaN). Written as MXNet's branches,
 * so the signed zeros agree too.
 */
function pythonMod(a: number, b: number): number {
  if (b === 0) return 0;
  if (b < 0) {
    if (a < 0) return -(-a % -b);
    const r = a % -b;
    return r + (r !== 0 ? b : 0);
  }
  if (a < 0) {
    const r = -a % b;
    return -r + (r !== 0 ? b : 0);
  }
  return a % b;
}
export const MOD: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = pythonMod(x[xi], y[yi]);
};

/**
 * MXNet's `smooth_l1` of x with σ = y: ½(σx)² where |x| ≤ 1/σ², else |x| − ½/σ² (the Huber loss
 * at δ = 1/σ², scaled by σ²); in float64. σ = 0 gives 0 (NaN at x = ±Infinity), as MXNet.
 */
export const SMOOTH_L1: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) {
    const v = x[xi];
    const s2 = y[yi] * y[yi];
    const bound = 1 / s2;
    out[o + i] = Math.abs(v) > bound ? Math.abs(v) - 0.5 * bound : 0.5 * v * v * s2;
  }
};
