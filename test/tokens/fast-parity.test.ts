/**
 * Exactness of the count-only BPE engine (src/tokens/bpe.ts): for every tokenizer it claims, its counts equal the
 * Hugging Face Rust tokenizer (npm `tokenizers`) on the same tokenizer.json, on a large corpus (the parity corpus at
 * 1,200 strings, regex corner cases, long pre-tokens that take the heap path, bench-like CJK runs) and on conversations
 * rendered with each family's chat template. The families it does not claim (SentencePiece: Mistral v1, Llama 2,
 * Gemma 3) must keep the reference engine.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { createFastEngine } from "../../src/tokens/bpe.js";
import {
  createCountingEngine,
  createEngine,
  getShippedEngine,
  loadTokenizerJson,
  shippedTokenizerPath,
} from "../../src/tokens/tokenizer.js";
import { ChatTemplate } from "../../src/tokens/jinja.js";
import { PROFILES, type Profile, type TokenizerFile, type TokenizerVariant } from "../../src/tokens/profiles.js";
import { makeConversations, makeCorpus, rng } from "./corpus.js";

/** Tokenizer files the fast engine claims; every other shipped file must get null (reference engine). */
const CLAIMED = new Set<TokenizerFile>(["llama3", "qwen3", "deepseek-v3", "gpt-oss"]);
const NOW = () => new Date(2026, 0, 5, 12);

function corners(): string[] {
  const r = rng(99);
  const cjk =
    "模型应该清楚地回答并在提出修复建议之前引用手册的相关章节モデルは明確に回答し修正を提案する前にマニュアルの該当セクションを引用する";
  const long: string[] = [];
  for (let i = 0; i < 40; i++) {
    let s = "";
    const n = 20 + Math.floor(r() * 400);
    for (let j = 0; j < n; j++) s += cjk[Math.floor(r() * cjk.length)];
    long.push(s);
  }
  return [
    ...long,
    "a\u0085b  \u0085 x\u0085\u0085\n",
    "a\ufeffb \ufeff\ufeff c \ufeff",
    "it'ſ IT'S It'Ll we'RE they'Ve I'M 'd 'D",
    "\ud800abc \udfff x\udbff",
    " \u3000\u3000x\u2028y\u2029z\u00a0\u1680",
    "x".repeat(300) + " " + "ab".repeat(700),
    " ".repeat(1000) + "a" + "\n".repeat(500) + "\t \n".repeat(100),
    "0123456789".repeat(50),
    "constructor __proto__ toString hasOwnProperty valueOf",
    "ＡＢＣ１２３ｱｲｳ",
    "e\u0301\u0301\u0301 \u1100\u1161\u11a8 Å Å",
    "😀".repeat(100) + "👩‍👩‍👧‍👦".repeat(30),
    "<|eot_id|><|eot_id|><|im_end|><|im_start|><think></think><｜User｜><|end|><|eot_id",
    "<<|eot_id|>> <|<|im_end|>|>",
    Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x2000 + ((i * 7919) % 0xd000))).join(""),
  ];
}

const CORPUS = [...makeCorpus(1200, 5), ...corners()];
const CONVERSATIONS = makeConversations(CORPUS, 60, 21);

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
        // refused by the template: nothing to compare
      }
    }
  }
  return out;
}

type Key = `${TokenizerFile}/${TokenizerVariant | ""}`;
const groups = new Map<Key, Profile[]>();
for (const p of Object.values(PROFILES)) {
  if (!p.exact || !p.tokenizer) continue;
  const key = `${p.tokenizer}/${p.variant ?? ""}` as Key;
  groups.set(key, [...(groups.get(key) ?? []), p]);
}

describe.each([...groups.entries()])("fast engine, tokenizer %s", (key, profiles) => {
  const [file, variant] = key.split("/") as [TokenizerFile, TokenizerVariant | ""];
  it(
    CLAIMED.has(file)
      ? `counts equal the Rust reference (${profiles.map((p) => p.id).join(", ")})`
      : "is not claimed: the reference engine stays",
    async () => {
      const json = loadTokenizerJson(file, variant || undefined);
      const fast = createFastEngine(json, () => createEngine(json));
      if (!CLAIMED.has(file)) {
        expect(fast).toBeNull();
        expect((createCountingEngine(json) as { kind?: string }).kind).toBeUndefined();
        return;
      }
      expect(fast).not.toBeNull();
      const raw = variant ? JSON.stringify(json) : gunzipSync(readFileSync(shippedTokenizerPath(file))).toString("utf8");
      const reference = RustTokenizer.fromString(raw);
      const texts = [...CORPUS, ...profiles.flatMap(renders)];
      const encodings = await reference.encodeBatch(texts, { addSpecialTokens: false });
      const mismatches: Array<{ text: string; fast: number; rust: number }> = [];
      // twice: the second pass is served by the word and segment caches
      for (let pass = 0; pass < 2; pass++) {
        texts.forEach((text, i) => {
          const rust = encodings[i]!.getIds().length;
          const n = fast!.count(text);
          if (n !== rust) mismatches.push({ text: text.slice(0, 120), fast: n, rust });
        });
      }
      expect(mismatches).toEqual([]);
      expect(texts.length).toBeGreaterThan(1300);
      const withSpecials = await reference.encode("a b", null, { addSpecialTokens: true });
      expect(fast!.addedSpecials).toBe(
        withSpecials.getIds().length - (await reference.encode("a b", null, { addSpecialTokens: false })).getIds().length,
      );
    },
    60_000,
  );
});

describe("fast engine behaviour", () => {
  it("is what shipped byte-level families count with; encode() still gives ids (reference, built on demand)", () => {
    const e = getShippedEngine("llama3", "llama3.1") as { kind?: string } & ReturnType<typeof getShippedEngine>;
    expect(e.kind).toBe("fast-bpe");
    expect(e.encode("<|eom_id|>")).toEqual([128008]);
    expect(e.count("<|eom_id|>")).toBe(1);
  });
  it("keeps its caches bounded (flat memory) and its counts stable when entries are evicted", () => {
    const json = loadTokenizerJson("qwen3", "qwen2.5");
    const fast = createFastEngine(json, () => createEngine(json), { wordCache: 50, segmentChars: 500 })!;
    const texts = makeCorpus(400, 8);
    const first = texts.map((t) => fast.count(t));
    const again = texts.map((t) => fast.count(t));
    expect(again).toEqual(first);
    const s = fast.stats();
    expect(s.words).toBeLessThanOrEqual(100);
    expect(s.segments).toBeLessThanOrEqual(2 * 4096);
  });
  it("refuses configurations it has not been verified on", () => {
    const json = loadTokenizerJson("llama3");
    const pre = json.pre_tokenizer as { pretokenizers: Array<{ pattern?: { Regex: string } }> };
    const changed = {
      ...json,
      pre_tokenizer: { ...pre, pretokenizers: [{ ...pre.pretokenizers[0], pattern: { Regex: "\\s+|\\S+" } }, pre.pretokenizers[1]] },
    };
    expect(createFastEngine(changed, () => createEngine(json))).toBeNull();
    const stripped = { ...json, added_tokens: json.added_tokens.map((t, i) => (i === 0 ? { ...t, lstrip: true } : t)) };
    expect(createFastEngine(stripped, () => createEngine(json))).toBeNull();
  });
});
