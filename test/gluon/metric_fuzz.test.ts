/**
 * Hostile arguments (wrong types, NaN, null, cyclic and deep values, arrays of every kind) thrown
 * at every public function and constructor of `metric` and at every built-in metric's update,
 * updateDict, getMetric: each call returns or throws a GluonError (as test/hardening/fuzz does
 * for the other namespaces).
 */
import { GluonError, NDArray, metric, nd, sym } from '../../src';
import { seeded } from '../helpers/metric_reference';
import { selfReferencingValues } from '../helpers/hostile_values';

function hostileValues(): unknown[] {
  return [
    undefined, null, NaN, Infinity, -1, 0, 1, 2, 1.5, 2 ** 40, '', 'acc', '{', '{"metric": 3}', '[1]', true, 10n,
    globalThis.Symbol('s'), {}, [], [1, 2], ['acc', 'f1'], [nd.ones([2])], ...selfReferencingValues(),
    { metric: 'acc' }, { metric: 'composite', metrics: 'acc' }, { axis: 'a' }, { topK: 2 }, { ignoreLabel: -1 }, { average: 'micro' },
    { bogus: 1 }, Object.create(null), new Float64Array(3), nd.ones([2, 3]), nd.zeros([0]), nd.array(5), nd.array([NaN, 1]),
    nd.ones([1, 2, 3, 4]), nd.zeros([2, 0]), nd.array([[0.2, 0.8], [0.9, 0.1]]), nd.array([3, -7]), sym.var('x'),
    () => 1, () => 'x', new Map([['a', nd.ones([2])]]), new metric.Accuracy(),
  ];
}

type Call = (args: unknown[]) => unknown;

function targets(): [string, Call][] {
  const list: [string, Call][] = [];
  for (const [key, value] of Object.entries(metric)) {
    if (typeof value !== 'function' || key === 'register') continue;
    const isClass = /^class\b/.test(Function.prototype.toString.call(value));
    const f = value as (...a: unknown[]) => unknown;
    list.push([`metric.${key}`, isClass ? (args) => Reflect.construct(f, args) : (args) => f(...args)]);
  }
  const instances = (): metric.AnyMetric[] => [
    new metric.Accuracy(), new metric.TopKAccuracy({ topK: 2 }), new metric.F1(), new metric.MCC({ average: 'micro' }), new metric.PCC(),
    new metric.MAE(), new metric.MSE(), new metric.RMSE(), new metric.CrossEntropy(), new metric.NegativeLogLikelihood(),
    new metric.Perplexity(-1), new metric.PearsonCorrelation({ average: 'micro' }), new metric.Loss(),
    new metric.CustomMetric((l: NDArray) => l.size), new metric.CompositeEvalMetric(['acc', 'mse']),
  ];
  for (const m of instances()) {
    for (const method of ['update', 'updateDict', 'getMetric'] as const) {
      const fn = (m as unknown as Record<string, unknown>)[method];
      if (typeof fn === 'function') list.push([`${m.constructor.name}#${method}`, (args) => Reflect.apply(fn, m, args)]);
    }
  }
  return list;
}

it.each(targets())('%s answers hostile arguments with a value or a GluonError', (_name, call) => {
  const rng = seeded(11);
  const values = hostileValues();
  for (let i = 0; i < 60; i++) {
    const args = Array.from({ length: Math.floor(rng() * 4) }, () => values[Math.floor(rng() * values.length)]);
    try {
      call(args);
    } catch (error) {
      if (!(error instanceof GluonError)) throw new Error(`call ${i} threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    }
  }
});
