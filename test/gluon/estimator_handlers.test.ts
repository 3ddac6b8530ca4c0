/**
 * The Estimator's CheckpointHandler and EarlyStoppingHandler: files per period with MXNet's
 * names, the oldest removed past maxCheckpoints, the best kept, the symbol of a hybridized
 * network, resuming with the bits of an uninterrupted run; early stopping after `patience`
 * epochs without improvement, 'auto' modes by metric name; every error names what is wrong.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NDArray, gluon, metric, nd, nn, random } from '../../src';

const { Estimator, CheckpointHandler, EarlyStoppingHandler } = gluon.contrib.estimator;

function loader() {
  const x = nd.array(Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]));
  const y = nd.array(Array.from({ length: 16 }, (_, i) => (Math.sin(i) > Math.cos(3 * i) ? 1 : 0)));
  return new gluon.data.DataLoader(new gluon.data.ArrayDataset(x, y), { batchSize: 4 });
}

function freshNet(): nn.HybridSequential {
  random.seed(5);
  const net = new nn.HybridSequential();
  net.add(new nn.Dense(6, { activation: 'tanh', inUnits: 2 }), new nn.Dense(2, { inUnits: 6 }));
  net.initialize('xavier');
  return net;
}

const quiet = () => {
  const lines: string[] = [];
  return { lines, logger: { info: (m: string) => lines.push(m), warning: (m: string) => lines.push(`WARNING ${m}`) } };
};

function estimator(net: nn.Block, lr = 0.1, logger = quiet().logger) {
  return new Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), { trainer: new gluon.Trainer(net.collectParams(), 'adam', { learningRate: lr }), logger });
}

const weights = (net: nn.Block) => [...net.collectParams().values()].map((p) => p.data().toFloat32Array());

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-ckpt-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CheckpointHandler', () => {
  it('saves parameters and states every epoch under MXNet\'s names, keeps maxCheckpoints, and the symbol of a hybridized net', async () => {
    const net = freshNet();
    net.hybridize();
    await estimator(net).fit(loader(), { epochs: 4, eventHandlers: [new CheckpointHandler(dir, { modelPrefix: 'm', maxCheckpoints: 2 })] });
    expect(fs.readdirSync(dir).sort()).toEqual(['m-epoch2batch12.params', 'm-epoch2batch12.states', 'm-epoch3batch16.params', 'm-epoch3batch16.states', 'm-symbol.json']);
    const saved = nd.load(path.join(dir, 'm-epoch3batch16.params')) as Record<string, NDArray>;
    expect(Object.values(saved).map((a) => a.toFloat32Array())).toEqual(weights(net));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'm-symbol.json'), 'utf8')).nodes.map((n: { op: string }) => n.op)).toContain('FullyConnected');
  });

  it('says the symbol is not saved for a network that is not hybridized, and saves by batches', async () => {
    const { lines, logger } = quiet();
    await estimator(freshNet(), 0.1, logger).fit(loader(), { batches: 6, eventHandlers: [new CheckpointHandler(dir, { epochPeriod: 0, batchPeriod: 3 })] });
    expect(lines.some((l) => l.startsWith('Model architecture(symbol file) is not saved'))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.params')).sort()).toEqual(['model-epoch0batch2.params', 'model-epoch1batch5.params']);
  });

  it('keeps the best checkpoint by a monitored metric (a loss: lower is better)', async () => {
    const net = freshNet();
    const est = estimator(net, 0.05);
    const monitor = est.trainMetrics[1];
    const values: number[] = [];
    await est.fit(loader(), {
      epochs: 3,
      eventHandlers: [new CheckpointHandler(dir, { monitor, saveBest: true }), { epochEnd: () => { values.push(monitor.get()[1] as number); } }],
    });
    const best = values.indexOf(Math.min(...values));
    expect(fs.existsSync(path.join(dir, 'model-best.params'))).toBe(true);
    const saved = nd.load(path.join(dir, 'model-best.params')) as Record<string, NDArray>;
    const atBest = nd.load(path.join(dir, `model-epoch${best}batch${4 * (best + 1)}.params`)) as Record<string, NDArray>;
    expect(Object.values(saved).map((a) => a.toFloat32Array())).toEqual(Object.values(atBest).map((a) => a.toFloat32Array()));
  });

  it('resumes from the latest checkpoint with the bits of an uninterrupted run', async () => {
    const straight = freshNet();
    await estimator(straight).fit(loader(), { epochs: 3 });

    await estimator(freshNet()).fit(loader(), { epochs: 2, eventHandlers: [new CheckpointHandler(dir)] });
    const resumed = freshNet();
    const { lines, logger } = quiet();
    const est = estimator(resumed, 0.1, logger);
    await est.fit(loader(), { epochs: 3, eventHandlers: [new CheckpointHandler(dir, { resumeFromCheckpoint: true })] });
    expect(lines).toContain('WARNING CheckpointHandler: Checkpoint resumed from epoch 1 batch 8, continue to train for 1 epochs');
    expect(weights(resumed)).toEqual(weights(straight));
    expect(fs.existsSync(path.join(dir, 'model-epoch2batch12.params'))).toBe(true);
  });

  it('errors: saveBest without a monitor, a bad period, resuming by another period, nothing left to train', async () => {
    expect(() => new CheckpointHandler(dir, { saveBest: true })).toThrow("CheckpointHandler: expected one of the estimator's metrics (estimator.trainMetrics or valMetrics) as monitor, but got undefined");
    expect(() => new CheckpointHandler(dir, { epochPeriod: -1 })).toThrow('CheckpointHandler: expected epochPeriod');
    expect(() => new CheckpointHandler('')).toThrow('CheckpointHandler: expected modelDir to be a directory path, but got ');
    await expect(estimator(freshNet()).fit(loader(), { epochs: 2, eventHandlers: [new CheckpointHandler(dir, { batchPeriod: 2, resumeFromCheckpoint: true })] }))
      .rejects.toThrow('CheckpointHandler: to resume from a checkpoint, save by the same kind of period you train by');
    await estimator(freshNet()).fit(loader(), { epochs: 2, eventHandlers: [new CheckpointHandler(dir)] });
    await expect(estimator(freshNet()).fit(loader(), { epochs: 2, eventHandlers: [new CheckpointHandler(dir, { resumeFromCheckpoint: true })] }))
      .rejects.toThrow('CheckpointHandler: found a checkpoint with the maximum number of epochs (2) reached; set resumeFromCheckpoint false to train from scratch');
  });
});

describe('EarlyStoppingHandler', () => {
  it('stops after patience epochs without improvement of the monitored loss', async () => {
    const net = freshNet();
    const est = estimator(net, 0); // learning rate 0: the loss never improves after the first epoch
    const stopper = new EarlyStoppingHandler(est.trainMetrics[1], { patience: 2 });
    expect(stopper.mode).toBe('min');
    await est.fit(loader(), { epochs: 10, eventHandlers: [stopper] });
    expect(est.trainer.optimizer.numUpdate).toBe(3 * 4);
    expect(stopper.stoppedEpoch).toBe(2);
  });

  it('uses max for accuracy and F1 in auto mode (MXNet 1.9 maximizes every metric: a bug), a baseline and minDelta', async () => {
    expect(new EarlyStoppingHandler(new metric.Accuracy()).mode).toBe('max');
    expect(new EarlyStoppingHandler(new metric.F1()).mode).toBe('max');
    expect(new EarlyStoppingHandler(new metric.MSE()).mode).toBe('min');
    const est = estimator(freshNet(), 0.05);
    const stopper = new EarlyStoppingHandler(est.trainMetrics[0], { baseline: 1.01, mode: 'max' });
    await est.fit(loader(), { epochs: 5, eventHandlers: [stopper] });
    expect(est.trainer.optimizer.numUpdate).toBe(4); // accuracy cannot pass 1.01: stops after the first epoch
  });

  it('errors: not a metric, a composite, a bad mode', () => {
    expect(() => new EarlyStoppingHandler({} as metric.Accuracy)).toThrow("EarlyStoppingHandler: expected one of the estimator's metrics");
    expect(() => new EarlyStoppingHandler(new metric.CompositeEvalMetric(['acc']))).toThrow('EarlyStoppingHandler: expected a simple metric to monitor, but got a CompositeEvalMetric');
    expect(() => new EarlyStoppingHandler(new metric.Accuracy(), { mode: 'up' as 'max' })).toThrow("EarlyStoppingHandler: expected mode 'auto', 'min' or 'max', but got up");
  });
});
