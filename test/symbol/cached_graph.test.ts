/**
 * The cached graph (Gluon's CachedOp): the same results as running the operators one by one,
 * bitwise; intermediate memory planned and reused across calls; fresh arrays while recording.
 */
import { autograd, nd, NDArray, sym } from '../../src';
import { CachedGraph } from '../../src/symbol/cached_graph';
import { planMemory } from '../../src/symbol/memory_plan';
import { nd as ndOps } from '../../src/ops/nd';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(31);

/** y = sum(relu(x·w + 1)², axis 1) − mean(x): a chain with fan-out. */
function graph() {
  const x = sym.var('x');
  const w = sym.var('w');
  const h = sym.relu(x.mul(w).add(1));
  return h.square().sum(1).sub(x.mean());
}
const imperative = (x: NDArray, w: NDArray): NDArray => nd.relu(x.mul(w).add(1)).square().sum(1).sub(x.mean());

function cached(params: Record<string, NDArray>, options = {}): CachedGraph {
  return new CachedGraph(graph().entries, ['x'], (name) => params[name], ndOps, options);
}

describe('running a cached graph', () => {
  const w = randomArray(rng, [5]);

  it('gives bitwise the imperative results, call after call and for several shapes', () => {
    const run = cached({ w });
    for (const shape of [[3, 5], [3, 5], [7, 5], [3, 5]]) {
      const x = randomArray(rng, shape);
      expect(run.run([x])[0].data).toEqual(imperative(x, w).data);
    }
  });

  it('returns fresh outputs: the next call does not overwrite them', () => {
    const run = cached({ w });
    const first = run.run([randomArray(rng, [3, 5])])[0];
    const copy = first.toFloat32Array();
    run.run([randomArray(rng, [3, 5])]);
    expect(first.data).toEqual(copy);
  });

  it('records every operator while autograd records, so gradients equal the imperative ones', () => {
    const run = cached({ w });
    const x = randomArray(rng, [4, 5]);
    const x2 = nd.array(x);
    x.attachGrad();
    x2.attachGrad();
    autograd.record(() => run.run([x])[0]).backward();
    autograd.record(() => imperative(x2, w)).backward();
    expect(x.grad?.data).toEqual(x2.grad?.data);
  });

  it('keeps both calls of one recording (they do not share memory)', () => {
    const run = cached({ w });
    const a = randomArray(rng, [2, 5]);
    const b = randomArray(rng, [2, 5]);
    a.attachGrad();
    b.attachGrad();
    autograd.record(() => run.run([a])[0].add(run.run([b])[0])).backward();
    const a2 = nd.array(a);
    a2.attachGrad();
    autograd.record(() => imperative(a2, w)).backward();
    expect(a.grad?.data).toEqual(a2.grad?.data);
  });

  it('re-plans from scratch on a new shape with staticShape', () => {
    const run = cached({ w }, { staticShape: true });
    const x = randomArray(rng, [2, 5]);
    expect(run.run([x])[0].data).toEqual(imperative(x, w).data);
    const y = randomArray(rng, [6, 5]);
    expect(run.run([y])[0].data).toEqual(imperative(y, w).data);
  });

  it('returns a copy when an output is a graph input or parameter itself', () => {
    const x = sym.var('x');
    const run = new CachedGraph(sym.Group([x, sym.var('w')]).entries, ['x'], () => w, ndOps);
    const input = nd.array([1, 2]);
    const [out, param] = run.run([input]);
    expect(out.data).not.toBe(input.data);
    expect(out.toArray()).toEqual([1, 2]);
    expect(param.toArray()).toEqual(w.toArray());
  });

  it('names what is wrong with the inputs', () => {
    expect(() => cached({ w }).run([])).toThrow('cached graph: expected 1 inputs (x), but got 0');
    expect(() => cached({ w }).run([nd.ones([3, 4])])).toThrow(/operands could not be broadcast together with shapes \(3, 4\) \(5,\)/);
  });
});

describe('memory planning', () => {
  const step = (reads: number[], writes: [number, number][], inplace: [number, number][] = []) => ({
    reads, writes: writes.map(([id, size]) => ({ id, shape: [size] })), inplace,
  });

  it('reuses a value\'s range once its last reader has run', () => {
    // 0 → 1 → 2 → 3 (a chain of four values of 10): two ranges suffice.
    const plan = planMemory([step([-1], [[0, 10]]), step([0], [[1, 10]]), step([1], [[2, 10]]), step([2], [[3, 10]])], new Set([3]));
    expect(plan.arenaSize).toBe(20);
    expect(plan.offsets.get(0)).toBe(plan.offsets.get(2));
    expect(plan.offsets.get(3)).toBe(-1);
  });

  it('lets an output take over an input it may overwrite, when nothing reads that input later', () => {
    const plan = planMemory([step([-1], [[0, 8]]), step([0], [[1, 8]], [[0, 0]]), step([1], [[2, 8]])], new Set([2]));
    expect(plan.offsets.get(1)).toBe(plan.offsets.get(0));
    expect(plan.arenaSize).toBe(8);
  });

  it('does not overwrite an input that is still read later, nor a smaller (broadcast) one', () => {
    const later = planMemory([step([-1], [[0, 8]]), step([0], [[1, 8]], [[0, 0]]), step([0, 1], [[2, 8]])], new Set([2]));
    expect(later.offsets.get(1)).not.toBe(later.offsets.get(0));
    const smaller = planMemory([step([-1], [[0, 2]]), step([0], [[1, 8]], [[0, 0]]), step([1], [[2, 8]])], new Set([2]));
    expect(smaller.offsets.get(1)).not.toBe(smaller.offsets.get(0));
  });

  it('keeps a steady-state call from allocating intermediates (the arena is reused)', () => {
    const w = randomArray(rng, [5]);
    const run = cached({ w });
    const x = randomArray(rng, [3, 5]);
    run.run([x]);
    const arena = (run as unknown as { arena: Float32Array }).arena;
    run.run([x]);
    expect((run as unknown as { arena: Float32Array }).arena).toBe(arena);
    expect(arena.length).toBeGreaterThan(0);
  });
});
