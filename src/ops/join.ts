/**
 * Joining and splitting along one axis: MXNet's `Concat` (alias `concat`), `stack` and
 * `SliceChannel` (alias `split`). Each is the others' gradient: Concat's gradient slices dy back
 * into pieces (slice_axis), SliceChannel's concatenates the output gradients, stack's splits dy
 * with the axis squeezed. So all of them differentiate any number of times.
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, shapeSize } from '../core/shape';
import { joinRows, sliceRows } from '../kernels/cpu/join';
import { AttrValues, boolAttr, intAttr } from './attrs';
import { Frontend, FrontendTable, NameOption, OpCaller, standard, variadic } from './frontend';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { SLICE_AXIS } from './slice';

/** `arg0`, `arg1`, …: the inputs of MXNet's variable-input operators. */
function argNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `arg${i}`);
}

/** How the inputs are laid side by side: per input the row width, and the rows. */
interface JoinPlan {
  readonly axis: number;
  readonly outer: number;
  readonly widths: readonly number[];
  /** Per input, its first index and its length along the axis of the output. */
  readonly begins: readonly number[];
  readonly lengths: readonly number[];
}

/** `(2, *, 4)`: the shape every input must have, any length on axis `a`. */
function pattern(shape: Shape, a: number): string {
  return `(${shape.map((d, i) => (i === a ? '*' : d)).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function planConcat(shapes: readonly Shape[], dim: number, who: string): { plan: JoinPlan; outShape: Shape } {
  const first = shapes[0];
  const a = normalizeAxis(dim, first.length, who);
  shapes.forEach((s, i) => {
    if (s.length !== first.length || s.some((d, j) => j !== a && d !== first[j])) {
      throw new GluonError(`${who}: expected every input to have shape ${pattern(first, a)} (any length on axis ${a}), but arg${i} has shape ${formatShape(s)}`);
    }
  });
  const inner = shapeSize(first.slice(a + 1));
  const lengths = shapes.map((s) => s[a]);
  const begins = lengths.map((_, i) => lengths.slice(0, i).reduce((t, n) => t + n, 0));
  const outShape = first.map((d, j) => (j === a ? lengths.reduce((t, n) => t + n, 0) : d));
  return { plan: { axis: a, outer: shapeSize(first.slice(0, a)), widths: lengths.map((n) => n * inner), begins, lengths }, outShape };
}

function allKnown(shapes: readonly MaybeShape[]): shapes is readonly Shape[] {
  return shapes.every((s) => s !== undefined);
}

const CONCAT_ATTRS = { numArgs: intAttr({ min: 1 }), dim: intAttr({ default: 1 }) };

/**
 * MXNet's `Concat`: joins `numArgs` arrays along `dim` (negative counts from the end); every
 * other dimension must agree. Gradient: each input receives its slice of dy along `dim`.
 */
export const CONCAT = defineOperator({
  name: 'Concat',
  aliases: ['concat'],
  attrs: CONCAT_ATTRS,
  inputs: (a) => argNames(a.numArgs),
  dtypes: 'same',
  inferShape: ({ dim }, shapes, who): ShapeInference<JoinPlan> => {
    if (!allKnown(shapes)) return { inputs: shapes, outputs: [undefined] };
    const { plan, outShape } = planConcat(shapes, dim, who);
    return { inputs: shapes, outputs: [outShape], plan };
  },
  forward: ({ plan, inputs, outputs: [y] }) => joinRows(inputs.map((x) => x.data), plan.widths, plan.outer, y.data),
  backward: ({ plan, outputGrads: [dy], needsGrad, into }, F) => plan.begins.map((begin, i) =>
    needsGrad[i] ? runInto(F, SLICE_AXIS, [dy], { axis: plan.axis, begin, end: begin + plan.lengths[i] }, into[i]) : undefined),
});

const STACK_ATTRS = { axis: intAttr({ default: 0 }), numArgs: intAttr({ min: 1 }) };

/**
 * MXNet's `stack`: `numArgs` arrays of one shape joined along a new axis `axis` (in
 * [-ndim-1, ndim]) of length numArgs. Gradient: dy split along that axis, the axis removed.
 */
export const STACK = defineOperator({
  name: 'stack',
  attrs: STACK_ATTRS,
  inputs: (a) => argNames(a.numArgs),
  dtypes: 'same',
  inferShape: ({ axis }, shapes, who): ShapeInference<JoinPlan> => {
    if (!allKnown(shapes)) return { inputs: shapes, outputs: [undefined] };
    const first = shapes[0];
    const a = normalizeAxis(axis, first.length + 1, who);
    shapes.forEach((s, i) => {
      if (s.length !== first.length || s.some((d, j) => d !== first[j])) {
        throw new GluonError(`${who}: expected every input to have the shape of arg0 ${formatShape(first)}, but arg${i} has shape ${formatShape(s)}`);
      }
    });
    const inner = shapeSize(first.slice(a));
    const outShape = [...first.slice(0, a), shapes.length, ...first.slice(a)];
    const plan = { axis: a, outer: shapeSize(first.slice(0, a)), widths: shapes.map(() => inner), begins: shapes.map((_, i) => i), lengths: shapes.map(() => 1) };
    return { inputs: shapes, outputs: [outShape], plan };
  },
  forward: ({ plan, inputs, outputs: [y] }) => joinRows(inputs.map((x) => x.data), plan.widths, plan.outer, y.data),
  backward: ({ plan, outputGrads: [dy], needsGrad }, F) => {
    const pieces = F.split(dy, { numOutputs: needsGrad.length, axis: plan.axis, squeezeAxis: true });
    return pieces.map((g, i) => (needsGrad[i] ? g : undefined));
  },
});

const SPLIT_ATTRS = { numOutputs: intAttr({ min: 1 }), axis: intAttr({ default: 1 }), squeezeAxis: boolAttr({ default: false }) };
type SplitAttrs = AttrValues<typeof SPLIT_ATTRS>;

/** Where SliceChannel cuts: equal runs of each row of the (outer, length·inner) view. */
interface SplitPlan {
  readonly axis: number;
  readonly outer: number;
  readonly rowLength: number;
  readonly width: number;
}

function planSplit({ numOutputs, axis, squeezeAxis }: SplitAttrs, shape: Shape, who: string): { plan: SplitPlan; outShape: Shape } {
  const a = normalizeAxis(axis, shape.length, who);
  const length = shape[a];
  if (length % numOutputs !== 0) {
    throw new GluonError(`${who}: expected the length of axis ${a} to be a multiple of numOutputs=${numOutputs}, but got data of shape ${formatShape(shape)}`);
  }
  if (squeezeAxis && length !== numOutputs) {
    throw new GluonError(`${who}: expected axis ${a} to have length numOutputs=${numOutputs} to squeeze it (squeezeAxis), but got data of shape ${formatShape(shape)}`);
  }
  const part = length / numOutputs;
  const inner = shapeSize(shape.slice(a + 1));
  const outShape = squeezeAxis ? shape.filter((_, d) => d !== a) : shape.map((d, j) => (j === a ? part : d));
  return { plan: { axis: a, outer: shapeSize(shape.slice(0, a)), rowLength: length * inner, width: part * inner }, outShape };
}

/**
 * MXNet's `SliceChannel` (alias `split`): `numOutputs` equal pieces along `axis` (whose length
 * they must divide), each without the axis when `squeezeAxis` (the axis length must then equal
 * numOutputs). Gradient: the output gradients concatenated (zeros for an unused output).
 */
export const SLICE_CHANNEL = defineOperator({
  name: 'SliceChannel',
  aliases: ['split'],
  attrs: SPLIT_ATTRS,
  inputs: ['data'],
  dtypes: 'same',
  outputs: (a) => Array.from({ length: a.numOutputs }, (_, i) => `output${i}`),
  inferShape: (attrs, shapes, who): ShapeInference<SplitPlan> => {
    const [shape] = shapes;
    if (shape === undefined) return { inputs: shapes, outputs: new Array<MaybeShape>(attrs.numOutputs).fill(undefined) };
    const { plan, outShape } = planSplit(attrs, shape, who);
    return { inputs: shapes, outputs: new Array<Shape>(attrs.numOutputs).fill(outShape), plan };
  },
  forward: ({ plan, inputs: [x], outputs }) => outputs.forEach((y, k) => sliceRows(x.data, plan.rowLength, k * plan.width, plan.width, plan.outer, y.data)),
  backward: ({ attrs, plan, outputGrads, into }, F) => {
    const grads = attrs.squeezeAxis ? outputGrads.map((g) => F.expandDims(g, { axis: plan.axis })) : outputGrads;
    return [runInto(F, CONCAT, grads, { numArgs: grads.length, dim: plan.axis }, into[0])];
  },
});

/** `SliceChannel`'s frontend: always the list of outputs, also for one (MXNet's gives the array itself then). */
function splitting(op: Operator): Frontend {
  return <T>(caller: OpCaller<T>) => {
    const call = standard(op)(caller) as (...args: unknown[]) => T | T[];
    return (...args: unknown[]) => {
      const outputs = call(...args);
      return Array.isArray(outputs) ? outputs : [outputs];
    };
  };
}

/** Options of `concat`. */
export interface ConcatOptions extends NameOption {
  /** The axis to join along (negative counts from the end). Default 1, as MXNet. */
  dim?: number;
  /** The number of arrays; filled in from the arguments. */
  numArgs?: number;
}

/** Options of `stack`. */
export interface StackOptions extends NameOption {
  /** Where the new axis goes, in [-ndim-1, ndim]. Default 0. */
  axis?: number;
  /** The number of arrays; filled in from the arguments. */
  numArgs?: number;
}

/** Options of `split` (MXNet's `SliceChannel`). */
export interface SplitOptions extends NameOption {
  /** The number of equal pieces; it must divide the axis length. */
  numOutputs: number;
  /** The axis to split (negative counts from the end). Default 1, as MXNet. */
  axis?: number;
  /** Remove the split axis from each piece (its length must equal numOutputs). Default false. */
  squeezeAxis?: boolean;
}

/** Joining and splitting functions of `nd` and `sym`. */
export interface JoinSignatures<T> {
  /**
   * MXNet's `Concat`: the arrays joined along `dim` (default 1; every other dimension must agree).
   * Gradient: each array receives its slice of dy.
   * @example
   * nd.concat(nd.zeros([2, 1]), nd.ones([2, 3])).shape; // [2, 4]
   * nd.concat(nd.array([1, 2]), nd.array([3]), { dim: 0 }).toArray(); // [1, 2, 3]
   */
  concat(...args: T[] | [...data: T[], options: ConcatOptions]): T;
  /** The same as `concat` (MXNet's canonical name). */
  Concat(...args: T[] | [...data: T[], options: ConcatOptions]): T;
  /**
   * MXNet's `stack`: arrays of one shape joined along a new axis `axis` (default 0) of length
   * their count. Gradient: dy split back along that axis.
   * @example nd.stack(nd.array([1, 2]), nd.array([3, 4]), { axis: 1 }).toArray(); // [[1, 3], [2, 4]]
   */
  stack(...args: T[] | [...data: T[], options: StackOptions]): T;
  /**
   * MXNet's `SliceChannel`: `numOutputs` equal pieces along `axis` (default 1), each without the
   * axis when `squeezeAxis`. Always returns the list of pieces (also for one piece, where MXNet
   * returns the array itself). Gradient: the pieces' gradients concatenated.
   * @example
   * const [a, b] = nd.split(nd.array([[1, 2, 3, 4]]), { numOutputs: 2 });
   * a.toArray(); // [[1, 2]]
   * b.toArray(); // [[3, 4]]
   */
  split(data: T, options: SplitOptions): T[];
  /** The same as `split` (MXNet's canonical name). */
  SliceChannel(data: T, options: SplitOptions): T[];
}

export const JOIN_FRONTENDS: FrontendTable<JoinSignatures<unknown>> = {
  concat: variadic(CONCAT),
  Concat: variadic(CONCAT),
  stack: variadic(STACK),
  split: splitting(SLICE_CHANNEL),
  SliceChannel: splitting(SLICE_CHANNEL),
};
