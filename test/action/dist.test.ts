/**
 * The committed action bundle must be what a fresh build of src/ gives (the check-dist workflow does the
 * same on GitHub). Fix with `npm run build:action`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without types
import { bundleAll, OUTFILE, rebaseAssetUrls } from "../../scripts/build-action.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("dist-action/index.mjs", () => {
  it("is committed where action.yml points", () => {
    const yml = readFileSync(path.join(ROOT, "action.yml"), "utf8");
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: dist-action\/index\.mjs$/m);
    expect(existsSync(OUTFILE)).toBe(true);
  });

  it("is fresh (every bundle equal to a new build of src/)", { timeout: 60_000 }, async () => {
    const fresh: Record<string, string> = await bundleAll();
    expect(Object.keys(fresh).sort()).toEqual(["dist-action/index.mjs", "dist-action/worker.js"]);
    for (const [out, text] of Object.entries(fresh)) {
      const committed = existsSync(path.join(ROOT, out)) ? readFileSync(path.join(ROOT, out), "utf8") : "";
      // Compare lengths first so a failure does not print two huge strings.
      expect(committed.length, `${out} is stale: run \`npm run build:action\` and commit dist-action/`).toBe(text.length);
      expect(committed === text, `${out} is stale: run \`npm run build:action\` and commit dist-action/`).toBe(true);
    }
  });

  it("has a working lint worker beside the action (big files are linted in parallel)", async () => {
    const { Worker } = await import("node:worker_threads");
    const { resolveRules } = await import("../../src/lint/config.js");
    const file = path.join(ROOT, "test/action/fixtures/bad.jsonl");
    const job = {
      path: file,
      start: 0,
      end: statSync(file).size,
      rules: [...resolveRules()],
      maxLineBytes: 1 << 20,
      method: "sft",
      tokenRequest: null,
    };
    const w = new Worker(path.join(ROOT, "dist-action/worker.js"), { workerData: job });
    const msg = await new Promise<any>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
    await w.terminate();
    expect(msg.error).toBeUndefined();
    expect(JSON.stringify(msg)).toContain("role-unknown");
  });

  it("rebases asset URLs from a module's place in dist/ to dist-action/", () => {
    const at = (p: string) => path.join(ROOT, p);
    expect(rebaseAssetUrls('const D = new URL("../../schemas/", import.meta.url);', at("src/dataset-formats/validate.ts"))).toEqual({
      contents: 'const D = new URL("../schemas/", import.meta.url);',
      errors: [],
    });
    expect(
      rebaseAssetUrls("export const DATA_DIR = new URL('../../data/', import.meta.url);", at("src/tokens/tokenizer.ts")).contents,
    ).toBe("export const DATA_DIR = new URL('../data/', import.meta.url);");
    expect(rebaseAssetUrls('createRequire(import.meta.url)("../package.json")', at("src/version.ts")).contents).toBe(
      'createRequire(import.meta.url)("../package.json")',
    );
    expect(rebaseAssetUrls('new URL("../../../x.json", import.meta.url)', at("src/a/b/c.ts")).contents).toBe(
      'new URL("../x.json", import.meta.url)',
    );
    // comments are fine, other uses fail the build
    expect(rebaseAssetUrls("// see import.meta.url\nconst x = 1;", at("src/a/b.ts")).errors).toEqual([]);
    expect(rebaseAssetUrls("const u = import.meta.url;", at("src/a/b.ts")).errors).toHaveLength(1);
  });
});
