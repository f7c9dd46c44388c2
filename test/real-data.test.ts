/**
 * Real public function-calling data (test/fixtures/real/README.md names the sources): what is valid passes the rules
 * about tool calls, special tokens and trained tokens; the real faults in it are found.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, lint } from "./helpers/lint.js";

const RULES = new Set([
  "tool-arguments-invalid",
  "tool-undeclared",
  "tool-arguments-schema",
  "tool-call-id-duplicate",
  "tool-result-orphan",
  "tool-call-unanswered",
  "special-token-in-content",
  "templated-content",
  "no-trained-tokens",
  "tool-call-invalid",
  "tools-invalid",
]);
const ours = (r: Awaited<ReturnType<typeof lint>>) =>
  r.diagnostics.filter((d) => RULES.has(d.ruleId)).map((d) => `${d.line}:${d.column} ${d.ruleId}/${d.messageId} ${d.pointer}`);

describe.each([
  ["without a model", {}],
  ["with Qwen 2.5 (a function-calling model on Together)", { model: "Qwen/Qwen2.5-7B-Instruct" }],
  ["with Llama 3.1", { model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" }],
])("real data, %s", (_name, options) => {
  it("OpenAI cookbook drone_training.jsonl: no tool-call, token or training finding (only Together's extra-column error)", async () => {
    const r = await lint(`${FIXTURES}real/openai-cookbook-drone.jsonl`, options);
    expect(ours(r)).toEqual([]);
    expect([...new Set(r.diagnostics.map((d) => d.ruleId))]).toEqual(["unknown-key"]);
    // without the OpenAI-only key, as Together wants the file: no finding at all, and each record trains its call
    const lines = readFileSync(`${FIXTURES}real/openai-cookbook-drone.jsonl`, "utf8").trim().split("\n");
    const dir = mkdtempSync(join(tmpdir(), "tunelint-real-"));
    writeFileSync(
      join(dir, "drone.jsonl"),
      lines.map((l) => JSON.stringify({ ...JSON.parse(l), parallel_tool_calls: undefined })).join("\n") + "\n",
    );
    const clean = await lint(join(dir, "drone.jsonl"), options);
    expect(clean.diagnostics.filter((d) => d.ruleId !== "duplicate-example")).toEqual([]);
    if ("model" in options) {
      expect(clean.stats.tokens!.untrained).toBe(0);
      expect(clean.stats.tokens!.trainedMin).toBeGreaterThan(5);
    }
  });

  it("LLaMA-Factory glaive_toolcall_en_demo (40 records, converted): passes", async () => {
    const r = await lint(`${FIXTURES}real/llama-factory-glaive-toolcall-en.jsonl`, options);
    expect(ours(r)).toEqual([]);
    if ("model" in options) {
      expect(r.stats.tokens!.untrained).toBe(0);
      expect(r.stats.tokens!.trained).toBeLessThan(r.stats.tokens!.total);
    }
  });

  it("LLaMA-Factory glaive_toolcall_zh_demo (40 records, converted): only its two real argument/schema mismatches", async () => {
    const r = await lint(`${FIXTURES}real/llama-factory-glaive-toolcall-zh.jsonl`, options);
    // record 6: the schema requires all of radius, length, width, base and height in `dimensions`, the call gives two;
    // record 22: the call omits the required "keywords"
    expect(ours(r)).toEqual([
      "6:180 tool-arguments-schema/mismatch /messages/1/tool_calls/0/function/arguments",
      "6:180 tool-arguments-schema/mismatch /messages/1/tool_calls/0/function/arguments",
      "6:180 tool-arguments-schema/mismatch /messages/1/tool_calls/0/function/arguments",
      "22:844 tool-arguments-schema/mismatch /messages/5/tool_calls/0/function/arguments",
    ]);
  });
});
