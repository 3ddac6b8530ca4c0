import { GluonError } from '../core/errors';
import { withCaller } from '../ops/invoke';
import { nd } from '../ops/nd';
import { NDArray } from '../ndarray/ndarray';
import { Block } from './block';

/** The `F` a HybridBlock's `hybridForward` receives: the `nd` namespace. */
export type NDNamespace = typeof nd;

/** A HybridBlock's parameter values by attribute name, as Gluon's `**kwargs`. */
export type ParamArrays = Record<string, NDArray>;

/**
 * A Block written against `F`, as Gluon's `HybridBlock`: subclasses implement
 * `hybridForward(F, x, params)`, where `F` is the `nd` namespace and `params` holds the data of
 * every attribute-registered parameter by attribute name, so Gluon code ports line by line.
 * tsgluon runs imperatively, so `hybridize()` (inherited from Block) changes nothing. Children
 * of a HybridBlock must be HybridBlocks, as in Gluon.
 *
 * @example
 * class Scale extends nn.HybridBlock {
 *   readonly alpha: nn.Parameter;
 *   constructor() {
 *     super();
 *     this.alpha = this.params.get('alpha', { shape: [1], init: 'ones' });
 *   }
 *   override hybridForward(F: nn.NDNamespace, x: NDArray, { alpha }: nn.ParamArrays): NDArray {
 *     return F.multiply(x, alpha);
 *   }
 * }
 */
export class HybridBlock extends Block {
  override registerChild(block: Block, name: string = String(this.childEntries().size)): void {
    if (!(block instanceof HybridBlock)) {
      throw new GluonError(
        `${this.name}: children of a HybridBlock must also be HybridBlocks, but got ${String(block?.constructor?.name)} as child '${name}'. If you are using Sequential, please try HybridSequential instead.`,
      );
    }
    super.registerChild(block, name);
  }

  /** Calls `hybridForward(nd, ...inputs, params)`. */
  override forward(...inputs: NDArray[]): NDArray {
    const params: ParamArrays = {};
    for (const [name, param] of this.parameterEntries()) params[name] = param.data();
    // Operators report bad input against this layer: `conv0: expected data of rank 4, …`.
    return withCaller(this.name, () => this.hybridForward(nd, ...inputs, params));
  }

  /** The computation, written against `F` (the `nd` namespace). Subclasses override it. */
  hybridForward(F: NDNamespace, ...inputsThenParams: [...NDArray[], ParamArrays]): NDArray {
    void F;
    throw new GluonError(
      `${this.constructor.name} '${this.name}' has no hybridForward: a HybridBlock subclass must override it, got ${inputsThenParams.length - 1} inputs`,
    );
  }
}
