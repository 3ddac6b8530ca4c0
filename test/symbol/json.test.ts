/**
 * MXNet's symbol JSON: the layout MXNet 1.9's writer (dmlc::JSONWriter) produces, reading every
 * format MXNet reads (0.8's `param`, 0.9's `attr`, 1.x's `attrs`; two- and three-element entries),
 * MXNet's legacy upgrades, and hostile files.
 */
import { GluonError, nd, sym } from '../../src';

/** MXNet 1.9.1's output for a Gluon Dense(3, activation='relu') without in_units, exported (mxnet_symbol_json research, from the writer's source). */
const DENSE_RELU = `{
  "nodes": [
    {
      "op": "null", 
      "name": "data", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "hybridsequential0_dense0_weight", 
      "attrs": {
        "__dtype__": "0", 
        "__lr_mult__": "1.0", 
        "__shape__": "(3, 0)", 
        "__storage_type__": "0", 
        "__wd_mult__": "1.0"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "hybridsequential0_dense0_bias", 
      "attrs": {
        "__dtype__": "0", 
        "__init__": "zeros", 
        "__lr_mult__": "1.0", 
        "__shape__": "(3,)", 
        "__storage_type__": "0", 
        "__wd_mult__": "1.0"
      }, 
      "inputs": []
    }, 
    {
      "op": "FullyConnected", 
      "name": "hybridsequential0_dense0_fwd", 
      "attrs": {
        "flatten": "True", 
        "no_bias": "False", 
        "num_hidden": "3"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    }, 
    {
      "op": "Activation", 
      "name": "hybridsequential0_dense0_relu_fwd", 
      "attrs": {"act_type": "relu"}, 
      "inputs": [[3, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5], 
  "heads": [[4, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
}`;

describe('writing', () => {
  it("reproduces MXNet 1.9's file for Gluon's Dense(3, activation='relu') byte for byte", () => {
    expect(sym.loadJson(DENSE_RELU).toJson()).toBe(DENSE_RELU);
  });

  it('breaks number arrays past 10 items, keeps one-entry maps on one line, ends without a newline', () => {
    let y = sym.var('x');
    for (let i = 0; i < 11; i++) y = y.add(1);
    const text = y.toJson();
    expect(text).toContain('"node_row_ptr": [\n    0, \n    1, \n');
    expect(text).toContain('"attrs": {"scalar": "1.0"}');
    expect(text.endsWith('}')).toBe(true);
    expect(text.split('\n').filter((line) => line.endsWith(',')).length).toBe(0);
  });

  it('writes canonical operator names (never an alias) and counts versions of mutated variables', () => {
    const legacy = { nodes: [{ op: 'null', name: 'a', inputs: [] }, { op: '_Plus', name: 'p', inputs: [[0, 0], [0, 0]] }], heads: [[1, 0]] };
    expect(sym.loadJson(legacy).toJson()).toContain('"op": "elemwise_add"');
  });
});

describe('reading old formats', () => {
  it("reads 0.8's param and attr keys, two-element entries, and a file without a version", () => {
    const old = {
      nodes: [
        { op: 'null', name: 'data', param: {}, inputs: [], backward_source_id: -1 },
        { op: '_MulScalar', name: 'm', param: { scalar: '3' }, attr: { __ctx_group__: 'dev1' }, inputs: [[0, 0]], backward_source_id: -1 },
      ],
      arg_nodes: [0],
      heads: [[1, 0]],
    };
    const y = sym.loadJson(JSON.stringify(old));
    expect(y.listArguments()).toEqual(['data']);
    expect(y.toJson()).toContain('"__ctx_group__": "dev1"');
  });

  it('moves old lr_mult attributes to __lr_mult__, and <input>_lr_mult to that input (MXNet before 1.9.1)', () => {
    const old = {
      nodes: [
        { op: 'null', name: 'a', inputs: [] },
        { op: 'null', name: 'b', inputs: [] },
        { op: 'elemwise_add', name: 'p', attrs: { lr_mult: '2', rhs_wd_mult: '0' }, inputs: [[0, 0, 0], [1, 0, 0]] },
      ],
      heads: [[2, 0, 0]],
      attrs: { mxnet_version: ['int', 10800] },
    };
    const text = sym.loadJson(old).toJson();
    expect(text).toContain('"__lr_mult__": "2"');
    expect(text).toContain('"name": "b", \n      "attrs": {"__wd_mult__": "0"}');
  });

  it('erases axis=-1 of argmax in files before 0.9.5 (they searched the flattened array)', () => {
    const old = { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'argmax', name: 'am', param: { axis: '-1' }, inputs: [[0, 0]] }], heads: [[1, 0]], attrs: { mxnet_version: ['int', 904] } };
    const y = sym.loadJson(old);
    expect(y.inferShape({ x: [2, 3] }).outShapes).toEqual([[1]]);
  });

  it('keeps any attribute of an operator MXNet parses none for, and rejects unknown ones elsewhere', () => {
    const loose = { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'relu', name: 'r', attrs: { whatever: '1' }, inputs: [[0, 0, 0]] }], heads: [[1, 0, 0]] };
    expect(sym.loadJson(loose).toJson()).toContain('"attrs": {"whatever": "1"}');
    const strict = { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'sum', name: 's', attrs: { axes: '1' }, inputs: [[0, 0, 0]] }], heads: [[1, 0, 0]] };
    expect(() => sym.loadJson(strict)).toThrow("sum node 's': operator sum has no attribute 'axes' (MXNet declares: axis, keepdims, exclude)");
  });

  it('parses attribute values as dmlc does: tuples in any bracket form, True/1, 1e-05', () => {
    const file = (attrs: Record<string, string>) => ({ nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'sum', name: 's', attrs, inputs: [[0, 0, 0]] }], heads: [[1, 0, 0]] });
    for (const axis of ['(1,)', '[1]', '1', '(1L,)']) expect(sym.loadJson(file({ axis, keepdims: 'true' })).inferShape({ x: [2, 3] }).outShapes).toEqual([[2, 1]]);
    expect(() => sym.loadJson(file({ keepdims: 'yes' }))).toThrow("sum node 's': expected attribute 'keepdims' of sum to be true or false, but got 'yes'");
    expect(() => sym.loadJson(file({ axis: '(1, x)' }))).toThrow("expected attribute 'axis' of sum to be None or a tuple of integers (or one integer), but got '(1, x)'");
  });
});

describe('hostile files', () => {
  const bad = (json: unknown): (() => unknown) => () => sym.loadJson(json as object);
  it.each([
    ['not JSON', '{"nodes": [', /sym.loadJson: expected MXNet symbol JSON, but the text is not JSON/],
    ['no nodes', '{"heads": []}', /expected MXNet symbol JSON \(an object with "nodes" and "heads"\)/],
    ['a forward reference (a cycle)', { nodes: [{ op: 'relu', name: 'r', inputs: [[1, 0]] }, { op: 'relu', name: 's', inputs: [[0, 0]] }], heads: [[1, 0]] }, /node 0 \('r'\) input reads node 1, which is not listed before it/],
    ['a self reference', { nodes: [{ op: 'relu', name: 'r', inputs: [[0, 0]] }], heads: [[0, 0]] }, /reads node 0, which is not listed before it/],
    ['a dangling input', { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'relu', name: 'r', inputs: [[7, 0]] }], heads: [[1, 0]] }, /reads node 7/],
    ['a dangling head', { nodes: [{ op: 'null', name: 'x', inputs: [] }], heads: [[3, 0]] }, /head reads node 3/],
    ['no heads', { nodes: [{ op: 'null', name: 'x', inputs: [] }], heads: [] }, /expected at least one head/],
    ['a missing output', { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'relu', name: 'r', inputs: [[0, 1]] }], heads: [[1, 0]] }, /reads output 1 of node 0 \('x'\), which has 1 visible output/],
    ['an unknown operator', { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'FancyOp', name: 'f', inputs: [[0, 0]] }], heads: [[1, 0]] }, /node 1 \('f'\): operator 'FancyOp' is not supported by tsgluon; the supported operators are: .*relu/],
    ['a wrong input count', { nodes: [{ op: 'null', name: 'x', inputs: [] }, { op: 'relu', name: 'r', inputs: [[0, 0], [0, 0]] }], heads: [[1, 0]] }, /relu node 'r': expected 1 input\(s\) \(data\), but the file lists 2/],
    ['a non-integer entry', { nodes: [{ op: 'null', name: 'x', inputs: [] }], heads: [[0.5, 0]] }, /heads: entry 0 must be \[node, output\]/],
    ['a node without a name', { nodes: [{ op: 'null', inputs: [] }], heads: [[0, 0]] }, /node 0: expected an object with string "op" and "name"/],
    ['an attribute that is an object', { nodes: [{ op: 'null', name: 'x', attrs: { __shape__: { a: 1 } }, inputs: [] }], heads: [[0, 0]] }, /expected attribute '__shape__' to be a string/],
    ['a bad version', { nodes: [{ op: 'null', name: 'x', inputs: [] }], heads: [[0, 0]], attrs: { mxnet_version: ['int', 'x'] } }, /expected attrs.mxnet_version to be \["int", <version>\]/],
  ])('%s gives a GluonError', (_, json, message) => {
    expect(bad(json)).toThrow(GluonError);
    expect(bad(json)).toThrow(message);
  });

  it('a huge declared shape fails at shape inference, not at allocation', () => {
    const y = sym.loadJson({ nodes: [{ op: 'null', name: 'x', attrs: { __shape__: '(100000, 100000, 100000)' }, inputs: [] }, { op: 'relu', name: 'r', inputs: [[0, 0]] }], heads: [[1, 0]] });
    expect(y.inferShape().outShapes).toEqual([[100000, 100000, 100000]]);
    expect(() => y.reshape([-1]).inferShape()).toThrow(/more than the limit of 1073741824 per array/);
    expect(() => nd.zeros([1e5, 1e5, 1e5])).toThrow(GluonError);
  });
});
