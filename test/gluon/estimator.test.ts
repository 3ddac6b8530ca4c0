/**
 * gluon.contrib.estimator.Estimator: fit trains exactly as the hand-written Gluon loop it stands
 * for (same bits), with MXNet's default metrics, names and log lines; batches, validation,
 * custom and asynchronous handlers, priorities and stopping; every error names what is wrong.
 * Checkpoints and early stopping are in estimator_handlers.test.ts.
 */
import { NDArray, autograd, gluon, metric, nd, nn, random } from '../../src';

const { Estimator, LoggingHandler, MetricHandler, ValidationHandler } = gluon.contrib.estimator;
type EventHandler = gluon.contrib.estimator.EventHandler;

/** 24 two-feature points in 3 classes (by which third of the plane they lie in), and their loader. */
function dataset() {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 24; i++) {
    const a = ((i * 7) % 24) / 12 - 1, b = ((i * 5) % 24) / 12 - 1;
    xs.push([a, b]);
    ys.push(a + b < -0.5 ? 0 : a + b < 0.5 ? 1 : 2);
  }
  return { x: nd.array(xs), y: nd.array(ys) };
}

function loader(batchSize = 8) {
  const { x, y } = dataset();
  return new gluon.data.DataLoader(new gluon.data.ArrayDataset(x, y), { batchSize });
}

function freshNet(): nn.HybridSequential {
  random.seed(11);
  const net = new nn.HybridSequential();
  net.add(new nn.Dense(8, { activation: 'relu', inUnits: 2 }), new nn.Dense(3, { inUnits: 8 }));
  net.initialize('xavier');
  return net;
}

/** A logger that records every line. */
function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: { info: (m: string) => lines.push(m), warning: (m: string) => lines.push(`WARNING ${m}`) } };
}

const weights = (net: nn.Block) => [...net.collectParams().values()].map((p) => p.data().toFloat32Array());

describe('fit', () => {
  it('trains with the bits of the hand-written loop (record, backward, trainer.step, metric.update)', async () => {
    const byHand = freshNet();
    const handTrainer = new gluon.Trainer(byHand.collectParams(), 'sgd', { learningRate: 0.5, momentum: 0.5 });
    const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
    const accuracy = new metric.Accuracy();
    for (let epoch = 0; epoch < 3; epoch++) {
      accuracy.reset();
      for (const [data, label] of loader()) {
        const { out, loss } = autograd.record(() => {
          const o = byHand(data) as NDArray;
          return { out: o, loss: lossFn(o, label) as NDArray };
        });
        loss.backward();
        handTrainer.step(data.shape[0]);
        accuracy.update([label], [out]);
      }
    }

    const net = freshNet();
    const { logger } = recordingLogger();
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), {
      trainer: new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.5, momentum: 0.5 }), logger,
    });
    await est.fit(loader(), { epochs: 3 });
    expect(weights(net)).toEqual(weights(byHand));
    expect(est.trainMetrics[0].get()).toEqual(['training accuracy', accuracy.get()[1]]);
  });

  it("has MXNet's default metrics, names and log lines (one line per epoch, no progress bar off a terminal)", async () => {
    const net = freshNet();
    const { lines, logger } = recordingLogger();
    const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
    const est = new Estimator(net, lossFn, { trainer: new gluon.Trainer(net.collectParams(), 'adam', { learningRate: 0.05 }), logger });
    expect(est.trainMetrics.map((m) => m.name)).toEqual(['training accuracy', `training ${lossFn.name.replace(/\d+$/, '')}`]);
    expect(est.valMetrics.map((m) => m.name)).toEqual(['validation accuracy', `validation ${lossFn.name.replace(/\d+$/, '')}`]);
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
    try {
      await est.fit(loader(), { valData: loader(12), epochs: 2 });
    } finally {
      write.mockRestore();
    }
    expect(written.filter((text) => text.includes('\r'))).toEqual([]);
    const pattern = (line: string) => line.replace(/\d+\.\d{3}s/, 'T').replace(/\d+\.\d{4}|nan/g, 'V');
    expect(lines.map(pattern)).toEqual([
      'Training begin: using optimizer Adam with current learning rate V ',
      'Train for 2 epochs.',
      '[Epoch 0] Begin, current learning rate: V',
      'Validation Begin',
      '[Epoch 0] Finished in T, validation accuracy: V, validation softmaxcrossentropyloss: V',
      '[Epoch 0] Finished in T, training accuracy: V, training softmaxcrossentropyloss: V',
      '[Epoch 1] Begin, current learning rate: V',
      'Validation Begin',
      '[Epoch 0] Finished in T, validation accuracy: V, validation softmaxcrossentropyloss: V',
      '[Epoch 1] Finished in T, training accuracy: V, training softmaxcrossentropyloss: V',
      expect.stringMatching(/^Train finished using total \d+s with 2 epochs\. training accuracy: V, training softmaxcrossentropyloss: V$/),
    ]);
    // The validation metrics are those of the whole validation set, by an independent count.
    const predicted = nd.argmax(net(dataset().x) as NDArray, { axis: 1 }).toFloat32Array();
    const labels = dataset().y.toFloat32Array();
    expect(est.valMetrics[0].get()[1]).toBe(predicted.filter((p, i) => p === labels[i]).length / 24);
  });

  it('draws a progress bar in place on a terminal, and logs every logInterval batches', async () => {
    const net = freshNet();
    const { lines, logger } = recordingLogger();
    const writes: string[] = [];
    const terminal = { isTTY: true, columns: 200, write: (text: string) => writes.push(text) };
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger });
    await est.fit(loader(), { epochs: 1, eventHandlers: [new LoggingHandler({ logInterval: 2, metrics: est.trainMetrics, progressStream: terminal })] });
    const bars = writes.filter((w) => /\[Epoch 0\] \d\/3 \[/.test(w));
    expect(bars.map((w) => w.match(/\d\/3/)?.[0])).toEqual(['1/3', '2/3', '3/3']);
    expect(bars[2]).toContain('[====================]');
    expect(lines.filter((l) => l.startsWith('[Epoch 0][Batch')).map((l) => l.slice(0, 30))).toEqual(['[Epoch 0][Batch 0][Samples 8] ', '[Epoch 0][Batch 2][Samples 24]']);
  });

  it('trains for a number of batches across epochs', async () => {
    const net = freshNet();
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger: recordingLogger().logger });
    await est.fit(loader(), { batches: 5 });
    expect(est.trainer.optimizer.numUpdate).toBe(5);
  });

  it('runs custom handlers by priority, awaits asynchronous ones, and stops when one says so', async () => {
    const net = freshNet();
    const order: string[] = [];
    let pending = 0;
    const late: EventHandler = { priority: 5, batchEnd: () => { order.push('late'); } };
    const early: EventHandler = {
      priority: -5000,
      async batchEnd() {
        pending++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending--;
        order.push('early');
      },
    };
    const stopper: EventHandler = { priority: 10, batchEnd: () => order.filter((o) => o === 'late').length === 2 };
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger: recordingLogger().logger });
    await est.fit(loader(), { epochs: 5, eventHandlers: [late, stopper, early] });
    expect(order).toEqual(['early', 'late', 'early', 'late']);
    expect(pending).toBe(0);
    expect(est.trainer.optimizer.numUpdate).toBe(2);
  });

  it('validates every batchPeriod batches with a ValidationHandler', async () => {
    const net = freshNet();
    const evaluated: number[] = [];
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger: recordingLogger().logger });
    const validation = new ValidationHandler(loader(), () => { evaluated.push(est.trainer.optimizer.numUpdate); }, { batchPeriod: 2, epochPeriod: 0 });
    await est.fit(loader(), { epochs: 2, eventHandlers: [validation] });
    expect(evaluated).toEqual([2, 4, 6]);
  });
});

describe('evaluate', () => {
  it('computes the validation metrics over every batch, with evalNet and evaluationLoss', async () => {
    const net = freshNet();
    const est = new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), {
      trainMetrics: new metric.Accuracy(), evaluationLoss: new gluon.loss.SoftmaxCrossEntropyLoss(), evalNet: net,
      trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger: recordingLogger().logger,
    });
    await est.evaluate(loader(5));
    const predicted = nd.argmax(net(dataset().x) as NDArray, { axis: 1 }).toFloat32Array();
    const labels = dataset().y.toFloat32Array();
    expect(est.valMetrics.map((m) => m.get())).toEqual([['validation accuracy', predicted.filter((p, i) => p === labels[i]).length / 24]]);
  });

  it('accepts its own MetricHandler instead of the default one', async () => {
    const net = freshNet();
    const mine = new metric.MSE();
    const est = new Estimator(net, new gluon.loss.L2Loss(), { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), logger: recordingLogger().logger });
    expect(est.trainMetrics.map((m) => m.name)).toEqual(['training mse', 'training l2loss']);
    const { x } = dataset();
    await est.evaluate([[x, nd.zeros([24, 3])]], { eventHandlers: [new MetricHandler([mine])] });
    const out = (net(x) as NDArray).toFloat32Array();
    expect(mine.get()[1]).toBeCloseTo(out.reduce((s, v) => s + v * v, 0) / out.length, 6);
  });
});

describe('Estimator errors', () => {
  const net = freshNet();
  const loss = new gluon.loss.SoftmaxCrossEntropyLoss();
  const quiet = { logger: recordingLogger().logger };
  const est = () => new Estimator(net, loss, { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), ...quiet });

  it('refuses a bad net, loss, trainer, context, metric or option', () => {
    expect(() => new Estimator({} as nn.Block, loss)).toThrow('Estimator: expected net to be a Block, but got');
    expect(() => new Estimator(net, {} as gluon.loss.Loss)).toThrow('Estimator: expected loss to be a gluon.loss.Loss, but got');
    expect(() => new Estimator(net, loss, { trainer: {} as gluon.Trainer, ...quiet })).toThrow('Estimator: expected trainer to be a gluon.Trainer, but got');
    expect(() => new Estimator(net, loss, { context: 'gpu' as 'cpu', ...quiet })).toThrow("Estimator: expected context to be one of 'cpu'");
    expect(() => new Estimator(net, loss, { trainMetrics: [{} as metric.Accuracy], ...quiet })).toThrow('Estimator: expected metrics (EvalMetric instances), but got object at position 0');
    expect(() => new Estimator(net, loss, { learningRate: 1 } as never)).toThrow(/Estimator: .*learningRate/);
  });

  it('warns and builds SGD at 0.001 without a trainer, and skips initializing an initialized net', () => {
    const { lines, logger } = recordingLogger();
    const e = new Estimator(net, loss, { initializer: 'zeros', logger });
    expect(lines).toEqual([
      expect.stringMatching(/^WARNING Network already fully initialized, skipping initialization/),
      'WARNING No trainer specified, default SGD optimizer with learning rate 0.001 is used.',
    ]);
    expect(e.trainer.learningRate).toBe(0.001);
  });

  it('refuses fit without exactly one of epochs and batches, bad data, bad batches and bad handlers', async () => {
    await expect(est().fit(loader())).rejects.toThrow('Estimator.fit: expected exactly one of epochs and batches (train by a number of epochs or of batches), but got neither');
    await expect(est().fit(loader(), { epochs: 1, batches: 2 })).rejects.toThrow('but got both');
    await expect(est().fit(5 as never, { epochs: 1 })).rejects.toThrow('Estimator.fit: expected trainData to be a DataLoader or another iterable of [data, label] batches, but got');
    await expect(est().fit([], { batches: 3 })).rejects.toThrow('Estimator.fit: expected trainData to yield at least one batch, but it yielded none');
    await expect(est().fit([[nd.zeros([1, 2])]], { epochs: 1 })).rejects.toThrow('Estimator.fit: expected each batch to be [data, label] NDArrays, but batch 0 is');
    await expect(est().fit(loader(), { epochs: 0 })).rejects.toThrow('Estimator.fit: expected epochs');
    await expect(est().fit(loader(), { epochs: 1, eventHandlers: [{} as EventHandler] })).rejects
      .toThrow('Estimator.fit: expected event handlers (objects with trainBegin, epochBegin, batchBegin, batchEnd, epochEnd or trainEnd methods), but got');
  });

  it('refuses a network that does not return one array, and a bad logInterval', async () => {
    class Two extends nn.Block<NDArray[]> {
      override forward(x: NDArray): NDArray[] { return [x, x]; }
    }
    const two = new Two();
    const e = new Estimator(two, loss, { trainer: new gluon.Trainer(net.collectParams(), 'sgd'), ...quiet });
    await expect(e.fit(loader(), { epochs: 1 })).rejects.toThrow('Estimator.fitBatch: expected the network to return one NDArray, but it returned');
    expect(() => new LoggingHandler({ logInterval: 0 })).toThrow("LoggingHandler: expected logInterval to be 'epoch' or an integer >= 1, but got 0");
    expect(() => new ValidationHandler(loader(), 3 as never)).toThrow('ValidationHandler: expected evalFn to be a function, but got number');
  });
});
