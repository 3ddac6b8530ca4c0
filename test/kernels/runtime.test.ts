/**
 * The public runtime API: ready(), runtimeInfo(), setNumThreads(), getNumThreads(), and the
 * TSGLUON_NUM_THREADS default (read when the pool module loads, so checked in a fresh registry).
 */
import * as os from 'os';
import { GluonError, getNumThreads, nd, ready, runtimeInfo, setNumThreads } from '../../src';
import { simdTest, withEnv } from '../helpers/simd_mode';

const cores = os.availableParallelism?.() ?? os.cpus().length;

(process.env.TSGLUON_NUM_THREADS === undefined ? test : test.skip)('the default thread count is the number of cores', () => {
  expect(getNumThreads()).toBe(Math.min(cores, 64));
});

test('TSGLUON_NUM_THREADS sets the default', () => {
  withEnv('TSGLUON_NUM_THREADS', '3', () => jest.isolateModules(() => {
    expect((require('../../src') as typeof import('../../src')).getNumThreads()).toBe(3);
  }));
});

simdTest('ready() compiles the modules, starts the workers and reports them', async () => {
  const previous = getNumThreads();
  try {
    setNumThreads(2);
    const info = await ready();
    expect(info).toEqual({ simd: true, relaxedSimd: expect.any(Boolean), numThreads: 2, readyThreads: 2, sharedMemory: true });
    setNumThreads(1);
    expect(runtimeInfo().readyThreads).toBe(1);
    // Work above the parallel threshold runs, on either count, with the same bits.
    const a = nd.array(Array.from({ length: 160 * 160 }, (_, i) => Math.sin(i))).reshape([160, 160]);
    const one = nd.dot(a, a).toArray();
    setNumThreads(2);
    expect(nd.dot(a, a).toArray()).toEqual(one);
  } finally {
    setNumThreads(previous);
  }
});

test('setNumThreads explains what it accepts', () => {
  for (const bad of [0, 65, 1.5, NaN]) {
    expect(() => setNumThreads(bad)).toThrow(new GluonError(`setNumThreads: expected an integer from 1 to 64, but got the number ${bad}`));
  }
  expect(() => setNumThreads('2' as unknown as number)).toThrow(new GluonError('setNumThreads: expected an integer from 1 to 64, but got the string \'2\''));
});

test('a module unavailable at first use is tried again after ready() compiles asynchronously (a browser main thread refuses large synchronous compiles)', async () => {
  const { lazyModule, precompileModules, setSimdEnabled } = await import('../../src/kernels/cpu/simd/wasm_loader');
  const previous = setSimdEnabled(true);
  try {
    let attempts = 0;
    let available = false;
    const load = lazyModule(() => (attempts++, available ? 'module' : null));
    expect(load()).toBeUndefined();
    available = true;
    expect(load()).toBeUndefined(); // not retried on every call
    expect(attempts).toBe(1);
    await precompileModules([]);
    expect(load()).toBe('module');
    expect(load()).toBe('module');
    expect(attempts).toBe(2);
  } finally {
    setSimdEnabled(previous);
  }
});
