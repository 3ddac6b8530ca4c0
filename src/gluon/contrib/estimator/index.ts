/** `gluon.contrib.estimator`: the Estimator and its event handlers (MXNet 1.9's). */
export { Estimator } from './estimator';
export type { BatchOutputs, EstimatorLogger, EstimatorOptions, EvaluateOptions, FitOptions } from './estimator';
export type { Batch, BatchResult, EventHandler, StopSignal } from './event_handler';
export { EarlyStoppingHandler, GradientUpdateHandler, MetricHandler, StoppingHandler, ValidationHandler } from './handlers';
export type { BatchSource, EarlyStoppingOptions, MonitorMode, ValidationHandlerOptions } from './handlers';
export { LoggingHandler } from './logging_handler';
export type { LoggingHandlerOptions, ProgressStream } from './logging_handler';
export { CheckpointHandler } from './checkpoint_handler';
export type { CheckpointHandlerOptions } from './checkpoint_handler';
