/**
 * The cross-record facts a byte range keeps for the main thread, one log per rule: for each record the rule keyed,
 * its line (local to the range), its key and, for a rule with `keyWords`, its words. Kept in pages of typed arrays
 * filled in place (4 bytes a line, 8 a key, 4 a word; at most one page of slack) and handed over as they are: a
 * worker transfers the pages' buffers, never copies them, and the main thread lets each page go once it is merged.
 */

/** Facts per page: 16,384 (64 KiB of lines, 128 KiB of keys, 64 KiB per word of width). */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

export interface FactLog {
  /** How many facts. */
  count: number;
  /** Words per fact (the rule's `keyWords`; 0 without). */
  width: number;
  lines: Uint32Array[];
  keys: Float64Array[];
  /** `width` words per fact, one array per page (none when `width` is 0). */
  words: Uint32Array[];
}

export class FactWriter {
  readonly log: FactLog;
  constructor(width: number) {
    this.log = { count: 0, width, lines: [], keys: [], words: [] };
  }

  push(line: number, key: number, words: Uint32Array): void {
    const log = this.log;
    const i = log.count & (PAGE - 1);
    const p = log.count >>> PAGE_BITS;
    if (i === 0) {
      log.lines.push(new Uint32Array(PAGE));
      log.keys.push(new Float64Array(PAGE));
      if (log.width) log.words.push(new Uint32Array(PAGE * log.width));
    }
    log.lines[p]![i] = line;
    log.keys[p]![i] = key;
    const w = log.width;
    if (w) {
      const page = log.words[p]!;
      for (let k = 0, at = i * w; k < w; k++) page[at + k] = words[k]!;
    }
    log.count++;
  }
}

/** The buffers to transfer when a log is posted to another thread. */
export function factBuffers(log: FactLog): ArrayBuffer[] {
  return [...log.lines, ...log.keys, ...log.words].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Calls `each` for every fact of `log` in order, with its words copied into `words` (length `log.width`). Each page
 * is let go (dropped from the log) once its facts have been seen, so a merge never holds a log and an index whole.
 */
export function drainFacts(log: FactLog, words: Uint32Array, each: (line: number, key: number, words: Uint32Array) => void): void {
  const w = log.width;
  const pages = log.lines.length;
  for (let p = 0; p < pages; p++) {
    const lines = log.lines[p]!;
    const keys = log.keys[p]!;
    const page = w ? log.words[p]! : null;
    const n = Math.min(PAGE, log.count - p * PAGE);
    for (let i = 0; i < n; i++) {
      if (page) for (let k = 0, at = i * w; k < w; k++) words[k] = page[at + k]!;
      each(lines[i]!, keys[i]!, words);
    }
    log.lines[p] = EMPTY32;
    log.keys[p] = EMPTY64;
    if (page) log.words[p] = EMPTY32;
  }
}

const EMPTY32 = new Uint32Array(0);
const EMPTY64 = new Float64Array(0);
