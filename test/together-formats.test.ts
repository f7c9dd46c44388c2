/**
 * Together as documented today (the formats it accepts and refuses), through the built CLI with --format json, as a
 * user runs it: every valid form passes with no error; every refusal is one clear finding.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CLI, FIXTURES, ROOT, lint } from "./helpers/lint.js";
import type { Diagnostic, FileResult, LintReport } from "../src/types.js";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "tunelint-together-"));
}

function write(name: string, records: unknown[] | string): string {
  const path = join(tmp(), name);
  writeFileSync(path, typeof records === "string" ? records : records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return path;
}

function check(args: string[], cwd?: string): { code: number; doc: LintReport } {
  const r = spawnSync(process.execPath, [CLI, "check", ...args, "--no-config", "--format", "json"], { encoding: "utf8", cwd });
  return { code: r.status ?? -1, doc: JSON.parse(r.stdout) as LintReport };
}

const errors = (f: FileResult) => f.diagnostics.filter((d) => d.severity === "error");
const brief = (d: Diagnostic[]) => d.map((x) => [x.ruleId, x.line, x.pointer]);

describe("accepted as Together documents it (no error)", () => {
  const cases: [string, unknown[]][] = [
    [
      "reasoning in conversations (reasoning and reasoning_content)",
      [
        {
          messages: [
            { role: "user", content: "What is 17 * 24?" },
            { role: "assistant", reasoning: "340 + 68 = 408.", content: "408" },
          ],
        },
        {
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Is 91 prime?" },
            { role: "assistant", reasoning_content: "91 = 7 * 13.", content: "No." },
          ],
        },
      ],
    ],
    [
      "reasoning in both DPO outputs",
      [
        {
          input: { messages: [{ role: "user", content: "2 + 2 * 3?" }] },
          preferred_output: [{ role: "assistant", reasoning: "2 * 3 first: 8.", content: "8" }],
          non_preferred_output: [{ role: "assistant", reasoning_content: "Left to right: 12.", content: "12" }],
        },
      ],
    ],
    [
      "VLM instruction: part-list prompt with images, part-list or string completion",
      [
        {
          prompt: [
            { type: "text", text: "What's the difference between these two images?" },
            { type: "image_url", image_url: { url: PNG } },
            { type: "image_url", image_url: { url: PNG } },
          ],
          completion: [{ type: "text", text: "None: they are the same red pixel." }],
        },
        {
          prompt: [
            { type: "text", text: "Colour?" },
            { type: "image_url", image_url: { url: PNG } },
          ],
          completion: "Red.",
        },
      ],
    ],
    [
      "DPO with tools inside input and a tool-call output without content",
      [
        {
          input: {
            messages: [{ role: "user", content: "Weather in Paris?" }],
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
          },
          preferred_output: [
            {
              role: "assistant",
              tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }],
            },
          ],
          non_preferred_output: [{ role: "assistant", content: "Sunny, probably." }],
        },
      ],
    ],
    ["a sample weight on every format (0, floats, above 1)", [{ text: "Plain text.", weight: 0 }]],
    ["instruction weight", [{ prompt: "Translate: cat", completion: "chat", weight: 0.5 }]],
    [
      "conversation weight",
      [
        {
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
          weight: 2.5,
        },
      ],
    ],
    [
      "preference weight",
      [
        {
          input: { messages: [{ role: "user", content: "Hi" }] },
          preferred_output: [{ role: "assistant", content: "Hello!" }],
          non_preferred_output: [{ role: "assistant", content: "Go away." }],
          weight: 1.0,
        },
      ],
    ],
  ];
  it.each(cases)("%s", (_, records) => {
    const r = check([write("data.jsonl", records)]);
    expect([r.code, errors(r.doc.files[0]!)]).toEqual([0, []]);
  });

  it("extra top-level keys are a warning that says Together ignores them and suggests removing them", () => {
    const r = check([
      write("data.jsonl", [
        {
          id: 7,
          source: "hf",
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
        },
      ]),
    ]);
    expect(r.code).toBe(0);
    const d = r.doc.files[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.severity, x.line, x.pointer])).toEqual([
      ["unknown-key", "warning", 1, "/id"],
      ["unknown-key", "warning", 1, "/source"],
    ]);
    expect(d[0]!.message).toMatch(/Together ignores other fields during training; remove them to shrink the upload/);
  });
});

describe("refused as Together refuses, once and clearly", () => {
  it("a record with the keys of two formats is an error", () => {
    const r = check([
      write("data.jsonl", [
        {
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
          text: "Hi",
        },
      ]),
    ]);
    expect([r.code, brief(errors(r.doc.files[0]!))]).toEqual([1, [["ambiguous-format", 1, "/text"]]]);
  });

  it("negative, non-finite and non-number sample weights are errors; per-message weight stays 0 or 1", () => {
    const r = check([
      write(
        "data.jsonl",
        '{"text": "a", "weight": -0.5}\n{"text": "b", "weight": 1e999}\n{"text": "c", "weight": "1"}\n{"text": "d", "weight": null}\n',
      ),
    ]);
    expect(brief(errors(r.doc.files[0]!))).toEqual([
      ["weight-invalid", 1, "/weight"],
      ["weight-invalid", 2, "/weight"],
      ["weight-invalid", 3, "/weight"],
      ["weight-invalid", 4, "/weight"],
    ]);
    expect(r.doc.files[0]!.diagnostics[1]!.message).toContain("found Infinity");
    const m = check([
      write("m.jsonl", [
        {
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!", weight: 0.5 },
          ],
        },
      ]),
    ]);
    expect(brief(errors(m.doc.files[0]!))).toEqual([["weight-invalid", 1, "/messages/1/weight"]]);
  });

  it.each(["data.json", "data.txt", "data.ndjson", "data.json.gz"])("the name %s is one file-level error", (name) => {
    const line = JSON.stringify({ text: "Hello." }) + "\n";
    const path = join(tmp(), name);
    writeFileSync(path, name.endsWith(".gz") ? gzipSync(line) : line);
    const r = check([path]);
    expect([r.code, brief(r.doc.files[0]!.diagnostics)]).toEqual([1, [["file-extension", null, ""]]]);
    expect(r.doc.files[0]!.diagnostics[0]!.severity).toBe("error");
  });

  it(".jsonl, .jsonl.gz and .parquet names are fine", () => {
    const line = JSON.stringify({ text: "Hello." }) + "\n";
    const dir = tmp();
    writeFileSync(join(dir, "a.jsonl"), line);
    writeFileSync(join(dir, "b.JSONL.gz"), gzipSync(line));
    const r = check([join(dir, "a.jsonl"), join(dir, "b.JSONL.gz"), `${ROOT}samples/pretokenized-valid.parquet`]);
    expect([r.code, r.doc.files.flatMap((f) => f.diagnostics)]).toEqual([0, []]);
  });

  it("images in the completion of a VLM instruction record, and placeholder images, are errors", () => {
    const r = check([
      write("data.jsonl", [
        { prompt: [{ type: "text", text: "Draw" }], completion: [{ type: "image_url", image_url: { url: PNG } }] },
        {
          prompt: [
            { type: "text", text: "What?" },
            { type: "image_url", image_url: { url: "data:image/jpeg;base64,..." } },
          ],
          completion: "A cat.",
        },
      ]),
    ]);
    expect(brief(errors(r.doc.files[0]!))).toEqual([
      ["image-not-in-user-message", 1, "/completion/0/image_url/url"],
      ["image-invalid", 2, "/prompt/1/image_url/url"],
    ]);
  });
});

describe("a whole file that is one JSON document", () => {
  const examples = [
    {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
    },
    {
      messages: [
        { role: "user", content: "Bye" },
        { role: "assistant", content: "Goodbye!" },
      ],
    },
  ];
  const forms: [string, string, "array" | "object"][] = [
    ["a pretty-printed array (LLaMA-Factory, json.dump(indent=2))", JSON.stringify(examples, null, 2) + "\n", "array"],
    ["a one-line array (json.dump)", JSON.stringify(examples), "array"],
    ["an array with one example per line", "[" + examples.map((e) => JSON.stringify(e)).join(",\n") + "]\n", "array"],
    ["an array after blank lines and a BOM", "\uFEFF\n\n" + JSON.stringify(examples, null, 4), "array"],
    ["one pretty-printed object", JSON.stringify(examples[0], null, 2) + "\n", "object"],
    ["pretty-printed objects one after another (jq .)", examples.map((e) => JSON.stringify(e, null, 2)).join("\n") + "\n", "object"],
  ];
  it.each(forms)("%s is one file-level finding with a hint that works", (_, text, kind) => {
    const dir = tmp();
    writeFileSync(join(dir, "train.json"), text);
    const r = check(["train.json"], dir);
    const f = r.doc.files[0]!;
    expect([r.code, brief(f.diagnostics)]).toEqual([1, [["json-document", null, ""]]]);
    const msg = f.diagnostics[0]!.message;
    expect(msg).toContain(kind === "array" ? "jq -c '.[]' train.json > train.jsonl" : "jq -c . train.json > train.jsonl");
    expect(msg).toContain("tunelint convert train.json -o train.jsonl");
    // the hint works: run the jq command it gives, then check the result
    const cmd = /`(jq [^`]+)`/.exec(msg)![1]!;
    const jq = spawnSync("sh", ["-c", cmd], { cwd: dir, encoding: "utf8" });
    expect(jq.status, jq.stderr).toBe(0);
    const after = check(["train.jsonl"], dir);
    expect([after.code, after.doc.files[0]!.records, after.doc.files[0]!.diagnostics]).toEqual([0, text.includes("Bye") ? 2 : 1, []]);
  });

  it("a gzipped JSON array gets a hint that decompresses first, and it works", () => {
    const dir = tmp();
    writeFileSync(join(dir, "train.json.gz"), gzipSync(JSON.stringify(examples, null, 2)));
    const r = check(["train.json.gz"], dir);
    const msg = r.doc.files[0]!.diagnostics.map((d) => d.message).join("\n");
    expect(brief(r.doc.files[0]!.diagnostics)).toEqual([["json-document", null, ""]]);
    const cmd = /`(gunzip -c train\.json\.gz \| jq -c '\.\[\]' > train\.jsonl)`/.exec(msg)![1]!;
    expect(spawnSync("sh", ["-c", cmd], { cwd: dir }).status).toBe(0);
    expect(check(["train.jsonl"], dir).doc.files[0]!.records).toBe(2);
  });

  it("is judged from the head only, even when the first line is too long to hold", async () => {
    const path = write("big.json", JSON.stringify(Array.from({ length: 200 }, () => examples[0])));
    const r = await lint(path, { maxLineBytes: 1000 });
    expect(brief(r.diagnostics)).toEqual([["json-document", null, ""]]);
  });

  it("stays one finding when a big file would be split across workers", async () => {
    const text = JSON.stringify(
      Array.from({ length: 3000 }, () => examples[1]),
      null,
      2,
    );
    const r = await lint(write("big.jsonl", text), { jobs: 2, parallelThreshold: 1024 });
    expect(brief(r.diagnostics)).toEqual([["json-document", null, ""]]);
    expect(r.stats.lines).toBe(text.split("\n").length);
  });

  it("a JSONL file whose first line is a bad value, or a broken object, is still judged line by line", () => {
    const r = check([write("data.jsonl", '[1, 2]\n{"text": "ok"}\n{\n{"text": "fine"}\n')]);
    expect(brief(r.doc.files[0]!.diagnostics)).toEqual([
      ["not-an-object", 1, ""],
      ["invalid-json", 3, ""],
    ]);
    // a JSONL file whose first example was cut after "{" (or "[") is not a document: its lines are judged
    const ex = JSON.stringify(examples[0]);
    const cut = check([write("cut.jsonl", `{\n${ex.slice(1)}\n${JSON.stringify(examples[1])}\n`)]);
    expect(brief(cut.doc.files[0]!.diagnostics).map((d) => d.slice(0, 2))).toEqual([
      ["invalid-json", 1],
      ["invalid-json", 2],
    ]);
    const twoCut = check([write("cut2.jsonl", `{\n${ex.slice(1)}\n{"messages": [{"role": "use\nr", "content": "x"}]}\n`)]);
    expect(twoCut.doc.files[0]!.diagnostics.filter((d) => d.line !== null).map((d) => d.line)).toEqual([1, 2, 3, 4]);
    const s = check([write("d.jsonl", '{"messages": [{"role": "user", "content": "Hi"}\n{"text": "ok"}\n')]);
    expect(s.doc.files[0]!.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([["invalid-json", 1]]);
  });
});

describe("Together's own SDK test files (fixtures/together-sdk)", () => {
  const dir = `${FIXTURES}together-sdk/`;
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  it("are all there", () => expect(files.length).toBe(25));
  // Deliberately stricter: the SDK tests use the placeholder data:image/jpeg;base64,... which no server can decode.
  const PLACEHOLDER = new Set(["valid_conversational_multimodal_single_turn.jsonl", "valid_instruction_multimodal.jsonl"]);
  // Together's docs today: extra fields are ignored (the SDK test expected "Found extra column"): a warning.
  const IGNORED_KEYS = new Set(["extra_column.jsonl"]);
  it.each(files)("%s", async (name) => {
    const r = await lint(`${dir}${name}`);
    const errs = r.diagnostics.filter((d) => d.severity === "error");
    if (PLACEHOLDER.has(name)) {
      expect([...new Set(errs.map((d) => `${d.ruleId}/${d.messageId}`))]).toEqual(["image-invalid/badPayload"]);
    } else if (IGNORED_KEYS.has(name)) {
      expect([errs, r.diagnostics.map((d) => d.ruleId)]).toEqual([[], ["unknown-key"]]);
    } else if (name.startsWith("valid_") || name.startsWith("ts-example")) {
      expect(errs).toEqual([]);
    } else {
      expect(errs.length).toBeGreaterThan(0);
    }
  });
  it("the placeholder deviation is documented in image-invalid's docs", () => {
    expect(readFileSync(`${ROOT}docs/rules/image-invalid.md`, "utf8")).toContain("data:image/jpeg;base64,...");
  });
});

describe("samples", () => {
  const all = readdirSync(`${ROOT}samples`);
  it.each(all.filter((f) => /-valid\./.test(f)))("%s has no error", async (f) => {
    expect((await lint(`${ROOT}samples/${f}`)).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
  it.each(all.filter((f) => /-broken\./.test(f)))("%s has errors", async (f) => {
    expect((await lint(`${ROOT}samples/${f}`)).errorCount).toBeGreaterThan(0);
  });
});
