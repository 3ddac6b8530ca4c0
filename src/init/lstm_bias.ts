import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { Initializer } from './initializer';

/**
 * Zeros, with the forget gate's quarter set to `forgetBias` (Gluon's `LSTMBias`, registered as
 * 'lstmbias'): for an LSTM bias of 4·hidden values in MXNet's gate order (input, forget, cell,
 * output), elements [hidden, 2·hidden) get forgetBias — so a new LSTM starts remembering.
 *
 * @example new init.LSTMBias(1).initialize('lstm0_i2h_bias', [8]).toArray(); // [0, 0, 1, 1, 0, 0, 0, 0]
 */
export class LSTMBias extends Initializer {
  constructor(readonly forgetBias = 1) {
    super('lstmbias', { forget_bias: forgetBias });
    if (typeof forgetBias !== 'number' || !Number.isFinite(forgetBias)) throw new GluonError(`init.LSTMBias: expected forgetBias to be a finite number, but got ${describeValue(forgetBias)}`);
  }

  protected override fill(name: string, shape: readonly number[], out: Float32Array): void {
    if (shape.length !== 1 || shape[0] % 4 !== 0) {
      throw new GluonError(`init.LSTMBias: expected a 1-D bias of 4·hidden values (MXNet's four gates) for ${name}, but got shape ${formatShape(shape)}`);
    }
    const hidden = shape[0] / 4;
    out.fill(this.forgetBias, hidden, 2 * hidden);
  }
}
