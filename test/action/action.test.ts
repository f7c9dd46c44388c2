import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatOutput, getInput, getListInput } from "../../src/action/io.js";
import { ANNOTATION_CAP, DEFAULT_FILES, exitStatus, readInputs, run, type ActionDeps, type LintRequest } from "../../src/action/action.js";
import type { LintReport } from "../../src/types.js";
import { diag, file, report, RULES, sample } from "../report/helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runner(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "tunelint-action-"));
  dirs.push(dir);
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: path.join(dir, "output.txt"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/data",
    GITHUB_SHA: "abc123",
    ...extra,
  };
  writeFileSync(env.GITHUB_OUTPUT!, "");
  writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
  return { dir, env };
}

function deps(r: LintReport, seen: LintRequest[] = []): ActionDeps & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    lint: async (req) => {
      seen.push(req);
      return { report: r, rules: RULES };
    },
    stylish: (rep) => `STYLISH ${rep.errorCount} errors\n`,
    write: (s) => log.push(s),
  };
}

describe("action inputs", () => {
  it("reads INPUT_ variables the way the runner sets them", () => {
    const env = {
      "INPUT_MAX-WARNINGS": " 3 ",
      INPUT_FILES: "data/*.jsonl\n  more/**/*.jsonl other.jsonl\n",
      "INPUT_FAIL-ON": "warning",
      "INPUT_SARIF-FILE": "out/x.sarif",
      INPUT_METHOD: "dpo",
      INPUT_MODEL: "m",
    };
    expect(getInput(env, "max-warnings")).toBe("3");
    expect(getListInput(env, "files")).toEqual(["data/*.jsonl", "more/**/*.jsonl", "other.jsonl"]);
    expect(readInputs(env)).toEqual({
      files: ["data/*.jsonl", "more/**/*.jsonl", "other.jsonl"],
      defaultFiles: false,
      model: "m",
      method: "dpo",
      config: undefined,
      maxWarnings: 3,
      failOn: "warning",
      sarifFile: "out/x.sarif",
    });
    expect(readInputs({}).files).toEqual(DEFAULT_FILES);
    expect(readInputs({}).defaultFiles).toBe(true);
    expect(readInputs({}).failOn).toBe("error");
    expect(readInputs({}).maxWarnings).toBe(-1);
    expect(() => readInputs({ "INPUT_FAIL-ON": "sometimes" })).toThrow(/fail-on/);
    expect(() => readInputs({ "INPUT_MAX-WARNINGS": "x" })).toThrow(/max-warnings/);
  });

  it("formats outputs, multi-line ones with a delimiter", () => {
    expect(formatOutput("a", "1")).toBe("a=1\n");
    expect(formatOutput("a", "x\ny")).toMatch(/^a<<(ghadelimiter_[0-9a-f-]+)\nx\ny\n\1\n$/);
  });
});

describe("action exit status", () => {
  const errs = report([file("a.jsonl", [diag()])]);
  const warns = report([file("a.jsonl", [diag({ severity: "warning" }), diag({ severity: "warning" })])]);
  const clean = report([file("a.jsonl", [])]);
  it("follows fail-on and max-warnings", () => {
    expect(exitStatus(errs, { failOn: "error", maxWarnings: -1 })).toBe(1);
    expect(exitStatus(errs, { failOn: "never", maxWarnings: -1 })).toBe(0);
    expect(exitStatus(warns, { failOn: "error", maxWarnings: -1 })).toBe(0);
    expect(exitStatus(warns, { failOn: "error", maxWarnings: 1 })).toBe(1);
    expect(exitStatus(warns, { failOn: "error", maxWarnings: 2 })).toBe(0);
    expect(exitStatus(warns, { failOn: "warning", maxWarnings: -1 })).toBe(1);
    expect(exitStatus(clean, { failOn: "warning", maxWarnings: 0 })).toBe(0);
    expect(exitStatus(report([file("a.jsonl", [], { fatal: true })]), { failOn: "never", maxWarnings: -1 })).toBe(2);
  });
});

describe("action run", () => {
  it("annotates, logs, summarises, writes SARIF and outputs", async () => {
    const { dir, env } = runner({ INPUT_FILES: "data/*.jsonl", "INPUT_SARIF-FILE": "reports/tunelint.sarif", INPUT_MODEL: "some/model" });
    const seen: LintRequest[] = [];
    const d = deps(sample(dir), seen);
    const code = await run(env, d);
    expect(code).toBe(1);
    expect(seen[0]).toMatchObject({ patterns: ["data/*.jsonl"], allowUnmatched: false, cwd: dir, model: "some/model" });
    const log = d.log.join("");
    expect(log).toContain("::error file=data/train.jsonl,line=3,col=14,title=tunelint (role-unknown)::");
    expect(log).toContain("::warning file=data/train.jsonl,line=9,col=1,title=tunelint (token-count-estimate)::");
    expect(log).toContain("STYLISH 3 errors");
    expect(log).toContain("::error::tunelint failed: 3 error(s)");
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toContain("## tunelint: ❌ 3 errors");
    expect(summary).toContain("https://github.com/acme/data/blob/abc123/data/train.jsonl#L3");
    const outputs = readFileSync(env.GITHUB_OUTPUT!, "utf8");
    expect(outputs).toBe("error-count=3\nwarning-count=1\nsarif-file=reports/tunelint.sarif\nhtml-file=\n");
    const sarif = JSON.parse(readFileSync(path.join(dir, "reports/tunelint.sarif"), "utf8"));
    expect(sarif.runs[0].results).toHaveLength(5);
  });

  it("passes with fail-on never and writes no SARIF when not asked", async () => {
    const { dir, env } = runner({ "INPUT_FAIL-ON": "never" });
    const d = deps(sample(dir));
    expect(await run(env, d)).toBe(0);
    expect(readFileSync(env.GITHUB_OUTPUT!, "utf8")).toContain("sarif-file=\n");
    expect(existsSync(path.join(dir, "reports"))).toBe(false);
  });

  it("caps annotations but logs everything", async () => {
    const many = report([
      file(
        "a.jsonl",
        Array.from({ length: 300 }, (_, i) => diag({ line: i + 1 })),
      ),
    ]);
    const { env } = runner();
    const d = deps(many);
    await run(env, d);
    const log = d.log.join("");
    expect(log.match(/^::error file=/gm)).toHaveLength(ANNOTATION_CAP);
    expect(log).toContain(`${300 - ANNOTATION_CAP} more findings were not sent as annotations`);
  });

  it("reports bad inputs and library failures as errors with exit 2", async () => {
    const { env } = runner({ "INPUT_FAIL-ON": "bogus" });
    const d = deps(report([]));
    expect(await run(env, d)).toBe(2);
    expect(d.log.join("")).toContain("::error::tunelint: input fail-on must be");
    const { env: env2 } = runner();
    const d2 = deps(report([]));
    d2.lint = async () => {
      throw new Error("No files matched data/*.jsonl");
    };
    expect(await run(env2, d2)).toBe(2);
    expect(d2.log.join("")).toContain("::error::tunelint: No files matched data/*.jsonl");
  });
});
