/**
 * Compact indexes for cross-record rules, in typed arrays (no JS objects per record, so memory is stated and bounded):
 *
 * - `Paged32` / `Paged16`: dense per-entry values (entry = line number, or a run-wide sequence number), in pages of
 *   65,536 entries allocated as entries arrive, each starting at 256 and doubling (4 / 2 bytes per entry, at most
 *   one page of slack; a small file's index stays a few KB).
 * - `EntryTable`: an open-addressing hash table that stores only entry numbers (4 bytes a slot, 0 = empty), kept at
 *   most 3/4 full and grown by half when it gets there (so 5.3 to 8 bytes per entry). Equality is decided by the
 *   owner from its dense data; the table asks the owner for an entry's hash when it grows.
 * - `NearIndex`: the near-duplicate index built from both (36 bytes dense and 4 table slots per entry with a sketch:
 *   57 to 68 bytes, about 62 on average; a short text: 36 bytes dense and 1 slot).
 */
import { BANDS, bandHash, similarity } from "./minhash.js";

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
const MASK = PAGE - 1;
/** Entries a page holds when first allocated; it doubles as entries arrive, up to PAGE (a small file's index stays small). */
const FIRST_PAGE = 256;

/** Entries a page must hold for local index `i`: the next power of two from FIRST_PAGE, at most PAGE. */
function pageFor(i: number): number {
  let n = FIRST_PAGE;
  while (n <= i) n *= 2;
  return n;
}

type Page = Uint16Array | Uint32Array;

/** Page `k` of `pages` made to hold `size` values (a new page, or the old one copied into a larger one). */
function growPage<A extends Page>(pages: A[], k: number, size: number, make: (size: number) => A): A {
  while (pages.length < k) pages.push(undefined as unknown as A);
  const old = pages[k];
  const p = make(size);
  if (old) p.set(old);
  pages[k] = p;
  return p;
}

function pageBytes(pages: readonly (Page | undefined)[]): number {
  let n = 0;
  for (const p of pages) if (p) n += p.byteLength;
  return n;
}

const u32 = (n: number) => new Uint32Array(n);
const u16 = (n: number) => new Uint16Array(n);

export class Paged32 {
  private readonly pages: Uint32Array[] = [];
  constructor(private readonly width = 1) {}
  get(entry: number, i = 0): number {
    const p = this.pages[entry >>> PAGE_BITS];
    return p ? (p[(entry & MASK) * this.width + i] ?? 0) : 0;
  }
  set(entry: number, v: number, i = 0): void {
    const k = entry >>> PAGE_BITS;
    const at = (entry & MASK) * this.width + i;
    let p = this.pages[k];
    if (!p || at >= p.length) p = growPage(this.pages, k, pageFor(entry & MASK) * this.width, u32);
    p[at] = v;
  }
  /** The page holding an entry's `width` values (read them from `offset(entry)`); undefined when never set. */
  page(entry: number): Uint32Array | undefined {
    return this.pages[entry >>> PAGE_BITS];
  }
  offset(entry: number): number {
    return (entry & MASK) * this.width;
  }
  bytes(): number {
    return pageBytes(this.pages);
  }
}

export class Paged16 {
  private readonly pages: Uint16Array[] = [];
  get(entry: number): number {
    const p = this.pages[entry >>> PAGE_BITS];
    return p ? (p[entry & MASK] ?? 0) : 0;
  }
  set(entry: number, v: number): void {
    const k = entry >>> PAGE_BITS;
    const at = entry & MASK;
    let p = this.pages[k];
    if (!p || at >= p.length) p = growPage(this.pages, k, pageFor(at), u16);
    p[at] = v;
  }
  bytes(): number {
    return pageBytes(this.pages);
  }
}

/** Open addressing (linear probing) over entry numbers; see the module comment. */
export class EntryTable {
  private slots: Uint32Array;
  private count = 0;
  /** `hashOf(entry)` must return the 32-bit hash the entry was inserted with (used when the table grows). */
  constructor(
    private readonly hashOf: (entry: number) => number,
    initialSlots = 1024,
  ) {
    this.slots = new Uint32Array(initialSlots);
  }

  // Home slot: the hash scaled to the capacity (any capacity, so the table can grow by half, not double).
  private home(h: number): number {
    return Math.floor(((h >>> 0) * this.slots.length) / 4294967296);
  }

  /**
   * Visits the entries inserted with hash `h` (and a few others sharing its probe run) until `visit` returns true;
   * returns that entry or 0. The order is deterministic (the same inserts give the same order) but not by age.
   */
  find(h: number, visit: (entry: number) => boolean): number {
    const s = this.slots;
    const n = s.length;
    for (let i = this.home(h); ; i = i + 1 === n ? 0 : i + 1) {
      const e = s[i]!;
      if (e === 0) return 0;
      if (visit(e)) return e;
    }
  }

  insert(h: number, entry: number): void {
    if ((this.count + 1) * 4 > this.slots.length * 3) this.grow();
    this.place(h, entry);
    this.count++;
  }

  private place(h: number, entry: number): void {
    const s = this.slots;
    const n = s.length;
    let i = this.home(h);
    while (s[i] !== 0) i = i + 1 === n ? 0 : i + 1;
    s[i] = entry;
  }

  private grow(): void {
    const old = this.slots;
    // Grow by half: the table is 1/2 to 3/4 full (5.3 to 8 bytes per entry, about 6.4 on average).
    this.slots = new Uint32Array(Math.ceil(old.length * 1.5));
    const entries = new Uint32Array(this.count);
    let k = 0;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) entries[k++] = old[i]!;
    // Slot order, not age order: finders take the earliest match themselves (the order only needs to be the same in
    // every run, which it is: the same inserts give the same table).
    for (const e of entries) this.place(this.hashOf(e), e);
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.slots.byteLength;
  }
}

/**
 * Fingerprint words of one example, as `key` writes them:
 * [normHi, normLo, flags, band keys x 4, 2-bit sketch x 4]. flags: bits 0-10 the raw line's hash, bit 16 HAS_SKETCH.
 */
export const FP_WORDS = 11;
export const HAS_SKETCH = 0x10000;

export interface NearMatch {
  entry: number;
  /** "exact": the same line bytes; "normalized": the same text after normalisation; "near": Jaccard >= threshold. */
  kind: "exact" | "normalized" | "near";
  similarity: number;
}

/** How many entries with the same band key are compared at most (bounds the work on heavily repeated data). */
const MAX_PER_BAND = 16;

/**
 * Per entry, dense: one word packing 20 more bits of the normalised-text hash, 11 bits of the raw line's hash and
 * the has-sketch bit; the 4 band keys (for a short text: band 0 holds the normalised-text hash); the 2-bit sketch
 * (4 words). In the LSH table: one slot per band (one for a short text), tagged (entry << 2 | band).
 */
export class NearIndex {
  private readonly meta = new Paged32();
  private readonly keys = new Paged32(BANDS);
  private readonly bits = new Paged32(4);
  private readonly table = new EntryTable((tagged) => bandHash(tagged & 3, this.keys.get(tagged >>> 2, tagged & 3)));
  private entries = 0;
  /**
   * The bands where the last `match` met MAX_PER_BAND entries with the fingerprint's key (bit b), for that fingerprint:
   * `add` leaves the entry out of those bands. A search stops at that many, so an entry beyond them would never be
   * visited there; left out, it no longer lengthens the probe run every later insert and search of that key walks
   * (thousands of near-copies sharing a band key made inserting quadratic).
   */
  private fullBands = 0;
  private fullFor: Uint32Array | null = null;

  private static metaOf(fp: Uint32Array): number {
    return ((fp[1]! & 0xfffff000) | ((fp[2]! & 0x7ff) << 1) | (fp[2]! & HAS_SKETCH ? 1 : 0)) >>> 0;
  }

  /**
   * The earliest entry that says the same (normalised text; "exact" when the raw line hash agrees too), else the
   * earliest entry sharing an LSH band whose estimated Jaccard similarity is at least `threshold`; null if none.
   */
  match(fp: Uint32Array, threshold: number): NearMatch | null {
    const meta = NearIndex.metaOf(fp);
    const long = (meta & 1) === 1;
    let same = 0;
    let near = 0;
    let nearSim = 0;
    const bands = long ? BANDS : 1;
    let full = 0;
    for (let b = 0; b < bands; b++) {
      const key = long ? fp[3 + b]! : fp[0]!;
      let seen = 0;
      this.table.find(bandHash(b, key), (tagged) => {
        if ((tagged & 3) !== b) return false;
        const e = tagged >>> 2;
        const kp = this.keys.page(e)!;
        const ko = this.keys.offset(e);
        if (kp[ko + b] !== key) return false;
        const m = this.meta.get(e);
        if ((m & 1) !== (meta & 1)) return false;
        if (++seen > MAX_PER_BAND) {
          full |= 1 << b;
          return true;
        }
        if ((m & 0xfffff000) === (meta & 0xfffff000)) {
          let all = true;
          if (long) for (let i = 0; i < BANDS; i++) if (kp[ko + i] !== fp[3 + i]) all = false;
          if (all) {
            if (same === 0 || e < same) same = e;
            return true;
          }
        }
        if (!long || (near !== 0 && e >= near)) return false;
        const sim = similarity(this.bits.page(e)!, this.bits.offset(e), fp, 3 + BANDS);
        if (sim >= threshold) {
          near = e;
          nearSim = sim;
        }
        return false;
      });
    }
    this.fullBands = full;
    this.fullFor = fp;
    if (same) {
      const raw = (this.meta.get(same) >>> 1) & 0x7ff;
      return { entry: same, kind: raw === (fp[2]! & 0x7ff) ? "exact" : "normalized", similarity: 1 };
    }
    return near ? { entry: near, kind: "near", similarity: nearSim } : null;
  }

  /**
   * Adds an entry (numbers increase, start at 1, below 2^30), right after `match` of the same fingerprint, and only
   * when it found no same text.
   */
  add(entry: number, fp: Uint32Array): void {
    const meta = NearIndex.metaOf(fp);
    this.meta.set(entry, meta);
    this.entries++;
    const full = this.fullFor === fp ? this.fullBands : 0;
    this.fullFor = null;
    if (!(meta & 1)) {
      this.keys.set(entry, fp[0]!, 0);
      if (!(full & 1)) this.table.insert(bandHash(0, fp[0]!), entry << 2);
      return;
    }
    for (let b = 0; b < BANDS; b++) {
      this.keys.set(entry, fp[3 + b]!, b);
      if (!(full & (1 << b))) this.table.insert(bandHash(b, fp[3 + b]!), (entry << 2) | b);
    }
    for (let i = 0; i < 4; i++) this.bits.set(entry, fp[3 + BANDS + i]!, i);
  }

  /** Entries added. */
  get size(): number {
    return this.entries;
  }

  /** Band slots held in the table (at most MAX_PER_BAND + 1 entries per band key). */
  get slots(): number {
    return this.table.size;
  }

  bytes(): number {
    return this.meta.bytes() + this.keys.bytes() + this.bits.bytes() + this.table.bytes();
  }
}
