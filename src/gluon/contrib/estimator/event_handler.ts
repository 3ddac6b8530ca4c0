/**
 * The events an Estimator raises during `fit` and `evaluate` (MXNet 1.9's
 * `gluon.contrib.estimator.event_handler`), and how handlers are listed and ordered.
 *
 * A handler is any object with one or more of the event methods — MXNet's mixin classes
 * (TrainBegin, EpochEnd, …) become optional methods here. `batchEnd` and `epochEnd` return true
 * to stop training; a method may be asynchronous (its promise is awaited). Handlers run in
 * ascending `priority` (default 0): gradient update −2000, metrics and validation −1000, logging
 * last (Infinity).
 */
import { describeValue } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import type { NDArray } from '../../../ndarray/ndarray';
import type { Estimator } from './estimator';

/** A batch as the data loader yields it: `[data, label]` (more entries are passed through). */
export type Batch = readonly [NDArray, NDArray, ...unknown[]];

/** What `batchEnd` receives: the batch, and per device (here one) the labels, predictions and losses. */
export interface BatchResult {
  readonly batch: Batch;
  readonly label: readonly NDArray[];
  readonly pred: readonly NDArray[];
  readonly loss: readonly NDArray[];
}

/** A result that stops training when true; a promise of one is awaited. */
export type StopSignal = boolean | void | Promise<boolean | void>;
type Done = void | Promise<void>;

/** An event handler: some or all of these methods; see the module comment. */
export interface EventHandler {
  /** Ascending order among handlers. Default 0. */
  readonly priority?: number;
  trainBegin?(estimator: Estimator): Done;
  epochBegin?(estimator: Estimator): Done;
  batchBegin?(estimator: Estimator, event: { readonly batch: Batch }): Done;
  batchEnd?(estimator: Estimator, event: BatchResult): StopSignal;
  epochEnd?(estimator: Estimator): StopSignal;
  trainEnd?(estimator: Estimator): Done;
}

const EVENTS = ['trainBegin', 'epochBegin', 'batchBegin', 'batchEnd', 'epochEnd', 'trainEnd'] as const;

/** A handler, a list of them, or none, as a list; anything else is a GluonError naming `who`. */
export function checkEventHandlers(who: string, handlers: EventHandler | readonly EventHandler[] | undefined): EventHandler[] {
  const list = handlers === undefined ? [] : Array.isArray(handlers) ? [...handlers] : [handlers];
  list.forEach((handler, i) => {
    const isHandler = typeof handler === 'object' && handler !== null &&
      EVENTS.some((event) => typeof (handler as Record<string, unknown>)[event] === 'function');
    if (!isHandler) {
      throw new GluonError(`${who}: expected event handlers (objects with trainBegin, epochBegin, batchBegin, batchEnd, epochEnd or trainEnd methods), but got ${describeValue(handler)} at position ${i}`);
    }
  });
  return list;
}

/** The handlers sorted by priority (stable: equal priorities keep their order). */
export function byPriority(handlers: readonly EventHandler[]): EventHandler[] {
  return handlers.map((handler, i) => ({ handler, i }))
    .sort((a, b) => (a.handler.priority ?? 0) - (b.handler.priority ?? 0) || a.i - b.i)
    .map(({ handler }) => handler);
}

/**
 * Calls `call` on each handler in turn, awaiting each (an asynchronous handler finishes before
 * the next starts, as MXNet's run one after another), and tells whether any asked to stop.
 */
export async function runHandlers(handlers: readonly EventHandler[], call: (handler: EventHandler) => StopSignal | undefined): Promise<boolean> {
  let stop = false;
  for (const handler of handlers) stop = (await call(handler)) === true || stop;
  return stop;
}
