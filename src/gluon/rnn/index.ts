/**
 * `gluon.rnn`, as MXNet's: recurrent cells (RNNCell, LSTMCell, GRUCell) with `unroll`, and the
 * multi-layer, bidirectional layers RNN, LSTM and GRU on the fused RNN operator.
 *
 * @example
 * const cell = new gluon.rnn.LSTMCell(16);
 * cell.initialize();
 * const [outputs, [h, c]] = cell.unroll(10, x); // x (N, 10, C) → outputs (N, 10, 16)
 */
export { RecurrentCell } from './recurrent_cell';
export type { UnrollOptions } from './recurrent_cell';
export { RNNCell, LSTMCell, GRUCell } from './rnn_cell';
export type { CellOptions, RNNCellOptions } from './rnn_cell';
export { RNN, LSTM, GRU } from './rnn_layer';
export { SequentialRNNCell, HybridSequentialRNNCell, DropoutCell, ResidualCell, ZoneoutCell, BidirectionalCell } from './wrapper_cells';
export type { ZoneoutOptions } from './wrapper_cells';
export type { RNNLayerOptions, SimpleRNNOptions } from './rnn_layer';
