/**
 * The `gluon` namespace, as `mxnet.gluon`: `gluon.nn` is the same namespace as `nn`.
 */
export * as nn from '../nn';
export { Block, Parameter, ParameterDict } from '../nn';
