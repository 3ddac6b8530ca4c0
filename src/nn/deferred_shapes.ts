/**
 * Deferred initialization of a HybridBlock's parameters from its graph, as Gluon's
 * `_deferred_infer_shape`: the block is traced into a graph, the graph's shapes are inferred
 * from the input shapes (and the parameters' known dims), and each deferred parameter takes its
 * inferred shape (the merging setter checks it against the known dims).
 */
import { GluonError } from '../core/errors';
import type { NDArray } from '../ndarray/ndarray';
import { sym } from '../symbol';
import type { Symbol } from '../symbol/symbol';
import type { Block, Tensor } from './block';
import type { Parameter } from './parameter';

/** The names a traced block's inputs get, as Gluon: `data`, or `data0`, `data1`, … */
export function inputNames(count: number): string[] {
  return count === 1 ? ['data'] : Array.from({ length: count }, (_, i) => `data${i}`);
}

/** Traces `block` on variables named as its inputs; returns the graph's outputs as one Symbol. */
export function traceBlock(block: Block<unknown>, count: number): Symbol {
  const vars = inputNames(count).map((name) => sym.var(name));
  const out: Tensor | Tensor[] = block(...vars);
  const outputs = (Array.isArray(out) ? out : [out]) as Symbol[];
  return outputs.length === 1 ? outputs[0] : sym.Group(outputs);
}

/** Infers the shapes of `block`'s deferred parameters from `inputs` and sets them. */
export function inferParameterShapes(block: Block<unknown>, inputs: readonly NDArray[]): void {
  assignShapes(traceBlock(block, inputs.length), inputs, block.collectParams().values());
}

/**
 * Sets the shape of each parameter of `params` that `graph` uses and that is not yet known,
 * from the graph's shape inference on `inputs`.
 */
export function assignShapes(graph: Symbol, inputs: readonly NDArray[], params: Iterable<Parameter>): void {
  const given: Record<string, readonly number[]> = {};
  inputNames(inputs.length).forEach((name, i) => (given[name] = inputs[i].shape));
  const inferred = graph.inferShapePartial(given);
  const names = [...graph.listArguments(), ...graph.listAuxiliaryStates()];
  const shapes = [...inferred.argShapes, ...inferred.auxShapes];
  const byName = new Map(names.map((name, i) => [name, shapes[i]]));
  for (const param of params) {
    if (!byName.has(param.name) || (param.shape !== undefined && param.shape.every((d) => d > 0))) continue;
    const shape = byName.get(param.name);
    if (shape === undefined) {
      throw new GluonError(
        `Deferred initialization failed because shape cannot be inferred: the shape of Parameter '${param.name}' ` +
          `cannot be decided from inputs of shape ${inputs.map((x) => `(${x.shape.join(', ')})`).join(', ')}`,
      );
    }
    param.shape = shape;
  }
}
