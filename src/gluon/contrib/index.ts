/** `gluon.contrib`, as MXNet's: the Estimator (`contrib.estimator`), `contrib.nn`'s blocks and `contrib.rnn`'s cells. */
export * as estimator from './estimator';
export * as nn from './nn';
export * as rnn from './rnn';
