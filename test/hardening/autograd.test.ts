/**
 * Hostile arguments to autograd: each row is a call and the GluonError message it must give
 * (or, for the documented scalar head gradient, the value it must compute).
 */
import { GluonError, NDArray, autograd, nd, nn } from '../../src';

/** A recorded head y = x·x over a variable x = [1, 2]. */
function recorded(): { x: NDArray; y: NDArray } {
  const x = nd.array([1, 2]);
  x.attachGrad();
  return { x, y: autograd.record(() => x.mul(x)) };
}

const REJECTED: [string, () => unknown, string][] = [
  ['record without a function', () => autograd.record(5 as never), 'autograd.record: expected a function to run, but got the number 5'],
  ['record with null options', () => autograd.record(() => 1, null as never), 'autograd.record: expected an options object, but got null'],
  ['record with a string trainMode', () => autograd.record(() => 1, { trainMode: 'no' as never }), "autograd.record: expected trainMode to be true or false, but got the string 'no'"],
  ['record with an unknown option', () => autograd.record(() => 1, { train_mode: true } as never),
    "autograd.record: expected options among trainMode, but got unknown option 'train_mode' (did you mean 'trainMode'?)"],
  ['pause without a function', () => autograd.pause('x' as never), "autograd.pause: expected a function to run, but got the string 'x'"],
  ['trainMode without a function', () => autograd.trainMode(null as never), 'autograd.trainMode: expected a function to run, but got null'],
  ['predictMode without a function', () => autograd.predictMode({} as never), 'autograd.predictMode: expected a function to run, but got an object (Object)'],
  ['backward with a string head gradient', () => recorded().y.backward('x' as never),
    "backward: expected a head gradient (an NDArray of shape (2,) or a number), but got the string 'x'"],
  ['backward with a head gradient of another shape', () => recorded().y.backward(nd.ones([3])), 'backward: expected a head gradient of shape (2,), but got (3,)'],
  ['backward with two head gradients for one head', () => autograd.backward(recorded().y, [nd.ones([2]), nd.ones([2])]),
    'backward: expected at most one head gradient per head (1), but got 2'],
  ['backward with a string retainGraph', () => recorded().y.backward(undefined, { retainGraph: 'yes' as never }),
    "backward: expected retainGraph to be true or false, but got the string 'yes'"],
  ['grad of a number', () => autograd.grad(5 as never, []), 'grad: expected heads to be an NDArray or a non-empty list of NDArrays, but got the number 5'],
  ['grad with no variables', () => autograd.grad(recorded().y, []), 'grad: expected variables to be an NDArray or a non-empty list of NDArrays, but got []'],
  ['grad with a non-array variable', () => autograd.grad(recorded().y, [5 as never]), 'grad: expected variables to be an NDArray or a non-empty list of NDArrays, but got [5]'],
  ['grad with a string createGraph', () => { const { x, y } = recorded(); return autograd.grad(y, x, { createGraph: 'yes' as never }); },
    "grad: expected createGraph to be true or false, but got the string 'yes'"],
  ['grad with an unknown option', () => { const { x, y } = recorded(); return autograd.grad(y, x, { create_graph: true } as never); },
    "grad: expected options among headGrads, createGraph, retainGraph, but got unknown option 'create_graph' (did you mean 'createGraph'?)"],
];

describe('autograd rejects hostile arguments with a GluonError that says what it expected', () => {
  it.each(REJECTED)('%s', (_name, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });
});

describe('autograd scalar head gradients', () => {
  it('takes y.backward(n) as n everywhere: d(Σ n·x²)/dx = 2n·x', () => {
    const { x, y } = recorded();
    y.backward(2);
    expect(x.grad?.toArray()).toEqual([4, 8]);
  });

  it('takes a number among grad headGrads', () => {
    const { x, y } = recorded();
    expect(autograd.grad(y, x, { headGrads: [3] })[0].toArray()).toEqual([6, 12]);
  });

  it('keeps training off after a rejected record call', () => {
    expect(() => autograd.record(() => 1, { trainMode: 'no' as never })).toThrow(GluonError);
    expect(autograd.isTraining()).toBe(false);
  });
});

describe('parameter multipliers are checked where they are set', () => {
  const params = (): ReturnType<nn.Dense['collectParams']> => {
    const dense = new nn.Dense(2, { inUnits: 3 });
    dense.initialize();
    return dense.collectParams();
  };
  it.each([
    ['lrMult NaN through setAttr', () => params().setAttr('lrMult', NaN), /Parameter 'dense\d+_weight': expected lrMult to be a finite number, but got the number NaN/],
    ['wdMult Infinity', () => { params().values().next().value!.wdMult = Infinity; }, /expected wdMult to be a finite number, but got the number Infinity/],
    ['an unknown attribute', () => params().setAttr('lr_mult' as never, 1), "ParameterDict.setAttr: expected name to be one of 'gradReq', 'lrMult', 'wdMult', but got 'lr_mult'"],
  ] as [string, () => unknown, string | RegExp][])('%s', (_name, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });

  it('keeps a valid multiplier', () => {
    const dict = params();
    dict.setAttr('lrMult', 0.5);
    expect([...dict.values()].map((p) => p.lrMult)).toEqual([0.5, 0.5]);
  });
});
