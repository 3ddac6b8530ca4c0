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
export function invoke(F: Nd, op: Operator, inputs: readonly (NDArray | undefined)[], attrs: Attrs, storage: readonly (Float32Array | undefined)[] = []): NDArray[] {
  const who = currentCaller(op);
  // A missing input is named before shape inference could report it as a shape it cannot infer.
  presentInputs(op, attrs, inputs, who, false);
  const inference = op.inferShape(attrs, inputs.map((x) => x?.shape), who);
  const outputs = inference.outputs.map((shape, i) => {
    if (shape === undefined) throw new GluonError(`${who}: could not infer the shape of output ${i} of ${op.name}`);
    checkShape(shape, who);
    return new NDArray(storage[i] ?? new Float32Array(shapeSize(shape)), shape);
  });
  return runOperator(F, op, attrs, inputs, outputs, inference.plan, who);
}

/** What the cached graph folded into an operator node (symbol/fusion.ts). */
export interface Fused {
  /** A ReLU after it, for an operator with `fusesActivation`. */
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
  fused: Fused = {},
): NDArray[] {
  const recording = op.backward !== 'constant' && shouldRecord(inputs);
  if (recording && op.backward === undefined) {
    throw new GluonError(`${who}: ${op.name} has no gradient: it cannot be differentiated (called inside autograd.record on an input that needs a gradient)`);
  }
  const ctx: ForwardContext<Attrs, unknown> = {
    attrs, plan, inputs: presentInputs(op, attrs, inputs, who, recording), outputs, training: isTraining(), recording, who, ...fused,
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
