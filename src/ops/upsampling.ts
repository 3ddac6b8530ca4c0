/**
 * MXNet's `UpSampling` (`src/operator/nn/upsampling.cc`, `upsampling-inl.h`) and its gradient
 * operator `_backward_UpSampling`:
 * - 'nearest': `numArgs` inputs `arg0`, `arg1`, … each repeated scale_i × scale_i times to arg0's
 *   size × scale (scale_i = output height / its height, as MXNet), then concatenated along the
 *   channels or summed, on the CPU upsampling kernel;
 * - 'bilinear': inputs `data` and `weight`, computed as MXNet does, by the registered
 *   `Deconvolution` with num_group = num_filter = C, kernel 2s − s%2, stride s, pad ⌈(s−1)/2⌉ and
 *   no bias: its shape inference, forward and backward are Deconvolution's, so the weight is
 *   inferred as (C, 1, k, k) and the gradients are differentiable as Deconvolution's are.
 *
 * Nearest upsampling is linear, y = A·(x₀, …, xₙ₋₁): its gradient Aᵀ·dy, each input's block sums
 * of its part of dy, is `_backward_UpSampling`, linear in dy again, whose gradient is A·G:
 * `UpSampling` itself (the adjoint of the adjoint). So both modes differentiate any number of times.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape } from '../core/shape';
import { UpsampleGeometry, sumBlocks, upsampleNearest } from '../kernels/cpu/upsampling';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, choiceAttr, intAttr } from './attrs';
import { DECONVOLUTION } from './convolution';
import { FrontendTable, NameOption, variadic } from './frontend';
import { invoke } from './invoke';
import type { Nd } from './nd';
import { Attrs, BackwardContext, MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

export const SAMPLE_TYPES = ['nearest', 'bilinear'] as const;
export type UpSamplingSampleType = (typeof SAMPLE_TYPES)[number];
export const MULTI_INPUT_MODES = ['concat', 'sum'] as const;
export type UpSamplingMultiInputMode = (typeof MULTI_INPUT_MODES)[number];
/** MXNet's range of `scale`. */
const MAX_SCALE = 1000;

/** MXNet's UpSamplingParam, in its declaration order. */
const UPSAMPLING_ATTRS = {
  scale: intAttr({ min: 1 }),
  numFilter: intAttr({ min: 0, default: 0 }),
  sampleType: choiceAttr(SAMPLE_TYPES),
  multiInputMode: choiceAttr(MULTI_INPUT_MODES, { default: 'concat' }),
  numArgs: intAttr({ min: 1, default: 1 }),
  workspace: intAttr({ min: 0, default: 512, ignored: true }),
};
type UpSamplingAttrs = AttrValues<typeof UPSAMPLING_ATTRS>;

/** `arg0`, `arg1`, …: the inputs of nearest upsampling, as MXNet names them. */
function argNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `arg${i}`);
}

/** One nearest input: its (C, H, W), its factor, and its first channel in a concatenated output. */
interface NearestPart {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly scale: number;
  readonly begin: number;
}

interface NearestPlan {
  readonly kind: 'nearest';
  readonly batch: number;
  readonly outShape: Shape;
  /** Every input covers the whole output (summed, or a single input): one kernel call each. */
  readonly whole: boolean;
  readonly parts: readonly NearestPart[];
}

/** Bilinear upsampling: a Deconvolution, with its attributes and plan. */
interface BilinearPlan {
  readonly kind: 'bilinear';
  readonly deconvAttrs: Attrs;
  readonly deconv: unknown;
}

type UpSamplingPlan = NearestPlan | BilinearPlan;

function checkScale(who: string, a: UpSamplingAttrs): void {
  if (a.scale > MAX_SCALE) throw new GluonError(`${who}: expected scale to be an integer in [1, ${MAX_SCALE}] (MXNet's range), but got ${a.scale}`);
}

/** Input i's factor: the output's height and width must be its own times one integer. */
function inputScale(who: string, i: number, shape: Shape, outH: number, outW: number): number {
  const [h, w] = [shape[2], shape[3]];
  const scale = h > 0 ? outH / h : w > 0 ? outW / w : 1;
  if (Number.isInteger(scale) && scale >= 1 && h * scale === outH && w * scale === outW) return scale;
  throw new GluonError(
    `${who}: expected arg${i}'s height and width to divide the output's (${outH}, ${outW}) by one integer factor, but got arg${i} of shape ${formatShape(shape)}`,
  );
}

/** MXNet's UpSamplingShape for 'nearest', planned for the kernel. */
function planNearest(who: string, a: UpSamplingAttrs, shapes: readonly Shape[]): NearestPlan {
  shapes.forEach((s, i) => {
    if (s.length !== 4) throw new GluonError(`${who}: expected arg${i} of rank 4 (N, C, H, W), but got shape ${formatShape(s)}`);
  });
  const first = shapes[0];
  const [batch, channels, outH, outW] = [first[0], first[1], first[2] * a.scale, first[3] * a.scale];
  const sum = a.multiInputMode === 'sum';
  let begin = 0;
  const parts = shapes.map((s, i): NearestPart => {
    if (s[0] !== batch) throw new GluonError(`${who}: expected arg${i} to have batch size ${batch} (as arg0), but got shape ${formatShape(s)}`);
    if (sum && s[1] !== channels) {
      throw new GluonError(`${who}: expected arg${i} to have ${channels} channels (as arg0: multiInputMode 'sum' adds the inputs), but got shape ${formatShape(s)}`);
    }
    const part = { channels: s[1], height: s[2], width: s[3], scale: i === 0 ? a.scale : inputScale(who, i, s, outH, outW), begin: sum ? 0 : begin };
    begin += s[1];
    return part;
  });
  const outShape = [batch, sum ? channels : begin, outH, outW];
  checkShape(outShape, `${who} output`);
  return { kind: 'nearest', batch, outShape, whole: sum || shapes.length === 1, parts };
}

/** MXNet's GetDeconvolutionParam: the Deconvolution that bilinear upsampling is. */
function bilinearDeconvolution(a: UpSamplingAttrs): Record<string, unknown> {
  const s = a.scale;
  const [kernel, pad] = [2 * s - (s % 2), Math.ceil((s - 1) / 2)];
  return {
    kernel: [kernel, kernel], stride: [s, s], pad: [pad, pad], numFilter: a.numFilter, numGroup: a.numFilter, noBias: true, workspace: a.workspace,
  };
}

/** MXNet's UpSamplingShape for 'bilinear': Deconvolution's, the weight inferred as (C, 1, k, k). */
function inferBilinear(who: string, a: UpSamplingAttrs, shapes: readonly MaybeShape[]): ShapeInference<UpSamplingPlan> {
  const [data, weight] = shapes;
  if (data === undefined) return { inputs: shapes, outputs: [undefined] };
  if (data.length !== 4) throw new GluonError(`${who}: expected data of rank 4 (N, C, H, W), but got shape ${formatShape(data)}`);
  if (a.numFilter !== data[1] || a.numFilter === 0) {
    throw new GluonError(
      `${who}: expected numFilter to equal the channels of data (bilinear upsampling filters each channel alone), but got numFilter ${a.numFilter} for data of shape ${formatShape(data)}`,
    );
  }
  const deconvAttrs = DECONVOLUTION.resolveOptions(bilinearDeconvolution(a), who);
  const inference = DECONVOLUTION.inferShape(deconvAttrs, [data, weight], who);
  const plan: BilinearPlan | undefined = inference.plan === undefined ? undefined : { kind: 'bilinear', deconvAttrs, deconv: inference.plan };
  return { inputs: inference.inputs, outputs: inference.outputs, plan };
}

function allKnown(shapes: readonly MaybeShape[]): shapes is readonly Shape[] {
  return shapes.every((s) => s !== undefined);
}

function inferUpSampling(who: string, a: UpSamplingAttrs, shapes: readonly MaybeShape[]): ShapeInference<UpSamplingPlan> {
  checkScale(who, a);
  if (a.sampleType === 'bilinear') return inferBilinear(who, a, shapes);
  if (!allKnown(shapes)) return { inputs: shapes, outputs: [undefined] };
  const plan = planNearest(who, a, shapes);
  return { inputs: shapes, outputs: [plan.outShape], plan };
}

/** Runs `body` on each input's kernel geometry and its offsets in the input and the output. */
function eachBlock(plan: NearestPlan, body: (i: number, g: UpsampleGeometry, inOffset: number, outOffset: number) => void): void {
  const [, outChannels, outH, outW] = plan.outShape;
  plan.parts.forEach((p, i) => {
    const { channels, height, width, scale } = p;
    if (plan.whole) {
      body(i, { planes: plan.batch * channels, height, width, scale }, 0, 0);
      return;
    }
    // A concatenated input fills channels [begin, begin + C) of each batch item.
    for (let n = 0; n < plan.batch; n++) body(i, { planes: channels, height, width, scale }, n * channels * height * width, (n * outChannels + p.begin) * outH * outW);
  });
}

/** MXNet's `UpSampling` (see UpSamplingSignatures). */
export const UPSAMPLING: Operator = defineOperator({
  name: 'UpSampling',
  attrs: UPSAMPLING_ATTRS,
  inputs: (a) => (a.sampleType === 'nearest' ? argNames(a.numArgs) : ['data', 'weight']),
  inferShape: (a, shapes, who) => inferUpSampling(who, a, shapes),
  forward: (ctx): unknown => {
    const { plan, inputs, outputs: [y] } = ctx;
    if (plan.kind === 'bilinear') return DECONVOLUTION.forward({ ...ctx, attrs: plan.deconvAttrs, plan: plan.deconv });
    // A summed input after the first adds into the output.
    eachBlock(plan, (i, g, inOffset, outOffset) => upsampleNearest(g, inputs[i].data, inOffset, y.data, outOffset, plan.whole && i > 0));
    return undefined;
  },
  backward: (ctx, F) => (ctx.plan.kind === 'nearest' ? nearestGradients(F, ctx) : bilinearGradients(F, ctx, ctx.plan)),
});

type UpSamplingBackward = BackwardContext<UpSamplingAttrs, UpSamplingPlan, unknown>;

/** The inputs' gradients of nearest upsampling: one `_backward_UpSampling`, written where autograd offers. */
function nearestGradients(F: Nd, { attrs, inputs, outputGrads: [dy], needsGrad, into, who }: UpSamplingBackward): (NDArray | undefined)[] {
  if (!needsGrad.some((needed) => needed)) return needsGrad.map(() => undefined);
  const grads = invoke(F, UPSAMPLING_GRAD, [dy, ...inputs], UPSAMPLING_GRAD.resolveOptions(attrs, who), into);
  return grads.map((g, i) => (needsGrad[i] ? g : undefined));
}

/** The gradients of bilinear upsampling: Deconvolution's, with its attributes and plan. */
function bilinearGradients(F: Nd, ctx: UpSamplingBackward, plan: BilinearPlan): readonly (NDArray | undefined)[] {
  const rule = DECONVOLUTION.backward;
  if (typeof rule !== 'function') throw new GluonError(`${ctx.who}: Deconvolution has no gradient rule`);
  return rule({ ...ctx, attrs: plan.deconvAttrs, plan: plan.deconv }, F);
}

/**
 * `_backward_UpSampling(ograd, arg0, …)` for 'nearest' (the args are read for their shapes only):
 * the gradient of every input, in its shape, dxᵢ[n, c, h, w] = Σ of its scaleᵢ × scaleᵢ block of
 * its part of ograd (float64, rounded once). One output per input (`output`, or `output0`, … for
 * several), as MXNet's; its gradient in ograd is `UpSampling` of the output gradients.
 */
export const UPSAMPLING_GRAD: Operator = defineOperator({
  name: '_backward_UpSampling',
  attrs: UPSAMPLING_ATTRS,
  inputs: (a) => ['ograd', ...argNames(a.numArgs)],
  outputs: (a) => (a.numArgs === 1 ? ['output'] : Array.from({ length: a.numArgs }, (_, i) => `output${i}`)),
  inferShape: (a, shapes, who): ShapeInference<NearestPlan> => {
    if (a.sampleType !== 'nearest') {
      throw new GluonError(`${who}: expected sampleType 'nearest' (the gradient of bilinear upsampling is Deconvolution's), but got '${a.sampleType}'`);
    }
    checkScale(who, a);
    const [ograd, ...data] = shapes;
    if (!allKnown(data)) return { inputs: shapes, outputs: data };
    const plan = planNearest(who, a, data);
    if (ograd !== undefined) expectShape(who, 'ograd', ograd, plan.outShape, data[0]);
    return { inputs: shapes, outputs: data, plan };
  },
  forward: ({ plan, inputs: [dy], outputs }) => eachBlock(plan, (i, g, inOffset, outOffset) => sumBlocks(g, dy.data, outOffset, outputs[i].data, inOffset)),
  backward: ({ attrs, outputGrads, needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, UPSAMPLING, outputGrads, attrs, into[0]) : undefined,
    ...needsGrad.slice(1).map(() => undefined),
  ],
});

/** Options of `UpSampling` (MXNet's attributes in camelCase). */
export interface UpSamplingOptions extends NameOption {
  /** The integer factor, in [1, 1000], by which height and width grow. Required. */
  scale: number;
  /** 'nearest' (repeat each value) or 'bilinear' (a Deconvolution with a weight input). Required. */
  sampleType: UpSamplingSampleType;
  /** Bilinear only: the number of channels C (the deconvolution filters each channel alone). Default 0. */
  numFilter?: number;
  /** Nearest with several inputs: 'concat' (the default) along the channels, or 'sum'. */
  multiInputMode?: UpSamplingMultiInputMode;
  /** The number of inputs; filled in from the arguments. */
  numArgs?: number;
  /** MXNet's deconvolution workspace (MB): accepted and ignored. Default 512. */
  workspace?: number;
}

/** Upsampling of `nd` and `sym`. */
export interface UpSamplingSignatures<T> {
  /**
   * MXNet's `UpSampling` of (N, C, H, W) data by an integer `scale` s:
   *
   *     nearest:  out[n, c, i, j] = x[n, c, ⌊i/s⌋, ⌊j/s⌋],   out (N, C, H·s, W·s)
   *     bilinear: out = Deconvolution(data, weight, kernel 2s − s%2, stride s, pad ⌈(s−1)/2⌉,
   *                     numGroup = numFilter = C, no bias),   weight (C, 1, 2s − s%2, 2s − s%2)
   *
   * Nearest takes any number of inputs (arg0, arg1, …; same batch size): each is upsampled to
   * arg0's size times s (input i by the factor that takes its size there) and the results are
   * concatenated along the channels (multiInputMode 'concat', the default) or summed ('sum', same
   * channel counts). Bilinear takes the data and the weight (inferred by shape inference; give it
   * `init.Bilinear` values for bilinear interpolation) and needs numFilter = C. Gradients: each
   * input's scale × scale block sums (float64, rounded once), or Deconvolution's; differentiable
   * again. Defaults: numFilter 0, multiInputMode 'concat', numArgs the number of inputs,
   * workspace 512 (ignored).
   *
   * @example
   * nd.UpSampling(nd.array([[[[1, 2], [3, 4]]]]), { scale: 2, sampleType: 'nearest' }).toArray();
   * // [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]
   * nd.UpSampling(a, b, { scale: 2, sampleType: 'nearest', multiInputMode: 'sum' }); // b may be a's size or smaller
   * nd.UpSampling(x, weight, { scale: 2, sampleType: 'bilinear', numFilter: x.shape[1] });
   */
  UpSampling(...args: [...data: T[], options: UpSamplingOptions]): T;
}

export const UPSAMPLING_FRONTENDS: FrontendTable<UpSamplingSignatures<unknown>> = {
  UpSampling: variadic(UPSAMPLING),
};
