/**
 * The committed WebAssembly modules (src/kernels/cpu/simd/*_wasm.ts) are fresh builds of their C
 * sources: `node scripts/build_simd.js --check` rebuilds them in memory with clang-16 and
 * compares. Skipped, with a message, where clang-16 is not installed (a user's machine).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const hasClang = (() => {
  try {
    execFileSync('clang-16', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(hasClang ? test : test.skip)('every committed WebAssembly module is a fresh build of its C source (needs clang-16 and lld-16)', () => {
  const script = path.join(__dirname, '..', '..', 'scripts', 'build_simd.js');
  const output = execFileSync('node', [script, '--check'], { encoding: 'utf8' });
  expect(output).not.toContain('differs');
  expect(output).toContain('gemm_simd_wasm.ts is up to date');
}, 60000);
if (!hasClang) {
  test('rebuilding the WebAssembly is skipped: clang-16 is not installed (apt-get install clang-16 lld-16)', () => undefined);
}
