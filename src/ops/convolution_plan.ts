/**
 * The attributes and shape inference of `Convolution`, `Deconvolution` and the convolution
 * weight gradient, as MXNet 1.9 declares them (ConvolutionParam, DeconvolutionParam) and infers
 * shapes (ConvolutionShape, DeconvolutionShape: the weight and bias shapes from the data and the
 * attributes, Deconvolution's pad and adj from `target_shape`), turned into the CPU kernels'
 * parameters.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape } from '../core/shape';
import type { ConvTransposeParams } from '../kernels/cpu/conv';
import { AttrValues, boolAttr, choiceAttr, intAttr, optionalAttr, tupleAttr } from './attrs';
import { CONV_LAYOUTS, SpatialLayout, spatialLayout } from './layout_checks';
import { MaybeShape, Shape, ShapeInference } from './operator';
import { expectShape } from './shape_checks';

const CUDNN_TUNE = ['off', 'limited_workspace', 'fastest'] as const;

/** Kernel, stride, dilate, pad: MXNet's `()` default means 1, 1, 0 per spatial dimension. */
const WINDOW_ATTRS = {
  kernel: tupleAttr({ min: 1 }),
  stride: tupleAttr({ min: 1, default: [] }),
  dilate: tupleAttr({ min: 1, default: [] }),
  pad: tupleAttr({ min: 0, default: [] }),
};

const GPU_ATTRS = {
  cudnnTune: optionalAttr(choiceAttr(CUDNN_TUNE), { default: null, ignored: true }),
  cudnnOff: boolAttr({ default: false, ignored: true }),
  layout: optionalAttr(choiceAttr(CONV_LAYOUTS)),
};

/** MXNet's ConvolutionParam, in its declaration order. */
export const CONVOLUTION_ATTRS = {
  ...WINDOW_ATTRS,
  numFilter: intAttr({ min: 1 }),
  numGroup: intAttr({ min: 1, default: 1 }),
  workspace: intAttr({ min: 0, default: 1024, ignored: true }),
  noBias: boolAttr({ default: false }),
  ...GPU_ATTRS,
};

/** MXNet's DeconvolutionParam: note `no_bias` defaults to true and `workspace` to 512. */
export const DECONVOLUTION_ATTRS = {
  ...WINDOW_ATTRS,
  adj: tupleAttr({ min: 0, default: [] }),
  targetShape: tupleAttr({ min: 0, default: [] }),
  numFilter: intAttr({ min: 1 }),
  numGroup: intAttr({ min: 1, default: 1 }),
  workspace: intAttr({ min: 0, default: 512, ignored: true }),
  noBias: boolAttr({ default: true }),
  ...GPU_ATTRS,
};

/** The weight gradient's attributes: a convolution's geometry (tsgluon's own operator). */
export const WEIGHT_GRAD_ATTRS = {
  ...WINDOW_ATTRS,
  numFilter: intAttr({ min: 1 }),
  numGroup: intAttr({ min: 1, default: 1 }),
  layout: optionalAttr(choiceAttr(CONV_LAYOUTS)),
};

/** What planning reads of the attributes of all three operators. */
type PlanAttrs = AttrValues<typeof WEIGHT_GRAD_ATTRS> & { readonly adj?: readonly number[]; readonly targetShape?: readonly number[] };

/** A planned call: the kernels' parameters (padding and adj as used) and the data layout. */
export interface ConvolutionPlan {
  readonly params: ConvTransposeParams;
  readonly layout: SpatialLayout;
}

/** The attributes resolved per spatial dimension (before the data shape is known). */
interface Window {
  readonly rank: number;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilate: readonly number[];
  readonly pad: readonly number[];
  readonly adj: readonly number[];
  /** Deconvolution's target output size, or null (unset, or all zeros: MXNet's "not given"). */
  readonly target: readonly number[] | null;
  readonly layout: SpatialLayout;
}

function resolveWindow(who: string, a: PlanAttrs): Window {
  const rank = a.kernel.length;
  if (rank < 1 || rank > 3) {
    throw new GluonError(`${who}: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ${formatShape(a.kernel)}`);
  }
  const perDim = (name: string, value: readonly number[] | undefined, fallback: number): readonly number[] => {
    if (value === undefined || value.length === 0) return new Array<number>(rank).fill(fallback);
    if (value.length !== rank) {
      throw new GluonError(`${who}: expected ${name} to have ${rank} value(s), one per spatial dimension of kernel ${formatShape(a.kernel)}, but got ${formatShape(value)}`);
    }
    return value;
  };
  const targetShape = perDim('targetShape', a.targetShape, 0);
  return {
    rank, kernel: a.kernel, stride: perDim('stride', a.stride, 1), dilate: perDim('dilate', a.dilate, 1),
    pad: perDim('pad', a.pad, 0), adj: perDim('adj', a.adj, 0), target: targetShape.some((t) => t > 0) ? targetShape : null,
    layout: spatialLayout(who, a.layout, rank),
  };
}

/**
 * Shape inference of `Convolution` (transposed false) and `Deconvolution` (true): checks the
 * attributes, then, once the data shape is known, the data and the given weight and bias shapes,
 * and infers the weight (conv: (numFilter, C/numGroup, *kernel); deconv: (C, numFilter/numGroup,
 * *kernel); channels-last layouts move the inner channel axis last), the bias (numFilter,) and
 * the output shape.
 */
export function inferConvolution(
  who: string, a: PlanAttrs & { readonly noBias: boolean }, transposed: boolean, shapes: readonly MaybeShape[],
): ShapeInference<ConvolutionPlan> {
  const window = resolveWindow(who, a);
  const [data, weight, bias] = shapes;
  const biasShape = a.noBias ? [] : [[a.numFilter]];
  if (bias !== undefined && !a.noBias) expectShape(who, 'bias', bias, [a.numFilter]);
  if (data === undefined) return { inputs: [data, weight, ...biasShape], outputs: [undefined] };
  const { plan, outShape } = planShapes(who, window, a, transposed, data);
  const weightShape = weightShapeOf(plan.params, transposed);
  if (weight !== undefined) expectShape(who, 'weight', weight, weightShape, data);
  return { inputs: [data, weightShape, ...biasShape], outputs: [outShape], plan };
}

/**
 * Shape inference of the weight gradient `_backward_Convolution_weight(data, ograd)`: a
 * convolution of `data` planned as `Convolution` plans it; `ograd` has that convolution's output
 * shape, and the result the weight's.
 */
export function inferWeightGradient(who: string, a: PlanAttrs, shapes: readonly MaybeShape[]): ShapeInference<ConvolutionPlan> {
  const window = resolveWindow(who, a);
  const [data, ograd] = shapes;
  if (data === undefined) return { inputs: shapes, outputs: [undefined] };
  const { plan, outShape } = planShapes(who, window, a, false, data);
  if (ograd !== undefined) expectShape(who, 'ograd', ograd, outShape, data);
  return { inputs: [data, outShape], outputs: [weightShapeOf(plan.params, false)], plan };
}

function planShapes(who: string, w: Window, a: PlanAttrs, transposed: boolean, data: Shape): { plan: ConvolutionPlan; outShape: number[] } {
  const { layout } = w;
  if (data.length !== w.rank + 2) {
    throw new GluonError(`${who}: expected data of rank ${w.rank + 2} (layout ${layout.layout}), but got shape ${formatShape(data)}`);
  }
  const channels = data[layout.channelAxis];
  const groups = a.numGroup;
  if (channels % groups !== 0) {
    throw new GluonError(`${who}: expected the input channels divisible by numGroup = ${groups}, but got ${channels} channels in data of shape ${formatShape(data)}`);
  }
  if (a.numFilter % groups !== 0) {
    throw new GluonError(`${who}: expected numFilter divisible by numGroup = ${groups}, but got numFilter = ${a.numFilter}`);
  }
  const inSize = layout.channelsLast ? data.slice(1, -1) : data.slice(2);
  const { pad, adj } = transposed ? deconvolutionPadding(who, w, inSize) : { pad: w.pad, adj: w.adj };
  const params: ConvTransposeParams = {
    batch: data[0], inChannels: channels, outChannels: a.numFilter, inSize, kernel: w.kernel, strides: w.stride, padding: pad,
    dilation: w.dilate, groups, channelsLast: layout.channelsLast, outputPadding: transposed ? adj : pad.map(() => 0),
  };
  const size = spatialOutput(params, transposed, who);
  const outShape = layout.channelsLast ? [params.batch, ...size, params.outChannels] : [params.batch, params.outChannels, ...size];
  // A huge stride or filter count must not make the output allocation unbounded.
  checkShape(outShape, `${who} output`);
  return { plan: { params, layout }, outShape };
}

/**
 * Deconvolution's pad and adj: as given, or derived from `targetShape` as MXNet's InferPad
 * does (the given pad and adj are then ignored): with t = stride·(in − 1) + dilate·(kernel − 1)
 * + 1 − target, adj = t mod 2 and pad = ceil(t / 2).
 */
function deconvolutionPadding(who: string, w: Window, inSize: readonly number[]): { pad: readonly number[]; adj: readonly number[] } {
  const { target } = w;
  if (target === null) return { pad: w.pad, adj: w.adj };
  const excess = inSize.map((n, i) => {
    const largest = w.stride[i] * (n - 1) + w.dilate[i] * (w.kernel[i] - 1) + 1;
    if (n > 0 && (target[i] < 1 || target[i] > largest)) {
      throw new GluonError(
        `${who}: expected targetShape[${i}] in [1, ${largest}] (the output size of input ${n} without padding), but got ${target[i]} (targetShape ${formatShape(target)})`,
      );
    }
    const excessAt = n > 0 ? largest - target[i] : 0;
    if (excessAt % 2 >= w.stride[i]) {
      throw new GluonError(`${who}: expected a targetShape[${i}] that stride ${w.stride[i]} can reach, but got ${target[i]}: it needs adj = 1, and adj must be < stride`);
    }
    return excessAt;
  });
  return { pad: excess.map((t) => Math.ceil(t / 2)), adj: excess.map((t) => t % 2) };
}

/** The spatial output size per dimension (0 where the input dimension is 0, as MXNet), checked. */
function spatialOutput(p: ConvTransposeParams, transposed: boolean, who: string): number[] {
  return p.inSize.map((n, i) => {
    const extent = p.dilation[i] * (p.kernel[i] - 1) + 1;
    if (transposed && p.outputPadding[i] >= p.strides[i]) {
      throw new GluonError(`${who}: expected adj[${i}] < stride[${i}] = ${p.strides[i]}, but got ${p.outputPadding[i]}`);
    }
    if (n === 0) return 0;
    if (transposed) return transposedSize(who, p, i, n, extent);
    if (extent > n + 2 * p.padding[i]) {
      throw new GluonError(
        `${who}: expected the kernel to fit in the padded input along spatial dimension ${i}, but got kernel ${p.kernel[i]} ` +
          `(dilation ${p.dilation[i]}, extent ${extent}) > input ${n} + 2*pad ${p.padding[i]}`,
      );
    }
    return Math.floor((n + 2 * p.padding[i] - extent) / p.strides[i]) + 1;
  });
}

/** (in − 1)·stride − 2·pad + extent + adj, which must be positive. */
function transposedSize(who: string, p: ConvTransposeParams, i: number, n: number, extent: number): number {
  const size = (n - 1) * p.strides[i] - 2 * p.padding[i] + extent + p.outputPadding[i];
  if (size < 1) {
    throw new GluonError(`${who}: expected a positive output size along spatial dimension ${i}, but got ${size} from input ${n} with pad ${p.padding[i]}`);
  }
  return size;
}

function weightShapeOf(p: ConvTransposeParams, transposed: boolean): number[] {
  const outer = transposed ? p.inChannels : p.outChannels;
  const inner = (transposed ? p.outChannels : p.inChannels) / p.groups;
  return p.channelsLast ? [outer, ...p.kernel, inner] : [outer, inner, ...p.kernel];
}

/**
 * The adj that makes a deconvolution of a convolution's output come back to the convolution's
 * input size (what the floor in the output size dropped): its data gradient.
 */
export function convolutionRemainder(p: ConvTransposeParams): number[] {
  return p.inSize.map((n, i) => (n === 0 ? 0 : (n + 2 * p.padding[i] - p.dilation[i] * (p.kernel[i] - 1) - 1) % p.strides[i]));
}

/** Options of a convolution with the geometry of `plan` (pad as used), for the backward rules. */
export function windowOptions(plan: ConvolutionPlan, numFilter: number): Record<string, unknown> {
  const p = plan.params;
  return { kernel: p.kernel, stride: p.strides, dilate: p.dilation, pad: p.padding, numFilter, numGroup: p.groups, layout: plan.layout.layout };
}
