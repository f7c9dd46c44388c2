/**
 * The rule messages no fixture file can show (test/rules.test.ts MESSAGES_TESTED_ELSEWHERE): each asserted here with
 * rule id, messageId, line, column and pointer, on real bytes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FileLinter, type TokenContext } from "../../src/lint/file-linter.js";
import { resolveRules } from "../../src/lint/config.js";
import { lint } from "../helpers/lint.js";
import type { Diagnostic } from "../../src/types.js";

const tmp = mkdtempSync(join(tmpdir(), "tunelint-messages-"));
const CONV = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}';
const PREF =
  '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": [{"role": "assistant", "content": "Hello!"}], "non_preferred_output": [{"role": "assistant", "content": "No."}]}';
const of = (ds: Diagnostic[], id: string) => ds.filter((d) => d.ruleId === id).map((d) => [d.messageId, d.line, d.column, d.pointer]);

describe("messages outside the fixture files", () => {
  it("file-extension: a gzipped dataset (.jsonl.gz) is fine, as Together's uploader gets it decompressed", async () => {
    const p = join(tmp, "train.jsonl.gz");
    writeFileSync(p, gzipSync(`${CONV}\n`));
    const r = await lint(p);
    expect(of(r.diagnostics, "file-extension")).toEqual([]);
    expect(r.records).toBe(1);
  });

  it("method-format-mismatch/needsSft: --method sft on preference data", async () => {
    const p = join(tmp, "pref.jsonl");
    writeFileSync(p, `${PREF}\n${PREF.replace("No.", "Nope.")}\n`);
    const r = await lint(p, { method: "sft" });
    expect(of(r.diagnostics, "method-format-mismatch")).toEqual([["needsSft", 1, 1, ""]]);
    expect(of((await lint(p, { method: "dpo" })).diagnostics, "method-format-mismatch")).toEqual([]);
  });

  it("token-count-estimate/record: a record the model's chat template refuses (Mistral, a tool message)", async () => {
    const p = join(tmp, "tool.jsonl");
    const tool =
      '{"messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}, {"role": "assistant", "content": "c"}]}';
    writeFileSync(p, `${CONV}\n${tool}\n`);
    const r = await lint(p, { model: "mistralai/Mistral-7B-Instruct-v0.2", jobs: 1 });
    expect(of(r.diagnostics, "token-count-estimate")).toEqual([["record", 2, 1, ""]]);
    expect(r.diagnostics.find((d) => d.ruleId === "token-count-estimate")!.message).toMatch(/chat template failed/);
  });

  it("token-count-estimate/tokenizer: a Hub model whose files cannot be had says why (HF_HUB_OFFLINE, empty cache: no request)", async () => {
    const p = join(tmp, "hub.jsonl");
    writeFileSync(p, `${CONV}\n`);
    const saved = { ...process.env };
    process.env.HF_HUB_OFFLINE = "1";
    process.env.HF_HUB_CACHE = join(tmp, "empty-hf-cache");
    try {
      const r = await lint(p, { model: "deepseek-ai/DeepSeek-V3.1", jobs: 1 });
      expect(of(r.diagnostics, "token-count-estimate")).toEqual([["tokenizer", null, null, ""]]);
      expect(r.diagnostics.find((d) => d.ruleId === "token-count-estimate")!.message).toMatch(
        /^Token counts for deepseek-ai\/DeepSeek-V3\.1 are estimates: deepseek-ai\/DeepSeek-V3\.1: HF_HUB_OFFLINE is set/,
      );
      expect(r.stats.tokens?.tokenizer).toMatchObject({ source: "shipped" });
    } finally {
      process.env = saved;
    }
  });

  it("token-count-estimate/failed: a token counter that throws stops counting, reported once for the file", () => {
    // The engine's contract with src/tokens is the TokenContext interface; shipped counters turn their own errors into
    // per-record notes, so a throwing one is made here to exercise the engine's side of the contract.
    const tokens: TokenContext = {
      model: "x/y",
      method: null,
      exact: true,
      sftLimit: 100,
      dpoLimit: 100,
      ready: async () => {},
      count: () => {
        throw new Error("boom");
      },
    };
    const linter = new FileLinter({ path: "t.jsonl", rules: resolveRules(), maxLineBytes: 1 << 20, tokens });
    const bytes = Buffer.from(CONV);
    linter.line({ line: 1, offset: 0, bytes, length: bytes.length, oversized: false });
    linter.line({ line: 2, offset: bytes.length + 1, bytes, length: bytes.length, oversized: false });
    const r = linter.finish({ bytes: 2 * bytes.length + 2, sha256: "", lines: 2, decodedBytes: 0, gzip: false });
    expect(of(r.diagnostics, "token-count-estimate")).toEqual([["failed", null, null, ""]]);
    expect(r.diagnostics.find((d) => d.messageId === "failed")!.message).toBe(
      "Token counting stopped at line 1: boom; later examples were not counted.",
    );
  });
});
