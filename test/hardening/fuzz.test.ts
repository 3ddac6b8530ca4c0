/**
 * A seeded fuzz test: random hostile argument lists (wrong types, NaN, huge and negative
 * numbers, null, cyclic and deeply nested objects, arrays of every kind) thrown at every public
 * function, constructor and NDArray method. Each call must return or throw a GluonError, within
 * a time bound; the array size limit is lowered so that no call may allocate more than 64 MiB.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError, NDArray, autograd, gluon, init, lrScheduler, metric, nd, nn, optimizer, random, sym } from '../../src';
import { selfReferencingValues } from '../helpers/hostile_values';

const CALLS_PER_TARGET = 40;
const TIME_BOUND_MS = 2000;
const MAX_ELEMENTS = 16 * 1024 * 1024;

/** A small seeded generator (an LCG), independent of the library's. */
function makeRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function hostileValues(): unknown[] {
  return [
    undefined, null, NaN, Infinity, -Infinity, -1, 0, 1, 2, 1.5, 2 ** 40, -(2 ** 31), 46341,
    '', '2', 'relu', 'NCHW', 'data', true, false, 10n, globalThis.Symbol('s'),
    {}, [], [1, 2], [46341, 46341], [2, -1], [[1, 2], [3]], ['2'], ...selfReferencingValues(),
    { shape: [2] }, { axis: 'a' }, { bogus: 1 }, { __proto__: null }, Object.create(null),
    new Float64Array(3), new Int32Array([1, 2]), new Uint8Array(0), new ArrayBuffer(8),
    nd.ones([2, 3]), nd.zeros([0]), nd.array(5), nd.ones([1, 2, 3, 4]), sym.var('x'),
    () => 1, new Map(), new Date(0),
  ];
}

/** Every public callable: [name, call(args)]. */
function targets(): [string, (args: unknown[]) => unknown][] {
  const list: [string, (args: unknown[]) => unknown][] = [];
  const functions = (prefix: string, ns: Record<string, unknown>, skip: readonly string[] = []) => {
    for (const [key, value] of Object.entries(ns)) {
      if (typeof value !== 'function' || skip.includes(key)) continue;
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      const f = value as (...a: unknown[]) => unknown;
      list.push([`${prefix}.${key}`, isClass ? (args) => Reflect.construct(f, args) : (args) => f(...args)]);
    }
  };
  functions('nd', nd as unknown as Record<string, unknown>, ['setMaxElements']);
  functions('nd.random', nd.random as unknown as Record<string, unknown>);
  functions('sym', sym as unknown as Record<string, unknown>);
  functions('nn', nn as unknown as Record<string, unknown>);
  functions('init', init as unknown as Record<string, unknown>);
  functions('gluon.loss', gluon.loss as unknown as Record<string, unknown>);
  functions('optimizer', optimizer as unknown as Record<string, unknown>);
  functions('lrScheduler', lrScheduler as unknown as Record<string, unknown>);
  functions('autograd', autograd as unknown as Record<string, unknown>);
  functions('random', random as unknown as Record<string, unknown>);
  functions('metric', metric as unknown as Record<string, unknown>);
  list.push(['gluon.Trainer', (args) => Reflect.construct(gluon.Trainer, args)]);
  list.push(['gluon.SymbolBlock.imports', (args) => Reflect.apply(gluon.SymbolBlock.imports, gluon.SymbolBlock, args)]);
  const x = nd.ones([2, 3]);
  for (const key of Object.getOwnPropertyNames(NDArray.prototype)) {
    if (key === 'constructor') continue;
    const method = Object.getOwnPropertyDescriptor(NDArray.prototype, key)?.value as unknown;
    if (typeof method === 'function') list.push([`NDArray#${key}`, (args) => Reflect.apply(method as (...a: unknown[]) => unknown, nd.array(x), args)]);
  }
  return list;
}

describe('every public function answers hostile arguments with a value or a GluonError', () => {
  const startDir = process.cwd();
  let previousLimit: number | undefined;
  beforeAll(() => {
    // Calls that write files (nd.save('2', x)) write into a scratch folder.
    process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-fuzz-')));
    const limits = nd as unknown as { setMaxElements?: (n: number) => void; getMaxElements?: () => number };
    previousLimit = limits.getMaxElements?.();
    limits.setMaxElements?.(MAX_ELEMENTS);
  });
  afterAll(() => {
    process.chdir(startDir);
    if (previousLimit !== undefined) (nd as unknown as { setMaxElements: (n: number) => void }).setMaxElements(previousLimit);
    random.seed(0);
  });

  it.each(targets())('%s', (_name, call) => {
    const rng = makeRng(7);
    const values = hostileValues();
    for (let i = 0; i < CALLS_PER_TARGET; i++) {
      const args = Array.from({ length: Math.floor(rng() * 5) }, () => values[Math.floor(rng() * values.length)]);
      const started = Date.now();
      try {
        call(args);
      } catch (error) {
        if (!(error instanceof GluonError)) {
          throw new Error(`args ${args.map((a) => show(a)).join(', ')} threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
        }
      }
      expect(Date.now() - started).toBeLessThan(TIME_BOUND_MS);
    }
  });
});

function show(value: unknown): string {
  try {
    if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
    if (Array.isArray(value)) return `array(${value.length})`;
    if (value instanceof NDArray) return `NDArray(${value.shape.join('x')})`;
    if (typeof value === 'object' && value !== null) return `object ${value.constructor?.name ?? 'null-proto'}`;
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '?';
  }
}
