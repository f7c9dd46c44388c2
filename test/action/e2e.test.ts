/**
 * Runs the committed bundle the way the GitHub runner does: `node dist-action/index.mjs` in the
 * workspace, inputs as INPUT_* variables (uppercased, `-` kept: INPUT_MAX-WARNINGS), and the
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Checks annotations, log, summary, outputs, SARIF, exit status.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUNDLE = path.join(ROOT, "dist-action", "index.mjs");
const FIXTURES = path.join(ROOT, "test", "action", "fixtures");

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tunelint-runner-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "data"));
  copyFileSync(path.join(FIXTURES, "good.jsonl"), path.join(dir, "data", "good.jsonl"));
  copyFileSync(path.join(FIXTURES, "bad.jsonl"), path.join(dir, "data", "bad.jsonl"));
  return dir;
}

function runAction(dir: string, inputs: Record<string, string>, startIn = dir) {
  const runnerTemp = path.join(dir, "_runner");
  mkdirSync(runnerTemp, { recursive: true });
  const output = path.join(runnerTemp, "output");
  const summary = path.join(runnerTemp, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/datasets",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    RUNNER_TEMP: runnerTemp,
  };
  // The runner sets every declared input, defaults included.
  const defaults: Record<string, string> = {
    files: "",
    model: "",
    method: "",
    config: "",
    "max-warnings": "-1",
    "fail-on": "error",
    "sarif-file": "",
    "html-file": "",
  };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  const res = spawnSync(process.execPath, [BUNDLE], { cwd: startIn, env, encoding: "utf8", timeout: 60_000 });
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(output, "utf8").split("\n")) {
    const m = /^([\w-]+)=(.*)$/.exec(line);
    if (m) outputs[m[1]!] = m[2]!;
  }
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, outputs, summary: readFileSync(summary, "utf8") };
}

describe("the action, run like the runner runs it", () => {
  it("fails on errors with annotations, a full log, a summary, outputs and SARIF", () => {
    const dir = workspace();
    const r = runAction(dir, { files: "data/good.jsonl\ndata/bad.jsonl", "sarif-file": "reports/tunelint.sarif" });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    // annotations on the offending lines, repo-relative paths
    expect(r.stdout).toMatch(/^::error file=data\/bad\.jsonl,line=2,col=\d+,title=tunelint \(invalid-json\)::/m);
    expect(r.stdout).toMatch(/^::warning file=data\/bad\.jsonl,line=1,col=\d+,title=tunelint \(content-empty\)::/m);
    expect(r.stdout).not.toMatch(/^::\w+ file=data\/good\.jsonl/m);
    // the full stylish report in the log
    expect(r.stdout).toContain("data/bad.jsonl");
    expect(r.stdout).toMatch(/problems?/);
    // outputs
    expect(Number(r.outputs["error-count"])).toBeGreaterThanOrEqual(2);
    expect(Number(r.outputs["warning-count"])).toBeGreaterThanOrEqual(1);
    expect(r.outputs["sarif-file"]).toBe("reports/tunelint.sarif");
    // summary with line links
    expect(r.summary).toMatch(/^## tunelint: ❌/);
    expect(r.summary).toContain("https://github.com/acme/datasets/blob/0123456789abcdef0123456789abcdef01234567/data/bad.jsonl#L2");
    // SARIF
    const sarif = JSON.parse(readFileSync(path.join(dir, "reports", "tunelint.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const uris = sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri);
    expect(new Set(uris)).toEqual(new Set(["data/bad.jsonl"]));
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(20);
  });

  it("writes the HTML report for upload-artifact when html-file is given", () => {
    const dir = workspace();
    const r = runAction(dir, { files: "data/good.jsonl\ndata/bad.jsonl", "html-file": "reports/tunelint.html" });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.outputs["html-file"]).toBe("reports/tunelint.html");
    const page = readFileSync(path.join(dir, "reports", "tunelint.html"), "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('data-path="data/bad.jsonl"');
    expect(page).toContain('id="file-1-bytes"');
    expect(page).toContain('data-rule="invalid-json"');
  });

  it("passes a clean file", () => {
    const dir = workspace();
    const r = runAction(dir, { files: "data/good.jsonl" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ "error-count": "0", "warning-count": "0", "sarif-file": "", "html-file": "" });
    expect(r.stdout).not.toMatch(/^::(error|warning)/m);
    expect(r.summary).toMatch(/^## tunelint: ✅ no problems in 1 file/);
  });

  it("fail-on never reports but passes; fail-on warning fails on warnings alone", () => {
    const dir = workspace();
    expect(runAction(dir, { files: "data/bad.jsonl", "fail-on": "never" }).status).toBe(0);
    writeFileSync(
      path.join(dir, "data", "warn.jsonl"),
      '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}\n{"messages": [{"role": "user", "content": "Hi again"}, {"role": "assistant", "content": "Hello"}]}\n',
    );
    const w = runAction(dir, { files: "data/warn.jsonl" });
    expect(w.outputs["error-count"], w.stdout).toBe("0");
    expect(w.status).toBe(0);
    expect(runAction(dir, { files: "data/warn.jsonl", "fail-on": "warning" }).status).toBe(1);
    expect(runAction(dir, { files: "data/warn.jsonl", "max-warnings": "0" }).status).toBe(1);
  });

  it("fails with exit 2 and an error annotation on a glob that matches nothing", () => {
    const dir = workspace();
    const r = runAction(dir, { files: "nothing/*.jsonl" });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^::error::tunelint: .*nothing\/\*\.jsonl/m);
  });

  it("lints every dataset of the workspace when `files` is not given (no error for unused extensions)", () => {
    const dir = workspace();
    const r = runAction(dir, {}, tmpdir()); // also: started outside the workspace
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("data/bad.jsonl");
    expect(r.stdout).toContain("data/good.jsonl");
    expect(r.stdout).toMatch(/in 2 files/);
  });

  it("fails with exit 2 when the workspace has no datasets and `files` is not given", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tunelint-runner-empty-"));
    dirs.push(dir);
    const r = runAction(dir, {});
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^::error::tunelint: no dataset files/m);
  });
});
