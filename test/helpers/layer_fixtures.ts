/**
 * Typed access to test/fixtures/layer_fixtures.json (PyTorch outputs and gradients made by
 * test/fixtures/make_layer_fixtures.py), and a runner that builds the tsgluon layer of a case,
 * sets its parameters through `collectParams()` / `setData`, and back-propagates the case's head
 * gradient.
 */
import { NDArray, autograd, nd, nn } from '../../src';
import fixtureJson from '../fixtures/layer_fixtures.json';

/** Layer options as the fixtures spell them (tsgluon's camelCase names). */
export interface FixtureOptions {
  strides?: number[];
  padding?: number[];
  dilation?: number[];
  groups?: number;
  outputPadding?: number[];
  useBias?: boolean;
  flatten?: boolean;
  poolSize?: number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  layout?: string;
}

export interface LayerCase {
  name: string;
  layer: string;
  channels?: number;
  kernelSize?: number[];
  options: FixtureOptions;
  x_shape: number[];
  x: number[];
  params: { weight?: StoredArray; bias?: StoredArray };
  dy: number[];
  y_shape: number[];
  y: number[];
  grads: { x: number[]; weight?: number[]; bias?: number[] };
}

export interface StoredArray {
  shape: number[];
  data: number[];
}

/** A gradient stored in full (stride 1) or at every `stride`-th element. */
export interface SampledValues {
  stride: number;
  values: number[];
}

export interface LenetFixture {
  x: { shape: number[]; seed: number; scale: number };
  dy: { shape: number[]; seed: number; scale: number };
  params: { key: string; shape: number[]; seed: number; scale: number }[];
  y: number[];
  grads: Record<string, SampledValues>;
}

const fixtures: { torch: string; cases: LayerCase[]; lenet: LenetFixture } = fixtureJson;

export function layerCases(...layers: string[]): LayerCase[] {
  return fixtures.cases.filter((c) => layers.includes(c.layer));
}

export const lenetFixture: LenetFixture = fixtures.lenet;

const LAYOUTS: readonly nd.ConvLayout[] = ['NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'];

/** The tsgluon layer a case describes. */
function makeLayer(c: LayerCase): nn.HybridBlock {
  const { layout, ...rest } = c.options;
  const options = { ...rest, layout: LAYOUTS.find((l) => l === layout) };
  const channels = c.channels ?? 0;
  const kernel = c.kernelSize ?? [];
  const factories: Record<string, () => nn.HybridBlock> = {
    Dense: () => new nn.Dense(channels, rest), // Dense takes no layout (and refuses unknown options)
    Conv1D: () => new nn.Conv1D(channels, kernel, options),
    Conv2D: () => new nn.Conv2D(channels, kernel, options),
    Conv3D: () => new nn.Conv3D(channels, kernel, options),
    Conv1DTranspose: () => new nn.Conv1DTranspose(channels, kernel, options),
    Conv2DTranspose: () => new nn.Conv2DTranspose(channels, kernel, options),
    Conv3DTranspose: () => new nn.Conv3DTranspose(channels, kernel, options),
    MaxPool1D: () => new nn.MaxPool1D(options),
    MaxPool2D: () => new nn.MaxPool2D(options),
    MaxPool3D: () => new nn.MaxPool3D(options),
    AvgPool1D: () => new nn.AvgPool1D(options),
    AvgPool2D: () => new nn.AvgPool2D(options),
    AvgPool3D: () => new nn.AvgPool3D(options),
    GlobalMaxPool1D: () => new nn.GlobalMaxPool1D(options),
    GlobalMaxPool2D: () => new nn.GlobalMaxPool2D(options),
    GlobalAvgPool2D: () => new nn.GlobalAvgPool2D(options),
    GlobalAvgPool3D: () => new nn.GlobalAvgPool3D(options),
  };
  const factory = factories[c.layer];
  if (factory === undefined) throw new Error(`no tsgluon layer for fixture layer ${c.layer}`);
  return factory();
}

/**
 * Builds the case's layer (deferred), sets each parameter `<prefix><key>` to the fixture's values,
 * runs it on x inside autograd.record and back-propagates dy. Returns the output and the
 * gradients by key: 'x' and the parameter keys ('weight', 'bias').
 */
export function runLayerCase(c: LayerCase): { layer: nn.HybridBlock; y: NDArray; grads: Record<string, Float32Array> } {
  const layer = makeLayer(c);
  layer.initialize();
  const params = layer.collectParams();
  for (const [name, param] of params) {
    const key = name.slice(layer.prefix.length);
    const stored = key === 'weight' ? c.params.weight : key === 'bias' ? c.params.bias : undefined;
    if (stored === undefined) throw new Error(`fixture ${c.name} has no values for parameter ${name}`);
    param.setData(nd.array(stored.data, { shape: stored.shape }));
  }
  const x = nd.array(c.x, { shape: c.x_shape });
  x.attachGrad();
  const y = autograd.record(() => layer(x));
  y.backward(nd.array(c.dy, { shape: y.shape }));
  const grads: Record<string, Float32Array> = { x: x.grad?.toFloat32Array() ?? new Float32Array(0) };
  for (const [name, param] of params) grads[name.slice(layer.prefix.length)] = param.grad().toFloat32Array();
  return { layer, y, grads };
}

/**
 * Expects |got − want| ≤ tol · max(1, |want|) everywhere (float32 results against PyTorch's
 * float64 values of the same float32 inputs), reporting the first bad index.
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5, stride = 1): void {
  const count = Math.ceil(got.length / stride);
  expect(count).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i * stride];
    if (!(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`element ${i * stride}: got ${g}, expected ${want[i]} (tolerance ${tol})`);
    }
  }
}
