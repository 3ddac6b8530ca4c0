/** `gluon.contrib.rnn`, as MXNet's: LSTMPCell. */
export { LSTMPCell } from './lstmp_cell';
export type { LSTMPCellOptions } from './lstmp_cell';
