/**
 * The `random` namespace, as `mx.random`: the one seeded generator behind every initializer,
 * `nd.random` and Dropout. (Its sampling helpers are internal to src/random.ts.)
 */
export { seed } from './random';
