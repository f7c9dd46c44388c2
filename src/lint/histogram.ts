/**
 * Streaming histograms of per-record sizes (bytes, tokens) for the HTML report: fixed log-spaced bins, so memory is
 * constant whatever the file size, and two histograms (a worker's range and the main thread's) merge by addition.
 *
 * Bin k (k >= 1) holds values v with 2^((k-1)/B) <= v < 2^(k/B), B = BINS_PER_OCTAVE; bin 0 holds v < 1 (empty
 * records, 0 tokens). 8 bins per octave keep each bin within 9% of its lower edge; 48 octaves cover any line length.
 */
import type { Histogram } from "../types.js";

export const BINS_PER_OCTAVE = 8;
const OCTAVES = 48;
const SIZE = BINS_PER_OCTAVE * OCTAVES + 1;

export class HistogramAccumulator {
  readonly counts = new Float64Array(SIZE);
  n = 0;

  add(value: number): void {
    this.counts[binOf(value)]!++;
    this.n++;
  }

  /** Adds another accumulator's counts (a worker's range). */
  merge(counts: ArrayLike<number>): void {
    for (let i = 0; i < SIZE && i < counts.length; i++) {
      const c = counts[i]!;
      this.counts[i]! += c;
      this.n += c;
    }
  }

  /** The non-empty span of bins as edges (length counts + 1) and counts; null when nothing was added. */
  toHistogram(unit: Histogram["unit"]): Histogram | null {
    let lo = 0;
    while (lo < SIZE && this.counts[lo] === 0) lo++;
    if (lo === SIZE) return null;
    let hi = SIZE - 1;
    while (this.counts[hi] === 0) hi--;
    const edges: number[] = [];
    const counts: number[] = [];
    for (let k = lo; k <= hi; k++) {
      edges.push(lowerEdge(k));
      counts.push(this.counts[k]!);
    }
    edges.push(lowerEdge(hi + 1));
    return { unit, scale: "log2", edges, counts };
  }
}

export function binOf(value: number): number {
  if (!(value >= 1)) return 0;
  let k = Math.floor(Math.log2(value) * BINS_PER_OCTAVE) + 1;
  // Float rounding near exact powers: make sure lowerEdge(k) <= value < lowerEdge(k + 1).
  if (value < lowerEdge(k)) k--;
  else if (value >= lowerEdge(k + 1)) k++;
  return Math.min(SIZE - 1, k);
}

/** Smallest value of bin k (bin 0 starts at 0). */
export function lowerEdge(k: number): number {
  return k === 0 ? 0 : 2 ** ((k - 1) / BINS_PER_OCTAVE);
}
