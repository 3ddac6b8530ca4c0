/** `gluon.contrib`, as MXNet's: the Estimator (`contrib.estimator`) and `contrib.nn`'s blocks. */
export * as estimator from './estimator';
export * as nn from './nn';
