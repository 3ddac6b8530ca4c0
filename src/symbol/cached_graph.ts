/**
 * The cached graph, Gluon's CachedOp: a Symbol's nodes run in topological order straight through
 * the operator registry (the same `runOperator` as `nd.X`, so results are bitwise identical to
 * the imperative run), with memory planned from the graph (memory_plan.ts). Plans are kept per
 * input shapes; a new shape re-plans.
 *
 * Memory: outside autograd recording, intermediates live in one arena kept across calls, so a
 * steady-state forward allocates only its outputs (and the kernels' own scratch). Where the
 * kernels' memory is shared (SIMD and threads), the arena is a block reserved in it, so
 * convolutions, InstanceNorm, additions and nearest upsampling read and write the
 * intermediates in place, split across threads (kernels/cpu/threads/arena.ts); the
 * block is released when the graph re-plans to a larger arena or is collected. While
 * recording, every value is a fresh array: the tape keeps them for the backward, and a block
 * called twice inside one `record` keeps both calls' values.
 *
 * Fusion: outside recording, an activation is folded into the convolution, dense or
 * normalization node before it (fusion.ts); a recorded run keeps every node, since the backward
 * reads each output.
 */
import { GluonError } from '../core/errors';
import { MAX_ARRAY_SIZE, checkShape, shapeSize, shapesEqual } from '../core/shape';
import { isRecording } from '../autograd/tape';
import { NDArray } from '../ndarray/ndarray';
import { gemmSimd } from '../kernels/cpu/simd/gemm_simd';
import type { KernelMemory } from '../kernels/cpu/threads/arena';
import { runOperator } from '../ops/invoke';
import type { Nd } from '../ops/nd';
import type { Shape } from '../ops/operator';
import { fuseSteps } from './fusion';
import { GraphNode, NodeEntry, topologicalNodes } from './graph';
import { inferGraphShapes } from './infer_shape';
import { StepUse, planMemory } from './memory_plan';
import type { Source, Step } from './steps';

/** One execution plan, for one set of input shapes. */
interface Plan {
  readonly inputShapes: readonly Shape[];
  /** The steps with activations fused, and where each graph output comes from. */
  readonly steps: readonly Step[];
  readonly heads: readonly Source[];
  /** Every node a step of its own, for runs under autograd recording. */
  readonly recorded: { readonly steps: readonly Step[]; readonly heads: readonly Source[] };
  readonly offsets: ReadonlyMap<number, number>;
  readonly arenaSize: number;
  /** Intermediate arrays over the arena, made once per arena. */
  views?: { readonly arena: Float32Array; readonly arrays: Map<number, NDArray> };
}

/** Options of a cached graph (Gluon's `hybridize` flags). */
export interface CachedGraphOptions {
  /** Keep one plan only: a new input shape discards it and the arena (MXNet's static_shape). Default false. */
  staticShape?: boolean;
}

const MAX_PLANS = 16;

/** Releases a collected graph's block in the kernel memory. */
const arenaBlocks = new FinalizationRegistry<{ memory: KernelMemory; start: number }>(({ memory, start }) => memory.release(start));

export class CachedGraph {
  private readonly nodes: GraphNode[];
  private readonly ids = new Map<GraphNode, number>();
  private plans: Plan[] = [];
  private arena: Float32Array = new Float32Array(0);
  /** The arena's block in the kernel memory, when it is one. */
  private block: { memory: KernelMemory; start: number } | undefined;

  /**
   * @param outputs the graph's outputs.
   * @param inputNames the variables the caller passes, in order; every other variable is a parameter.
   * @param parameter the current value of a parameter by name (undefined: absent, allowed for labels).
   */
  constructor(
    private readonly outputs: readonly NodeEntry[],
    private readonly inputNames: readonly string[],
    private readonly parameter: (name: string) => NDArray | undefined,
    private readonly F: Nd,
    private readonly options: CachedGraphOptions = {},
  ) {
    this.nodes = topologicalNodes(outputs);
    let next = 0;
    for (const node of this.nodes) {
      this.ids.set(node, next);
      next += node.op === null ? 1 : node.op.outputNames(node.attrs).length;
    }
  }

  /** Runs the graph on `inputs` (in `inputNames` order); returns its outputs. */
  run(inputs: readonly NDArray[]): NDArray[] {
    if (inputs.length !== this.inputNames.length) {
      throw new GluonError(`cached graph: expected ${this.inputNames.length} inputs (${this.inputNames.join(', ')}), but got ${inputs.length}`);
    }
    const plan = this.planFor(inputs.map((x) => x.shape));
    const recording = isRecording();
    const { steps, heads } = recording ? plan.recorded : plan;
    // Fresh arrays of this call: the outputs, and every value while recording; the rest are arena views.
    const fresh = new Map<number, NDArray>();
    // An arena past a Float32Array's length (many large intermediates) falls back to fresh arrays, as imperative calls make.
    const planned = recording || plan.arenaSize > MAX_ARRAY_SIZE ? undefined : this.arenaViews(plan);
    const read = (source: Source): NDArray | undefined => {
      switch (source.kind) {
        case 'input': return inputs[source.index];
        case 'param': return this.parameter(source.name);
        case 'value': return fresh.get(source.id) ?? planned?.get(source.id);
        default: return undefined;
      }
    };
    for (const step of steps) {
      const outputs = step.outputs.map(({ id, shape }) => {
        const view = planned?.get(id);
        if (view !== undefined) return view;
        const array = new NDArray(new Float32Array(shapeSize(shape)), shape);
        fresh.set(id, array);
        return array;
      });
      const node = step.node;
      runOperator(this.F, node.op as NonNullable<GraphNode['op']>, node.attrs, step.sources.map(read), outputs, step.plan, node.who, { activation: step.activation, inputPad: step.inputPad });
    }
    return heads.map((head) => this.headValue(read(head), head));
  }

  /** A graph output: a fresh array, also when the output is an input or a parameter itself. */
  private headValue(value: NDArray | undefined, head: Source): NDArray {
    if (value === undefined) throw new GluonError('cached graph: an output reads a variable that was not given');
    return head.kind === 'value' ? value : new NDArray(value.data.slice(), value.shape);
  }

  private planFor(shapes: readonly Shape[]): Plan {
    const found = this.plans.find((p) => p.inputShapes.every((s, i) => shapesEqual(s, shapes[i])));
    if (found !== undefined) return found;
    const plan = this.buildPlan(shapes);
    this.plans = this.options.staticShape ? [plan] : [plan, ...this.plans].slice(0, MAX_PLANS);
    if (this.options.staticShape) this.arena = this.newArena(0);
    return plan;
  }

  private buildPlan(inputShapes: readonly Shape[]): Plan {
    const given = new Map<string, Shape>(this.inputNames.map((name, i) => [name, inputShapes[i]]));
    for (const node of this.nodes) {
      const value = node.op === null && !given.has(node.name) ? this.parameter(node.name) : undefined;
      if (value !== undefined) given.set(node.name, value.shape);
    }
    const inferred = inferGraphShapes(this.nodes, given, new Set(given.keys()));
    const sourceOf = (entry: NodeEntry): Source => this.sourceOf(entry);
    const recorded = {
      steps: this.nodes.filter((node) => node.op !== null).map((node) => ({
        node,
        plan: inferred.plans.get(node),
        sources: node.inputs.map(sourceOf),
        outputs: (inferred.outputs.get(node) ?? []).map((shape, index) => ({ id: this.valueId(node, index), shape: knownShape(node, index, shape) })),
      })),
      heads: this.outputs.map(sourceOf),
    };
    const { steps, heads } = fuseSteps(recorded.steps, recorded.heads);
    const uses: StepUse[] = steps.map((step) => ({
      reads: step.sources.map((s) => (s.kind === 'value' ? s.id : -1)),
      writes: step.outputs,
      inplace: (step.node.op as NonNullable<GraphNode['op']>).inplace,
    }));
    const memory = planMemory(uses, new Set(heads.flatMap((h) => (h.kind === 'value' ? [h.id] : []))));
    return { inputShapes: inputShapes.slice(), steps, heads, recorded, offsets: memory.offsets, arenaSize: memory.arenaSize };
  }

  private sourceOf({ node, index }: NodeEntry): Source {
    if (node.op !== null) return { kind: 'value', id: this.valueId(node, index) };
    const at = this.inputNames.indexOf(node.name);
    if (at >= 0) return { kind: 'input', index: at };
    return this.parameter(node.name) === undefined ? { kind: 'none' } : { kind: 'param', name: node.name };
  }

  private valueId(node: GraphNode, index: number): number {
    return (this.ids.get(node) as number) + index;
  }

  /** The intermediate arrays of `plan` over the (possibly grown) arena. */
  private arenaViews(plan: Plan): Map<number, NDArray> {
    if (this.arena.length < plan.arenaSize) this.arena = this.newArena(plan.arenaSize);
    if (plan.views?.arena === this.arena) return plan.views.arrays;
    const arrays = new Map<number, NDArray>();
    for (const step of plan.steps) {
      for (const { id, shape } of step.outputs) {
        const offset = plan.offsets.get(id) ?? -1;
        if (offset >= 0) arrays.set(id, new NDArray(this.arena.subarray(offset, offset + shapeSize(shape)), shape));
      }
    }
    plan.views = { arena: this.arena, arrays };
    return arrays;
  }

  /** An arena of `size` floats replacing the current one: a block of the kernel memory where it can be, else a plain array. */
  private newArena(size: number): Float32Array {
    if (this.block !== undefined) {
      this.block.memory.release(this.block.start);
      arenaBlocks.unregister(this);
      this.block = undefined;
    }
    const memory = size === 0 ? undefined : gemmSimd()?.memory;
    const start = memory?.reserve(size * 4);
    if (memory === undefined || start === undefined) return new Float32Array(size);
    this.block = { memory, start };
    arenaBlocks.register(this, this.block, this);
    return new Float32Array(memory.memory.buffer, start, size);
  }
}

function knownShape(node: GraphNode, index: number, shape: Shape | undefined): Shape {
  if (shape === undefined) throw new GluonError(`${node.who}: cannot infer the shape of output ${index} of node '${node.name}'`);
  checkShape(shape, node.who);
  return shape;
}
