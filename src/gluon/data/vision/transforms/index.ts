/**
 * `gluon.data.vision.transforms`: Compose, ToTensor, Normalize, Cast, Resize, CenterCrop,
 * RandomFlipLeftRight, RandomFlipTopBottom.
 */
export { Compose, ToTensor, Normalize, Cast, Resize, CenterCrop, RandomFlipLeftRight, RandomFlipTopBottom } from './transforms';
