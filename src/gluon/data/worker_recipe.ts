/**
 * How a worker thread of a DataLoader (`numWorkers`) rebuilds the dataset it reads: a closure
 * cannot cross to another thread, so the worker loads a module and calls (or constructs) one of
 * its exports with structured-cloneable arguments. The built-in file datasets carry their own
 * recipe; any other dataset is made in a module and loaded with `datasetFromModule`.
 */
import { describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { Dataset } from './dataset';

/** `new (require(module)[exportName])(...args)` when `construct`, else a call. */
export interface WorkerRecipe {
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  readonly construct: boolean;
}

const recipes = new WeakMap<Dataset<unknown>, WorkerRecipe>();

/** The recipe of `dataset`, if it has one. */
export function recipeOf(dataset: Dataset<unknown>): WorkerRecipe | undefined {
  return recipes.get(dataset);
}

/**
 * Records that `dataset` is `new exportName(...args)` of the module file `module` (a built-in
 * dataset's own file: `__filename`, absent in an ES module build, where no recipe is kept).
 */
export function constructedFrom(dataset: Dataset<unknown>, module: string | undefined, exportName: string, args: readonly unknown[]): void {
  if (module !== undefined) recipes.set(dataset, { module, exportName, args, construct: true });
}

/**
 * The dataset `require(modulePath)[exportName](...args)` returns — in this thread, and again in
 * each worker of a DataLoader with `numWorkers`, so a pipeline with transforms can be read in
 * parallel. `modulePath` must be absolute (`require.resolve('./my_data')`); `args` must survive
 * structured cloning (no functions). Node only.
 *
 * @example
 * // my_data.js: exports.cifar = (root) => new gluon.data.vision.CIFAR10({ root }).transformFirst(new transforms.ToTensor());
 * const train = gluon.data.datasetFromModule(require.resolve('./my_data'), 'cifar', '/data/cifar');
 * for await (const [x, y] of new gluon.data.DataLoader(train, { batchSize: 64, numWorkers: 2 })) { … }
 */
export function datasetFromModule<T = unknown>(modulePath: string, exportName = 'default', ...args: unknown[]): Dataset<T> {
  const who = 'datasetFromModule';
  if (typeof modulePath !== 'string' || !/^(\/|[A-Za-z]:[\\/])/.test(modulePath)) {
    throw new GluonError(`${who}: expected an absolute module path (require.resolve('./my_data')), but got ${describeValue(modulePath)}`);
  }
  if (typeof require !== 'function') throw new GluonError(`${who}: expected Node.js (it loads a module), but this environment has no require`);
  const exported = (require(modulePath) as Record<string, unknown>)[exportName];
  if (typeof exported !== 'function') throw new GluonError(`${who}: expected '${modulePath}' to export a function ${exportName}, but its ${exportName} is ${describeValue(exported)}`);
  const dataset = (exported as (...given: unknown[]) => unknown)(...args);
  if (!(dataset instanceof Dataset)) throw new GluonError(`${who}: expected ${exportName}(...) to return a gluon.data.Dataset, but it returned ${describeValue(dataset)}`);
  recipes.set(dataset, { module: modulePath, exportName, args, construct: false });
  return dataset as Dataset<T>;
}
