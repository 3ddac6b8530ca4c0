/**
 * nd.booleanMask: the kept slices along an axis (against a naive filter), the gradient (dy back
 * at the kept slices) by finite differences, and the errors — including sym, where the output's
 * length cannot be known.
 */
import { GluonError, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const x = nd.array(Float32Array.from(pseudoRandom(12, 1)), { shape: [3, 4] });

test('keeps the slices whose mask entry is non-zero, along any axis', () => {
  const rows = x.toArray() as number[][];
  expect(nd.booleanMask(x, nd.array([1, 0, 2])).toArray()).toEqual([rows[0], rows[2]]);
  expect(nd.booleanMask(x, nd.array([0, 1, 0, 1]), { axis: 1 }).toArray()).toEqual(rows.map((r) => [r[1], r[3]]));
  expect(nd.booleanMask(x, nd.zeros([3])).shape).toEqual([0, 4]);
});

test('the gradient puts dy back at the kept slices', () => {
  checkGradient((a) => nd.booleanMask(a, nd.array([1, 0, 1, 1]), { axis: -1 }), [x], { check: [0] });
});

test('names a mask of the wrong length, and refuses symbols', () => {
  expect(() => nd.booleanMask(x, nd.ones([4]))).toThrow('booleanMask: expected a 1-D mask of 3 entries (data\'s axis 0), but got shape (4,)');
  expect(() => sym.booleanMask(sym.var('x'), sym.var('m'))).toThrow(GluonError);
  expect(() => sym.booleanMask(sym.var('x'), sym.var('m'))).toThrow(/^booleanMask: expected NDArrays \(the output's length depends on the mask's values/);
});
