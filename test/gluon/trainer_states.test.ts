/**
 * Trainer.saveStates / loadStates: training k steps, saving the weights and the states, and
 * resuming in a fresh network and Trainer gives the same bits as training straight through, for
 * every optimizer (with and without a learning-rate scheduler); files and bytes; every rejection
 * names what does not match.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NDArray, autograd, gluon, lrScheduler, nd, nn, random } from '../../src';
import { AnyOptimizerOptions } from '../../src/gluon/optimizers/registry';

/** A small net with a deterministic start (seeded), the same every call. */
function freshNet(): nn.HybridSequential {
  random.seed(3);
  const net = new nn.HybridSequential();
  net.add(new nn.Dense(5, { activation: 'tanh', inUnits: 4 }), new nn.Dense(2, { inUnits: 5 }));
  net.initialize('xavier');
  return net;
}

const x = nd.array([[0.5, -1, 2, 0.25], [1.5, 0.5, -0.5, -2], [0, 1, 1, -1]]);
const y = nd.array([[1, 0], [0, 1], [0.5, 0.5]]);
const lossFn = new gluon.loss.L2Loss();

function trainSteps(net: nn.Block, trainer: gluon.Trainer, steps: number): void {
  for (let i = 0; i < steps; i++) {
    autograd.record(() => lossFn(net(x) as NDArray, y)).backward();
    trainer.step(3);
  }
}

const weights = (net: nn.Block) => [...net.collectParams().values()].map((p) => p.data().toFloat32Array());

const OPTIMIZERS: [string, string, AnyOptimizerOptions, (() => lrScheduler.LRScheduler) | undefined][] = [
  ['sgd with momentum', 'sgd', { learningRate: 0.1, momentum: 0.9, wd: 0.01 }, undefined],
  ['nag', 'nag', { learningRate: 0.1, momentum: 0.8 }, undefined],
  ['adam with a FactorScheduler', 'adam', { learningRate: 0.05 }, () => new lrScheduler.FactorScheduler({ step: 2, factor: 0.5 })],
  ['adamw with a CosineScheduler', 'adamw', { learningRate: 0.05 }, () => new lrScheduler.CosineScheduler({ maxUpdate: 10 })],
  ['rmsprop', 'rmsprop', { learningRate: 0.01, centered: true }, undefined],
  ['adagrad', 'adagrad', { learningRate: 0.1 }, undefined],
  ['sgd with a MultiFactorScheduler', 'sgd', { learningRate: 0.2, momentum: 0.5 }, () => new lrScheduler.MultiFactorScheduler({ step: [2, 5], factor: 0.5 })],
  ['sgd with a PolyScheduler', 'sgd', { learningRate: 0.2 }, () => new lrScheduler.PolyScheduler({ maxUpdate: 6, pwr: 1.5 })],
  ['adadelta', 'adadelta', { rho: 0.8 }, undefined],
  ['adamax', 'adamax', { learningRate: 0.05 }, undefined],
  ['nadam', 'nadam', { learningRate: 0.05 }, undefined],
  ['ftrl', 'ftrl', { lamda1: 0.001 }, undefined],
  ['signum', 'signum', { learningRate: 0.01, wdLh: 0.01 }, undefined],
];

describe.each(OPTIMIZERS)('resuming %s', (_name, optimizerName, options, schedule) => {
  const makeTrainer = (net: nn.Block) => new gluon.Trainer(net.collectParams(), optimizerName, { ...options, ...(schedule ? { lrScheduler: schedule() } : {}) });

  it('gives the bits of training straight through (bytes)', () => {
    const straight = freshNet();
    trainSteps(straight, makeTrainer(straight), 7);

    const first = freshNet();
    const firstTrainer = makeTrainer(first);
    trainSteps(first, firstTrainer, 3);
    const params = first.saveParametersBytes();
    const states = firstTrainer.saveStatesBytes();
    trainSteps(first, firstTrainer, 1); // moves on after saving: the saved bytes must not follow

    const resumed = freshNet();
    resumed.loadParameters(params);
    const resumedTrainer = makeTrainer(resumed);
    resumedTrainer.loadStatesBytes(states);
    trainSteps(resumed, resumedTrainer, 4);
    expect(weights(resumed)).toEqual(weights(straight));
    expect(resumedTrainer.optimizer.numUpdate).toBe(7);
  });
});

test('saveStates / loadStates go through a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-states-'));
  try {
    const straight = freshNet();
    trainSteps(straight, new gluon.Trainer(straight.collectParams(), 'adam'), 4);
    const first = freshNet();
    const trainer = new gluon.Trainer(first.collectParams(), 'adam');
    trainSteps(first, trainer, 2);
    first.saveParameters(path.join(dir, 'net.params'));
    trainer.saveStates(path.join(dir, 'net.states'));
    const resumed = freshNet();
    resumed.loadParameters(path.join(dir, 'net.params'));
    const resumedTrainer = new gluon.Trainer(resumed.collectParams(), 'adam');
    resumedTrainer.loadStates(path.join(dir, 'net.states'));
    trainSteps(resumed, resumedTrainer, 2);
    expect(weights(resumed)).toEqual(weights(straight));
    expect(() => resumedTrainer.loadStates(path.join(dir, 'missing.states'))).toThrow(/^Trainer\.loadStates: cannot read '.*missing\.states'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('loadStates refuses states that do not fit', () => {
  const saved = () => {
    const net = freshNet();
    const trainer = new gluon.Trainer(net.collectParams(), 'adam');
    trainSteps(net, trainer, 1);
    return trainer.saveStatesBytes();
  };
  const adamTrainer = (net = freshNet(), extra: AnyOptimizerOptions = {}) => new gluon.Trainer(net.collectParams(), 'adam', extra);
  /** The sorted parameter names of `net`, as the Trainer lists them. */
  const namesOf = (net: nn.Block) => [...net.collectParams().values()].map((p) => p.name).sort();

  it('bytes that are not a states file', () => {
    const trainer = adamTrainer();
    expect(() => trainer.loadStatesBytes(new Uint8Array([1, 2, 3])))
      .toThrow('Trainer.loadStatesBytes: expected a tsgluon Trainer states file (saved by Trainer.saveStates), but it does not start with the states header');
    const noEnd = new TextEncoder().encode('TSGLUON-TRAINER-STATES 1\n{"optimizer":');
    expect(() => trainer.loadStatesBytes(noEnd)).toThrow('but its JSON header does not end');
    const badJson = new TextEncoder().encode('TSGLUON-TRAINER-STATES 1\n{oops}\n');
    expect(() => trainer.loadStatesBytes(badJson)).toThrow(/but its JSON header cannot be read \(/);
    const wrongTypes = new TextEncoder().encode('TSGLUON-TRAINER-STATES 1\n{"optimizer":"Adam","params":[],"learningRate":-1}\n');
    expect(() => trainer.loadStatesBytes(wrongTypes)).toThrow('but its JSON header lacks fields or has values of the wrong type');
    expect(() => trainer.loadStatesBytes([1, 2] as unknown as Uint8Array)).toThrow("Trainer.loadStatesBytes: expected the states' bytes as a Uint8Array, but got");
  });

  it('states of another optimizer, other parameters, other sizes, or without the scheduler', () => {
    const bytes = saved();
    const savedNames = namesOf(freshNet()).map((name) => name.replace(/\d+_/, (m) => `${Number(m.slice(0, -1)) - 2}_`));
    const net = freshNet();
    expect(() => new gluon.Trainer(net.collectParams(), 'sgd').loadStatesBytes(bytes))
      .toThrow("Trainer.loadStatesBytes: expected states of the Trainer's optimizer SGD, but the file holds Adam's");
    const params = [...net.collectParams().values()];
    expect(() => new gluon.Trainer(params.slice(1), 'adam').loadStatesBytes(bytes))
      .toThrow(`expected states of the Trainer's 3 parameters (${params.slice(1).map((p) => p.name).join(', ')}), but the file holds states of 4 (`);
    expect(() => adamTrainer(net, { lrScheduler: new lrScheduler.FactorScheduler({ step: 1 }) }).loadStatesBytes(bytes))
      .toThrow('expected states with a learning-rate scheduler, as the Trainer\'s optimizer has, but the file holds them without one');
    const wider = new nn.HybridSequential();
    wider.add(new nn.Dense(6, { activation: 'tanh', inUnits: 4 }), new nn.Dense(2, { inUnits: 6 }));
    wider.initialize();
    // Same count, another size: the first state array that differs is named.
    expect(() => new gluon.Trainer(wider.collectParams(), 'adam').loadStatesBytes(bytes))
      .toThrow(`expected 6 values in the state of Parameter '${namesOf(wider)[0]}', but the file has 5`);
    expect(savedNames).toHaveLength(4);
  });

  it('a state array of the wrong size', () => {
    const net = freshNet();
    const names = namesOf(net);
    const trainer = new gluon.Trainer(net.collectParams(), 'adam');
    trainSteps(net, trainer, 1);
    const bytes = trainer.saveStatesBytes();
    const text = new TextDecoder('latin1').decode(bytes);
    const header = text.slice(0, text.indexOf('\n', 25) + 1);
    const body = nd.loadBytes(bytes.subarray(header.length)) as Record<string, NDArray>;
    body['0:0'] = nd.zeros([3]);
    const patched = new Uint8Array([...new TextEncoder().encode(header), ...nd.saveBytes(body)]);
    expect(() => new gluon.Trainer(net.collectParams(), 'adam').loadStatesBytes(patched))
      .toThrow(`Trainer.loadStatesBytes: expected 5 values in the state of Parameter '${names[0]}', but the file has 3`);
    const listed = new Uint8Array([...new TextEncoder().encode(header), ...nd.saveBytes([nd.zeros([3])])]);
    expect(() => new gluon.Trainer(net.collectParams(), 'adam').loadStatesBytes(listed)).toThrow('Trainer.loadStatesBytes: expected the state arrays by key, but the file holds an unnamed list');
    delete body['0:0'];
    body['9:0'] = nd.zeros([3]);
    const badKey = new Uint8Array([...new TextEncoder().encode(header), ...nd.saveBytes(body)]);
    expect(() => new gluon.Trainer(net.collectParams(), 'adam').loadStatesBytes(badKey))
      .toThrow("expected state keys '<parameter index>:<state index>' below 4 and 2, but the file has '9:0'");
  });
});
