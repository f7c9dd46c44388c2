import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rules } from "../src/rules/index.js";
import { ROOT } from "./helpers/lint.js";

describe("generated docs", () => {
  it("docs/rules/*.md and the README rule table are fresh", () => {
    const r = spawnSync(process.execPath, [`${ROOT}scripts/gen-docs.mjs`, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("every rule has a kebab-case id, a unique id, a one-sentence description and prose", () => {
    const seen = new Set<string>();
    for (const { meta } of rules) {
      expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(seen.has(meta.id)).toBe(false);
      seen.add(meta.id);
      expect(meta.description).toMatch(/^[A-Z].*\.$/);
      expect(meta.docs.length).toBeGreaterThan(40);
      expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
      expect(readFileSync(`${ROOT}docs/rules/${meta.id}.md`, "utf8")).toContain(meta.description);
    }
  });
});

describe("one list of dataset formats", () => {
  it("schemas/ holds one schema per DATASET_FORMATS entry (plus config), and detection covers each", async () => {
    const { readdirSync } = await import("node:fs");
    const { DATASET_FORMATS } = await import("../src/types.js");
    const { FORMAT_KEYS, detectFormat } = await import("../src/dataset-formats/detect.js");
    const schemas = readdirSync(`${ROOT}schemas`)
      .filter((f) => f.endsWith(".schema.json"))
      .map((f) => f.replace(".schema.json", ""));
    expect(schemas.filter((s) => s !== "config").sort()).toEqual([...DATASET_FORMATS].sort());
    expect(Object.keys(FORMAT_KEYS).sort()).toEqual([...DATASET_FORMATS].sort());
    for (const f of DATASET_FORMATS) expect(detectFormat({ [FORMAT_KEYS[f][0]!]: null })).toBe(f);
  });
});

describe("generated validators", () => {
  it("src/dataset-formats/validators.generated.ts matches schemas/", () => {
    const r = spawnSync(process.execPath, [`${ROOT}scripts/gen-validators.mjs`, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
