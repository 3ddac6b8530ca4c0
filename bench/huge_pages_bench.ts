/**
 * The layer-level InstanceNorm rows (forward; forward + backward) again, in a child process
 * started with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`: glibc then asks Linux for transparent
 * huge pages for its large allocations, so a fresh 32 MiB output takes 16 page faults of 2 MiB
 * instead of 8,192 of 4 KiB.
 *
 * Why a separate row: a layer must return a fresh array, and on some VMs (this one among them)
 * first-touch page faults make fresh memory cost 5–7 copies' worth; the tunable is the allocator
 * setting a deployment can choose (as PyTorch's CPU tuning guide recommends jemalloc/THP), and
 * these rows show what the layer costs with it. The default rows stay the headline figures.
 *
 * Run alone: `npx ts-node --transpile-only bench/huge_pages_bench.ts`; `npm run bench` includes it.
 */
import { spawnSync } from 'child_process';
import { BenchResult, formatTable } from './bench_util';
import { CASES, benchLayer, randomInput } from './normalization_bench';
import { instanceNormStep } from './training_bench';

const TUNABLE = 'glibc.malloc.hugetlb=1';
const CHILD_FLAG = '--child';

/** Runs the rows in the child and returns them labelled; one explanatory row where it cannot. */
export async function runHugePagesBench(): Promise<BenchResult[]> {
  // Compiled (npm run bench) this file is JavaScript; run alone through ts-node it is TypeScript.
  const loader = __filename.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const child = spawnSync(process.execPath, [...loader, __filename, CHILD_FLAG], {
    env: { ...process.env, GLIBC_TUNABLES: TUNABLE }, encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const lastLine = child.stdout?.trim().split('\n').pop() ?? '';
  try {
    const rows = JSON.parse(lastLine) as BenchResult[];
    return rows.map((row) => ({ ...row, variant: `${row.variant}, THP`, note: `GLIBC_TUNABLES=${TUNABLE}; ${row.note ?? ''}` }));
  } catch {
    const reason = child.error?.message ?? (child.stderr || lastLine).split('\n')[0];
    return [{ name: 'huge-pages rows', variant: '', medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN, outputBytes: NaN, note: `not measured: ${reason}` }];
  }
}

async function childRows(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const c of CASES) rows.push(await benchLayer(c, randomInput(c.shape)));
  rows.push(instanceNormStep(1), instanceNormStep(-1));
  return rows;
}

if (require.main === module) {
  if (process.argv.includes(CHILD_FLAG)) {
    // NaN would not survive JSON; the rows measured here have none.
    childRows().then((rows) => console.log(JSON.stringify(rows)));
  } else {
    runHugePagesBench().then((rows) => console.log(formatTable(rows)));
  }
}
