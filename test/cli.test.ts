import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/lint.js";
import { tunelint } from "./helpers/cli.js";

const S = `${ROOT}samples/`;
const VALID = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}\n';

function tmp(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-cli-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

interface JsonDoc {
  version: string;
  files: {
    path: string;
    format: string | null;
    records: number;
    errorCount: number;
    warningCount: number;
    diagnostics: Record<string, unknown>[];
    stats: Record<string, unknown>;
  }[];
  errorCount: number;
  warningCount: number;
}

describe("tunelint check", () => {
  it("exits 0 on a valid file and 1 on a broken one", () => {
    expect(tunelint(["check", `${S}conversation-valid.jsonl`]).code).toBe(0);
    const r = tunelint(["check", `${S}conversation-broken.jsonl`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("role-unknown");
    expect(r.stdout).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings\)/);
  });

  it("is the default command", () => {
    const r = tunelint([`${S}instruction-broken.jsonl`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("field-missing");
  });

  it("prints exactly the documented JSON document, alone on stdout", () => {
    const r = tunelint(["check", `${S}conversation-broken.jsonl`, "--format", "json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(Object.keys(doc)).toEqual(["version", "files", "errorCount", "warningCount"]);
    const f = doc.files[0]!;
    expect(Object.keys(f)).toEqual(["path", "format", "records", "errorCount", "warningCount", "diagnostics", "stats"]);
    expect(f.format).toBe("conversation");
    expect(Object.keys(f.diagnostics[0]!)).toEqual(["ruleId", "messageId", "severity", "line", "column", "pointer", "message"]);
    expect(f.diagnostics.find((d) => d.ruleId === "role-unknown")).toMatchObject({
      line: 2,
      column: 24,
      pointer: "/messages/0/role",
      severity: "error",
    });
    expect(doc.errorCount).toBe(f.errorCount);
    expect(doc.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("takes several paths, globs and gzip in one call", () => {
    const dir = tmp({ "data/a.jsonl": VALID, "data/sub/b.jsonl": VALID.replace("assistant", "robot"), "c.jsonl": VALID });
    const r = tunelint(["check", "data/**/*.jsonl", "c.jsonl", `${S}conversation-valid.jsonl.gz`, "--format", "json"], { cwd: dir });
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.files.map((f) => f.path)).toEqual(["data/a.jsonl", "data/sub/b.jsonl", "c.jsonl", `${S}conversation-valid.jsonl.gz`]);
    expect(doc.files[3]!.records).toBe(5);
    expect(r.code).toBe(1);
  });

  it("reads stdin with '-' and labels it with --stdin-filename", () => {
    const r = tunelint(["check", "-", "--stdin-filename", "data.jsonl", "--format", "json"], { input: VALID + '{"text": 1}\n' });
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.files[0]!.path).toBe("data.jsonl");
    expect(doc.files[0]!.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([
      ["mixed-formats", 2],
      ["field-type", 2],
    ]);
    expect(tunelint(["check", "-"], { input: VALID }).stdout).toContain("<stdin>");
  });

  it("exits 2 with a clear message on a pattern that matches nothing, unless told not to", () => {
    const dir = tmp({ "a.jsonl": VALID });
    const r = tunelint(["check", "missing/*.jsonl", "a.jsonl"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No files matching 'missing/*.jsonl'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tunelint(["check", "missing/*.jsonl", "a.jsonl", "--no-error-on-unmatched-pattern"], { cwd: dir }).code).toBe(0);
  });

  it("exits 2 on usage errors: no files, unknown option, unknown rule, bad format", () => {
    for (const args of [
      ["check"],
      ["check", "x.jsonl", "--bogus"],
      ["check", `${S}conversation-valid.jsonl`, "--rule", "no-such-rule=off"],
      ["check", `${S}conversation-valid.jsonl`, "-f", "yaml"],
    ]) {
      const r = tunelint(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^tunelint: /m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(tunelint(["check", `${S}conversation-valid.jsonl`, "--rule", "content-emty=off"]).stderr).toContain(
      'Did you mean "content-empty"',
    );
  });

  it("--rule changes severities and turns rules off", () => {
    const off = tunelint([
      "check",
      `${S}instruction-broken.jsonl`,
      "--rule",
      "field-missing=off",
      "--rule",
      "field-type=warning",
      "--rule",
      "unknown-key=off",
      "-f",
      "json",
    ]);
    const doc = JSON.parse(off.stdout) as JsonDoc;
    expect(doc.files[0]!.diagnostics.map((d) => `${d.ruleId}:${d.severity}`)).toEqual(["field-type:warning", "field-empty:warning"]);
    expect(off.code).toBe(0);
  });

  it("reads tunelint.config.json (validated) from the working directory", () => {
    const dir = tmp({ "a.jsonl": VALID + VALID, "tunelint.config.json": JSON.stringify({ rules: { "duplicate-example": "error" } }) });
    const r = tunelint(["check", "a.jsonl", "-f", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonDoc).files[0]!.diagnostics[0]).toMatchObject({
      ruleId: "duplicate-example",
      severity: "error",
      line: 2,
    });
    expect(tunelint(["check", "a.jsonl", "--no-config"], { cwd: dir }).code).toBe(0);
    const bad = tmp({ "a.jsonl": VALID, "tunelint.config.json": JSON.stringify({ rules: { "duplicate-example": "loud" } }) });
    const rb = tunelint(["check", "a.jsonl"], { cwd: bad });
    expect(rb.code).toBe(2);
    expect(rb.stderr).toContain("Invalid");
  });

  it("--max-warnings turns too many warnings into exit 1", () => {
    const dir = tmp({ "a.jsonl": VALID + VALID });
    expect(tunelint(["check", "a.jsonl"], { cwd: dir }).code).toBe(0);
    expect(tunelint(["check", "a.jsonl", "--max-warnings", "1"], { cwd: dir }).code).toBe(0);
    const r = tunelint(["check", "a.jsonl", "--max-warnings", "0"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("too many warnings");
  });

  it("--quiet reports errors only", () => {
    const r = tunelint(["check", `${S}instruction-broken.jsonl`, "--quiet", "-f", "json"]);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.files[0]!.diagnostics.every((d) => d.severity === "error")).toBe(true);
    expect(doc.warningCount).toBe(0);
  });

  it("writes several formats in one run: stylish to stdout, json to a file", () => {
    const dir = tmp({});
    const out = join(dir, "reports/out.json");
    const r = tunelint(["check", `${S}general-broken.jsonl`, "-f", "json", "-o", out, "-f", "stylish"]);
    expect(r.stdout).toContain("general-broken.jsonl");
    expect((JSON.parse(readFileSync(out, "utf8")) as JsonDoc).files[0]!.format).toBe("general");
    expect(tunelint(["check", `${S}general-broken.jsonl`, "-f", "json", "-f", "stylish"]).code).toBe(2);
  });

  it("an unreadable path is exit 2 with a finding, and other files are still linted", () => {
    const dir = tmp({ "a.jsonl": VALID, "d/x.jsonl": VALID });
    const r = tunelint(["check", "a.jsonl", `${S}../test/fixtures/rules/read-error/invalid.jsonl.gz`, "-f", "json"], { cwd: dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.files[1]!.diagnostics[0]).toMatchObject({ ruleId: "read-error", line: null });
    expect(doc.files[0]!.errorCount).toBe(0);
  });

  it("a directory argument lints the JSONL files inside it", () => {
    const dir = tmp({ "data/a.jsonl": VALID, "data/b.ndjson": VALID, "data/notes.txt": "x" });
    const doc = JSON.parse(tunelint(["check", "data", "-f", "json"], { cwd: dir }).stdout) as JsonDoc;
    expect(doc.files.map((f) => f.path)).toEqual(["data/a.jsonl", "data/b.ndjson"]);
  });

  it("lists rules", () => {
    const r = tunelint(["rules", "--format", "json"]);
    const list = JSON.parse(r.stdout) as { id: string }[];
    expect(list.map((x) => x.id)).toContain("role-unknown");
  });
});
