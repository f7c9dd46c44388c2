/**
 * The HTML report: a pure formatter over real lint results (real registry, real engine), escaping every string from
 * the data, capped finding tables with exact "N more", and the size distributions the engine collects on request.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintFile, prepareLint, summarize } from "../../src/lint/lint.js";
import { BINS_PER_OCTAVE, binOf, HistogramAccumulator, lowerEdge } from "../../src/lint/histogram.js";
import { formatContext, formatters } from "../../src/report/formatters.js";
import { html, htmlFormatter, escapeHtml } from "../../src/report/html.js";
import { json } from "../../src/report/json.js";
import type { Diagnostic, FileResult, LintReport } from "../../src/types.js";

const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
const V = (i: number, words = 3) =>
  JSON.stringify({
    messages: [
      { role: "user", content: `Q${i}` },
      { role: "assistant", content: "word ".repeat(words * (1 + (i % 40))) },
    ],
  });

function file(lines: string[], name = "data.jsonl"): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-html-"));
  const p = join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
}

describe("histogram bins", () => {
  it("puts every value in the bin whose edges hold it, 0 in bin 0", () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(0.5)).toBe(0);
    for (const v of [1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025, 131072, 5e9]) {
      const k = binOf(v);
      expect(lowerEdge(k)).toBeLessThanOrEqual(v);
      expect(lowerEdge(k + 1)).toBeGreaterThan(v);
    }
    expect(binOf(1024)).toBe(10 * BINS_PER_OCTAVE + 1);
  });

  it("merges by addition and trims empty bins", () => {
    const a = new HistogramAccumulator();
    const b = new HistogramAccumulator();
    for (const v of [10, 11, 12, 1000]) a.add(v);
    for (const v of [10, 5000]) b.add(v);
    a.merge(b.counts);
    const h = a.toHistogram("bytes")!;
    expect(h.counts.reduce((x, y) => x + y, 0)).toBe(6);
    expect(h.edges.length).toBe(h.counts.length + 1);
    expect(h.counts[0]).toBeGreaterThan(0);
    expect(h.counts[h.counts.length - 1]).toBe(1);
    expect(h.edges[0]).toBeLessThanOrEqual(10);
    expect(h.edges[h.edges.length - 1]).toBeGreaterThan(5000);
    expect(new HistogramAccumulator().toHistogram("bytes")).toBeNull();
  });
});

describe("engine histograms", () => {
  const lines = Array.from({ length: 600 }, (_, i) => (i === 10 ? "{broken" : V(i)));
  const path = file(lines);

  it("are collected only when asked for (the JSON report is unchanged otherwise)", async () => {
    const plain = await lintFile(path, await prepareLint({ config: false, jobs: 1 }));
    expect(plain.stats.histograms).toBeUndefined();
    expect(json(summarize([plain]), formatContext())).not.toContain("histograms");
    const withH = await lintFile(path, await prepareLint({ config: false, jobs: 1, histograms: true }));
    const bytes = withH.stats.histograms!.bytes!;
    expect(bytes.unit).toBe("bytes");
    // Every record (not the broken line) is in exactly one bin.
    expect(bytes.counts.reduce((a, b) => a + b, 0)).toBe(599);
    expect(withH.stats.histograms!.tokens).toBeUndefined();
  });

  it("count tokens per record with a model, and agree with the token stats", async () => {
    const r = await lintFile(path, await prepareLint({ config: false, jobs: 1, histograms: true, model: MODEL, maxSeqLength: 100 }));
    const t = r.stats.histograms!.tokens!;
    expect(t.counts.reduce((a, b) => a + b, 0)).toBe(599);
    expect(t.edges[0]).toBeLessThanOrEqual(r.stats.tokens!.min);
    expect(t.edges[t.edges.length - 1]).toBeGreaterThan(r.stats.tokens!.max);
    // Bins entirely above the limit hold at most the over-limit examples.
    const above = t.counts.filter((_, i) => t.edges[i]! > 100).reduce((a, b) => a + b, 0);
    expect(above).toBeLessThanOrEqual(r.stats.tokens!.overLimit);
    expect(r.stats.tokens!.overLimit).toBeGreaterThan(0);
    // Trained tokens per record: every record once, never more than its total.
    const tr = r.stats.histograms!.trained!;
    expect(tr.counts.reduce((a, b) => a + b, 0)).toBe(599);
    expect(tr.edges[tr.edges.length - 1]).toBeLessThanOrEqual(t.edges[t.edges.length - 1]! * 1.0001);
    expect(tr.edges[tr.edges.length - 1]).toBeGreaterThan(r.stats.tokens!.trainedMax);
  });

  it("are identical when the file is checked by workers", async () => {
    const single = await lintFile(path, await prepareLint({ config: false, jobs: 1, histograms: true }));
    const multi = await lintFile(path, await prepareLint({ config: false, jobs: 3, parallelThreshold: 1, histograms: true }));
    expect(multi.stats.histograms).toEqual(single.stats.histograms);
    expect(multi).toEqual(single);
  });
});

describe("html formatter", () => {
  it("is registered as a machine format (only the document goes to stdout)", async () => {
    expect(formatters.html).toBe(html);
    const { MACHINE_FORMATS } = await import("../../src/report/formatters.js");
    expect(MACHINE_FORMATS.has("html")).toBe(true);
  });

  it("escapes every string that comes from the data: paths, roles, messages, pointers", async () => {
    const evil = '<img src=x onerror="alert(1)">';
    const p = file(
      [
        JSON.stringify({
          messages: [
            { role: evil, content: "hi" },
            { role: "assistant", content: "ok" },
          ],
        }),
        JSON.stringify({
          messages: [
            { role: "user", content: "x" },
            { role: "assistant", content: "y" },
          ],
          [evil]: 1,
        }),
      ],
      "a<b>&'\".jsonl",
    );
    const r = await lintFile(p, await prepareLint({ config: false, histograms: true }));
    expect(r.diagnostics.length).toBeGreaterThan(0);
    const page = html(summarize([r]), formatContext());
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>");
    expect(page).toContain("&lt;img src=x onerror=");
    expect(page).toContain(escapeHtml("a<b>&'\".jsonl"));
    expect(page).toMatch(/^<!doctype html>/);
    // Nothing is loaded from anywhere: no src/href to another origin, and a CSP that forbids it.
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/\s(src|href)="(https?:)?\/\/(?!github\.com\/tunelint)/);
  });

  it("lists findings by rule with docs links, and the file's stats", async () => {
    const lines = Array.from({ length: 50 }, (_, i) => V(i));
    lines.push(lines[3]!, '{"messages": [{"role": "User", "content": "x"}, {"role": "assistant", "content": "y"}]}');
    const r = await lintFile(file(lines), await prepareLint({ config: false, histograms: true, model: MODEL, hash: true }));
    const page = html(summarize([r]), formatContext());
    expect(page).toContain('data-rule="duplicate-example"');
    expect(page).toContain('data-rule="role-unknown"');
    expect(page).toContain("docs/rules/role-unknown.md");
    expect(page).toContain(r.stats.sha256);
    expect(page).toMatch(/<dt>Duplicates<\/dt><dd>1<\/dd>/);
    expect(page).toContain('class="limit"');
    expect(page).toContain(`data-limit="${r.stats.tokens!.limit}"`);
    expect(page).toContain('id="file-0-tokens"');
    expect(page).toContain('id="file-0-trained"');
  });

  it("caps the findings table with an exact 'N more', and stays small for a million findings", () => {
    const d: Diagnostic = {
      ruleId: "role-unknown",
      severity: "error",
      line: 1,
      column: 24,
      pointer: "/messages/0/role",
      message: 'Unknown role "User": use system, user, assistant or tool. Did you mean "user"?',
      messageId: "unknown",
    };
    const diagnostics = Array.from({ length: 1_000_000 }, (_, i) => ({ ...d, line: i + 1 }));
    const f: FileResult = {
      path: "big.jsonl",
      format: "conversation",
      records: 1_000_000,
      errorCount: 1_000_000,
      warningCount: 0,
      infoCount: 0,
      diagnostics,
      stats: { bytes: 1, sha256: "", lines: 1_000_000, blankLines: 0, formats: { conversation: 1_000_000 } },
    };
    const report: LintReport = { version: "0", files: [f], errorCount: 1_000_000, warningCount: 0, infoCount: 0 };
    const page = html(report, formatContext());
    expect(Buffer.byteLength(page)).toBeLessThan(5 * 1024 * 1024);
    expect(page.match(/<tr class="sev-row-error">/g)!.length).toBe(1000);
    expect(page).toContain('data-more="999000"');
    const small = htmlFormatter({ maxFindings: 10 })(report, formatContext());
    expect(small.match(/<tr class="sev-row-error">/g)!.length).toBe(10);
    expect(small).toContain("999,990 more findings");
  });

  it("shares the total cap across files", () => {
    const mk = (path: string, n: number): FileResult => ({
      path,
      format: "conversation",
      records: n,
      errorCount: n,
      warningCount: 0,
      infoCount: 0,
      diagnostics: Array.from({ length: n }, (_, i) => ({
        ruleId: "blank-line",
        severity: "error" as const,
        line: i + 1,
        column: 1,
        pointer: "",
        message: "Empty line",
        messageId: "blank",
      })),
      stats: { bytes: 1, sha256: "", lines: n, blankLines: n, formats: {} },
    });
    const report: LintReport = { version: "0", files: [mk("a.jsonl", 8), mk("b.jsonl", 8)], errorCount: 16, warningCount: 0, infoCount: 0 };
    const page = htmlFormatter({ maxTotalFindings: 10 })(report, formatContext());
    expect(page.match(/<tr class="sev-row-error">/g)!.length).toBe(10);
    expect(page).toContain('data-more="6"');
  });
});
