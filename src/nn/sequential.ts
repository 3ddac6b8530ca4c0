import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { Block, BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';

/**
 * The container behaviour Sequential and HybridSequential share: children keyed '0', '1', …
 * in the order added, forward chaining them.
 */
function chain(container: Block<unknown>, x: Tensor): Tensor {
  let out = x;
  for (const [key, child] of container.childEntries()) {
    const next = child(out);
    if (Array.isArray(next)) {
      throw new GluonError(`${container.errorName}: child '${key}' returned ${next.length} outputs; a sequential container passes one array from child to child`);
    }
    out = next;
  }
  return out;
}

/** A container's child (typed as a one-output block, as nearly every layer is). */
function childAt(container: Block<unknown>, index: unknown): Block {
  const children = [...container.childEntries().values()];
  const count = children.length;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < -count || index >= count) {
    const expected = count === 0 ? 'no index (the container is empty)' : `an integer index in [${-count}, ${count - 1}]`;
    throw new GluonError(`${container.errorName}: expected ${expected}, but got ${describeValue(index)}`);
  }
  return children[index < 0 ? index + count : index] as Block;
}

function addAll(container: Block<unknown>, blocks: readonly Block<unknown>[]): void {
  for (const block of blocks) container.registerChild(block);
}

/**
 * Stacks blocks sequentially, as Gluon's `nn.Sequential`: `forward(x)` feeds x through every
 * child in the order added.
 *
 * @example
 * const net = new nn.Sequential();
 * net.nameScope(() => net.add(new nn.Dense(16, { activation: 'relu' }), new nn.Dense(2)));
 * net.initialize();
 * net(nd.ones([4, 8])).shape; // [4, 2]
 */
export class Sequential extends Block {
  static override readonly inputCount = 1;

  constructor(options: BlockOptions = {}) {
    super(options);
  }

  /** Appends blocks, keyed '0', '1', … ; returns this container. */
  add(...blocks: Block<unknown>[]): this {
    addAll(this, blocks);
    return this;
  }

  /** The child at `index` (negative counts from the end). */
  get(index: number): Block {
    return childAt(this, index);
  }

  override get length(): number {
    return this.childEntries().size;
  }

  [Symbol.iterator](): IterableIterator<Block<unknown>> {
    return this.childEntries().values();
  }

  override forward(x: Tensor): Tensor {
    return chain(this, x);
  }

  override listedInSummary(): boolean {
    return false;
  }
}

/**
 * Sequential for HybridBlocks, as Gluon's `nn.HybridSequential`: only HybridBlocks may be added,
 * and `hybridize()` turns the whole chain into one cached graph.
 */
export class HybridSequential extends HybridBlock {
  static override readonly inputCount = 1;

  constructor(options: BlockOptions = {}) {
    super(options);
  }

  /** Appends HybridBlocks, keyed '0', '1', … ; returns this container. */
  add(...blocks: HybridBlock<unknown>[]): this {
    addAll(this, blocks);
    return this;
  }

  /** The child at `index` (negative counts from the end). */
  get(index: number): Block {
    return childAt(this, index);
  }

  override get length(): number {
    return this.childEntries().size;
  }

  [Symbol.iterator](): IterableIterator<Block<unknown>> {
    return this.childEntries().values();
  }

  /** Feeds x through every child in order (as arrays, or as Symbols while traced into one graph). */
  override hybridForward(_F: HybridF, x: Tensor, _params: TensorRecord): Tensor {
    return chain(this, x);
  }

  override listedInSummary(): boolean {
    return false;
  }
}
