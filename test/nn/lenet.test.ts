import * as fs from 'fs';
import * as path from 'path';
import { NDArray, autograd, nd, nn } from '../../src';
import { pseudoRandom } from '../helpers/gradient_check';
import { expectClose, lenetFixture } from '../helpers/layer_fixtures';
import { lenet } from '../../examples/lenet';

/** The values make_layer_fixtures.py draws: the shared LCG, times scale, rounded to float32. */
function drawn(spec: { shape: number[]; seed: number; scale: number }): NDArray {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(count, spec.seed), (v) => v * spec.scale), { shape: spec.shape });
}

/** The parameter under a structural key such as '5.weight'. */
function parameterAt(net: nn.HybridSequential, key: string): nn.Parameter {
  const [index, name] = key.split('.');
  const param = net.get(Number(index)).parameterEntries().get(name);
  if (param === undefined) throw new Error(`LeNet has no parameter ${key}`);
  return param;
}

const MXNET_FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'mxnet');
const LENET_FILE = path.join(MXNET_FIXTURES, 'lenet_fashionmnist.params');

describe('LeNet end to end', () => {
  it('prints as Gluon before and after shape inference', () => {
    const net = lenet();
    expect(net.toString().split('\n')).toEqual([
      'HybridSequential(',
      '  (0): Conv2D(None -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(relu))',
      '  (1): MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)',
      '  (2): Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1), Activation(relu))',
      '  (3): MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)',
      '  (4): Flatten',
      '  (5): Dense(None -> 120, Activation(relu))',
      '  (6): Dense(None -> 84, Activation(relu))',
      '  (7): Dense(None -> 10, linear)',
      ')',
    ]);
    net.initialize('xavier');
    expect(net(nd.zeros([1, 1, 28, 28])).shape).toEqual([1, 10]);
    expect(net.get(5).toString()).toBe('Dense(400 -> 120, Activation(relu))');
    expect(net.get(2).toString()).toBe('Conv2D(6 -> 16, kernel_size=(3, 3), stride=(1, 1), Activation(relu))');
  });

  it('matches PyTorch: output and the gradients of the input and of every parameter', () => {
    const fixture = lenetFixture;
    const net = lenet();
    net.initialize();
    for (const spec of fixture.params) parameterAt(net, spec.key).setData(drawn(spec));
    const x = drawn(fixture.x);
    x.attachGrad();
    const y = autograd.record(() => net(x));
    y.backward(drawn(fixture.dy));
    expectClose(y.toFloat32Array(), fixture.y, 1e-5);
    const { stride, values } = fixture.grads.x;
    expectClose(x.grad?.toFloat32Array() ?? [], values, 1e-5, stride);
    for (const spec of fixture.params) {
      const grad = fixture.grads[spec.key];
      expectClose(parameterAt(net, spec.key).grad().toFloat32Array(), grad.values, 1e-5, grad.stride);
    }
  });

  const lenetFilePresent = fs.existsSync(LENET_FILE);
  if (!lenetFilePresent) {
    console.warn(`Skipping the MXNet LeNet interop test: ${LENET_FILE} is absent (it is MXNet's own save_parameters output).`);
  }
  (lenetFilePresent ? it : it.skip)('loads a Gluon save_parameters file and saves it back byte for byte', () => {
    const bytes = new Uint8Array(fs.readFileSync(LENET_FILE));
    const net = lenet();
    net.loadParameters(LENET_FILE);
    const shapes = [...net.collectParams().values()].map((p) => p.data().shape);
    expect(shapes).toEqual([[6, 1, 5, 5], [6], [16, 6, 3, 3], [16], [120, 400], [120], [84, 120], [84], [10, 84], [10]]);
    expect(Buffer.compare(Buffer.from(net.saveParametersBytes()), Buffer.from(bytes))).toBe(0);
    const scores = net(nd.zeros([2, 1, 28, 28]));
    expect(scores.shape).toEqual([2, 10]);
    expect(scores.toFloat32Array().every(Number.isFinite)).toBe(true);
  });
});
