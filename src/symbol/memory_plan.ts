/**
 * Memory planning for a cached graph, as MXNet's PlanMemory pass: each intermediate value gets a
 * range of one shared arena; a range is reused by a later value once every node that reads the
 * first has run, and an output may take over an input's range when the operator allows it
 * (its in-place pairs) and nothing reads that input afterwards. The graph's outputs get no range:
 * they are fresh arrays on every call, since the caller keeps them.
 */
import { shapeSize } from '../core/shape';
import type { Shape } from '../ops/operator';

/** What the planner needs to know of one step (an operator node, in execution order). */
export interface StepUse {
  /** The value ids this step reads (-1 for a graph input or parameter). */
  readonly reads: readonly number[];
  /** The value ids it writes, with their shapes. */
  readonly writes: readonly { readonly id: number; readonly shape: Shape }[];
  /** [input position, output position] pairs whose storage the output may take over. */
  readonly inplace: readonly (readonly [number, number])[];
}

/** Where each value lives: an offset into the arena (in floats), or -1 for a fresh array (a graph output). */
export interface MemoryPlan {
  readonly offsets: ReadonlyMap<number, number>;
  /** The arena's length in floats. */
  readonly arenaSize: number;
}

interface Block {
  readonly offset: number;
  readonly size: number;
}

/** Plans the arena for `steps`; `heads` are the value ids returned to the caller (never placed in the arena). */
export function planMemory(steps: readonly StepUse[], heads: ReadonlySet<number>): MemoryPlan {
  const lastUse = new Map<number, number>();
  steps.forEach((step, s) => step.reads.forEach((id) => lastUse.set(id, s)));
  const offsets = new Map<number, number>();
  const sizes = new Map<number, number>();
  const blocks = new Map<number, Block>();
  const free: Block[] = [];
  let arenaSize = 0;
  const allocate = (size: number): Block => {
    let best = -1;
    free.forEach((block, i) => {
      if (block.size >= size && (best < 0 || block.size < free[best].size)) best = i;
    });
    if (best >= 0) return free.splice(best, 1)[0];
    const block = { offset: arenaSize, size };
    arenaSize += size;
    return block;
  };
  steps.forEach((step, s) => {
    const taken = new Set<number>();
    step.writes.forEach(({ id, shape }, o) => {
      if (heads.has(id)) {
        offsets.set(id, -1);
        return;
      }
      const size = shapeSize(shape);
      sizes.set(id, size);
      const donor = inplaceDonor(step, o, s, size, lastUse, sizes, heads, taken);
      const block = donor === undefined ? allocate(size) : (blocks.get(donor) as Block);
      if (donor !== undefined) taken.add(donor);
      blocks.set(id, block);
      offsets.set(id, block.offset);
    });
    // Inputs read for the last time here are free for later steps (unless an output took them over).
    for (const id of new Set(step.reads)) {
      const block = blocks.get(id);
      if (block !== undefined && lastUse.get(id) === s && !taken.has(id)) free.push(block);
    }
    // A value nobody reads (a hidden or unused output) is free at once.
    for (const { id } of step.writes) {
      const block = blocks.get(id);
      if (block !== undefined && !lastUse.has(id) && !heads.has(id)) free.push(block);
    }
  });
  return { offsets, arenaSize };
}

/**
 * An input of `step` whose storage output `o` may take over: an in-place pair, an intermediate
 * read here for the last time, of the output's size (a smaller, broadcast input must not be
 * overwritten while it is still being read).
 */
function inplaceDonor(
  step: StepUse, o: number, s: number, size: number, lastUse: ReadonlyMap<number, number>, sizes: ReadonlyMap<number, number>,
  heads: ReadonlySet<number>, taken: ReadonlySet<number>,
): number | undefined {
  for (const [i, out] of step.inplace) {
    const id = step.reads[i];
    if (out !== o || id === undefined || id < 0 || taken.has(id) || heads.has(id)) continue;
    if (sizes.get(id) === size && lastUse.get(id) === s) return id;
  }
  return undefined;
}
