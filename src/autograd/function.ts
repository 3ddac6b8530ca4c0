/**
 * `autograd.Function` (MXNet's): a differentiable function with a hand-written gradient. Subclass
 * it with `forward` and `backward`, both written with `nd`; an instance is callable, and under
 * `autograd.record` its call is one node on the tape whose backward is yours. What `forward`
 * computes inside is not recorded (MXNet runs it paused too).
 *
 * @example
 * class Sigmoid extends autograd.Function {
 *   forward(x: NDArray) { const y = nd.divide(1, nd.add(nd.exp(nd.negative(x)), 1)); this.saveForBackward(y); return y; }
 *   backward(dy: NDArray) { const [y] = this.savedTensors; return nd.multiply(dy, nd.multiply(y, nd.subtract(1, y))); }
 * }
 * const sigmoid = new Sigmoid();
 * const y = autograd.record(() => sigmoid(x));
 * y.backward(); // x.grad = y·(1 − y)
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { recordNode, shouldRecord, withRecording } from './tape';

/**
 * Instances are callable: `fn(x)` runs `forward(x)` and records your `backward`. `O` is what a
 * call returns: one array (default) or a list (`class F extends autograd.Function<NDArray[]>`).
 */
export interface Function<O extends NDArray | NDArray[] = NDArray> {
  (...inputs: NDArray[]): O;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface adds the call signature the constructor installs
export abstract class Function<O extends NDArray | NDArray[] = NDArray> {
  /** What `saveForBackward` kept for `backward`. */
  savedTensors: NDArray[] = [];

  constructor() {
    // Callable instances, as MXNet's `func(x)`: a function whose prototype is the subclass's.
    const callable = (...inputs: NDArray[]): NDArray | NDArray[] => self.call(inputs);
    const self: Function<O> = Object.setPrototypeOf(callable, new.target.prototype);
    Reflect.deleteProperty(self, 'name');
    Reflect.deleteProperty(self, 'length');
    self.savedTensors = [];
    return self;
  }

  /** Keeps arrays for `backward` (in `savedTensors`). */
  saveForBackward(...arrays: NDArray[]): void {
    this.savedTensors = arrays;
  }

  /** The outputs of the inputs, written with `nd` (not recorded). */
  abstract forward(...inputs: NDArray[]): O;

  /** The inputs' gradients (one per input, in order) from the outputs' gradients (one per output). */
  abstract backward(...outputGrads: NDArray[]): NDArray | NDArray[];

  private call(inputs: NDArray[]): NDArray | NDArray[] {
    const who = `autograd.Function ${this.constructor.name}`;
    inputs.forEach((x, i) => {
      if (!(x instanceof NDArray)) throw new GluonError(`${who}: expected NDArray inputs, but input ${i} is ${describeValue(x)}`);
    });
    const result = withRecording(false, () => this.forward(...inputs));
    const outputs = checkArrays(who, 'forward', result);
    // Fresh arrays: the tape marks its outputs, and forward may have returned an input itself.
    const fresh = outputs.map((y) => new NDArray(y.data.slice(), y.shape));
    if (shouldRecord(inputs)) {
      recordNode(this.constructor.name, inputs, fresh, (grads) => {
        const outputGrads = grads.map((g, i) => g ?? new NDArray(new Float32Array(fresh[i].size), fresh[i].shape));
        const inputGrads = checkArrays(who, 'backward', this.backward(...outputGrads));
        if (inputGrads.length !== inputs.length) {
          throw new GluonError(`${who}: expected backward to return ${inputs.length} gradient(s), one per input, but it returned ${inputGrads.length}`);
        }
        inputGrads.forEach((g, i) => {
          if (g.shape.length !== inputs[i].shape.length || g.shape.some((d, j) => d !== inputs[i].shape[j])) {
            throw new GluonError(`${who}: expected the gradient of input ${i} to have its shape (${inputs[i].shape.join(', ')}), but backward returned shape (${g.shape.join(', ')})`);
          }
        });
        return inputGrads;
      });
    }
    return Array.isArray(result) ? fresh : fresh[0];
  }
}

function checkArrays(who: string, what: string, result: unknown): NDArray[] {
  const list = Array.isArray(result) ? result : [result];
  if (list.length === 0 || !list.every((x) => x instanceof NDArray)) {
    throw new GluonError(`${who}: expected ${what} to return an NDArray or a list of them, but it returned ${describeValue(result)}`);
  }
  return list as NDArray[];
}
