/** tunelint convert: every source form, real exports, and what cannot be converted. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { convertRecord, detectSource } from "../../src/convert/convert.js";
import { lintRecord } from "../../src/lint/lint.js";
import { CLI, FIXTURES, ROOT } from "../helpers/lint.js";
import { leafStrings } from "./strings.js";

const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: ROOT, input });
const tmp = () => mkdtempSync(join(tmpdir(), "tunelint-convert-"));
const FORMS = `${FIXTURES}convert/forms/`;
const REAL = `${FIXTURES}convert/real/`;

/** The records of a source file (JSON array, JSONL or concatenated pretty objects), parsed here independently. */
function sourceRecords(path: string): unknown[] {
  const text = readFileSync(path, "utf8");
  if (text.trimStart().startsWith("[")) return JSON.parse(text) as unknown[];
  try {
    return text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  } catch {
    return JSON.parse(`[${text.replace(/\}\n\{/g, "},{")}]`) as unknown[];
  }
}

const TEXT_KEY =
  /\/(value|content|text|instruction|input|output|system|prompt|chosen|rejected|question|completion|context|response)$|\/history\/\d+\/\d$|\/(chosen|rejected|prompt|completion|output)\/\d+$/;

/** The texts of a source record a conversion must carry over unchanged (tool-call JSON is re-encoded, so not those). */
function sourceTexts(rec: unknown): string[] {
  const clone = JSON.parse(JSON.stringify(rec)) as Record<string, unknown>;
  for (const k of ["conversations", "messages"]) {
    if (Array.isArray(clone[k])) clone[k] = (clone[k] as Record<string, unknown>[]).filter((t) => t?.from !== "function_call");
  }
  delete clone.tools;
  // LLaMA-Factory v1 tool_call parts hold the call as JSON, re-encoded as tool_calls.
  for (const k of ["messages", "chosen_messages", "rejected_messages"]) {
    for (const m of (clone[k] as Record<string, unknown>[] | undefined) ?? []) {
      if (Array.isArray(m?.content)) m.content = (m.content as Record<string, unknown>[]).filter((p) => p?.type !== "tool_call");
      // One tool message answering parallel calls (a JSON list of {tool_call_id, name, content}) becomes one per call.
      if (m?.role === "tool" && Array.isArray(m.content) && m.content.length === 1) {
        try {
          const list = JSON.parse((m.content as { value: string }[])[0]!.value);
          if (Array.isArray(list) && list.every((r) => typeof r?.content === "string"))
            m.content = list.map((r) => ({ type: "text", value: r.content }));
        } catch {
          // plain text
        }
      }
    }
  }
  return leafStrings(clone, (p) => TEXT_KEY.test(p) && !/\/tool_calls\//.test(p)).filter((s) => s !== "");
}

function outputRecords(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function expectTextsKept(src: unknown[], out: unknown[]) {
  expect(out.length).toBe(src.length);
  for (let i = 0; i < src.length; i++) {
    const haystack = leafStrings(out[i]).join("\u0001");
    for (const t of sourceTexts(src[i])) expect(haystack.includes(t), `record ${i + 1}: ${JSON.stringify(t).slice(0, 80)}`).toBe(true);
  }
}

function convert(input: string, extra: string[] = []) {
  const dir = tmp();
  const out = join(dir, "out.jsonl");
  const r = run(["convert", input, "-o", out, "--format", "json", "--no-config", ...extra]);
  return { r, out, report: r.stdout ? JSON.parse(r.stdout) : null };
}

describe("convert: every source form", () => {
  const cases: [string, string, string, string[]?][] = [
    ["openai-legacy.jsonl", "openai", "conversation"],
    ["openai-dpo.jsonl", "openai", "preference"],
    ["sharegpt-tools.jsonl", "sharegpt", "conversation"],
    ["sharegpt-dpo.json", "sharegpt", "preference"],
    ["sequence.json", "sharegpt", "conversation"],
    ["alpaca.json", "alpaca", "conversation"],
    ["alpaca-dpo.json", "alpaca", "preference"],
    ["alpaca-instruction.json", "alpaca", "instruction", ["--to", "instruction"]],
    ["vertex.jsonl", "vertex", "conversation"],
    ["trl.jsonl", "trl", "preference"],
    ["sharegpt-slimorca.jsonl", "sharegpt", "conversation"],
    ["sharegpt-capybara.jsonl", "sharegpt", "conversation"],
    ["openai-ultrachat.jsonl", "openai", "conversation"],
    ["openai-cohere.jsonl", "openai", "conversation"],
    ["trl-ultrafeedback.jsonl", "trl", "preference"],
    ["alpaca-dolly.jsonl", "alpaca", "conversation"],
  ];
  it.each(cases)("%s (%s) -> %s: exit 0, every record, every text, and `check` finds no error", (file, from, format, extra) => {
    const { r, out, report } = convert(FORMS + file, extra);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(report.from).toBe(from);
    expect(report.notConverted).toEqual([]);
    const src = sourceRecords(FORMS + file);
    expect(report.records).toBe(src.length);
    expect(report.written).toBe(src.length);
    expectTextsKept(src, outputRecords(out));
    const check = run(["check", out, "--format", "json", "--no-config"]);
    expect(check.status).toBe(0);
    const checked = JSON.parse(check.stdout);
    expect(checked.errorCount).toBe(0);
    expect(checked.files[0].format).toBe(format);
  });

  it("OpenAI legacy functions: tools, tool_calls with generated ids, role tool, developer -> system", () => {
    const { out } = convert(FORMS + "openai-legacy.jsonl");
    const [first, second, third] = outputRecords(out) as Record<string, unknown>[];
    expect(first).toEqual({
      messages: [
        { role: "system", content: "You answer weather questions." },
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }],
        },
        { role: "tool", content: '{"temp_c": 21}', tool_call_id: "call_1" },
        { role: "assistant", content: "It is 21 °C in Paris." },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
    });
    expect("parallel_tool_calls" in second!).toBe(false);
    const calls = (second!.messages as Record<string, unknown>[])[2]!.tool_calls as { id: string; function: { arguments: string } }[];
    expect(calls.map((c) => c.id)).toEqual(["a1", "a2"]); // existing ids are kept
    expect(calls[0]!.function.arguments).toBe('{"city":"Paris"}'); // an object becomes its JSON text
    expect(third).toEqual({
      messages: [
        { role: "user", content: "Say hi in French." },
        { role: "assistant", content: "Bonjour !" },
      ],
    });
    // LLaMA-Factory's OpenAI-style file: `system` beside messages, tools as a JSON string, calls without ids.
    const fourth = outputRecords(out)[3] as { messages: Record<string, unknown>[]; tools: unknown[] };
    expect(fourth.messages[0]).toEqual({ role: "system", content: "You are terse." });
    expect(fourth.messages[2]!.tool_calls).toEqual([{ type: "function", function: { name: "now", arguments: "{}" }, id: "call_1" }]);
    expect(fourth.messages[3]).toEqual({ role: "tool", content: "12:00", tool_call_id: "call_1" });
    expect(fourth.tools).toEqual([
      { type: "function", function: { name: "now", description: "Current time", parameters: { type: "object", properties: {} } } },
    ]);
  });

  it("ShareGPT function_call (parallel) and observation turns answer each call in order; tools from a JSON string", () => {
    const { out, report } = convert(FORMS + "sharegpt-tools.jsonl");
    const rec = outputRecords(out)[0] as { messages: Record<string, unknown>[]; tools: unknown[] };
    expect(rec.messages[0]).toEqual({ role: "system", content: "You are a weather bot." });
    expect(rec.messages[2]!.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
    ]);
    expect(rec.messages.slice(3, 5)).toEqual([
      { role: "tool", tool_call_id: "call_1", content: '{"temp_c": 18}' },
      { role: "tool", tool_call_id: "call_2", content: '{"temp_c": 25}' },
    ]);
    expect(rec.tools).toHaveLength(1);
    expect(report.changes["tools JSON string -> list"]).toBe(1);
    expect(report.changes['dropped key "id"']).toBe(1);
  });

  it("Vertex: systemInstruction, model -> assistant, functionCall/functionResponse, functionDeclarations", () => {
    const { out } = convert(FORMS + "vertex.jsonl");
    const [a, b] = outputRecords(out) as { messages: Record<string, unknown>[]; tools?: unknown[] }[];
    expect(a!.messages).toEqual([
      { role: "system", content: "You are a pirate." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Ahoy, matey!" },
    ]);
    expect(b!.messages[1]).toEqual({
      role: "assistant",
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
    });
    expect(b!.messages[2]).toEqual({ role: "tool", tool_call_id: "call_1", content: '{"temp_c":3}' });
    expect(b!.tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      },
    ]);
  });

  it("Hugging Face export shapes: SlimOrca weights, Capybara exchanges, UltraChat prompt copies, Cohere roles, Dolly", () => {
    expect(outputRecords(convert(FORMS + "sharegpt-slimorca.jsonl").out)[0]).toEqual({
      messages: [
        { role: "system", content: "You are an AI assistant." },
        { role: "user", content: "Translate 'cat' to French.", weight: 0 },
        { role: "assistant", content: "chat", weight: 1 },
      ],
    });
    expect((outputRecords(convert(FORMS + "sharegpt-capybara.jsonl").out)[0] as { messages: unknown[] }).messages).toEqual([
      { role: "user", content: "What is 7 x 8?" },
      { role: "assistant", content: "56." },
      { role: "user", content: "And 7 x 9?" },
      { role: "assistant", content: "63." },
    ]);
    expect(Object.keys(outputRecords(convert(FORMS + "openai-ultrachat.jsonl").out)[0] as object)).toEqual(["messages"]);
    expect(
      (outputRecords(convert(FORMS + "openai-cohere.jsonl").out)[0] as { messages: { role: string }[] }).messages.map((m) => m.role),
    ).toEqual(["system", "user", "assistant"]);
    expect((outputRecords(convert(FORMS + "alpaca-dolly.jsonl").out)[0] as { messages: unknown[] }).messages).toEqual([
      { role: "user", content: "When was the bridge built?\nThe bridge opened in 1932 after six years of work." },
      { role: "assistant", content: "It opened in 1932." },
    ]);
    expect(outputRecords(convert(FORMS + "trl-ultrafeedback.jsonl").out)[0]).toEqual({
      input: { messages: [{ role: "user", content: "Name a planet." }] },
      preferred_output: [{ role: "assistant", content: "Mars." }],
      non_preferred_output: [{ role: "assistant", content: "The Moon." }],
    });
  });

  it("KTO with prompt/completion: label true converts, label false is reported", () => {
    const { r, report } = convert(FORMS + "kto.jsonl");
    expect(r.status).toBe(1);
    expect(report.notConverted.map((i: { line: number; pointer: string }) => [i.line, i.pointer])).toEqual([[2, "/label"]]);
    const skipped = convert(FORMS + "kto.jsonl", ["--skip-invalid"]);
    expect(skipped.r.status).toBe(0);
    expect(outputRecords(skipped.out)).toEqual([{ prompt: "Is water wet?", completion: "Yes, in the everyday sense." }]);
  });

  it("TRL: strings, message lists, an implicit prompt, system + question", () => {
    const { out } = convert(FORMS + "trl.jsonl");
    const recs = outputRecords(out) as { input: { messages: unknown[] }; preferred_output: unknown[] }[];
    expect(recs[2]).toEqual({
      input: { messages: [{ role: "user", content: "Best pet?" }] },
      preferred_output: [{ role: "assistant", content: "A dog." }],
      non_preferred_output: [{ role: "assistant", content: "A rock." }],
    });
    expect(recs[3]!.input.messages).toEqual([
      { role: "system", content: "You are helpful." },
      { role: "user", content: "1+1?" },
    ]);
    // UltraFeedback style: the prompt repeated at the head of chosen and rejected.
    expect(recs[4]).toEqual({
      input: { messages: [{ role: "user", content: "Best color?" }] },
      preferred_output: [{ role: "assistant", content: "Blue, for many." }],
      non_preferred_output: [{ role: "assistant", content: "Beige, always." }],
    });
  });
});

describe("convert: real exports", () => {
  const clean: [string, string][] = [
    ["llamafactory-alpaca_en_demo.json", "alpaca"],
    ["llamafactory-identity.json", "alpaca"],
    ["llamafactory-glaive_toolcall_en_demo.json", "sharegpt"],
    ["llamafactory-dpo_en_demo.json", "sharegpt"],
    ["fastchat-dummy_conversation.json", "sharegpt"],
    ["openai-cookbook-toy_chat_fine_tuning.jsonl", "openai"],
    ["openai-cookbook-drone_training.jsonl", "openai"],
    ["llamafactory-v1_sft_demo.jsonl", "openai"],
    ["llamafactory-v1_dpo_demo.jsonl", "trl"],
    ["llamafactory-reason_tool_use_demo_50.jsonl", "openai"],
  ];
  it.each(clean)("%s (%s): converted whole; `check` finds no error", (file, from) => {
    const { r, out, report } = convert(REAL + file);
    expect(r.status).toBe(0);
    expect(report.from).toBe(from);
    expect(report.notConverted).toEqual([]);
    expectTextsKept(sourceRecords(REAL + file), outputRecords(out));
    const check = run(["check", out, "--format", "json", "--no-config"]);
    expect(JSON.parse(check.stdout).errorCount).toBe(0);
  });

  it("LLaMA-Factory KTO: the label-false example is reported, kept unless --skip-invalid", () => {
    const kept = convert(REAL + "llamafactory-kto_en_demo.json");
    expect(kept.r.status).toBe(1);
    expect(kept.report.notConverted).toEqual([
      { index: 1, line: expect.any(Number), pointer: "/label", message: expect.stringContaining("KTO example labelled false") },
    ]);
    expect(kept.report.written).toBe(2);
    const skipped = convert(REAL + "llamafactory-kto_en_demo.json", ["--skip-invalid"]);
    expect(skipped.r.status).toBe(0);
    expect(skipped.report.written).toBe(1);
    expect(skipped.report.notConverted).toHaveLength(1);
  });

  it("LLaMA-Factory images by path and a tool call written as text are reported, never guessed", () => {
    const mllm = convert(REAL + "llamafactory-mllm_demo.json");
    expect(mllm.r.status).toBe(1);
    expect(mllm.report.notConverted[0].pointer).toBe("/images");
    const zh = convert(REAL + "llamafactory-glaive_toolcall_zh_demo.json");
    expect(zh.report.notConverted).toEqual([
      { index: 1, line: expect.any(Number), pointer: "/conversations/2", message: expect.stringContaining("no earlier function_call") },
    ]);
  });
});

describe("convert: LLaMA-Factory v1 (content parts of {type, value}, loss_weight, chosen_messages)", () => {
  it("text parts become content, reasoning parts `reasoning`, tool_call parts tool_calls answered by the tool turns", () => {
    const { out } = convert(REAL + "llamafactory-reason_tool_use_demo_50.jsonl");
    const [, second] = outputRecords(out) as { messages: Record<string, unknown>[] }[];
    const m = second!.messages;
    expect(m[2]!.role).toBe("assistant");
    expect(typeof m[2]!.reasoning).toBe("string");
    expect((m[2]!.tool_calls as { id: string }[]).map((c) => c.id)).toEqual(["call_1", "call_2"]);
    // One tool message with a JSON list of both results becomes one tool message per call.
    expect(m[3]).toEqual({ role: "tool", tool_call_id: "call_1", content: "{'area': 7.0686, 'radius': 1.5, 'unit':'square meters'}" });
    expect(m[4]).toEqual({ role: "tool", tool_call_id: "call_2", content: "{'area': 28.2743, 'radius': 3, 'unit':'square meters'}" });
    expect(m[5]!.role).toBe("assistant");
    expect(typeof m[5]!.content).toBe("string");
  });

  it("loss_weight 0/1 becomes weight; chosen_messages/rejected_messages become a preference pair", () => {
    const sft = convert(REAL + "llamafactory-v1_sft_demo.jsonl");
    expect((outputRecords(sft.out)[0] as { messages: unknown[] }).messages).toEqual([
      { role: "user", content: "hi", weight: 0 },
      {
        role: "assistant",
        content: "Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?",
        weight: 1,
      },
    ]);
    const dpo = convert(REAL + "llamafactory-v1_dpo_demo.jsonl");
    const rec = outputRecords(dpo.out)[0] as {
      input: { messages: unknown[] };
      preferred_output: unknown[];
      non_preferred_output: unknown[];
    };
    expect(rec.input.messages).toHaveLength(2);
    expect(rec.preferred_output).toHaveLength(1);
    expect(rec.non_preferred_output).toHaveLength(1);
  });

  it("a loss_weight other than 0 or 1 is not convertible", () => {
    const r = convertRecord({
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b", loss_weight: 0.5 },
      ],
    });
    expect(r.error).toEqual({ pointer: "/messages/1/loss_weight", message: expect.stringContaining("0 or 1") });
  });
});

describe("convert: what cannot be converted is said, and dropped only with --skip-invalid", () => {
  it("reports each bad record with its line; keeps them as they were; exit 1", () => {
    const { r, out, report } = convert(FORMS + "unconvertible.jsonl");
    expect(r.status).toBe(1);
    expect(report.notConverted.map((i: { line: number; pointer: string }) => [i.line, i.pointer])).toEqual([
      [2, "/conversations/0/from"],
      [3, ""],
      [4, ""],
      [5, "/conversations/0"],
    ]);
    expect(report.notConverted[0].message).toContain('unknown speaker "narrator"');
    expect(report.records).toBe(6);
    expect(report.written).toBe(6);
    const lines = readFileSync(out, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(6);
    expect(lines[2]).toBe('{"conversations": [{"from": "human", "value": "broken'); // kept as it was
    expect(JSON.parse(lines[1]!)).toEqual(JSON.parse(readFileSync(FORMS + "unconvertible.jsonl", "utf8").split("\n")[1]!));
  });

  it("--skip-invalid leaves them out; the rest converts; exit 0", () => {
    const { r, out, report } = convert(FORMS + "unconvertible.jsonl", ["--skip-invalid"]);
    expect(r.status).toBe(0);
    expect(report.written).toBe(2);
    expect(outputRecords(out).length).toBe(2);
  });

  it("the stylish report names the records and what became of them", () => {
    const dir = tmp();
    const r = run(["convert", FORMS + "unconvertible.jsonl", "-o", join(dir, "o.jsonl"), "--no-config"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Not converted (4; kept as they were");
    expect(r.stderr).toMatch(/line 2 \(record 2\) \/conversations\/0\/from: unknown speaker "narrator"/);
    expect(r.stderr).toContain("6 records read, 6 written, 4 not converted");
  });

  it("a truncated JSON array is an error even with --skip-invalid", () => {
    const dir = tmp();
    const inp = join(dir, "cut.json");
    writeFileSync(inp, '[{"instruction": "a", "input": "", "output": "b"}, {"instruction": "c", "inp');
    const r = run(["convert", inp, "-o", join(dir, "o.jsonl"), "--skip-invalid", "--format", "json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).written).toBe(1);
    expect(JSON.parse(r.stdout).notConverted.map((i: { index: number | null }) => i.index)).toEqual([1, null]);
    expect(JSON.parse(r.stdout).notConverted[1].message).toContain("not closed");
  });
});

describe("convert: command", () => {
  it("-o - writes JSONL on stdout, the report on stderr; --from forces the source", () => {
    const r = run(["convert", "-", "-o", "-", "--from", "alpaca"], JSON.stringify([{ instruction: "Hi", input: "", output: "Hello" }]));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}\n');
    expect(r.stderr).toContain("tunelint convert: <stdin> (alpaca, JSON array) -> <stdout>");
  });

  it("Ctrl-C stops it: exit 130, and the partial output is removed", async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [CLI, "convert", "-", "-o", join(dir, "out.jsonl")], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdin.write('{"conversations": [{"from": "human", "value": "a"}, {"from": "gpt", "value": "b"}]}\n');
    // Wait until the temporary output exists (the run is under way and waiting for more input).
    for (let i = 0; i < 100 && readdirSync(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir)).toHaveLength(1);
    child.kill("SIGINT");
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(130);
    expect(err).toBe("tunelint: aborted.\n");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses to write over the input", () => {
    const dir = tmp();
    const inp = join(dir, "a.json");
    writeFileSync(inp, "[]");
    const r = run(["convert", inp, "-o", join(dir, "..", dir.split("/").pop()!, "a.json")]);
    expect(r.status).toBe(2);
    expect(readFileSync(inp, "utf8")).toBe("[]");
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });
});

describe("convertRecord / detectSource", () => {
  it("detects each source from its keys", () => {
    expect(detectSource({ conversations: [] })).toBe("sharegpt");
    expect(detectSource({ messages: [{ from: "human", value: "x" }] })).toBe("sharegpt");
    expect(detectSource({ messages: [{ role: "user", content: "x" }] })).toBe("openai");
    expect(detectSource({ contents: [] })).toBe("vertex");
    expect(detectSource({ instruction: "a", output: "b" })).toBe("alpaca");
    expect(detectSource({ prompt: "a", chosen: "b", rejected: "c" })).toBe("trl");
    expect(detectSource({ prompt: "a", completion: "b" })).toBe("together");
    expect(detectSource({ foo: 1 })).toBeNull();
  });

  it("its output lints clean with lintRecord; an unconvertible record says where and why", () => {
    const ok = convertRecord({
      conversations: [
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Yo" },
      ],
      id: 3,
    });
    expect(ok.error).toBeUndefined();
    expect(lintRecord(ok.record).errorCount).toBe(0);
    expect(ok.changes).toContain('dropped key "id"');
    const bad = convertRecord({ messages: [{ role: "function", name: "f", content: "1" }] });
    expect(bad.error).toEqual({ pointer: "/messages/0", message: expect.stringContaining("answers no earlier function call") });
    expect(convertRecord([1]).error!.message).toContain("must be a JSON object");
  });

  it("never modifies its input", () => {
    for (const v of [
      {
        id: 1,
        messages: [
          { role: "User", content: "a", weight: true },
          { role: "assistant", content: null, tool_calls: [{ function: { name: "f", arguments: {} } }] },
          { role: "tool", content: "r" },
        ],
      },
      {
        input: { messages: [{ role: "Human", content: "q" }], parallel_tool_calls: false },
        preferred_output: [{ role: "GPT", content: "a" }],
        non_preferred_output: [{ role: "model", content: "b" }],
      },
      { prompt: "p", completion: "c", source: "x" },
    ]) {
      const before = JSON.stringify(v);
      expect(convertRecord(v).error).toBeUndefined();
      expect(JSON.stringify(v)).toBe(before);
    }
  });
});
