/**
 * Gradients by differentiating a composite: an operator whose kernel is fused (a normalization's
 * backward, say) states the same maths once more with registered operators, and its own backward
 * is the vector-Jacobian product of that composite. So a second derivative through a fused kernel
 * is exact without a hand-derived third formula, and the fast kernel stays the first-order path.
 */
import { vectorJacobian } from '../autograd/backward';
import { isRecording, withRecording } from '../autograd/tape';
import type { NDArray } from '../ndarray/ndarray';
import type { Nd } from './nd';

/** The same maths as an operator, written with registered (differentiable) operators of `F`. */
export type Composite = (F: Nd, inputs: readonly NDArray[]) => readonly NDArray[];

/**
 * The gradient of Σ_k ⟨outputGrads[k], f(inputs)[k]⟩ with respect to each input: `f` is run
 * recorded (whatever the caller's state), then differentiated back to `inputs` only. The
 * differentiation itself is recorded when the caller records (a further derivative).
 *
 * @example
 * // d/dx of Σ g·tanh(x), as a rule would compute it:
 * compositeGradients(nd, (F, [x]) => [F.tanh(x)], [x], [g]); // [g·(1 − tanh²x)]
 */
export function compositeGradients(F: Nd, f: Composite, inputs: readonly NDArray[], outputGrads: readonly NDArray[]): NDArray[] {
  const outer = isRecording();
  // Recorded only from inputs that need a gradient: detached copies would cut the graph.
  const outputs = withRecording(true, () => f(F, inputs));
  return withRecording(outer, () => vectorJacobian(outputs, outputGrads, inputs));
}
