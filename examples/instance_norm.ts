/**
 * The InstanceNorm demo (`npm run demo`): Gluon's documented example, deferred initialization,
 * and a channels-last layer, all through the public API.
 */
import { nd, nn, random } from '../src';

random.seed(42);

function section(title: string): void {
  console.log(`\n=== ${title} ===`);
}

section("Gluon's documented example");
// >>> x = mx.nd.array([[[ 1.1,  2.2]], [[ 3.3,  4.4]]])
const x = nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]);
const layer = new nn.InstanceNorm();
layer.initialize();
console.log(layer.toString());
console.log(layer(x).toString());
console.log('(MXNet prints -0.99998355 ... : its float32 kernel rounds more; tsgluon accumulates in float64)');

section('Deferred initialization');
const deferred = new nn.InstanceNorm({ scale: true });
deferred.initialize();
console.log(`before the first forward: ${deferred.gamma.toString()}`);
try {
  deferred.gamma.data();
} catch (error) {
  console.log(`gamma.data() -> ${(error as Error).name}`);
}
const images = nd.random.normal(5, 2, [2, 3, 4, 4]);
const normalized = deferred(images);
console.log(`after a (2, 3, 4, 4) input:   ${deferred.gamma.toString()}`);
console.log(deferred.toString());
console.log('per-instance mean of the output (≈ 0):');
console.log(normalized.mean([2, 3]).toString());

section('Channels-last (NHWC) input, axis = -1');
const nhwc = new nn.InstanceNorm({ axis: -1, inChannels: 3 });
nhwc.initialize();
nhwc.beta.setData(nd.array([10, 20, 30]));
const pixels = nd.random.uniform(0, 255, [1, 2, 2, 3]);
console.log('input (1, 2, 2, 3):');
console.log(pixels.toString());
console.log('output: each channel normalized, then shifted by beta = [10, 20, 30]:');
console.log(nhwc(pixels).toString());
