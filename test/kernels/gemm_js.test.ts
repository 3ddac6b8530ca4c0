/**
 * The GEMM, convolution and pooling suites again on the JavaScript loops: what runs where WebAssembly SIMD is missing or
 * TSGLUON_SIMD=0 is set (one thread). SIMD is switched off before the suite registers its tests.
 */
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';

setSimdEnabled(false);
require('./gemm.test');
require('./conv.test');
require('./conv_backward.test');
require('./pooling.test');
