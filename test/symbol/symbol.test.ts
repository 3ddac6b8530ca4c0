import { GluonError, nd, sym } from '../../src';

describe('building symbols', () => {
  it('names operator nodes as MXNet (op in lower case and a counter), or as given', () => {
    const data = sym.var('data');
    const named = sym.relu(data, { name: 'act' });
    expect(named.name).toBe('act');
    expect(named.listOutputs()).toEqual(['act_output']);
    const auto = sym.tanh(data);
    expect(auto.name).toMatch(/^tanh\d+$/);
    expect(sym.tanh(data).name).not.toBe(auto.name);
  });

  it('lists arguments in depth-first order, outputs by node, inputs as variables', () => {
    const a = sym.var('a');
    const b = sym.var('b');
    const c = sym.var('c');
    const y = sym.add(sym.multiply(a, b, ), c);
    expect(y.listArguments()).toEqual(['a', 'b', 'c']);
    expect(y.listInputs()).toEqual(['a', 'b', 'c']);
    expect(y.listAuxiliaryStates()).toEqual([]);
    expect(sym.add(c, sym.multiply(b, a)).listArguments()).toEqual(['c', 'b', 'a']);
  });

  it('groups outputs, picks them by index or name, and iterates them', () => {
    const x = sym.var('x');
    const group = sym.Group([sym.exp(x, { name: 'e' }), sym.log(x, { name: 'l' })]);
    expect(group.length).toBe(2);
    expect(group.name).toBeUndefined();
    expect(group.listOutputs()).toEqual(['e_output', 'l_output']);
    expect(group.get(1).name).toBe('l');
    expect(group.get(-2).name).toBe('e');
    expect(group.get('l_output').name).toBe('l');
    expect([...group].map((s) => s.name)).toEqual(['e', 'l']);
    expect(group.toString()).toBe('<Symbol group [e, l]>');
    expect(group.getInternals().listOutputs()).toEqual(['x', 'e_output', 'l_output']);
  });

  it('has the arithmetic methods of NDArray, recording the same operators', () => {
    const x = sym.var('x');
    const y = x.add(1).mul(x).sum(1, true).reshape([-1]);
    const ops = y.toJson();
    for (const op of ['_plus_scalar', 'broadcast_mul', '"sum"', 'Reshape']) expect(ops).toContain(op);
  });

  it('refuses to be read as values, saying why', () => {
    const x = sym.var('x');
    expect(() => x.toArray()).toThrow(GluonError);
    expect(() => x.toArray()).toThrow(/Symbol: a Symbol has no values \(toArray\(\)\): inside a hybridized block's hybridForward/);
    expect(() => x.toFloat32Array()).toThrow(/toFloat32Array/);
    expect(() => x.asScalar()).toThrow(/asScalar/);
    expect(() => +x).toThrow(/converting it to a number/);
    expect(`${x}`).toBe('<Symbol x>');
  });

  it('rejects bad arguments with messages that say what was expected', () => {
    const x = sym.var('x');
    expect(() => sym.var('')).toThrow("sym.var: expected a non-empty name, but got the string ''");
    expect(() => sym.Group([])).toThrow('sym.Group: expected a non-empty array of Symbols, but got []');
    expect(() => x.get(3)).toThrow('Symbol.get: expected an index in [-1, 0], but got 3');
    expect(() => x.get('y_output')).toThrow("Symbol.get: no output named 'y_output'; the outputs are x");
    expect(() => sym.relu(nd.ones([1]) as never)).toThrow('relu: expected data to be a Symbol, but got an NDArray of shape (1,)');
    expect(() => sym.add(x, 'a' as never)).toThrow('add: expected rhs to be a Symbol or a number, but got the string \'a\'');
    expect(() => sym.relu(x, { name: 3 } as never)).toThrow('relu: expected name to be a non-empty string, but got the number 3');
    const group = sym.Group([x, x]);
    expect(() => sym.relu(group)).toThrow(/input 'data' is a group of 2 outputs; pick one with get\(i\)/);
  });
});

describe('inferShape', () => {
  it('infers outputs from inputs, and inputs from each other, in MXNet order', () => {
    const y = sym.add(sym.var('a'), sym.var('b')).sum(0);
    expect(y.inferShape({ a: [2, 3], b: [3] })).toEqual({ argShapes: [[2, 3], [3]], outShapes: [[3]], auxShapes: [] });
    const same = sym.elemwiseAdd(sym.var('p'), sym.var('q'));
    expect(same.inferShape({ p: [4, 5] }).argShapes).toEqual([[4, 5], [4, 5]]);
  });

  it("uses a variable's declared shape (0 = unknown dim) and checks it", () => {
    const y = sym.elemwiseAdd(sym.var('p', { shape: [0, 5] }), sym.var('q'));
    expect(y.inferShape({ q: [2, 5] }).argShapes).toEqual([[2, 5], [2, 5]]);
    expect(() => y.inferShape({ q: [2, 6] })).toThrow("variable 'p' was given shape (0, 5), but node");
  });

  it('returns undefined for what it cannot decide (partial), and names it (complete)', () => {
    const y = sym.add(sym.var('a'), sym.var('b'));
    expect(y.inferShapePartial({ a: [2] })).toEqual({ argShapes: [[2], undefined], outShapes: [undefined], auxShapes: [] });
    expect(() => y.inferShape({ a: [2] })).toThrow('Symbol.inferShape: cannot decide the shapes of b; give more input shapes');
  });

  it('names the node and both shapes when shapes do not fit', () => {
    const y = sym.elemwiseAdd(sym.var('p'), sym.var('q'), { name: 'sum0' });
    expect(() => y.inferShape({ p: [2, 3], q: [3, 2] })).toThrow("elemwise_add node 'sum0': expected operands of the same shape, but got (2, 3) and (3, 2)");
    expect(() => y.inferShape({ p: [-1] as number[] })).toThrow("Symbol.inferShape: expected the shape of 'p' to be a list of integers >= 0, but got -1");
  });
});
