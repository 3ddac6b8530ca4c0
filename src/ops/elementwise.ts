/**
 * Binary elementwise operators on two arrays: MXNet's `broadcast_*` family (numpy broadcasting)
 * and `elemwise_*` family (equal shapes), over the loops of kernels/cpu/binary.ts.
 *
 * Gradients (each operand's partial summed back over the axes it was broadcast along):
 * add da = db = dy; sub da = dy, db = −dy; mul da = dy·b, db = dy·a; div da = dy/b,
 * db = −dy·out/b; power da = dy·b·a^(b−1), db = dy·out·ln a; maximum/minimum route dy to the
 * chosen operand (a tie to the first, as MXNet); hypot da = dy·a/out, db = dy·b/out (NaN at
 * a = b = 0, as MXNet); mod da = dy, db = −dy·⌊a/b⌋ (MXNet's mod_grad and mod_rgrad, with a/b
 * rounded to float32 first as they do). Comparisons and logical operators are piecewise constant.
 */
import { GluonError, formatShape } from '../core/errors';
import { broadcastShape, shapesEqual } from '../core/shape';
import * as k from '../kernels/cpu/binary';
import type { NDArray } from '../ndarray/ndarray';
import type { Nd } from './nd';
import { BackwardContext, MaybeShape, Operator, ShapeInference, defineOperator } from './operator';
import { reduceToShape } from './reduce_to_shape';

type Partials = (ctx: BackwardContext<unknown, unknown, unknown>, F: Nd) => [NDArray | undefined, NDArray | undefined];

/** Output shape of a broadcast: numpy's rule; unknown until both inputs are known. */
function broadcastInference(shapes: readonly MaybeShape[], who: string): ShapeInference {
  const [a, b] = shapes;
  if (a === undefined || b === undefined) return { inputs: shapes, outputs: [undefined] };
  return { inputs: shapes, outputs: [broadcastShape(who, a, b)] };
}

/** Equal shapes required; either input (or the output) tells the other. */
function elemwiseInference(shapes: readonly MaybeShape[], who: string): ShapeInference {
  const known = shapes[0] ?? shapes[1];
  if (known === undefined) return { inputs: shapes, outputs: [undefined] };
  shapes.forEach((s) => {
    if (s !== undefined && !shapesEqual(s, known)) {
      throw new GluonError(`${who}: expected operands of the same shape, but got ${formatShape(shapes[0] ?? [])} and ${formatShape(shapes[1] ?? [])}`);
    }
  });
  return { inputs: [known, known], outputs: [known] };
}

function binaryOperator(name: string, aliases: readonly string[], kernel: k.BinaryKernel, partials: Partials | 'constant', broadcast: boolean): Operator {
  return defineOperator({
    name,
    aliases,
    attrs: {},
    anyAttrs: true,
    inputs: ['lhs', 'rhs'],
    inplace: [[0, 0], [1, 0]],
    dtypes: 'same',
    inferShape: (_, shapes, who) => (broadcast ? broadcastInference(shapes, who) : elemwiseInference(shapes, who)),
    forward: ({ inputs: [a, b], outputs: [out] }) => k.binaryBroadcast(kernel, out.data, a.data, a.shape, b.data, b.shape, out.shape),
    backward: partials === 'constant' ? 'constant' : (ctx, F) => {
      const [a, b] = ctx.inputs;
      const [da, db] = partials(ctx, F);
      return [
        ctx.needsGrad[0] && da !== undefined ? reduceToShape(F, da, a) : undefined,
        ctx.needsGrad[1] && db !== undefined ? reduceToShape(F, db, b) : undefined,
      ];
    },
  });
}

const ADD: Partials = ({ outputGrads: [dy] }) => [dy, dy];
const SUB: Partials = ({ outputGrads: [dy], needsGrad }, F) => [dy, needsGrad[1] ? F.negative(dy) : undefined];
const MUL: Partials = ({ outputGrads: [dy], inputs: [a, b], needsGrad }, F) => [
  needsGrad[0] ? F.multiply(dy, b) : undefined,
  needsGrad[1] ? F.multiply(dy, a) : undefined,
];
const DIV: Partials = ({ outputGrads: [dy], inputs: [, b], outputs: [out], needsGrad }, F) => [
  needsGrad[0] ? F.divide(dy, b) : undefined,
  needsGrad[1] ? F.negative(F.divide(F.multiply(dy, out), b)) : undefined,
];
const POW: Partials = ({ outputGrads: [dy], inputs: [a, b], outputs: [out], needsGrad }, F) => [
  needsGrad[0] ? F.multiply(F.multiply(dy, b), F.power(a, F.subtract(b, 1))) : undefined,
  needsGrad[1] ? F.multiply(F.multiply(dy, out), F.log(a)) : undefined,
];
const MAX: Partials = ({ outputGrads: [dy], inputs: [a, b], needsGrad }, F) => [
  needsGrad[0] ? F.multiply(dy, F.greaterEqual(a, b)) : undefined,
  needsGrad[1] ? F.multiply(dy, F.lesser(a, b)) : undefined,
];
const MIN: Partials = ({ outputGrads: [dy], inputs: [a, b], needsGrad }, F) => [
  needsGrad[0] ? F.multiply(dy, F.lesserEqual(a, b)) : undefined,
  needsGrad[1] ? F.multiply(dy, F.greater(a, b)) : undefined,
];

const HYPOT: Partials = ({ outputGrads: [dy], inputs: [a, b], outputs: [out], needsGrad }, F) => [
  needsGrad[0] ? F.divide(F.multiply(dy, a), out) : undefined,
  needsGrad[1] ? F.divide(F.multiply(dy, b), out) : undefined,
];
const MOD: Partials = ({ outputGrads: [dy], inputs: [a, b], needsGrad }, F) => [
  needsGrad[0] ? dy : undefined,
  needsGrad[1] ? F.negative(F.multiply(dy, F.floor(F.divide(a, b)))) : undefined,
];

/** MXNet's `broadcast_*` operators: numpy broadcasting of both operands. */
export const BROADCAST = {
  add: binaryOperator('broadcast_add', ['broadcast_plus'], k.ADD, ADD, true),
  sub: binaryOperator('broadcast_sub', ['broadcast_minus'], k.SUBTRACT, SUB, true),
  mul: binaryOperator('broadcast_mul', [], k.MULTIPLY, MUL, true),
  div: binaryOperator('broadcast_div', [], k.DIVIDE, DIV, true),
  power: binaryOperator('broadcast_power', [], k.POWER, POW, true),
  maximum: binaryOperator('broadcast_maximum', [], k.MAXIMUM, MAX, true),
  minimum: binaryOperator('broadcast_minimum', [], k.MINIMUM, MIN, true),
  equal: binaryOperator('broadcast_equal', [], k.EQUAL, 'constant', true),
  notEqual: binaryOperator('broadcast_not_equal', [], k.NOT_EQUAL, 'constant', true),
  greater: binaryOperator('broadcast_greater', [], k.GREATER, 'constant', true),
  greaterEqual: binaryOperator('broadcast_greater_equal', [], k.GREATER_EQUAL, 'constant', true),
  lesser: binaryOperator('broadcast_lesser', [], k.LESSER, 'constant', true),
  lesserEqual: binaryOperator('broadcast_lesser_equal', [], k.LESSER_EQUAL, 'constant', true),
  logicalAnd: binaryOperator('broadcast_logical_and', [], k.LOGICAL_AND, 'constant', true),
  logicalOr: binaryOperator('broadcast_logical_or', [], k.LOGICAL_OR, 'constant', true),
  logicalXor: binaryOperator('broadcast_logical_xor', [], k.LOGICAL_XOR, 'constant', true),
  hypot: binaryOperator('broadcast_hypot', [], k.HYPOT, HYPOT, true),
  mod: binaryOperator('broadcast_mod', [], k.MOD, MOD, true),
} as const;

/**
 * MXNet's `elemwise_*` operators and its other same-shape binary operators (`_equal`, `_mod`,
 * `_hypot`, …: what MXNet's Symbol writes for `a == b`, `a % b`, `sym.hypot(a, b)`), with their
 * legacy names (`_Plus`, `_Equal`, `_Mod`, …); both operands of the same shape.
 */
export const ELEMWISE = {
  add: binaryOperator('elemwise_add', ['_add', '_plus', '_Plus'], k.ADD, ADD, false),
  sub: binaryOperator('elemwise_sub', ['_sub', '_minus', '_Minus'], k.SUBTRACT, SUB, false),
  mul: binaryOperator('elemwise_mul', ['_mul', '_Mul'], k.MULTIPLY, MUL, false),
  div: binaryOperator('elemwise_div', ['_div', '_Div'], k.DIVIDE, DIV, false),
  equal: binaryOperator('_equal', ['_Equal'], k.EQUAL, 'constant', false),
  notEqual: binaryOperator('_not_equal', ['_Not_Equal'], k.NOT_EQUAL, 'constant', false),
  greater: binaryOperator('_greater', ['_Greater'], k.GREATER, 'constant', false),
  greaterEqual: binaryOperator('_greater_equal', ['_Greater_Equal'], k.GREATER_EQUAL, 'constant', false),
  lesser: binaryOperator('_lesser', ['_Lesser'], k.LESSER, 'constant', false),
  lesserEqual: binaryOperator('_lesser_equal', ['_Lesser_Equal'], k.LESSER_EQUAL, 'constant', false),
  logicalAnd: binaryOperator('_logical_and', ['_Logical_And'], k.LOGICAL_AND, 'constant', false),
  logicalOr: binaryOperator('_logical_or', ['_Logical_Or'], k.LOGICAL_OR, 'constant', false),
  logicalXor: binaryOperator('_logical_xor', ['_Logical_Xor'], k.LOGICAL_XOR, 'constant', false),
  hypot: binaryOperator('_hypot', ['_Hypot'], k.HYPOT, HYPOT, false),
  mod: binaryOperator('_mod', ['_Mod'], k.MOD, MOD, false),
} as const;
