import { gluon, lrScheduler } from '../../src';

// Expected values are worked out by hand from MXNet 1.9's python/mxnet/lr_scheduler.py.

describe('FactorScheduler', () => {
  test('decays by factor once numUpdate exceeds each multiple of step, floored at stopFactorLr', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 3, factor: 0.5, baseLr: 1, stopFactorLr: 0.1 });
    const lrs = Array.from({ length: 15 }, (_, n) => sched.learningRateAt(n));
    // n = 0..3 → 1; 4..6 → 0.5; 7..9 → 0.25; 10..12 → 0.125; 13.. → 0.0625 floored to 0.1.
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.1, 0.1]);
  });

  test('a jump in numUpdate applies every missed decay (resuming)', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 2, factor: 0.1, baseLr: 1 });
    expect(sched.learningRateAt(7)).toBeCloseTo(1e-3, 15); // 7 > 2, 4, 6: three decays
    expect(sched.learningRateAt(7)).toBeCloseTo(1e-3, 15);
  });

  test('the defaults (factor 1, baseLr 0.01) keep the rate', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 1 });
    expect([0, 1, 10, 100].map((n) => sched.learningRateAt(n))).toEqual([0.01, 0.01, 0.01, 0.01]);
    expect([sched.factor, sched.stopFactorLr, sched.warmupSteps, sched.warmupMode]).toEqual([1, 1e-8, 0, 'linear']);
  });

  test('linear warm-up rises from warmupBeginLr to baseLr over warmupSteps', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 5, factor: 0.5, baseLr: 0.5, warmupSteps: 4, warmupBeginLr: 0.1 });
    const lrs = Array.from({ length: 8 }, (_, n) => sched.learningRateAt(n));
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.25, 0.25].forEach((lr, n) => expect(lrs[n]).toBeCloseTo(lr, 15));
  });

  test('constant warm-up holds warmupBeginLr', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 10, baseLr: 0.5, warmupSteps: 3, warmupBeginLr: 0.05, warmupMode: 'constant' });
    expect([0, 1, 2, 3].map((n) => sched.learningRateAt(n))).toEqual([0.05, 0.05, 0.05, 0.5]);
  });
});

describe('CosineScheduler', () => {
  test('decays from baseLr to finalLr along a half cosine, then stays', () => {
    const sched = new lrScheduler.CosineScheduler({ maxUpdate: 8, baseLr: 1, finalLr: 0.2 });
    // finalLr + (1 - finalLr)(1 + cos(πn/8))/2: n = 0 → 1, n = 4 → 0.6, n = 8 → 0.2.
    expect(sched.learningRateAt(0)).toBeCloseTo(1, 15);
    expect(sched.learningRateAt(2)).toBeCloseTo(0.2 + 0.4 * (1 + Math.SQRT1_2), 15);
    expect(sched.learningRateAt(4)).toBeCloseTo(0.6, 15);
    expect(sched.learningRateAt(8)).toBeCloseTo(0.2, 15);
    expect(sched.learningRateAt(20)).toBeCloseTo(0.2, 15);
  });

  test('with warm-up, the decay spans warmupSteps..maxUpdate', () => {
    const sched = new lrScheduler.CosineScheduler({ maxUpdate: 10, baseLr: 1, finalLr: 0.1, warmupSteps: 2, warmupBeginLr: 0 });
    expect(sched.learningRateAt(0)).toBe(0);
    expect(sched.learningRateAt(1)).toBeCloseTo(0.5, 15);
    expect(sched.learningRateAt(2)).toBeCloseTo(1, 15);
    expect(sched.learningRateAt(6)).toBeCloseTo(0.55, 15); // 0.1 + 0.9·(1 + cos(π/2))/2
    expect(sched.learningRateAt(10)).toBeCloseTo(0.1, 15);
  });

  test("the decay starts from the constructor's baseLr even when an optimizer overrides baseLr (as MXNet)", () => {
    const sched = new lrScheduler.CosineScheduler({ maxUpdate: 4, baseLr: 1 });
    const opt = new gluon.optimizer.SGD({ learningRate: 0.3, lrScheduler: sched });
    expect(sched.baseLr).toBe(0.3);
    expect(opt.learningRate).toBeCloseTo(1, 15); // numUpdate 0: the cosine's start
    expect(sched.learningRateAt(2)).toBeCloseTo(0.5, 15);
  });
});

describe('scheduler errors', () => {
  test.each([
    [() => new lrScheduler.FactorScheduler({ step: 0 }), /FactorScheduler: expected step to be an integer >= 1, but got the number 0/],
    [() => new lrScheduler.FactorScheduler({ step: 2.5 }), /FactorScheduler: expected step to be an integer >= 1, but got the number 2.5/],
    [() => new lrScheduler.FactorScheduler({ step: 1, factor: 1.5 }), /FactorScheduler: expected factor to be a finite number in \[0, 1\], but got the number 1.5/],
    [() => new lrScheduler.FactorScheduler({ step: 1, stopFactorLr: -1 }), /FactorScheduler: expected stopFactorLr to be a finite number >= 0, but got the number -1/],
    [() => new lrScheduler.FactorScheduler({ step: 1, baseLr: -0.1 }), /FactorScheduler: expected baseLr to be a finite number >= 0, but got the number -0.1/],
    [() => new lrScheduler.FactorScheduler({ step: 1, warmupSteps: -1 }), /FactorScheduler: expected warmupSteps to be an integer >= 0, but got the number -1/],
    [() => new lrScheduler.FactorScheduler({ step: 1, baseLr: 0.1, warmupBeginLr: 0.2 }), /FactorScheduler: expected warmupBeginLr to be a finite number in \[0, 0.1\], but got the number 0.2/],
    [() => new lrScheduler.FactorScheduler({ step: 1, warmupMode: 'cosine' as lrScheduler.WarmupMode }), /FactorScheduler: expected warmupMode 'linear' or 'constant', but got 'cosine'/],
    [() => new lrScheduler.FactorScheduler({ step: 1, stepSize: 2 } as lrScheduler.FactorSchedulerOptions), /FactorScheduler: expected options among .*, but got unknown option 'stepSize'/],
    [() => new lrScheduler.CosineScheduler({ maxUpdate: 0 }), /CosineScheduler: expected maxUpdate to be an integer > 0, but got the number 0/],
    [() => new lrScheduler.CosineScheduler({ maxUpdate: 3, warmupSteps: 3 }), /CosineScheduler: expected maxUpdate to be an integer > 3, but got the number 3/],
    [() => new lrScheduler.CosineScheduler({ maxUpdate: 3, finalLr: NaN }), /CosineScheduler: expected finalLr to be a finite number >= 0, but got the number NaN/],
    [() => new lrScheduler.CosineScheduler({ maxUpdate: 3 }).learningRateAt(-1), /CosineScheduler: expected numUpdate to be an integer >= 0, but got the number -1/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('MultiFactorScheduler and PolyScheduler', () => {
  it('multiply by factor after each step passed (a resumed count applies every step at once)', () => {
    const sched = new lrScheduler.MultiFactorScheduler({ step: [2, 4], factor: 0.5, baseLr: 1 });
    expect([1, 2, 3, 4, 5, 100].map((t) => sched.learningRateAt(t))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(new lrScheduler.MultiFactorScheduler({ step: [1, 3], factor: 0.1, baseLr: 2 }).learningRateAt(10)).toBeCloseTo(0.02, 12);
    const warm = new lrScheduler.MultiFactorScheduler({ step: [5], baseLr: 1, warmupSteps: 2, warmupBeginLr: 0.5 });
    expect([0, 1, 2].map((t) => warm.learningRateAt(t))).toEqual([0.5, 0.75, 1]);
  });

  it('decays polynomially from baseLr to finalLr over maxUpdate, then stays', () => {
    const linear = new lrScheduler.PolyScheduler({ maxUpdate: 4, baseLr: 1, pwr: 1 });
    expect([0, 2, 4, 9].map((t) => linear.learningRateAt(t))).toEqual([1, 0.5, 0, 0]);
    const square = new lrScheduler.PolyScheduler({ maxUpdate: 10, baseLr: 0.5, finalLr: 0.1, warmupSteps: 2 });
    expect(square.learningRateAt(6)).toBeCloseTo(0.1 + 0.4 * (1 - 4 / 8) ** 2, 12);
    expect(square.learningRateAt(20)).toBeCloseTo(0.1, 12);
  });

  it('refuse bad steps, factors and maxUpdate', () => {
    expect(() => new lrScheduler.MultiFactorScheduler({ step: [3, 3] })).toThrow('MultiFactorScheduler: expected step to increase, but 3 follows 3');
    expect(() => new lrScheduler.MultiFactorScheduler({ step: [] })).toThrow('MultiFactorScheduler: expected step to be a non-empty list of update counts, but got');
    expect(() => new lrScheduler.MultiFactorScheduler({ step: [0] })).toThrow(/MultiFactorScheduler: expected step/);
    expect(() => new lrScheduler.MultiFactorScheduler({ step: [2], factor: 2 })).toThrow(/MultiFactorScheduler: expected factor/);
    expect(() => new lrScheduler.PolyScheduler({ maxUpdate: 2, warmupSteps: 2 })).toThrow(/PolyScheduler: expected maxUpdate/);
  });
});
