/**
 * Trained tokens: the tokens that enter the loss, as Together trains them (train_on_inputs auto|true|false), per record
 * and in stats.tokens, in the CLI summary and every format. Expected counts are built from the tokenizer's count of
 * the message text plus the template's end-of-turn token (Llama 3.1: `<|eot_id|>`; Qwen 2.5: `<|im_end|>` + "\n"),
 * so they do not reuse the counter's prefix arithmetic.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRecordLinter, lintRecord, prepareLint } from "../src/lint/lint.js";
import { resolveModel } from "../src/models/index.js";
import { loadCounter } from "../src/tokens/load.js";
import { lint } from "./helpers/lint.js";
import { tunelint } from "./helpers/cli.js";

const LLAMA = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
const QWEN = "Qwen/Qwen2.5-7B-Instruct";

function file(lines: unknown[], name = "data.jsonl"): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-trained-"));
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return p;
}

const u = (content: string) => ({ role: "user", content });
const a = (content: string, weight?: 0 | 1) =>
  weight === undefined ? { role: "assistant", content } : { role: "assistant", content, weight };

describe("RecordTokens.trained (counter)", async () => {
  const llama = await loadCounter(resolveModel(LLAMA));
  const qwen = await loadCounter(resolveModel(QWEN));
  const llamaAll = await loadCounter(resolveModel(LLAMA), { trainOnInputs: true });
  // plain text counts (no template): what the content contributes
  const text = (s: string) => llama.count({ text: s }, "general").total - 2; // minus BOS and EOS
  const qtext = (s: string) => qwen.count({ text: s }, "general").total - 1; // Qwen adds no BOS; minus EOS

  it("conversation: the assistant reply and its end-of-turn token, not the prompt or the header", () => {
    const r = llama.count({ messages: [u("What is the capital of France?"), a("Paris, of course.")] }, "conversation");
    expect(r.trained).toBe(text("Paris, of course.") + 1);
    expect(r.trained).toBe(r.total - r.promptTokens);
    const q = qwen.count({ messages: [u("Hi"), a("Hello there!")] }, "conversation");
    expect(q.trained).toBe(qtext("Hello there!") + 2);
  });

  it("multi-turn: every assistant message with weight 1 (default), none with weight 0", () => {
    const msgs = [
      u("Hi"),
      a("Hello!", 0),
      u("Tell me a joke."),
      a("Why did the chicken cross the road?"),
      u("Why?"),
      a("To get to the other side."),
    ];
    const r = llama.count({ messages: msgs }, "conversation");
    expect(r.trained).toBe(text("Why did the chicken cross the road?") + 1 + text("To get to the other side.") + 1);
    const none = llama.count({ messages: [u("Hi"), a("Hello!", 0)] }, "conversation");
    expect(none.trained).toBe(0);
  });

  it("train_on_inputs true: every token but those of weight-0 messages", () => {
    const r = llamaAll.count({ messages: [u("Hi"), a("Hello!")] }, "conversation");
    expect(r.trained).toBe(r.total);
    const w = llamaAll.count({ messages: [u("Hi"), a("Hello!", 0), u("Again"), a("Hello again!")] }, "conversation");
    expect(w.trained).toBe(w.total - (text("Hello!") + 1));
  });

  it("DPO: both outputs enter the loss", () => {
    const r = llama.count(
      { input: { messages: [u("Capital of France?")] }, preferred_output: [a("Paris.")], non_preferred_output: [a("I think it is Lyon.")] },
      "preference",
    );
    expect(r.trained).toBe(text("Paris.") + 1 + text("I think it is Lyon.") + 1);
  });

  it("instruction: the completion and EOS (train_on_inputs true: everything); general: everything", () => {
    const i = llama.count({ prompt: "Translate to French: cat", completion: " chat" }, "instruction");
    expect(i.trained).toBe(text(" chat") + 1);
    expect(llamaAll.count({ prompt: "Translate to French: cat", completion: " chat" }, "instruction").trained).toBe(i.total);
    const g = llama.count({ text: "Once upon a time" }, "general");
    expect(g.trained).toBe(g.total);
  });

  it("a record the template refuses still gets trained tokens (neutral layout), never more than its total", async () => {
    const mistral = await loadCounter(resolveModel("mistralai/Mistral-7B-Instruct-v0.2"));
    const r = mistral.count({ messages: [a("Hello!"), u("Hi")] }, "conversation");
    expect(r.exact).toBe(false);
    expect(r.trained).toBeGreaterThan(0);
    expect(r.trained).toBeLessThanOrEqual(r.total);
  });
});

describe("stats.tokens.trained", () => {
  const lines = [
    { messages: [u("Hi"), a("Hello!")] },
    { messages: [u("Hi"), a("Hello!", 0)] },
    { messages: [u("Tell me a story."), a("Once upon a time there was a linter that read every line.")] },
  ];

  it("sums the records, with min/max/mean/p50/p95 and the records that train nothing", async () => {
    const r = await lint(file(lines), { model: LLAMA });
    const t = r.stats.tokens!;
    const c = await loadCounter(resolveModel(LLAMA));
    const per = lines.map((l) => c.count(l, "conversation").trained);
    expect(per[1]).toBe(0);
    expect(t.trained).toBe(per[0]! + per[1]! + per[2]!);
    expect(t.trainedMin).toBe(0);
    expect(t.trainedMax).toBe(per[2]);
    expect(t.trainedP50).toBe(per[0]);
    expect(t.trainedP95).toBe(per[2]);
    expect(t.untrained).toBe(1);
    expect(t.trainOnInputs).toBe("auto");
    expect(t.trained).toBeLessThan(t.total);
  });

  it("follows train_on_inputs (option and config file)", async () => {
    const all = (await lint(file(lines), { model: LLAMA, trainOnInputs: true })).stats.tokens!;
    expect(all.trainOnInputs).toBe(true);
    // record 2's only assistant message has weight 0: its tokens stay out even with train_on_inputs true
    expect(all.trained).toBeLessThan(all.total);
    expect(all.trained).toBeGreaterThan((await lint(file(lines), { model: LLAMA })).stats.tokens!.trained);
    const viaConfig = (await prepareLint({ config: { model: LLAMA, trainOnInputs: true } })).trainOnInputs;
    expect(viaConfig).toBe(true);
    await expect(prepareLint({ config: false, trainOnInputs: "yes" as never })).rejects.toThrow(/train on inputs/);
  });

  it("workers count trained tokens identically, with the same train_on_inputs", async () => {
    const many = Array.from({ length: 300 }, (_, i) => lines[i % lines.length]!).map((l, i) => ({
      messages: (l.messages as object[]).map((m, k) => (k === 0 ? { ...m, content: `${i}: Hi` } : m)),
    }));
    const p = file(many);
    for (const trainOnInputs of ["auto", true] as const) {
      const single = await lint(p, { model: LLAMA, jobs: 1, trainOnInputs });
      const multi = await lint(p, { model: LLAMA, jobs: 2, parallelThreshold: 1, lazyTokenizer: true, trainOnInputs });
      expect(multi.stats.tokens).toEqual(single.stats.tokens);
      expect(multi.stats.tokens!.trainOnInputs).toBe(trainOnInputs);
      expect(multi.diagnostics).toEqual(single.diagnostics);
    }
  });

  it("lintRecord and createRecordLinter give each record's trained tokens", async () => {
    const prepared = await prepareLint({ config: false, model: LLAMA });
    const one = lintRecord(lines[0], prepared);
    expect(one.tokens).toMatchObject({ trained: 3, exact: true });
    expect(one.tokens!.total).toBeGreaterThan(one.tokens!.trained);
    const rl = createRecordLinter(prepared);
    expect(rl.push(lines[1]).tokens?.trained).toBe(0);
    expect(rl.push({ messages: "nope" }).tokens).toBeUndefined();
    expect(lintRecord(lines[0]).tokens).toBeUndefined(); // no model
  });
});

describe("CLI", () => {
  const lines = [{ messages: [u("Hi"), a("Hello!")] }, { messages: [u("Hi"), a("Hello!", 0)] }];

  it("prints the trained line, x epochs, and --train-on-inputs changes it", () => {
    const p = file(lines);
    const r = tunelint(["check", p, "--model", LLAMA, "--epochs", "3", "--no-config"]);
    expect(r.stderr + r.stdout).toMatch(
      /trained \(train_on_inputs auto\): 3, mean 2, p50 0, p95 3, max 3, 1 record trains nothing, x 3 epochs = 9 trained/,
    );
    const t = tunelint(["check", p, "--model", LLAMA, "--train-on-inputs", "true", "--no-config"]);
    expect(t.stderr + t.stdout).toMatch(/trained \(train_on_inputs true\): /);
    const bad = tunelint(["check", p, "--model", LLAMA, "--train-on-inputs", "maybe", "--no-config"]);
    expect(bad.code).toBe(2);
  });

  it("json, sarif, markdown, junit, github and html all carry the trained tokens", () => {
    const p = file(lines);
    const json = JSON.parse(tunelint(["check", p, "--model", LLAMA, "-f", "json", "--no-config"]).stdout);
    expect(json.files[0].stats.tokens).toMatchObject({ trained: 3, trainedP50: 0, trainedP95: 3, untrained: 1, trainOnInputs: "auto" });
    const sarif = JSON.parse(tunelint(["check", p, "--model", LLAMA, "-f", "sarif", "--no-config"]).stdout);
    expect(sarif.runs[0].properties.tokens[0]).toMatchObject({ trained: 3 });
    expect(tunelint(["check", p, "--model", LLAMA, "-f", "markdown", "--no-config"]).stdout).toContain(
      "| Trained | Trained p50 | Trained p95 |",
    );
    expect(tunelint(["check", p, "--model", LLAMA, "-f", "junit", "--no-config"]).stdout).toContain(
      '<property name="tokens.trained" value="3"/>',
    );
    expect(tunelint(["check", p, "--model", LLAMA, "-f", "github", "--no-config"]).stdout).toMatch(
      /::notice .*trained \(train_on_inputs auto\): 3/,
    );
    expect(tunelint(["check", p, "--model", LLAMA, "-f", "html", "--no-config"]).stdout).toMatch(
      /<dt>Trained<\/dt><dd>3 tokens enter the loss/,
    );
  });
});
