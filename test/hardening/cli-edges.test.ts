/** Issue 17: rough edges a new user meets with the built CLI (each test failed before its fix). */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/lint.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-edges-"));
const bad = join(dir, "bad.jsonl");
writeFileSync(bad, '{"messages":[{"role":"User","content":"hi"}]}\n'.repeat(30000));

/** Runs the CLI with stdout on a pipe whose reader goes away after the first chunk (as `| head -1` does). */
function runClosingStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("item 2: a closed stdout", () => {
  for (const format of ["stylish", "json", "github"]) {
    it(`${format}: ends quietly with the run's exit code, no EPIPE stack trace`, async () => {
      const r = await runClosingStdout(["check", bad, "--no-config", "-f", format]);
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled|internal error|\n\s+at /);
      expect(r.code).toBe(1);
    });
  }
});
