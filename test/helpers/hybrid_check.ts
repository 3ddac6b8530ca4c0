/**
 * The check every operator test makes of its operators inside a HybridBlock: hybridized, the
 * block gives the same bits as imperatively, forward and backward.
 */
import { NDArray, autograd, nd, nn } from '../../src';

/** The block's output on `inputs` and the gradient of the output's sum with respect to the first input. */
function runWithGrad(block: nn.HybridBlock, [first, ...rest]: NDArray[]): [number[], number[]] {
  const x = nd.array(first);
  x.attachGrad();
  const y = autograd.record(() => block(x, ...rest) as NDArray);
  y.backward();
  return [Array.from(y.data), Array.from((x.grad as NDArray).data)];
}

/** Asserts that a hybridized `make()` and an imperative one agree to the bit, output and gradient of the first input. */
export function expectHybridMatches(make: () => nn.HybridBlock, ...inputs: NDArray[]): void {
  const hybrid = make();
  hybrid.hybridize();
  expect(runWithGrad(hybrid, inputs)).toEqual(runWithGrad(make(), inputs));
}
