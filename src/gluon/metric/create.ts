/**
 * `CompositeEvalMetric` and the metric registry: `metric.create(spec, options)` resolves every
 * form MXNet 1.9's `mx.metric.create` takes, and `metric.register(name, factory)` adds yours.
 */
import { GluonError } from '../../core/errors';
import { checkIntAtLeast, describeValue, isPlainObject } from '../../core/checks';
import { Accuracy, TopKAccuracy } from './accuracy';
import type { AccuracyOptions, TopKAccuracyOptions } from './accuracy';
import { F1, MCC } from './binary';
import type { BinaryMetricOptions } from './binary';
import { CustomMetric, Loss } from './custom';
import type { CustomMetricOptions, MetricFunction } from './custom';
import { EvalMetric, EvalMetricOptions, MetricConfig, MetricInput, MetricResult, NamedArrays, checkMetricOptions } from './eval_metric';
import { CrossEntropy, NegativeLogLikelihood, Perplexity } from './likelihood';
import type { CrossEntropyOptions, PerplexityOptions } from './likelihood';
import { PCC } from './pcc';
import { PearsonCorrelation } from './pearson';
import type { PearsonCorrelationOptions } from './pearson';
import { MAE, MSE, RMSE } from './regression';

/** Any metric, whatever its result. */
export type AnyMetric = EvalMetric<MetricResult>;

/**
 * What `create` (and CompositeEvalMetric's list and `add`) takes: a metric; a registered name
 * (case-insensitive) or its JSON config form; a function (a CustomMetric); a list of these (a
 * CompositeEvalMetric); or a config object `{ metric: name, ...options }` as `getConfig()` returns.
 */
export type MetricSpec = AnyMetric | string | MetricFunction | readonly MetricSpec[] | MetricConfig;

/** Options as `create` passes them to a registered factory. */
export type MetricArgs = Readonly<Record<string, unknown>>;

/** Makes a metric from options; what `register` stores under a name. */
export type MetricFactory = (options: MetricArgs) => AnyMetric;

/**
 * Several metrics updated together: `get()` returns `[names, values]`, the children's results
 * in order (a child composite's flattened in). `updateDict` passes on only the labels and
 * predictions named in `labelNames` / `outputNames` when given. Default name 'composite'.
 *
 * @example
 * const metrics = new metric.CompositeEvalMetric(['acc', new metric.F1()]);
 * metrics.update([nd.array([0, 1, 1])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * metrics.get(); // [['accuracy', 'f1'], [0.6666666666666666, 0.8]]
 */
export class CompositeEvalMetric extends EvalMetric<[string[], number[]]> {
  readonly metrics: AnyMetric[];

  constructor(metrics: readonly MetricSpec[] = [], options?: EvalMetricOptions) {
    const { name = 'composite' } = checkMetricOptions('CompositeEvalMetric', options, []);
    super(name, options, true);
    if (!Array.isArray(metrics)) {
      throw new GluonError(`CompositeEvalMetric: expected a list of metrics, but got ${describeValue(metrics)}`);
    }
    this.metrics = metrics.map((spec) => create(spec));
  }

  /** Adds a child metric (any form `create` takes). */
  add(metric: MetricSpec): void {
    this.metrics.push(create(metric));
  }

  /** The child metric at `index` (negative counts from the end, as Python's list). */
  getMetric(index: number): AnyMetric {
    const n = this.metrics.length;
    const i = checkIntAtLeast('CompositeEvalMetric', 'index', index, -Infinity);
    if (i < -n || i >= n) {
      throw new GluonError(`CompositeEvalMetric: expected a metric index in [${-n}, ${n}) (${n} metrics), but got ${describeValue(index)}`);
    }
    return this.metrics[i < 0 ? i + n : i];
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const metric of this.metrics) metric.update(labels, preds);
  }

  override updateDict(labels: NamedArrays, preds: NamedArrays): void {
    const keep = (arrays: NamedArrays, names: readonly string[] | null): NamedArrays => {
      if (names === null) return arrays;
      const entries = arrays instanceof Map ? [...arrays.entries()] : Object.entries(arrays);
      return new Map(entries.filter(([name]) => names.includes(name)));
    };
    for (const metric of this.metrics) metric.updateDict(keep(labels, this.labelNames), keep(preds, this.outputNames));
  }

  override reset(): void {
    for (const metric of this.metrics) metric.reset();
  }

  override resetLocal(): void {
    for (const metric of this.metrics) metric.resetLocal();
  }

  override get(): [string[], number[]] {
    return concatResults(this.metrics.map((metric) => metric.get()));
  }

  override getGlobal(): [string[], number[]] {
    return concatResults(this.metrics.map((metric) => metric.getGlobal()));
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), metrics: this.metrics.map((metric) => metric.getConfig()) };
  }
}

function concatResults(results: MetricResult[]): [string[], number[]] {
  const names: string[] = [];
  const values: number[] = [];
  for (const [name, value] of results) {
    names.push(...(typeof name === 'string' ? [name] : name));
    values.push(...(typeof value === 'number' ? [value] : value));
  }
  return [names, values];
}

const registry = new Map<string, MetricFactory>();

function builtin(names: readonly string[], factory: MetricFactory): void {
  for (const name of names) registry.set(name, factory);
}

// MXNet 1.9's names: each class's lowercased name and its aliases ('cross-entropy', the
// metric's display name, is accepted too).
builtin(['compositeevalmetric', 'composite'], ({ metrics, ...rest }) => new CompositeEvalMetric(metrics as MetricSpec[] | undefined, rest));
builtin(['accuracy', 'acc'], (o) => new Accuracy(o as AccuracyOptions));
builtin(['topkaccuracy', 'top_k_accuracy', 'top_k_acc'], (o) => new TopKAccuracy(o as TopKAccuracyOptions));
builtin(['f1'], (o) => new F1(o as BinaryMetricOptions));
builtin(['mcc'], (o) => new MCC(o as BinaryMetricOptions));
builtin(['perplexity'], ({ ignoreLabel, ...rest }) => {
  if (ignoreLabel === undefined) {
    throw new GluonError("metric.create('perplexity'): expected an ignoreLabel option (a label value, e.g. -1, or null to count every label), as Perplexity requires one, but got none");
  }
  return new Perplexity(ignoreLabel as number | null, rest as PerplexityOptions);
});
builtin(['mae'], (o) => new MAE(o));
builtin(['mse'], (o) => new MSE(o));
builtin(['rmse'], (o) => new RMSE(o));
builtin(['crossentropy', 'ce', 'cross-entropy'], (o) => new CrossEntropy(o as CrossEntropyOptions));
builtin(['negativeloglikelihood', 'nll_loss'], (o) => new NegativeLogLikelihood(o as CrossEntropyOptions));
builtin(['pearsoncorrelation', 'pearsonr'], (o) => new PearsonCorrelation(o as PearsonCorrelationOptions));
builtin(['pcc'], (o) => new PCC(o));
builtin(['loss'], (o) => new Loss(o));
builtin(['custommetric'], ({ feval, ...rest }) => new CustomMetric(feval as MetricFunction, rest as CustomMetricOptions));

/** The registered names and aliases, in registration order. */
export function registeredNames(): string[] {
  return [...registry.keys()];
}

/**
 * Makes `name` (case-insensitive) resolve to `factory(options)` in `metric.create`, as MXNet's
 * `@mx.metric.register`. Built-in and already registered names can't be replaced.
 *
 * @example
 * metric.register('maxerror', (options) => new MaxError(options));
 * metric.create('MaxError');
 */
export function register(name: string, factory: MetricFactory): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new GluonError(`metric.register: expected a name of letters, digits, '_', '.' or '-' starting with a letter or '_', but got ${describeValue(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new GluonError(`metric.register: expected a factory function for '${name}', but got ${describeValue(factory)}`);
  }
  const key = name.toLowerCase();
  if (registry.has(key)) throw new GluonError(`metric.register: expected a new name, but '${key}' is already registered`);
  registry.set(key, factory);
}

/** How deep `create` follows nested lists and configs, and how deep it is now. */
const MAX_NESTING = 32;
let nesting = 0;

/**
 * Makes a metric, as MXNet's `mx.metric.create(metric, **kwargs)`: a metric is returned as it
 * is (options are then an error); a name (case-insensitive: 'acc', 'accuracy', 'top_k_accuracy',
 * 'f1', 'mcc', 'mae', 'mse', 'rmse', 'ce', 'nll_loss', 'perplexity', 'pearsonr', 'pcc',
 * 'loss', 'composite', … or a registered one) is built with `options`; a function becomes a
 * CustomMetric; a list becomes a CompositeEvalMetric of its elements, each made with `options`;
 * a config object `{ metric: name, ...options }` (or its JSON text) is built from itself.
 *
 * @example
 * metric.create('acc');                                  // Accuracy
 * metric.create('top_k_accuracy', { topK: 5 });          // TopKAccuracy, name 'top_k_accuracy_5'
 * metric.create(['acc', 'f1', (label, pred) => 0]);      // CompositeEvalMetric of 3
 * metric.create('{"metric": "Accuracy", "axis": 0}');    // Accuracy({ axis: 0 })
 */
export function create(metric: MetricSpec, options?: MetricArgs): AnyMetric {
  // Lists and composite configs recurse (through CompositeEvalMetric's constructor too): the
  // depth is counted across those calls, so a cyclic or absurdly deep spec fails cleanly.
  if (nesting >= MAX_NESTING) {
    throw new GluonError(`metric.create: expected metric lists and configs nested at most ${MAX_NESTING} deep, but got deeper ones (a cyclic list?)`);
  }
  nesting++;
  try {
    return createOne(metric, options);
  } finally {
    nesting--;
  }
}

function createOne(metric: MetricSpec, options: MetricArgs | undefined): AnyMetric {
  if (options !== undefined && !isPlainObject(options)) {
    throw new GluonError(`metric.create: expected an options object, but got ${describeValue(options)}`);
  }
  const args = options ?? {};
  const hasArgs = Object.keys(args).length > 0;
  if (metric instanceof EvalMetric) {
    if (hasArgs) throw new GluonError(`metric.create: expected no options with a metric instance (it is already built), but got ${Object.keys(args).join(', ')}`);
    return metric;
  }
  if (typeof metric === 'function') {
    if (metric.prototype instanceof EvalMetric) {
      throw new GluonError(`metric.create: expected a metric instance or a function of (label, pred), but got the class ${metric.name} (construct it: new ${metric.name}())`);
    }
    return new CustomMetric(metric, args as CustomMetricOptions);
  }
  if (Array.isArray(metric)) return new CompositeEvalMetric((metric as readonly MetricSpec[]).map((child) => create(child, options)));
  if (typeof metric === 'string') return fromString(metric, args);
  if (isPlainObject(metric) && 'metric' in metric) {
    if (hasArgs) throw new GluonError(`metric.create: expected no options with a config object (they go inside it), but got ${Object.keys(args).join(', ')}`);
    const { metric: name, ...rest } = metric as MetricConfig;
    if (typeof name !== 'string') throw new GluonError(`metric.create: expected a config's 'metric' to be a registered name, but got ${describeValue(name)}`);
    return lookup(name, rest);
  }
  throw new GluonError(
    'metric.create: expected a metric, a registered name, a function, a list of these or a { metric: name, ... } config, ' +
      `but got ${describeValue(metric)}`,
  );
}

function fromString(text: string, args: MetricArgs): AnyMetric {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return lookup(trimmed, args);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new GluonError(`metric.create: expected valid JSON, but got ${describeValue(text)} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isPlainObject(parsed) || !('metric' in parsed)) {
    throw new GluonError(`metric.create: expected a JSON config '{"metric": name, ...}', but got ${describeValue(text)}`);
  }
  return create(parsed as MetricConfig, args);
}

function lookup(name: string, args: MetricArgs): AnyMetric {
  const factory = registry.get(name.trim().toLowerCase());
  if (factory === undefined) {
    throw new GluonError(
      `metric.create: expected a registered metric name (one of ${registeredNames().join(', ')}; register others with metric.register), ` +
        `but got ${describeValue(name)}`,
    );
  }
  const made = factory(args);
  if (!(made instanceof EvalMetric)) {
    throw new GluonError(`metric.create: the factory registered as '${name.trim().toLowerCase()}' should return an EvalMetric, but returned ${describeValue(made)}`);
  }
  return made;
}
