/**
 * examples/char_lstm.ts on a slice of the repository's LICENSE: the encoding round-trips, the
 * sequences are next-character pairs, two epochs lower the perplexity, and sampling gives text of
 * the vocabulary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NDArray, gluon, nd, random } from '../../src';
import { CharModel, encode, sample, sequenceDataset, trainEpoch } from '../../examples/char_lstm';

const text = fs.readFileSync(path.join(__dirname, '..', '..', 'LICENSE'), 'utf8').replace(/\s+/g, ' ').slice(0, 2000);

test('encodes, trains (perplexity falls) and samples', () => {
  const { vocabulary, codes } = encode(text);
  expect(Array.from(codes.slice(0, 10), (c) => vocabulary[c]).join('')).toBe(text.slice(0, 10));
  const dataset = sequenceDataset(codes, 16);
  const [x, y] = dataset.get(0) as [NDArray, NDArray];
  expect(Array.from(y.toFloat32Array().slice(0, 15))).toEqual(Array.from(x.toFloat32Array().slice(1)));
  random.seed(1);
  const model = new CharModel(vocabulary.length, 8, 24);
  model.initialize('xavier');
  model(nd.zeros([1, 16]));
  const trainer = new gluon.Trainer(model.collectParams(), 'adam', { learningRate: 0.02 });
  const loader = new gluon.data.DataLoader(dataset, { batchSize: 16, shuffle: true });
  const first = trainEpoch(model, trainer, loader);
  const second = trainEpoch(model, trainer, loader);
  const third = trainEpoch(model, trainer, loader);
  expect(first).toBeLessThan(vocabulary.length * 1.2);
  expect(third).toBeLessThan(first);
  expect(second).toBeGreaterThan(1);
  const written = sample(model, vocabulary, 'the ', 20);
  expect(written).toHaveLength(20);
  expect([...written].every((c) => vocabulary.includes(c))).toBe(true);
});
