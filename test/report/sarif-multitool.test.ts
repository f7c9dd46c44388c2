/**
 * Optional: Microsoft's SARIF validator with GitHub's ingestion rules (GH1001-GH1007, GH2012...).
 * Runs when SARIF_MULTITOOL points to the Sarif.Multitool binary (npm: @microsoft/sarif-multitool-linux,
 * ~100 MB, so not a devDependency):
 *   npm i --prefix /tmp/smt @microsoft/sarif-multitool
 *   SARIF_MULTITOOL=/tmp/smt/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool npx vitest run test/report/sarif-multitool
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sarif } from "../../src/report/sarif.js";
import { ctx, sample } from "./helpers.js";

const TOOL = process.env.SARIF_MULTITOOL;

describe.skipIf(!TOOL)("SARIF against GitHub's ingestion rules (sarif-multitool validate --rule-kind Gh)", () => {
  it("has no errors or warnings", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tunelint-sarif-"));
    try {
      const input = path.join(dir, "in.sarif");
      const output = path.join(dir, "out.sarif");
      const report = sample();
      for (const f of report.files) f.stats.sha256 = "a".repeat(64);
      writeFileSync(input, sarif(report, ctx()));
      const r = spawnSync(TOOL!, ["validate", "--rule-kind", "Gh;Sarif", "--level", "Error;Warning", "-o", output, input], {
        encoding: "utf8",
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const findings = JSON.parse(readFileSync(output, "utf8")).runs[0].results ?? [];
      expect(findings.map((x: { ruleId: string; message: { text?: string } }) => `${x.ruleId}: ${x.message.text ?? ""}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
