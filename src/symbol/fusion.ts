/**
 * The cached graph's fusion passes, for runs outside autograd recording (a recorded run needs
 * every node's own output for the backward, so the cached graph keeps the unfused steps there):
 *
 * - **Input padding:** a `Pad` node whose output only a convolution reads, as its data, is
 *   folded into that convolution (an operator that declares `fusesInputPad`), which pads each
 *   input item as it copies it into its working memory (the style-transfer network's
 *   ReflectionPad2D → Conv2D pairs). Same bits: the convolution reads the same padded values.
 * - **Activation:** an activation node (`Activation` of every act type, or the `relu`,
 *   `sigmoid`, `tanh`, `softsign` operators) whose input is output 0 of a convolution, dense or
 *   normalization node — an operator that declares `fusesActivation` — and that nothing else
 *   reads, is folded into that node, which then applies it to its own output (conv + bias + ReLU
 *   in one kernel call, as MXNet's MKL-DNN subgraph backend fuses them). The values are
 *   bit-identical to the separate nodes: the same loop reads the same rounded float32 outputs.
 *   What it saves is a pass over memory and, where the kernel's output is still in the kernel
 *   memory, the copies (fused_activation.ts).
 *
 * Neither applies to a value that is a graph output or has another reader.
 *
 * @example
 * // pad → conv → relu → pool becomes conv(inputPad, activation: 'relu') → pool; the removed
 * // nodes' value ids are replaced by the ones they stood for wherever they are read.
 * const { steps, heads } = fuseSteps(plan.steps, plan.heads);
 */
import type { FusedActivation } from '../kernels/cpu/fused_activation';
import { padOfNode } from '../ops/pad';
import type { GraphNode } from './graph';
import type { Source, Step } from './steps';

interface Fusion { steps: Step[]; heads: Source[] }

/** Both passes: input paddings, then activations. */
export function fuseSteps(steps: readonly Step[], heads: readonly Source[]): Fusion {
  const padded = fuseInputPads(steps, heads);
  return fuseActivations(padded.steps, padded.heads);
}

/** The steps with every fusable Pad folded into the convolution that reads it. */
function fuseInputPads(steps: readonly Step[], heads: readonly Source[]): Fusion {
  const readers = countReaders(steps, heads);
  const producers = producerSteps(steps);
  const fused = steps.slice();
  const removed = new Set<number>();
  steps.forEach((step, i) => {
    const input = step.sources[0];
    if (!step.node.op?.fusesInputPad || input?.kind !== 'value' || readers.get(input.id) !== 1) return;
    const at = producers.get(input.id);
    const padStep = at === undefined ? undefined : steps[at];
    const inputPad = padStep?.node.op ? padOfNode(padStep.node.op, padStep.plan) : undefined;
    if (at === undefined || padStep === undefined || inputPad === undefined) return;
    fused[i] = { ...step, inputPad, sources: [padStep.sources[0], ...step.sources.slice(1)] };
    removed.add(at);
  });
  return { steps: fused.filter((_, i) => !removed.has(i)), heads: heads.slice() };
}

/** The steps and graph outputs with every fusable ReLU folded into its producer. */
function fuseActivations(steps: readonly Step[], heads: readonly Source[]): Fusion {
  const readers = countReaders(steps, heads);
  const producers = producerSteps(steps);
  const fused = steps.slice();
  const replaced = new Map<number, number>(); // a removed ReLU's value id → its producer's
  const removed = new Set<number>();
  steps.forEach((step, i) => {
    const activation = activationOf(step.node);
    const input = step.sources[0];
    if (activation === undefined || input?.kind !== 'value' || readers.get(input.id) !== 1) return;
    const at = producers.get(input.id);
    if (at === undefined) return;
    const producer = fused[at];
    if (!producer.node.op?.fusesActivation || producer.activation !== undefined) return;
    fused[at] = { ...producer, activation };
    replaced.set(step.outputs[0].id, input.id);
    removed.add(i);
  });
  const remap = (source: Source): Source => (source.kind === 'value' && replaced.has(source.id) ? { kind: 'value', id: replaced.get(source.id) as number } : source);
  return {
    steps: fused.filter((_, i) => !removed.has(i)).map((step) => ({ ...step, sources: step.sources.map(remap) })),
    heads: heads.map(remap),
  };
}

/** Value id → index of the step writing it as output 0. */
function producerSteps(steps: readonly Step[]): Map<number, number> {
  const producers = new Map<number, number>();
  steps.forEach((step, i) => { if (step.outputs.length > 0) producers.set(step.outputs[0].id, i); });
  return producers;
}

/** How many step inputs and graph outputs read each value. */
function countReaders(steps: readonly Step[], heads: readonly Source[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const source of [...steps.flatMap((step) => step.sources), ...heads]) {
    if (source.kind === 'value') counts.set(source.id, (counts.get(source.id) ?? 0) + 1);
  }
  return counts;
}

/** The unary operators that are an act type of their own name. */
const ACTIVATION_OPERATORS: ReadonlySet<string> = new Set<FusedActivation>(['relu', 'sigmoid', 'tanh', 'softsign']);

/** The activation a node applies, if it is one a kernel can take over: every `Activation` act type. */
function activationOf(node: GraphNode): FusedActivation | undefined {
  const name = node.op?.name;
  if (name === 'Activation') return node.attrs.values.actType as FusedActivation;
  return name !== undefined && ACTIVATION_OPERATORS.has(name) ? (name as FusedActivation) : undefined;
}
