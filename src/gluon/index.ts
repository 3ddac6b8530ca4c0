/**
 * The `gluon` namespace, as `mxnet.gluon`: `gluon.nn` is the same namespace as `nn`; `Trainer`,
 * `loss`, `metric` (also top-level, as `mx.metric`), `data` (datasets, samplers, DataLoader), `contrib.estimator` (Estimator, event handlers), and `optimizer` / `lrScheduler` (also
 * top-level, as `mx.optimizer` / `mx.lr_scheduler`).
 */
export * as nn from '../nn';
export { Block, HybridBlock, Parameter, ParameterDict, SymbolBlock } from '../nn';
export { Trainer } from './trainer';
export type { TrainerParams, StepOptions } from './trainer';
export * as loss from './loss';
export * as metric from './metric';
export * as data from './data';
export * as contrib from './contrib';
export * as utils from './utils';
export * as rnn from './rnn';
export * as lrScheduler from './lr_scheduler';
export * as optimizer from './optimizers';
export * as modelZoo from './model_zoo';
