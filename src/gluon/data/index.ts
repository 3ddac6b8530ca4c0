/**
 * `gluon.data`, as `mxnet.gluon.data`: datasets, samplers, the DataLoader, and `vision`
 * (MNIST, CIFAR, image folders, transforms).
 *
 * @example
 * const loader = new gluon.data.DataLoader(new gluon.data.ArrayDataset(x, y), { batchSize: 32, shuffle: true });
 * for (const [data, label] of loader) { … }
 */
export { ArrayDataset, Dataset, SimpleDataset } from './dataset';
export type { ArraySample, DataSource, FirstOf, SampleFn, SampleOf, WithFirst } from './dataset';
export { BatchSampler, FilterSampler, RandomSampler, SequentialSampler } from './sampler';
export type { LastBatch, Sampler } from './sampler';
export { RecordFileDataset } from './record_dataset';
export { DataLoader } from './dataloader';
export { datasetFromModule } from './worker_recipe';
export type { DataLoaderOptions } from './dataloader';
export { defaultBatchify } from './batchify';
export type { BatchOf } from './batchify';
export * as vision from './vision';
