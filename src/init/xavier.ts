import { GluonError } from '../core/errors';
import { shapeSize } from '../core/shape';
import { fillNormal, fillUniform } from '../random';
import { checkChoice, checkNumberIn, checkOptionsObject, optionKeys } from '../core/checks';
import { Initializer } from './initializer';

/** Which fan Xavier divides by: the average of fan-in and fan-out, fan-in, or fan-out. */
export type FactorType = 'avg' | 'in' | 'out';
/** Xavier's distribution: U(−s, s) or N(0, s²). */
export type XavierRandomType = 'uniform' | 'gaussian';

export const FACTOR_TYPES: readonly FactorType[] = ['avg', 'in', 'out'];
export const XAVIER_RANDOM_TYPES: readonly XavierRandomType[] = ['uniform', 'gaussian'];

/** Options of `init.Xavier` (Gluon's `rnd_type`, `factor_type`, `magnitude`). */
export interface XavierOptions {
  /** `'uniform'` (default) draws U(−s, s); `'gaussian'` draws N(0, s²). */
  rndType?: XavierRandomType;
  /** `'avg'` (default), `'in'` or `'out'`: the fan s is computed from. */
  factorType?: FactorType;
  /** Default 3; must be ≥ 0. */
  magnitude?: number;
}

const XAVIER_OPTIONS = optionKeys<XavierOptions>({ rndType: true, factorType: true, magnitude: true });

/**
 * Xavier/Glorot initialization (Gluon's `Xavier`, registered as `'xavier'`). For a weight of
 * shape (out, in, *k) with hw = prod(k): fanIn = in·hw, fanOut = out·hw, factor = (fanIn + fanOut)/2,
 * fanIn or fanOut for `'avg'`/`'in'`/`'out'`, and s = sqrt(magnitude / factor). Needs ≥ 2 dims.
 *
 * @example
 * new init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2 }).initialize('dense0_weight', [64, 32]);
 */
export class Xavier extends Initializer {
  readonly rndType: XavierRandomType;
  readonly factorType: FactorType;
  readonly magnitude: number;

  constructor(options: XavierOptions = {}) {
    const who = 'init.Xavier';
    const { rndType = 'uniform', factorType = 'avg', magnitude = 3 } = checkOptionsObject(who, options, XAVIER_OPTIONS);
    const checkedRndType = checkChoice(who, 'rndType', rndType, XAVIER_RANDOM_TYPES);
    const checkedFactorType = checkChoice(who, 'factorType', factorType, FACTOR_TYPES);
    const checkedMagnitude = checkNumberIn(who, 'magnitude', magnitude, { min: 0 });
    super('xavier', { rnd_type: checkedRndType, factor_type: checkedFactorType, magnitude: checkedMagnitude });
    this.rndType = checkedRndType;
    this.factorType = checkedFactorType;
    this.magnitude = checkedMagnitude;
  }

  protected override fill(paramName: string, shape: readonly number[], out: Float32Array): void {
    const bound = xavierScale(paramName, shape, this.factorType, this.magnitude);
    if (this.rndType === 'uniform') fillUniform(out, -bound, bound);
    else fillNormal(out, 0, bound);
  }
}

/** Options of `init.MSRAPrelu` (Gluon's `factor_type`, `slope`). */
export interface MSRAPreluOptions {
  /** `'avg'` (default), `'in'` or `'out'`, as in Xavier. */
  factorType?: FactorType;
  /** The PReLU slope the weights are meant for, default 0.25. */
  slope?: number;
}

const MSRA_PRELU_OPTIONS = optionKeys<MSRAPreluOptions>({ factorType: true, slope: true });

/**
 * He/MSRA initialization for PReLU networks (Gluon's `MSRAPrelu`, registered as `'msraprelu'`):
 * Xavier with `'gaussian'` draws and magnitude = 2 / (1 + slope²), i.e. N(0, s²) with
 * s = sqrt(2 / ((1 + slope²) · factor)).
 *
 * @example
 * new init.MSRAPrelu({ factorType: 'in', slope: 0 }).initialize('conv0_weight', [16, 3, 3, 3]);
 */
export class MSRAPrelu extends Initializer {
  readonly factorType: FactorType;
  readonly slope: number;
  /** 2 / (1 + slope²), the Xavier magnitude this amounts to. */
  readonly magnitude: number;

  constructor(options: MSRAPreluOptions = {}) {
    const who = 'init.MSRAPrelu';
    const { factorType = 'avg', slope = 0.25 } = checkOptionsObject(who, options, MSRA_PRELU_OPTIONS);
    const checkedFactorType = checkChoice(who, 'factorType', factorType, FACTOR_TYPES);
    const checkedSlope = checkNumberIn(who, 'slope', slope);
    super('msraprelu', { factor_type: checkedFactorType, slope: checkedSlope });
    this.factorType = checkedFactorType;
    this.slope = checkedSlope;
    this.magnitude = 2 / (1 + checkedSlope * checkedSlope);
  }

  protected override fill(paramName: string, shape: readonly number[], out: Float32Array): void {
    fillNormal(out, 0, xavierScale(paramName, shape, this.factorType, this.magnitude));
  }
}

/**
 * Xavier's s = sqrt(magnitude / factor) for the parameter `paramName` of `shape`, throwing
 * MXNet's error for a parameter with fewer than 2 dims.
 */
function xavierScale(paramName: string, shape: readonly number[], factorType: FactorType, magnitude: number): number {
  if (shape.length < 2) {
    throw new GluonError(`Xavier initializer cannot be applied to vector ${paramName}. It requires at least 2D.`);
  }
  const hw = shapeSize(shape.slice(2));
  const fanIn = shape[1] * hw;
  const fanOut = shape[0] * hw;
  const factor = factorType === 'avg' ? (fanIn + fanOut) / 2 : factorType === 'in' ? fanIn : fanOut;
  return Math.sqrt(magnitude / factor);
}
