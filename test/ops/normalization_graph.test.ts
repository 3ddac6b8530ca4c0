/**
 * The normalization operators as graph nodes: their MXNet declarations (names, aliases, inputs,
 * auxiliary states, visible and hidden outputs, attribute strings), shape inference in a Symbol,
 * the cached graph (in-place updates of BatchNorm's moving statistics, outputs overwriting inputs),
 * export, and the `_backward_*` operators run on their own.
 */
import { NDArray, autograd, nd, nn, sym } from '../../src';
import { invoke } from '../../src/ops/invoke';
import { nd as ndOps } from '../../src/ops/nd';
import { BATCH_NORM_GRAD, GROUP_NORM_GRAD, INSTANCE_NORM_GRAD, LAYER_NORM_GRAD } from '../../src/ops/norm_backward';
import { lookupOperator } from '../../src/ops/table';
import type { Operator } from '../../src/ops/operator';
import { CachedGraph } from '../../src/symbol/cached_graph';
import { pseudoRandom } from '../helpers/gradient_check';
import { expectAllClose } from '../helpers/norm_fixtures';
import { referenceNormGradients } from '../helpers/reference_norm_grad';

function data(shape: readonly number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

const nodeRowPtr = (text: string): number[] => (JSON.parse(text) as { node_row_ptr: number[] }).node_row_ptr;

describe('the registry', () => {
  it("knows MXNet's names and aliases", () => {
    expect(lookupOperator('_npx_batch_norm', 'test').name).toBe('BatchNorm');
    expect(lookupOperator('_npx_layer_norm', 'test').name).toBe('LayerNorm');
    for (const name of ['InstanceNorm', 'GroupNorm', '_backward_InstanceNorm', '_backward_BatchNorm', '_backward_LayerNorm', '_backward_GroupNorm']) {
      expect(lookupOperator(name, 'test').name).toBe(name);
    }
  });
});

describe('Symbols: inputs, auxiliary states, outputs and shapes', () => {
  it('BatchNorm: moving statistics are auxiliary states, inferred with gamma and beta from the data', () => {
    const y = sym.BatchNorm(sym.var('data'), sym.var('g'), sym.var('b'), sym.var('mm'), sym.var('mv'), { axis: -1 });
    expect(y.listArguments()).toEqual(['data', 'g', 'b']);
    expect(y.listAuxiliaryStates()).toEqual(['mm', 'mv']);
    expect(y.listOutputs()).toEqual([expect.stringMatching(/_output$/)]);
    const shapes = y.inferShape({ data: [2, 5, 3] });
    expect(shapes).toEqual({ argShapes: [[2, 5, 3], [3], [3]], outShapes: [[2, 5, 3]], auxShapes: [[3], [3]] });
  });

  it('hidden outputs count in node_row_ptr (3 per node); outputMeanVar makes them visible', () => {
    const x = sym.var('x');
    const chain = sym.LayerNorm(sym.InstanceNorm(x, sym.var('g'), sym.var('b')), sym.var('lg'), sym.var('lb'));
    // x, g, b, InstanceNorm (3 outputs), lg, lb, LayerNorm (3 outputs).
    expect(nodeRowPtr(chain.toJson())).toEqual([0, 1, 2, 3, 6, 7, 8, 11]);
    const [out, mean, std] = sym.LayerNorm(x, sym.var('g'), sym.var('b'), { outputMeanVar: true, name: 'ln' });
    expect(sym.Group([out, mean, std]).listOutputs()).toEqual(['ln_output', 'ln_mean', 'ln_std']);
    expect(mean.inferShape({ x: [2, 3, 4] }).outShapes).toEqual([[2, 3, 1]]);
    const [, gMean] = sym.GroupNorm(x, sym.var('g'), sym.var('b'), { numGroups: 2, outputMeanVar: true });
    expect(gMean.inferShape({ x: [5, 4, 3] }).outShapes).toEqual([[5, 2]]);
    const [, , invStd] = sym.BatchNorm(x, sym.var('g'), sym.var('b'), sym.var('m'), sym.var('v'), { outputMeanVar: true });
    expect(invStd.inferShape({ x: [5, 4, 3] }).outShapes).toEqual([[4]]);
  });

  it('names a shape that does not fit', () => {
    const y = sym.GroupNorm(sym.var('x'), sym.var('g'), sym.var('b'), { numGroups: 2 });
    expect(() => y.inferShape({ x: [2, 4, 3], g: [4] })).toThrow(/expected gamma of shape \(2,\) for data of shape \(2, 4, 3\), but got \(4,\)/);
  });
});

describe("MXNet's attribute strings", () => {
  const node = (op: string, attrs: Record<string, string>, inputs: number) => ({
    nodes: [
      ...Array.from({ length: inputs }, (_, i) => ({ op: 'null', name: `in${i}`, inputs: [] })),
      { op, name: 'n', attrs, inputs: Array.from({ length: inputs }, (_, i) => [i, 0, 0]) },
    ],
    heads: [[inputs, 0, 0]],
  });

  it("reads Gluon's BatchNorm node and every attribute MXNet 1.9 declares, and prints what was given", () => {
    const attrs = {
      axis: '1', eps: '1e-05', fix_gamma: 'False', momentum: '0.9', use_global_stats: 'False', output_mean_var: 'False',
      cudnn_off: 'True', min_calib_range: 'None', max_calib_range: '2.5',
    };
    const text = sym.loadJson(node('BatchNorm', attrs, 5)).toJson();
    for (const [key, value] of Object.entries(attrs)) expect(text).toContain(`"${key}": "${value}"`);
    expect(nodeRowPtr(text)).toEqual([0, 1, 2, 3, 4, 5, 8]);
  });

  it('prints eps and the flags as Python does', () => {
    const y = sym.BatchNorm(sym.var('x'), sym.var('g'), sym.var('b'), sym.var('m'), sym.var('v'), { eps: 1e-5, fixGamma: false, momentum: 0.9 });
    const text = y.toJson();
    expect(text).toContain('"eps": "1e-05"');
    expect(text).toContain('"fix_gamma": "False"');
    expect(text).toContain('"momentum": "0.9"');
    expect(text).not.toContain('axis');
  });

  it('rejects an attribute MXNet 1.9 does not declare (BatchNorm has no act_type) and a bad value', () => {
    expect(() => sym.loadJson(node('BatchNorm', { act_type: 'relu' }, 5))).toThrow(
      "BatchNorm node 'n': operator BatchNorm has no attribute 'act_type' (MXNet declares: eps, momentum, fix_gamma, use_global_stats, output_mean_var, axis, cudnn_off, min_calib_range, max_calib_range)",
    );
    expect(() => sym.loadJson(node('InstanceNorm', { eps: 'small' }, 3))).toThrow("InstanceNorm node 'n': expected attribute 'eps' of InstanceNorm to be a finite number, but got 'small'");
    expect(() => sym.loadJson(node('GroupNorm', { num_groups: '0' }, 3))).toThrow("GroupNorm node 'n': expected attribute 'num_groups' of GroupNorm to be an integer >= 1, but got '0'");
  });
});

describe('the cached graph', () => {
  it('updates the moving statistics (parameters) in place in training, as the imperative run does', () => {
    const graph = sym.BatchNorm(sym.var('x'), sym.var('g'), sym.var('b'), sym.var('mm'), sym.var('mv'), { fixGamma: false, momentum: 0.5 });
    const params: Record<string, NDArray> = { g: data([3], 1, 1, 0.5), b: data([3], 2), mm: nd.zeros([3]), mv: nd.ones([3]) };
    const run = new CachedGraph(graph.entries, ['x'], (name) => params[name], ndOps);
    const x = data([4, 3, 2], 3, 1, 2);
    const [mm, mv] = [nd.zeros([3]), nd.ones([3])];
    const expected = autograd.trainMode(() => nd.BatchNorm(x, params.g, params.b, mm, mv, { fixGamma: false, momentum: 0.5 }));
    const storage = params.mm.data;
    const y = autograd.trainMode(() => run.run([x])[0]);
    expect(y.data).toEqual(expected.data);
    expect(params.mm.data).toBe(storage);
    expect(params.mm.data).toEqual(mm.data);
    expect(params.mv.data).toEqual(mv.data);
    // Prediction reads them and leaves them as they are.
    run.run([x]);
    expect(params.mm.data).toEqual(mm.data);
  });

  it('lets a normalization overwrite its input (in place), with bitwise the imperative results', () => {
    const x = sym.var('x');
    const h = x.mul(2).add(1);
    const graph = sym.GroupNorm(sym.LayerNorm(sym.InstanceNorm(h, sym.var('g'), sym.var('b')), sym.var('lg'), sym.var('lb')), sym.var('gg'), sym.var('gb'), { numGroups: 3 }).relu();
    const params: Record<string, NDArray> = { g: data([3], 4), b: data([3], 5), lg: data([5], 6), lb: data([5], 7), gg: data([3], 8), gb: data([3], 9) };
    const run = new CachedGraph(graph.entries, ['x'], (name) => params[name], ndOps);
    const input = data([2, 3, 5], 10, 1, 3);
    const imperative = nd.relu(nd.GroupNorm(nd.LayerNorm(nd.InstanceNorm(input.mul(2).add(1), params.g, params.b), params.lg, params.lb), params.gg, params.gb, { numGroups: 3 }));
    expect(run.run([input])[0].data).toEqual(imperative.data);
    expect(run.run([input])[0].data).toEqual(imperative.data);
  });
});

describe('layers, hybridized and exported', () => {
  it('a hybridized nn.BatchNorm updates its running statistics in place, as the imperative one', () => {
    const [a, b] = [new nn.BatchNorm({ momentum: 0.5 }), new nn.BatchNorm({ momentum: 0.5 })];
    a.initialize();
    b.initialize();
    b.hybridize();
    const x = data([4, 3], 11, 1, 2);
    for (let step = 0; step < 2; step++) {
      expect(autograd.record(() => b(x) as NDArray).data).toEqual(autograd.record(() => a(x) as NDArray).data);
      expect(b.runningMean.data().data).toEqual(a.runningMean.data().data);
      expect(b.runningVar.data().data).toEqual(a.runningVar.data().data);
    }
  });

  it("exports InstanceNorm's axis only when it is not 1 (tsgluon's extension), and Gluon's five BatchNorm attributes", () => {
    const exported = (layer: nn.HybridBlock, shape: number[]): string => {
      layer.initialize();
      layer(nd.zeros(shape));
      return layer.exportBytes().symbol;
    };
    const first = exported(new nn.InstanceNorm(), [1, 2, 3]);
    expect(first).toContain('"attrs": {"eps": "1e-05"}');
    expect(exported(new nn.InstanceNorm({ axis: -1 }), [1, 2, 3])).toContain('"axis": "-1"');
    const bn = exported(new nn.BatchNorm(), [2, 3]);
    for (const attr of ['"axis": "1"', '"eps": "1e-05"', '"fix_gamma": "False"', '"momentum": "0.9"', '"use_global_stats": "False"']) expect(bn).toContain(attr);
  });
});

describe('the _backward_* operators on their own (statistics measured again)', () => {
  const run = (op: Operator, inputs: NDArray[], options: Record<string, unknown>) => invoke(ndOps, op, inputs, op.resolveOptions(options, op.name));
  const shape = [2, 3, 4];
  const x = data(shape, 12, 1, 2), dy = data(shape, 13), gamma = data([3], 14, 1, 0.5);

  it.each([
    ['_backward_InstanceNorm', INSTANCE_NORM_GRAD, {}, [0, 1], 1],
    ['_backward_LayerNorm (axis 1)', LAYER_NORM_GRAD, { axis: 1 }, [0, 2], 1],
    ['_backward_BatchNorm (batch statistics)', BATCH_NORM_GRAD, { fixGamma: false }, [1], 1],
    ['_backward_GroupNorm (3 groups of 1 channel)', GROUP_NORM_GRAD, { numGroups: 3 }, [0, 1], 1],
  ] as const)('%s matches the float64 analytic gradients', (_, op, options, keepAxes, affineAxis) => {
    const extra = op === BATCH_NORM_GRAD ? [nd.zeros([3]), nd.ones([3])] : [];
    const [dx, dgamma, dbeta] = run(op, [dy, x, gamma, ...extra], { ...options, eps: 1e-3 });
    const ref = referenceNormGradients(x.toFloat32Array(), dy.toFloat32Array(), { shape, keepAxes, affineAxis, eps: 1e-3, gamma: gamma.toFloat32Array(), beta: [0, 0, 0] });
    expectAllClose(dx.toFloat32Array(), ref.dx, 'dx');
    expectAllClose(dgamma.toFloat32Array(), ref.dgamma, 'dgamma');
    expectAllClose(dbeta.toFloat32Array(), ref.dbeta, 'dbeta');
  });

  it('_backward_BatchNorm with useGlobalStats: dx = dy·gamma/sqrt(moving_var + eps)', () => {
    const [dx] = run(BATCH_NORM_GRAD, [dy, x, gamma, nd.array([0.5, 1, 2]), nd.array([1, 2, 3])], { fixGamma: false, useGlobalStats: true, eps: 0 });
    const expected = Array.from(dy.toFloat32Array(), (d, i) => { const c = Math.floor(i / 4) % 3; return d * gamma.data[c] / Math.sqrt(c + 1); });
    expectAllClose(dx.toFloat32Array(), expected, 'dx');
  });

  it('checks its inputs', () => {
    expect(() => run(INSTANCE_NORM_GRAD, [nd.zeros([2, 3, 5]), x, gamma], {})).toThrow(
      '_backward_InstanceNorm: expected ograd of shape (2, 3, 4) for data of shape (2, 3, 4), but got (2, 3, 5)',
    );
    expect(() => run(LAYER_NORM_GRAD, [dy, x, nd.ones([3])], {})).toThrow('_backward_LayerNorm: expected gamma of shape (4,) for data of shape (2, 3, 4), but got (3,)');
    expect(() => run(BATCH_NORM_GRAD, [dy, x, gamma, nd.zeros([3]), nd.ones([4])], {})).toThrow(
      '_backward_BatchNorm: expected moving_var of shape (3,) for data of shape (2, 3, 4), but got (4,)',
    );
  });
});
