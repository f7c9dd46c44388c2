/**
 * A compact index from 52-bit hashes (exact in a double) to a line number (below 2^32): open addressing with linear
 * probing over a Float64Array of keys and a Uint32Array of values, kept between 3/8 and 3/4 full. Memory: 12 bytes
 * per slot, so at most 32 bytes per stored key (16 just after the table doubles; 48 for the moment it doubles, old
 * and new table side by side), against about 130 for a Map<number, number>. Used by the duplicate rules, whose index
 * grows with the file.
 */
export class HashIndex {
  private keys: Float64Array;
  private values: Uint32Array;
  private mask: number;
  private count = 0;
  /** The key 0 marks an empty slot: a real 0 is stored apart. */
  private zero: number | undefined;

  constructor(initialSlots = 1024) {
    let n = 16;
    while (n < initialSlots) n *= 2;
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    this.mask = n - 1;
  }

  get size(): number {
    return this.count + (this.zero === undefined ? 0 : 1);
  }

  /** Bytes held by the table (what the docs' bound is about). */
  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  private slot(key: number): number {
    // Mix both halves: a key need not be uniform in its low bits (clustering makes linear probing quadratic).
    let h = Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & this.mask;
  }

  get(key: number): number | undefined {
    if (key === 0) return this.zero;
    let i = this.slot(key);
    for (;;) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i];
      if (k === 0) return undefined;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `value` for `key` unless the key is there; returns the value stored first (undefined when new). */
  setIfAbsent(key: number, value: number): number | undefined {
    if (key === 0) {
      if (this.zero !== undefined) return this.zero;
      this.zero = value;
      return undefined;
    }
    let i = this.slot(key);
    for (;;) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i];
      if (k === 0) break;
      i = (i + 1) & this.mask;
    }
    this.keys[i] = key;
    this.values[i] = value;
    if (++this.count * 4 > this.keys.length * 3) this.grow();
    return undefined;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const n = oldKeys.length * 2;
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    this.mask = n - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!;
      if (k === 0) continue;
      let i = this.slot(k);
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.values[i] = oldValues[j]!;
    }
  }
}
