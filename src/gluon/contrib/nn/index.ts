/** `gluon.contrib.nn`, as MXNet's: Concurrent, HybridConcurrent, Identity, PixelShuffle1D/2D/3D. */
export { Concurrent, HybridConcurrent, Identity, PixelShuffle1D, PixelShuffle2D, PixelShuffle3D } from './basic_layers';
