/**
 * The recurrent gate arithmetic on the kernel module (rnn_wasm.ts, simd/rnn_simd.c) against the
 * JavaScript loops it stands in for (which gluon/rnn's tests check against float64 references
 * and finite differences): the forward outputs, final states and gradients of a two-layer
 * bidirectional LSTM, GRU and tanh RNN are the loops' values — an odd hidden size takes the one-cell tail — and the
 * same bits on one and two threads.
 */
import { rnnBackward } from '../../src/kernels/cpu/rnn_backward';
import { RnnGeometry, rnnForward, rnnParamLayout } from '../../src/kernels/cpu/rnn';
import * as rnnWasm from '../../src/kernels/cpu/rnn_wasm';
import * as pool from '../../src/kernels/cpu/threads/pool';
import { sameBits } from '../helpers/naive_dense';
import { makeRng } from '../helpers/naive_ops';
import { simdTest } from '../helpers/simd_mode';

function random(n: number, seed: number, spread = 1): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => spread * (2 * rng() - 1));
}

/** Every output of a forward and backward pass, in one list. */
function run(g: RnnGeometry): Float32Array[] {
  const { steps: T, batch: N, inputSize: I, hidden: H, layers: L, directions: D } = g;
  const params = random(rnnParamLayout(g).size, 1, 0.4), data = random(T * N * I, 2, 2);
  const hx = random(L * D * N * H, 3), cx = random(L * D * N * H, 4);
  const forward = rnnForward(g, data, params, hx, cx, () => undefined);
  const dy = random(T * N * D * H, 5), dhy = random(L * D * N * H, 6), dcy = random(L * D * N * H, 7);
  const grads = rnnBackward(g, params, forward, dy, dhy, dcy);
  return [forward.output, forward.hy, forward.cy, grads.data, grads.params, grads.hx, grads.cx];
}

const GEOMETRY: RnnGeometry = { mode: 'lstm', steps: 4, batch: 5, inputSize: 6, hidden: 7, layers: 2, directions: 2 };

simdTest.each([
  ['an LSTM', GEOMETRY, ['lstmStepInModule', 'lstmGatesInModule'], [16, 16]],
  ['a GRU', { ...GEOMETRY, mode: 'gru' }, ['gruStepInModule'], [16]],
  ['a tanh RNN', { ...GEOMETRY, mode: 'rnn_tanh' }, ['rnnTanhStepInModule'], [16]],
] as const)('%s on the module gives the JavaScript loops\' values (odd hidden size: the one-cell tail)', (_name, geometry, steps, calls) => {
  const spies = steps.map((name) => jest.spyOn(rnnWasm, name));
  try {
    const module = run(geometry);
    expect(spies.map((spy) => spy.mock.results.every((r) => r.value === true) && spy.mock.calls.length)).toEqual(calls);
    // The same run with the gates on the JavaScript loops (the matrix products stay on the module).
    spies.forEach((spy) => spy.mockReturnValue(false));
    const loops = run(geometry);
    module.forEach((values, k) => expect([k, sameBits(values, loops[k])]).toEqual([k, true]));
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
});

simdTest('the same bits on one and two threads (the batch rows split)', async () => {
  const threads = pool.getNumThreads();
  const g: RnnGeometry = { ...GEOMETRY, batch: 16, hidden: 130, layers: 1, directions: 1, steps: 2 };
  const parts = jest.spyOn(pool, 'runParts');
  try {
    const results: Float32Array[][] = [];
    for (const n of [1, 2]) {
      pool.setNumThreads(n);
      run(g);
      await pool.workersReady();
      parts.mockClear();
      results.push(run(g));
    }
    results[0].forEach((values, k) => expect([k, sameBits(values, results[1][k])]).toEqual([k, true]));
    expect(['lstm_step', 'lstm_gate_gradients'].map((fn) => parts.mock.calls.some(([, name, args]) => name === fn && args.length === 2))).toEqual([true, true]);
  } finally {
    parts.mockRestore();
    pool.setNumThreads(threads);
  }
});
