import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { checkShape, shapeSize } from '../core/shape';
import { pythonJson } from './python_json';
import type { JsonValue } from './python_json';

/** An initializer's constructor arguments under Gluon's snake_case names, in Gluon's order. */
export type InitializerKwargs = { readonly [key: string]: JsonValue };

/**
 * The base of every initializer (Gluon's `mx.init.Initializer`): `initialize(name, shape)` makes
 * a new float32 array of `shape` filled by the subclass's `fill`.
 *
 * As in Gluon, the chosen initializer applies to every parameter whatever its name ends with:
 * `Normal` on `dense0_bias` gives random values (the suffix rules of MXNet's Module API don't run).
 *
 * To write your own, extend it, pass the registered name and the constructor arguments to
 * `super`, implement `fill`, and make it reachable by name with `init.register`.
 *
 * @example
 * class Fives extends init.Initializer {
 *   constructor() { super('fives'); }
 *   protected override fill(_name: string, _shape: readonly number[], out: Float32Array): void { out.fill(5); }
 * }
 * new Fives().initialize('w', [2, 2]).toArray(); // [[5, 5], [5, 5]]
 */
export abstract class Initializer {
  /** The registered name `dumps()` writes, Gluon's class name lower-cased (e.g. `'normal'`). */
  readonly kind: string;
  private readonly kwargs: InitializerKwargs;

  /**
   * @param kind the registered name (lower-case).
   * @param kwargs the constructor arguments as Gluon names them, for `dumps()` and `toString()`.
   */
  protected constructor(kind: string, kwargs: InitializerKwargs = {}) {
    this.kind = kind;
    this.kwargs = Object.freeze({ ...kwargs });
  }

  /**
   * A new array of `shape` holding this initializer's values for the parameter `paramName`
   * (the name appears in errors, e.g. Xavier on a vector).
   *
   * @example
   * new init.Normal(0.01).initialize('dense0_weight', [64, 3]).shape; // [64, 3]
   */
  initialize(paramName: string, shape: readonly number[]): NDArray {
    const what = `init.${this.constructor.name}`;
    if (typeof paramName !== 'string') {
      throw new GluonError(`${what}: expected the parameter name to be a string, but got ${describeValue(paramName)}`);
    }
    checkShape(shape, `${what} (parameter '${paramName}')`);
    const dims = Object.freeze(shape.slice());
    const out = new Float32Array(shapeSize(dims));
    this.fill(paramName, dims, out);
    return new NDArray(out, dims);
  }

  /**
   * Writes the values for the parameter `paramName` of `shape` into `out` (row-major, zeroed,
   * `out.length` = product of `shape`).
   */
  protected abstract fill(paramName: string, shape: readonly number[], out: Float32Array): void;

  /**
   * Gluon's JSON form `[name, kwargs]`, byte for byte as Python's `json.dumps` writes it;
   * `init.create` accepts it back.
   *
   * @example
   * new init.Normal().dumps(); // '["normal", {"sigma": 0.01}]'
   */
  dumps(): string {
    return pythonJson([this.kind, this.kwargs]);
  }

  /**
   * The class and its arguments, e.g. `Normal(sigma=0.01)`.
   */
  toString(): string {
    const args = Object.entries(this.kwargs).map(([key, value]) => `${key}=${pythonJson(value)}`);
    return `${this.constructor.name}(${args.join(', ')})`;
  }
}
