/**
 * The forward loops of MXNet's `Activation` act types, as the operators and the fused
 * activations use them: the kernel module's (activation_wasm.ts) where it is loaded, the
 * JavaScript loops of unary.ts otherwise. relu is a JavaScript loop everywhere but in the arena
 * (conv_wasm.ts applies it there): max(x, 0) has the same bits on both.
 */
import { ModuleActivation, activateInModule } from './activation_wasm';
import * as loops from './unary';

function moduleOr(kind: ModuleActivation, loop: loops.UnaryKernel): loops.UnaryKernel {
  return (x, out) => {
    if (x.length > 0 && !activateInModule(kind, x, out)) loop(x, out);
  };
}

/** `out[i] = f(x[i])` by act type; out may be x. */
export const ACTIVATION_FORWARD = {
  relu: loops.RELU,
  sigmoid: moduleOr('sigmoid', loops.SIGMOID),
  tanh: moduleOr('tanh', loops.TANH),
  softrelu: moduleOr('softrelu', loops.SOFTRELU),
  softsign: moduleOr('softsign', loops.SOFTSIGN),
  log_sigmoid: moduleOr('log_sigmoid', loops.LOG_SIGMOID),
  mish: moduleOr('mish', loops.MISH),
} satisfies Record<string, loops.UnaryKernel>;
