/**
 * The code each pool worker runs, as strings, since bundlers do not bundle worker files without
 * configuration: Node runs it with `new Worker(source, { eval: true, workerData })`, a browser
 * from a Blob URL, receiving the same data as its first message (worker_host.ts).
 *
 * The worker instantiates the kernel modules on the shared memory, says it is ready, then waits
 * for jobs: each job is split into parts, and every participant — the calling thread and the
 * workers — takes parts from a shared counter until none is left (the layout is pool.ts's
 * `HEADER`); worker `index` (from 1) takes part only while it is below ACTIVE, the thread count.
 * A part that throws (it cannot, short of a bug) is still counted as done, with FAILED set, so
 * the caller never waits forever. Waits time out every 200 ms, so a terminating process never
 * waits on an idle worker.
 */
const WORKER_LOOP = `
'use strict';
function runPoolWorker({ memory, modules, functions, controlAddress, maxArgs, header, index }) {
  const exports = Object.assign({}, ...modules.map((module) => new WebAssembly.Instance(module, { env: { memory } }).exports));
  const calls = functions.map((name) => exports[name]);
  const control = new Int32Array(memory.buffer, controlAddress, header.LENGTH);
  const args = new Float64Array(memory.buffer, controlAddress + header.LENGTH * 4);
  Atomics.add(control, header.READY, 1);
  let seen = Atomics.load(control, header.SEQUENCE);
  for (;;) {
    Atomics.wait(control, header.SEQUENCE, seen, 200);
    seen = Atomics.load(control, header.SEQUENCE);
    // Workers past the thread count (setNumThreads lowered it) stay idle.
    while (index < Atomics.load(control, header.ACTIVE)) {
      const part = Atomics.add(control, header.NEXT, 1);
      if (part >= Atomics.load(control, header.PARTS)) break;
      const row = part * maxArgs;
      try {
        calls[Atomics.load(control, header.FUNCTION)](...args.subarray(row, row + Atomics.load(control, header.ARG_COUNT)));
      } catch (error) {
        Atomics.store(control, header.FAILED, 1);
      }
      Atomics.add(control, header.DONE, 1);
      Atomics.notify(control, header.DONE);
    }
  }
}
`;

/** A worker_threads Worker's code: the loop on its workerData. */
export const NODE_WORKER_SOURCE = `${WORKER_LOOP}\nrunPoolWorker(require('worker_threads').workerData);\n`;

/** A Web Worker's code: the loop on the data of its first message. */
export const BROWSER_WORKER_SOURCE = `${WORKER_LOOP}\nself.onmessage = (event) => { self.onmessage = null; runPoolWorker(event.data); };\n`;
