/**
 * The NDArray operations, re-exported into the `nd` namespace. Explicit re-exports (not
 * `export *`) keep the bindings live through the ops ↔ NDArray import cycle.
 */
export {
  add, subtract, multiply, divide, power, maximum, minimum,
  equal, notEqual, greater, greaterEqual, lesser, lesserEqual,
} from './elementwise';
export type { Operand } from './elementwise';
export {
  negative, abs, exp, log, sqrt, square, sign, relu, sigmoid, tanh, softrelu, softsign, clip,
} from './unary';
export { sum, mean, max, min, argmax, argmin } from './reduce';
export { copy, reshape, transpose, swapaxes, expandDims, squeeze, flatten, broadcastTo } from './transform';
export type { AxisSpec } from './validate';
