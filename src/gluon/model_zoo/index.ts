/** `gluon.modelZoo`, as MXNet's `gluon.model_zoo`: the `vision` models. */
export * as vision from './vision';
