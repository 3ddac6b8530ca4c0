/**
 * Errors thrown by tsgluon. Every misuse of the public API throws a `GluonError` (or a subclass)
 * whose message names the layer or parameter, what was expected and what was given.
 */
export class GluonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Thrown when a Parameter's data is read while its initialization is still deferred: its shape
 * is only known after the first forward pass (Gluon's `DeferredInitializationError`).
 */
export class DeferredInitializationError extends GluonError {}

/** Formats a shape as Python prints a tuple: `(2, 3)`, `(4,)`, `()`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
