import { nd, gluon, NDArray } from '../src';
import * as fs from 'fs';

const DIR = '../shared/fixtures/mxnet/mtcnn';
test('mtcnn det1 smoke', () => {
  const fixture = JSON.parse(fs.readFileSync('test/fixtures/mtcnn_fixtures.json', 'utf8'));
  for (const stage of ['det1', 'det2', 'det3']) {
    const f = fixture.stages[stage];
    const net = gluon.SymbolBlock.imports(`${DIR}/${f.symbol}`, ['data'], `${DIR}/${f.params}`);
    const x = nd.array(Float32Array.from(f.input.data), { shape: f.input.shape });
    let outs: NDArray[];
    try {
      outs = net(x) as NDArray[];
    } catch (e) {
      console.log(stage, String(e));
      continue;
    }
    outs.forEach((y, i) => {
      const ref = f.outputs[i].data as number[];
      let worst = 0;
      y.toFloat32Array().forEach((v, k) => (worst = Math.max(worst, Math.abs(v - ref[k]) / Math.max(1, Math.abs(ref[k])))));
      console.log(stage, f.outputs[i].head, y.shape, worst);
    });
  }
});
