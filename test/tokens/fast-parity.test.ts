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
import { GPT2_SPLIT, createFastEngine, sameInJavaScript } from "../../src/tokens/bpe.js";
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

/**
 * Byte-level BPE tokenizers of the Hub with other pre-tokenizers than the shipped ones: the engine claims any regex
 * sameInJavaScript() accepts, and ByteLevel's own GPT-2 split (use_regex). Each variant below is the Qwen 3 file with
 * another pre-tokenizer, compared with the Rust reference on the whole corpus.
 */
describe("fast engine on other byte-level pre-tokenizers (as Hub tokenizers have)", () => {
  const base = loadTokenizerJson("qwen3");
  const split = (Regex: string) => ({ type: "Split", pattern: { Regex }, behavior: "Isolated", invert: false });
  const byteLevel = (useRegex: boolean) => ({ type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: useRegex });
  const variants: Record<string, unknown> = {
    "ByteLevel alone, use_regex (GPT-2, RoBERTa, OLMo style)": byteLevel(true),
    "Split(GPT-2 regex) + ByteLevel": { type: "Sequence", pretokenizers: [split(GPT2_SPLIT), byteLevel(false)] },
    "Split(letters+marks, 1-3 digits, punctuation) + ByteLevel(use_regex)": {
      type: "Sequence",
      pretokenizers: [split("[\\p{L}\\p{M}]+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"), byteLevel(true)],
    },
    "two Splits (digits, then o200k-like) + ByteLevel": {
      type: "Sequence",
      pretokenizers: [
        split("\\p{N}{1,3}"),
        split(
          "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
        ),
        byteLevel(false),
      ],
    },
  };
  it.each(Object.entries(variants))(
    "%s: counts equal the Rust reference",
    async (_name, preTokenizer) => {
      const json = { ...base, normalizer: null, pre_tokenizer: preTokenizer };
      const fast = createFastEngine(json, () => createEngine(json));
      expect(fast).not.toBeNull();
      const reference = RustTokenizer.fromString(JSON.stringify(json));
      const encodings = await reference.encodeBatch(CORPUS, { addSpecialTokens: false });
      const mismatches: Array<{ text: string; fast: number; rust: number }> = [];
      CORPUS.forEach((text, i) => {
        const rust = encodings[i]!.getIds().length;
        const n = fast!.count(text);
        if (n !== rust) mismatches.push({ text: text.slice(0, 120), fast: n, rust });
      });
      expect(mismatches).toEqual([]);
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
    // \w and \d are not the same in Oniguruma and JavaScript: a regex using them keeps the reference engine
    const changed = {
      ...json,
      pre_tokenizer: { ...pre, pretokenizers: [{ ...pre.pretokenizers[0], pattern: { Regex: "\\w+|\\d+|\\s+" } }, pre.pretokenizers[1]] },
    };
    expect(createFastEngine(changed, () => createEngine(json))).toBeNull();
    for (const r of ["\\w+", "a.b", "^x", "x$", "\\p{Han}+", "a++", "(?<=a)b", "(?<n>a)", "[a[b]]", "\\d", "(?i:abc)", "\\h"])
      expect(sameInJavaScript(r), r).toBe(false);
    for (const r of [GPT2_SPLIT, "\\s+|\\S+", "[\\p{L}\\p{M}]+|\\p{N}{1,3}|[^\\s\\p{L}\\p{N}]+", " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"])
      expect(sameInJavaScript(r), r).toBe(true);
    const stripped = { ...json, added_tokens: json.added_tokens.map((t, i) => (i === 0 ? { ...t, lstrip: true } : t)) };
    expect(createFastEngine(stripped, () => createEngine(json))).toBeNull();
  });
});
