/**
 * `datasetFromModule`: a dataset of a whole pipeline, made by a module's export, that the worker
 * threads of a DataLoader (`numWorkers`) rebuild by loading the same module (see recipes.ts for
 * the datasets and transforms that carry a recipe of their own).
 */
import { describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { Dataset } from './dataset';
import { calledFrom } from './recipes';

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
  calledFrom(dataset, modulePath, exportName, args);
  return dataset as Dataset<T>;
}
