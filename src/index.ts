/**
 * tsgluon: neural-network layers in the style of Apache MXNet Gluon.
 *
 * @example
 * import { nd, nn } from 'tsgluon';
 * const layer = new nn.InstanceNorm();
 * layer.initialize();
 * const y = layer(nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]));
 */
export { nd } from './ops/nd';
export { sym } from './symbol';
export * as nn from './nn';
export * as gluon from './gluon';
export * as init from './init';
export * as random from './random_public';
export * as autograd from './autograd';
export * as optimizer from './gluon/optimizers';
export * as lrScheduler from './gluon/lr_scheduler';
export * as metric from './gluon/metric';
export * as recordio from './recordio_public';
export { NDArray } from './ndarray/ndarray';
export { GluonError, DeferredInitializationError } from './core/errors';
export { ready, runtimeInfo, setNumThreads, getNumThreads } from './kernels/cpu/runtime';
export type { RuntimeInfo } from './kernels/cpu/runtime';
