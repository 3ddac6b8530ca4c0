/**
 * Hostile options and arguments to the layers, blocks, parameters and initializers (issue 10):
 * each row is [description, call, the GluonError message it must give, exactly]. To cover a new
 * constructor, add an `OptionCase` (its rows are generated: an unknown key, a snake_case key,
 * null, a string, a wrong-typed value); for anything else, add a row to `OTHER_ROWS`.
 */
import { GluonError, NDArray, gluon, init, nd, nn, sym } from '../../src';
import { checkNumberIn, describeValue } from '../../src/core/checks';

type Row = [description: string, call: () => unknown, message: string];

/** A constructor (or method) that takes an options object. */
interface OptionCase {
  /** The name its messages start with. */
  who: string;
  /** Calls it with `options`. */
  make: (options: unknown) => unknown;
  /** The accepted keys, as the message lists them. */
  keys: string;
  /** A snake_case key and the camelCase spelling the message suggests (none when it is not accepted). */
  snake: [key: string, camel?: string];
  /** Options with a value of the wrong type (a `prefix` of 't_' names a layer 't'), and the message. */
  bad: [options: Record<string, unknown>, message: string];
}

function rowsOf({ who, make, keys, snake: [key, camel], bad: [badOptions, badMessage] }: OptionCase): Row[] {
  const among = `${who}: expected options among ${keys}, but got unknown option`;
  return [
    [`${who}: an unknown option`, () => make({ bogus: 1 }), `${among} 'bogus'`],
    [`${who}: a snake_case option`, () => make({ [key]: 1 }), `${among} '${key}'${camel === undefined ? '' : ` (did you mean '${camel}'?)`}`],
    [`${who}: null options`, () => make(null), `${who}: expected an options object, but got null`],
    [`${who}: a string for options`, () => make('fast'), `${who}: expected an options object, but got the string 'fast'`],
    [`${who}: a wrong-typed value`, () => make(badOptions), badMessage],
  ];
}

// The layers' option lists, as their messages print them.
const BLOCK = 'prefix, params';
const CONV = `strides, padding, dilation, groups, layout, activation, useBias, weightInitializer, biasInitializer, inChannels, ${BLOCK}`;
const MAX_POOL = `poolSize, strides, padding, ceilMode, layout, ${BLOCK}`;
const AVG_POOL = `poolSize, strides, padding, ceilMode, layout, countIncludePad, ${BLOCK}`;
const NORM = `axis, epsilon, center, scale, betaInitializer, gammaInitializer, inChannels, ${BLOCK}`;
const BATCH_NORM =
  'axis, momentum, epsilon, center, scale, useGlobalStats, betaInitializer, gammaInitializer, runningMeanInitializer, ' +
  `runningVarianceInitializer, inChannels, ${BLOCK}`;

const construct = (Class: unknown, ...args: unknown[]): unknown => Reflect.construct(Class as new (...a: unknown[]) => unknown, args);

const CONV_CASES: OptionCase[] = ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose'].map((who) => ({
  who,
  make: (o) => construct(Reflect.get(nn, who), 2, 3, o),
  keys: who.endsWith('Transpose') ? `outputPadding, ${CONV}` : CONV,
  snake: ['in_channels', 'inChannels'],
  bad: [{ prefix: 't_', useBias: 'no' }, "t: expected useBias to be true or false, but got the string 'no'"],
}));

const LAYOUTS = { '1': ['NCW', 'NWC'], '2': ['NCHW', 'NHWC'], '3': ['NCDHW', 'NDHWC'] } as const;

const POOL_CASES: OptionCase[] = (['1', '2', '3'] as const).flatMap((rank): OptionCase[] => [
  {
    who: `MaxPool${rank}D`, make: (o) => construct(Reflect.get(nn, `MaxPool${rank}D`), o), keys: MAX_POOL, snake: ['pool_size', 'poolSize'],
    bad: [{ prefix: 't_', ceilMode: 1 }, 't: expected ceilMode to be true or false, but got the number 1'],
  },
  {
    who: `AvgPool${rank}D`, make: (o) => construct(Reflect.get(nn, `AvgPool${rank}D`), o), keys: AVG_POOL, snake: ['count_include_pad', 'countIncludePad'],
    bad: [{ prefix: 't_', poolSize: '2' }, `t: expected poolSize to be an integer >= 1 or a list of ${rank} such integers, but got the string '2'`],
  },
  ...['Max', 'Avg'].map((kind): OptionCase => ({
    who: `Global${kind}Pool${rank}D`, make: (o) => construct(Reflect.get(nn, `Global${kind}Pool${rank}D`), o), keys: `layout, ${BLOCK}`, snake: ['pool_size'],
    bad: [{ prefix: 't_', layout: 5 }, `t: expected layout '${LAYOUTS[rank][0]}' or '${LAYOUTS[rank][1]}' for ${rank} spatial dimension(s), but got the number 5`],
  })),
]);

/** Layers whose only options are the Block's. */
const PLAIN_CASES: OptionCase[] = (
  [
    ['Activation', (o: unknown) => new nn.Activation('relu', o as nn.BlockOptions)],
    ['LeakyReLU', (o: unknown) => new nn.LeakyReLU(0.1, o as nn.BlockOptions)],
    ['ELU', (o: unknown) => new nn.ELU(1, o as nn.BlockOptions)],
    ['SELU', (o: unknown) => construct(nn.SELU, o)],
    ['GELU', (o: unknown) => construct(nn.GELU, o)],
    ['Swish', (o: unknown) => new nn.Swish(1, o as nn.BlockOptions)],
    ['Flatten', (o: unknown) => construct(nn.Flatten, o)],
    ['ReflectionPad2D', (o: unknown) => new nn.ReflectionPad2D(1, o as nn.BlockOptions)],
    ['Sequential', (o: unknown) => construct(nn.Sequential, o)],
    ['HybridSequential', (o: unknown) => construct(nn.HybridSequential, o)],
    ['Block', (o: unknown) => construct(nn.Block, o)],
    ['HybridBlock', (o: unknown) => construct(nn.HybridBlock, o)],
  ] as const
).map(([who, make]) => ({ who, make, keys: BLOCK, snake: ['name_prefix'], bad: [{ prefix: 5 }, `${who}: expected prefix to be a string, but got the number 5`] }));

const LAYER_CASES: OptionCase[] = [
  {
    who: 'Dense', make: (o) => new nn.Dense(2, o as nn.DenseOptions),
    keys: `activation, useBias, flatten, weightInitializer, biasInitializer, inUnits, ${BLOCK}`,
    snake: ['in_units', 'inUnits'], bad: [{ prefix: 't_', flatten: 'yes' }, "t: expected flatten to be true or false, but got the string 'yes'"],
  },
  ...CONV_CASES,
  ...POOL_CASES,
  {
    who: 'BatchNorm', make: (o) => new nn.BatchNorm(o as nn.BatchNormOptions), keys: BATCH_NORM,
    snake: ['use_global_stats', 'useGlobalStats'], bad: [{ prefix: 't_', momentum: NaN }, 't: expected momentum to be a finite number in [0, 1], but got the number NaN'],
  },
  {
    who: 'InstanceNorm', make: (o) => new nn.InstanceNorm(o as nn.InstanceNormOptions), keys: NORM,
    snake: ['in_channels', 'inChannels'], bad: [{ prefix: 't_', epsilon: '1e-5' }, "t: expected epsilon to be a finite number >= 0, but got the string '1e-5'"],
  },
  {
    who: 'LayerNorm', make: (o) => new nn.LayerNorm(o as nn.LayerNormOptions), keys: NORM,
    snake: ['gamma_initializer', 'gammaInitializer'], bad: [{ prefix: 't_', axis: 0.5 }, 't: expected axis to be an integer, but got the number 0.5'],
  },
  {
    who: 'GroupNorm', make: (o) => new nn.GroupNorm(o as nn.GroupNormOptions),
    keys: `numGroups, epsilon, center, scale, betaInitializer, gammaInitializer, ${BLOCK}`,
    snake: ['num_groups', 'numGroups'], bad: [{ prefix: 't_', numGroups: [2] }, 't: expected numGroups to be an integer >= 1, but got [2]'],
  },
  {
    who: 'PReLU', make: (o) => new nn.PReLU(o as nn.PReLUOptions), keys: `alphaInitializer, inChannels, ${BLOCK}`,
    snake: ['alpha_initializer', 'alphaInitializer'],
    bad: [{ prefix: 't_', alphaInitializer: 0.25 }, 't: expected alphaInitializer to be an initializer (an Initializer, a registered name, ' +
      'its JSON form or an { initializer: name, ... } object), but got the number 0.25'],
  },
  {
    who: 'Dropout', make: (o) => new nn.Dropout(0.5, o as nn.DropoutOptions), keys: `axes, ${BLOCK}`,
    snake: ['shared_axes'], bad: [{ prefix: 't_', axes: 2 }, 't: expected axes to be an array of integer axes, but got the number 2'],
  },
  {
    who: 'Embedding', make: (o) => new nn.Embedding(4, 2, o as nn.EmbeddingOptions), keys: `weightInitializer, ${BLOCK}`,
    snake: ['weight_initializer', 'weightInitializer'], bad: [{ params: {} }, "Embedding: expected params to be a ParameterDict (another block's params, to share them), but got an object (Object)"],
  },
  ...PLAIN_CASES,
];

/** A dense layer named 'd' with its parameters initialized to ones, input (1, 2). */
function dense(): nn.Dense {
  const layer = new nn.Dense(1, { prefix: 'd_', inUnits: 2 });
  layer.initialize('ones');
  return layer;
}

const METHOD_CASES: OptionCase[] = [
  {
    who: 'Parameter \'w\'', make: (o) => new nn.Parameter('w', o as nn.ParameterOptions),
    keys: 'gradReq, shape, dtype, lrMult, wdMult, init, allowDeferredInit, differentiable', snake: ['grad_req', 'gradReq'],
    bad: [{ dtype: 'int32' }, "Parameter 'w': expected dtype to be one of 'float32', but got 'int32'"],
  },
  {
    who: 'Parameter \'p_w\'', make: (o) => new nn.ParameterDict('p_').get('w', o as nn.ParameterOptions),
    keys: 'gradReq, shape, dtype, lrMult, wdMult, init, allowDeferredInit, differentiable', snake: ['allow_deferred_init', 'allowDeferredInit'],
    bad: [{ shape: '2' }, "Parameter 'p_w': expected shape to be a number or a list of dims, but got the string '2'"],
  },
  {
    who: 'Parameter \'w\'.initialize', make: (o) => new nn.Parameter('w', { shape: [1] }).initialize('zeros', o as nn.ParameterInitOptions),
    keys: 'defaultInit, forceReinit', snake: ['force_reinit', 'forceReinit'],
    bad: [{ defaultInit: null }, "Parameter 'w'.initialize: expected defaultInit to be an initializer (an Initializer, a registered name, " +
      'its JSON form or an { initializer: name, ... } object), but got null'],
  },
  {
    who: 'd.initialize', make: (o) => dense().initialize('zeros', o as nn.InitializeOptions), keys: 'forceReinit', snake: ['force_reinit', 'forceReinit'],
    bad: [{ forceReinit: 'yes' }, "d.initialize: expected forceReinit to be true or false, but got the string 'yes'"],
  },
  {
    who: 'd.hybridize', make: (o) => dense().hybridize(o as nn.HybridizeOptions), keys: 'active, staticAlloc, staticShape', snake: ['static_alloc', 'staticAlloc'],
    bad: [{ active: 0 }, 'd.hybridize: expected active to be true or false, but got the number 0'],
  },
  {
    who: 'd.saveParameters', make: (o) => dense().saveParametersBytes(o as nn.SaveParametersOptions), keys: 'deduplicate', snake: ['de_duplicate'],
    bad: [{ deduplicate: 'yes' }, "d.saveParameters: expected deduplicate to be true or false, but got the string 'yes'"],
  },
  {
    who: 'd.loadParameters', make: (o) => dense().loadParameters(dense().saveParametersBytes(), o as nn.LoadParametersOptions),
    keys: 'allowMissing, ignoreExtra', snake: ['ignore_extra', 'ignoreExtra'],
    bad: [{ allowMissing: 1 }, 'd.loadParameters: expected allowMissing to be true or false, but got the number 1'],
  },
  {
    who: 'ParameterDict.load', make: (o) => new nn.ParameterDict('p_').load('/nonexistent.params', o as nn.DictLoadOptions),
    keys: 'allowMissing, ignoreExtra, restorePrefix', snake: ['restore_prefix', 'restorePrefix'],
    bad: [{ restorePrefix: 0 }, 'ParameterDict.load: expected restorePrefix to be a string, but got the number 0'],
  },
  {
    who: 'SymbolBlock.imports', make: (o) => gluon.SymbolBlock.imports(sym.relu(sym.var('data')).toJson(), 'data', undefined, o as nn.LoadParametersOptions),
    keys: 'allowMissing, ignoreExtra', snake: ['allow_missing', 'allowMissing'],
    bad: [{ ignoreExtra: 'no' }, "SymbolBlock.imports: expected ignoreExtra to be true or false, but got the string 'no'"],
  },
];

const INIT_CASES: OptionCase[] = [
  {
    who: 'init.Xavier', make: (o) => new init.Xavier(o as init.XavierOptions), keys: 'rndType, factorType, magnitude', snake: ['rnd_type', 'rndType'],
    bad: [{ magnitude: '3' }, "init.Xavier: expected magnitude to be a finite number >= 0, but got the string '3'"],
  },
  {
    who: 'init.MSRAPrelu', make: (o) => new init.MSRAPrelu(o as init.MSRAPreluOptions), keys: 'factorType, slope', snake: ['factor_type', 'factorType'],
    bad: [{ factorType: 1 }, "init.MSRAPrelu: expected factorType to be one of 'avg', 'in', 'out', but got the number 1"],
  },
  {
    who: 'init.Orthogonal', make: (o) => new init.Orthogonal(o as init.OrthogonalOptions), keys: 'scale, randType', snake: ['rand_type', 'randType'],
    bad: [{ scale: null }, 'init.Orthogonal: expected scale to be a finite number, but got null'],
  },
];

/** Hostile arguments other than options objects. */
const OTHER_ROWS: Row[] = [
  ['Conv2D with "stride" (it is strides)', () => new nn.Conv2D(2, 3, { stride: 2 } as nn.ConvOptions), `Conv2D: expected options among ${CONV}, but got unknown option 'stride'`],
  ['InstanceNorm with "eps" (it is epsilon)', () => new nn.InstanceNorm({ eps: 0.1 } as nn.InstanceNormOptions), `InstanceNorm: expected options among ${NORM}, but got unknown option 'eps'`],
  ['a weightInitializer of the wrong type', () => new nn.Dense(2, { prefix: 't_', weightInitializer: 5 as never }),
    't: expected weightInitializer to be an initializer (an Initializer, a registered name, its JSON form or an { initializer: name, ... } object), but got the number 5'],
  ['a naming hint that is not a string', () => construct(nn.Block, undefined, Object.create(null)), 'Block: expected the naming hint to be a string, but got an object (Object)'],
  ['an abstract convolution', () => construct(nn.ConvBase, 2, true, 2, 3), 'nn.ConvBase is abstract: use Conv1D, Conv2D, Conv3D or their Transpose layers'],
  ['a Parameter name that is not a string', () => construct(nn.Parameter, 5), 'Parameter: expected name to be a string, but got the number 5'],
  ['a ParameterDict.get name that is not a string', () => new nn.ParameterDict('p_').get(null as never), 'ParameterDict.get: expected name to be a string, but got null'],
  ['a Parameter shape of strings', () => new nn.Parameter('w', { shape: ['2'] as never }), "Parameter 'w': shape dimension size cannot be less than 0 or fractional, but got an array of length 1"],
  ['seq.get with a string index', () => new nn.Sequential({ prefix: 's_' }).add(new nn.Dense(1)).get('0' as never), "s: expected an integer index in [-1, 0], but got the string '0'"],
  ['seq.get on an empty container', () => new nn.HybridSequential({ prefix: 's_' }).get(0), 's: expected no index (the container is empty), but got the number 0'],
  ['collectParams with an invalid regex', () => dense().collectParams('d_('),
    "d.collectParams: expected select to be a valid regular expression, but got the string 'd_(' (Invalid regular expression: /d_(/y: Unterminated group)"],
  ['collectParams with a number', () => dense().collectParams(5 as never), 'd.collectParams: expected select to be a regular expression (a string or a RegExp), but got the number 5'],
  ['a forward hook that is not a function', () => dense().registerForwardHook('log' as never), "d.registerForwardHook: expected hook to be a function, but got the string 'log'"],
  ['apply with a non-function', () => dense().apply(null as never), 'd.apply: expected fn to be a function, but got null'],
  ['a layer called with no input', () => Reflect.apply(dense(), undefined, []), 'd: expected 1 input, but got 0'],
  ['a layer called with two inputs', () => Reflect.apply(dense(), undefined, [nd.ones([1, 2]), nd.ones([1, 2])]), 'd: expected 1 input, but got 2'],
  ['a container called with two inputs', () => Reflect.apply(new nn.Sequential({ prefix: 's_' }), undefined, [nd.ones([1]), nd.ones([1])]), 's: expected 1 input, but got 2'],
  ['a SymbolBlock called with two inputs', () => Reflect.apply(new gluon.SymbolBlock(sym.relu(sym.var('x')), sym.var('x')), undefined, [nd.ones([1]), nd.ones([1])]),
    'SymbolBlock: expected 1 input, but got 2'],
  ['summary of a non-array', () => dense().summary([1, 2] as never), 'd.summary: expected input 0 to be an NDArray, but got [1, 2]'],
  ['block.initialize with an unknown name', () => dense().initialize('glorot', { forceReinit: true }),
    "init.create: expected a registered initializer name (one of zero, zeros, one, ones, constant, uniform, normal, xavier, msraprelu, orthogonal, bilinear, lstmbias; " +
      "register others with init.register), but got the string 'glorot'"],
  ['loadParameters from a number', () => dense().loadParameters(5 as never),
    "d.loadParameters: expected a file path (a string) or the file's bytes (a Uint8Array), but got the number 5"],
  ['saveParameters to a non-path', () => dense().saveParameters(new Uint8Array(2) as never), 'd.saveParameters: expected a file path (a string), but got a Uint8Array of 2 elements'],
  ['init.create with an unknown argument', () => init.create({ initializer: 'xavier', bogus: 1 }),
    "init.create('xavier'): expected options among rndType, factorType, magnitude, but got unknown option 'bogus'"],
  ['init.create with a wrong-typed argument', () => init.create({ initializer: 'normal', sigma: 'big' }), "init.Normal: expected sigma to be a finite number >= 0, but got the string 'big'"],
  ['hybridize with staticShape alone', () => dense().hybridize({ staticShape: true }),
    'd: hybridize with staticShape requires staticAlloc (static_alloc must be True when static_shape is True)'],
];

const ROWS: Row[] = [...[...LAYER_CASES, ...METHOD_CASES, ...INIT_CASES].flatMap(rowsOf), ...OTHER_ROWS];

describe('layers, blocks, parameters and initializers reject hostile options with a GluonError saying what they expected', () => {
  it.each(ROWS)('%s', (_description, call, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GluonError);
    expect((thrown as GluonError).message).toBe(message);
  });
});

describe('summary of a block with several outputs', () => {
  it('prints each output shape', () => {
    const data = sym.var('data');
    const block = new gluon.SymbolBlock(sym.Group([sym.relu(data), sym.sum(data, { axis: 1 })]), data);
    block.initialize();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const table = block.summary(nd.ones([2, 3]));
      expect(table).toContain('SymbolBlock-1');
      expect(table).toContain('[(2, 3), (2,)]');
    } finally {
      log.mockRestore();
    }
  });

  it('of a container holding one: the container passes the first output on', () => {
    const data = sym.var('data');
    const twoOutputs = new gluon.SymbolBlock(sym.Group([sym.relu(data), sym.sigmoid(data)]), data);
    class First extends nn.Block {
      static override readonly inputCount = 1;
      readonly inner = twoOutputs;
      override forward(x: NDArray): NDArray {
        return (this.inner(x) as NDArray[])[0];
      }
    }
    const net = new First({ prefix: 'first_' });
    net.initialize();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const table = net.summary(nd.ones([1, 4]));
      expect(table).toContain('[(1, 4), (1, 4)]');
      expect(table).toMatch(/First-2 +\(1, 4\)/);
    } finally {
      log.mockRestore();
    }
  });
});

describe('the one description of a bad value and the one range check', () => {
  it.each<[unknown, string]>([
    ['2', "the string '2'"],
    [NaN, 'the number NaN'],
    [new Float64Array(3), 'a Float64Array of 3 elements'],
    [new Uint8Array(1), 'a Uint8Array of 1 element'],
    [nd.zeros([2, 3]), 'an NDArray of shape (2, 3)'],
    [[1, 2], '[1, 2]'],
    [null, 'null'],
    [new nn.Dense(1, { prefix: 'dense_' }), 'a Dense (dense)'],
    [function named(): void {}, 'a function (named)'],
    [Object.create(null), 'an object (Object)'],
  ])('describes %p as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it.each<[Parameters<typeof checkNumberIn>[3], unknown, string]>([
    [{ min: 0, max: 1 }, 2, 'f: expected x to be a finite number in [0, 1], but got the number 2'],
    [{ min: 0, minOpen: true }, 0, 'f: expected x to be a finite number > 0, but got the number 0'],
    [{ max: 1, maxOpen: true }, 1, 'f: expected x to be a finite number < 1, but got the number 1'],
    [{ min: 1, integer: true }, 1.5, 'f: expected x to be an integer >= 1, but got the number 1.5'],
    [{ min: -Infinity, integer: true }, Infinity, 'f: expected x to be an integer, but got the number Infinity'],
    [{}, '1', "f: expected x to be a finite number, but got the string '1'"],
  ])('checkNumberIn(%p) refuses %p', (range, value, message) => {
    expect(() => checkNumberIn('f', 'x', value, range)).toThrow(new GluonError(message));
  });
});
