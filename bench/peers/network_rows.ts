/**
 * peers_bench.ts's network rows: the style-transfer network forward in tsgluon (imperative and
 * hybridized) beside onnxruntime-web and onnxruntime-node on an ONNX export of the same weights.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Worker } from 'worker_threads';
import type * as OrtModule from 'onnxruntime-web';
import { nd, random } from '../../src';
import { TransformerNet } from '../../examples/style_transfer_net';
import { BenchResult, randomData } from '../bench_util';
import { Contender, IMAGE, ORT_NODE, ORT_WEB, THREAD_COUNTS, Threads, Work, errorMessage, maxAbsDiff, measure, notMeasured } from './measure';
import { NET_CONV_FLOPS } from './tensorflow_rows';

type Ort = typeof OrtModule;

// ---------------------------------------------------------------------------------------------
// The style-transfer network

export async function networkRows(threads: Threads): Promise<BenchResult[]> {
  random.seed(0);
  const net = new TransformerNet();
  net.initialize('xavier');
  const params = [...net.collectParams().entries()];
  let seed = 100;
  for (const [name, param] of params) {
    const shape = [...(param.shape ?? [])];
    if (shape.length !== 1) continue;
    // Biases and betas in [−0.1, 0.1), gammas in [0.5, 1.5): every parameter changes the output.
    const values = randomData(shape[0], seed++).map((v) => (name.endsWith('_gamma') ? 1 + v : 0.2 * v));
    param.setData(nd.array(values, { shape }));
  }
  const parameterCount = params.reduce((sum, [, p]) => sum + p.data().size, 0);
  const hybrid = new TransformerNet();
  hybrid.loadParameters(net.saveParametersBytes());
  hybrid.hybridize();
  const inputShape = [1, 3, IMAGE, IMAGE];
  const image = randomData(3 * IMAGE * IMAGE, 7).map((v) => v + 0.5);
  const x = nd.array(image, { shape: inputShape });
  const work: Work = {
    variant: `TransformerNet forward (1, 3, ${IMAGE}, ${IMAGE})`, flops: NET_CONV_FLOPS, inputElements: image.length + parameterCount,
    outputElements: image.length, warmup: 1, repetitions: 3, reference: ORT_WEB,
  };
  threads.select(1);
  const expected = net(x).data;
  const largest = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const diffNote = (output: ArrayLike<number>) => `; max |diff| vs tsgluon imperative ${maxAbsDiff(output, expected).toExponential(1)} (max |y| ${largest.toFixed(2)})`;
  const hybridDiff = diffNote(hybrid(x).data);
  const repetitionsNote = `; ${work.warmup} warm-up + ${work.repetitions} timed; GFLOP/s of the convolutions' ${(NET_CONV_FLOPS / 1e9).toFixed(1)} GFLOP`;
  const contenders: Contender[] = [];
  for (const n of threads.counts) {
    contenders.push({ name: 'tsgluon TransformerNet', threads: n, prepare: () => threads.select(n), run: () => net(x), note: `${repetitionsNote}${threads.note}`, ours: true });
    contenders.push({
      name: 'tsgluon TransformerNet hybridized', threads: n, prepare: () => threads.select(n), run: () => hybrid(x),
      note: `${hybridDiff}${repetitionsNote}${threads.note}`, ours: true,
    });
  }
  const failures: BenchResult[] = [];
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  try {
    const exported = exportOnnx(params.map(([name, p]) => ({ name, shape: [...(p.shape ?? [])], data: p.data().data })));
    cleanups.push(exported.cleanup);
    if (exported.error !== undefined) {
      failures.push(notMeasured(ORT_WEB, work, exported.error), notMeasured(ORT_NODE, work, exported.error));
    } else {
      const model = exported.model;
      for (const n of THREAD_COUNTS) {
        try {
          const worker = await OrtWebWorker.start(n, model, image, inputShape);
          cleanups.push(() => worker.close());
          contenders.push({ name: ORT_WEB, threads: n, run: () => worker.run(false), note: `${diffNote(await worker.run(true))}${worker.note}${repetitionsNote}`, ours: false });
        } catch (error) {
          failures.push(notMeasured(ORT_WEB, { ...work, variant: `${work.variant}, ${n} threads` }, errorMessage(error)));
        }
      }
      let ort: Ort | undefined;
      try {
        ort = loadOrtNode();
      } catch (error) {
        failures.push(notMeasured(ORT_NODE, work, `${errorMessage(error)} (install: ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node)`));
      }
      if (ort !== undefined) {
        const input = new ort.Tensor('float32', image, inputShape);
        for (const n of THREAD_COUNTS) {
          const session = await ort.InferenceSession.create(model, { intraOpNumThreads: n, interOpNumThreads: 1, executionMode: 'sequential' });
          cleanups.push(() => session.release());
          const output = (await session.run({ x: input })).y.data as Float32Array;
          const version = ortNodeVersion();
          contenders.push({ name: ORT_NODE, threads: n, run: () => session.run({ x: input }), note: `${diffNote(output)}; onnxruntime-node ${version}, intraOpNumThreads ${n}${repetitionsNote}`, ours: false });
        }
      }
    }
    return await measure(work, contenders, failures);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Writes the parameters and runs export_style_onnx.py; the model path, or why there is none. */
function exportOnnx(params: { name: string; shape: number[]; data: Float32Array }[]): { model: string; error?: string; cleanup: () => void } {
  const script = findScript('export_style_onnx.py');
  const python = ['/usr/bin/python3', 'python3'].find((candidate) => spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (script === undefined) return { model: '', error: 'bench/export_style_onnx.py not found', cleanup: () => undefined };
  if (python === undefined) return { model: '', error: 'no python3 with torch to export the ONNX model (apt-get install python3-torch)', cleanup: () => undefined };
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-style-onnx-'));
  const cleanup = () => fs.rmSync(directory, { recursive: true, force: true });
  fs.writeFileSync(path.join(directory, 'weights.json'), JSON.stringify(params.map(({ name, shape }) => ({ name, shape }))));
  const flat = new Float32Array(params.reduce((sum, p) => sum + p.data.length, 0));
  let offset = 0;
  for (const p of params) {
    flat.set(p.data, offset);
    offset += p.data.length;
  }
  fs.writeFileSync(path.join(directory, 'weights.bin'), new Uint8Array(flat.buffer));
  const result = spawnSync(python, [script, directory, String(IMAGE), String(IMAGE)], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    const lines = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n');
    return { model: '', error: `export_style_onnx.py failed: ${lines[lines.length - 1]}`, cleanup };
  }
  return { model: path.join(directory, 'style.onnx'), cleanup };
}

/** `name` in bench/, searched upwards from this file (it runs from bench/ or build/bench/bench/). */
function findScript(name: string): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, name), path.join(dir, 'bench', name)]) if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** onnxruntime-node, not a devDependency (see the doc comment), so loaded by a name the compiler does not resolve. */
function loadOrtNode(): Ort {
  const name: string = 'onnxruntime-node';
  return require(name) as Ort;
}

function ortNodeVersion(): string {
  try {
    const name: string = 'onnxruntime-node/package.json';
    return String((require(name) as { version?: unknown }).version);
  } catch {
    return '?';
  }
}

/**
 * onnxruntime-web in a worker thread of its own: its wasm module takes `env.wasm.numThreads` once,
 * when it loads, so two thread counts need two module instances. Calls go one at a time.
 */
class OrtWebWorker {
  private constructor(private readonly worker: Worker, readonly note: string) {}

  static async start(threads: number, model: string, image: Float32Array, shape: number[]): Promise<OrtWebWorker> {
    const ortPath = require.resolve('onnxruntime-web');
    const worker = new Worker(ORT_WEB_WORKER, { eval: true, workerData: { ortPath, threads, model, image, shape } });
    try {
      const reply = await request(worker, { type: 'init' });
      return new OrtWebWorker(worker, `; onnxruntime-web ${reply.version}, env.wasm.numThreads ${reply.threads} (SIMD threaded build), in a worker_threads Worker`);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  async run(wantOutput: boolean): Promise<Float32Array> {
    return (await request(this.worker, { type: 'run', wantOutput })).output ?? new Float32Array(0);
  }

  async close(): Promise<void> {
    try {
      await request(this.worker, { type: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}

interface WorkerReply {
  type: string;
  message?: string;
  version?: string;
  threads?: number;
  output?: Float32Array;
}

function request(worker: Worker, message: object): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanup();
      if (reply.type === 'error') reject(new Error(reply.message));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(message);
  });
}

/** The worker's code (plain JavaScript, evaluated: it needs no file of its own in build/). */
const ORT_WEB_WORKER = `
const { parentPort, workerData } = require('worker_threads');
let session, input;
parentPort.on('message', async (message) => {
  try {
    if (message.type === 'init') {
      const ort = require(workerData.ortPath);
      ort.env.wasm.numThreads = workerData.threads;
      session = await ort.InferenceSession.create(workerData.model, { executionProviders: ['wasm'] });
      input = new ort.Tensor('float32', workerData.image, workerData.shape);
      parentPort.postMessage({ type: 'ready', version: ort.env.versions.web, threads: ort.env.wasm.numThreads });
    } else if (message.type === 'run') {
      const result = await session.run({ x: input });
      parentPort.postMessage({ type: 'done', output: message.wantOutput ? result.y.data : undefined });
    } else if (message.type === 'close') {
      await session.release();
      parentPort.postMessage({ type: 'closed' });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
});
`;
