/**
 * The `optimizer` namespace, as `mx.optimizer`: the Optimizer base, the built-in optimizers and
 * `create(name, options)`. A Trainer takes an optimizer by name or as an instance.
 *
 * @example
 * import { gluon, optimizer } from 'tsgluon';
 * const trainer = new gluon.Trainer(net.collectParams(), new optimizer.Adam({ learningRate: 1e-3 }));
 */
export { Optimizer } from './optimizer';
export type { OptimizerOptions, UpdateContext } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { NAG } from './nag';
export type { NAGOptions } from './nag';
export { Adam } from './adam';
export type { AdamOptions } from './adam';
export { AdamW } from './adamw';
export type { AdamWOptions } from './adamw';
export { RMSProp } from './rmsprop';
export type { RMSPropOptions } from './rmsprop';
export { AdaGrad } from './adagrad';
export type { AdaGradOptions } from './adagrad';
export { AdaDelta } from './adadelta';
export type { AdaDeltaOptions } from './adadelta';
export { Adamax, Nadam } from './adamax';
export type { AdamaxOptions, NadamOptions } from './adamax';
export { Ftrl } from './ftrl';
export type { FtrlOptions } from './ftrl';
export { Signum } from './signum';
export type { SignumOptions } from './signum';
export { FTML } from './ftml';
export type { FTMLOptions } from './ftml';
export { SGLD } from './sgld';
export { DCASGD } from './dcasgd';
export type { DCASGDOptions } from './dcasgd';
export { LAMB } from './lamb';
export type { LAMBOptions } from './lamb';
export { LARS } from './lars';
export type { LARSOptions } from './lars';
export { LBSGD } from './lbsgd';
export type { LBSGDOptions, WarmupStrategy } from './lbsgd';
export { create, names } from './registry';
export type { AnyOptimizerOptions } from './registry';
