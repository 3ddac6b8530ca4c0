import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import type { Block, HookHandle } from './block';
import type { Parameter } from './parameter';

interface SummaryRow {
  layer: string;
  outputShape: string;
  params: number;
  trainable: number;
  shared: number;
}

/**
 * Gluon's `Block.summary(*inputs)` table: runs one forward pass with a hook on every block that
 * is not a Sequential container, and lists each block (`<Class>-<k>`, in order of forward
 * completion) with its output shape and the size of its own parameters, then the totals.
 */
export function summarize(root: Block<unknown>, inputs: NDArray[]): string {
  inputs.forEach((x, i) => {
    if (!(x instanceof NDArray)) throw new GluonError(`${root.errorName}.summary: expected input ${i} to be an NDArray, but got ${describeValue(x)}`);
  });
  const rows: SummaryRow[] = [{ layer: 'Input', outputShape: inputs.map((x) => formatShape(x.shape)).join(', '), params: 0, trainable: 0, shared: 0 }];
  const seen = new Set<Parameter>();
  const hooks: HookHandle[] = [];
  root.apply((block) => {
    if (!block.listedInSummary()) return;
    hooks.push(block.registerForwardHook((b, _inputs, output) => rows.push(summaryRow(b, rows.length, output, seen))));
  });
  try {
    root(...inputs);
  } finally {
    for (const hook of hooks) hook.detach();
  }
  return formatTable(rows);
}

function summaryRow(block: Block<unknown>, index: number, output: NDArray | NDArray[], seen: Set<Parameter>): SummaryRow {
  // Several outputs print as Gluon does: their shapes in a list.
  const outputShape = Array.isArray(output) ? `[${output.map((y) => formatShape(y.shape)).join(', ')}]` : formatShape(output.shape);
  const row = { layer: `${block.constructor.name}-${index}`, outputShape, params: 0, trainable: 0, shared: 0 };
  for (const param of block.params.values()) {
    const size = param.data().size;
    row.params += size;
    if (param.gradReq !== 'null') row.trainable += size;
    if (seen.has(param)) row.shared += size;
    seen.add(param);
  }
  return row;
}

function formatTable(rows: SummaryRow[]): string {
  const line = (a: string, b: string, c: string) => `${a.padStart(20)}  ${b.padStart(42)} ${c.padStart(15)}`;
  const sum = (key: 'params' | 'trainable' | 'shared') => rows.reduce((total, row) => total + row[key], 0);
  const [total, trainable, shared] = [sum('params'), sum('trainable'), sum('shared')];
  return [
    '-'.repeat(80),
    line('Layer (type)', 'Output Shape', 'Param #'),
    '='.repeat(80),
    ...rows.map((row) => line(row.layer, row.outputShape, String(row.params))),
    '='.repeat(80),
    'Parameters in forward computation graph, duplicate included',
    `   Total params: ${total}`,
    `   Trainable params: ${trainable}`,
    `   Non-trainable params: ${total - trainable}`,
    `Shared params in forward computation graph: ${shared}`,
    `Unique parameters in model: ${total - shared}`,
    '-'.repeat(80),
  ].join('\n');
}
