/**
 * `gluon.data.vision.transforms`: Compose, ToTensor, Normalize, Cast, Resize, CenterCrop, RandomResizedCrop,
 * RandomFlipLeftRight, RandomFlipTopBottom, and the colour jitters RandomBrightness,
 * RandomContrast, RandomSaturation, RandomHue, RandomColorJitter, RandomLighting.
 */
export { Compose, ToTensor, Normalize, Cast, Resize, CenterCrop, RandomResizedCrop, RandomFlipLeftRight, RandomFlipTopBottom } from './transforms';
export { RandomBrightness, RandomContrast, RandomSaturation, RandomHue, RandomColorJitter, RandomLighting } from './color';
