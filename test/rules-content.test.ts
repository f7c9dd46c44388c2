/**
 * Behaviour of the rules about what the model learns, beyond their fixtures: special tokens come from the loaded
 * tokenizer (shipped, or a user's tokenizer.json), templated-content leaves the model's own tokens to
 * special-token-in-content, train_on_inputs changes what trains nothing, and tool-call pairing without ids.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { lint, ROOT } from "./helpers/lint.js";

function file(lines: unknown[], name = "data.jsonl"): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-rules-"));
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return p;
}
const find = (r: Awaited<ReturnType<typeof lint>>, id: string) =>
  r.diagnostics
    .filter((d) => d.ruleId === id)
    .map((d) => ({ line: d.line, column: d.column, pointer: d.pointer, messageId: d.messageId, ...(d.data ?? {}) }));

describe("special-token-in-content and templated-content", () => {
  const lines = [
    {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Done.<|im_end|>" },
      ],
    },
    {
      messages: [
        { role: "user", content: "Think: <think>hmm</think> and <tool_call>" },
        { role: "assistant", content: "ok" },
      ],
    },
    {
      messages: [
        { role: "user", content: "code <|fim_suffix|> here" },
        { role: "assistant", content: "[INST] no [/INST]" },
      ],
    },
  ];

  it("Qwen: its special tokens and <|...|>-shaped added tokens are errors; <think>, <tool_call> are text; foreign markers stay warnings", async () => {
    const r = await lint(file(lines), { model: "Qwen/Qwen2.5-7B-Instruct" });
    expect(find(r, "special-token-in-content")).toEqual([
      expect.objectContaining({ line: 1, column: 81, pointer: "/messages/1/content", messageId: "special", token: "<|im_end|>" }),
      expect.objectContaining({ line: 3, column: 45, pointer: "/messages/0/content", token: "<|fim_suffix|>" }),
    ]);
    // <|im_end|> is the model's own token: not reported twice
    expect(find(r, "templated-content")).toEqual([expect.objectContaining({ line: 3, pointer: "/messages/1/content", marker: "[INST]" })]);
  });

  it("without a model, the well-known markers are warnings", async () => {
    const r = await lint(file(lines));
    expect(find(r, "special-token-in-content")).toEqual([]);
    expect(find(r, "templated-content").map((d) => [d.line, d.marker])).toEqual([
      [1, "<|im_end|>"],
      [3, "[INST]"],
    ]);
  });

  it("a model counted with a stand-in tokenizer (estimate) is not judged by another model's tokens", async () => {
    const r = await lint(file(lines), { model: "deepseek-ai/DeepSeek-R1-Distill-Llama-70B" });
    expect(r.stats.tokens!.exact).toBe(false);
    expect(find(r, "special-token-in-content")).toEqual([]);
    expect(find(r, "templated-content").map((d) => [d.line, d.marker])).toEqual([
      [1, "<|im_end|>"],
      [3, "[INST]"],
    ]);
  });

  it("reads the control tokens of a user's --tokenizer file (its added_tokens)", async () => {
    const json = JSON.parse(gunzipSync(readFileSync(`${ROOT}data/tokenizers/llama2.json.gz`)).toString("utf8"));
    const max = Math.max(...json.added_tokens.map((t: { id: number }) => t.id));
    json.added_tokens.push({
      id: max + 1,
      content: "<my_turn_end>",
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    });
    const dir = mkdtempSync(join(tmpdir(), "tunelint-tok-"));
    writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(json));
    writeFileSync(join(dir, "t.jinja"), "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
    const r = await lint(
      file([
        {
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Bye<my_turn_end>" },
          ],
        },
      ]),
      {
        model: "acme/custom-1b",
        tokenizer: join(dir, "tokenizer.json"),
        chatTemplate: join(dir, "t.jinja"),
        maxSeqLength: 4096,
      },
    );
    expect(find(r, "special-token-in-content")).toEqual([
      expect.objectContaining({ line: 1, token: "<my_turn_end>", model: "acme/custom-1b" }),
    ]);
  });
});

describe("no-trained-tokens and train_on_inputs", () => {
  const zero = {
    messages: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!", weight: 0 },
    ],
  };
  it("all-weight-0 examples train nothing under auto and false, but not under true (the user message trains)", async () => {
    expect(find(await lint(file([zero])), "no-trained-tokens")).toHaveLength(1);
    expect(find(await lint(file([zero]), { trainOnInputs: false }), "no-trained-tokens")).toHaveLength(1);
    expect(find(await lint(file([zero]), { trainOnInputs: true }), "no-trained-tokens")).toEqual([]);
  });
  it("with --model the count agrees: 0 trained tokens, reported once (weight rule), stats count the record", async () => {
    const r = await lint(
      file([
        zero,
        {
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
        },
      ]),
      {
        model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      },
    );
    expect(find(r, "no-trained-tokens")).toEqual([
      expect.objectContaining({ line: 1, messageId: "allWeightZero", pointer: "/messages/1/weight" }),
    ]);
    expect(r.stats.tokens!.untrained).toBe(1);
  });
});

describe("tool-call pairing", () => {
  it("tool messages without tool_call_id answer the waiting calls in order", async () => {
    const r = await lint(
      file([
        {
          messages: [
            { role: "user", content: "Two dice." },
            {
              role: "assistant",
              tool_calls: [
                { type: "function", function: { name: "roll", arguments: "{}" } },
                { type: "function", function: { name: "roll", arguments: "{}" } },
              ],
            },
            { role: "tool", content: "3" },
            { role: "tool", content: "5" },
            { role: "assistant", content: "3 and 5." },
          ],
          tools: [{ type: "function", function: { name: "roll" } }],
        },
      ]),
    );
    for (const id of ["tool-call-unanswered", "tool-result-orphan", "tool-call-id-duplicate", "tool-undeclared"])
      expect(find(r, id)).toEqual([]);
  });
  it("DPO outputs may reuse each other's call ids; each is checked against input.tools", async () => {
    const call = (name: string) => [
      { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name, arguments: "{}" } }] },
    ];
    const r = await lint(
      file([
        {
          input: { messages: [{ role: "user", content: "Roll." }], tools: [{ type: "function", function: { name: "roll" } }] },
          preferred_output: call("roll"),
          non_preferred_output: call("flip"),
        },
      ]),
    );
    expect(find(r, "tool-call-id-duplicate")).toEqual([]);
    expect(find(r, "tool-undeclared")).toEqual([
      expect.objectContaining({ pointer: "/non_preferred_output/0/tool_calls/0/function/name", name: "flip" }),
    ]);
  });
});
