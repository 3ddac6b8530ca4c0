/**
 * MXNet's `Cast` (alias `cast`): the data converted to `dtype`, as `x.astype(dtype)` (C's casts;
 * an error where C's is undefined, see ndarray/dtype.ts). From float32 to float32 it is a copy
 * that carries the gradient, as MXNet's (whose backward casts the gradient back); between other
 * dtypes it records nothing, since only float32 arrays carry gradients in tsgluon. Inside a
 * hybridized graph, where every value is float32, only `dtype: 'float32'` runs — which is what
 * exported models commonly hold.
 */
import { GluonError } from '../core/errors';
import { DTYPES, DType } from '../ndarray/dtype';
import { choiceAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { defineOperator } from './operator';

export const CAST = defineOperator({
  name: 'Cast',
  aliases: ['cast'],
  attrs: { dtype: choiceAttr(DTYPES) },
  inputs: ['data'],
  castsTo: (a) => a.dtype,
  inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[0]] }),
  // Only float32 → float32 reaches the forward imperatively (ops/invoke.ts converts the rest); a graph runs every node here.
  forward: ({ attrs, who, inputs: [x], outputs: [y] }) => {
    if (attrs.dtype !== 'float32') {
      throw new GluonError(
        `${who}: expected Cast to float32 inside a hybridized graph (tsgluon's graphs compute in float32), but got dtype '${attrs.dtype}'; convert outside the graph with x.astype`,
      );
    }
    y.data.set(x.data);
  },
  backward: ({ outputGrads: [dy] }) => [dy],
});

/** Options of `cast`. */
export interface CastOptions extends NameOption {
  /** The dtype to convert to. Required. */
  dtype: DType;
}

/** The dtype conversion of `nd` and `sym`. */
export interface CastSignatures<T> {
  /**
   * MXNet's `Cast`: `data` as `dtype` (`x.astype(dtype)`); float32 to float32 carries the gradient.
   * @example nd.cast(nd.array([1.7, 2.2, 255]), { dtype: 'uint8' }).toArray(); // [1, 2, 255]
   */
  cast(data: T, options: CastOptions): T;
}

export const CAST_FRONTENDS: FrontendTable<CastSignatures<unknown>> = { cast: standard(CAST) };
