import { GluonError } from '../../src/core/errors';
import * as init from '../../src/init';
import * as random from '../../src/random';

const BUILT_IN_NAMES = ['zero', 'zeros', 'one', 'ones', 'constant', 'uniform', 'normal', 'xavier', 'msraprelu', 'orthogonal', 'bilinear'];

describe('init.create', () => {
  it('returns an Initializer as-is', () => {
    const normal = new init.Normal(0.3);
    expect(init.create(normal)).toBe(normal);
    expect(init.create({ initializer: normal })).toBe(normal);
  });

  it.each([
    ['zero', init.Zero],
    ['zeros', init.Zero],
    ['one', init.One],
    ['ones', init.One],
    ['uniform', init.Uniform],
    ['normal', init.Normal],
    ['xavier', init.Xavier],
    ['msraprelu', init.MSRAPrelu],
    ['orthogonal', init.Orthogonal],
    ['bilinear', init.Bilinear],
  ])('resolves %s, case-insensitively', (name, type) => {
    for (const spelling of [name, name.toUpperCase(), ` ${name[0].toUpperCase()}${name.slice(1)} `]) {
      expect(init.create(spelling)).toBeInstanceOf(type);
    }
  });

  it('lists every built-in name and alias', () => {
    expect(init.registeredNames()).toEqual(expect.arrayContaining(BUILT_IN_NAMES));
  });

  it('accepts the dumps() JSON form and round-trips every built-in', () => {
    expect((init.create('["normal", {"sigma": 0.5}]') as init.Normal).sigma).toBe(0.5);
    const all = [
      new init.Zero(), new init.One(), new init.Constant([[1, 2]]), new init.Uniform(0.3), new init.Normal(1e-5),
      new init.Xavier({ rndType: 'gaussian', factorType: 'out', magnitude: 2 }), new init.MSRAPrelu({ factorType: 'in', slope: 0.1 }),
      new init.Orthogonal({ scale: 2, randType: 'normal' }), new init.Bilinear(),
    ];
    for (const initializer of all) {
      const recreated = init.create(initializer.dumps());
      expect(recreated).toBeInstanceOf(initializer.constructor);
      expect(recreated.dumps()).toBe(initializer.dumps());
    }
  });

  it('accepts objects and JSON objects, with snake_case or camelCase arguments', () => {
    const snake = init.create({ initializer: 'Xavier', rnd_type: 'gaussian', factor_type: 'in', magnitude: 2 }) as init.Xavier;
    const camel = init.create({ initializer: 'xavier', rndType: 'gaussian', factorType: 'in', magnitude: 2 }) as init.Xavier;
    const json = init.create('{"initializer": "xavier", "rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}') as init.Xavier;
    for (const xavier of [snake, camel, json]) expect([xavier.rndType, xavier.factorType, xavier.magnitude]).toEqual(['gaussian', 'in', 2]);
    expect((init.create({ initializer: 'orthogonal', randType: 'normal' }) as init.Orthogonal).randType).toBe('normal');
    expect((init.create({ initializer: 'msraprelu', slope: 0 }) as init.MSRAPrelu).slope).toBe(0);
    expect(init.create({ initializer: 'constant', value: [1, 2] }).initialize('w', [2]).toArray()).toEqual([1, 2]);
    expect(init.create({ initializer: '["uniform", {"scale": 0.5}]' })).toBeInstanceOf(init.Uniform);
  });

  it('makes initializers that draw from the seeded generator', () => {
    random.seed(3);
    const a = init.create('normal').initialize('w', [4]).toFloat32Array();
    random.seed(3);
    expect(init.create('normal').initialize('w', [4]).toFloat32Array()).toEqual(a);
  });

  it('names the valid choices for an unknown name', () => {
    const run = (): unknown => init.create('Glorot');
    expect(run).toThrow(GluonError);
    expect(run).toThrow('init.create: expected a registered initializer name (one of ');
    expect(run).toThrow(new RegExp(`\\(one of ${BUILT_IN_NAMES.join(', ')}.*; register others with init.register\\), but got the string 'Glorot'$`));
  });

  it.each([
    [5, 'but got the number 5'],
    [null, 'but got null'],
    [undefined, 'but got undefined'],
    [['normal'], 'but got an array of length 1'],
    [new Map(), 'but got an object (Map)'],
  ])('rejects the non-string %p', (spec, given) => {
    const run = (): unknown => Reflect.apply(init.create, undefined, [spec]);
    expect(run).toThrow(GluonError);
    expect(run).toThrow(/^init\.create: initializer must be of string type: expected an Initializer, a registered name, its JSON form or an \{ initializer: name, \.\.\. \} object, but got/);
    expect(run).toThrow(given);
  });

  it.each([
    ['["normal", {"sigma": 0.5}', /^init\.create: expected valid JSON, but got the string '\["normal", \{"sigma": 0\.5\}' \(/],
    ['["normal"]', `init.create: expected the JSON form '[name, {arguments}]', but got the string '["normal"]'`],
    ['[1, {}]', `init.create: expected the JSON form '[name, {arguments}]', but got the string '[1, {}]'`],
    ['{"sigma": 1}', "init.create: expected an object's 'initializer' to be a registered name (or an Initializer without other keys), but got undefined"],
    [{ initializer: 3 }, "init.create: expected an object's 'initializer' to be a registered name (or an Initializer without other keys), but got the number 3"],
    [{ initializer: new init.Zero(), sigma: 1 }, /expected an object's 'initializer' to be a registered name \(or an Initializer without other keys\), but got an object \(Zero\)/],
    [{ initializer: 'normal', scale: 1 }, "init.create('normal'): expected options among sigma, but got unknown option 'scale'"],
    [{ initializer: 'zero', value: 1 }, "init.create('zero'): expected no options, but got unknown option 'value'"],
    [{ initializer: 'normal', sigma: '1' }, "init.Normal: expected sigma to be a finite number >= 0, but got the string '1'"],
    [{ initializer: 'normal', sigma: -1 }, 'init.Normal: expected sigma to be a finite number >= 0, but got the number -1'],
    [{ initializer: 'xavier', rnd_type: 'gaussian', rndType: 'uniform' }, "init.create('xavier'): expected each argument once, but got rndType twice (in snake_case and camelCase)"],
    [{ initializer: 'xavier', factor_type: 'fan' }, "init.Xavier: expected factorType to be one of 'avg', 'in', 'out', but got 'fan'"],
    [{ initializer: 'xavier', rnd_type: 'normal' }, "init.Xavier: expected rndType to be one of 'uniform', 'gaussian', but got 'normal'"],
    [{ initializer: 'orthogonal', rand_type: 'gaussian' }, "init.Orthogonal: expected randType to be one of 'uniform', 'normal', but got 'gaussian'"],
    ['constant', 'init.Constant: expected the value to be a number, a (nested) number array or an NDArray, but got undefined'],
    [{ initializer: 'constant', value: 'x' }, "init.Constant: expected the value to be a number, a (nested) number array or an NDArray, but got the string 'x'"],
  ] as const)('rejects %p', (spec, message) => {
    const run = (): unknown => init.create(spec as init.InitializerSpec);
    expect(run).toThrow(GluonError);
    expect(run).toThrow(message);
  });

  it('cuts long specs short in messages', () => {
    expect(() => init.create('x'.repeat(10_000))).toThrow(/but got the string 'x{80}\.\.\.'$/);
  });
});

describe('init.register', () => {
  class Fives extends init.Initializer {
    constructor(readonly times = 1) {
      super('fives', { times });
    }

    protected override fill(_paramName: string, _shape: readonly number[], out: Float32Array): void {
      out.fill(5 * this.times);
    }
  }

  it('makes a user initializer reachable by name, case-insensitively, with arguments', () => {
    init.register('Fives', (kwargs) => new Fives(typeof kwargs.times === 'number' ? kwargs.times : 1));
    expect(init.registeredNames()).toContain('fives');
    expect(init.create('FIVES').initialize('w', [2]).toArray()).toEqual([5, 5]);
    expect(init.create({ initializer: 'fives', times: 2 }).initialize('w', [1]).toArray()).toEqual([10]);
    expect(init.create(new Fives(3).dumps()).initialize('w', [1]).toArray()).toEqual([15]);
  });

  it.each([
    [() => init.register('normal', () => new init.Normal()), "init.register: expected a new name, but 'normal' is already registered"],
    [() => init.register('Zeros', () => new init.Zero()), "init.register: expected a new name, but 'zeros' is already registered"],
    [() => init.register('', () => new init.Zero()), "init.register: expected a name of letters, digits, '_', '.' or '-' starting with a letter or '_', but got the string ''"],
    [() => init.register('["x"]', () => new init.Zero()), /^init\.register: expected a name of letters.*but got the string '\["x"\]'$/],
    [() => Reflect.apply(init.register, undefined, ['mine', 'not a function']), "init.register: expected a factory function for 'mine', but got the string 'not a function'"],
  ])('rejects bad registrations (%#)', (run, message) => {
    expect(run).toThrow(GluonError);
    expect(run).toThrow(message);
  });

  it('rejects a factory that does not return an Initializer', () => {
    Reflect.apply(init.register, undefined, ['broken', () => ({})]);
    expect(() => init.create('broken')).toThrow("init.create: the factory registered as 'broken' should return an Initializer, but returned an object (Object)");
  });
});
