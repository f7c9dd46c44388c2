import { describe, expect, it } from "vitest";
import {
  COMMENT_MAX_BYTES,
  escapeMarkdown,
  formatMarkdown,
  linkContextFromEnv,
  markdown,
  markdownFormatter,
  STEP_SUMMARY_MAX_BYTES,
} from "../../src/report/markdown.js";
import type { Diagnostic } from "../../src/types.js";
import { ctx, diag, file, report, sample } from "./helpers.js";

const link = { serverUrl: "https://github.com", repository: "acme/data", sha: "abc123" };

describe("markdown formatter", () => {
  it("summarises totals, files, top rules, token stats and findings", () => {
    const md = markdown(sample(), ctx());
    expect(md).toMatch(/^## tunelint: ❌ 3 errors, 1 warning, 1 info in 3 of 4 files\n/);
    expect(md).toContain("| `data/train.jsonl` | conversation | 10 | 2 | 1 | 0 |");
    expect(md).toContain("### Top rules");
    expect(md).toContain("[`role-unknown`](https://github.com/tunelint/tunelint/blob/main/docs/rules/role-unknown.md)");
    expect(md).toContain("### Token stats");
    expect(md).toContain(
      "| `data/train.jsonl` | `meta-llama/Llama-3.3-70B-Instruct` | sft | yes | 12,345 | 12 | 1,234.5 | 900 | 7,000 | 9,000 | 8,192 | **1** |",
    );
    expect(md).toContain("### Findings");
    expect(md).toContain(
      '| `data/train.jsonl:3:14` | ❌ error | `role-unknown` | Unknown role "bot": use system, user, assistant or tool. <sub>`/messages/1/role`</sub> |',
    );
    // the warning's newline does not break the table
    const warnRow = md.split("\n").find((l) => l.includes("token-count-estimate") && l.includes("is an estimate"));
    expect(warnRow).toBeDefined();
    expect(warnRow).toContain("100% sure");
    // errors come before warnings in the findings list
    expect(md.indexOf("`data/empty.jsonl`")).toBeLessThan(md.indexOf("is an estimate"));
  });

  it("says so when clean", () => {
    expect(markdown(report([file("a.jsonl", [])]), ctx())).toMatch(/^## tunelint: ✅ no problems in 1 file\n/);
  });

  it("links findings to lines when a GitHub context is given", () => {
    const md = formatMarkdown(sample(), ctx(), { link });
    expect(md).toContain("[`data/train.jsonl:3:14`](https://github.com/acme/data/blob/abc123/data/train.jsonl#L3)");
    expect(md).toContain(
      "[`data/dir with space/ok,1:2.jsonl`](https://github.com/acme/data/blob/abc123/data/dir%20with%20space/ok%2C1%3A2.jsonl)",
    );
    expect(md).toContain("[`data/empty.jsonl`](https://github.com/acme/data/blob/abc123/data/empty.jsonl)");
  });

  it("makes a formatter with fixed options", () => {
    expect(markdownFormatter({ link })(sample(), ctx())).toBe(formatMarkdown(sample(), ctx(), { link }));
  });

  it("reads the link context from an env object", () => {
    expect(linkContextFromEnv({ GITHUB_SERVER_URL: "https://github.com/", GITHUB_REPOSITORY: "acme/data", GITHUB_SHA: "abc123" })).toEqual(
      link,
    );
    expect(linkContextFromEnv({ GITHUB_REPOSITORY: "acme/data" })).toBeUndefined();
  });

  it("escapes markdown and html in messages", () => {
    expect(escapeMarkdown("a|b <script> *x* [l](u)\nnext")).toBe("a\\|b &lt;script&gt; \\*x\\* \\[l\\]\\(u\\) next");
    expect(escapeMarkdown("x".repeat(400)).length).toBeLessThanOrEqual(300);
  });

  it("stays under 1 MiB with 200k findings", () => {
    const files = [];
    for (let f = 0; f < 200; f++) {
      const ds: Diagnostic[] = [];
      for (let i = 0; i < 1000; i++) {
        ds.push(
          diag({
            line: i + 1,
            ruleId: `rule/r${i % 37}`,
            message: `Finding ${i} ${"long text ".repeat(40)}`,
            severity: i % 3 === 0 ? "warning" : "error",
          }),
        );
      }
      files.push(file(`data/${"deep/".repeat(30)}file-${f}.jsonl`, ds));
    }
    const r = report(files);
    expect(r.errorCount + r.warningCount).toBe(200_000);
    const t0 = performance.now();
    const md = formatMarkdown(r, ctx(), { link });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(COMMENT_MAX_BYTES); // the default fits a PR comment
    const summary = formatMarkdown(r, ctx(), { link, maxBytes: STEP_SUMMARY_MAX_BYTES, maxFindings: 5000, maxFiles: 5000 });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(STEP_SUMMARY_MAX_BYTES);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(900_000); // the budget, not the caps, stopped it
    expect(md).toContain("First 50 of 200,000 findings");
    expect(md).toContain("more findings not shown");
    expect(md).toContain("and 150 more files");
    // and a tiny budget is respected too
    const small = formatMarkdown(r, ctx(), { link, maxBytes: 4000, maxFindings: 10_000, maxFiles: 10_000 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(4000);
  });
});

describe("markdown token stats with epochs", () => {
  it("shows trained tokens with p50/p95, and trained x epochs when ctx.epochs is set", () => {
    const md = markdown(sample(), ctx("/repo", { epochs: 3 }));
    expect(md).toContain("| Over limit | Trained | Trained p50 | Trained p95 | Train nothing | Trained x 3 epochs |");
    expect(md).toContain("| **1** | 4,321 | 300 | 2,500 | 1 | 12,963 |");
    const plain = markdown(sample(), ctx());
    expect(plain).toContain("| **1** | 4,321 | 300 | 2,500 | 1 |\n");
    expect(plain).not.toContain("epochs");
  });
});

describe("markdown tables stay tables", () => {
  it("escapes pipes in code spans, keeps underscores, encodes parentheses in links", () => {
    const r = report([
      file("data/a|b (1).jsonl", [diag({ pointer: "/messages/0/con|tent", message: "bad | message" })], {
        stats: {
          bytes: 1,
          sha256: "",
          lines: 1,
          blankLines: 0,
          formats: {},
          tokens: {
            model: "org/model_v2",
            method: "sft",
            exact: false,
            limit: 10,
            total: 5,
            min: 5,
            max: 5,
            mean: 5,
            p50: 5,
            p95: 5,
            overLimit: 0,
            trained: 2,
            trainedMin: 2,
            trainedMax: 2,
            trainedMean: 2,
            trainedP50: 2,
            trainedP95: 2,
            untrained: 0,
            trainOnInputs: "auto",
          },
        },
      }),
    ]);
    const md = formatMarkdown(r, ctx(), { link });
    expect(md).toContain("[`data/a\\|b (1).jsonl`](https://github.com/acme/data/blob/abc123/data/a%7Cb%20%281%29.jsonl)");
    expect(md).toContain("| `org/model_v2` |");
    expect(md).toContain("<sub>`/messages/0/con\\|tent`</sub>");
    expect(md).toContain("bad \\| message");
    // every table row has the same number of unescaped pipes as its header
    for (const table of md.split("\n\n").filter((b) => b.startsWith("|"))) {
      const rows = table.split("\n").filter(Boolean);
      const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length;
      for (const row of rows) expect(cells(row), row).toBe(cells(rows[0]!));
    }
  });
});
