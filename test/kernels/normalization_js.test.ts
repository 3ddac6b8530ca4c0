/**
 * The normalization kernel's suites again, on its JavaScript loops: what runs where WebAssembly
 * SIMD is missing or TSGLUON_SIMD=0 is set. The SIMD loops are switched off before the suites
 * register their tests.
 */
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';

setSimdEnabled(false);
require('./normalization.test');
require('./normalization_backward.test');
