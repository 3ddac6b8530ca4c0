/**
 * gluon.SymbolBlock: a graph run as a Block — parameters from its variables, MXNet's parameter
 * files, several outputs, training, use inside another hybridized block, and every error path.
 * References: the affine map y = x·Wᵀ + b written out in float64.
 */
import { GluonError, NDArray, autograd, gluon, nd, nn, sym } from '../../src';

const W = [[1, -2, 0.5], [0, 3, -1]];
const B = [0.25, -0.5];
const X = [[1, 2, 3], [-1, 0.5, 2]];

/** y = x·Wᵀ + b in float64. */
function affine(x: number[][]): number[][] {
  return x.map((row) => W.map((w, u) => w.reduce((acc, wk, k) => acc + wk * row[k], B[u])));
}

/** relu(FullyConnected(x)) and the same FullyConnected, over an input variable named 'x'. */
function graph(): sym.Symbol {
  const fc = sym.FullyConnected(sym.var('x'), { numHidden: 2, name: 'fc' });
  return sym.Group([sym.relu(fc, { name: 'act' }), fc]);
}

const paramBytes = (extra: Record<string, NDArray> = {}): Uint8Array =>
  nd.saveBytes({ 'arg:fc_weight': nd.array(W), 'arg:fc_bias': nd.array(B), ...extra });

const close = (got: NDArray, expected: number[][]): void =>
  got.toFloat32Array().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i], 5));

describe('SymbolBlock.imports', () => {
  it('makes a parameter of every variable but the inputs, loads the file and returns every output', () => {
    const net = gluon.SymbolBlock.imports(graph().toJson(), 'x', paramBytes());
    expect([...net.collectParams().keys()]).toEqual(['fc_weight', 'fc_bias']);
    const [act, fc] = net(nd.array(X)) as NDArray[];
    close(fc, affine(X));
    close(act, affine(X).map((row) => row.map((v) => Math.max(v, 0))));
  });

  it('lists every missing parameter, and leaves them to the user with allowMissing', () => {
    const onlyWeight = nd.saveBytes({ 'arg:fc_weight': nd.array(W) });
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), ['x'], onlyWeight)).toThrow(
      "SymbolBlock.imports: parameters 'fc_bias' are missing in file '<bytes>', which contains 'fc_weight'. Set allowMissing=true to leave them uninitialized.",
    );
    const net = gluon.SymbolBlock.imports(graph().toJson(), ['x'], onlyWeight, { allowMissing: true });
    net.collectParams().get('fc_bias').initialize('zeros');
    expect(net.collectParams().get('fc_weight').data().toArray()).toEqual(W);
  });

  it('rejects entries that are not parameters unless ignoreExtra', () => {
    const extra = paramBytes({ 'arg:other': nd.ones([1]) });
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), ['x'], extra)).toThrow(/Parameter 'other' loaded from file '<bytes>' is not present in ParameterDict/);
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), ['x'], extra, { ignoreExtra: true })).not.toThrow();
  });

  it('names what it expected for bad input names and files', () => {
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), 'data')).toThrow(
      "SymbolBlock: expected inputs among the graph's variables ('x', 'fc_weight', 'fc_bias'), but got 'data'",
    );
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), [])).toThrow('SymbolBlock.imports: expected input names (a string or a list of strings), but got []');
    expect(() => gluon.SymbolBlock.imports(graph().toJson(), ['x'], nd.saveBytes([nd.ones([1])]))).toThrow(
      "SymbolBlock.imports: '<bytes>' holds an unnamed list of arrays; a parameter file needs names",
    );
  });
});

describe('new SymbolBlock(outputs, inputs)', () => {
  it('matches input variables by name, as Gluon, and rejects non-variables', () => {
    const net = new gluon.SymbolBlock(graph(), sym.var('x'));
    net.initialize();
    net.collectParams().get('fc_weight').setData(nd.array(W));
    net.collectParams().get('fc_bias').setData(nd.array(B));
    close((net(nd.array(X)) as NDArray[])[1], affine(X));
    expect(() => new gluon.SymbolBlock(graph(), sym.relu(sym.var('x')))).toThrow(/SymbolBlock: input symbols must be variables, but .* is an output of operators/);
    expect(() => new gluon.SymbolBlock(graph(), [])).toThrow('SymbolBlock: expected inputs to be a Symbol or a non-empty list of Symbols, but got []');
  });
});

describe('a SymbolBlock as a Block', () => {
  const load = () => gluon.SymbolBlock.imports(sym.FullyConnected(sym.var('x'), { numHidden: 2, name: 'fc' }).toJson(), 'x', paramBytes());

  it('trains: the gradient of Σ y·dy is dyᵀ·x for the weight and Σ dy for the bias', () => {
    const net = load();
    const dy = [[1, 2], [-1, 0.5]];
    const y = autograd.record(() => net(nd.array(X)) as NDArray);
    y.backward(nd.array(dy));
    const weight = net.collectParams().get('fc_weight');
    const expected = W.map((_, u) => X[0].map((_, k) => dy[0][u] * X[0][k] + dy[1][u] * X[1][k]));
    close(weight.grad(), expected);
    close(net.collectParams().get('fc_bias').grad(), [[dy[0][0] + dy[1][0], dy[0][1] + dy[1][1]]]);
    new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 1 }).step(1);
    close(weight.data(), W.map((row, u) => row.map((w, k) => w - expected[u][k])));
  });

  it('composes into a hybridized network that exports and imports again', () => {
    const net = new nn.HybridSequential();
    net.add(load(), new nn.Activation('tanh'));
    net.hybridize();
    const expected = affine(X).map((row) => row.map(Math.tanh));
    close(net(nd.array(X)), expected);
    const model = net.exportBytes();
    const back = gluon.SymbolBlock.imports(model.symbol, 'data', model.params);
    close(back(nd.array(X)) as NDArray, expected);
  });

  it('checks its number of inputs and prints as Gluon', () => {
    const net = load();
    expect(() => net(nd.array(X), nd.array(X))).toThrow(GluonError);
    expect(net.toString()).toBe('SymbolBlock(\n<Symbol fc> : 1 -> 1\n)');
  });
});
