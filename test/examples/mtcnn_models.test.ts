/**
 * The three MTCNN stages as MXNet exported them (legacy 0.8 symbol JSON, V0 .params records),
 * imported with SymbolBlock.imports and run — against PyTorch's float64 forward of the same graphs
 * (test/fixtures/mtcnn_fixtures.json, made by test/fixtures/make_mtcnn_fixtures.py): every output
 * within 1e-4 · max(1, |reference|), hybridized or not, and exported again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gluon, nd, NDArray } from '../../src';

const MODELS = path.join(__dirname, '../../../shared/fixtures/mxnet/mtcnn');
const present = fs.existsSync(MODELS);
if (!present) console.warn(`Skipping the MTCNN model tests: ${MODELS} (MXNet's exported MTCNN models) is absent in this checkout.`);

interface Tensor {
  shape: number[];
  data: number[];
}
interface Stage {
  symbol: string;
  params: string;
  input: Tensor;
  outputs: (Tensor & { head: string })[];
}
const fixtures: Record<string, Stage> = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/mtcnn_fixtures.json'), 'utf8')).stages;

function load(stage: Stage): gluon.SymbolBlock {
  return gluon.SymbolBlock.imports(path.join(MODELS, stage.symbol), ['data'], path.join(MODELS, stage.params));
}

function expectNearReference(outputs: NDArray[], stage: Stage): void {
  expect(outputs.map((y) => y.shape)).toEqual(stage.outputs.map((o) => o.shape));
  outputs.forEach((y, k) => {
    const ref = stage.outputs[k].data;
    let worst = 0;
    y.toFloat32Array().forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]) / Math.max(1, Math.abs(ref[i])))));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
}

describe.each(Object.entries(fixtures))('MTCNN %s', (_name, stage) => {
  const input = (): NDArray => nd.array(Float32Array.from(stage.input.data), { shape: stage.input.shape });

  (present ? it : it.skip)("gives PyTorch's outputs, in the symbol file's head order", () => {
    const net = load(stage);
    expect(net.collectParams().size).toBeGreaterThan(0);
    expectNearReference(net(input()) as NDArray[], stage);
  });

  (present ? it : it.skip)('gives the same outputs hybridized, and after export and import', () => {
    const net = load(stage);
    const first = net(input()) as NDArray[];
    net.hybridize({ staticAlloc: true });
    (net(input()) as NDArray[]).forEach((y, k) => expect(y.data).toEqual(first[k].data));
    const files = net.exportBytes();
    const again = gluon.SymbolBlock.imports(files.symbol, ['data'], files.params);
    (again(input()) as NDArray[]).forEach((y, k) => expect(y.data).toEqual(first[k].data));
  });
});
