/**
 * Issue 17, items 15-17: many findings. Every finding is counted exactly, a bounded number is kept per rule and file
 * (maxFindingsPerRule, default 1000), every format says how many more there were, the report never crashes on a
 * huge number of findings, and many findings on one line cost linear time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_FINDINGS_PER_RULE, lintFile, lintRecord, prepareLint, summarize } from "../../src/lint/lint.js";
import { formatContext, formatters } from "../../src/report/formatters.js";
import { CLI } from "../helpers/lint.js";
import { tunelint } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-findings-"));

describe("item 16: bounded findings, exact counts", () => {
  const blank = join(dir, "blank.jsonl");
  writeFileSync(blank, '{"text":"first"}\n' + "\n".repeat(5000) + '{"text":"last"}\n');

  it("keeps the first maxFindingsPerRule findings of a rule, counts all of them", async () => {
    expect(DEFAULT_MAX_FINDINGS_PER_RULE).toBe(1000);
    const r = await lintFile(blank, { config: false });
    const kept = r.diagnostics.filter((d) => d.ruleId === "blank-line");
    expect(kept).toHaveLength(1000);
    expect(kept[0]).toMatchObject({ ruleId: "blank-line", messageId: "empty", line: 2, column: 1, pointer: "" });
    expect(kept[999]!.line).toBe(1001);
    expect(r.errorCount).toBe(5000);
    expect(r.omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 4000 }]);
  });

  it("the cap is an option (0 = keep every finding) and a config key", async () => {
    const ten = await lintFile(blank, { config: false, maxFindingsPerRule: 10 });
    expect(ten.diagnostics).toHaveLength(10);
    expect(ten.omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 4990 }]);
    const all = await lintFile(blank, { config: false, maxFindingsPerRule: 0 });
    expect(all.diagnostics).toHaveLength(5000);
    expect(all.omitted).toBeUndefined();
    const cfg = await lintFile(blank, { config: { maxFindingsPerRule: 3 } });
    expect(cfg.diagnostics).toHaveLength(3);
    await expect(prepareLint({ config: false, maxFindingsPerRule: -1 })).rejects.toThrow(/maxFindingsPerRule/);
  });

  it("a parallel check keeps the same findings and counts as one thread", async () => {
    const big = join(dir, "big-blank.jsonl");
    writeFileSync(big, Array.from({ length: 4000 }, (_, i) => `{"text":"a${i}"}\n\n`).join(""));
    const one = await lintFile(big, { config: false, jobs: 1 });
    const two = await lintFile(big, { config: false, jobs: 2, parallelThreshold: 1 });
    expect(two.diagnostics).toEqual(one.diagnostics);
    expect(two.omitted).toEqual(one.omitted);
    expect(two.errorCount).toBe(4000);
    expect(one.omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 3000 }]);
  });

  it('every format says "N more" for what was not kept', async () => {
    const r = await lintFile(blank, { config: false });
    const report = summarize([r]);
    const ctx = formatContext({ cwd: dir });
    expect(formatters.stylish!(report, ctx)).toMatch(/4,000 more blank-line errors not shown/);
    const json = JSON.parse(formatters.json!(report, ctx));
    expect(json.files[0].omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 4000 }]);
    expect(json.files[0].errorCount).toBe(5000);
    const sarif = JSON.parse(formatters.sarif!(report, ctx));
    expect(sarif.runs[0].results).toHaveLength(1000);
    const note = sarif.runs[0].invocations[0].toolExecutionNotifications[0];
    expect(note.message.text).toMatch(/4,000 more blank-line errors not shown/);
    expect(sarif.runs[0].properties.omittedResults).toBe(4000);
    expect(formatters.github!(report, ctx)).toMatch(
      /::error file=blank.jsonl,title=tunelint \(blank-line\)::4,000 more blank-line errors not shown/,
    );
    expect(formatters.markdown!(report, ctx)).toMatch(/\| 5,000 \|/); // top rules: the exact count
    expect(formatters.markdown!(report, ctx)).toMatch(/4,000 more blank-line errors not shown/);
    const junit = formatters.junit!(report, ctx);
    expect(junit).toMatch(/5000 errors; first/);
    expect(junit).toMatch(/4,000 more blank-line errors not shown/);
  });

  it("--quiet keeps only the errors' omitted counts", () => {
    const f = join(dir, "warn.jsonl");
    writeFileSync(f, '{"text":""}\n'.repeat(1500) + "\n".repeat(1200));
    const r = tunelint([f, "--no-config", "-f", "json", "-q"]);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0].omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 200 }]);
  });

  it("--max-findings-per-rule sets the cap on the CLI", () => {
    const r = tunelint([blank, "--no-config", "-f", "json", "--max-findings-per-rule", "2"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0].diagnostics).toHaveLength(2);
    expect(doc.files[0].omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 4998 }]);
    const bad = tunelint([blank, "--no-config", "--max-findings-per-rule", "-3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-findings-per-rule/);
  });

  it("2M blank lines (a 2 KB gzip) finish in a 200 MB heap with exact counts", () => {
    const gz = join(dir, "newlines.jsonl.gz"); // file-extension warns on .gz
    writeFileSync(gz, gzipSync(Buffer.alloc(2_000_000, 0x0a)));
    const r = spawnSync(process.execPath, ["--max-old-space-size=200", CLI, gz, "--no-config", "-f", "json"], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    expect(r.stderr).not.toMatch(/heap|Invalid string length/);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0].omitted).toEqual([{ ruleId: "blank-line", severity: "error", count: 1_999_000 }]);
    expect(doc.files[0].errorCount).toBe(2_000_001); // + too-few-examples
    expect(doc.files[0].diagnostics.filter((d: { ruleId: string }) => d.ruleId === "blank-line")).toHaveLength(1000);
  }, 120_000);
});

describe("item 15: a huge report does not crash the stylish formatter", () => {
  it("200,000 findings in one file (every line of an export has an `id` column)", async () => {
    const f = join(dir, "hf-export.jsonl");
    const line = (i: number) =>
      JSON.stringify({
        id: `row-${i}`,
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      });
    writeFileSync(f, Array.from({ length: 200_000 }, (_, i) => line(i)).join("\n") + "\n");
    const r = await lintFile(f, { config: false, maxFindingsPerRule: 0 });
    expect(r.diagnostics.filter((d) => d.ruleId === "unknown-key")).toHaveLength(200_000);
    const text = formatters.stylish!(summarize([r]), formatContext({ cwd: dir }));
    expect(text).toMatch(/✖ [\d,]+ problems \(/);
    expect(text.split("\n").filter((l) => l.endsWith("unknown-key"))).toHaveLength(200_000);
    expect(formatters.github!(summarize([r]), formatContext({ cwd: dir })).length).toBeGreaterThan(1000);
  }, 120_000);
});

describe("item 17: many findings on one line take linear time", () => {
  it("20,000 unknown roles on one line: columns exact, in well under a second per 100k findings", () => {
    const n = 20_000;
    const record = { messages: Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "Assistant" : "User", content: `m${i}` })) };
    const text = JSON.stringify(record);
    const t0 = performance.now();
    const r = lintRecord(text, { rules: {} });
    const ms = performance.now() - t0;
    const roles = r.diagnostics.filter((d) => d.ruleId === "role-unknown");
    expect(roles.length).toBe(1000);
    expect(r.errorCount).toBe(n + 1); // every role-unknown finding counted exactly, + assistant-missing
    // Every kept finding points at its own role value.
    for (const d of roles) {
      const i = Number(/\/messages\/(\d+)\/role/.exec(d.pointer)![1]);
      const expected = JSON.stringify(i % 2 ? "Assistant" : "User");
      expect(text.slice(d.column! - 1, d.column! - 1 + expected.length)).toBe(expected);
    }
    expect(ms).toBeLessThan(5000);
  });

  it("80,000 findings on a 1 MB line with no cap: linear", async () => {
    const n = 80_000;
    const f = join(dir, "one-line.jsonl");
    writeFileSync(f, JSON.stringify({ messages: Array.from({ length: n }, () => ({ role: "User", content: "x" })) }) + "\n");
    const t0 = performance.now();
    const r = await lintFile(f, { config: false, maxFindingsPerRule: 0 });
    const ms = performance.now() - t0;
    const roles = r.diagnostics.filter((d) => d.ruleId === "role-unknown");
    expect(roles).toHaveLength(n);
    const text = readFileSync(f, "utf8");
    expect(text.slice(roles[n - 1]!.column! - 1).startsWith('"User"')).toBe(true);
    expect(new Set(roles.map((d) => d.column)).size).toBe(n);
    expect(ms).toBeLessThan(20_000);
  }, 60_000);
});

describe("item 16: the html report counts what was not kept", () => {
  it("per-rule counts are exact and it says how many more", async () => {
    const f = join(dir, "html-blank.jsonl");
    writeFileSync(f, '{"text":"first"}\n' + "\n".repeat(3000));
    const r = await lintFile(f, { config: false });
    const html = formatters.html!(summarize([r]), formatContext({ cwd: dir }));
    expect(html).toMatch(/<td class="num">3,000<\/td>/);
    expect(html).toMatch(/2,\d{3} more findings? not listed/);
  });
});
