/**
 * MXNet's fused recurrent operator `RNN` (src/operator/rnn-inl.h): data (T, N, C), the flat
 * parameters, the initial state (L·D, N, H) and, for an LSTM, the initial cell state; outputs
 * the sequence (T, N, D·H) and, with `stateOutputs`, the final states. The kernel is
 * kernels/cpu/rnn.ts; the backward (`_backward_RNN`, back-propagation through time) gives every
 * input's gradient at once and is not differentiable again, as MXNet's.
 */
import { GluonError, formatShape } from '../core/errors';
import { isRecording } from '../autograd/tape';
import { GATE_COUNT, RnnForward, RnnGeometry, rnnForward, rnnParamLayout } from '../kernels/cpu/rnn';
import { rnnBackward } from '../kernels/cpu/rnn_backward';
import { NDArray } from '../ndarray/ndarray';
import { uniform01 } from '../random';
import { AttrValues, boolAttr, choiceAttr, floatAttr, intAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Operator, Shape, defineOperator } from './operator';

const RNN_ATTRS = {
  stateSize: intAttr({ min: 1 }),
  numLayers: intAttr({ min: 1 }),
  bidirectional: boolAttr({ default: false }),
  mode: choiceAttr(['rnn_relu', 'rnn_tanh', 'lstm', 'gru'] as const),
  p: floatAttr({ default: 0 }),
  stateOutputs: boolAttr({ default: false }),
  projectionSize: optionalAttr(intAttr({ min: 1 })),
  lstmStateClipMin: optionalAttr(floatAttr()),
  lstmStateClipMax: optionalAttr(floatAttr()),
  lstmStateClipNan: boolAttr({ default: false }),
  useSequenceLength: boolAttr({ default: false }),
};
type RnnAttrs = AttrValues<typeof RNN_ATTRS>;

/** Options of `RNN` (MXNet's attributes, camelCase). */
export interface RNNOptions extends NameOption {
  /** Hidden units H. Required. */
  stateSize: number;
  /** Stacked layers L. Required. */
  numLayers: number;
  /** Two directions per layer. Default false. */
  bidirectional?: boolean;
  /** 'rnn_relu', 'rnn_tanh', 'lstm' or 'gru'. Required. */
  mode: 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';
  /** Dropout on each layer's output but the last, while training. Default 0. */
  p?: number;
  /** Also output the final states. Default false. */
  stateOutputs?: boolean;
}

/** The kernel's geometry for data (T, N, C), after checking what tsgluon's kernel supports. */
function geometryOf(who: string, a: RnnAttrs, data: Shape): RnnGeometry {
  if (a.projectionSize !== null || a.lstmStateClipMin !== null || a.lstmStateClipMax !== null || a.lstmStateClipNan || a.useSequenceLength) {
    throw new GluonError(`${who}: the RNN options projection_size, lstm_state_clip_* and use_sequence_length are not supported by tsgluon's RNN kernel`);
  }
  if (!(a.p >= 0 && a.p < 1)) throw new GluonError(`${who}: expected p in [0, 1), but got ${a.p}`);
  if (data.length !== 3) throw new GluonError(`${who}: expected data of shape (sequence length, batch, features), but got shape ${formatShape(data)}`);
  const [steps, batch, inputSize] = data;
  return { mode: a.mode, steps, batch, inputSize, hidden: a.stateSize, layers: a.numLayers, directions: a.bidirectional ? 2 : 1 };
}

const inputNames = (a: RnnAttrs) => (a.mode === 'lstm' ? ['data', 'parameters', 'state', 'state_cell'] : ['data', 'parameters', 'state']);
const outputNames = (a: RnnAttrs) => (!a.stateOutputs ? ['output'] : a.mode === 'lstm' ? ['output', 'hy', 'cy'] : ['output', 'hy']);

/** What the backward needs: the geometry, the forward's record, and the inputs. */
interface RnnSaved { geometry: RnnGeometry; forward: RnnForward }

/** MXNet's `RNN` (see RNNSignatures). */
export const RNN: Operator = defineOperator({
  name: 'RNN',
  attrs: RNN_ATTRS,
  inputs: inputNames,
  outputs: outputNames,
  inferShape: (a, shapes, who) => {
    const [data, params, ...states] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: outputNames(a).map(() => undefined) };
    const g = geometryOf(who, a, data);
    const stateShape = [g.layers * g.directions, g.batch, g.hidden];
    const paramShape = [rnnParamLayout(g).size];
    if (params !== undefined && (params.length !== 1 || params[0] !== paramShape[0])) {
      throw new GluonError(`${who}: expected parameters of shape ${formatShape(paramShape)} (${GATE_COUNT[g.mode]} gates, ${g.layers} layer(s), ${g.directions} direction(s)), but got ${formatShape(params)}`);
    }
    states.forEach((s, i) => {
      if (s !== undefined && (s.length !== 3 || s.some((d, j) => d !== stateShape[j]))) {
        throw new GluonError(`${who}: expected ${inputNames(a)[2 + i]} of shape ${formatShape(stateShape)}, but got ${formatShape(s)}`);
      }
    });
    const outputs = [[g.steps, g.batch, g.directions * g.hidden], ...outputNames(a).slice(1).map(() => stateShape)];
    return { inputs: [data, paramShape, ...inputNames(a).slice(2).map(() => stateShape)], outputs, plan: g };
  },
  forward: ({ attrs, plan, inputs, outputs, training, recording }): RnnSaved | undefined => {
    const g = plan as RnnGeometry;
    const [data, params, hx, cx] = inputs;
    const p = training ? attrs.p : 0;
    const mask = (size: number) => (p === 0 ? undefined : Float64Array.from({ length: size }, () => (uniform01() < p ? 0 : 1 / (1 - p))));
    const forward = rnnForward(g, data.data, params.data, hx.data, cx?.data, mask);
    outputs[0].data.set(forward.output);
    if (outputs[1]) outputs[1].data.set(forward.hy);
    if (outputs[2]) outputs[2].data.set(forward.cy);
    return recording ? { geometry: g, forward } : undefined;
  },
  backward: ({ who, saved, inputs, outputGrads, needsGrad }) => {
    if (saved === undefined || !needsGrad.some((x) => x)) return inputs.map(() => undefined);
    if (isRecording()) throw new GluonError(`${who}: the RNN operator's gradient cannot be differentiated again (autograd.grad with createGraph)`);
    const [dy, dhy, dcy] = outputGrads;
    const grads = rnnBackward(saved.geometry, inputs[1].data, saved.forward, dy.data, dhy?.data, dcy?.data);
    const arrays = [grads.data, grads.params, grads.hx, grads.cx].slice(0, inputs.length);
    return arrays.map((values, i) => (needsGrad[i] ? new NDArray(values, inputs[i].shape) : undefined));
  },
});

/** The recurrent operator of `nd` and `sym`. */
export interface RNNSignatures<T> {
  /**
   * MXNet's fused `RNN`: `numLayers` layers (each both directions when `bidirectional`) of
   * `mode` cells over data (T, N, C); `parameters` is every weight then every bias, layer by
   * layer, direction by direction, i2h before h2h (Gluon's layers pack them so); state (L·D, N, H)
   * and, for 'lstm', stateCell. Output (T, N, D·H), then hy and cy with `stateOutputs`.
   *
   * @example nd.RNN(x, params, h0, c0, { stateSize: 8, numLayers: 1, mode: 'lstm' }).shape; // [T, N, 8]
   */
  RNN(data: T, parameters: T, state: T, options: RNNOptions & { stateOutputs?: false }): T;
  RNN(data: T, parameters: T, state: T, stateCell: T, options: RNNOptions & { stateOutputs?: false }): T;
  /** With `stateOutputs: true`: [output, hy] ('lstm': [output, hy, cy]). */
  RNN(data: T, parameters: T, state: T, options: RNNOptions & { stateOutputs: true }): T[];
  RNN(data: T, parameters: T, state: T, stateCell: T, options: RNNOptions & { stateOutputs: true }): T[];
}

export const RNN_FRONTENDS: FrontendTable<RNNSignatures<unknown>> = { RNN: standard(RNN) };
