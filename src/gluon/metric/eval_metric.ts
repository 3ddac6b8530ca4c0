/**
 * The base of every metric, MXNet 1.9's `mx.metric.EvalMetric` (python/mxnet/metric.py, which
 * 2.x moved to `mx.gluon.metric`): running sums `sumMetric` / `numInst` whose ratio `get()`
 * reports, a second pair (`globalSumMetric` / `globalNumInst`) that `resetLocal()` keeps, and
 * the input checks every metric shares (MXNet's `check_label_shapes`).
 */
import { GluonError, formatShape } from '../../core/errors';
import { checkOptionsObject, checkString, describeValue, isPlainObject } from '../../core/checks';
import { pyFloat } from '../../core/py_format';
import { NDArray } from '../../ndarray/ndarray';

/** What `update` takes for labels and for predictions: one NDArray or a list of them. */
export type MetricInput = NDArray | readonly NDArray[];

/** One metric's `[name, value]`, as `get()` returns it. */
export type NameValue = [name: string, value: number];

/** A metric's result: `[name, value]`, or lists of both for a CompositeEvalMetric. */
export type MetricResult = NameValue | [names: string[], values: number[]];

/** Named arrays for `updateDict`: a Map or a plain object, in insertion order. */
export type NamedArrays = ReadonlyMap<string, NDArray> | Readonly<Record<string, NDArray>>;

/** What `getConfig()` returns and `metric.create(config)` takes back. */
export interface MetricConfig {
  readonly metric: string;
  readonly [key: string]: unknown;
}

/** The options every metric takes. */
export interface EvalMetricOptions {
  /** The name `get()` reports. Default: the metric's own ('accuracy', 'f1', 'mse', …). */
  name?: string;
  /** The predictions `updateDict` passes on, by name. Default null: all, in order. */
  outputNames?: readonly string[] | null;
  /** The labels `updateDict` passes on, by name. Default null: all, in order. */
  labelNames?: readonly string[] | null;
}

const BASE_KEYS = ['name', 'outputNames', 'labelNames'];

/** Checks a metric's options object against the common keys and the metric's own `extra` keys. */
export function checkMetricOptions<T extends EvalMetricOptions>(who: string, options: T | undefined, extra: readonly string[]): T {
  checkOptionsObject(who, options, [...extra, ...BASE_KEYS]);
  return options ?? ({} as T);
}

/**
 * The base class: subclasses implement `update(labels, preds)` and add to `sumMetric` and
 * `numInst` (and the global pair, see `accumulate`); `get()` reports their ratio, NaN before
 * any instance, as MXNet. A CompositeEvalMetric reports lists (`R`).
 *
 * @example
 * class MaxError extends metric.EvalMetric {
 *   constructor() { super('max-error'); }
 *   update(labels: metric.MetricInput, preds: metric.MetricInput): void {
 *     const [ls, ps] = metric.checkLabelShapes('MaxError', labels, preds);
 *     ls.forEach((l, i) => { ... this.sumMetric += ...; this.numInst += 1; });
 *   }
 * }
 */
export abstract class EvalMetric<R extends MetricResult = NameValue> {
  name: string;
  readonly outputNames: readonly string[] | null;
  readonly labelNames: readonly string[] | null;
  /** The local running sum and count, reset by `reset()` and `resetLocal()`. */
  numInst = 0;
  sumMetric = 0;
  /** The global running sum and count, reset by `reset()` only. */
  globalNumInst = 0;
  globalSumMetric = 0;
  /** Whether the global pair is kept (every built-in metric); otherwise `getGlobal()` is `get()`. */
  protected readonly hasGlobalStats: boolean;

  constructor(name: string, options: EvalMetricOptions = {}, hasGlobalStats = false) {
    const who = new.target.name;
    this.name = checkString(who, 'name', name);
    this.outputNames = checkNames(who, 'outputNames', options.outputNames);
    this.labelNames = checkNames(who, 'labelNames', options.labelNames);
    this.hasGlobalStats = hasGlobalStats;
  }

  /** Adds a batch: `labels` and `preds` are one NDArray each or lists of as many. */
  abstract update(labels: MetricInput, preds: MetricInput): void;

  /** `update` with the arrays picked by name (`labelNames`, `outputNames`; all when null). */
  updateDict(labels: NamedArrays, preds: NamedArrays): void {
    const who = this.constructor.name;
    this.update(pickNamed(who, 'label', labels, this.labelNames), pickNamed(who, 'prediction', preds, this.outputNames));
  }

  /** Clears both the local and the global statistics. */
  reset(): void {
    this.numInst = 0;
    this.sumMetric = 0;
    this.globalNumInst = 0;
    this.globalSumMetric = 0;
  }

  /** Clears the local statistics only (the global ones keep counting, as in MXNet). */
  resetLocal(): void {
    this.numInst = 0;
    this.sumMetric = 0;
  }

  /** `[name, sumMetric / numInst]`, or `[name, NaN]` before any instance. */
  get(): R {
    return this.ratio(this.sumMetric, this.numInst);
  }

  /** The same over the global statistics (`get()` when the metric keeps none). */
  getGlobal(): R {
    return this.hasGlobalStats ? this.ratio(this.globalSumMetric, this.globalNumInst) : this.get();
  }

  /** `[[name, value], …]`: `get()` as pairs. */
  getNameValue(): NameValue[] {
    return zipResult(this.get());
  }

  /** `getGlobal()` as pairs. */
  getGlobalNameValue(): NameValue[] {
    return zipResult(this.getGlobal());
  }

  /** The metric's constructor arguments, for `metric.create(config)`: `{ metric, name, outputNames, labelNames, … }`. */
  getConfig(): MetricConfig {
    return { ...this.configArgs(), metric: this.constructor.name, name: this.name, outputNames: this.outputNames, labelNames: this.labelNames };
  }

  /** Python's text: `EvalMetric: {'accuracy': 0.5}`. */
  toString(): string {
    const pairs = this.getNameValue().map(([name, value]) => `'${name}': ${pyFloat(value)}`);
    return `EvalMetric: {${pairs.join(', ')}}`;
  }

  /** The subclass's own options as `getConfig()` reports them. */
  protected configArgs(): Record<string, unknown> {
    return {};
  }

  /** Adds `sum` and `count` to the local and the global statistics. */
  protected accumulate(sum: number, count: number): void {
    this.sumMetric += sum;
    this.globalSumMetric += sum;
    this.numInst += count;
    this.globalNumInst += count;
  }

  /** `[name, sum / count]`, NaN when `count` is 0. */
  protected ratio(sum: number, count: number): R {
    return this.result(count === 0 ? NaN : sum / count);
  }

  /** `[name, value]` as this metric's result type (a single value; CompositeEvalMetric overrides `get`). */
  protected result(value: number): R {
    const single: MetricResult = [this.name, value];
    return single as R;
  }
}

function zipResult([names, values]: MetricResult): NameValue[] {
  if (typeof names === 'string') return [[names, values as number]];
  return names.map((name, i): NameValue => [name, (values as number[])[i]]);
}

function checkNames(who: string, option: string, names: unknown): readonly string[] | null {
  if (names === undefined || names === null) return null;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new GluonError(`${who}: expected ${option} to be a list of strings or null, but got ${describeValue(names)}`);
  }
  return Object.freeze(names.slice());
}

function pickNamed(who: string, what: string, arrays: NamedArrays, names: readonly string[] | null): NDArray[] {
  if (!(arrays instanceof Map) && !isPlainObject(arrays)) {
    throw new GluonError(`${who}: expected the ${what}s of updateDict as a Map or an object of NDArrays by name, but got ${describeValue(arrays)}`);
  }
  const entries = arrays instanceof Map ? arrays : new Map(Object.entries(arrays));
  if (names === null) return [...entries.values()];
  return names.map((name) => {
    const found = entries.get(name);
    if (found === undefined) {
      throw new GluonError(`${who}: expected a ${what} named '${name}' in updateDict, but got the names ${[...entries.keys()].map((k) => `'${k}'`).join(', ') || 'none'}`);
    }
    return found;
  });
}

/** One NDArray as a list of one; a list checked to hold NDArrays only. */
export function toArrayList(who: string, what: string, value: unknown): NDArray[] {
  if (value instanceof NDArray) return [value];
  if (Array.isArray(value) && value.every((v) => v instanceof NDArray)) return value.slice();
  const bad = Array.isArray(value) ? value.find((v) => !(v instanceof NDArray)) : value;
  const where = Array.isArray(value) ? ` (an element is ${describeValue(bad)})` : '';
  throw new GluonError(`${who}: expected ${what} to be an NDArray or a list of NDArrays, but got ${describeValue(value)}${where}`);
}

/**
 * MXNet's `check_label_shapes(labels, preds, wrap=True)`: both as lists (one NDArray becomes a
 * list of one), and as many predictions as labels.
 */
export function checkLabelShapes(who: string, labels: unknown, preds: unknown): [NDArray[], NDArray[]] {
  checkString('checkLabelShapes', 'who (the metric to name in errors)', who);
  const labelList = toArrayList(who, 'labels', labels);
  const predList = toArrayList(who, 'predictions', preds);
  if (labelList.length !== predList.length) {
    throw new GluonError(
      `${who}: expected as many predictions as labels, but got ${plural(labelList.length, 'label')} and ${plural(predList.length, 'prediction')}`,
    );
  }
  return [labelList, predList];
}

/** Both arrays of one shape (MXNet's `check_label_shapes(label, pred, shape=True)`). */
export function checkSameShape(who: string, label: NDArray, pred: NDArray): void {
  const same = label.shape.length === pred.shape.length && label.shape.every((d, i) => d === pred.shape[i]);
  if (!same) {
    throw new GluonError(`${who}: expected labels and predictions of one shape, but got labels ${describeValue(label)} and predictions ${describeValue(pred)}`);
  }
}

/**
 * A prediction of rank 2, `(batch, classes)`, with one label per row: `batch` labels, along the
 * label's first axis unless `flattened` (MXNet ravels the labels first for some metrics).
 */
export function checkClassScores(who: string, label: NDArray, pred: NDArray, flattened = false): void {
  if (pred.ndim !== 2) {
    throw new GluonError(`${who}: expected predictions of shape (batch, classes), but got ${describeValue(pred)}`);
  }
  if (label.size !== pred.shape[0] || (!flattened && label.ndim > 0 && label.shape[0] !== pred.shape[0])) {
    throw new GluonError(
      `${who}: expected one label per prediction row (${pred.shape[0]} labels for predictions of shape ${formatShape(pred.shape)}), but got ${describeValue(label)}`,
    );
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
