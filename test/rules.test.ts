/**
 * Every rule against its fixtures, as eslint's RuleTester does: test/fixtures/rules/<id>/valid.jsonl must not trigger
 * it, invalid.jsonl must trigger exactly the findings listed in expected.json (line, column, messageId, JSON Pointer, in
 * order), with the rule's default severity; and the fixtures exercise every message of the rule.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rules } from "../src/rules/index.js";
import { locatePointer, offsetInString, parsePointer } from "../src/io/json-text.js";
import { FIXTURES, lint } from "./helpers/lint.js";
import { parquetFromFixture } from "./helpers/parquet.js";
import type { RuleConfigValue } from "../src/lint/config.js";
import { lintFile, prepareLint, type LintOptions } from "../src/lint/lint.js";
import type { FileResult } from "../src/types.js";

interface Expected {
  invalid: { line: number | null; column: number | null; messageId: string; pointer: string }[];
  rules?: Record<string, RuleConfigValue>;
  /** Lint options for both fixtures (model, maxSeqLength, method, maxLineBytes...). */
  options?: LintOptions;
  /** Options for valid.jsonl instead of `options`. */
  validOptions?: LintOptions;
  invalidFile?: string;
  /** Instead of valid.jsonl (e.g. a `*.parquet.json` description, written as Parquet by the test). */
  validFile?: string;
  /** Cross-file rules: lint this training file first, with the fixture as the run's validation file. */
  trainingFile?: string;
}

/** Lints a fixture; with `trainingFile`, as the validation file of a run that linted that training file first. */
async function lintFixture(dir: string, file: string, expected: Expected, options: LintOptions): Promise<FileResult> {
  if (!expected.trainingFile) return lint(fixtureFile(`${dir}${file}`), options);
  const prepared = await prepareLint({ config: false, ...options, validationFile: `${dir}${file}` });
  await lintFile(`${dir}${expected.trainingFile}`, prepared);
  return lintFile(`${dir}${file}`, prepared);
}

/** A fixture path to lint: `*.parquet.json` descriptions become real Parquet files (no binaries committed). */
const fixtureFile = (path: string): string => (path.endsWith(".parquet.json") ? parquetFromFixture(path) : path);

const NO_FIXTURE = new Set(["schema-violation"]); // a safety net no schema error reaches today; unit-tested below
/** Rules whose column points inside the string at the pointer, and the data key naming the text found there ("" for none). */
const IN_STRING: Record<string, string> = {
  "special-token-in-content": "token",
  "templated-content": "marker",
  "tool-arguments-invalid": "",
};

/** Messages the fixture files cannot show (they need other options or inputs), with where they are tested instead. */
const MESSAGES_TESTED_ELSEWHERE: Record<string, string[]> = {
  "json-document": ["object"], // pretty-printed objects (the fixture is an array): test/together-formats.test.ts
  "token-limit": ["rowOver"], // a Parquet row over the limit: test/parquet.test.ts
  "labels-none-trained": ["noAttention"], // a Parquet file without labels: test/parquet.test.ts
  "invalid-json": ["unserialisable"], // values JSON cannot represent (library only): test/rules/meta.test.ts
  // a template that refuses a record, a counter failure, a Hub model whose files cannot be had: test/rules/messages.test.ts
  "token-count-estimate": ["record", "failed", "tokenizer"],
  "method-format-mismatch": ["needsSft", "parquetDpo"], // --method sft on preference data (the fixture uses dpo): test/rules/messages.test.ts; Parquet with --method dpo: test/parquet.test.ts
};

describe.each(rules.filter((r) => !NO_FIXTURE.has(r.meta.id)).map((r) => [r.meta.id, r] as const))("rule %s", (id, rule) => {
  const dir = `${FIXTURES}rules/${id}/`;

  it("has valid and invalid fixtures", () => {
    expect(existsSync(`${dir}expected.json`)).toBe(true);
    expect(existsSync(`${dir}${expected.validFile ?? "valid.jsonl"}`)).toBe(true);
  });
  const expected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as Expected;
  const options = { rules: expected.rules, ...expected.options };

  it("finds nothing in valid.jsonl", async () => {
    const r = await lintFixture(dir, expected.validFile ?? "valid.jsonl", expected, {
      rules: expected.rules,
      ...(expected.validOptions ?? expected.options),
    });
    expect(r.diagnostics.filter((d) => d.ruleId === id)).toEqual([]);
  });

  it("finds exactly the expected findings in the invalid fixture", async () => {
    const r = await lintFixture(dir, expected.invalidFile ?? "invalid.jsonl", expected, options);
    const found = r.diagnostics.filter((d) => d.ruleId === id);
    for (const e of expected.invalid) expect(Object.keys(e).sort()).toEqual(["column", "line", "messageId", "pointer"]);
    expect(found.map((d) => ({ line: d.line, column: d.column, messageId: d.messageId, pointer: d.pointer }))).toEqual(expected.invalid);
    expect(expected.invalid.length).toBeGreaterThan(0);
    for (const d of found) {
      expect(d.severity).toBe(rule.meta.severity);
      expect(d.message).not.toMatch(/\{\{|undefined/);
      expect(rule.meta.messages[d.messageId]).toBeTypeOf("string");
      if (d.line === null) expect(d.column).toBeNull();
      else expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("fixtures exercise every message", () => {
  it.each(rules.filter((r) => !NO_FIXTURE.has(r.meta.id)).map((r) => [r.meta.id, r] as const))("%s", (id, rule) => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}rules/${id}/expected.json`, "utf8")) as Expected;
    const shown = new Set(expected.invalid.map((e) => e.messageId));
    const elsewhere = MESSAGES_TESTED_ELSEWHERE[id] ?? [];
    expect(Object.keys(rule.meta.messages).filter((m) => !shown.has(m) && !elsewhere.includes(m))).toEqual([]);
    for (const m of elsewhere) expect(shown.has(m), `${id}/${m} is in the fixture now: drop it from the list`).toBe(false);
  });
});

describe("columns point at what the pointer names", () => {
  it("for every pointer finding in every invalid fixture", async () => {
    let checked = 0;
    for (const rule of rules) {
      const dir = `${FIXTURES}rules/${rule.meta.id}/`;
      if (!existsSync(`${dir}expected.json`)) continue;
      const expected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as Expected;
      const file = `${dir}${expected.invalidFile ?? "invalid.jsonl"}`;
      if (!file.endsWith(".jsonl")) continue;
      const r = await lintFixture(dir, expected.invalidFile ?? "invalid.jsonl", expected, { rules: expected.rules, ...expected.options });
      const lines = readFileSync(file, "utf8").split("\n");
      for (const d of r.diagnostics) {
        if (d.line === null || d.pointer === "") continue;
        const text = lines[d.line - 1]!.replace(/^\uFEFF/, "");
        const at = text.slice(d.column! - 1);
        const tokens = parsePointer(d.pointer);
        let value: unknown = JSON.parse(text);
        let exists = true;
        for (const t of tokens) {
          if (value !== null && typeof value === "object" && t in (value as object)) value = (value as Record<string, unknown>)[t];
          else exists = false;
        }
        if (!exists) continue;
        const masked = d.data?.masked;
        if (typeof masked === "string") {
          // Findings inside a string (credentials, personal data) point at the value itself: its shown prefix.
          expect(at.startsWith(masked.slice(0, masked.indexOf("…"))), `${d.ruleId} at ${d.line}:${d.column}`).toBe(true);
          checked++;
          continue;
        }
        const isKey =
          /unknown-key|unknown-message-key/.test(d.ruleId) || (d.ruleId === "content-part-invalid" && d.messageId === "extraKey");
        // findings inside a string value: the column is that of the token found in it (or of a syntax error in it)
        const inString = IN_STRING[d.ruleId];
        if (inString !== undefined && typeof value === "string") {
          const start = locatePointer(text, d.pointer).offset;
          const end = offsetInString(text, start, value.length); // the closing quote
          expect(text[start]).toBe('"');
          expect(text[end]).toBe('"');
          expect(d.column! - 1, `${d.ruleId} ${d.pointer}`).toBeGreaterThanOrEqual(start);
          expect(d.column! - 1, `${d.ruleId} ${d.pointer}`).toBeLessThan(end);
          const token = inString ? d.data?.[inString] : undefined;
          if (typeof token === "string")
            expect(at.startsWith(token), `${d.ruleId} at ${d.line}:${d.column}: ${at.slice(0, 20)}`).toBe(true);
        } else if (isKey) expect(at.startsWith(JSON.stringify(tokens[tokens.length - 1]))).toBe(true);
        else {
          const first =
            value === null ? "null" : typeof value === "object" ? (Array.isArray(value) ? "[" : "{") : JSON.stringify(value)!.slice(0, 1);
          expect(at.startsWith(first), `${d.ruleId} ${d.pointer} at ${d.line}:${d.column}: ${at.slice(0, 20)}`).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe("schema-violation", () => {
  it("claims an ajv error that no specific rule explains, with pointer and keyword message", async () => {
    const { ruleById } = await import("../src/rules/index.js");
    const rule = ruleById.get("schema-violation")!;
    const args = rule.fromSchema!({
      error: {
        keyword: "minLength",
        instancePath: "/x/y",
        schemaPath: "#",
        params: { limit: 1 },
        message: "must NOT have fewer than 1 characters",
      },
      format: "conversation",
    });
    expect(args).toEqual({
      messageId: "violation",
      pointer: "/x/y",
      data: { where: "/x/y", problem: "must NOT have fewer than 1 characters", format: "conversation" },
    });
    // and the specific rules do not claim that error
    const { rules } = await import("../src/rules/index.js");
    const claimers = rules.filter(
      (r) =>
        r.fromSchema &&
        r.meta.id !== "schema-violation" &&
        r.fromSchema({ error: { keyword: "minLength", instancePath: "/x/y", schemaPath: "#", params: {} }, format: "conversation" }),
    );
    expect(claimers.map((r) => r.meta.id)).toEqual([]);
  });
});
