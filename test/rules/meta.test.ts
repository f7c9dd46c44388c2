/**
 * Rules declare what they are and the engine reads it: scope from the hooks, engine limits from `limits`, read
 * failures and unserialisable values through hooks; the engine names no rule. Every documented example behaves as
 * documented.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { rules } from "../../src/rules/index.js";
import { hookNames, ruleScope } from "../../src/rules/utils/scope.js";
import { DEFAULT_MAX_DEPTH, maxDepthOf } from "../../src/lint/file-linter.js";
import { resolveRules } from "../../src/lint/config.js";
import { createRecordLinter, diagnostics, lintFile, lintRecord, lintStream, prepareLint } from "../../src/lint/lint.js";
import type { Diagnostic } from "../../src/types.js";

const SRC = new URL("../../src/", import.meta.url);

describe("scope is what the hooks say", () => {
  it.each(rules.map((r) => [r.meta.id, r] as const))("%s", (_id, rule) => {
    const scope = ruleScope(rule);
    expect(["line", "record", "file"]).toContain(scope);
    if (rule.meta.scope !== undefined) expect(rule.meta.scope, `hooks: ${hookNames(rule).join(", ") || "(none)"}`).toBe(scope);
  });

  it("gives file for end and cross-record hooks, record for records and schema errors, line otherwise", () => {
    const byId = new Map(rules.map((r) => [r.meta.id, ruleScope(r)]));
    expect(byId.get("duplicate-example")).toBe("file");
    expect(byId.get("mixed-formats")).toBe("file");
    expect(byId.get("token-count-estimate")).toBe("file");
    expect(byId.get("read-error")).toBe("file");
    expect(byId.get("role-unknown")).toBe("record");
    expect(byId.get("consecutive-roles")).toBe("record");
    expect(byId.get("invalid-json")).toBe("line");
    expect(byId.get("utf8-bom")).toBe("line");
  });
});

describe("src/rules/ holds rules only", () => {
  it("every file beside index.ts and types.ts is a registered rule of that id (helpers live in rules/utils/)", () => {
    const files = readdirSync(new URL("rules/", SRC), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts") && e.name !== "index.ts" && e.name !== "types.ts")
      .map((e) => e.name.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual(rules.map((r) => r.meta.id).sort());
  });
});

describe("the engine names no rule", () => {
  it("src/lint/ holds no rule id (rules declare limits and hooks instead)", () => {
    const ids = rules.map((r) => r.meta.id);
    for (const f of readdirSync(new URL("lint/", SRC))) {
      const text = readFileSync(new URL(`lint/${f}`, SRC), "utf8");
      for (const id of ids) expect(text.includes(`"${id}"`), `${f} names "${id}"`).toBe(false);
    }
  });

  it("takes its nesting limit from the rules that declare one", () => {
    expect(maxDepthOf(resolveRules())).toBe(500);
    expect(maxDepthOf(resolveRules({ "nesting-too-deep": ["error", { maxDepth: 3 }] }))).toBe(3);
    expect(maxDepthOf(resolveRules({ "nesting-too-deep": "off" }))).toBe(DEFAULT_MAX_DEPTH);
  });

  it("applies a declared limit", () => {
    const deep = JSON.stringify({ messages: [{ role: "user", content: "x", extra: [[[[1]]]] }] });
    const r = lintRecord(deep, { rules: { "nesting-too-deep": ["error", { maxDepth: 4 }] } });
    expect(r.diagnostics.filter((d) => d.ruleId === "nesting-too-deep").map((d) => [d.messageId, d.column, d.data])).toEqual([
      ["deep", 1, { depth: 7, max: 4 }],
    ]);
  });
});

describe("read failures and unserialisable values go through rule hooks", () => {
  it("a missing file is read-error, with the configured severity, and reaches onDiagnostic", async () => {
    const seen: Diagnostic[] = [];
    const p = await prepareLint({ config: false, rules: { "read-error": "warning" }, onDiagnostic: (d) => seen.push(d) });
    const r = await lintFile("/nonexistent/tunelint/x.jsonl", p);
    expect(r.fatal).toBe(true);
    expect(r.diagnostics.map((d) => [d.ruleId, d.messageId, d.severity, d.line, d.column, d.pointer])).toEqual([
      ["read-error", "failed", "warning", null, null, ""],
    ]);
    expect(seen).toEqual(r.diagnostics);
  });

  it("diagnostics() yields a missing file's read-error", async () => {
    const got: string[] = [];
    const it = diagnostics("/nonexistent/tunelint/y.jsonl", { config: false });
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      got.push(`${n.value.ruleId}:${n.value.messageId}`);
    }
    expect(got).toEqual(["read-error:failed"]);
  });

  it("read-error off: a missing file is still fatal, with no finding", async () => {
    const r = await lintFile("/nonexistent/tunelint/z.jsonl", { config: false, rules: { "read-error": "off" } });
    expect(r.fatal).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it("an unserialisable value is invalid-json/unserialisable at its line, column 1", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(lintRecord(cyclic, {}, 4).diagnostics.map((d) => [d.ruleId, d.messageId, d.line, d.column])).toEqual([
      ["invalid-json", "unserialisable", 4, 1],
    ]);
    const rl = createRecordLinter();
    rl.push({
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
      ],
    });
    expect(rl.push(10n).diagnostics.map((d) => [d.ruleId, d.messageId, d.line, d.column])).toEqual([
      ["invalid-json", "unserialisable", 2, 1],
    ]);
    expect(lintRecord(cyclic, { rules: { "invalid-json": "off" } }).diagnostics).toEqual([]);
  });
});

describe("every documented example behaves as documented", () => {
  const cases = rules.flatMap((r) => [
    ...(r.meta.examples?.bad ?? []).map((line, i) => [r.meta.id, "bad", i, line] as const),
    ...(r.meta.examples?.good ?? []).map((line, i) => [r.meta.id, "good", i, line] as const),
  ]);
  it("there are examples", () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases)("%s %s example %i", async (id, kind, _i, line) => {
    // rules that judge with a model ("(with --model)" in their description) are shown with one
    const model = /\(with --model\)/.test(rules.find((r) => r.meta.id === id)!.meta.description)
      ? "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
      : undefined;
    const r = await lintStream(
      Readable.from([Buffer.from(`${line}\n`)]),
      await prepareLint({ config: false, jobs: 1, model }),
      "example.jsonl",
    );
    const own = r.diagnostics.filter((d) => d.ruleId === id);
    if (kind === "bad") expect(own.length, JSON.stringify(r.diagnostics)).toBeGreaterThan(0);
    else expect(own).toEqual([]);
    // An example of anything but invalid JSON must itself be valid JSON.
    if (id !== "invalid-json") {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(r.diagnostics.filter((d) => d.ruleId === "invalid-json")).toEqual([]);
    }
  });
});
