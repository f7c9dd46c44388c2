/**
 * The committed action bundle must be what a fresh build of src/ gives (the check-dist workflow does the
 * same on GitHub). Fix with `npm run build:action`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without types
import { bundleAction, OUTFILE, rebaseAssetUrls } from "../../scripts/build-action.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("dist-action/index.mjs", () => {
  it("is committed where action.yml points", () => {
    const yml = readFileSync(path.join(ROOT, "action.yml"), "utf8");
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: dist-action\/index\.mjs$/m);
    expect(existsSync(OUTFILE)).toBe(true);
  });

  it("is fresh (equal to a new bundle of src/action)", { timeout: 60_000 }, async () => {
    const fresh: string = await bundleAction();
    const committed = readFileSync(OUTFILE, "utf8");
    // Compare lengths first so a failure does not print two huge strings.
    expect(committed.length, "stale bundle: run `npm run build:action` and commit dist-action/index.mjs").toBe(fresh.length);
    expect(committed === fresh, "stale bundle: run `npm run build:action` and commit dist-action/index.mjs").toBe(true);
  });

  it("rebases asset URLs from a module's place in dist/ to dist-action/", () => {
    const at = (p: string) => path.join(ROOT, p);
    expect(rebaseAssetUrls('const D = new URL("../../schemas/", import.meta.url);', at("src/formats/validate.ts"))).toEqual({
      contents: 'const D = new URL("../schemas/", import.meta.url);',
      errors: [],
    });
    expect(rebaseAssetUrls("export const DATA_DIR = new URL('../../data/', import.meta.url);", at("src/tokens/engine.ts")).contents).toBe(
      "export const DATA_DIR = new URL('../data/', import.meta.url);",
    );
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
