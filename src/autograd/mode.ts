/**
 * The process-wide autograd switches, as MXNet's: whether operations are being recorded for
 * backward, and whether layers run in training mode (Dropout active, BatchNorm on batch
 * statistics) or in prediction mode (the default).
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';

let training = false;

/** @internal The function a scope runs (`record(fn)`, `trainMode(fn)`). */
export function checkBody(who: string, body: unknown): void {
  if (typeof body !== 'function') throw new GluonError(`${who}: expected a function to run, but got ${describeValue(body)}`);
}

/** True inside `trainMode(...)` (and, later, `record(...)` with trainMode), else false. */
export function isTraining(): boolean {
  return training;
}

/** Runs `body` with the training flag set to `value`, restoring the previous value after. */
export function withTraining<T>(value: boolean, body: () => T): T {
  const previous = training;
  training = value;
  try {
    return body();
  } finally {
    training = previous;
  }
}

/**
 * Runs `body` in training mode: Dropout drops, BatchNorm uses batch statistics and updates its
 * running statistics. Returns what `body` returns.
 *
 * @example
 * const y = autograd.trainMode(() => net(x));
 */
export function trainMode<T>(body: () => T): T {
  checkBody('autograd.trainMode', body);
  return withTraining(true, body);
}

/** Runs `body` in prediction mode (the default outside `trainMode`/`record`). */
export function predictMode<T>(body: () => T): T {
  checkBody('autograd.predictMode', body);
  return withTraining(false, body);
}
