/**
 * Elementwise operators of an array and a number, MXNet's `_*_scalar` family (`x + 2` is
 * `_plus_scalar(x, scalar=2)`, `2 - x` is `_rminus_scalar(x, scalar=2)`). The scalar is cast to
 * the array's dtype first, as MXNet's `DType(scalar)` — rounded to float32 for a float32 array, so
 * each result equals the broadcast operator's on an array of the same value; truncated toward
 * zero for an integer array (`x + 2.7` adds 2 to an int32 x, as MXNet).
 *
 * Gradients: plus/minus dy; rminus −dy; mul dy·s; div dy/s; rdiv −dy·out/x; power dy·s·x^(s−1);
 * rpower dy·out·ln s; maximum dy where x ≥ s, minimum dy where x ≤ s (a tie to the array, as
 * MXNet's `_backward_maximum_scalar`); hypot dy·x/out; mod dy; rmod −dy·⌊s/x⌋; comparisons and
 * logical operators are piecewise constant. `smooth_l1` shares the attributes and is here too.
 */
import * as k from '../kernels/cpu/binary';
import { DType, roundToHalf } from '../ndarray/dtype';
import type { NDArray } from '../ndarray/ndarray';
import { boolAttr, floatAttr } from './attrs';
import type { Nd } from './nd';
import { Operator, defineOperator } from './operator';

/** MXNet 1.9's: `scalar` (a double, default 1) and `is_int` (numpy integer arrays only: ignored for float32). */
const SCALAR_ATTRS = { scalar: floatAttr({ finite: false, default: 1 }), isInt: boolAttr({ default: true, ignored: true }) };

/** The gradient of x given dy, x, the output and s. */
type ScalarPartial = (dy: NDArray, x: NDArray, out: NDArray, s: number, F: Nd) => NDArray;

function scalarOperator(name: string, aliases: readonly string[], kernel: k.BinaryKernel, reversed: boolean, partial: ScalarPartial | 'constant'): Operator {
  return defineOperator({
    name,
    aliases,
    attrs: SCALAR_ATTRS,
    inputs: ['data'],
    inplace: [[0, 0]],
    inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[0]] }),
    dtypes: 'same',
    forward: ({ attrs, inputs: [x], outputs: [out], dtype }) => {
      const s = castScalar(attrs.scalar, dtype);
      if (reversed) k.scalarBinary(kernel, out.data, s, x.data);
      else k.binaryScalar(kernel, out.data, x.data, s);
    },
    backward: partial === 'constant' ? 'constant' : ({ attrs, inputs: [x], outputs: [out], outputGrads: [dy] }, F) => [
      partial(dy, x, out, Math.fround(attrs.scalar), F),
    ],
  });
}

/** `DType(s)` as MXNet casts a scalar attribute to the array's type (C++'s truncation for integers). */
function castScalar(s: number, dtype: DType = 'float32'): number {
  if (dtype === 'float32') return Math.fround(s);
  if (dtype === 'float64') return s;
  if (dtype === 'float16') return roundToHalf(s);
  if (dtype === 'bool') return s !== 0 ? 1 : 0;
  return Math.trunc(s);
}

const PASS: ScalarPartial = (dy) => dy;

/** The `_*_scalar` operators by the frontend they serve. */
export const SCALAR = {
  plus: scalarOperator('_plus_scalar', ['_PlusScalar'], k.ADD, false, PASS),
  minus: scalarOperator('_minus_scalar', ['_MinusScalar'], k.SUBTRACT, false, PASS),
  rminus: scalarOperator('_rminus_scalar', ['_RMinusScalar'], k.SUBTRACT, true, (dy, _x, _o, _s, F) => F.negative(dy)),
  mul: scalarOperator('_mul_scalar', ['_MulScalar'], k.MULTIPLY, false, (dy, _x, _o, s, F) => F.multiply(dy, s)),
  div: scalarOperator('_div_scalar', ['_DivScalar'], k.DIVIDE, false, (dy, _x, _o, s, F) => F.divide(dy, s)),
  rdiv: scalarOperator('_rdiv_scalar', ['_RDivScalar'], k.DIVIDE, true, (dy, x, out, _s, F) => F.negative(F.divide(F.multiply(dy, out), x))),
  power: scalarOperator('_power_scalar', ['_PowerScalar'], k.POWER, false, (dy, x, _o, s, F) => F.multiply(F.multiply(dy, s), F.power(x, s - 1))),
  rpower: scalarOperator('_rpower_scalar', ['_RPowerScalar'], k.POWER, true, (dy, _x, out, s, F) => F.multiply(F.multiply(dy, out), Math.log(s))),
  maximum: scalarOperator('_maximum_scalar', ['_MaximumScalar'], k.MAXIMUM, false, (dy, x, _o, s, F) => F.multiply(dy, F.greaterEqual(x, s))),
  minimum: scalarOperator('_minimum_scalar', ['_MinimumScalar'], k.MINIMUM, false, (dy, x, _o, s, F) => F.multiply(dy, F.lesserEqual(x, s))),
  equal: scalarOperator('_equal_scalar', ['_EqualScalar'], k.EQUAL, false, 'constant'),
  notEqual: scalarOperator('_not_equal_scalar', ['_NotEqualScalar'], k.NOT_EQUAL, false, 'constant'),
  greater: scalarOperator('_greater_scalar', ['_GreaterScalar'], k.GREATER, false, 'constant'),
  greaterEqual: scalarOperator('_greater_equal_scalar', ['_GreaterEqualScalar'], k.GREATER_EQUAL, false, 'constant'),
  lesser: scalarOperator('_lesser_scalar', ['_LesserScalar'], k.LESSER, false, 'constant'),
  lesserEqual: scalarOperator('_lesser_equal_scalar', ['_LesserEqualScalar'], k.LESSER_EQUAL, false, 'constant'),
  logicalAnd: scalarOperator('_logical_and_scalar', ['_LogicalAndScalar'], k.LOGICAL_AND, false, 'constant'),
  logicalOr: scalarOperator('_logical_or_scalar', ['_LogicalOrScalar'], k.LOGICAL_OR, false, 'constant'),
  logicalXor: scalarOperator('_logical_xor_scalar', ['_LogicalXorScalar'], k.LOGICAL_XOR, false, 'constant'),
  hypot: scalarOperator('_hypot_scalar', ['_HypotScalar', '_npi_hypot_scalar'], k.HYPOT, false, (dy, x, out, _s, F) => F.divide(F.multiply(dy, x), out)),
  mod: scalarOperator('_mod_scalar', ['_ModScalar'], k.MOD, false, PASS),
  rmod: scalarOperator('_rmod_scalar', ['_RModScalar'], k.MOD, true, (dy, x, _o, s, F) => F.negative(F.multiply(dy, F.floor(F.divide(s, x))))),
} as const;

/**
 * MXNet's `smooth_l1(data, scalar=σ)`: ½(σx)² where |x| ≤ 1/σ², else |x| − ½/σ² (σ rounded to
 * float32, default 1). Gradient, as MXNet's `_backward_smooth_l1`: dy·σ²x inside, dy·sign(x)
 * outside — that is dy·clip(σ²x, −1, 1), which is differentiable again.
 */
export const SMOOTH_L1 = scalarOperator('smooth_l1', ['_npx_smooth_l1'], k.SMOOTH_L1, false, (dy, x, _o, s, F) =>
  F.multiply(dy, F.clip(F.multiply(x, s * s), { aMin: -1, aMax: 1 })));
