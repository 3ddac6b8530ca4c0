/**
 * `gluon.data.vision.ImageFolderDataset` (MXNet 1.9): images stored as `root/<class>/<image>`;
 * the classes are the folder names in sorted order (`synsets`), the label of an image the index
 * of its folder. Files other than .jpg, .jpeg and .png are skipped with a warning, as MXNet's.
 * Node only (it reads folders).
 */
import { checkFunction, checkOptionsObject, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { nodeFs, readBytesFile } from '../../../ndarray/io/fs';
import type { NDArray } from '../../../ndarray/ndarray';
import { Dataset } from '../dataset';
import { expandHome, joinPath } from './dataset_files';
import { ImageFlag, decodeImage } from './image_decode';
import { constructedFrom } from '../recipes';

// This file, for the workers of a DataLoader with numWorkers (absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;

/** Options of ImageFolderDataset. */
export interface ImageFolderOptions {
  /** 1: color (H, W, 3), default; 0: grayscale (H, W, 1). */
  flag?: ImageFlag;
  /** MXNet's deprecated `transform(data, label) → [data, label]`; prefer `dataset.transformFirst`. */
  transform?: (data: NDArray, label: number) => [NDArray, number];
}

const KEYS = optionKeys<ImageFolderOptions>({ flag: true, transform: true });
const EXTENSIONS = ['.jpg', '.jpeg', '.png'];

/**
 * The images under `root`'s class folders; sample i is `[image, label]`, decoded on read.
 *
 * @example
 * const ds = new gluon.data.vision.ImageFolderDataset('/data/flowers');
 * ds.synsets; // ['daisy', 'rose', …]
 * const [image, label] = ds.get(0); // image (H, W, 3), values 0–255
 */
export class ImageFolderDataset extends Dataset<[NDArray, number]> {
  /** The class names: the sorted folder names. */
  readonly synsets: string[] = [];
  /** Every image's path and label. */
  readonly items: [string, number][] = [];
  readonly flag: ImageFlag;
  private readonly transformFn: ImageFolderOptions['transform'];

  constructor(root: string, options: ImageFolderOptions = {}) {
    super();
    const who = 'ImageFolderDataset';
    const { flag = 1, transform } = checkOptionsObject(who, options, KEYS) as ImageFolderOptions;
    if (typeof root !== 'string' || root === '') throw new GluonError(`${who}: expected root to be a folder path, but got ${String(root)}`);
    if (flag !== 0 && flag !== 1) throw new GluonError(`${who}: expected flag 0 (grayscale) or 1 (color), but got ${String(flag)}`);
    if (transform !== undefined) checkFunction(who, 'transform', transform);
    this.flag = flag;
    this.transformFn = transform;
    this.listImages(who, expandHome(root));
    if (transform === undefined) constructedFrom(this, THIS_MODULE, 'ImageFolderDataset', [root, options]);
  }

  private listImages(who: string, root: string): void {
    const fs = nodeFs(who);
    let entries: string[];
    try {
      entries = fs.readdirSync(root).sort();
    } catch (error) {
      throw new GluonError(`${who}: cannot read the folder '${root}': ${(error as Error).message}`);
    }
    for (const folder of entries) {
      const path = joinPath(root, folder);
      if (!fs.statSync(path).isDirectory()) {
        console.warn(`Ignoring ${path}, which is not a directory.`);
        continue;
      }
      const label = this.synsets.length;
      this.synsets.push(folder);
      for (const name of fs.readdirSync(path).sort()) {
        const extension = name.slice(name.lastIndexOf('.')).toLowerCase();
        if (EXTENSIONS.includes(extension)) this.items.push([joinPath(path, name), label]);
        else console.warn(`Ignoring ${joinPath(path, name)} of type ${extension}. Only support ${EXTENSIONS.join(', ')}`);
      }
    }
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): [NDArray, number] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new GluonError(`ImageFolderDataset.get: expected an index in [0, ${this.length}), but got ${String(index)}`);
    }
    const [path, label] = this.items[index];
    const image = decodeImage('ImageFolderDataset', readBytesFile(path, 'ImageFolderDataset'), this.flag, `'${path}'`);
    return this.transformFn ? this.transformFn(image, label) : [image, label];
  }
}
