/**
 * MXNet's `Cast` / `cast`: dtype conversion with C's casts (values written out here), float32 to
 * float32 carrying the gradient, MXNet's JSON node loaded and run by a SymbolBlock, and errors.
 */
import { NDArray, autograd, gluon, nd, sym } from '../../src';

test("converts with C's casts, to and from any dtype", () => {
  const bytes = nd.cast(nd.array([1.7, 2.2, 255, 0.9]), { dtype: 'uint8' });
  expect([bytes.dtype, bytes.toArray()]).toEqual(['uint8', [1, 2, 255, 0]]);
  const back = nd.cast(bytes, { dtype: 'float32' });
  expect([back.dtype, back.toArray()]).toEqual(['float32', [1, 2, 255, 0]]);
  expect(nd.cast(nd.array([-1.5, 2.5]), { dtype: 'int32' }).toArray()).toEqual([-1, 2]);
  expect(nd.cast(nd.array([1, 2], { dtype: 'int32' }), { dtype: 'float64' }).dtype).toBe('float64');
  expect(() => nd.cast(nd.array([300]), { dtype: 'uint8' })).toThrow('expected values that fit uint8 ([0, 255]), but got 300');
  expect(() => nd.cast(nd.array([1]), { dtype: 'uint9' as never })).toThrow(
    /^Cast: expected dtype to be one of 'float32', 'float64', .*, but got the string 'uint9'$/,
  );
});

test('float32 to float32 is a copy that carries the gradient', () => {
  const x = nd.array([1, -2, 3]);
  x.attachGrad();
  autograd.record(() => nd.cast(x, { dtype: 'float32' }).mul(nd.array([2, 3, 4]))).backward();
  expect(x.grad?.toArray()).toEqual([2, 3, 4]);
});

test("MXNet's Cast node runs in a graph to float32, and names the dtype it cannot compute in", () => {
  const node = (dtype: string) =>
    JSON.stringify({
      nodes: [
        { op: 'null', name: 'data', inputs: [] },
        { op: 'Cast', name: 'cast0', attrs: { dtype }, inputs: [[0, 0, 0]] },
        { op: 'relu', name: 'relu0', inputs: [[1, 0, 0]] },
      ],
      arg_nodes: [0],
      node_row_ptr: [0, 1, 2, 3],
      heads: [[2, 0, 0]],
      attrs: { mxnet_version: ['int', 10900] },
    });
  const block = new gluon.SymbolBlock(sym.loadJson(node('float32')), [sym.var('data')]);
  expect((block(nd.array([-1, 2])) as NDArray).toArray()).toEqual([0, 2]);
  expect(JSON.parse(sym.cast(sym.var('a'), { dtype: 'float16' }).toJson()).nodes[1]).toMatchObject({ op: 'Cast', attrs: { dtype: 'float16' } });
  const int = new gluon.SymbolBlock(sym.loadJson(node('int32')), [sym.var('data')]);
  expect(() => int(nd.array([1]))).toThrow(
    "expected Cast to float32 inside a hybridized graph (tsgluon's graphs compute in float32), but got dtype 'int32'; convert outside the graph with x.astype",
  );
});
