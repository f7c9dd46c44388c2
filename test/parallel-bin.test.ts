/**
 * The shipped bin (the esbuild bundle) really checks a big file with workers: a preload records every Worker the
 * process starts. A bundle without its worker script fails loudly instead of silently using one thread.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, ROOT } from "./helpers/lint.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-bin-par-"));
const data = join(dir, "big.jsonl");
// Just over the 64 MiB split threshold of the structural check, with a finding near the end.
const line = (i: number) =>
  JSON.stringify({
    messages: [
      { role: i === 0 ? "User" : "user", content: `q${i} ${"q ".repeat(400)}` },
      { role: "assistant", content: "a ".repeat(400) },
    ],
  });
const count = Math.ceil((65 * 1024 * 1024) / (line(0).length + 1));
{
  const lines: string[] = [];
  for (let i = count - 1; i >= 0; i--) lines.push(line(i));
  writeFileSync(data, lines.join("\n") + "\n");
}
const PRELOAD = join(ROOT, "test/fixtures/preload/record-workers.cjs");

function run(bin: string, args: string[], log: string) {
  return spawnSync(process.execPath, ["--require", PRELOAD, bin, "check", ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, TUNELINT_TEST_WORKER_LOG: log },
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parallel check in the bundled bin", () => {
  it("--jobs 2 starts a worker from the bundle's worker script (the main thread judges the first range), with the single-thread verdict", () => {
    const log = join(dir, "workers-2.log");
    writeFileSync(log, "");
    const r = run(CLI, [data, "--jobs", "2", "-f", "json"], log);
    expect(r.status, `${String(r.error)} ${r.signal} ${r.stderr}`).toBe(1);
    const workers = readFileSync(log, "utf8").trim().split("\n");
    expect(workers).toHaveLength(1);
    for (const w of workers) expect(w).toMatch(/dist[\\/]bundle[\\/]worker\.mjs$/);

    const one = join(dir, "workers-1.log");
    writeFileSync(one, "");
    const single = run(CLI, [data, "--jobs", "1", "-f", "json"], one);
    expect(readFileSync(one, "utf8")).toBe("");
    expect(r.stdout).toBe(single.stdout);
    const report = JSON.parse(r.stdout);
    expect(report.files[0].records).toBe(count);
    expect(report.files[0].diagnostics.map((d: { ruleId: string; line: number }) => [d.ruleId, d.line])).toEqual([["role-unknown", count]]);
  }, 180_000);

  it("fails with a clear message (exit 2, no stack trace) when the bundle lost its worker script", () => {
    const copy = join(dir, "bundle");
    cpSync(join(ROOT, "dist/bundle"), copy, { recursive: true });
    rmSync(join(copy, "worker.mjs"));
    expect(existsSync(join(copy, "tunelint.mjs"))).toBe(true);
    // The bundle resolves schemas/, data/ and package.json relative to dist/bundle/: keep that layout.
    const root = join(dir, "pkg");
    cpSync(join(ROOT, "package.json"), join(root, "package.json"));
    cpSync(join(ROOT, "schemas"), join(root, "schemas"), { recursive: true });
    cpSync(copy, join(root, "dist/bundle"), { recursive: true });
    copyFileSync(join(ROOT, "package.json"), join(root, "package.json"));
    const log = join(dir, "workers-missing.log");
    writeFileSync(log, "");
    const r = run(join(root, "dist/bundle/tunelint.mjs"), [data, "--jobs", "2"], log);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/worker script is missing .*worker\.mjs.*--jobs 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(log, "utf8")).toBe("");
  }, 60_000);
});
