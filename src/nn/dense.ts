import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { checkChoice, checkFlag, checkIntAtLeast } from '../core/checks';
import type { ActType } from '../ops/activation';
import { ACT_TYPES, Activation } from './activations';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { layerOptionKeys } from './block_checks';
import { checkInitializerOption } from './layer_checks';

/** Options of `nn.Dense`; every default is Gluon 1.9's. */
export interface DenseOptions extends BlockOptions {
  /** Applied to the output through an `nn.Activation` child (e.g. `dense0_relu_`). Default none (linear). */
  activation?: ActType;
  /** Whether to add a learned bias. Default true. */
  useBias?: boolean;
  /** true: (N, d1, …) is read as (N, d1·…). false: only the last axis is the input units. Default true. */
  flatten?: boolean;
  /** Default none: the initializer passed to `initialize()` (Gluon's default `'uniform'`). */
  weightInitializer?: InitializerSpec;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerSpec;
  /** The number of input units; 0 infers it from the first input. Default 0. */
  inUnits?: number;
}

/**
 * A fully connected layer, as Gluon's `nn.Dense`, through `nd.FullyConnected`:
 *
 *     out = activation(x · Wᵀ + b)
 *
 * Shapes: with `flatten` (the default) x is (N, d1, …), read as (N, inUnits) with inUnits =
 * d1·…, and the output is (N, units); without, x is (…, inUnits) and the output (…, units).
 * weight is (units, inUnits) and bias (units,). With inUnits = 0 both are created deferred and
 * the first input decides inUnits. The activation is a child block named after the layer
 * (`dense0_relu_`), as in Gluon.
 *
 * Defaults: activation none, useBias true, flatten true, weightInitializer none (the one given
 * to `initialize()`), biasInitializer 'zeros', inUnits 0. Text: `Dense(None -> 10, Activation(relu))`
 * before the first input, `Dense(784 -> 10, linear)` after, as Gluon prints.
 *
 * @example
 * const dense = new nn.Dense(10, { activation: 'relu' });
 * dense.initialize();
 * dense(nd.ones([2, 1, 28, 28])).shape; // [2, 10]
 * dense.weight.shape;                   // [10, 784]
 */
export class Dense extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<DenseOptions>({
    activation: true, useBias: true, flatten: true, weightInitializer: true, biasInitializer: true, inUnits: true,
  });
  static override readonly inputCount = 1;
  readonly units: number;
  readonly flatten: boolean;
  readonly weight: Parameter;
  /** null when `useBias` is false. */
  readonly bias: Parameter | null;
  /** null without an activation. */
  readonly act: Activation | null;

  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    const layer = this.errorName;
    const { activation, useBias = true, flatten = true, weightInitializer, biasInitializer = 'zeros', inUnits = 0 } = options;
    this.units = checkIntAtLeast(layer, 'units', units, 1);
    this.flatten = checkFlag(layer, 'flatten', flatten);
    checkFlag(layer, 'useBias', useBias);
    checkIntAtLeast(layer, 'inUnits (0 = infer)', inUnits, 0);
    const weightInit = checkInitializerOption(layer, 'weightInitializer', weightInitializer);
    const biasInit = checkInitializerOption(layer, 'biasInitializer', biasInitializer);
    this.weight = this.params.get('weight', { shape: [units, inUnits], init: weightInit, allowDeferredInit: true });
    this.bias = useBias ? this.params.get('bias', { shape: [units], init: biasInit, allowDeferredInit: true }) : null;
    this.act = activationChild(this, activation);
  }

  /** `activation(FullyConnected(x, weight, bias))`; see the class comment. */
  override hybridForward(F: HybridF, x: Tensor, { weight, bias }: TensorRecord): Tensor {
    // The input units must be those the weight was made for; the operator checks everything else
    // (a 0-d input, or a symbol, whose shape only graph inference knows).
    const units = weight instanceof NDArray ? weight.shape[1] : undefined;
    if (x instanceof NDArray && x.ndim > 0 && this.inputUnits(x) !== units) {
      throw new GluonError(
        `${this.errorName}: expected ${units} input units (as at initialization), but got ${this.inputUnits(x)} from an input of shape ` +
          `${formatShape(x.shape)} (flatten = ${this.flatten})`,
      );
    }
    const y = F.FullyConnected(x, weight, bias, { numHidden: this.units, flatten: this.flatten, noBias: bias === undefined, name: 'fwd' });
    return this.act === null ? y : this.act(y);
  }

  /** The input units of x: every axis but the batch axis with `flatten`, else the last axis. */
  private inputUnits(x: NDArray): number {
    return this.flatten ? x.shape.slice(1).reduce((a, b) => a * b, 1) : x.shape[x.ndim - 1];
  }

  /** Gluon's text: `Dense(None -> 10, Activation(relu))`, `Dense(784 -> 10, linear)`. */
  override toString(): string {
    const inUnits = this.weight.shape?.[1] || 'None';
    return `Dense(${inUnits} -> ${this.units}, ${this.act === null ? 'linear' : this.act.toString()})`;
  }
}

/**
 * The activation child of a Dense or convolution layer: `new nn.Activation(activation)` with the
 * prefix `<activation>_` inside the layer's name scope, so it is named `dense0_relu_` as in
 * Gluon; null without an activation. The name is checked against the layer first.
 */
export function activationChild(layer: HybridBlock, activation: ActType | undefined): Activation | null {
  if (activation === undefined) return null;
  const actType = checkChoice(layer.errorName, 'activation', activation, ACT_TYPES);
  return layer.nameScope(() => new Activation(actType, { prefix: `${actType}_` }));
}
