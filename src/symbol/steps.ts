/** The steps of a cached graph's execution plan (cached_graph.ts), shared with its passes (fusion.ts). */
import type { FusedActivation } from '../kernels/cpu/fused_activation';
import type { InputPad } from '../kernels/cpu/pad';
import type { Shape } from '../ops/operator';
import type { GraphNode } from './graph';

/** Where a step input comes from: a graph input, a parameter, an earlier value, or nothing (an absent label). */
export type Source =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'value'; readonly id: number }
  | { readonly kind: 'none' };

/** One operator node to run: its kernel plan, where its inputs come from, and its outputs' value ids. */
export interface Step {
  readonly node: GraphNode;
  readonly plan: unknown;
  readonly sources: readonly Source[];
  readonly outputs: readonly { readonly id: number; readonly shape: Shape }[];
  /** An activation the operator applies to output 0 itself (a fused activation node; fusion.ts). */
  readonly activation?: FusedActivation;
  /** A padding the operator applies to input 0 as it reads it (a fused Pad node; fusion.ts). */
  readonly inputPad?: InputPad;
}
