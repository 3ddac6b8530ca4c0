import { normForward, normStatistics, normApply } from '../src/kernels/cpu/normalization';
import { instanceNormLayout } from '../src/kernels/cpu/norm_layouts';
const shape = [8, 64, 128, 128], n = 8*64*128*128;
const x = new Float32Array(n); for (let i=0;i<n;i++) x[i]=Math.random()*4-1;
const out = new Float32Array(n), dst = new Float32Array(n);
const mean = new Float64Array(512), v = new Float64Array(512), g = new Float32Array(64).fill(1.5), b = new Float32Array(64).fill(.5);
function time(name: string, f: () => void, reps=9) { for (let i=0;i<2;i++) f(); const t=[]; for (let i=0;i<reps;i++){const s=performance.now(); f(); t.push(performance.now()-s);} t.sort((a,b)=>a-b); console.log(name, t[reps>>1].toFixed(2)); }
for (const [name, sh, axis] of (process.argv[2] === 'nhwc' ? [['nhwc', [8,128,128,64], -1]] : [['nchw', shape, 1], ['nhwc', [8,128,128,64], -1]]) as [string, number[], number][]) {
  const L = instanceNormLayout(sh, axis);
  time('copy', () => dst.set(x));
  time(name + ' stats', () => normStatistics(x, 0, L, mean, v));
  time(name + ' apply', () => normApply(x, 0, out, 0, L, mean, v, 1e-5, g, b));
  time(name + ' fwd', () => normForward(x, 0, out, 0, L, mean, v, 1e-5, g, b));
}
