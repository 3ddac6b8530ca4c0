/** `gluon.contrib`, as MXNet's: the Estimator (`contrib.estimator`). */
export * as estimator from './estimator';
