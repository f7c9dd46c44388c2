/**
 * Count-only byte-level BPE engine (Llama 3.x, Qwen 2.5/3, DeepSeek V3/R1, gpt-oss/o200k).
 *
 * Same pipeline as the Hugging Face Rust tokenizer on the same tokenizer.json, reduced to what a count needs:
 * 1. split the text at added tokens (leftmost-longest, as HF's AddedVocabulary: tokens with `normalized: false` are
 *    matched on the raw text first, then `normalized: true` ones on the normalized remainder);
 * 2. normalize each remaining segment (NFC for Qwen; none otherwise);
 * 3. pre-tokenize with the family's Split regex(es), translated to a JavaScript `u` regex with the same classes
 *    (Oniguruma's `\s` is Unicode White_Space, JavaScript's is not: U+0085 and U+FEFF differ);
 * 4. BPE each pre-token on its UTF-8 bytes by merge rank (lowest rank, leftmost first, as HF), or 1 token when the
 *    pre-token is itself in the vocabulary and the model sets `ignore_merges`.
 * No id arrays are kept: a pre-token is reduced to its token count. Two bounded caches (two-generation LRU, so memory
 * stays flat whatever the file size): pre-token -> count, and segment between added tokens -> count (exact: pre-
 * tokenization never crosses an added token; it catches the same system prompt on every line).
 *
 * Only configurations verified against the Rust reference are claimed (`createFastEngine` returns null otherwise, and
 * the caller keeps the reference engine): see KNOWN_SPLITS and test/tokens/parity.test.ts.
 */
import type { Engine } from "./types.js";
import { specialTokensOf } from "./added-tokens.js";
import { LLAMA3_SPLIT, QWEN_SPLIT, splitLlamaStyle } from "./pretokenize.js";
import { buildTables, bytesHash, NONE, pairHash, tableViews, type BpeTables } from "./bpe-tables.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Oniguruma (Ruby syntax, UTF-8) `\s` = White_Space; `(?i:...)` folds `s` with U+017F LONG S. */
export function translate(hf: string): string {
  let s = hf.replaceAll("(?i:'s|'t|'re|'ve|'m|'ll|'d)", "(?:'[sS\u017f]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])");
  if (s.includes("(?i")) throw new Error("unsupported inline flag");
  s = s.replace(/\\s/g, "\\p{White_Space}").replace(/\\S/g, "\\P{White_Space}");
  return s;
}

/** Pre-tokenizer regexes verified by the parity test (HF source -> exactness checked against Rust). */
export const KNOWN_SPLITS = new Set<string>([
  // Llama 3.x
  LLAMA3_SPLIT,
  // Qwen 2.5 / 3
  QWEN_SPLIT,
  // DeepSeek V3 (three Split steps)
  "\\p{N}{1,3}",
  "[一-龥぀-ゟ゠-ヿ]+",
  "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
  // gpt-oss / o200k
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
]);

/** The regex ByteLevel applies itself when `use_regex` is true (HF tokenizers' byte_level.rs). */
export const GPT2_SPLIT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

const CATEGORIES = new Set(
  "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Co Cn".split(" "),
);

/**
 * Whether an Oniguruma pre-tokenizer regex means the same as its translation to a JavaScript `u` regex: only
 * constructs whose semantics agree are allowed (literals; escapes \r \n \t \f \v \s \S and of syntax characters;
 * \p{..}/\P{..} general categories; classes with ranges and negation; groups (?: (?= (?!; quantifiers ? * + {n,m},
 * lazy or not; alternation; the contraction group (?i:'s|...)). Refused: . ^ $ (line semantics differ), \d \w \b
 * \h \A \z \X \R \K, scripts (\p{Han}), possessive quantifiers, look-behind, named groups, nested classes and
 * intersections, back-references. Exactness on the accepted ones is checked against the Rust reference in
 * test/tokens/fast-parity.test.ts (the shipped regexes, GPT-2's, and others).
 */
export function sameInJavaScript(re: string): boolean {
  const src = re.replaceAll("(?i:'s|'t|'re|'ve|'m|'ll|'d)", "(?:C)");
  if (src.includes("(?i")) return false;
  const syntax = "\\^$.|?*+()[]{}/-";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "\\") {
      const n = src[i + 1];
      if (n === undefined) return false;
      if (n === "p" || n === "P") {
        const m = /^\{([A-Za-z]+)\}/.exec(src.slice(i + 2));
        if (!m || !CATEGORIES.has(m[1]!)) return false;
        i += 1 + m[0].length;
        continue;
      }
      if ("rntfvsS".includes(n) || syntax.includes(n)) {
        i++;
        continue;
      }
      return false;
    }
    if (inClass) {
      if (ch === "[" || (ch === "&" && src[i + 1] === "&")) return false;
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      if (src[i + 1] === "^") i++;
      if (src[i + 1] === "]") return false;
      continue;
    }
    if (ch === "." || ch === "^" || ch === "$") return false;
    if (ch === "(") {
      if (src[i + 1] === "?") {
        const g = src.slice(i + 2, i + 3);
        if (g !== ":" && g !== "=" && g !== "!") return false;
        i += 2;
      }
      continue;
    }
    if (ch === "*" || ch === "+" || ch === "?" || ch === "}") {
      if (src[i + 1] === "+") return false; // possessive
      continue;
    }
    if (ch === "{") {
      const m = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
      if (!m) return false;
      i += m[0].length - 1;
      if (src[i + 1] === "+") return false;
      continue;
    }
  }
  if (inClass) return false;
  try {
    new RegExp(translate(re), "u");
  } catch {
    return false;
  }
  return true;
}

/**
 * A copy of `s` that does not keep the string it was sliced from alive. V8 makes a slice of 13 or more characters a
 * view into its parent: a cached pre-token or segment would otherwise keep the whole rendered record it came from
 * (kilobytes) in memory for as long as it stays cached.
 */
function own(s: string): string {
  return (" " + s).slice(1);
}

/** Bounded map: two generations; a hit in the old one is promoted; when the current one is full it becomes the old one. */
class TwoGen<V> {
  private cur = new Map<string, V>();
  private old = new Map<string, V>();
  private weight = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Infinity,
  ) {}
  get(k: string): V | undefined {
    const v = this.cur.get(k);
    if (v !== undefined) return v;
    const o = this.old.get(k);
    if (o !== undefined) this.set(k, o, k.length);
    return o;
  }
  set(k: string, v: V, w = 0): void {
    if (this.cur.size >= this.maxEntries || this.weight + w > this.maxWeight) {
      this.old = this.cur;
      this.cur = new Map();
      this.weight = 0;
    }
    this.cur.set(k, v);
    this.weight += w;
  }
  get size(): number {
    return this.cur.size + this.old.size;
  }
}

interface AddedMatcher {
  /** content -> true, and the distinct lengths, longest first, per first UTF-16 unit. */
  set: Set<string>;
  lengths: Map<number, number[]>;
  /** finds the next position holding a possible first unit */
  first: RegExp;
}

function makeMatcher(contents: string[]): AddedMatcher | null {
  if (contents.length === 0) return null;
  const set = new Set(contents);
  const lengths = new Map<number, number[]>();
  for (const c of set) {
    const k = c.charCodeAt(0);
    const l = lengths.get(k) ?? [];
    if (!l.includes(c.length)) l.push(c.length);
    lengths.set(k, l);
  }
  for (const l of lengths.values()) l.sort((a, b) => b - a);
  const cls = [...lengths.keys()].map((c) => "\\u" + c.toString(16).padStart(4, "0")).join("");
  return { set, lengths, first: new RegExp(`[${cls}]`, "g") };
}

/** Calls `gap(text)` for each stretch between added tokens; returns the number of added tokens found. */
function splitAdded(text: string, m: AddedMatcher | null, gap: (s: string) => void): number {
  if (!m) {
    if (text.length) gap(text);
    return 0;
  }
  let n = 0;
  let start = 0;
  const len = text.length;
  const re = m.first;
  re.lastIndex = 0;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    const ls = m.lengths.get(text.charCodeAt(i))!;
    for (const l of ls) {
      if (i + l > len) continue;
      const s = text.substr(i, l);
      if (m.set.has(s)) {
        if (i > start) gap(text.slice(start, i));
        n++;
        start = i + l;
        re.lastIndex = start;
        break;
      }
    }
  }
  if (start < len) gap(start === 0 ? text : text.slice(start));
  return n;
}

export interface FastEngine extends Engine {
  readonly kind: "fast-bpe";
  /** What worker threads need to build the same engine without the tokenizer.json. */
  readonly tables: SharedBpe;
  stats(): { words: number; segments: number };
}

/**
 * What the engine needs of a tokenizer.json besides its vocabulary and merges (plain data: it goes to worker threads
 * with the shared tables), or null when the configuration is not one this engine reproduces exactly.
 */
export interface FastConfig {
  nfc: boolean;
  /** The Split regexes (Hugging Face syntax), in order; ByteLevel's own GPT-2 split last when it has one. */
  splits: string[];
  /** Tokens add_special_tokens=True adds (the post-processor's). */
  addedSpecials: number;
  /** Added tokens matched on the raw text (`normalized: false`), and on the normalized text. */
  raw: string[];
  normalized: string[];
  specialTokens: readonly string[];
}

export function fastConfig(json: Json): FastConfig | null {
  const model = json.model;
  if (!model || model.type !== "BPE" || model.dropout != null || model.byte_fallback) return null;
  if (model.continuing_subword_prefix || model.end_of_word_suffix) return null;
  // normalizer
  let nfc = false;
  const norm = json.normalizer;
  if (norm != null) {
    if (norm.type === "NFC") nfc = true;
    else if (!(norm.type === "Sequence" && Array.isArray(norm.normalizers) && norm.normalizers.length === 0)) return null;
  }
  // pre-tokenizer: Sequence of Split(Regex, Isolated) + ByteLevel(use_regex false, no prefix space)
  const pre = json.pre_tokenizer;
  if (!pre) return null;
  const preSteps: Json[] = pre.type === "Sequence" ? pre.pretokenizers : [pre];
  const splits: string[] = [];
  let byteLevel = false;
  for (const p of preSteps) {
    if (p.type === "Split") {
      if (byteLevel || p.behavior !== "Isolated" || p.invert || typeof p.pattern?.Regex !== "string") return null;
      const re = p.pattern.Regex as string;
      if (!KNOWN_SPLITS.has(re) && !sameInJavaScript(re)) return null;
      splits.push(re);
    } else if (p.type === "ByteLevel") {
      if (p.add_prefix_space || byteLevel) return null;
      // use_regex: ByteLevel splits with the GPT-2 regex itself (after any Split step)
      if (p.use_regex !== false) splits.push(GPT2_SPLIT);
      byteLevel = true;
    } else return null;
  }
  if (!byteLevel || splits.length === 0) return null;
  // post-processor: what add_special_tokens=True adds
  let addedSpecials = 0;
  const post = json.post_processor;
  if (post != null) {
    if (post.type === "ByteLevel") addedSpecials = 0;
    else if (post.type === "TemplateProcessing" && Array.isArray(post.single))
      addedSpecials = post.single.filter((x: Json) => x.SpecialToken).length;
    else if (post.type === "Sequence" && Array.isArray(post.processors)) {
      for (const q of post.processors as Json[]) {
        if (q.type === "ByteLevel") continue;
        if (q.type === "TemplateProcessing" && Array.isArray(q.single))
          addedSpecials += q.single.filter((x: Json) => x.SpecialToken).length;
        else return null;
      }
    } else return null;
  }
  // added tokens
  const raw: string[] = [];
  const normalized: string[] = [];
  for (const t of (json.added_tokens ?? []) as Json[]) {
    if (t.lstrip || t.rstrip || t.single_word) return null;
    if (typeof t.content !== "string" || t.content.length === 0) return null;
    (t.normalized ? normalized : raw).push(t.content);
  }
  if (nfc && normalized.length) return null;
  return { nfc, splits, addedSpecials, raw, normalized, specialTokens: specialTokensOf(json) };
}

/** A tokenizer as worker threads receive it: its configuration and its tables (shared memory, not copied). */
export interface SharedBpe {
  config: FastConfig;
  tables: BpeTables;
}

/** The configuration and tables of a tokenizer.json, or null when the fast engine does not reproduce it. */
export function compileBpe(json: Json): SharedBpe | null {
  const config = fastConfig(json);
  if (!config) return null;
  const tables = buildTables(json.model);
  return tables ? { config, tables } : null;
}

/**
 * Builds the count-only engine for a tokenizer.json, or returns null when the configuration is not one this engine
 * reproduces exactly (the caller then keeps the reference engine).
 */
export function createFastEngine(
  json: Json,
  reference: () => Engine,
  opts: { wordCache?: number; segmentChars?: number } = {},
): FastEngine | null {
  const c = compileBpe(json);
  return c ? fastEngineOver(c, reference, opts) : null;
}

/**
 * The engine over shared tables: typed-array views (no copy) and this thread's own caches. Building it costs about
 * a millisecond (the regexes, the added-token matchers), whatever the size of the vocabulary.
 */
export function fastEngineOver(
  shared: SharedBpe,
  reference: () => Engine,
  opts: { wordCache?: number; segmentChars?: number } = {},
): FastEngine {
  const { config, tables } = shared;
  const { nfc, addedSpecials } = config;
  const steps = config.splits.map((re) => new RegExp(translate(re), "gu"));
  const sticky = config.splits.map((re) => new RegExp(translate(re), "yu"));
  const rawM = makeMatcher(config.raw);
  const normM = makeMatcher(config.normalized);
  const { byteToId, bytePair, table, mergedId, slots, offsets, pool } = tableViews(tables);
  const ignoreMerges = tables.ignoreMerges;
  const maxLen = tables.maxLen;
  const vmask = tables.vcap - 1;
  /** Whether bytes utf8[0..n) are a vocabulary entry. */
  const inVocab = (n: number): boolean => {
    let h = bytesHash(utf8, n) & vmask;
    for (;;) {
      const id = slots[h]!;
      if (id === -1) return false;
      const start = offsets[id]!;
      if (offsets[id + 1]! - start === n) {
        let i = 0;
        while (i < n && pool[start + i] === utf8[i]) i++;
        if (i === n) return true;
      }
      h = (h + 1) & vmask;
    }
  };
  const mask = tables.cap - 1;
  const hash = pairHash;
  // a small direct-mapped cache in front of the table (which is megabytes: each probe there is a cache miss)
  const HOT = 1 << 13;
  const hot = new Int32Array(HOT * 4).fill(-1);
  const rank = (a: number, b: number): number => {
    const x = hash(a, b);
    const c = (x & (HOT - 1)) << 2;
    if (hot[c] === a && hot[c + 1] === b) return hot[c + 2]!;
    let h = (x & mask) << 2;
    let r = NONE;
    for (;;) {
      const l = table[h]!;
      if (l === -1) break;
      if (l === a && table[h + 1] === b) {
        r = table[h + 2]!;
        break;
      }
      h = (h + 4) & ((mask << 2) | 3);
    }
    hot[c] = a;
    hot[c + 1] = b;
    hot[c + 2] = r;
    return r;
  };

  // scratch buffers
  let sym = new Int32Array(256);
  let utf8 = new Uint8Array(1024);
  const encoder = new TextEncoder();

  /** BPE on the UTF-8 bytes of one pre-token; returns the token count. */
  function bpeCount(word: string): number {
    if (word.length * 3 > utf8.length) utf8 = new Uint8Array(word.length * 3 + 16);
    const n = encoder.encodeInto(word, utf8).written;
    if (n === 1) return 1;
    // ignore_merges: a pre-token that is itself in the vocabulary is one token
    if (ignoreMerges && n <= maxLen && inVocab(n)) return 1;
    if (n > sym.length) sym = new Int32Array(n * 2);
    for (let i = 0; i < n; i++) sym[i] = byteToId[utf8[i]!]!;
    return n <= 48 ? mergeSmall(n) : mergeLarge(n);
  }

  let ranks = new Int32Array(256);
  /** tiktoken's layout: pair ranks kept in an array, two recomputed per merge; lowest rank, leftmost first. */
  function mergeSmall(n: number): number {
    if (ranks.length < n) ranks = new Int32Array(sym.length);
    let len = n;
    for (let i = 0; i < len - 1; i++) ranks[i] = bytePair[(utf8[i]! << 8) | utf8[i + 1]!]!;
    ranks[len - 1] = NONE;
    for (;;) {
      let best = NONE;
      let at = -1;
      for (let i = 0; i < len - 1; i++) {
        if (ranks[i]! < best) {
          best = ranks[i]!;
          at = i;
        }
      }
      if (at < 0) return len;
      sym[at] = mergedId[best]!;
      sym.copyWithin(at + 1, at + 2, len);
      ranks.copyWithin(at + 1, at + 2, len);
      len--;
      ranks[at] = at + 1 < len ? rank(sym[at]!, sym[at + 1]!) : NONE;
      if (at > 0) ranks[at - 1] = rank(sym[at - 1]!, sym[at]!);
    }
  }

  // scratch for mergeLarge (grown on demand, never shrunk: bounded by the longest pre-token seen)
  let hId = new Int32Array(0);
  let hNext = new Int32Array(0);
  let hPrev = new Int32Array(0);
  let hRank = new Int32Array(0);
  let heap = new Float64Array(0);
  let initial = new Float64Array(0);
  const P = 2 ** 26;

  /**
   * Merges by (rank, position) over a linked list of symbols, as the Rust implementation does: O(n log n) for long
   * pre-tokens (a CJK sentence without punctuation is one pre-token for Llama 3). The pairs present at the start are
   * sorted once (native typed-array sort); pairs created by merges go to a binary heap; each step takes the smaller of
   * the two heads. hRank[i] = rank of the pair that starts at i, so stale entries are recognised without a lookup.
   */
  function mergeLarge(n: number): number {
    if (n >= P) return mergeSmall(n);
    // keys (rank, position) fit in a positive int32 for most words: integer heap
    const shift = 32 - Math.clz32(n - 1);
    if (mergedId.length * 2 ** shift < 2 ** 31) return mergeLargeInt(n, shift);
    if (hId.length < n) {
      hId = new Int32Array(n);
      hNext = new Int32Array(n);
      hPrev = new Int32Array(n);
      hRank = new Int32Array(n);
      heap = new Float64Array(2 * n);
      initial = new Float64Array(n);
    }
    let size = 0;
    const push = (k: number) => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= k) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = k;
    };
    let m = 0;
    for (let i = 0; i < n; i++) {
      hId[i] = sym[i]!;
      hPrev[i] = i - 1;
      hNext[i] = i + 1 < n ? i + 1 : -1;
      const r = i + 1 < n ? bytePair[(utf8[i]! << 8) | utf8[i + 1]!]! : NONE;
      hRank[i] = r;
      if (r !== NONE) initial[m++] = r * P + i;
    }
    const sorted = initial.subarray(0, m).sort();
    let next = 0;
    let count = n;
    while (next < m || size > 0) {
      let k: number;
      if (size === 0 || (next < m && sorted[next]! < heap[0]!)) k = sorted[next++]!;
      else {
        k = heap[0]!;
        const last = heap[--size]!;
        if (size > 0) {
          let i = 0;
          for (;;) {
            let c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && heap[c + 1]! < heap[c]!) c++;
            if (heap[c]! >= last) break;
            heap[i] = heap[c]!;
            i = c;
          }
          heap[i] = last;
        }
      }
      const r = Math.floor(k / P);
      const i = k - r * P;
      if (hRank[i] !== r) continue; // stale (or merged away: its rank is NONE)
      const j = hNext[i]!;
      hId[i] = mergedId[r]!;
      hRank[j] = NONE;
      const nj = hNext[j]!;
      hNext[i] = nj;
      if (nj >= 0) hPrev[nj] = i;
      count--;
      const pi = hPrev[i]!;
      if (pi >= 0) {
        const r2 = rank(hId[pi]!, hId[i]!);
        hRank[pi] = r2;
        if (r2 !== NONE) push(r2 * P + pi);
      }
      const r3 = nj >= 0 ? rank(hId[i]!, hId[nj]!) : NONE;
      hRank[i] = r3;
      if (r3 !== NONE) push(r3 * P + i);
    }
    return count;
  }

  let iHeap = new Int32Array(0);
  let iInitial = new Int32Array(0);
  /** mergeLarge with (rank << shift | position) keys in int32 arrays. */
  function mergeLargeInt(n: number, shift: number): number {
    if (hId.length < n) {
      hId = new Int32Array(n);
      hNext = new Int32Array(n);
      hPrev = new Int32Array(n);
      hRank = new Int32Array(n);
    }
    if (iHeap.length < 2 * n) {
      iHeap = new Int32Array(2 * n);
      iInitial = new Int32Array(n);
    }
    const heap = iHeap;
    const low = (1 << shift) - 1;
    let size = 0;
    const push = (k: number) => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= k) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = k;
    };
    let m = 0;
    for (let i = 0; i < n; i++) {
      hId[i] = sym[i]!;
      hPrev[i] = i - 1;
      hNext[i] = i + 1 < n ? i + 1 : -1;
      const r = i + 1 < n ? bytePair[(utf8[i]! << 8) | utf8[i + 1]!]! : NONE;
      hRank[i] = r;
      if (r !== NONE) iInitial[m++] = (r << shift) | i;
    }
    const sorted = iInitial.subarray(0, m).sort();
    let next = 0;
    let count = n;
    while (next < m || size > 0) {
      let k: number;
      if (size === 0 || (next < m && sorted[next]! < heap[0]!)) k = sorted[next++]!;
      else {
        k = heap[0]!;
        const last = heap[--size]!;
        if (size > 0) {
          let i = 0;
          for (;;) {
            let c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && heap[c + 1]! < heap[c]!) c++;
            if (heap[c]! >= last) break;
            heap[i] = heap[c]!;
            i = c;
          }
          heap[i] = last;
        }
      }
      const r = k >>> shift;
      const i = k & low;
      if (hRank[i] !== r) continue; // stale (or merged away: its rank is NONE)
      const j = hNext[i]!;
      hId[i] = mergedId[r]!;
      hRank[j] = NONE;
      const nj = hNext[j]!;
      hNext[i] = nj;
      if (nj >= 0) hPrev[nj] = i;
      count--;
      const pi = hPrev[i]!;
      if (pi >= 0) {
        const r2 = rank(hId[pi]!, hId[i]!);
        hRank[pi] = r2;
        if (r2 !== NONE) push((r2 << shift) | pi);
      }
      const r3 = nj >= 0 ? rank(hId[i]!, hId[nj]!) : NONE;
      hRank[i] = r3;
      if (r3 !== NONE) push((r3 << shift) | i);
    }
    return count;
  }

  // Bounds (per generation; two generations at most): 50,000 pre-tokens of up to 64 UTF-16 units (at most 3.2 M
  // units), 1 M units of segments. A few tens of MB at most, whatever the file size.
  const words = new TwoGen<number>(opts.wordCache ?? 50_000);
  const segments = new TwoGen<number>(4096, opts.segmentChars ?? 1_000_000);
  // Segments of the last records, as sliced (no copy), with the record they were counted in: most segment hits are a
  // record's own messages counted again in the renders of its trained spans and prompt, a few (system prompts,
  // instructions) repeat across records. Only the latter are copied into `segments`: copying every segment there (35 M
  // units on a 50 MB chat file) made each one a long-lived string, promoted out of the young generation and left as
  // old-generation garbage. The recent ones die young (with the rendered text they are slices of). A slice keeps its
  // whole text alive: the first segment of each text is weighed by the text's length, so that a generation keeps at
  // most about 256 K units of texts (a 40-unit question beside a megabyte document must not keep the document).
  const recent = new TwoGen<number>(4096, 262_144);
  let record = 0;
  /** Length of the text being counted, until one of its segments is in `recent` (then 0). */
  let uncharged = 0;

  function countWord(w: string): number {
    if (w.length > 64) return bpeCount(w); // long pre-tokens rarely repeat: not worth their memory
    let c = words.get(w);
    if (c === undefined) {
      c = bpeCount(w);
      words.set(w.length >= 13 ? own(w) : w, c);
    }
    return c;
  }

  /**
   * Pieces of `s` for one Split step: the matches and the stretches between them (Isolated). The sticky regex
   * matches at the current position without allocating a match array; the global one finds the next match after a
   * stretch no alternative matches (DeepSeek's third step leaves digits to the first).
   */
  function preTokenize(s: string, step: number): number {
    const re = sticky[step]!;
    const last = step === steps.length - 1;
    const len = s.length;
    let n = 0;
    let pos = 0;
    while (pos < len) {
      re.lastIndex = pos;
      if (re.test(s) && re.lastIndex > pos) {
        const end = re.lastIndex;
        const w = pos === 0 && end === len ? s : s.slice(pos, end);
        n += last ? countWord(w) : preTokenize(w, step + 1);
        pos = end;
        continue;
      }
      const g = steps[step]!;
      g.lastIndex = pos;
      const m = g.exec(s);
      // (no verified regex matches the empty string; if one did, the stretch would still advance by one unit)
      const at = m === null ? len : Math.max(m.index, pos + 1);
      const gap = s.slice(pos, at);
      n += last ? countWord(gap) : preTokenize(gap, step + 1);
      pos = at;
    }
    return n;
  }

  const NEEDS_NFC = /[^\u0000-\u02ff]/;
  // The Llama 3 and Qwen splits run by hand (pretokenize.ts: the same pieces, no regex call or match per piece);
  // TUNELINT_PRETOKENIZER=regex runs the regex (benchmarks, bisecting).
  const handDigits =
    process.env.TUNELINT_PRETOKENIZER !== "regex" && config.splits.length === 1
      ? config.splits[0] === LLAMA3_SPLIT
        ? 3
        : config.splits[0] === QWEN_SPLIT
          ? 1
          : 0
      : 0;
  let cur = "";
  const piece = (a: number, b: number): number => countWord(a === 0 && b === cur.length ? cur : cur.slice(a, b));
  function countNormalized(s: string): number {
    if (nfc && NEEDS_NFC.test(s)) s = s.normalize("NFC");
    if (s.length === 0) return 0;
    if (handDigits === 0) return preTokenize(s, 0);
    cur = s;
    return splitLlamaStyle(s, handDigits, piece);
  }

  /** Recent entries: count * 4096 + the record (mod 4096); a small integer (a segment of 65,536 units has < 2^18 tokens). */
  const EPOCHS = 4096;
  function countSegment(seg: string): number {
    const cacheable = seg.length >= 32 && seg.length <= 65_536;
    if (cacheable) {
      const c = segments.get(seg);
      if (c !== undefined) return c;
      const r = recent.get(seg);
      if (r !== undefined) {
        const n = Math.floor(r / EPOCHS);
        // seen in another record: worth a copy of its own
        if (r % EPOCHS !== record) segments.set(own(seg), n, seg.length);
        return n;
      }
    }
    let n = 0;
    if (normM) {
      const added = splitAdded(seg, normM, (g) => (n += countNormalized(g)));
      n += added;
    } else n = countNormalized(seg);
    if (cacheable) {
      recent.set(seg, n * EPOCHS + record, Math.max(seg.length, uncharged));
      uncharged = 0;
    }
    return n;
  }

  let ref: Engine | null = null;
  const getRef = () => (ref ??= reference());
  return {
    kind: "fast-bpe",
    addedSpecials,
    specialTokens: config.specialTokens,
    tables: shared,
    encode: (text, add) => getRef().encode(text, add),
    count(text: string): number {
      if (text.length === 0) return 0;
      // lone surrogates reach Rust as U+FFFD (UTF-8 conversion); make the regex classes see the same character
      const t = text as unknown as { isWellFormed(): boolean; toWellFormed(): string };
      if (!t.isWellFormed()) text = t.toWellFormed();
      let n = 0;
      uncharged = text.length;
      const added = splitAdded(text, rawM, (g) => (n += countSegment(g)));
      return n + added;
    },
    nextRecord() {
      record = (record + 1) % EPOCHS;
    },
    stats: () => ({ words: words.size, segments: segments.size }),
  };
}
