#!/usr/bin/env node
/**
 * Compiles the C sources in src/kernels/cpu/simd/ to WebAssembly and writes each module, as
 * base64, into a TypeScript file beside it, which is committed: installing or testing tsgluon
 * needs no C compiler. Run it after editing a C file:
 *
 *   apt-get install clang-16 lld-16     # Debian 12; clang ≥ 16 emits relaxed SIMD's final opcodes
 *   node scripts/build_simd.js          # CLANG=… and WASM_LD_DIR=… override the tools
 *
 * `node scripts/build_simd.js --check` rebuilds into memory and exits 1 if a committed module
 * differs (the test suite runs this when clang-16 is installed).
 *
 * The kernels are two modules on one imported memory, shared with the thread pool's workers: the
 * matrix module (GEMM, convolution, pooling) built twice, plain SIMD128 and relaxed SIMD (fused
 * multiply-add where the hardware has it; runtimes without relaxed SIMD refuse that build and get
 * the plain one), and the vector module (elementwise, activation, recurrent and normalization
 * loops), plain SIMD128 only.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SIMD_DIR = path.join(__dirname, '..', 'src', 'kernels', 'cpu', 'simd');
const CLANG = process.env.CLANG || 'clang-16';
const WASM_LD_DIR = process.env.WASM_LD_DIR || linkerDirectory();

const COMMON = ['--target=wasm32', '-msimd128', '-mbulk-memory', '-O3', '-nostdlib', '-fvisibility=default',
  '-Wl,--no-entry', '-Wl,--export-dynamic', '-Wl,--strip-all'];
/**
 * The kernel modules import one shared memory, which must declare its maximum: 2 GiB, of which the
 * arena grows only what it uses. Runtimes without SharedArrayBuffer get the same bytes with the
 * import's shared flag cleared at load (wasm_loader.ts's withUnsharedMemory): an unshared build
 * would differ from these in that flag only, so it is not built.
 */
const SHARED_MEMORY = ['-matomics', '-Wl,--import-memory', '-Wl,--shared-memory', '-Wl,--max-memory=2147483648'];
const RELAXED = ['-mrelaxed-simd', '-DRELAXED'];

/** The matrix module: GEMM, convolution and pooling, whose multiply-adds fuse under relaxed SIMD. */
const MATRIX_SOURCES = ['gemm_simd.c', 'conv_simd.c', 'pool_simd.c'];
/** The vector module: the elementwise, activation, recurrent-gate and normalization-run loops (no multiply-add to fuse). */
const VECTOR_SOURCES = ['elementwise_simd.c', 'activation_simd.c', 'rnn_simd.c', 'norm_mapped.c'];

/** Each module goes into its own generated file. */
const BUILDS = [
  { sources: ['norm_simd.c'], target: 'norm_simd_wasm.ts', name: 'NORM_SIMD_WASM_BASE64', flags: [] },
  { sources: MATRIX_SOURCES, target: 'gemm_simd_wasm.ts', name: 'GEMM_SIMD_WASM_BASE64', flags: SHARED_MEMORY },
  { sources: MATRIX_SOURCES, target: 'gemm_relaxed_simd_wasm.ts', name: 'GEMM_RELAXED_SIMD_WASM_BASE64', flags: [...SHARED_MEMORY, ...RELAXED] },
  { sources: VECTOR_SOURCES, target: 'vector_simd_wasm.ts', name: 'VECTOR_SIMD_WASM_BASE64', flags: SHARED_MEMORY },
];

/** clang looks for `wasm-ld` on PATH; Debian names it wasm-ld-16, so link it under that name. */
function linkerDirectory() {
  const dir = path.join(os.tmpdir(), 'tsgluon-wasm-ld-16');
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'wasm-ld'))) fs.symlinkSync('/usr/bin/wasm-ld-16', path.join(dir, 'wasm-ld'));
  return dir;
}

function compile(sources, flags) {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-simd-')), 'module.wasm');
  execFileSync(CLANG, [...COMMON, ...flags, '-o', output, ...sources.map((source) => path.join(SIMD_DIR, source))],
    { env: { ...process.env, PATH: `${WASM_LD_DIR}:${process.env.PATH}` }, stdio: 'inherit' });
  const bytes = fs.readFileSync(output);
  fs.rmSync(path.dirname(output), { recursive: true });
  return bytes;
}

/**
 * Threads share one memory but each instance has its own stack pointer, all starting at the same
 * address: a loop that keeps data on the C stack would race with itself. So the shared builds must
 * not use the stack pointer (global 0, the only global), checked on the disassembly. clang
 * sometimes leaves a dead frame computation (`global.get 0; i32.const N; i32.sub; drop`), which
 * touches no memory and is allowed.
 */
function checkNoStack(bytes, name) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-simd-')), 'module.wasm');
  fs.writeFileSync(file, bytes);
  const listing = execFileSync(process.env.OBJDUMP || 'llvm-objdump-16', ['-d', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  fs.rmSync(path.dirname(file), { recursive: true });
  const ops = listing.split('\n').map((line) => line.split('\t').slice(1).join(' ').trim()).filter(Boolean);
  ops.forEach((op, i) => {
    if (!/^global\.(get|set)/.test(op)) return;
    const deadFrame = op.startsWith('global.get') && /^i32\.const/.test(ops[i + 1]) && ops[i + 2] === 'i32.sub' && ops[i + 3] === 'drop';
    if (!deadFrame) throw new Error(`${name} uses the C stack (${op}): shared-memory threads would race on it`);
  });
}

function moduleText({ sources, name, flags }) {
  const bytes = compile(sources, flags);
  if (flags.includes('-Wl,--shared-memory')) checkNoStack(bytes, name);
  const lines = bytes.toString('base64').match(/.{1,150}/g).map((line) => `  '${line}'`).join(' +\n');
  return `// Generated by scripts/build_simd.js from ${sources.join(', ')} (${bytes.length} bytes; clang flags: ${flags.join(' ') || 'the common ones'}). Do not edit.\n` +
    `export const ${name} =\n${lines};\n`;
}

let stale = 0;
for (const build of BUILDS) {
  const target = path.join(SIMD_DIR, build.target);
  const text = moduleText(build);
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
    console.log(same ? `${build.target} is up to date` : `${build.target} differs from a fresh build of ${build.sources.join(', ')}`);
    if (!same) stale++;
  } else {
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
}
process.exitCode = stale === 0 ? 0 : 1;
