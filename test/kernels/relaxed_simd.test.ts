/**
 * The relaxed-SIMD build of the GEMM module (fused multiply-add where the hardware has it): Node 20
 * refuses it by default, so this runs a child Node with --experimental-wasm-relaxed-simd, checks
 * that the runtime picked that build, and that its products stay within gemm.ts's bound of a
 * float64 reference, on 1 and 2 threads with the same bits, and that the activation loops give the
 * bits they give without relaxed SIMD. Skipped where the flag is unknown.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { productErrorFactor } from '../helpers/naive_ops';
import { SIMD_SWITCHED_OFF } from '../helpers/simd_mode';

const FLAG = '--experimental-wasm-relaxed-simd';
const flagKnown = (() => {
  try {
    execFileSync(process.execPath, [FLAG, '-e', '0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const SCRIPT = `
const { gemm } = require('./src/kernels/cpu/gemm');
const { runtimeInfo, setNumThreads, ready } = require('./src/kernels/cpu/runtime');
(async () => {
  const m = 70, n = 90, k = 700;
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const a = Float32Array.from({ length: m * k }, random), b = Float32Array.from({ length: k * n }, random);
  let worst = 0;
  const results = [];
  for (const threads of [1, 2]) {
    setNumThreads(threads);
    await ready();
    const c = new Float32Array(m * n);
    gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
    results.push(c);
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0, abs = 0;
    for (let p = 0; p < k; p++) { sum += a[i * k + p] * b[p * n + j]; abs += Math.abs(a[i * k + p] * b[p * n + j]); }
    worst = Math.max(worst, Math.abs(results[0][i * n + j] - sum) / abs);
  }
  const same = Buffer.compare(Buffer.from(results[0].buffer), Buffer.from(results[1].buffer)) === 0;
  console.log(JSON.stringify({ relaxed: runtimeInfo().relaxedSimd, worst, same }));
})();
`;

(flagKnown && !SIMD_SWITCHED_OFF ? test : test.skip)('the relaxed-SIMD GEMM is chosen where the runtime has it, within the bound, the same on 1 and 2 threads', () => {
  const { relaxed, worst, same } = runRelaxed<{ relaxed: boolean; worst: number; same: boolean }>(SCRIPT);
  expect(relaxed).toBe(true);
  expect(worst).toBeLessThanOrEqual(productErrorFactor(700));
  expect(same).toBe(true);
}, 60000);
/** Every act type and its gradient of a fixed input, as base64 of the float32 bits. */
const ACTIVATIONS_SCRIPT = `
const { ACTIVATION_FORWARD } = require('./src/kernels/cpu/activation_forward');
const { ACTIVATION_GRAD } = require('./src/kernels/cpu/activation');
const { runtimeInfo } = require('./src/kernels/cpu/runtime');
const x = Float32Array.from({ length: 999 }, (_, i) => Math.sin(i) * (i % 3 === 0 ? 40 : 4)), dy = Float32Array.from(x, (v) => Math.cos(v));
const parts = [];
for (const kind of ['sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish']) {
  const y = new Float32Array(x.length), dx = new Float32Array(x.length);
  ACTIVATION_FORWARD[kind](x, y);
  ACTIVATION_GRAD[kind](x, dy, dx);
  parts.push(Buffer.from(y.buffer).toString('base64'), Buffer.from(dx.buffer).toString('base64'));
}
console.log(JSON.stringify({ relaxed: runtimeInfo().relaxedSimd, parts }));
`;

/** Runs `script` in a child Node with relaxed SIMD on; its last line of output, parsed. */
function runRelaxed<T>(script: string): T {
  const output = execFileSync(process.execPath, [FLAG, '-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as T;
}

// The activation loops are in the vector module, which has one build (nothing in it fuses), so a
// runtime with relaxed SIMD gives the bits of one without — what this process computes.
(flagKnown && !SIMD_SWITCHED_OFF ? test : test.skip)('a relaxed-SIMD runtime gives the plain runtime\'s activation and gradient bits', () => {
  const child = runRelaxed<{ relaxed: boolean; parts: string[] }>(ACTIVATIONS_SCRIPT);
  const here = runPlain();
  expect(child.relaxed).toBe(true);
  expect(child.parts).toEqual(here);
}, 60000);

/** ACTIVATIONS_SCRIPT's parts, computed in this process (the plain SIMD build). */
function runPlain(): string[] {
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', ACTIVATIONS_SCRIPT], {
    cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, maxBuffer: 1 << 24,
  });
  const { relaxed, parts } = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { relaxed: boolean; parts: string[] };
  expect(relaxed).toBe(false);
  return parts;
}

if (!flagKnown) test(`the relaxed-SIMD build is not tested: this Node does not know ${FLAG}`, () => undefined);
