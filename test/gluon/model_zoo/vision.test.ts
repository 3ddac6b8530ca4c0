/**
 * gluon.modelZoo.vision: every MXNet 1.9 model builds and runs on its smallest valid input, and
 * its graph reads the trainable-parameter counts (all but BatchNorm's running statistics, from
 * shape inference: no weights drawn) of independent sources:
 *
 * - torchvision's published counts where the architecture is the same (resnet18/34 v1, VGG,
 *   AlexNet, DenseNet, SqueezeNet), and Keras's for MobileNet 1.0 (total 4,253,864, its moving
 *   statistics included) and Inception v3 (23,817,352 trainable, whose BatchNorms have no scale:
 *   plus one γ per BatchNorm channel, 17,216, gives MXNet's);
 * - derived from those where MXNet's architecture differs, as the comments say (resnet50_v1 and
 *   deeper's biased 1×1 convolutions, MobileNetV2's kept first expansion and bias-free classifier).
 *
 * Parameter names are MXNet's (with the model's own prefix, which `save_params` strips, removed),
 * a saved file loads into a new model, and pretrained files are found by MXNet's naming and
 * checked against MXNet's SHA-1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NDArray, gluon, nd, random, sym } from '../../../src';

const { vision } = gluon.modelZoo;

/** The parameters a graph of `net` reads at `side`×`side` inputs, BatchNorm's running statistics (auxiliary states) left out. */
function trainableCount(net: gluon.HybridBlock, side: number): number {
  const out = net(sym.var('data')) as sym.Symbol;
  const names = out.listArguments();
  return out.inferShape({ data: [1, 3, side, side] }).argShapes.reduce((total, shape, i) => (names[i] === 'data' ? total : total + shape.reduce((a, b) => a * b, 1)), 0);
}

// [name, input side, trainable parameters]
const COUNTS: Array<[string, number, number]> = [
  ['resnet18_v1', 224, 11_689_512],
  ['resnet34_v1', 224, 21_797_672],
  // torchvision's resnet50/101/152 plus the biases of MXNet's two 1×1 convolutions per block,
  // Σ blocks · (width/4 + width): resnet50 3·320 + 4·640 + 6·1280 + 3·2560 = 18,880.
  ['resnet50_v1', 224, 25_557_032 + 18_880],
  ['resnet101_v1', 224, 44_549_160 + 3 * 320 + 4 * 640 + 23 * 1280 + 3 * 2560],
  ['resnet152_v1', 224, 60_192_808 + 3 * 320 + 8 * 640 + 36 * 1280 + 3 * 2560],
  ['vgg11', 224, 132_863_336],
  ['vgg13', 224, 133_047_848],
  ['vgg16', 224, 138_357_544],
  ['vgg19', 224, 143_667_240],
  ['vgg11_bn', 224, 132_868_840],
  ['vgg13_bn', 224, 133_053_736],
  ['vgg16_bn', 224, 138_365_992],
  ['vgg19_bn', 224, 143_678_248],
  ['alexnet', 224, 61_100_840],
  ['densenet121', 224, 7_978_856],
  ['densenet161', 224, 28_681_000],
  ['densenet169', 224, 14_149_480],
  ['densenet201', 224, 20_013_928],
  ['squeezenet1.0', 224, 1_248_424],
  ['squeezenet1.1', 224, 1_235_496],
  ['inceptionv3', 299, 23_817_352 + 17_216],
  // Keras's MobileNet total 4,253,864 less its 21,888 moving statistics.
  ['mobilenet1.0', 224, 4_253_864 - 21_888],
  // Keras's MobileNetV2 (3,504,872 trainable) − the classifier's 1000 biases + the first block's
  // 32→32 expansion (1,024 weights, 64 BatchNorm γ and β), which MXNet keeps for t = 1.
  ['mobilenetv2_1.0', 224, 3_504_872 - 1000 + 1024 + 64],
];

test.each(COUNTS)('%s at %i×%i has its published parameter count', (name, side, expected) => {
  expect(trainableCount(vision.getModel(name), side)).toBe(expected);
});

/** The smallest input each model takes: 224 with a fixed final pooling, 299 for Inception v3, 63 for AlexNet's pooling chain, 32 otherwise. */
const smallestSide = (name: string) => (name === 'inceptionv3' ? 299 : /^(densenet|squeezenet)/.test(name) ? 224 : name === 'alexnet' ? 63 : 32);

// A VGG's 30 million random weights take 13 s to draw here (2 million normal draws a second): one VGG
// stands for the family (the counts above cover each).
const RUN = vision.modelNames().filter((name) => !name.startsWith('vgg') || name === 'vgg11_bn');

test.each(RUN)('%s runs on its smallest input and gives the classes asked for', (name) => {
  random.seed(1);
  const net = vision.getModel(name, { classes: 7 });
  net.initialize();
  const side = smallestSide(name);
  const y = net(nd.random.uniform(0, 1, [1, 3, side, side])) as NDArray;
  expect(y.shape).toEqual([1, 7]);
  expect(y.toFloat32Array().every(Number.isFinite)).toBe(true);
});

test('every MXNet model name is there', () => {
  expect(vision.modelNames()).toHaveLength(34);
  expect(vision.getModel('ResNet18_V1')).toBeInstanceOf(vision.ResNetV1);
});

/** The parameter names without the model's own prefix (`resnetv10_`), as `save_params` writes them. */
const stripped = (net: gluon.HybridBlock) => [...net.collectParams().keys()].map((name) => name.slice(net.prefix.length));

test("parameters carry MXNet's names", () => {
  const resnet = vision.resnet18V1();
  expect(resnet.prefix).toMatch(/^resnetv1\d+_$/);
  expect(stripped(resnet).slice(0, 6)).toEqual(['conv0_weight', 'batchnorm0_gamma', 'batchnorm0_beta', 'batchnorm0_running_mean', 'batchnorm0_running_var', 'stage1_conv0_weight']);
  // Stage 2's first block: two 3×3 convolutions, then the 1×1 downsampling shortcut.
  expect(stripped(resnet).filter((n) => n.startsWith('stage2_conv'))).toEqual(['stage2_conv0_weight', 'stage2_conv1_weight', 'stage2_conv2_weight', 'stage2_conv3_weight', 'stage2_conv4_weight']);
  expect(stripped(resnet).slice(-2)).toEqual(['dense0_weight', 'dense0_bias']);
  const mobile = vision.mobilenetV2_1_0();
  expect(stripped(mobile)[0]).toBe('features_conv0_weight');
  expect(stripped(mobile)).toContain('features_linearbottleneck0_conv0_weight');
  expect(stripped(mobile).slice(-1)).toEqual(['output_pred_weight']);
  expect(stripped(vision.inceptionV3())).toContain('A1_conv0_weight');
  expect(stripped(vision.densenet121())).toContain('stage4_conv31_weight');
  expect(stripped(vision.alexnet()).filter((n) => n.startsWith('dense'))).toEqual(['dense0_weight', 'dense0_bias', 'dense1_weight', 'dense1_bias', 'dense2_weight', 'dense2_bias']);
});

test('a file saved as MXNet saves the zoo (names without the model prefix) loads into a new model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsgluon-zoo-'));
  try {
    random.seed(2);
    const net = vision.squeezenet1_1({ classes: 5 });
    net.initialize('xavier');
    const x = nd.random.uniform(0, 1, [1, 3, 224, 224]);
    const y = net(x) as NDArray;
    const file = join(dir, 'squeezenet.params');
    net.collectParams().save(file, net.prefix);
    const again = vision.squeezenet1_1({ classes: 5 });
    again.loadParameters(file);
    expect((again(x) as NDArray).toFloat32Array()).toEqual(y.toFloat32Array());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pretrained parameters are read from MXNet's file names and checked against MXNet's SHA-1", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsgluon-zoo-'));
  try {
    expect(vision.shortHash('resnet18_v1')).toBe('a0666292');
    expect(() => vision.resnet18V1({ pretrained: true, root: dir })).toThrow(
      `modelZoo: expected MXNet's pretrained parameters of resnet18_v1 at '${dir}/resnet18_v1-a0666292.params', but there is no such file; tsgluon downloads nothing: get https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/resnet18_v1-a0666292.zip and unzip it there`,
    );
    writeFileSync(join(dir, 'mobilenet0.25-9f83e440.params'), 'not the file');
    expect(() => vision.getModel('MobileNet0.25', { pretrained: true, root: dir })).toThrow(
      `modelZoo: expected '${dir}/mobilenet0.25-9f83e440.params' to have MXNet's SHA-1 9f83e440996887baf91a6aff1cccc1c903a64274, but it has df32ffb58851332f386c1738860d341ec1935c30: the file is not MXNet's mobilenet0.25`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors name the model function, what it expected and what it got', () => {
  expect(() => vision.getModel('resnet19_v1')).toThrow("getModel: model the string 'resnet19_v1' is not supported; available options are alexnet, densenet121,");
  expect(() => vision.getResnet(3 as never, 18)).toThrow('getResnet: expected version 1 or 2, but got 3');
  expect(() => vision.getResnet(1, 20 as never)).toThrow('getResnet: expected numLayers to be one of 18, 34, 50, 101, 152, but got 20');
  expect(() => vision.getVgg(12 as never)).toThrow('getVgg: expected numLayers to be one of 11, 13, 16, 19, but got 12');
  expect(() => vision.resnet18V1({ classes: 0 })).toThrow('ResNetV1: expected classes');
  expect(() => vision.alexnet({ clases: 10 } as never)).toThrow("AlexNet: expected options among classes, prefix, params, but got unknown option 'clases'");
  expect(() => new vision.SqueezeNet('1.2' as never)).toThrow("SqueezeNet: expected version '1.0' or '1.1', but got 1.2");
  expect(() => new vision.ResNetV1(vision.BasicBlockV1, [2, 2], [64, 64])).toThrow('ResNetV1: expected one more channel count than layer counts, but got 2 layer counts and 2 channel counts');
  expect(() => vision.getMobilenet(0)).toThrow('MobileNet: expected a positive width multiplier, but got 0');
  expect(() => vision.shortHash('resnet19_v1')).toThrow("modelZoo: expected a model with pretrained parameters (one of alexnet, densenet121");
});
