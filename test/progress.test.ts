/**
 * Progress: the library reports bytes and lines as a file is read (also from workers), and the CLI draws one line on
 * a terminal's stderr after a second, redrawn in place and cleared before the report; never on a pipe, never with a
 * machine format on stdout, never with --no-progress. The CLI runs under a real pseudo-terminal (util-linux `script`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLintProgress } from "../src/cli/progress.js";
import { lintFile, prepareLint, type LintProgress } from "../src/lint/lint.js";
import { CLI } from "./helpers/lint.js";

const V = (i: number) =>
  JSON.stringify({
    messages: [
      { role: "user", content: `Q${i} ${"x".repeat(200)}` },
      { role: "assistant", content: `A${i}` },
    ],
  });

function bigFile(lines: number): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-progress-"));
  const p = join(dir, "data.jsonl");
  writeFileSync(p, Array.from({ length: lines }, (_, i) => V(i)).join("\n") + "\n");
  return p;
}

function fakeTty(columns = 200) {
  const writes: string[] = [];
  return { stream: { isTTY: true, columns, write: (s: string) => writes.push(s) }, writes };
}

describe("progress line", () => {
  it("stays silent for the first second, then draws bytes, percent, lines, rate and ETA in place", () => {
    let t = 0;
    const { stream, writes } = fakeTty();
    const p = createLintProgress(stream, { now: () => t });
    t = 500;
    p.onProgress({ path: "a.jsonl", bytes: 1 << 20, totalBytes: 8 << 20, lines: 100 });
    expect(writes).toEqual([]);
    t = 2000;
    p.onProgress({ path: "a.jsonl", bytes: 4 << 20, totalBytes: 8 << 20, lines: 400 });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r\x1b\[2Ktunelint: a\.jsonl {2}4\.0 MiB \/ 8\.0 MiB {2}50% {2}400 lines {2}2\.7 MiB\/s {2}ETA 2s$/);
    t = 2050; // throttled
    p.onProgress({ path: "a.jsonl", bytes: 5 << 20, totalBytes: 8 << 20, lines: 500 });
    expect(writes).toHaveLength(1);
    p.clear();
    expect(writes[1]).toBe("\r\x1b[2K");
    p.clear();
    expect(writes).toHaveLength(2);
  });

  it("shows no percent or ETA when the size is unknown (stdin), and fits the terminal width", () => {
    let t = 0;
    const { stream, writes } = fakeTty(40);
    const p = createLintProgress(stream, { now: () => t, delayMs: 0 });
    t = 1000;
    p.onProgress({ path: "<stdin>", bytes: 3 << 20, totalBytes: null, lines: 12345 });
    expect(writes[0]).not.toContain("ETA");
    expect(writes[0]!.replace("\r\x1b[2K", "").length).toBeLessThanOrEqual(39);
  });

  it("writes nothing at all when the stream is not a terminal", () => {
    const writes: string[] = [];
    const p = createLintProgress({ isTTY: false, write: (s: string) => writes.push(s) }, { delayMs: 0, intervalMs: 0 });
    p.onProgress({ path: "a", bytes: 1, totalBytes: 2, lines: 1 });
    p.clear();
    expect(writes).toEqual([]);
  });
});

describe("library progress", () => {
  const path = bigFile(20_000);
  const size = statSync(path).size;

  it.each([1, 3])("reports monotonic bytes up to the file size and every line (jobs %i)", async (jobs) => {
    const seen: LintProgress[] = [];
    const r = await lintFile(
      path,
      await prepareLint({ config: false, jobs, parallelThreshold: 1, onProgress: (p) => seen.push({ ...p }) }),
    );
    expect(r.errorCount).toBe(0);
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytes).toBeGreaterThanOrEqual(seen[i - 1]!.bytes);
    expect(seen.at(-1)!.bytes).toBe(size);
    expect(seen.every((p) => p.totalBytes === size && p.path === path)).toBe(true);
    // The last chunk's lines are counted when the next chunk (or the end) arrives: most lines are seen.
    expect(seen.at(-1)!.lines).toBeGreaterThan(10_000);
  });
});

const SCRIPT = existsSync("/usr/bin/script") ? "/usr/bin/script" : null;

describe.skipIf(!SCRIPT)("CLI progress on a real terminal", () => {
  // A producer that writes for about 1.5 s, so the check runs longer than the one-second delay.
  const producer = `node -e 'let i=0;const t=setInterval(()=>{for(let k=0;k<200;k++)process.stdout.write(JSON.stringify({messages:[{role:"user",content:"q"+i},{role:"assistant",content:"a"+(i++)}]})+"\\n");if(i>=3000){clearInterval(t)}},100)'`;
  const run = (args: string) => {
    const r = spawnSync(SCRIPT!, ["-qec", `${producer} | ${process.execPath} ${CLI} check - ${args}`, "/dev/null"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, COLUMNS: "200" },
    });
    return { status: r.status, out: r.stdout };
  };

  it("draws progress on stderr after a second and clears it before the report", () => {
    const r = run("");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/\r\x1b\[2Ktunelint: <stdin> {2}[\d.]+ (KiB|MiB) {2}[\d,]+ lines/);
    // Cleared, then the report.
    const last = r.out.lastIndexOf("tunelint: <stdin>");
    expect(r.out.indexOf("\r\x1b[2K", last + 1)).toBeGreaterThan(last);
    expect(r.out.slice(last)).toMatch(/No problems/);
  });

  it("--no-progress and machine formats on stdout draw nothing", () => {
    expect(run("--no-progress").out).not.toContain("tunelint: <stdin>");
    const json = run("-f json");
    expect(json.out).not.toContain("tunelint: <stdin>");
    expect(json.out).toContain('"errorCount":0');
  });
});
