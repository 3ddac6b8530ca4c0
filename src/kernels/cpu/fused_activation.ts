/**
 * Activations a kernel applies to its own output: the cached graph fuses an `Activation` node
 * (or a relu, sigmoid, tanh or softsign one) into the convolution, dense or normalization node
 * before it (symbol/fusion.ts). Results are bit-identical to the separate operator, which runs
 * the same loop (activation_forward.ts) on the same rounded float32 outputs; what the fusion
 * saves is the separate pass over memory and, where a kernel's output is still in the kernel
 * memory before its copy-out, the copies (activation_wasm.ts's activateInArena).
 */
import { ACTIVATION_FORWARD } from './activation_forward';
import type { FusedActivation } from './activation_wasm';

export type { FusedActivation } from './activation_wasm';

/**
 * Applies `activation` (when given) in place to `data[offset, offset + length)` with the loop of its
 * operator: what a kernel does when its output is not in the kernel memory.
 *
 * @example activateInPlace('relu', out, 0, out.length);
 */
export function activateInPlace(activation: FusedActivation | undefined, data: Float32Array, offset: number, length: number): void {
  if (activation === undefined || length === 0) return;
  const view = data.subarray(offset, offset + length);
  ACTIVATION_FORWARD[activation](view, view);
}
