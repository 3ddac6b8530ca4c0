/**
 * Naive float64 references for the metric tests, written from the formulas (not from
 * src/gluon/metric): inputs are plain nested arrays of float32 values.
 */
import { makeRng } from './naive_ops';

/** Math.fround of every value: what an NDArray stores. */
export const f32 = (values: number[]): number[] => values.map(Math.fround);

/** The index of the first largest value of each row. */
export function argmaxRows(rows: number[][]): number[] {
  return rows.map((row) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0));
}

/** tp, fp, fn, tn of predicted vs true classes, class 1 positive. */
export function confusion(truth: number[], predicted: number[]): { tp: number; fp: number; fn: number; tn: number } {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (p === 1 && t === 1) c.tp++;
    else if (p === 1) c.fp++;
    else if (t === 1) c.fn++;
    else c.tn++;
  });
  return c;
}

/** F1 = 2TP / (2TP + FP + FN), 0 when nothing is positive. */
export function f1Reference(truth: number[], predicted: number[]): number {
  const { tp, fp, fn } = confusion(truth, predicted);
  return 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** MCC with empty marginals giving 0. */
export function mccReference(truth: number[], predicted: number[]): number {
  const { tp, fp, fn, tn } = confusion(truth, predicted);
  const d = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
  return d === 0 ? 0 : (tp * tn - fp * fn) / Math.sqrt(d);
}

/** Pearson's r of two equal-length lists, two-pass. */
export function pearsonReference(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The mean of a list. */
export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** A seeded generator of floats in [0, 1) (naive_ops' mulberry32), for random batches. */
export const seeded = makeRng;
