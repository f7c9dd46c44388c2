import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createRecordLinter, lintRecord, lintStream, diagnostics, prepareLint } from "../src/lint/lint.js";
import { FIXTURES } from "./helpers/lint.js";

const V = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}';

async function lintText(text: string | Buffer, extra = {}) {
  return lintStream(Readable.from([Buffer.from(text)]), await prepareLint({ config: false, ...extra }), "t.jsonl");
}

describe("engine", () => {
  it("judges every line on its own: a bad line never hides a later one", async () => {
    const r = await lintText([V, "{bad", V.replace('"user"', '"User"'), "", "[]", V.replace("assistant", "bot")].join("\n"));
    expect(r.diagnostics.map((d) => [d.line, d.ruleId])).toEqual([
      [2, "invalid-json"],
      [3, "role-unknown"],
      [4, "blank-line"],
      [5, "not-an-object"],
      [6, "assistant-missing"],
      [6, "role-unknown"],
    ]);
    expect(r.records).toBe(3); // objects only: "[]" is JSON but not an example
    expect(r.stats.lines).toBe(6);
  });

  it("shifts columns past a BOM so they match what an editor shows", async () => {
    const r = await lintText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(V.replace('"user"', '"User"'))]));
    expect(r.diagnostics.map((d) => [d.ruleId, d.column])).toEqual([
      ["utf8-bom", 1],
      ["role-unknown", 25],
    ]);
  });

  it("gives the column of invalid UTF-8 in UTF-16 units after multi-byte characters", async () => {
    const r = await lintText(Buffer.concat([Buffer.from('{"text": "日本😀'), Buffer.from([0xff]), Buffer.from('"}\n')]));
    expect(r.diagnostics[0]).toMatchObject({ ruleId: "invalid-utf8", line: 1, column: 15 });
  });

  it("judges a 100,000-level line in well under a second without crashing", async () => {
    const deep = '{"messages": ' + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    const t0 = performance.now();
    const r = await lintText(`${V}\n${deep}\n${"[".repeat(100_000)}\n${V}\n`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.diagnostics.map((d) => [d.line, d.ruleId])).toEqual([
      [2, "nesting-too-deep"],
      [2, "message-not-object"],
      [3, "invalid-json"],
      [4, "duplicate-example"],
    ]);
  });

  it("reads a 10 MB line and reports a monster line over the cap without parsing it", async () => {
    const ten = `{"text": "${"a".repeat(10 * 1024 * 1024)}"}`;
    const ok = await lintText(`${ten}\n`);
    expect(ok.diagnostics).toEqual([]);
    const capped = await lintText(`${ten}\n${V}\n`, { maxLineBytes: 1024 * 1024 });
    expect(capped.diagnostics.map((d) => [d.line, d.ruleId])).toEqual([[1, "line-too-long"]]);
  });

  it("reports info severity when configured and counts it apart", async () => {
    const r = await lintText(`${V}\n${V}\n`, { rules: { "duplicate-example": "info" } });
    expect(r.infoCount).toBe(1);
    expect(r.warningCount).toBe(0);
    expect(r.diagnostics[0]!.severity).toBe("info");
  });
});

describe("library API", () => {
  it("lintRecord judges a value without a file", () => {
    const r = lintRecord({ messages: [{ role: "user", content: "Hi" }] });
    expect(r.format).toBe("conversation");
    expect(r.diagnostics.map((d) => [d.ruleId, d.pointer])).toEqual([["assistant-missing", "/messages"]]);
    expect(
      lintRecord({
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
        ],
      }).diagnostics,
    ).toEqual([]);
    expect(lintRecord('{"text": 1}').diagnostics[0]).toMatchObject({ ruleId: "field-type", column: 10 });
  });

  it("lintRecord reports a value JSON cannot represent instead of crashing", () => {
    const cyclic: Record<string, unknown> = { messages: [] };
    cyclic.self = cyclic;
    expect(lintRecord(cyclic).diagnostics.map((d) => [d.ruleId, d.messageId, d.severity])).toEqual([
      ["invalid-json", "unserialisable", "error"],
    ]);
    // reported through the rule, so its configured severity applies
    expect(lintRecord(cyclic, { rules: { "invalid-json": "warning" } }).diagnostics.map((d) => d.severity)).toEqual(["warning"]);
    expect(lintRecord(cyclic, { rules: { "invalid-json": "off" } }).diagnostics).toEqual([]);
  });

  it("createRecordLinter judges records in order with duplicates, mixed formats and the same result as the file", async () => {
    const records = [
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
      { text: "other format" },
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
      {
        messages: [
          { role: "User", content: "x" },
          { role: "assistant", content: "y" },
        ],
      },
    ];
    const linter = createRecordLinter();
    const perRecord = records.map((r) => linter.push(r).diagnostics.map((d) => d.ruleId));
    expect(perRecord).toEqual([[], ["mixed-formats"], ["duplicate-example"], ["role-unknown"]]);
    const result = linter.finish();
    const file = await lintText(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    expect(result.diagnostics.map((d) => [d.line, d.ruleId, d.pointer])).toEqual(
      file.diagnostics.map((d) => [d.line, d.ruleId, d.pointer]),
    );
    expect(result.records).toBe(4);
  });

  it("diagnostics() streams findings as an async iterator", async () => {
    const seen: string[] = [];
    for await (const d of diagnostics(`${FIXTURES}rules/role-unknown/invalid.jsonl`, { config: false })) seen.push(`${d.line}:${d.ruleId}`);
    expect(seen).toEqual(["2:role-unknown", "3:role-unknown", "3:role-unknown", "3:assistant-missing"]);
  });
});
