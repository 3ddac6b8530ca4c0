/**
 * The activation family in graphs: symbols (inputs, hidden outputs, JSON), a hybridized network of
 * every activation layer against its imperative run, and SymbolBlocks of MXNet-style graphs at
 * inference (SoftmaxOutput without its label, SoftmaxActivation 'channel', Dropout as identity).
 */
import { NDArray, autograd, gluon, nd, nn, random, sym } from '../../src';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(37);

describe('symbols of the activation family', () => {
  it('create prelu gamma and the SoftmaxOutput label as variables, and infer gamma from the data', () => {
    const data = sym.var('data');
    const p = sym.LeakyReLU(data, { actType: 'prelu', name: 'p' });
    expect(p.listArguments()).toEqual(['data', 'p_gamma']);
    expect(p.inferShape({ data: [2, 3, 4] }).argShapes).toEqual([[2, 3, 4], [3]]);
    const out = sym.SoftmaxOutput(sym.Dropout(p, { p: 0.2 }), { name: 'softmax' });
    expect(out.listArguments()).toEqual(['data', 'p_gamma', 'softmax_label']);
    expect(out.inferShape({ data: [2, 3, 4] }).argShapes).toEqual([[2, 3, 4], [3], [2, 3]]);
  });

  it("count Dropout's, L2Normalization's and rrelu's hidden outputs in node_row_ptr, as MXNet", () => {
    const data = sym.var('data');
    const json = JSON.parse(sym.Group([sym.Dropout(data), sym.L2Normalization(data), sym.LeakyReLU(data, { actType: 'rrelu' })]).toJson()) as { node_row_ptr: number[] };
    expect(json.node_row_ptr).toEqual([0, 1, 3, 5, 7]);
  });

  it('write use_length only when softmax gets a length, and read the legacy Softmax name as SoftmaxOutput', () => {
    const data = sym.var('data');
    expect(sym.softmax(data).toJson()).not.toContain('use_length');
    expect(sym.softmax(data, sym.var('len'), { axis: 1 }).toJson()).toContain('"use_length": "True"');
    const legacy = {
      nodes: [
        { op: 'null', name: 'data', param: {}, inputs: [], backward_source_id: -1 },
        { op: 'null', name: 'softmax_label', param: {}, inputs: [], backward_source_id: -1 },
        { op: 'Softmax', name: 'softmax', param: { grad_scale: '1', multi_output: 'False' }, inputs: [[0, 0], [1, 0]], backward_source_id: -1 },
      ],
      arg_nodes: [0, 1],
      heads: [[2, 0]],
    };
    const text = sym.loadJson(legacy).toJson();
    expect(text).toContain('"op": "SoftmaxOutput"');
    expect(text).toContain('"grad_scale": "1.0"');
  });
});

describe('a hybridized network of every activation layer', () => {
  function makeNet(): nn.HybridSequential {
    random.seed(3);
    const net = new nn.HybridSequential();
    net.nameScope(() =>
      net.add(
        new nn.Dense(8, { activation: 'softrelu' }), new nn.LeakyReLU(0.1), new nn.PReLU(), new nn.Dense(6, { activation: 'tanh' }),
        new nn.ELU(0.5), new nn.SELU(), new nn.GELU(), new nn.Dropout(0.3), new nn.Activation('sigmoid'), new nn.Dense(4),
      ),
    );
    net.initialize('xavier');
    net(nd.zeros([1, 5]));
    return net;
  }

  it('gives bitwise the imperative outputs (Dropout the identity at inference)', () => {
    const imperative = makeNet();
    const hybrid = makeNet();
    hybrid.hybridize();
    for (const batch of [3, 3, 2]) {
      const x = randomArray(rng, [batch, 5]);
      expect(hybrid(x).data).toEqual(imperative(x).data);
    }
  });

  it('gives bitwise the imperative gradients in training (the same Dropout masks)', () => {
    const grads = (net: nn.HybridSequential, x: NDArray): Float32Array[] => {
      random.seed(11);
      autograd.record(() => net(x)).backward();
      return [...net.collectParams().values()].map((p) => p.grad().toFloat32Array());
    };
    const x = randomArray(rng, [4, 5]);
    const imperative = makeNet();
    const hybrid = makeNet();
    hybrid.hybridize();
    hybrid(x);
    expect(grads(hybrid, x)).toEqual(grads(imperative, x));
  });
});

describe('SymbolBlocks of MXNet-style graphs at inference', () => {
  it('run SoftmaxActivation, L2Normalization, softmax and SoftmaxOutput without its label', () => {
    const data = sym.var('data');
    const outputs = [
      sym.SoftmaxActivation(data, { mode: 'channel', name: 'prob' }),
      sym.L2Normalization(data, { mode: 'spatial', name: 'l2' }),
      sym.logSoftmax(data, { axis: 1, temperature: 2, name: 'ls' }),
      sym.SoftmaxOutput(sym.Dropout(data, { name: 'drop' }), { multiOutput: true, name: 'softmax' }),
    ];
    const block = new gluon.SymbolBlock(outputs, data);
    expect([...block.collectParams().keys()]).toEqual([]);
    const x = randomArray(rng, [2, 3, 2, 2]);
    const got = block(x) as NDArray[];
    const expected = [
      nd.SoftmaxActivation(x, { mode: 'channel' }),
      nd.L2Normalization(x, { mode: 'spatial' }),
      nd.logSoftmax(x, { axis: 1, temperature: 2 }),
      nd.softmax(x, { axis: 1 }),
    ];
    got.forEach((y, i) => expect(y.data).toEqual(expected[i].data));
    expect(got[0].data).toEqual(got[3].data);
  });
});
