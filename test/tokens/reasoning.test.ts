/**
 * Reasoning format (`reasoning` / `reasoning_content` beside `content`): counted as each shipped template prints it.
 * Expected strings: fixtures/reasoning.json, rendered by Python Jinja2 configured as transformers does.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveModel } from "../../src/models/index.js";
import { loadCounter, type TokenCounter } from "../../src/tokens/load.js";
import { getShippedEngine } from "../../src/tokens/tokenizer.js";

const fx = JSON.parse(readFileSync(new URL("./fixtures/reasoning.json", import.meta.url), "utf8")) as {
  cases: { name: string; messages: Record<string, unknown>[] }[];
  renders: Record<string, Record<string, string>>;
};
const NOW = () => new Date("2026-01-05T12:00:00");

/** The case as a user writes it: `reasoning` (Together's name) or `reasoning_content`, and without any reasoning. */
const withReasoning = (m: Record<string, unknown>[]) =>
  m.map(({ reasoning_content, ...rest }) => (reasoning_content === undefined ? rest : { ...rest, reasoning: reasoning_content }));
const without = (m: Record<string, unknown>[]) => m.map(({ reasoning_content: _, ...rest }) => rest);

describe.each([
  ["Qwen/Qwen3-8B", "qwen3", "qwen3", undefined, true],
  ["meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "llama3.1", "llama3", "llama3.1", false],
  ["deepseek-ai/DeepSeek-R1", "deepseek-r1", "deepseek-v3", undefined, false],
  ["openai/gpt-oss-20b", "gpt-oss", "gpt-oss", undefined, false],
] as const)("%s", (id, template, file, variant, rendersReasoning) => {
  let counter: TokenCounter;
  beforeAll(async () => {
    counter = await loadCounter(resolveModel(id), { now: NOW });
  });
  it.each(fx.cases.map((c) => [c.name, c] as const))("%s: counts the template's own rendering", (_, c) => {
    const expected = getShippedEngine(file, variant).count(fx.renders[template]![c.name]!);
    const asReasoning = counter.count({ messages: withReasoning(c.messages) }, "conversation");
    const asContent = counter.count({ messages: c.messages }, "conversation");
    expect(asReasoning.exact).not.toBe(false);
    expect(asReasoning.total).toBe(expected);
    expect(asContent.total).toBe(expected);
    const plain = counter.count({ messages: without(c.messages) }, "conversation").total;
    if (rendersReasoning) expect(expected).toBeGreaterThan(plain);
    else expect(expected).toBe(plain); // the template ignores it
  });
  it("DPO outputs: the reasoning of each output counts in that output's sequence", () => {
    const input = { messages: [{ role: "user", content: "What is 2 + 2 * 3?" }] };
    const rec = (r1: string) => ({
      input,
      preferred_output: [{ role: "assistant", content: "8", reasoning: r1 }],
      non_preferred_output: [{ role: "assistant", content: "12" }],
    });
    const short = counter.count(rec("6, then 8."), "preference").total;
    const long = counter.count(rec("Multiplication comes first: 2 * 3 = 6; then 2 + 6 = 8. ".repeat(5)), "preference").total;
    if (rendersReasoning) expect(long).toBeGreaterThan(short);
    else expect(long).toBe(short);
  });
});
