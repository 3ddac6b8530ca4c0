/**
 * The demo page (`npm run web`): the MNIST network of `npm run train` trains in the page with a
 * live loss and accuracy plot and a progress bar, then classifies digits drawn on a pad; Gluon's
 * InstanceNorm example is printed as the documentation shows it.
 *
 * `?steps=N` trains N batches instead of one epoch (the browser test uses 300). The page's state
 * is `globalThis.demo`, which test/browser/run_browser_tests.ts reads.
 */
import * as tsgluon from '../../src';
import { NDArray, nd, nn, random } from '../../src';
import { IMAGE_SIZE, MnistSet, standardizedPixels } from '../mnist_data';
import { SETTINGS, buildNetwork, mnistEstimator, mnistLoaders } from '../train_mnist';
import { attachPad, padImage } from './draw_pad';
import { drawPlot } from './plot';

/** What the page shows, for the browser test. */
export interface DemoState {
  phase: 'starting' | 'training' | 'done' | 'failed';
  steps: number;
  totalSteps: number;
  losses: number[];
  accuracies: number[];
  testAccuracy?: number;
  /** The probabilities of the last drawing, digit by digit. */
  prediction?: number[];
  example: string;
  runtime?: tsgluon.RuntimeInfo;
  error?: string;
}

const state: DemoState = { phase: 'starting', steps: 0, totalSteps: 0, losses: [], accuracies: [], example: '' };
(globalThis as { demo?: DemoState }).demo = state;
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Gluon's documented example, printed as MXNet prints it. */
function showExample(): void {
  const x = nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]);
  const layer = new nn.InstanceNorm();
  layer.initialize();
  state.example = `>>> x = mx.nd.array([[[ 1.1,  2.2]],\n...                 [[ 3.3,  4.4]]])\n>>> layer = InstanceNorm()\n>>> layer.initialize(ctx=mx.cpu(0))\n>>> layer(x)${(layer(x) as NDArray).toString()}`;
  element('example').textContent = state.example;
  element('example-note').textContent = "MXNet's documentation shows -0.99998355  0.99998331 …: its float32 kernel rounds more; tsgluon accumulates in float64.";
}

/** The digits the server made from the `mnist` package (see serve.ts for the layout). */
async function loadDigits(): Promise<{ train: MnistSet; test: MnistSet }> {
  const bytes = new Uint8Array(await (await fetch('mnist.bin')).arrayBuffer());
  const header = new DataView(bytes.buffer);
  const [trainCount, testCount] = [header.getUint32(0, true), header.getUint32(4, true)];
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  let at = 8;
  const take = (count: number): MnistSet => {
    const images = standardizedPixels(Array.from(bytes.subarray(at, at + count * pixels), (v) => v / 255));
    const labels = Int32Array.from(bytes.subarray(at + count * pixels, at + count * (pixels + 1)));
    at += count * (pixels + 1);
    return { images, labels, count };
  };
  return { train: take(trainCount), test: take(testCount) };
}

function redraw(): void {
  element<HTMLProgressElement>('progress').value = state.steps / Math.max(state.totalSteps, 1);
  const last = (values: number[]) => (values.length > 0 ? values[values.length - 1].toFixed(3) : '–');
  element('status').textContent = `batch ${state.steps} of ${state.totalSteps}: loss ${last(state.losses)}, training accuracy ${last(state.accuracies)}`;
  drawPlot(element<HTMLCanvasElement>('plot'), state.totalSteps, [
    { name: 'loss', color: '#c0392b', values: state.losses },
    { name: 'accuracy (last 20)', color: '#2c7be5', values: state.accuracies, top: 1 },
  ]);
}

function showPrediction(net: nn.HybridSequential): void {
  const image = padImage(element<HTMLCanvasElement>('pad'));
  const bars = element('bars');
  if (image === undefined) {
    bars.textContent = '';
    return;
  }
  const scores = net(nd.array(standardizedPixels(image), { shape: [1, 1, IMAGE_SIZE, IMAGE_SIZE] })) as NDArray;
  const probabilities = Array.from(nd.softmax(scores).toFloat32Array());
  state.prediction = probabilities;
  const best = probabilities.indexOf(Math.max(...probabilities));
  bars.innerHTML = probabilities
    .map((p, digit) => `<div class="bar${digit === best ? ' best' : ''}"><span>${digit}</span><div style="width:${(200 * p).toFixed(1)}px"></div>${(100 * p).toFixed(1)} %</div>`)
    .join('');
}

async function main(): Promise<void> {
  await tsgluon.ready();
  state.runtime = tsgluon.runtimeInfo();
  const { simd, numThreads, sharedMemory } = state.runtime;
  element('runtime').textContent = `WebAssembly SIMD ${simd ? 'on' : 'off'}, ${numThreads} thread${numThreads > 1 ? 's' : ''}${sharedMemory ? '' : ' (the page is not cross-origin isolated)'}`;
  showExample();
  const { train, test } = await loadDigits();

  random.seed(SETTINGS.seed);
  const net = buildNetwork();
  net.initialize('xavier');
  net(nd.zeros([1, 1, IMAGE_SIZE, IMAGE_SIZE]));
  const { trainLoader, testLoader } = mnistLoaders(train, test, SETTINGS.batchSize, SETTINGS.maxShift);
  state.totalSteps = Number(new URLSearchParams(location.search).get('steps')) || trainLoader.length;
  const estimator = mnistEstimator(net, state.totalSteps, { epochs: 1, learningRate: SETTINGS.learningRate });
  state.phase = 'training';
  const batchAccuracies: number[] = [];
  const plotter = {
    batchEnd: (_: unknown, { loss, pred, label }: { loss: readonly NDArray[]; pred: readonly NDArray[]; label: readonly NDArray[] }) => {
      state.steps++;
      state.losses.push(loss[0].mean().asScalar());
      batchAccuracies.push(nd.equal(nd.argmax(pred[0], { axis: 1 }), label[0]).mean().asScalar());
      // The accuracy of the last 20 batches: one batch of 32 is too noisy to read.
      state.accuracies.push(batchAccuracies.slice(-20).reduce((a, b) => a + b, 0) / Math.min(batchAccuracies.length, 20));
      if (state.steps % 5 === 0 || state.steps === state.totalSteps) redraw();
    },
  };
  await estimator.fit(trainLoader, { batches: state.totalSteps, eventHandlers: [plotter] });
  element('status').textContent = `trained ${state.steps} batches; testing on ${test.count} held-out digits…`;
  await new Promise((resolve) => setTimeout(resolve, 0));
  await estimator.evaluate(testLoader);
  state.testAccuracy = estimator.valMetrics[0].get()[1] as number;
  element('status').textContent = `trained ${state.steps} batches: ${(100 * state.testAccuracy).toFixed(2)} % of ${test.count} held-out digits right. Draw one!`;
  const pad = attachPad(element<HTMLCanvasElement>('pad'), () => showPrediction(net));
  element('clear').addEventListener('click', () => {
    pad.clear();
    showPrediction(net);
  });
  state.phase = 'done';
}

main().catch((error: unknown) => {
  state.phase = 'failed';
  state.error = String(error);
  element('status').textContent = `failed: ${String(error)}`;
});
