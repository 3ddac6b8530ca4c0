/** `gluon.contrib.rnn`, as MXNet's: LSTMPCell, VariationalDropoutCell. */
export { LSTMPCell } from './lstmp_cell';
export type { LSTMPCellOptions } from './lstmp_cell';
export { VariationalDropoutCell } from './variational_dropout_cell';
export type { VariationalDropoutOptions } from './variational_dropout_cell';
