/**
 * The byte-level BPE engine's tables (bpe.ts) as flat typed arrays in one SharedArrayBuffer: built once per process
 * (from a tokenizer.json, or from the compact file `npm run build` writes for each shipped tokenizer), then handed
 * to worker threads by `workerData` without a copy; each thread builds its engine as views over the same memory.
 *
 * Layout (int32 units, in this order): byteToId[256], bytePair[65536] (rank of each pair of two single bytes), the
 * merge table (open addressing, `cap` slots of 4: left id, right id, rank, unused), mergedId[nMerges] (rank -> id of
 * the merged token), and, when the model sets `ignore_merges`, the vocabulary as a set of byte strings: slots[vcap]
 * (token id or -1, by FNV-1a of the bytes), offsets[maxId + 2] (token id -> its bytes in the pool), then the pool.
 * Everything is read-only after the build; the engine's mutable caches stay per thread.
 */

/** Bumped whenever the layout or its derivation changes: compact files of another format are ignored. */
export const TABLES_FORMAT = 3;

export interface BpeTables {
  /** The memory every thread reads (a SharedArrayBuffer where the runtime has one). */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly nMerges: number;
  /** Merge-table slots (a power of two). */
  readonly cap: number;
  readonly maxId: number;
  /** Longest vocabulary entry in bytes (0 without ignore_merges). */
  readonly maxLen: number;
  readonly ignoreMerges: boolean;
  /** Vocabulary-set slots (a power of two; 0 without ignore_merges). */
  readonly vcap: number;
  readonly poolBytes: number;
}

export interface TableViews {
  byteToId: Int32Array;
  bytePair: Int32Array;
  table: Int32Array;
  mergedId: Int32Array;
  slots: Int32Array;
  offsets: Int32Array;
  pool: Uint8Array;
}

export const NONE = 0x7fffffff;

/** Pair hash of the merge table (and of the engine's per-thread cache in front of it). */
export const pairHash = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;

/** FNV-1a of bytes[0..n). */
export function bytesHash(bytes: Uint8Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function sizes(t: Omit<BpeTables, "buffer">) {
  const ints = 256 + 65536 + t.cap * 4 + t.nMerges + (t.ignoreMerges ? t.vcap + t.maxId + 2 : 0);
  return { ints, bytes: ints * 4 + t.poolBytes };
}

/** Views over a tables buffer (no copy). */
export function tableViews(t: BpeTables): TableViews {
  let o = 0;
  const ints = (n: number) => {
    const v = new Int32Array(t.buffer, o * 4, n);
    o += n;
    return v;
  };
  const byteToId = ints(256);
  const bytePair = ints(65536);
  const table = ints(t.cap * 4);
  const mergedId = ints(t.nMerges);
  const slots = ints(t.ignoreMerges ? t.vcap : 0);
  const offsets = ints(t.ignoreMerges ? t.maxId + 2 : 0);
  const pool = new Uint8Array(t.buffer, o * 4, t.poolBytes);
  return { byteToId, bytePair, table, mergedId, slots, offsets, pool };
}

function allocate(shape: Omit<BpeTables, "buffer">): BpeTables {
  const { bytes } = sizes(shape);
  const buffer = typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return { ...shape, buffer };
}

/** GPT-2 byte-level alphabet: byte -> printable character. */
export function byteLevelAlphabet(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out = new Array<string>(256);
  bs.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i]!)));
  return out;
}

/** Inserts (a, b) -> rank r into the merge table; false when the pair is already there (a duplicate merge). */
function insertMerge(v: TableViews, mask: number, a: number, b: number, r: number, c: number): boolean {
  const table = v.table;
  let h = (pairHash(a, b) & mask) << 2;
  while (table[h] !== -1 && !(table[h] === a && table[h + 1] === b)) h = (h + 4) & ((mask << 2) | 3);
  if (table[h] === a && table[h + 1] === b) return false; // the first (lowest) rank wins
  table[h] = a;
  table[h + 1] = b;
  table[h + 2] = r;
  v.mergedId[r] = c;
  return true;
}

/** Rank of the pair (a, b) in the merge table, or NONE. */
export function lookupRank(v: TableViews, mask: number, a: number, b: number): number {
  const table = v.table;
  let h = (pairHash(a, b) & mask) << 2;
  for (;;) {
    const l = table[h]!;
    if (l === -1) return NONE;
    if (l === a && table[h + 1] === b) return table[h + 2]!;
    h = (h + 4) & ((mask << 2) | 3);
  }
}

/** byteToId filled: the derived parts (bytePair, the vocabulary set) from the merge table and the pool. */
function finish(t: BpeTables, v: TableViews): void {
  const mask = t.cap - 1;
  for (let x = 0; x < 256; x++)
    for (let y = 0; y < 256; y++) v.bytePair[(x << 8) | y] = lookupRank(v, mask, v.byteToId[x]!, v.byteToId[y]!);
  if (!t.ignoreMerges) return;
  v.slots.fill(-1);
  const vmask = t.vcap - 1;
  for (let id = 0; id <= t.maxId; id++) {
    const start = v.offsets[id]!;
    const n = v.offsets[id + 1]! - start;
    if (n === 0) continue;
    let h = bytesHash(v.pool.subarray(start, start + n), n) & vmask;
    while (v.slots[h] !== -1) h = (h + 1) & vmask;
    v.slots[h] = id;
  }
}

/**
 * The tables of a byte-level BPE model (`model` of a tokenizer.json), or null when the model is not one the engine
 * reproduces (a merge or a byte missing from the vocabulary, ids of 2^20 and more). As the engine always built them.
 */
export function buildTables(model: { vocab: unknown; merges: unknown; ignore_merges?: unknown }): BpeTables | null {
  const vocabObj = model.vocab as Record<string, unknown>;
  const merges = model.merges as Array<string | [string, string]>;
  if (!vocabObj || typeof vocabObj !== "object" || !Array.isArray(merges)) return null;
  const vocab = (k: string): number | undefined => {
    const v = vocabObj[k];
    return typeof v === "number" ? v : undefined;
  };
  const alphabet = byteLevelAlphabet();
  const byteOf = new Map<string, number>(alphabet.map((c, b) => [c, b]));
  const byteToId = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const id = vocab(alphabet[b]!);
    if (id === undefined) return null;
    byteToId[b] = id;
  }
  const ignoreMerges = model.ignore_merges === true;
  let maxId = 0;
  let entries = 0;
  let poolBytes = 0;
  let maxLen = 0;
  for (const k in vocabObj) {
    const id = vocabObj[k];
    if (typeof id !== "number") return null;
    if (id > maxId) maxId = id;
    if (ignoreMerges) {
      entries++;
      poolBytes += k.length; // byte-level characters are one UTF-16 unit, one byte each
    }
  }
  if (maxId >= 1 << 20) return null;
  const cap = 1 << Math.ceil(Math.log2(merges.length * 1.5 + 2)); // load factor 0.33 to 0.67
  const vcap = ignoreMerges ? 1 << Math.ceil(Math.log2(entries * 2 + 2)) : 0;
  // The pool holds entries made of byte-level characters only (the others can never equal a pre-token's bytes).
  const t = allocate({ nMerges: merges.length, cap, maxId, maxLen: 0, ignoreMerges, vcap, poolBytes });
  const v = tableViews(t);
  v.byteToId.set(byteToId);
  v.table.fill(-1);
  const mask = cap - 1;
  for (let r = 0; r < merges.length; r++) {
    const m = merges[r]!;
    let a: string, b: string;
    if (typeof m === "string") {
      const sp = m.indexOf(" ", 1);
      a = m.slice(0, sp);
      b = m.slice(sp + 1);
    } else [a, b] = m;
    const ia = vocab(a);
    const ib = vocab(b);
    const ic = vocab(a + b);
    if (ia === undefined || ib === undefined || ic === undefined) return null;
    insertMerge(v, mask, ia, ib, r, ic);
  }
  if (ignoreMerges) {
    // offsets by id (ids without an entry, or with one outside the byte-level alphabet, get an empty range)
    const lens = new Int32Array(maxId + 1);
    for (const k in vocabObj) {
      let ok = true;
      for (let i = 0; i < k.length && ok; i++) ok = byteOf.has(k[i]!);
      if (ok) lens[vocabObj[k] as number] = k.length;
    }
    let o = 0;
    for (let id = 0; id <= maxId; id++) {
      v.offsets[id] = o;
      o += lens[id]!;
      if (lens[id]! > maxLen) maxLen = lens[id]!;
    }
    v.offsets[maxId + 1] = o;
    for (const k in vocabObj) {
      const id = vocabObj[k] as number;
      if (lens[id] !== k.length) continue;
      let at = v.offsets[id]!;
      for (let i = 0; i < k.length; i++) v.pool[at++] = byteOf.get(k[i]!)!;
    }
  }
  const out: BpeTables = { ...t, maxLen };
  finish(out, v);
  return out;
}

/*
 * Compact file (`npm run build` writes one per shipped byte-level tokenizer, not compressed: it is read straight into
 * the shared buffer's arrays):
 *   "TLBPETB\n", u32 header length, header JSON (UTF-8), zero padding to a multiple of 4, then int32 arrays:
 *   byteToId[256], bytePair[65536], mergedId[nMerges], k, merges[k * 3] (left, right, rank of each merge in the
 *   table, in slot order from the slot after an empty one; format 2 had them by rank), and with ignore_merges
 *   slots[vcap], offsets[maxId + 2] and the pool.
 * The header: { format, source: { sha256 } of the tokenizer.json.gz it was made from, shape (nMerges, cap, maxId,
 * maxLen, ignoreMerges, vcap, poolBytes), tokenizer: the tokenizer.json without model.vocab and model.merges }.
 * Loading inserts the merges in that order, which puts each in the slot buildTables gave it, so the buffer is byte for
 * byte the same; only the merge table (the largest part, three quarters empty slots) is rebuilt.
 */
const MAGIC = "TLBPETB\n";

export interface CompactHeader {
  format: number;
  source: { sha256: string };
  shape: Omit<BpeTables, "buffer">;
  /** The tokenizer.json without model.vocab and model.merges (added tokens, normalizer, pre-tokenizer...). */
  tokenizer: Record<string, unknown>;
}

const shapeOf = (t: BpeTables): Omit<BpeTables, "buffer"> => ({
  nMerges: t.nMerges,
  cap: t.cap,
  maxId: t.maxId,
  maxLen: t.maxLen,
  ignoreMerges: t.ignoreMerges,
  vcap: t.vcap,
  poolBytes: t.poolBytes,
});

const bytesOf = (a: Int32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function toCompact(t: BpeTables, header: Omit<CompactHeader, "format" | "shape">): Buffer {
  const v = tableViews(t);
  const head = Buffer.from(JSON.stringify({ format: TABLES_FORMAT, ...header, shape: shapeOf(t) } satisfies CompactHeader), "utf8");
  const pad = (4 - ((MAGIC.length + 4 + head.length) % 4)) % 4;
  // The merges in the table in slot order, from the slot after an empty one: inserted in this order (linear probing),
  // each lands where it is (the occupied slots of its probe run are all inserted before it, and no run crosses the
  // empty slot), so the table is the same; and the inserts sweep the table once instead of jumping across its 8 MB
  // (Llama 3: 3 ms instead of 15-19 ms at start-up).
  let empty = 0;
  while (v.table[empty * 4] !== -1) empty++;
  const triples: number[] = [];
  for (let k = 1; k <= t.cap; k++) {
    const s = (empty + k) & (t.cap - 1);
    const a = v.table[s * 4]!;
    if (a !== -1) triples.push(a, v.table[s * 4 + 1]!, v.table[s * 4 + 2]!);
  }
  const parts: Uint8Array[] = [
    Buffer.from(MAGIC, "latin1"),
    bytesOf(Int32Array.of(head.length)),
    head,
    new Uint8Array(pad),
    bytesOf(v.byteToId),
    bytesOf(v.bytePair),
    bytesOf(v.mergedId),
    bytesOf(Int32Array.of(triples.length / 3)),
    bytesOf(Int32Array.from(triples)),
  ];
  if (t.ignoreMerges) parts.push(bytesOf(v.slots), bytesOf(v.offsets), v.pool);
  return Buffer.concat(parts);
}

/** Reads a compact file's header only (null when it is not one of this format). */
export function compactHeader(bytes: Uint8Array): { header: CompactHeader; body: number } | null {
  if (bytes.length < 12 || Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString("latin1") !== MAGIC) return null;
  const len = new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  if (12 + len > bytes.length) return null;
  let header: CompactHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, len).toString("utf8")) as CompactHeader;
  } catch {
    return null;
  }
  if (!header || header.format !== TABLES_FORMAT || !header.shape || !header.tokenizer) return null;
  return { header, body: 12 + len + ((4 - ((12 + len) % 4)) % 4) };
}

/** The tables of a compact file, or null when it is not one of this format; throws when it is truncated. */
export function fromCompact(bytes: Uint8Array): { tables: BpeTables; header: CompactHeader } | null {
  const h = compactHeader(bytes);
  if (!h) return null;
  const { header } = h;
  const s = header.shape;
  let o = h.body;
  const copy = (to: Int32Array | Uint8Array) => {
    if (o + to.byteLength > bytes.length) throw new Error("truncated tables file");
    new Uint8Array(to.buffer, to.byteOffset, to.byteLength).set(bytes.subarray(o, o + to.byteLength));
    o += to.byteLength;
  };
  const t = allocate(s);
  const v = tableViews(t);
  copy(v.byteToId);
  copy(v.bytePair);
  copy(v.mergedId);
  const count = new Int32Array(1);
  copy(count);
  const triples = new Int32Array(count[0]! * 3);
  copy(triples);
  v.table.fill(-1);
  const mask = s.cap - 1;
  const mergedId = v.mergedId;
  for (let i = 0; i < triples.length; i += 3)
    insertMerge(v, mask, triples[i]!, triples[i + 1]!, triples[i + 2]!, mergedId[triples[i + 2]!]!);
  if (s.ignoreMerges) {
    copy(v.slots);
    copy(v.offsets);
    copy(v.pool);
  }
  return { tables: t, header };
}
