/**
 * `gluon.data.vision`, as MXNet's: the standard datasets read from local files (MNIST,
 * FashionMNIST, CIFAR10, CIFAR100), ImageFolderDataset, and `transforms`.
 *
 * @example
 * const { vision } = gluon.data;
 * const train = new vision.MNIST({ root: '/data/mnist' }).transformFirst(new vision.transforms.ToTensor());
 */
export { MNIST, FashionMNIST } from './mnist';
export type { VisionDatasetOptions } from './mnist';
export { CIFAR10, CIFAR100 } from './cifar';
export type { CIFAR100Options } from './cifar';
export { ImageFolderDataset } from './image_folder';
export type { ImageFolderOptions } from './image_folder';
export type { ImageFlag } from './image_decode';
export { ImageRecordDataset } from './image_record';
export type { ImageRecordOptions } from './image_record';
export * as transforms from './transforms';
