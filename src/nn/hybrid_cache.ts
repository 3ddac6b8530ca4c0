/**
 * A hybridized block's cached graph (Gluon's `_cached_graph` + CachedOp): traced on the first
 * call, its deferred parameters initialized from the graph's shapes, then run by CachedGraph.
 */
import { GluonError } from '../core/errors';
import type { NDArray } from '../ndarray/ndarray';
import { nd } from '../ops/nd';
import { CachedGraph } from '../symbol/cached_graph';
import type { Symbol } from '../symbol/symbol';
import type { Block } from './block';
import { assignShapes, inputNames, traceBlock } from './deferred_shapes';
import type { Parameter } from './parameter';

export class HybridCache {
  private traced: { readonly count: number; readonly graph: Symbol; readonly cached: CachedGraph; readonly params: Map<string, Parameter> } | undefined;

  constructor(private readonly block: Block<unknown>, private readonly options: { staticShape: boolean }) {}

  /** Drops the graph (a child was added): the next call traces again. */
  clear(): void {
    this.traced = undefined;
  }

  /** The graph for `count` inputs, traced now if needed. */
  graph(count: number): Symbol {
    return this.build(count).graph;
  }

  /** Runs the cached graph: one array, or several for a block of several outputs. */
  call(inputs: readonly NDArray[]): NDArray | NDArray[] {
    // The graph's nodes are planned for float32 arrays.
    const other = inputs.findIndex((x) => x.dtype !== 'float32');
    if (other >= 0) {
      throw new GluonError(`${this.block.errorName}: expected input ${other} to be float32 (a hybridized graph computes in float32; convert with x.astype('float32')), but got ${inputs[other].dtype}`);
    }
    const traced = this.build(inputs.length);
    const deferred = [...traced.params.values()].filter((param) => param.isDeferred);
    if (deferred.length > 0) {
      assignShapes(traced.graph, inputs, deferred);
      for (const param of deferred) param.finishDeferredInit();
    }
    const outputs = traced.cached.run(inputs);
    return traced.graph.length === 1 ? outputs[0] : outputs;
  }

  private build(count: number) {
    if (this.traced !== undefined && this.traced.count === count) return this.traced;
    const graph = traceBlock(this.block, count);
    const params = new Map<string, Parameter>();
    const used = new Set(graph.listInputs());
    for (const [name, param] of this.block.collectParams()) if (used.has(name)) params.set(name, param);
    const parameter = (name: string): NDArray | undefined => params.get(name)?.data();
    const cached = new CachedGraph(graph.entries, inputNames(count), parameter, nd, this.options);
    this.traced = { count, graph, cached, params };
    return this.traced;
  }
}
