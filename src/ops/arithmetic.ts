/**
 * The arithmetic frontends: numpy-style functions whose operands are arrays or numbers
 * (`nd.add(x, 1)`, `nd.subtract(1, x)`), each choosing MXNet's operator for the operand types —
 * `broadcast_add` for two arrays, `_plus_scalar` for an array and a number, the reversed form
 * (`_rminus_scalar`) for a number first — plus MXNet's named `broadcast_*` and `elemwise_*`
 * operators. `F.add` inside a hybridForward therefore records the same operator as `nd.add`.
 */
import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';
import { BROADCAST, ELEMWISE } from './elementwise';
import { Frontend, FrontendTable, NameOption, OpCaller, standard } from './frontend';
import { Operator } from './operator';
import { SCALAR } from './scalar';

/**
 * The arithmetic of `nd` and `sym` (T is NDArray or Symbol). Binary operands broadcast as numpy:
 * shapes align at the last axis and each pair of dimensions must be equal or 1. A number operand
 * is rounded to float32 first and gets no gradient.
 */
export interface ArithmeticSignatures<T> {
  /**
   * `a + b` elementwise with broadcasting; either operand may be a number. Gradient: dy to each,
   * summed over the axes it was broadcast along.
   * @example nd.add(nd.array([[1, 2], [3, 4]]), nd.array([10, 20])).toArray(); // [[11, 22], [13, 24]]
   */
  add(lhs: T | number, rhs: T | number): T;
  /** `a - b` elementwise with broadcasting. Gradient: da = dy, db = −dy. @example nd.subtract(1, nd.array([1, 2])).toArray(); // [0, -1] */
  subtract(lhs: T | number, rhs: T | number): T;
  /** `a · b` elementwise with broadcasting. Gradient: da = dy·b, db = dy·a. @example nd.multiply(nd.array([[1], [2]]), nd.array([3, 4])).toArray(); // [[3, 4], [6, 8]] */
  multiply(lhs: T | number, rhs: T | number): T;
  /** `a / b` elementwise with broadcasting (IEEE: x/0 is ±Infinity). Gradient: da = dy/b, db = −dy·(a/b)/b. @example nd.divide(nd.array([1, 2]), 4).toArray(); // [0.25, 0.5] */
  divide(lhs: T | number, rhs: T | number): T;
  /** `a ** b` elementwise with broadcasting. Gradient: da = dy·b·a^(b−1), db = dy·a^b·ln a (NaN for a ≤ 0, as MXNet). @example nd.power(nd.array([2, 3]), 2).toArray(); // [4, 9] */
  power(lhs: T | number, rhs: T | number): T;
  /** `max(a, b)` elementwise; NaN on either side gives NaN. Gradient to a where a ≥ b (a tie goes to the first operand), else to b. @example nd.maximum(nd.array([1, 5]), 3).toArray(); // [3, 5] */
  maximum(lhs: T | number, rhs: T | number): T;
  /** `min(a, b)` elementwise. Gradient to a where a ≤ b, else to b. @example nd.minimum(nd.array([1, 5]), 3).toArray(); // [1, 3] */
  minimum(lhs: T | number, rhs: T | number): T;
  /** `a == b` as 1 or 0 (MXNet's `broadcast_equal`); no gradient. @example nd.equal(nd.array([1, 2]), 2).toArray(); // [0, 1] */
  equal(lhs: T | number, rhs: T | number): T;
  /** `a != b` as 1 or 0. @example nd.notEqual(nd.array([1, 2]), 2).toArray(); // [1, 0] */
  notEqual(lhs: T | number, rhs: T | number): T;
  /** `a > b` as 1 or 0. @example nd.greater(nd.array([1, 2, 3]), 2).toArray(); // [0, 0, 1] */
  greater(lhs: T | number, rhs: T | number): T;
  /** `a >= b` as 1 or 0. @example nd.greaterEqual(nd.array([1, 2, 3]), 2).toArray(); // [0, 1, 1] */
  greaterEqual(lhs: T | number, rhs: T | number): T;
  /** `a < b` as 1 or 0. @example nd.lesser(nd.array([1, 2, 3]), 2).toArray(); // [1, 0, 0] */
  lesser(lhs: T | number, rhs: T | number): T;
  /** `a <= b` as 1 or 0. @example nd.lesserEqual(nd.array([1, 2, 3]), 2).toArray(); // [1, 1, 0] */
  lesserEqual(lhs: T | number, rhs: T | number): T;
  /**
   * `a && b` as 1 or 0, any nonzero value (NaN included) counting as true (MXNet's
   * `broadcast_logical_and`, `_logical_and_scalar`); no gradient.
   * @example nd.logicalAnd(nd.array([0, 1, 2]), nd.array([1, 1, 0])).toArray(); // [0, 1, 0]
   */
  logicalAnd(lhs: T | number, rhs: T | number): T;
  /** `a || b` as 1 or 0 (as `logicalAnd`). @example nd.logicalOr(nd.array([0, 0, 2]), nd.array([0, 1, 0])).toArray(); // [0, 1, 1] */
  logicalOr(lhs: T | number, rhs: T | number): T;
  /** Exactly one of a, b nonzero, as 1 or 0 (as `logicalAnd`). @example nd.logicalXor(nd.array([0, 1, 2]), 1).toArray(); // [1, 0, 0] */
  logicalXor(lhs: T | number, rhs: T | number): T;
  /**
   * `√(a² + b²)` elementwise with broadcasting, without overflow in between (MXNet's
   * `broadcast_hypot`, `_hypot_scalar`). Gradient: da = dy·a/out, db = dy·b/out (NaN at a = b = 0, as MXNet).
   * @example nd.hypot(nd.array([3, 5]), nd.array([4, 12])).toArray(); // [5, 13]
   */
  hypot(lhs: T | number, rhs: T | number): T;
  /**
   * `a mod b` with the sign of b, as Python's `%` (MXNet's `nd.modulo`: `broadcast_mod`,
   * `_mod_scalar`, `_rmod_scalar`); 0 where b = 0. Gradient, as MXNet: da = dy, db = −dy·⌊a/b⌋.
   * @example nd.modulo(nd.array([5, -5, 5]), nd.array([3, 3, -3])).toArray(); // [2, 1, -1]
   */
  modulo(lhs: T | number, rhs: T | number): T;
  /** The same as `modulo`. @example nd.mod(nd.array([7.5, -1]), 2).toArray(); // [1.5, 1] */
  mod(lhs: T | number, rhs: T | number): T;
  /** MXNet's `broadcast_add`: `nd.add` of two arrays. */
  broadcastAdd(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_sub`. */
  broadcastSub(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_mul`. */
  broadcastMul(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_div`. */
  broadcastDiv(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_power`. */
  broadcastPower(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_maximum`. */
  broadcastMaximum(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_minimum`. */
  broadcastMinimum(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_equal`: `nd.equal` of two arrays. */
  broadcastEqual(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_not_equal`. */
  broadcastNotEqual(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_greater`. */
  broadcastGreater(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_greater_equal`. */
  broadcastGreaterEqual(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_lesser`. */
  broadcastLesser(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_lesser_equal`. */
  broadcastLesserEqual(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_logical_and`: `nd.logicalAnd` of two arrays. */
  broadcastLogicalAnd(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_logical_or`. */
  broadcastLogicalOr(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_logical_xor`. */
  broadcastLogicalXor(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_hypot`: `nd.hypot` of two arrays. */
  broadcastHypot(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `broadcast_mod`: `nd.modulo` of two arrays. */
  broadcastMod(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `elemwise_add`: `a + b` for operands of the same shape (no broadcasting). */
  elemwiseAdd(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `elemwise_sub`. */
  elemwiseSub(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `elemwise_mul`. */
  elemwiseMul(lhs: T, rhs: T, options?: NameOption): T;
  /** MXNet's `elemwise_div`. */
  elemwiseDiv(lhs: T, rhs: T, options?: NameOption): T;
}

/**
 * A numpy-style binary frontend: two arrays → `pair`; an array and a number → `scalar`; a number
 * and an array → `reversed` (the same as `scalar` for a symmetric operation).
 */
function numpyStyle(name: string, pair: Operator, scalar: Operator, reversed: Operator): Frontend {
  return <T>(caller: OpCaller<T>) => (lhs: unknown, rhs: unknown): T => {
    if (caller.isTensor(lhs)) {
      if (caller.isTensor(rhs)) return caller.call(pair, [lhs, rhs], pair.resolveOptions({}, name))[0];
      if (typeof rhs === 'number') return caller.call(scalar, [lhs], scalar.resolveOptions({ scalar: rhs }, name))[0];
      throw new GluonError(`${name}: expected rhs to be ${caller.kind} or a number, but got ${describeValue(rhs)}`);
    }
    if (typeof lhs !== 'number') throw new GluonError(`${name}: expected lhs to be ${caller.kind} or a number, but got ${describeValue(lhs)}`);
    if (caller.isTensor(rhs)) return caller.call(reversed, [rhs], reversed.resolveOptions({ scalar: lhs }, name))[0];
    if (typeof rhs !== 'number') throw new GluonError(`${name}: expected rhs to be ${caller.kind} or a number, but got ${describeValue(rhs)}`);
    throw new GluonError(`${name}: expected at least one operand to be ${caller.kind}, but got two numbers (${lhs}, ${rhs})`);
  };
}

export const ARITHMETIC_FRONTENDS: FrontendTable<ArithmeticSignatures<unknown>> = {
  add: numpyStyle('add', BROADCAST.add, SCALAR.plus, SCALAR.plus),
  subtract: numpyStyle('subtract', BROADCAST.sub, SCALAR.minus, SCALAR.rminus),
  multiply: numpyStyle('multiply', BROADCAST.mul, SCALAR.mul, SCALAR.mul),
  divide: numpyStyle('divide', BROADCAST.div, SCALAR.div, SCALAR.rdiv),
  power: numpyStyle('power', BROADCAST.power, SCALAR.power, SCALAR.rpower),
  maximum: numpyStyle('maximum', BROADCAST.maximum, SCALAR.maximum, SCALAR.maximum),
  minimum: numpyStyle('minimum', BROADCAST.minimum, SCALAR.minimum, SCALAR.minimum),
  equal: numpyStyle('equal', BROADCAST.equal, SCALAR.equal, SCALAR.equal),
  notEqual: numpyStyle('notEqual', BROADCAST.notEqual, SCALAR.notEqual, SCALAR.notEqual),
  greater: numpyStyle('greater', BROADCAST.greater, SCALAR.greater, SCALAR.lesser),
  greaterEqual: numpyStyle('greaterEqual', BROADCAST.greaterEqual, SCALAR.greaterEqual, SCALAR.lesserEqual),
  lesser: numpyStyle('lesser', BROADCAST.lesser, SCALAR.lesser, SCALAR.greater),
  lesserEqual: numpyStyle('lesserEqual', BROADCAST.lesserEqual, SCALAR.lesserEqual, SCALAR.greaterEqual),
  logicalAnd: numpyStyle('logicalAnd', BROADCAST.logicalAnd, SCALAR.logicalAnd, SCALAR.logicalAnd),
  logicalOr: numpyStyle('logicalOr', BROADCAST.logicalOr, SCALAR.logicalOr, SCALAR.logicalOr),
  logicalXor: numpyStyle('logicalXor', BROADCAST.logicalXor, SCALAR.logicalXor, SCALAR.logicalXor),
  hypot: numpyStyle('hypot', BROADCAST.hypot, SCALAR.hypot, SCALAR.hypot),
  modulo: numpyStyle('modulo', BROADCAST.mod, SCALAR.mod, SCALAR.rmod),
  mod: numpyStyle('mod', BROADCAST.mod, SCALAR.mod, SCALAR.rmod),
  broadcastAdd: standard(BROADCAST.add),
  broadcastSub: standard(BROADCAST.sub),
  broadcastMul: standard(BROADCAST.mul),
  broadcastDiv: standard(BROADCAST.div),
  broadcastPower: standard(BROADCAST.power),
  broadcastMaximum: standard(BROADCAST.maximum),
  broadcastMinimum: standard(BROADCAST.minimum),
  broadcastEqual: standard(BROADCAST.equal),
  broadcastNotEqual: standard(BROADCAST.notEqual),
  broadcastGreater: standard(BROADCAST.greater),
  broadcastGreaterEqual: standard(BROADCAST.greaterEqual),
  broadcastLesser: standard(BROADCAST.lesser),
  broadcastLesserEqual: standard(BROADCAST.lesserEqual),
  broadcastLogicalAnd: standard(BROADCAST.logicalAnd),
  broadcastLogicalOr: standard(BROADCAST.logicalOr),
  broadcastLogicalXor: standard(BROADCAST.logicalXor),
  broadcastHypot: standard(BROADCAST.hypot),
  broadcastMod: standard(BROADCAST.mod),
  elemwiseAdd: standard(ELEMWISE.add),
  elemwiseSub: standard(ELEMWISE.sub),
  elemwiseMul: standard(ELEMWISE.mul),
  elemwiseDiv: standard(ELEMWISE.div),
};
