/**
 * The kernel modules are built once, for a shared memory; where SharedArrayBuffer is missing
 * (a page that is not cross-origin isolated) wasm_loader.ts's withUnsharedMemory clears the
 * import's shared flag. Checked: exactly that byte changes, the shared build refuses an unshared
 * memory while the rewritten one runs on it, and an import that is not a memory is refused.
 */
import { GEMM_RELAXED_SIMD_WASM_BASE64 } from '../../src/kernels/cpu/simd/gemm_relaxed_simd_wasm';
import { GEMM_SIMD_WASM_BASE64 } from '../../src/kernels/cpu/simd/gemm_simd_wasm';
import { VECTOR_SIMD_WASM_BASE64 } from '../../src/kernels/cpu/simd/vector_simd_wasm';
import { withUnsharedMemory } from '../../src/kernels/cpu/simd/wasm_loader';
import { simdTest } from '../helpers/simd_mode';

const bytesOf = (base64: string) => Uint8Array.from(Buffer.from(base64, 'base64'));

test.each([['matrix', GEMM_SIMD_WASM_BASE64], ['matrix, relaxed', GEMM_RELAXED_SIMD_WASM_BASE64], ['vector', VECTOR_SIMD_WASM_BASE64]])(
  'the %s module: one byte changes, the memory import\'s flags 0x03 (shared, maximum) to 0x01', (_name, base64) => {
    const shared = bytesOf(base64), unshared = withUnsharedMemory(shared);
    const changed = Array.from(shared.keys()).filter((i) => shared[i] !== unshared[i]);
    expect(changed.map((i) => [shared[i], unshared[i]])).toEqual([[0x03, 0x01]]);
    expect(Buffer.from(shared.subarray(changed[0] - 8, changed[0])).toString('latin1')).toBe('\x06memory\x02'); // field name, kind memory
  },
);

simdTest('the shared build refuses an unshared memory; the rewritten one adds on it', () => {
  const memory = new WebAssembly.Memory({ initial: 3, maximum: 64 });
  const shared = new WebAssembly.Module(bytesOf(VECTOR_SIMD_WASM_BASE64));
  expect(() => new WebAssembly.Instance(shared, { env: { memory } })).toThrow(WebAssembly.LinkError);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(withUnsharedMemory(bytesOf(VECTOR_SIMD_WASM_BASE64))), { env: { memory } });
  const floats = new Float32Array(memory.buffer);
  floats.set([1, 2, 3, 4, 5], 40000);
  floats.set([10, 20, 30, 40, 50], 40008);
  (instance.exports.add_floats as (a: number, b: number, out: number, begin: number, end: number) => void)(160000, 160032, 160064, 0, 5);
  expect(Array.from(floats.subarray(40016, 40021))).toEqual([11, 22, 33, 44, 55]);
});

test('a module importing a function is refused, with a message', () => {
  // (module (import "env" "f" (func))): header, type section [() -> ()], import section.
  const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 0x65, 0x6e, 0x76, 1, 0x66, 0, 0);
  expect(WebAssembly.validate(bytes)).toBe(true);
  expect(() => withUnsharedMemory(bytes)).toThrow('wasm_loader: a kernel module imports something other than a memory');
});
