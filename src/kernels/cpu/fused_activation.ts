/**
 * Activations a kernel applies to its own output: the cached graph fuses an `Activation`/`relu`
 * node into the convolution, dense or normalization node before it (symbol/fusion.ts). Results
 * are bit-identical to the separate operator, which reads the same rounded float32 outputs; what
 * the fusion saves is the separate pass over memory, and — where a kernel's output is still in
 * WebAssembly memory before its copy-out — the JavaScript loop, replaced by a SIMD one.
 */
import { RELU } from './unary';

/** The activations a kernel can apply to its output: `max(x, 0)` (NaN stays NaN, −0 becomes +0). */
export type FusedActivation = 'relu';

/**
 * Applies `activation` (if any) in place to `data[offset, offset + length)` on the JavaScript
 * loop of the `relu` operator: what a kernel does when its output is not in module memory.
 *
 * @example activateInPlace('relu', out, 0, out.length);
 */
export function activateInPlace(activation: FusedActivation | undefined, data: Float32Array, offset: number, length: number): void {
  if (activation === undefined || length === 0) return;
  const view = data.subarray(offset, offset + length);
  RELU(view, view);
}
