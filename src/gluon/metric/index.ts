/**
 * The `gluon.metric` namespace (also top-level `metric`), as MXNet 1.9's `mx.metric` (2.x's
 * `mx.gluon.metric`): evaluation metrics updated batch by batch with `update(labels, preds)`
 * and read with `get()`.
 *
 * @example
 * const acc = new metric.Accuracy();
 * for (const [data, label] of loader) acc.update(label, net(data));
 * const [name, value] = acc.get();   // ['accuracy', 0.93]
 */
export { EvalMetric, checkLabelShapes } from './eval_metric';
export type { EvalMetricOptions, MetricConfig, MetricInput, MetricResult, NameValue, NamedArrays } from './eval_metric';
export { Accuracy, TopKAccuracy } from './accuracy';
export type { AccuracyOptions, TopKAccuracyOptions } from './accuracy';
export { F1, MCC } from './binary';
export type { BinaryMetricOptions, MetricAverage } from './binary';
export { PCC } from './pcc';
export { MAE, MSE, RMSE } from './regression';
export { PearsonCorrelation } from './pearson';
export type { PearsonCorrelationOptions } from './pearson';
export { CrossEntropy, NegativeLogLikelihood, Perplexity } from './likelihood';
export type { CrossEntropyOptions, PerplexityOptions } from './likelihood';
export { Loss, CustomMetric } from './custom';
export type { CustomMetricOptions, CustomMetricValue, MetricFunction } from './custom';
export { CompositeEvalMetric, create, register, registeredNames } from './create';
export type { AnyMetric, MetricArgs, MetricFactory, MetricSpec } from './create';
