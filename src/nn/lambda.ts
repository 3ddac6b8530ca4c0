/**
 * `nn.Lambda` and `nn.HybridLambda` (Gluon's): a function as a Block, to put a computation
 * without parameters into a Sequential.
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { nd } from '../ops/nd';
import { Block, BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';

/** `F[name]` when it is an operator function of F; otherwise a GluonError naming `who`. */
function operatorOf(who: string, F: object, name: string, where: string): (...inputs: Tensor[]) => Tensor | Tensor[] {
  const op: unknown = Reflect.get(F, name);
  if (typeof op !== 'function') throw new GluonError(`${who}: expected the name of a function of ${where}, but '${name}' is not one`);
  return (...inputs) => Reflect.apply(op, F, inputs);
}

/**
 * A Block that calls `fn(...inputs)` — a function of NDArrays, or the name of one of `nd`'s
 * (`'tanh'`). Not hybridizable: see HybridLambda.
 *
 * @example
 * const net = new nn.Sequential();
 * net.add(new nn.Dense(4), new nn.Lambda((x) => x.mul(2)), new nn.Lambda('tanh'));
 */
export class Lambda extends Block {
  private readonly fn: (...inputs: Tensor[]) => Tensor | Tensor[];
  /** The function's name, for printing (Gluon's `Lambda(<name>)`). */
  readonly functionName: string;

  constructor(fn: string | ((...inputs: Tensor[]) => Tensor | Tensor[]), options: BlockOptions = {}) {
    super(options);
    if (typeof fn === 'string') {
      this.fn = operatorOf('Lambda', nd, fn, 'nd');
      this.functionName = fn;
    } else if (typeof fn === 'function') {
      this.fn = fn;
      this.functionName = fn.name || '<lambda>';
    } else {
      throw new GluonError(`Lambda: expected a function or the name of one of nd's, but got ${describeValue(fn)}`);
    }
  }

  override forward(...inputs: Tensor[]): Tensor | Tensor[] {
    return this.fn(...inputs);
  }

  override toString(): string {
    return `Lambda(${this.functionName})`;
  }
}

/**
 * A HybridBlock that calls `fn(F, ...inputs)` — written against `F` (`nd` or `sym`), so it
 * hybridizes and exports — or the operator of F with that name (`'tanh'`).
 *
 * @example
 * net.add(new nn.HybridLambda((F, x) => F.LeakyReLU(x, { slope: 0.1 })), new nn.HybridLambda('tanh'));
 */
export class HybridLambda extends HybridBlock {
  private readonly fn: (F: HybridF, ...inputs: Tensor[]) => Tensor | Tensor[];
  readonly functionName: string;

  constructor(fn: string | ((F: HybridF, ...inputs: Tensor[]) => Tensor | Tensor[]), options: BlockOptions = {}) {
    super(options);
    if (typeof fn === 'string') {
      // Checked against nd now, so a bad name fails at construction rather than at the first call.
      operatorOf('HybridLambda', nd, fn, 'F (nd and sym)');
      this.fn = (F, ...inputs) => operatorOf('HybridLambda', F, fn, 'F (nd and sym)')(...inputs);
      this.functionName = fn;
    } else if (typeof fn === 'function') {
      this.fn = fn;
      this.functionName = fn.name || '<lambda>';
    } else {
      throw new GluonError(`HybridLambda: expected a function of (F, ...inputs) or the name of an operator, but got ${describeValue(fn)}`);
    }
  }

  override hybridForward(F: HybridF, ...inputsThenParams: (Tensor | TensorRecord)[]): Tensor | Tensor[] {
    // The last argument is the (empty) parameter record.
    return this.fn(F, ...(inputsThenParams.slice(0, -1) as Tensor[]));
  }

  override toString(): string {
    return `HybridLambda(${this.functionName})`;
  }
}
