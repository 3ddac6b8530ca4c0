/**
 * The `autograd` namespace, as `mxnet.autograd`.
 */
export { isTraining, trainMode, predictMode } from './mode';
