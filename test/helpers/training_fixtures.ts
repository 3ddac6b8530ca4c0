/**
 * Typed access to test/fixtures/training_fixtures.json (PyTorch losses, gradients and optimizer
 * steps made by test/fixtures/make_training_fixtures.py). Arrays are row-major.
 */
import fixtureJson from '../fixtures/training_fixtures.json';

export interface LossFixture {
  name: string;
  options: Record<string, number | boolean | undefined>;
  pred_shape: number[];
  pred: number[];
  label_shape: number[];
  label: number[];
  /** The head gradient: PyTorch's gradient is of sum(loss · head). */
  head: number[];
  loss: number[];
  grad: number[];
}

export type NetWeights = Record<'w1' | 'b1' | 'w2' | 'b2', number[]>;

export interface TrainingFixture {
  name: string;
  optimizer: string;
  options: Record<string, number | undefined>;
  /** 'mse' (MSELoss, mean) or 'ce' (CrossEntropyLoss, mean). */
  loss: string;
  x_shape: number[];
  x: number[];
  target: number[];
  shapes: Record<keyof NetWeights, number[]>;
  weights: NetWeights;
  /** Per step: the loss before the update, the gradients of the (mean) loss, the weights after. */
  steps: { loss: number; grads: NetWeights; weights: NetWeights }[];
}

export const trainingFixtures: { torch_version: string; losses: LossFixture[]; training: TrainingFixture[] } = fixtureJson;
