/**
 * Exactness: every count of the shipped engine (@huggingface/tokenizers, pure JS) equals the reference — the Hugging
 * Face Rust tokenizer (npm `tokenizers`, the code behind transformers' fast tokenizers) on the very same
 * tokenizer.json — for a varied corpus and for conversations rendered with each family's chat template.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { gunzipSync } from "node:zlib";
import { createEngine, getShippedEngine, loadTokenizerJson, shippedTokenizerPath } from "../../src/tokens/tokenizer.js";
import { ChatTemplate } from "../../src/tokens/jinja.js";
import { PROFILES, type Profile, type TokenizerFile, type TokenizerVariant } from "../../src/tokens/profiles.js";
import { makeConversations, makeCorpus } from "./corpus.js";

const CORPUS = makeCorpus(180, 7);
const CONVERSATIONS = makeConversations(CORPUS, 16, 11);
const NOW = () => new Date(2026, 0, 5, 12);

type Key = `${TokenizerFile}/${TokenizerVariant | ""}`;
const groups = new Map<Key, Profile[]>();
for (const p of Object.values(PROFILES)) {
  if (!p.exact || !p.tokenizer) continue;
  const key = `${p.tokenizer}/${p.variant ?? ""}` as Key;
  groups.set(key, [...(groups.get(key) ?? []), p]);
}

function renders(p: Profile): string[] {
  const t = new ChatTemplate(readFileSync(new URL(`../../data/templates/${p.template}.jinja`, import.meta.url), "utf8"));
  const out: string[] = [];
  for (const c of CONVERSATIONS) {
    for (const addGen of [false, true]) {
      const messages = addGen ? c.messages.slice(0, -1) : c.messages;
      try {
        out.push(
          t.render({ messages, tools: c.tools ?? null, addGenerationPrompt: addGen, bosToken: p.bosToken, eosToken: p.eosToken, now: NOW }),
        );
      } catch {
        // the template refuses this conversation (gpt-oss rejects <|channel|> in content): nothing to compare
      }
    }
  }
  return out;
}

describe.each([...groups.entries()])("tokenizer %s", (key, profiles) => {
  it(`counts equal the Rust reference (${profiles.map((p) => p.id).join(", ")})`, async () => {
    const [file, variant] = key.split("/") as [TokenizerFile, TokenizerVariant | ""];
    const json = loadTokenizerJson(file, variant || undefined);
    const raw = variant ? JSON.stringify(json) : gunzipSync(readFileSync(shippedTokenizerPath(file))).toString("utf8");
    const reference = RustTokenizer.fromString(raw);
    const engine = createEngine(json);
    const texts = [...CORPUS, ...profiles.flatMap(renders)];
    const encodings = await reference.encodeBatch(texts, { addSpecialTokens: false });
    const mismatches: Array<{ text: string; js: number; rust: number }> = [];
    texts.forEach((text, i) => {
      const rust = encodings[i]!.getIds().length;
      const js = engine.count(text);
      if (js !== rust) mismatches.push({ text: text.slice(0, 120), js, rust });
    });
    expect(mismatches).toEqual([]);
    // Plain encodes add what the reference adds (BOS for Mistral/Gemma in these files).
    const withSpecials = await reference.encode("a b", null, { addSpecialTokens: true });
    expect(engine.addedSpecials).toBe(
      withSpecials.getIds().length - (await reference.encode("a b", null, { addSpecialTokens: false })).getIds().length,
    );
  }, 60_000);
});

describe("special tokens by family", () => {
  it("Llama 3.1 names <|eom_id|>, <|python_tag|>, <|finetune_right_pad_id|> as single special tokens; 3.0 does not", () => {
    const l31 = getShippedEngine("llama3", "llama3.1");
    const l30 = getShippedEngine("llama3");
    for (const [text, id] of [
      ["<|eom_id|>", 128008],
      ["<|python_tag|>", 128010],
      ["<|finetune_right_pad_id|>", 128004],
    ] as const) {
      expect(l31.encode(text)).toEqual([id]);
      expect(l30.count(text)).toBeGreaterThan(1);
    }
    expect(l30.encode("<|reserved_special_token_250|>")).toEqual([128255]);
    expect(l31.count("<|reserved_special_token_250|>")).toBeGreaterThan(1);
    expect(l31.encode("<|reserved_special_token_247|>")).toEqual([128255]);
  });
  it("Qwen 2.5 treats <think> as text, Qwen 3 as one token", () => {
    expect(getShippedEngine("qwen3").count("<think>")).toBe(1);
    expect(getShippedEngine("qwen3", "qwen2.5").count("<think>")).toBeGreaterThan(1);
    expect(getShippedEngine("qwen3", "qwen2.5").encode("<|im_end|>")).toEqual([151645]);
  });
  it("the Mistral file is Mistral's vocabulary, not Llama 2's", () => {
    expect(getShippedEngine("mistral-v1").encode("Hello")).toEqual([22557]);
  });
});

describe("Llama 2 (rebuilt tokenizer)", () => {
  it("gives the ids of llama-tokenizer-js, an independent implementation on Llama's own vocabulary and merges", async () => {
    const { default: llamaTokenizer } = (await import("llama-tokenizer-js")) as unknown as {
      default: { encode(text: string, bos?: boolean, precedingSpace?: boolean): number[] };
    };
    const engine = getShippedEngine("llama2");
    const diffs: string[] = [];
    for (const text of CORPUS) {
      if (/<\/?s>|<unk>/.test(text) || text === "") continue; // llama-tokenizer-js does not parse special tokens
      const a = engine.encode(text, true);
      const b = llamaTokenizer.encode(text, true, true);
      if (a.join(",") !== b.join(",")) diffs.push(text.slice(0, 80));
    }
    expect(diffs).toEqual([]);
    expect(engine.encode("Hello")).toEqual([15043]);
  });
});
