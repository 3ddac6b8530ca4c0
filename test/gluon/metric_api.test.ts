import { GluonError, NDArray, metric, nd } from '../../src';
import { f32, seeded } from '../helpers/metric_reference';

// The EvalMetric interface (get, getGlobal, reset, resetLocal, getNameValue, updateDict,
// getConfig), CompositeEvalMetric, CustomMetric and metric.create, as MXNet 1.9's.

const P3 = () => nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]]);
const L3 = () => nd.array([0, 1, 1]);

/** A random batch as MXNet's _check_global_metric makes it: scores and half-0, half-1 labels, or two same-shape arrays. */
function batch(rand: () => number, shape: [number, number], sameShape: boolean): [NDArray, NDArray] {
  const [n, c] = shape;
  const values = (k: number) => Array.from({ length: k }, rand);
  if (sameShape) return [nd.array(values(n * c), { shape }), nd.array(values(n * c), { shape })];
  const pred = nd.array(values(n * c).map((v) => 0.1 + 0.8 * v), { shape });
  return [nd.array(Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1))), pred];
}

const SPECS: Array<[string, metric.MetricSpec, Record<string, unknown>, [number, number], boolean]> = [
  ['acc', 'acc', {}, [10, 10], false],
  ['top_k', 'TopKAccuracy', { topK: 3 }, [10, 10], false],
  ['f1', 'f1', {}, [10, 2], false],
  ['f1 micro', 'f1', { average: 'micro' }, [10, 2], false],
  ['mcc', 'mcc', {}, [10, 2], false],
  ['mcc micro', 'mcc', { average: 'micro' }, [10, 2], false],
  ['perplexity', 'perplexity', { ignoreLabel: -1 }, [10, 10], false],
  ['pearsonr', 'pearsonr', {}, [10, 10], true],
  ['pearsonr micro', 'pearsonr', { average: 'micro' }, [10, 10], true],
  ['pcc', 'pcc', {}, [10, 2], false],
  ['nll_loss', 'nll_loss', {}, [10, 10], false],
  ['loss', 'loss', {}, [10, 10], false],
  ['ce', 'ce', {}, [10, 10], false],
  ['mae', 'mae', {}, [10, 10], true],
  ['mse', 'mse', {}, [10, 10], true],
  ['rmse', 'rmse', {}, [10, 10], true],
  ['custom', function custom(l: NDArray, p: NDArray) { return l.sub(p).abs().mean().toFloat32Array()[0]; }, {}, [10, 10], true],
  ['composite', ['acc', 'f1'], {}, [10, 2], false],
];

describe.each(SPECS)('%s: global statistics (MXNet test_global_metric)', (_, spec, options, shape, sameShape) => {
  test('NaN before any update; resetLocal keeps the global statistics; reset clears all', () => {
    const rand = seeded(7);
    const [m1, m2] = [metric.create(spec, options), metric.create(spec, options)];
    for (const value of m1.getNameValue()) expect(value[1]).toBeNaN();
    for (let i = 0; i < 10; i++) {
      const [label, pred] = batch(rand, shape, sameShape);
      m1.update([label], [pred]);
      m1.resetLocal();
      m2.update([label], [pred]);
    }
    expect(m1.getGlobal()).toEqual(m2.get());
    expect(m1.getGlobalNameValue()).toEqual(m2.getNameValue());
    m1.resetLocal();
    m2.reset();
    m1.update(...batch(rand, shape, sameShape));
    m1.resetLocal();
    const [label, pred] = batch(rand, shape, sameShape);
    m1.update([label], [pred]);
    m2.update([label], [pred]);
    expect(m1.get()).toEqual(m2.get());
    m1.reset();
    for (const value of m1.getNameValue()) expect(value[1]).toBeNaN();
    for (const value of m1.getGlobalNameValue()) expect(value[1]).toBeNaN();
  });
});

describe('EvalMetric', () => {
  class MaxError extends metric.EvalMetric {
    constructor() {
      super('max-error');
    }
    update(labels: metric.MetricInput, preds: metric.MetricInput): void {
      const [ls, ps] = metric.checkLabelShapes('MaxError', labels, preds);
      ls.forEach((l, i) => {
        const [a, b] = [l.toFloat32Array(), ps[i].toFloat32Array()];
        this.sumMetric += Math.max(...a.map((v, k) => Math.abs(v - b[k])));
        this.numInst += 1;
      });
    }
  }

  test('a subclass fills sumMetric and numInst; without global statistics getGlobal is get', () => {
    const m = new MaxError();
    m.update([nd.array([1, 2]), nd.array([0])], [nd.array([1, 5]), nd.array([1])]);
    expect(m.get()).toEqual(['max-error', 2]);
    expect(m.getGlobal()).toEqual(['max-error', 2]);
    expect(m.getNameValue()).toEqual([['max-error', 2]]);
    expect(String(m)).toBe("EvalMetric: {'max-error': 2.0}");
    expect(m.getConfig()).toEqual({ metric: 'MaxError', name: 'max-error', outputNames: null, labelNames: null });
  });

  test('toString prints as Python', () => {
    expect(String(new metric.Accuracy())).toBe("EvalMetric: {'accuracy': nan}");
    const m = new metric.CompositeEvalMetric(['acc', 'mae']);
    m.update([L3()], [nd.array([0, 1, 0])]);
    expect(String(m)).toBe("EvalMetric: {'accuracy': 0.6666666666666666, 'mae': 0.3333333333333333}");
  });

  test('updateDict picks labels and predictions by name, or takes all in order', () => {
    const acc = new metric.Accuracy({ outputNames: ['softmax'], labelNames: ['label'] });
    acc.updateDict({ label: L3(), other: nd.array([0]) }, new Map([['aux', nd.zeros([1, 2])], ['softmax', P3()]]));
    expect(acc.get()[1]).toBe(2 / 3);
    const all = new metric.Accuracy();
    all.updateDict({ label: L3() }, { softmax: P3() });
    expect(all.get()[1]).toBe(2 / 3);
    expect(() => acc.updateDict({ label: L3() }, { out: P3() })).toThrow("Accuracy: expected a prediction named 'softmax' in updateDict, but got the names 'out'");
    expect(() => all.updateDict(L3() as never, { out: P3() })).toThrow('Accuracy: expected the labels of updateDict as a Map or an object of NDArrays by name, but got an NDArray of shape (3,)');
  });

  test('common options are checked', () => {
    expect(() => new metric.MAE({ name: 3 } as never)).toThrow('MAE: expected name to be a string, but got the number 3');
    expect(() => new metric.MSE({ outputNames: 'out' } as never)).toThrow("MSE: expected outputNames to be a list of strings or null, but got the string 'out'");
    expect(() => new metric.F1({ label_names: ['l'] } as never)).toThrow("F1: expected options among average, name, outputNames, labelNames, but got unknown option 'label_names' (did you mean 'labelNames'?)");
    expect(() => new metric.RMSE([] as never)).toThrow('RMSE: expected an options object, but got []');
    expect(new metric.RMSE({ name: 'val-rmse', labelNames: null }).name).toBe('val-rmse');
  });
});

describe('CompositeEvalMetric', () => {
  test("MXNet's example; add, getMetric, nested composites flatten", () => {
    const c = new metric.CompositeEvalMetric();
    for (const child of [new metric.Accuracy(), new metric.F1()]) c.add(child);
    c.update([L3()], [P3()]);
    expect(c.get()).toEqual([['accuracy', 'f1'], [2 / 3, 0.8]]);
    expect(c.getNameValue()).toEqual([['accuracy', 2 / 3], ['f1', 0.8]]);
    expect(c.getMetric(1)).toBeInstanceOf(metric.F1);
    expect(c.getMetric(-2)).toBeInstanceOf(metric.Accuracy);
    const outer = new metric.CompositeEvalMetric([c, 'ce'], { name: 'all' });
    expect(outer.get()[0]).toEqual(['accuracy', 'f1', 'cross-entropy']);
    expect(() => c.getMetric(2)).toThrow('CompositeEvalMetric: expected a metric index in [-2, 2) (2 metrics), but got the number 2');
    expect(() => new metric.CompositeEvalMetric('acc' as never)).toThrow("CompositeEvalMetric: expected a list of metrics, but got the string 'acc'");
  });

  test('reset and resetLocal reach the children; updateDict filters by its own names', () => {
    const c = new metric.CompositeEvalMetric(['acc', 'loss'], { outputNames: ['softmax'] });
    c.updateDict({ label: L3() }, { softmax: P3(), loss: nd.array([9]) });
    expect(c.get()[1]).toEqual([2 / 3, f32([0.3, 0.7, 0, 1, 0.4, 0.6]).reduce((a, b) => a + b, 0) / 6]); // 'loss' was filtered out
    c.resetLocal();
    expect(c.get()[1].every(Number.isNaN)).toBe(true);
    expect(c.getGlobal()[1][0]).toBe(2 / 3);
    c.reset();
    expect(c.getGlobal()[1].every(Number.isNaN)).toBe(true);
  });
});

describe('CustomMetric', () => {
  test('a number counts 1, [sum, count] adds both; the name comes from the function', () => {
    const named = new metric.CustomMetric(function meanAbs(l, p) {
      return l.sub(p).abs().mean().toFloat32Array()[0];
    });
    named.update([nd.array([2.5, 0, 2, 8])], [nd.array([3, -0.5, 2, 7])]);
    expect(named.get()).toEqual(['meanAbs', 0.5]);
    const pair = metric.create((l: NDArray) => [l.size * 2, l.size] as const);
    pair.update([L3(), nd.array([1])], [P3(), nd.array([1])]);
    expect(pair.get()).toEqual(['custom(<lambda>)', 2]);
    expect(pair.numInst).toBe(4);
  });

  test('allowExtraOutputs skips the predictions beyond the labels', () => {
    const seen: number[] = [];
    const m = new metric.CustomMetric((l) => { seen.push(l.size); return 1; }, { allowExtraOutputs: true, name: 'rnn' });
    m.update([L3()], [P3(), nd.zeros([2, 4]), nd.zeros([2, 4])]);
    expect([m.get(), seen]).toEqual([['rnn', 1], [3]]);
    expect(() => new metric.CustomMetric(() => 1).update([L3()], [P3(), P3()])).toThrow('CustomMetric: expected as many predictions as labels, but got 1 label and 2 predictions');
  });

  test('errors: not a function, a bad return value, getConfig', () => {
    expect(() => new metric.CustomMetric('mae' as never)).toThrow("CustomMetric: expected feval to be a function, but got the string 'mae'");
    const bad = new metric.CustomMetric(function broken() { return 'x' as never; });
    expect(() => bad.update(L3(), L3())).toThrow("CustomMetric 'broken': expected feval to return a number or [sum, count], but got the string 'x'");
    expect(() => bad.getConfig()).toThrow('CustomMetric cannot be serialized');
    expect(() => new metric.CustomMetric(() => 1, { allowExtraOutputs: 1 } as never)).toThrow('CustomMetric: expected allowExtraOutputs to be true or false, but got the number 1');
  });
});

describe('metric.create', () => {
  test("MXNet's registered names and aliases, case-insensitive", () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['acc', {}, 'accuracy'], ['Accuracy', {}, 'accuracy'], ['top_k_accuracy', { topK: 2 }, 'top_k_accuracy_2'],
      ['TOP_K_ACC', { topK: 3 }, 'top_k_accuracy_3'], ['TopKAccuracy', { topK: 4 }, 'top_k_accuracy_4'], ['F1', {}, 'f1'],
      ['mcc', {}, 'mcc'], ['MAE', {}, 'mae'], ['mse', {}, 'mse'], ['rmse', {}, 'rmse'], ['ce', {}, 'cross-entropy'],
      ['cross-entropy', {}, 'cross-entropy'], ['CrossEntropy', {}, 'cross-entropy'], ['nll_loss', {}, 'nll-loss'],
      ['NegativeLogLikelihood', {}, 'nll-loss'], ['perplexity', { ignoreLabel: null }, 'perplexity'], ['pearsonr', {}, 'pearsonr'],
      ['PearsonCorrelation', {}, 'pearsonr'], ['pcc', {}, 'pcc'], ['loss', {}, 'loss'], ['composite', {}, 'composite'],
      ['CompositeEvalMetric', { metrics: ['acc'] }, 'composite'], ['custommetric', { feval: () => 0, name: 'z' }, 'z'],
    ];
    for (const [name, options, display] of cases) expect(metric.create(name, options).name).toBe(display);
    expect(metric.create(' ACC ')).toBeInstanceOf(metric.Accuracy);
  });

  test('an instance as it is, a list as a composite (options to each), a function as a CustomMetric', () => {
    const acc = new metric.Accuracy();
    expect(metric.create(acc)).toBe(acc);
    const list = metric.create([acc, 'mae', 'rmse'], {});
    expect(list).toBeInstanceOf(metric.CompositeEvalMetric);
    expect(list.get()[0]).toEqual(['accuracy', 'mae', 'rmse']);
    expect((metric.create(['mae', 'mse'], { name: 'x' }) as metric.CompositeEvalMetric).metrics.map((m) => m.name)).toEqual(['x', 'x']);
    expect(metric.create(() => 0)).toBeInstanceOf(metric.CustomMetric);
  });

  test('getConfig round-trips through create, as an object or JSON (MXNet check_metric)', () => {
    const made = [
      metric.create('acc', { axis: 0 }), metric.create('f1', { average: 'micro' }), metric.create('mcc'),
      metric.create('perplexity', { ignoreLabel: -1, axis: 1 }), metric.create('pearsonr'), metric.create('pcc'),
      metric.create('nll_loss', { eps: 1e-8 }), metric.create('loss', { outputNames: ['l'] }), metric.create('top_k_acc', { topK: 3 }),
      metric.create(['acc', 'f1']),
    ];
    for (const m of made) {
      const config = m.getConfig();
      expect(metric.create(config).getConfig()).toEqual(config);
      expect(metric.create(JSON.stringify(config)).getConfig()).toEqual(config);
    }
    expect(made[0].getConfig()).toEqual({ metric: 'Accuracy', name: 'accuracy', outputNames: null, labelNames: null, axis: 0 });
  });

  test('errors name what was expected and what was given', () => {
    expect(() => metric.create('nope')).toThrow(/^metric\.create: expected a registered metric name \(one of compositeevalmetric, composite, accuracy, acc, .*\), but got the string 'nope'$/);
    expect(() => metric.create(new metric.Accuracy(), { axis: 0 })).toThrow('metric.create: expected no options with a metric instance (it is already built), but got axis');
    expect(() => metric.create({ metric: 'acc' }, { axis: 0 })).toThrow('metric.create: expected no options with a config object (they go inside it), but got axis');
    expect(() => metric.create({ metric: 3 } as never)).toThrow("metric.create: expected a config's 'metric' to be a registered name, but got the number 3");
    expect(() => metric.create(42 as never)).toThrow('metric.create: expected a metric, a registered name, a function, a list of these or a { metric: name, ... } config, but got the number 42');
    expect(() => metric.create('{"metric": ')).toThrow(/^metric\.create: expected valid JSON, but got the string/);
    expect(() => metric.create('{"axis": 1}')).toThrow('metric.create: expected a JSON config \'{"metric": name, ...}\', but got the string \'{"axis": 1}\'');
    expect(() => metric.create('acc', 'axis' as never)).toThrow("metric.create: expected an options object, but got the string 'axis'");
    expect(() => metric.create(metric.Accuracy as never)).toThrow('metric.create: expected a metric instance or a function of (label, pred), but got the class Accuracy (construct it: new Accuracy())');
    expect(() => metric.create('acc', { topK: 2 })).toThrow(GluonError);
    const cyclic: unknown[] = ['acc'];
    cyclic.push(cyclic);
    const config: Record<string, unknown> = { metric: 'composite' };
    config.metrics = [config];
    for (const spec of [cyclic, config]) {
      expect(() => metric.create(spec as never)).toThrow('metric.create: expected metric lists and configs nested at most 32 deep, but got deeper ones (a cyclic list?)');
    }
    expect(metric.create([[['acc']]]).get()[0]).toEqual(['accuracy']); // the depth count unwinds
  });

  test('register adds a name; built-in and taken names are refused', () => {
    metric.register('halfAccuracy', (options) => new metric.Accuracy({ ...options, name: 'half' }));
    expect(metric.create('HALFACCURACY').name).toBe('half');
    expect(metric.registeredNames()).toContain('halfaccuracy');
    expect(() => metric.register('acc', () => new metric.MAE())).toThrow("metric.register: expected a new name, but 'acc' is already registered");
    expect(() => metric.register('a b', () => new metric.MAE())).toThrow("metric.register: expected a name of letters, digits, '_', '.' or '-' starting with a letter or '_', but got the string 'a b'");
    metric.register('broken', () => 3 as never);
    expect(() => metric.create('Broken')).toThrow("metric.create: the factory registered as 'broken' should return an EvalMetric, but returned the number 3");
    expect(() => metric.register('x', 3 as never)).toThrow("metric.register: expected a factory function for 'x', but got the number 3");
  });
});
