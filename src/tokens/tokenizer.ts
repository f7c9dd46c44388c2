/**
 * Tokenizer engine: Hugging Face tokenizer.json files run by @huggingface/tokenizers (pure JavaScript, synchronous,
 * 0.65 MB installed). Heavy module: imported lazily by loadCounter only.
 *
 * Why this engine (measured, see docs in the report / data/tokenizers/README.md): 0 count mismatches against the Rust
 * `tokenizers` reference on every shipped family, synchronous (the napi binding's encode is async-only), no native
 * binary, and it keeps a plain `encode(text) -> ids` seam that a later count-only BPE engine can replace per family.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Tokenizer } from "@huggingface/tokenizers";
import { createHash } from "node:crypto";
import { compileBpe, fastConfig, fastEngineOver, type FastEngine, type SharedBpe } from "./bpe.js";
import { fromCompact } from "./bpe-tables.js";
import { specialTokensOf } from "./added-tokens.js";
import type { TokenizerFile, TokenizerVariant } from "./profiles.js";
import type { Engine } from "./types.js";

export const DATA_DIR = new URL("../../data/", import.meta.url);
/** Where `npm run build` writes the compact tables of the shipped byte-level tokenizers (scripts/build-tables.mjs). */
export const TABLES_DIR = new URL("../../dist/tables/", import.meta.url);

type TokenizerJson = { added_tokens: Array<{ id: number; content: string }>; [k: string]: unknown };

/** Llama 3.1 renamed some added tokens of Llama 3.0 and renumbered the reserved ones (same ids 128000..128255). */
export function llama31AddedTokenName(id: number): string {
  const fixed: Record<number, string> = {
    128000: "<|begin_of_text|>",
    128001: "<|end_of_text|>",
    128002: "<|reserved_special_token_0|>",
    128003: "<|reserved_special_token_1|>",
    128004: "<|finetune_right_pad_id|>",
    128005: "<|reserved_special_token_2|>",
    128006: "<|start_header_id|>",
    128007: "<|end_header_id|>",
    128008: "<|eom_id|>",
    128009: "<|eot_id|>",
    128010: "<|python_tag|>",
  };
  return fixed[id] ?? `<|reserved_special_token_${id - 128011 + 3}|>`;
}

export function applyVariant(json: TokenizerJson, variant: TokenizerVariant | undefined): TokenizerJson {
  if (!variant) return json;
  if (variant === "llama3.1") {
    return { ...json, added_tokens: json.added_tokens.map((t) => ({ ...t, content: llama31AddedTokenName(t.id) })) };
  }
  if (variant === "qwen2.5") {
    // Qwen 3 added <think>, </think>, <tool_response>, ... from id 151665; Qwen 2.5 has none of them.
    return { ...json, added_tokens: json.added_tokens.filter((t) => t.id < 151665) };
  }
  return json;
}

/** Largest tokenizer.json tunelint reads (bytes, after gunzip): the largest real ones are about 35 MB (Gemma). */
export const MAX_TOKENIZER_JSON_BYTES = 100 * 1024 * 1024;

/**
 * Reads a tokenizer.json (plain or gzip), bounded: a file over MAX_TOKENIZER_JSON_BYTES (or a gzip that inflates past
 * it) is refused before it is parsed, and the pre-tokenizer / normalizer regexes are checked (checkTokenizerRegexes).
 */
export function readTokenizerJson(path: string | URL, max = MAX_TOKENIZER_JSON_BYTES): TokenizerJson {
  const mb = (n: number) => `${Math.round(n / 1048576)} MiB`;
  const size = statSync(path).size;
  const head = Buffer.alloc(2);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  if (!gz && size > max) throw new Error(`the tokenizer file is ${mb(size)}, over the ${mb(max)} tunelint reads`);
  if (gz && size > max) throw new Error(`the compressed tokenizer file is ${mb(size)}, over the ${mb(max)} tunelint reads`);
  const buf = readFileSync(path);
  loadStats.tokenizerReads++;
  let text: string;
  if (gz) {
    let raw: Buffer;
    try {
      raw = gunzipSync(buf, { maxOutputLength: max });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ERR_BUFFER_TOO_LARGE" || /maxOutputLength|too large/i.test((e as Error).message))
        throw new Error(`the tokenizer file inflates to more than the ${mb(max)} tunelint reads`);
      throw new Error(`the tokenizer file is not a valid gzip: ${(e as Error).message}`);
    }
    text = raw.toString("utf8");
  } else text = buf.toString("utf8");
  const json = JSON.parse(text) as TokenizerJson;
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new Error("the tokenizer file is not a JSON object");
  checkTokenizerRegexes(json);
  return json;
}

/**
 * Refuses regexes that can take exponential time (catastrophic backtracking) before any engine compiles them: every
 * `pattern: { Regex }` of the normalizer and pre-tokenizer (the reference engine runs them as JavaScript regexes on
 * each text). Refused: a repeated group (`*`, `+`, `{n,}`, `{n,m}` with m > 1) that itself contains a quantifier or an
 * alternation, e.g. `(a+)+b`, `(a|aa)*`; also back-references and patterns over 4,096 characters. The pre-tokenizer
 * regexes of real tokenizers (Llama 3, Qwen, DeepSeek, GPT-4o/o200k, Gemma, Mistral, ...) have none.
 */
export function checkTokenizerRegexes(json: Record<string, unknown>): void {
  const seen: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 64 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const pat = o.pattern as { Regex?: unknown } | undefined;
    if (pat && typeof pat === "object" && typeof pat.Regex === "string") seen.push(pat.Regex);
    for (const k of ["normalizers", "pretokenizers", "normalizer", "pre_tokenizer"]) if (k in o) walk(o[k], depth + 1);
  };
  walk(json.normalizer, 0);
  walk(json.pre_tokenizer, 0);
  for (const re of seen) {
    const why = regexHazard(re);
    if (why) throw new Error(`the tokenizer's regex ${JSON.stringify(re.length > 80 ? re.slice(0, 80) + "..." : re)} is refused: ${why}`);
  }
}

/** Why a regex may backtrack exponentially, or null. A small scanner of the regex syntax (escapes, classes, groups). */
export function regexHazard(re: string): string | null {
  if (re.length > 4096) return "longer than 4,096 characters";
  // per open group: does it contain a quantifier or an alternation?
  const stack: Array<{ inner: boolean }> = [{ inner: false }];
  let lastGroupInner: boolean | null = null; // the group that just closed (a quantifier may follow it)
  for (let i = 0; i < re.length; i++) {
    const ch = re[i]!;
    const top = stack[stack.length - 1]!;
    if (ch === "\\") {
      const n = re[i + 1] ?? "";
      if (/[1-9]/.test(n) || n === "k") return "it uses a back-reference";
      if ((n === "p" || n === "P") && re[i + 2] === "{") i = re.indexOf("}", i + 2);
      else i++;
      lastGroupInner = null;
      continue;
    }
    if (ch === "[") {
      // skip the class
      let j = i + 1;
      if (re[j] === "^") j++;
      if (re[j] === "]") j++;
      for (; j < re.length && re[j] !== "]"; j++) if (re[j] === "\\") j++;
      i = j;
      lastGroupInner = null;
      continue;
    }
    if (ch === "(") {
      stack.push({ inner: false });
      lastGroupInner = null;
      if (re[i + 1] === "?") {
        // group syntax, not a quantifier: (?: (?= (?! (?<= (?<! (?<name> (?i:
        const m = /^\(\?(?:<[=!]|<[A-Za-z_][A-Za-z0-9_]*>|[=!:]|[a-zA-Z-]+:|[a-zA-Z-]+\))/.exec(re.slice(i));
        if (m) i += m[0].length - 1;
        else i += 1;
      }
      continue;
    }
    if (ch === ")") {
      const g = stack.length > 1 ? stack.pop()! : { inner: false };
      lastGroupInner = g.inner;
      if (g.inner) stack[stack.length - 1]!.inner = true;
      continue;
    }
    if (ch === "|") {
      top.inner = true;
      lastGroupInner = null;
      continue;
    }
    const m = /^(?:[*+]|\{(\d*)(,?)(\d*)\})/.exec(re.slice(i));
    if (m) {
      const unbounded = ch === "*" || ch === "+" || (m[2] === "," && m[3] === "");
      const many = unbounded || Number(m[3] || m[1] || "0") > 1;
      if (lastGroupInner && many) return "a repeated group contains a quantifier or an alternation (exponential backtracking)";
      top.inner = true;
      i += m[0].length - 1;
      if (re[i + 1] === "?" || re[i + 1] === "+") i++;
      lastGroupInner = null;
      continue;
    }
    if (ch === "?") {
      top.inner = true;
      lastGroupInner = null;
      continue;
    }
    lastGroupInner = null;
  }
  return null;
}

export function shippedTokenizerPath(file: TokenizerFile): URL {
  return new URL(`tokenizers/${file}.json.gz`, DATA_DIR);
}

export function loadTokenizerJson(file: TokenizerFile, variant?: TokenizerVariant): TokenizerJson {
  return applyVariant(readTokenizerJson(shippedTokenizerPath(file)), variant);
}

export function createEngine(json: TokenizerJson): Engine {
  const tok = new Tokenizer(json, {});
  const encode = (text: string, addSpecialTokens = false): number[] => tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  const addedSpecials = encode("a", true).length - encode("a", false).length;
  return {
    addedSpecials,
    specialTokens: specialTokensOf(json),
    encode,
    count: (text: string) => (text.length === 0 ? 0 : encode(text).length),
  };
}

/**
 * The engine tunelint counts with: the count-only byte-level BPE engine (bpe.ts) when it reproduces this tokenizer's
 * configuration exactly (Llama 3.x, Qwen 2.5/3, DeepSeek V3/R1, gpt-oss; verified against the Rust reference in
 * test/tokens/parity.test.ts), else the reference engine above. `encode` (ids) of the fast engine builds the reference
 * engine on first use, from `reload` (so the parsed JSON is not kept alive). TUNELINT_ENGINE=reference forces the
 * reference engine (benchmarks, bisecting). `shared`: the tables another thread built for this tokenizer (the
 * tokenizer.json is then not even read, unless `encode` is called).
 */
export function createCountingEngine(json: TokenizerJson | null, reload: () => TokenizerJson = () => json!, shared?: SharedBpe): Engine {
  if (process.env.TUNELINT_ENGINE !== "reference") {
    if (shared) return fastEngineOver(shared, () => createEngine(reload()));
    json ??= reload();
    const compiled = compileBpe(json);
    if (compiled) return fastEngineOver(compiled, () => createEngine(reload()));
  }
  return createEngine(json ?? reload());
}

/** The shared tables of an engine (null for the reference engine, which cannot be shared). Builds a lazy engine. */
export function sharedTablesOf(engine: Engine): SharedBpe | null {
  const e = engine as Engine & { kind?: string; tables?: SharedBpe };
  return e.kind === "fast-bpe" ? ((e as FastEngine).tables ?? null) : null;
}

/** Process-wide counts (tests: a worker thread given shared tables reads no tokenizer file and builds nothing). */
export const loadStats = { tokenizerReads: 0, compactLoads: 0 };

/**
 * The compact tables `npm run build` wrote for a shipped tokenizer (dist/tables/<file>.tables), when they are
 * there and were made from the same tokenizer file (SHA-256 in their header) in this format; else null (the caller
 * builds the tables from the tokenizer.json). With the added-token variant applied to the configuration.
 */
export function loadCompactTables(
  file: TokenizerFile,
  variant?: TokenizerVariant,
  where: { tables: URL; tokenizers: URL } = { tables: TABLES_DIR, tokenizers: new URL("tokenizers/", DATA_DIR) },
): SharedBpe | null {
  if (process.env.TUNELINT_TABLES === "0") return null;
  const path = new URL(`${file}.tables`, where.tables);
  if (!existsSync(path)) return null;
  try {
    const source = createHash("sha256")
      .update(readFileSync(new URL(`${file}.json.gz`, where.tokenizers)))
      .digest("hex");
    const got = fromCompact(readFileSync(path));
    if (!got || got.header.source.sha256 !== source) return null;
    const json = applyVariant(got.header.tokenizer as TokenizerJson, variant);
    checkTokenizerRegexes(json);
    const config = fastConfig(json);
    if (!config) return null;
    loadStats.compactLoads++;
    return { config, tables: got.tables };
  } catch {
    return null; // unreadable or truncated: the tokenizer.json is the source of truth
  }
}

/** Engines are shared between counters of the same tokenizer within a process. */
const cache = new Map<string, Engine>();
/** Tables handed over by the main thread (worker threads), by engine key. */
const adopted = new Map<string, SharedBpe>();
(globalThis as { __tunelintEngineLoaded?: boolean }).__tunelintEngineLoaded = true;

export function shippedKey(file: TokenizerFile, variant?: TokenizerVariant): string {
  return `${file}/${variant ?? ""}`;
}

/** Worker threads: use these tables for the shipped tokenizer `key` (shippedKey) instead of loading it. */
export function adoptSharedTables(key: string, shared: SharedBpe): void {
  adopted.set(key, shared);
}

export function getShippedEngine(file: TokenizerFile, variant?: TokenizerVariant): Engine {
  const key = shippedKey(file, variant);
  let e = cache.get(key);
  if (!e) {
    const path = shippedTokenizerPath(file);
    const reload = () => loadTokenizerJson(file, variant);
    const shared = adopted.get(key);
    if (!shared && !existsSync(path)) throw new Error(`${fileURLToPath(path)} is missing`);
    e = lazyEngine(() => {
      const tables = shared ?? (process.env.TUNELINT_ENGINE !== "reference" ? loadCompactTables(file, variant) : null);
      return tables ? createCountingEngine(null, reload, tables) : createCountingEngine(reload(), reload);
    });
    cache.set(key, e);
  }
  return e;
}

/**
 * Builds the engine on first use (0.4 to 1 s of read + gunzip + parse + merge table without the compact tables): a
 * process that prepares a counter but never counts (the main thread of a run split across workers) does not pay it.
 */
function lazyEngine(
  build: () => Engine,
): Engine & { readonly kind?: string; readonly tables?: SharedBpe; stats(): { words: number; segments: number } } {
  let e: (Engine & { kind?: string; tables?: SharedBpe }) | null = null;
  const get = () => (e ??= build() as Engine & { kind?: string; tables?: SharedBpe });
  return {
    get addedSpecials() {
      return get().addedSpecials;
    },
    get specialTokens() {
      return get().specialTokens;
    },
    get kind() {
      return get().kind;
    },
    get tables() {
      return get().tables;
    },
    count: (text) => get().count(text),
    encode: (text, add) => get().encode(text, add),
    nextRecord: () => e?.nextRecord?.(),
    /** The fast engine's cache sizes (diagnostics and tests). */
    stats: () => (get() as Partial<FastEngine>).stats?.() ?? { words: 0, segments: 0 },
  };
}
export function dropShippedEngine(file: TokenizerFile, variant?: TokenizerVariant): void {
  cache.delete(shippedKey(file, variant));
}
export function loadedEngineKeys(): string[] {
  return [...cache.keys()];
}
