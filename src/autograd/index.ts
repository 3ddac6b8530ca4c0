/**
 * The `autograd` namespace, as `mxnet.autograd`: record operations, then `y.backward()`.
 *
 * @example
 * const x = nd.array([1, 2, 3]);
 * x.attachGrad();
 * const y = autograd.record(() => x.mul(x).sum());
 * y.backward();
 * x.grad; // [2, 4, 6]
 */
import { checkFlag, checkOptionsObject } from '../core/checks';
import { NDArray } from '../ndarray/ndarray';
import { BackwardOptions, backward } from './backward';
import { checkBody, withTraining } from './mode';
import { withRecording } from './tape';

declare module '../ndarray/ndarray' {
  interface NDArray {
    /**
     * Computes the gradient of this array (recorded inside `autograd.record`) with respect to every
     * array with an attached gradient it depends on. `headGrad` defaults to ones, as MXNet; a
     * number n means n everywhere.
     */
    backward(headGrad?: NDArray | number, options?: BackwardOptions): void;
  }
}
// Installed here: the ndarray layer sits below autograd and cannot import it.
NDArray.prototype.backward = function (this: NDArray, headGrad?: NDArray | number, options?: BackwardOptions): void {
  backward(this, headGrad, options);
};

export { isTraining, trainMode, predictMode } from './mode';
export { isRecording } from './tape';
export { Function } from './function';
export { backward, grad } from './backward';
export type { BackwardOptions, GradOptions } from './backward';

/** Options of `autograd.record`. */
export interface RecordOptions {
  /** Run layers in training mode (Dropout active, BatchNorm on batch statistics). Default true. */
  trainMode?: boolean;
}

/**
 * Runs `body` recording every differentiable op on arrays that need gradients, and returns what
 * `body` returns; call `.backward()` on the result afterwards. Like MXNet's `with autograd.record():`.
 */
export function record<T>(body: () => T, options: RecordOptions = {}): T {
  const trainMode = scopeOptions('autograd.record', body, options, true);
  return withTraining(trainMode, () => withRecording(true, body));
}

/**
 * Runs `body` without recording (and in prediction mode unless `trainMode`), inside a `record`:
 * like MXNet's `with autograd.pause():`.
 */
export function pause<T>(body: () => T, options: RecordOptions = {}): T {
  const trainMode = scopeOptions('autograd.pause', body, options, false);
  return withTraining(trainMode, () => withRecording(false, body));
}

/** Checks the body and options of record/pause; returns the training flag. */
function scopeOptions(who: string, body: unknown, options: unknown, trainModeDefault: boolean): boolean {
  checkBody(who, body);
  const { trainMode = trainModeDefault } = checkOptionsObject(who, options, ['trainMode']);
  return checkFlag(who, 'trainMode', trainMode);
}
