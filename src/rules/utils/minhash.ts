/**
 * MinHash of word shingles (one permutation hashing into 64 bins), kept as 4 LSH band keys (4 bins each) and a
 * 16-byte b-bit sketch (Li & König: the low 2 bits of each of the 64 minima) for the similarity estimate.
 *
 * Words are runs of letters and digits of the normalised text (ASCII punctuation, Latin-1 and general punctuation
 * and symbols separate them); in scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) every
 * character is a word. A shingle is `SHINGLE` consecutive words. Jaccard similarity
 * J of two shingle sets is estimated from the fraction m of equal 2-bit values as (m - 1/4) / (3/4) (standard error
 * about 0.05 at J = 0.85, 0.07 at J = 0.7).
 *
 * With 4 bands of 4 rows a pair becomes a candidate with probability 1 - (1 - J^4)^4: 0.95 at J = 0.85, 0.99 at
 * J = 0.9, 0.24 at J = 0.5; candidates are then checked against the threshold.
 */

import { CHAR_WORD, PART, wordClass } from "./char-table.js";

export const BANDS = 4;
export const ROWS = 4;
export const SHINGLE = 3;
/** Words `sketch` writes: 4 band keys + 4 words of 2-bit values. */
export const SKETCH_WORDS = 8;

/** MurmurHash3's 32-bit finaliser (every hash here is mixed with it). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

let words = new Uint32Array(1024);

/** The word buffer with room for `extra` more words after the first `n` (store `fmix32` of each word's hash). */
export function reserveWords(n: number, extra: number): Uint32Array {
  if (n + extra > words.length) {
    const grown = new Uint32Array(Math.max(words.length * 2, n + extra));
    grown.set(words.subarray(0, n));
    words = grown;
  }
  return words;
}

/**
 * Hashes the words of a normalised text into the word buffer from index `from`; returns the end. A word is a run of
 * units of class PART (see char-table.ts `wordClass`: ASCII letters and digits, and what is neither a separator nor
 * written without spaces); each CHAR_WORD unit (scripts written without spaces) is a word of its own. (A plain
 * character scan: unicode-property regexes were the slowest part of the rule on non-English text.)
 */
function hashWordsAt(text: string, from: number): number {
  const out = reserveWords(from, text.length + 1);
  let n = from;
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = wordClass(c);
    if (cls === PART) {
      h = Math.imul(h ^ c, 0x01000193);
      inWord = true;
      continue;
    }
    if (inWord) {
      out[n++] = fmix32(h);
      h = 0x811c9dc5;
      inWord = false;
    }
    if (cls === CHAR_WORD) out[n++] = fmix32(Math.imul(0x811c9dc5 ^ c, 0x01000193));
  }
  if (inWord) out[n++] = fmix32(h);
  return n;
}

/** The words of a normalised text as strings, split exactly as the sketch splits them (for measurements and tests). */
export function wordList(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const cls = i < text.length ? wordClass(text.charCodeAt(i)) : 0;
    const char = cls === CHAR_WORD;
    const part = cls === PART;
    if (part) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) out.push(text.slice(start, i));
    start = -1;
    if (char) out.push(text[i]!);
  }
  return out;
}

/**
 * The word buffer the sketch reads: `reset`, then `append` each text (returns the words so far); `size` is how many
 * words it holds (the digest in example-text.ts writes its words through `reserveWords` and sets it).
 */
let appended = 0;
export const wordBuffer = {
  reset(): void {
    appended = 0;
  },
  append(text: string): number {
    appended = hashWordsAt(text, appended);
    return appended;
  },
  get size(): number {
    return appended;
  },
  set size(n: number) {
    appended = n;
  },
};

/** A copy of the word hashes the word buffer holds (tests compare the passes that fill it). */
export function bufferedWords(): Uint32Array {
  return words.slice(0, appended);
}

const BINS = 64;
/** Fewer distinct shingles than this (non-empty bins): compared only as a normalised whole. */
const MIN_BINS = 8;
const mins = new Uint32Array(BINS);
const orig = new Uint32Array(BINS);

/**
 * Writes the sketch of the `n` words already in the word buffer (see `wordBuffer`) into `out` from `at`: 4 LSH band
 * keys (each a hash of 4 bins' minima), then the 64 minima's low 2 bits packed in 4 words (b-bit MinHash, for the similarity estimate). Returns the number of words,
 * or 0 when there are fewer than `minWords` words (then nothing is written: short texts are compared only as
 * normalised wholes). One permutation hashing: each shingle is hashed once into one of 64 bins; empty bins borrow
 * another bin's minimum (optimal densification), so small sets still give 64 comparable values.
 */
export function sketchWords(n: number, minWords: number, out: Uint32Array, at: number): number {
  if (n < Math.max(minWords, SHINGLE)) return 0;
  mins.fill(0xffffffff);
  // One hash per shingle (3 words, each already mixed): its top 6 bits pick the bin, the other 26 are the value.
  for (let i = 0; i + 3 <= n; i++) {
    const s = fmix32((Math.imul(words[i]!, 0x9e3779b1) ^ Math.imul(words[i + 1]!, 0x85ebca77) ^ words[i + 2]!) >>> 0);
    const bin = s >>> 26;
    const v = s & 0x3ffffff;
    if (v < mins[bin]!) mins[bin] = v;
  }
  // A long but repetitive text ("a a a a ...") has only a few distinct shingles: too few for a trustworthy estimate.
  let filled = 0;
  for (let b = 0; b < BINS; b++) if (mins[b] !== 0xffffffff) filled++;
  if (filled < MIN_BINS) return 0;
  // Optimal densification (Shrivastava, 2017): an empty bin copies the minimum of a non-empty bin chosen by a fixed
  // pseudo-random sequence of its own, so small sets still give 64 values that agree about as often as independent
  // MinHashes would (rotation to the next bin makes neighbouring copies agree together, and overstates similarity).
  orig.set(mins);
  for (let b = 0; b < BINS; b++) {
    if (orig[b] !== 0xffffffff) continue;
    for (let attempt = 1; attempt < 4096; attempt++) {
      const c = fmix32((Math.imul(b + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b)) >>> 0) & (BINS - 1);
      if (orig[c] !== 0xffffffff) {
        mins[b] = orig[c]!;
        break;
      }
    }
  }
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = fmix32(Math.imul(h, 31) ^ mins[b * ROWS + r]!);
    out[at + b] = h;
  }
  for (let w = 0; w < 4; w++) {
    let packed = 0;
    for (let i = 0; i < 16; i++) packed |= (mins[w * 16 + i]! & 3) << (2 * i);
    out[at + BANDS + w] = packed >>> 0;
  }
  return n;
}

/** Estimated Jaccard similarity from two packed 2-bit sketches (4 words at `a` in `x`, at `b` in `y`). */
export function similarity(x: Uint32Array, a: number, y: Uint32Array, b: number): number {
  let equal = 0;
  for (let i = 0; i < 4; i++) {
    const d = (x[a + i]! ^ y[b + i]!) >>> 0;
    // A 2-bit lane is equal when both its bits are 0 in d.
    const z = ~(d | (d >>> 1)) & 0x55555555;
    equal += popcount(z);
  }
  const m = equal / BINS;
  return Math.max(0, (m - 0.25) / 0.75);
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Hash of band `b` with key `v`, for the LSH table's home slot. */
export function bandHash(b: number, v: number): number {
  return fmix32((v ^ Math.imul(b + 1, 0x9e3779b1)) >>> 0);
}
