/**
 * Tokenizer engine: Hugging Face tokenizer.json files run by @huggingface/tokenizers (pure JavaScript, synchronous,
 * 0.65 MB installed). Heavy module: imported lazily by loadCounter only.
 *
 * Why this engine (measured, see docs in the report / data/tokenizers/README.md): 0 count mismatches against the Rust
 * `tokenizers` reference on every shipped family, synchronous (the napi binding's encode is async-only), no native
 * binary, and it keeps a plain `encode(text) -> ids` seam that a later count-only BPE engine can replace per family.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Tokenizer } from "@huggingface/tokenizers";
import { createFastEngine } from "./bpe.js";
import { specialTokensOf } from "./added-tokens.js";
import type { TokenizerFile, TokenizerVariant } from "./profiles.js";
import type { Engine } from "./types.js";

export const DATA_DIR = new URL("../../data/", import.meta.url);

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

export function readTokenizerJson(path: string | URL): TokenizerJson {
  const buf = readFileSync(path);
  const text = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString("utf8") : buf.toString("utf8");
  return JSON.parse(text) as TokenizerJson;
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
 * reference engine (benchmarks, bisecting).
 */
export function createCountingEngine(json: TokenizerJson, reload: () => TokenizerJson = () => json): Engine {
  if (process.env.TUNELINT_ENGINE !== "reference") {
    const fast = createFastEngine(json, () => createEngine(reload()));
    if (fast) return fast;
  }
  return createEngine(json);
}

/** Engines are shared between counters of the same tokenizer within a process. */
const cache = new Map<string, Engine>();
(globalThis as { __tunelintEngineLoaded?: boolean }).__tunelintEngineLoaded = true;
export function getShippedEngine(file: TokenizerFile, variant?: TokenizerVariant): Engine {
  const key = `${file}/${variant ?? ""}`;
  let e = cache.get(key);
  if (!e) {
    const path = shippedTokenizerPath(file);
    if (!existsSync(path)) throw new Error(`${fileURLToPath(path)} is missing`);
    e = lazyEngine(() => createCountingEngine(loadTokenizerJson(file, variant), () => loadTokenizerJson(file, variant)));
    cache.set(key, e);
  }
  return e;
}

/**
 * Builds the engine on first use (0.4 to 1 s of read + gunzip + parse + merge table): a process that prepares a
 * counter but never counts (the main thread of a run split across workers) does not pay it.
 */
function lazyEngine(build: () => Engine): Engine & { readonly kind?: string } {
  let e: (Engine & { kind?: string }) | null = null;
  const get = () => (e ??= build() as Engine & { kind?: string });
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
    count: (text) => get().count(text),
    encode: (text, add) => get().encode(text, add),
  };
}
export function dropShippedEngine(file: TokenizerFile, variant?: TokenizerVariant): void {
  cache.delete(`${file}/${variant ?? ""}`);
}
export function loadedEngineKeys(): string[] {
  return [...cache.keys()];
}
