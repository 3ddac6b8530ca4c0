/**
 * Running one operator on NDArrays: the imperative path (`nd.X`) and the cached graph's nodes
 * both end in `runOperator`, so both pick the same kernels and round the same way.
 */
import { GluonError } from '../core/errors';
import { checkShape, shapeSize } from '../core/shape';
import { isTraining } from '../autograd/mode';
import { recordNode, requiresGrad, shouldRecord } from '../autograd/tape';
import type { FusedActivation } from '../kernels/cpu/fused_activation';
import type { InputPad } from '../kernels/cpu/pad';
import { DType, integerResults, toStorage } from '../ndarray/dtype';
import { NDArray } from '../ndarray/ndarray';
import type { Nd } from './nd';
import { Attrs, ForwardContext, Operator, Shape, showShape } from './operator';

let caller: string | undefined;

/**
 * Runs `body` with `name` (a layer's name) as the one operator errors name, so that a bad input
 * to a layer is reported against the layer: `conv0: expected data of rank 4, …`.
 */
export function withCaller<T>(name: string, body: () => T): T {
  const previous = caller;
  caller = name;
  try {
    return body();
  } finally {
    caller = previous;
  }
}

/** The layer whose forward is running (see withCaller), if any. */
export function activeCaller(): string | undefined {
  return caller;
}

/** Who errors of `op` name now: the calling layer, else the operator. */
export function currentCaller(op: Operator): string {
  return caller ?? op.name;
}

/**
 * `op(inputs)` imperatively: infers the output shapes (checking the inputs), allocates the
 * outputs, runs the forward and records the call when autograd needs it. `storage[i]`, when
 * given, is where output i is written (a backward writing into an attached gradient).
 */
export function invoke(F: Nd, op: Operator, given: readonly (NDArray | undefined)[], attrs: Attrs, storage: readonly (Float32Array | undefined)[] = []): NDArray[] {
  const who = currentCaller(op);
  const inputs = op.indexInputs.length === 0 ? given : given.map((x, i) => (x !== undefined && x.dtype !== 'float32' && op.indexInputs.includes(i) ? x.astype('float32') : x));
  // A missing input is named before shape inference could report it as a shape it cannot infer.
  presentInputs(op, attrs, inputs, who, false);
  const target = op.castsTo?.(attrs);
  // A conversion between dtypes is astype; only float32 arrays carry gradients, so it records nothing.
  if (target !== undefined && !(target === 'float32' && inputs[0]?.dtype === 'float32')) return [(inputs[0] as NDArray).astype(target)];
  const dtype = operandDType(op, attrs, inputs, who);
  if (dtype !== 'float32') return invokeTyped(F, op, inputs, attrs, dtype, who);
  const inference = op.inferShape(attrs, inputs.map((x) => x?.shape), who);
  const outputs = outputShapes(op, inference.outputs, who).map((shape, i) => new NDArray(storage[i] ?? new Float32Array(shapeSize(shape)), shape));
  return runOperator(F, op, attrs, inputs, outputs, inference.plan, who);
}

/**
 * The dtype `op` computes in for `inputs`: float32, or for an operator declared `dtypes: 'same'`
 * the one dtype of all its inputs (MXNet's elementwise operators do not mix dtypes).
 */
function operandDType(op: Operator, attrs: Attrs, inputs: readonly (NDArray | undefined)[], who: string): DType {
  const first = inputs.find((x) => x !== undefined && x.dtype !== 'float32');
  if (first === undefined) return 'float32';
  const names = op.inputNames(attrs);
  if (op.dtypes !== 'same') {
    const i = inputs.indexOf(first);
    throw new GluonError(`${who}: expected ${names[i] ?? `input ${i}`} to be float32 (${op.name} computes in float32; convert with x.astype('float32')), but got ${first.dtype}`);
  }
  if (inputs.some((x) => x !== undefined && x.dtype !== first.dtype)) {
    const given = inputs.map((x, i) => `${names[i] ?? `input ${i}`} ${x?.dtype ?? 'none'}`);
    throw new GluonError(`${who}: expected inputs of one dtype (MXNet does not mix dtypes; convert with astype), but got ${given.join(', ')}`);
  }
  return first.dtype;
}

/**
 * An operator declared `dtypes: 'same'` on arrays of another dtype, as MXNet computes it:
 * float16 in float32 (mshadow's half_t converts each value to float and back), the others in
 * float64 (exact for every int8, uint8, int32 and bool value and every int64 within ±2^53), then
 * stored as the dtype (integers truncated and wrapped as C++ stores them, see ndarray/dtype.ts).
 * Nothing is recorded: only float32 arrays carry gradients.
 */
function invokeTyped(F: Nd, op: Operator, inputs: readonly (NDArray | undefined)[], attrs: Attrs, dtype: DType, who: string): NDArray[] {
  const wide = (x: NDArray) => (dtype === 'float16' ? x.astype('float32') : NDArray.widened(Float64Array.from(x.values), x.shape));
  const computeInputs = inputs.map((x) => (x === undefined ? undefined : wide(x)));
  const inference = op.inferShape(attrs, inputs.map((x) => x?.shape), who);
  const outputs = outputShapes(op, inference.outputs, who).map((shape) => {
    const size = shapeSize(shape);
    return dtype === 'float16' ? new NDArray(new Float32Array(size), shape) : NDArray.widened(new Float64Array(size), shape);
  });
  runOperator(F, op, attrs, computeInputs, outputs, inference.plan, who, {}, dtype);
  return outputs.map((y) => {
    if (dtype === 'float16') return new NDArray(toStorage(who, dtype, y.data), y.shape, dtype);
    if (dtype === 'float64') return new NDArray(y.values, y.shape, dtype);
    return new NDArray(integerResults(who, dtype, y.values as Float64Array), y.shape, dtype);
  });
}

/** The inferred output shapes, each known and valid. */
function outputShapes(op: Operator, shapes: readonly (Shape | undefined)[], who: string): Shape[] {
  return shapes.map((shape, i) => {
    if (shape === undefined) throw new GluonError(`${who}: could not infer the shape of output ${i} of ${op.name}`);
    checkShape(shape, who);
    return shape;
  });
}

/** What the cached graph folded into an operator node (symbol/fusion.ts). */
export interface Fused {
  /** An activation after it, for an operator with `fusesActivation`. */
  readonly activation?: FusedActivation;
  /** A `Pad` before its input 0, for an operator with `fusesInputPad`. */
  readonly inputPad?: InputPad;
}

/**
 * The forward of `op` into preallocated `outputs`, recorded on the tape when autograd needs it;
 * `fused` is what the cached graph asks the operator to do besides (never while recording).
 */
export function runOperator(
  F: Nd, op: Operator, attrs: Attrs, inputs: readonly (NDArray | undefined)[], outputs: readonly NDArray[], plan: unknown, who: string,
  fused: Fused = {}, dtype: DType = 'float32',
): NDArray[] {
  const recording = op.backward !== 'constant' && shouldRecord(inputs);
  if (recording && op.backward === undefined) {
    throw new GluonError(`${who}: ${op.name} has no gradient: it cannot be differentiated (called inside autograd.record on an input that needs a gradient)`);
  }
  const ctx: ForwardContext<Attrs, unknown> = {
    attrs, plan, inputs: presentInputs(op, attrs, inputs, who, recording), outputs, training: isTraining(), recording, who, dtype, ...fused,
  };
  if (producesNothing(op, outputs)) {
    if (recording) recordNode(op.name, ctx.inputs, outputs, () => ctx.inputs.map(zeroGradient));
    return outputs as NDArray[];
  }
  const saved = op.forward(ctx);
  if (recording) record(F, op, ctx, saved);
  return outputs as NDArray[];
}

/**
 * Every output is empty and no input is updated in place: there is nothing to compute, so the
 * kernel is not run. An empty array may still have huge dimensions (`(2**40, 0)`), and a kernel
 * looping over them or sizing scratch by one of them would hang or exhaust memory for nothing.
 */
function producesNothing(op: Operator, outputs: readonly NDArray[]): boolean {
  return outputs.length > 0 && op.mutates.length === 0 && outputs.every((y) => y.size === 0);
}

/** The exact gradient through an empty result: zeros for every input that needs one. */
function zeroGradient(x: NDArray): NDArray | undefined {
  return requiresGrad(x) ? new NDArray(new Float32Array(x.size), x.shape) : undefined;
}

/** The inputs, which must all be present but for label inputs while nothing is recorded. */
function presentInputs(op: Operator, attrs: Attrs, inputs: readonly (NDArray | undefined)[], who: string, recording: boolean): NDArray[] {
  inputs.forEach((x, i) => {
    if (x === undefined && (recording || !op.labelInputs.includes(i))) {
      throw new GluonError(`${who}: expected ${op.inputNames(attrs)[i] ?? `input ${i}`} to be an NDArray, but got none`);
    }
  });
  // A missing label is only ever passed on to a forward that does not read it.
  return inputs as NDArray[];
}

function record(F: Nd, op: Operator, ctx: ForwardContext<Attrs, unknown>, saved: unknown): void {
  const rule = op.backward;
  if (typeof rule !== 'function') return;
  const { inputs, outputs } = ctx;
  const outputShapes: Shape[] = outputs.map((y) => y.shape);
  recordNode(op.name, inputs, outputs, (grads, into) => {
    const outputGrads = grads.map((g, i) => g ?? new NDArray(new Float32Array(shapeSize(outputShapes[i])), outputShapes[i]));
    const needsGrad = inputs.map((x) => requiresGrad(x));
    const inputGrads = rule({ ...ctx, saved, outputGrads, needsGrad, into }, F);
    inputGrads.forEach((g, i) => {
      if (g !== undefined && g.size !== shapeSize(inputs[i].shape)) {
        throw new GluonError(`backward of ${op.name}: gradient ${i} has shape ${showShape(g.shape)}, its input ${showShape(inputs[i].shape)}`);
      }
    });
    return inputGrads;
  });
}
