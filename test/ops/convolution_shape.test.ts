import { GluonError, NDArray, nd } from '../../src';
import { CONVOLUTION, CONVOLUTION_WEIGHT_GRAD, DECONVOLUTION } from '../../src/ops/convolution';
import { invoke } from '../../src/ops/invoke';
import type { MaybeShape, Operator } from '../../src/ops/operator';

/** The operator's shape inference for `options` (camelCase, as nd.X takes them). */
function infer(op: Operator, options: object, shapes: MaybeShape[]) {
  return op.inferShape(op.resolveOptions(options, op.name), shapes, op.name);
}

describe('Convolution and Deconvolution shape inference', () => {
  it('infers the weight and bias of a convolution from the data, in both layouts', () => {
    const first = infer(CONVOLUTION, { kernel: [3, 3], numFilter: 6, numGroup: 2 }, [[1, 4, 5, 7], undefined, undefined]);
    expect(first.inputs).toEqual([[1, 4, 5, 7], [6, 2, 3, 3], [6]]);
    expect(first.outputs).toEqual([[1, 6, 3, 5]]);
    const last = infer(CONVOLUTION, { kernel: [3, 1], numFilter: 6, layout: 'NHWC', noBias: true }, [[2, 5, 7, 4], undefined]);
    expect(last.inputs).toEqual([[2, 5, 7, 4], [6, 3, 1, 4]]);
    expect(last.outputs).toEqual([[2, 3, 7, 6]]);
    const oneD = infer(CONVOLUTION, { kernel: [2], stride: [2], pad: [1], numFilter: 3 }, [[1, 2, 5], undefined, undefined]);
    expect(oneD.inputs).toEqual([[1, 2, 5], [3, 2, 2], [3]]);
    expect(oneD.outputs).toEqual([[1, 3, 3]]);
  });

  it('infers the weight of a deconvolution, (C, numFilter/numGroup, *kernel)', () => {
    const first = infer(DECONVOLUTION, { kernel: [2, 2, 2], stride: [2, 2, 2], numFilter: 4, numGroup: 2 }, [[1, 6, 2, 3, 4], undefined]);
    expect(first.inputs).toEqual([[1, 6, 2, 3, 4], [6, 2, 2, 2, 2]]);
    expect(first.outputs).toEqual([[1, 4, 4, 6, 8]]);
    const last = infer(DECONVOLUTION, { kernel: [3], numFilter: 4, layout: 'NWC', noBias: false }, [[1, 5, 2], undefined, undefined]);
    expect(last.inputs).toEqual([[1, 5, 2], [2, 3, 4], [4]]);
    expect(last.outputs).toEqual([[1, 7, 4]]);
  });

  it('fills in the bias while the data shape is unknown, and checks the attributes already', () => {
    const unknown = infer(CONVOLUTION, { kernel: [3, 3], numFilter: 6 }, [undefined, undefined, undefined]);
    expect(unknown.inputs).toEqual([undefined, undefined, [6]]);
    expect(unknown.outputs).toEqual([undefined]);
    expect(() => infer(CONVOLUTION, { kernel: [3, 3], numFilter: 6, pad: [1] }, [undefined, undefined, undefined])).toThrow(
      'Convolution: expected pad to have 2 value(s), one per spatial dimension of kernel (3, 3), but got (1,)');
  });

  it('infers the weight gradient operator\'s shapes: ograd as the convolution\'s output, the result as its weight', () => {
    const grad = infer(CONVOLUTION_WEIGHT_GRAD, { kernel: [3, 3], numFilter: 6, numGroup: 2 }, [[1, 4, 5, 7], undefined]);
    expect(grad.inputs).toEqual([[1, 4, 5, 7], [1, 6, 3, 5]]);
    expect(grad.outputs).toEqual([[6, 2, 3, 3]]);
    expect(() => invoke(nd, CONVOLUTION_WEIGHT_GRAD, [nd.ones([1, 4, 5, 7]), nd.ones([1, 6, 3, 4])],
      CONVOLUTION_WEIGHT_GRAD.resolveOptions({ kernel: [3, 3], numFilter: 6 }, 'x'))).toThrow(
      '_backward_Convolution_weight: expected ograd of shape (1, 6, 3, 5) for data of shape (1, 4, 5, 7), but got (1, 6, 3, 4)');
  });
});

describe('Convolution and Deconvolution attributes, as MXNet 1.9 declares them', () => {
  it('print the given attributes under their JSON keys', () => {
    const attrs = DECONVOLUTION.resolveOptions({ kernel: [4, 4], stride: [2, 2], numFilter: 8, targetShape: [16, 16], cudnnOff: true }, 'x');
    expect(DECONVOLUTION.printAttrs(attrs)).toEqual({ kernel: '(4, 4)', stride: '(2, 2)', target_shape: '(16, 16)', num_filter: '8', cudnn_off: 'True' });
  });

  it('default no_bias to false for Convolution and to true for Deconvolution', () => {
    const names = (op: Operator) => op.inputNames(op.resolveOptions({ kernel: [3], numFilter: 1 }, 'x'));
    expect(names(CONVOLUTION)).toEqual(['data', 'weight', 'bias']);
    expect(names(DECONVOLUTION)).toEqual(['data', 'weight']);
    expect(CONVOLUTION.attrSpecs.workspace.defaultValue).toBe(1024);
    expect(DECONVOLUTION.attrSpecs.workspace.defaultValue).toBe(512);
    expect(['workspace', 'cudnnTune', 'cudnnOff'].every((k) => CONVOLUTION.attrSpecs[k].ignored)).toBe(true);
    expect(CONVOLUTION.aliases).toEqual(['_npx_convolution']);
    expect(DECONVOLUTION.aliases).toEqual(['_npx_deconvolution']);
  });
});

describe('Convolution and Deconvolution errors name the operator, what it expected and what it got', () => {
  const x = nd.ones([1, 4, 5, 5]);
  const conv = (opts: object, w: NDArray = nd.ones([6, 4, 3, 3]), data: NDArray = x, b?: NDArray) =>
    () => nd.Convolution(data, w, b, { kernel: [3, 3], numFilter: 6, ...opts });

  it('for options', () => {
    expect(() => nd.Convolution(x, nd.ones([6, 4, 3, 3]), undefined, undefined as never)).toThrow(
      'Convolution: expected kernel (a tuple of integers >= 1), a required option, but got none');
    expect(conv({ numFilter: undefined })).toThrow('Convolution: expected numFilter (an integer >= 1), a required option, but got none');
    expect(conv({ kernel: [] })).toThrow('Convolution: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ()');
    expect(conv({ kernel: [1, 1, 1, 1] })).toThrow('Convolution: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got (1, 1, 1, 1)');
    expect(conv({ stride: [1, 0] })).toThrow('Convolution: expected stride to be a tuple of integers >= 1, but got [1, 0]');
    expect(conv({ pad: [-1, 0] })).toThrow('Convolution: expected pad to be a tuple of integers >= 0, but got [-1, 0]');
    expect(conv({ stride: [1, 1, 1] })).toThrow('Convolution: expected stride to have 2 value(s), one per spatial dimension of kernel (3, 3), but got (1, 1, 1)');
    expect(conv({ dilate: [2] })).toThrow('Convolution: expected dilate to have 2 value(s), one per spatial dimension of kernel (3, 3), but got (2,)');
    expect(conv({ layout: 'NCWH' })).toThrow(
      "Convolution: expected layout to be None or one of 'NCW', 'NCHW', 'NCDHW', 'NHWC', 'NDHWC', 'NWC', but got the string 'NCWH'");
    expect(conv({ layout: 'NCW' })).toThrow("Convolution: expected layout 'NCHW' or 'NHWC' for 2 spatial dimension(s), but got the string 'NCW'");
    expect(conv({ cudnnTune: 'slowest' })).toThrow(
      "Convolution: expected cudnnTune to be None or one of 'off', 'limited_workspace', 'fastest', but got the string 'slowest'");
    expect(conv({ kernal: [3, 3] })).toThrow(/^Convolution: expected options among kernel, .*, but got unknown option 'kernal'$/);
  });

  it('for inputs', () => {
    expect(conv({}, nd.ones([6, 2, 3, 3]))).toThrow(new GluonError('Convolution: expected weight of shape (6, 4, 3, 3) for data of shape (1, 4, 5, 5), but got (6, 2, 3, 3)'));
    expect(conv({}, undefined, nd.ones([4, 5, 5]))).toThrow('Convolution: expected data of rank 4 (layout NCHW), but got shape (4, 5, 5)');
    expect(conv({ numGroup: 3 })).toThrow('Convolution: expected the input channels divisible by numGroup = 3, but got 4 channels in data of shape (1, 4, 5, 5)');
    expect(conv({ numGroup: 4, numFilter: 6 })).toThrow('Convolution: expected numFilter divisible by numGroup = 4, but got numFilter = 6');
    expect(conv({ kernel: [7, 3] })).toThrow(
      'Convolution: expected the kernel to fit in the padded input along spatial dimension 0, but got kernel 7 (dilation 1, extent 7) > input 5 + 2*pad 0');
    expect(conv({ dilate: [1, 3] })).toThrow(/along spatial dimension 1, but got kernel 3 \(dilation 3, extent 7\) > input 5 \+ 2\*pad 0/);
    expect(conv({}, undefined, x, nd.ones([5]))).toThrow('Convolution: expected bias of shape (6,), but got (5,)');
    expect(conv({ noBias: true }, undefined, x, nd.ones([6]))).toThrow(
      'Convolution: Convolution takes 2 input(s) (data, weight) with these options, but got 3 (options go last, in one object)');
    expect(conv({ noBias: false })).toThrow('Convolution: expected bias to be an NDArray, but got none');
    expect(conv({}, undefined, [1, 2] as unknown as NDArray)).toThrow('Convolution: expected data to be an NDArray, but got [1, 2]');
  });

  it('for a deconvolution\'s adj, targetShape and output size', () => {
    const deconv = (opts: object, data = nd.ones([1, 2, 3])) =>
      () => nd.Deconvolution(data, nd.ones([2, 1, 3]), { kernel: [3], numFilter: 1, ...opts });
    expect(deconv({ stride: [2], adj: [2] })).toThrow('Deconvolution: expected adj[0] < stride[0] = 2, but got 2');
    expect(deconv({ pad: [3] })).toThrow('Deconvolution: expected a positive output size along spatial dimension 0, but got -1 from input 3 with pad 3');
    expect(() => nd.Deconvolution(nd.ones([1, 1, 3]), nd.ones([1, 1, 1]), { kernel: [1], stride: [2e9], numFilter: 1 }))
      .toThrow('Deconvolution output: shape (1, 1, 4000000001) has 4000000001 elements, more than the limit of 1073741824 per array');
    expect(deconv({ numFilter: 2 })).toThrow('Deconvolution: expected weight of shape (2, 2, 3) for data of shape (1, 2, 3), but got (2, 1, 3)');
    expect(deconv({ targetShape: [6] })).toThrow(
      'Deconvolution: expected targetShape[0] in [1, 5] (the output size of input 3 without padding), but got 6 (targetShape (6,))');
    expect(deconv({ targetShape: [4] })).toThrow(
      'Deconvolution: expected a targetShape[0] that stride 1 can reach, but got 4: it needs adj = 1, and adj must be < stride');
    expect(deconv({ targetShape: [4, 4] })).toThrow(
      'Deconvolution: expected targetShape to have 1 value(s), one per spatial dimension of kernel (3,), but got (4, 4)');
    const square = () => nd.Deconvolution(nd.ones([1, 2, 3, 3]), nd.ones([2, 1, 3, 3]), { kernel: [3, 3], stride: [2, 2], numFilter: 1, targetShape: [6, 0] });
    expect(square).toThrow('Deconvolution: expected targetShape[1] in [1, 7] (the output size of input 3 without padding), but got 0 (targetShape (6, 0))');
  });
});
