/** The library as users import it ("tunelint", resolved through package.json exports): plain ESM and TypeScript. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/lint.js";

describe("examples", () => {
  it("examples/pipeline.mjs runs in plain Node ESM", () => {
    const r = spawnSync(process.execPath, [`${ROOT}examples/pipeline.mjs`], { encoding: "utf8", cwd: ROOT });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("role-unknown at /messages/0/role");
    expect(r.stdout).toContain("record 3: duplicate-example");
    expect(r.stdout).toContain(
      'fixed: {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]} (unknown-key /id, role-unknown /messages/0/role, role-unknown /messages/1/role)',
    );
    expect(r.stdout).toContain(
      'converted from sharegpt: {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}',
    );
    expect(r.stdout).toMatch(/tokens: total \d+, max \d+ of 131072; trained \d+ \(p95 \d+\)/);
    // "4" + <|eot_id|>: the reply and its end-of-turn token are what the model learns
    expect(r.stdout).toContain("tokens, 2 trained");
  });

  it('"tunelint/upload" is the uploader (the same functions the root still re-exports)', () => {
    const code =
      'const u = await import("tunelint/upload"); const root = await import("tunelint");' +
      'console.log(JSON.stringify([typeof u.uploadDataset, u.uploadDataset === root.uploadDataset, u.createFineTune === root.createFineTune, "lintFile" in u]));';
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", cwd: ROOT });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(["function", true, true, false]);
  });

  it("examples/typed.ts type-checks against the published types", () => {
    const r = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}examples/tsconfig.json`], {
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
