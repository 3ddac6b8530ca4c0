/**
 * A character-level LSTM language model, trained on the text of the repository's LICENSE (the
 * Apache License 2.0, ~11 KB): an Embedding, a two-layer LSTM and a Dense layer predict each next
 * character; `metric.Perplexity` is printed per epoch (the mean number of characters the model
 * hesitates between: ~40 untrained, far lower after training), then the model writes text.
 *
 *     npm run example:lstm
 *
 * Seeded (`random.seed`), so a run is reproducible. The pieces are exported for the tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NDArray, autograd, gluon, metric, nd, nn, random } from '../src';

export const SETTINGS = { seed: 7, epochs: 10, sequence: 32, batchSize: 32, embed: 24, hidden: 96, learningRate: 0.01 } as const;

/** The characters of `text`, sorted, and the text as their indices. */
export function encode(text: string): { vocabulary: string[]; codes: Float32Array } {
  const vocabulary = [...new Set(text)].sort();
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  return { vocabulary, codes: Float32Array.from(text, (c) => index.get(c) as number) };
}

/** (sequences, sequence) inputs and their next-character targets, cut from `codes` without overlap. */
export function sequenceDataset(codes: Float32Array, length: number) {
  const count = Math.floor((codes.length - 1) / length);
  const inputs = nd.array(codes.subarray(0, count * length), { shape: [count, length] });
  const targets = nd.array(codes.subarray(1, count * length + 1), { shape: [count, length] });
  return new gluon.data.ArrayDataset(inputs, targets);
}

/**
 * Embedding(V → embed) → LSTM(hidden, 2 layers, NTC) → Dense(V) on every step: (N, T) character
 * indices to (N, T, V) scores.
 */
export class CharModel extends nn.HybridBlock {
  readonly embedding: nn.Embedding;
  readonly lstm: gluon.rnn.LSTM;
  readonly output: nn.Dense;

  constructor(vocabularySize: number, embed: number, hidden: number) {
    super();
    this.embedding = this.nameScope(() => new nn.Embedding(vocabularySize, embed));
    this.lstm = this.nameScope(() => new gluon.rnn.LSTM(hidden, { numLayers: 2, layout: 'NTC' }));
    this.output = this.nameScope(() => new nn.Dense(vocabularySize, { flatten: false }));
  }

  override hybridForward(_F: nn.HybridF, x: nn.Tensor): nn.Tensor {
    return this.output(this.lstm(this.embedding(x)) as nn.Tensor);
  }
}

/** One epoch of training; returns the epoch's perplexity (metric.Perplexity over every predicted character). */
export function trainEpoch(model: CharModel, trainer: gluon.Trainer, loader: Iterable<readonly NDArray[]>): number {
  const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
  const perplexity = new metric.Perplexity(null);
  for (const [x, y] of loader) {
    const scores = autograd.record(() => {
      const out = model(x) as NDArray;
      lossFn(out, y).backward();
      return out;
    });
    trainer.step(x.shape[0]);
    perplexity.update([y], [nd.softmax(scores)]);
  }
  return perplexity.get()[1] as number;
}

/** `length` characters sampled from the model after `prompt`, one at a time, at `temperature`. */
export function sample(model: CharModel, vocabulary: readonly string[], prompt: string, length: number, temperature = 0.7): string {
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  let text = prompt;
  for (let i = 0; i < length; i++) {
    const window = [...text.slice(-SETTINGS.sequence)].map((c) => index.get(c) ?? 0);
    const scores = (model(nd.array([window])) as NDArray).toArray() as number[][][];
    const last = scores[0][window.length - 1].map((s) => s / temperature);
    const max = Math.max(...last);
    const weights = last.map((s) => Math.exp(s - max));
    let u = nd.random.uniform(0, 1, [1]).toFloat32Array()[0] * weights.reduce((a, b) => a + b, 0);
    let choice = 0;
    while (choice < weights.length - 1 && (u -= weights[choice]) > 0) choice++;
    text += vocabulary[choice];
  }
  return text.slice(prompt.length);
}

function main(): void {
  const { seed, epochs, sequence, batchSize, embed, hidden, learningRate } = SETTINGS;
  const text = fs.readFileSync(path.join(__dirname, '..', 'LICENSE'), 'utf8').replace(/\s+/g, ' ');
  const { vocabulary, codes } = encode(text);
  random.seed(seed);
  const model = new CharModel(vocabulary.length, embed, hidden);
  model.initialize('xavier');
  model(nd.zeros([1, sequence]));
  model.hybridize();
  const loader = new gluon.data.DataLoader(sequenceDataset(codes, sequence), { batchSize, shuffle: true });
  const trainer = new gluon.Trainer(model.collectParams(), 'adam', { learningRate, clipGradient: 5 });
  console.log(`LICENSE: ${codes.length} characters, ${vocabulary.length} distinct; ${loader.length} batches of ${batchSize} × ${sequence} per epoch`);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = Date.now();
    const perplexity = trainEpoch(model, trainer, loader);
    console.log(`epoch ${epoch}: perplexity ${perplexity.toFixed(2)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  }
  console.log(`sample: "Licensed${sample(model, vocabulary, 'Licensed', 160)}"`);
}

if (require.main === module) main();
