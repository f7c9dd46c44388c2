import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { resolveModel } from "../../src/models/index.js";
import { getShippedEngine } from "../../src/tokens/tokenizer.js";
import { loadCounter, type TokenCounter } from "../../src/tokens/load.js";

const renders = JSON.parse(readFileSync(new URL("./fixtures/renders.json", import.meta.url), "utf8")) as {
  now: string;
  renders: Record<string, Record<string, { text?: string; error?: string }>>;
};
const cases = JSON.parse(readFileSync(new URL("./fixtures/conversations.json", import.meta.url), "utf8")) as Array<{
  name: string;
  messages: Array<Record<string, unknown>>;
  tools?: unknown[];
  addGenerationPrompt?: boolean;
}>;
const NOW = () => new Date(renders.now);

/**
 * End to end: count(record) == the engine's count of the string Python Jinja2 rendered (HF apply_chat_template,
 * tokenize=True). parity.test.ts proves the engine's counts equal the Rust reference on the same tokenizer.json.
 */
describe.each([
  ["meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "llama3.1", "llama3", "llama3.1"],
  ["meta-llama/Llama-3.2-3B-Instruct", "llama3.2", "llama3", "llama3.1"],
  ["Qwen/Qwen2.5-7B-Instruct", "qwen2.5", "qwen3", "qwen2.5"],
  ["Qwen/Qwen3-8B", "qwen3", "qwen3", undefined],
  ["mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral-v1", "mistral-v1", undefined],
  ["togethercomputer/llama-2-7b-chat", "llama2", "llama2", undefined],
  ["deepseek-ai/DeepSeek-R1", "deepseek-r1", "deepseek-v3", undefined],
] as const)("%s", (id, template, file, variant) => {
  let counter: TokenCounter;
  beforeAll(async () => {
    counter = await loadCounter(resolveModel(id), { now: NOW });
  });
  it("counts every fixture conversation as Python render + Rust tokenizer", async () => {
    let compared = 0;
    for (const c of cases) {
      const want = renders.renders[template]![c.name]!;
      if (want.text === undefined || c.addGenerationPrompt) continue;
      const ref = getShippedEngine(file, variant).count(want.text);
      const record = c.tools ? { messages: c.messages, tools: c.tools } : { messages: c.messages };
      const got = counter.count(record, "conversation");
      expect(got.exact, c.name).toBeUndefined();
      expect(got.total, c.name).toBe(ref);
      compared++;
    }
    expect(compared).toBeGreaterThan(8);
  });
});

describe("record formats (Llama 3.1)", () => {
  let c: TokenCounter;
  beforeAll(async () => {
    c = await loadCounter(resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"), { now: NOW });
  });
  const conv = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello!" },
  ];
  it("promptTokens ends where the first trained assistant token starts", () => {
    const r = c.count({ messages: conv }, "conversation");
    // "Hello" "!" <|eot_id|>
    expect(r.total - r.promptTokens).toBe(3);
    expect(c.exact).toBe(true);
    expect(c.family).toBe("llama-3.1");
  });
  it("a weight-0 assistant message is context, not target", () => {
    const msgs = [...conv, { role: "user", content: "Again" }, { role: "assistant", content: "Hello again!" }];
    const all = c.count({ messages: msgs }, "conversation");
    const w = c.count({ messages: msgs.map((m, i) => (i === 1 ? { ...m, weight: 0 } : m)) }, "conversation");
    expect(w.total).toBe(all.total);
    expect(w.promptTokens).toBeGreaterThan(all.promptTokens);
    expect(all.total - w.promptTokens).toBe(4); // "Hello" " again" "!" <|eot_id|>
  });
  it("the Llama 3.1 template always emits the system block with the knowledge-cutoff preamble", () => {
    const r = c.count(
      {
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", content: "y" },
        ],
      },
      "conversation",
    );
    // 26 tokens + 5 per non-system message + content (one token each)
    expect(r.total).toBe(26 + 5 * 2 + 2);
  });
  it("preference: input + the longer output; prompt = input with the generation prompt", () => {
    const input = { messages: [{ role: "user", content: "Pick one" }] };
    const longer = [{ role: "assistant", content: "This is the much longer preferred answer." }];
    const shorter = [{ role: "assistant", content: "No." }];
    const a = c.count({ input, preferred_output: shorter, non_preferred_output: longer }, "preference");
    const b = c.count({ messages: [...input.messages, ...longer] }, "conversation");
    expect(a.total).toBe(b.total);
    expect(a.promptTokens).toBe(b.promptTokens);
  });
  it("instruction: BOS + prompt + completion + EOS, no template", () => {
    const r = c.count({ prompt: "Translate: cat", completion: " chat" }, "instruction");
    expect(r.promptTokens).toBe(1 + 3); // <|begin_of_text|> "Translate" ":" " cat"
    expect(r.total).toBe(r.promptTokens + 1 + 1); // " chat" <EOS>
  });
  it("general: BOS + text + EOS, everything trained", () => {
    expect(c.count({ text: "Hello world" }, "general")).toEqual({ total: 4, promptTokens: 0, trained: 4 });
  });
  it("multimodal content: text parts counted, images reported, not counted", () => {
    const a = c.count(
      {
        messages: [
          { role: "user", content: "Describe it" },
          { role: "assistant", content: "A cat." },
        ],
      },
      "conversation",
    );
    const b = c.count(
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Describe it" },
              { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
            ],
          },
          { role: "assistant", content: [{ type: "text", text: "A cat." }] },
        ],
      },
      "conversation",
    );
    expect(b.total).toBe(a.total);
    expect(b.images).toBe(1);
  });
  it("never throws on odd content", () => {
    const odd = [
      {
        messages: [
          { role: "user", content: 42 },
          { role: "assistant", content: null },
        ],
      },
      { messages: [{ role: "assistant", content: "only assistant" }] },
      { messages: [] },
      {
        messages: [
          { role: "user", content: { nested: true } },
          { role: "assistant", content: ["x", 1, null] },
        ],
      },
    ];
    for (const r of odd) {
      const got = c.count(r as Record<string, unknown>, "conversation");
      expect(got.total).toBeGreaterThanOrEqual(0);
      expect(got.promptTokens).toBeLessThanOrEqual(got.total);
    }
    expect(() => c.count({ prompt: null, completion: undefined }, "instruction")).not.toThrow();
  });
});

describe("template refusals", () => {
  it("Mistral refuses tool messages: counted with a fallback layout, flagged not exact", async () => {
    const c = await loadCounter(resolveModel("mistralai/Mistral-7B-Instruct-v0.2"));
    const r = c.count(
      {
        messages: [
          { role: "user", content: "a" },
          { role: "tool", content: "b" },
          { role: "assistant", content: "c" },
        ],
      },
      "conversation",
    );
    expect(r.exact).toBe(false);
    expect(r.note).toMatch(/chat template failed: Only user and assistant roles/);
    expect(r.total).toBeGreaterThan(0);
    expect(c.exact).toBe(true);
  });
});

describe("estimates and custom files", () => {
  it("a model without its own tokenizer is flagged exact: false when counted without its Hub files", async () => {
    const m = resolveModel("codellama/CodeLlama-7b-hf");
    expect(m.hub).toBe(true);
    const c = await loadCounter(m);
    expect(c.exact).toBe(false);
    expect(
      c.count(
        {
          messages: [
            { role: "user", content: "hi" },
            { role: "assistant", content: "yo" },
          ],
        },
        "conversation",
      ).total,
    ).toBeGreaterThan(5);
  });
  it("tokenizerPath + chatTemplatePath count an unknown model with the user's files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelint-custom-"));
    const tokPath = join(dir, "tokenizer.json");
    writeFileSync(tokPath, gunzipSync(readFileSync(new URL("../../data/tokenizers/mistral-v1.json.gz", import.meta.url))));
    const tplPath = join(dir, "tokenizer_config.json");
    writeFileSync(
      tplPath,
      JSON.stringify({
        bos_token: "<s>",
        eos_token: { content: "</s>" },
        chat_template: "{{ bos_token }}{% for m in messages %}{{ m.role }}: {{ m.content }}{{ eos_token }}{% endfor %}",
      }),
    );
    const { customModel } = await import("../../src/models/index.js");
    const c = await loadCounter(customModel("acme/my-model", { sft: 4096 }), { tokenizerPath: tokPath, chatTemplatePath: tplPath });
    const rust = RustTokenizer.fromString(readFileSync(tokPath, "utf8"));
    const text = "<s>user: Hello there</s>assistant: General Kenobi</s>";
    const ref = (await rust.encode(text, null, { addSpecialTokens: false })).getIds().length;
    const r = c.count(
      {
        messages: [
          { role: "user", content: "Hello there" },
          { role: "assistant", content: "General Kenobi" },
        ],
      },
      "conversation",
    );
    expect(r.total).toBe(ref);
    expect(c.exact).toBe(true);
    // A raw .jinja template works as well
    const jinja = join(dir, "t.jinja");
    writeFileSync(jinja, "{% for m in messages %}{{ m.content }}{% endfor %}");
    const c2 = await loadCounter(customModel("acme/other", { sft: 4096 }), { tokenizerPath: tokPath, chatTemplatePath: jinja });
    expect(
      c2.count(
        {
          messages: [
            { role: "user", content: "Hello" },
            { role: "assistant", content: "Hello" },
          ],
        },
        "conversation",
      ).total,
    ).toBe(2);
    c2.dispose();
    expect(() => c2.count({ text: "x" }, "general")).toThrow(/dispose/);
  });
});

describe("count never throws (fuzz)", () => {
  it.each([
    "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen3-8B",
    "mistralai/Mistral-7B-Instruct-v0.2",
    "togethercomputer/llama-2-7b-chat",
    "deepseek-ai/DeepSeek-R1",
  ])("%s", async (id) => {
    const c = await loadCounter(resolveModel(id));
    let seed = 42;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
    const values: unknown[] = [
      "",
      "x",
      " ",
      "<|im_end|>",
      "<think>",
      0,
      1.5,
      true,
      null,
      [],
      {},
      [{ type: "text", text: "t" }],
      [{ type: "image_url" }],
      { a: 1 },
    ];
    const roles: unknown[] = ["user", "assistant", "system", "tool", "ipython", "developer", "", null, 7];
    for (let i = 0; i < 60; i++) {
      const messages = Array.from({ length: Math.floor(r() * 5) }, () => {
        const m: Record<string, unknown> = { role: pick(roles), content: pick(values) };
        if (r() < 0.15) m.tool_calls = pick<unknown>([[], "x", [{ function: { name: "f", arguments: pick(values) } }], [{}]]);
        if (r() < 0.1) m.weight = pick<unknown>([0, 1, "1"]);
        return m;
      });
      const record: Record<string, unknown> = { messages };
      if (r() < 0.2) record.tools = pick<unknown>([[], "x", [{ type: "function", function: { name: "f" } }], [null]]);
      const got = c.count(record, "conversation");
      expect(Number.isInteger(got.total)).toBe(true);
      expect(got.promptTokens).toBeLessThanOrEqual(got.total);
      const pref = c.count({ input: { messages }, preferred_output: [pick(values)], non_preferred_output: pick(values) }, "preference");
      expect(Number.isInteger(pref.total)).toBe(true);
    }
  });
});

describe("lazy promptTokens", () => {
  it("is computed on first read, stable, and serialises like a plain property", async () => {
    const c = await loadCounter(resolveModel("Qwen/Qwen2.5-7B-Instruct"));
    const r = c.count(
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
        ],
      },
      "conversation",
    );
    const first = r.promptTokens;
    expect(r.promptTokens).toBe(first);
    expect(JSON.parse(JSON.stringify(r))).toEqual({ total: r.total, promptTokens: first, trained: 4 });
    expect(structuredClone(r)).toEqual({ total: r.total, promptTokens: first, trained: 4 });
    // "Hello!" <|im_end|> "\n"
    expect(r.total - first).toBe(4);
  });
});

describe("memory of a run", () => {
  it("gives the results of every record one hidden class (no getter closes over a record)", () => {
    // V8 keeps maps alive through minor collections: a map per result kept every record's messages and rendered text
    // alive until the next full collection (80 MB of garbage promoted to the old generation on a 50 MB chat file).
    const script = `
      const { loadCounter } = await import(${JSON.stringify(new URL("../../dist/tokens/load.js", import.meta.url).href)});
      const { resolveModel } = await import(${JSON.stringify(new URL("../../dist/models/index.js", import.meta.url).href)});
      const c = await loadCounter(resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
      const rec = (i) => ({ messages: [{ role: "user", content: "question " + i }, { role: "assistant", content: "answer " + i }] });
      const a = c.count(rec(1), "conversation"), b = c.count(rec(2), "conversation");
      const same = [%HaveSameMap(a, b)];
      void a.trained; void b.promptTokens;
      same.push(%HaveSameMap(a, b), a.trained === b.trained, a.promptTokens > 0);
      process.stdout.write(JSON.stringify(same));`;
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([true, true, true, true]);
  });

  it("keeps no long text alive through the short segments it caches", () => {
    // 300 records, each a short question (a cached segment: a slice of the rendered text) and a 300 KB answer: the
    // slices must not keep the renders (90 MB) alive.
    const script = `
      const { loadCounter } = await import(${JSON.stringify(new URL("../../dist/tokens/load.js", import.meta.url).href)});
      const { resolveModel } = await import(${JSON.stringify(new URL("../../dist/models/index.js", import.meta.url).href)});
      const c = await loadCounter(resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
      const doc = (i) => ("word" + i + " ").repeat(50000).slice(0, 300000);
      for (let i = 0; i < 300; i++) {
        const r = c.count({ messages: [{ role: "user", content: "Please summarise document number " + i + " for me." }, { role: "assistant", content: doc(i) }] }, "conversation");
        void r.trained;
      }
      globalThis.gc(); globalThis.gc();
      process.stdout.write(String(process.memoryUsage().heapUsed));`;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(Number(r.stdout)).toBeLessThan(40 * 1024 * 1024);
  });

  it("copies into its long-lived segment cache only the text that repeats across records", async () => {
    const c = await loadCounter(resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
    const engine = getShippedEngine("llama3", "llama3.1") as unknown as { stats(): { segments: number } };
    const before = engine.stats().segments;
    const system = "You are a careful assistant who answers in full sentences, always.";
    const rec = (i: number) => ({
      messages: [
        { role: "system", content: system },
        { role: "user", content: `Question number ${i}: what is the capital of country ${i}?` },
        { role: "assistant", content: `The capital of country ${i} is city ${i}, on the river ${i}.` },
        { role: "user", content: `And the second largest city of country ${i}, please?` },
        { role: "assistant", content: `The second largest city of country ${i} is town ${i}.` },
      ],
    });
    const first = c.count(rec(1), "conversation");
    // the record's own messages, counted again for its trained spans, are not copied
    expect(first.trained).toBeGreaterThan(0);
    expect(engine.stats().segments).toBe(before);
    const second = c.count(rec(2), "conversation");
    void second.trained;
    // the system prompt (and the Llama 3.1 date header) repeat: they are
    const grown = engine.stats().segments - before;
    expect(grown).toBeGreaterThanOrEqual(1);
    expect(grown).toBeLessThanOrEqual(2);
    // and counts do not depend on the caches
    const fresh = await loadCounter(resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
    expect([first.total, first.trained, first.promptTokens]).toEqual([
      fresh.count(rec(1), "conversation").total,
      fresh.count(rec(1), "conversation").trained,
      fresh.count(rec(1), "conversation").promptTokens,
    ]);
  });
});

describe("load errors", () => {
  it("missing or invalid user files are TokenizerLoadErrors", async () => {
    const { TokenizerLoadError } = await import("../../src/tokens/load.js");
    const { customModel } = await import("../../src/models/index.js");
    const m = customModel("acme/x", { sft: 1024 });
    await expect(loadCounter(m, { tokenizerPath: "/nonexistent/tokenizer.json" })).rejects.toBeInstanceOf(TokenizerLoadError);
    await expect(
      loadCounter(resolveModel("togethercomputer/llama-2-7b-chat"), { chatTemplatePath: "/nonexistent/t.jinja" }),
    ).rejects.toBeInstanceOf(TokenizerLoadError);
    const dir = mkdtempSync(join(tmpdir(), "tunelint-bad-"));
    writeFileSync(join(dir, "bad.jinja"), "{% for %}");
    await expect(
      loadCounter(resolveModel("togethercomputer/llama-2-7b-chat"), { chatTemplatePath: join(dir, "bad.jinja") }),
    ).rejects.toBeInstanceOf(TokenizerLoadError);
  });
});

describe("added tokens (for rules that look for special tokens in the data)", () => {
  it("lists the tokenizer's added tokens with their special flag, after the family's load-time variant", async () => {
    const { loadCounter: load } = await import("../../src/tokens/load.js");
    const { resolveModel: resolve } = await import("../../src/models/index.js");
    const c = await load(resolve("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));
    const added = c.addedTokens();
    expect(added.find((t) => t.id === 128008)).toEqual({ id: 128008, content: "<|eom_id|>", special: true });
    expect(added.length).toBe(256);
    const q = await load(resolve("Qwen/Qwen2.5-7B-Instruct"));
    expect(q.addedTokens().some((t) => t.content === "<think>")).toBe(false);
    expect(q.addedTokens().find((t) => t.content === "<|im_end|>")?.special).toBe(true);
  });
});
