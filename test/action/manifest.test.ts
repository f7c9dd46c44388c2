/**
 * The YAML the hosts read: action.yml (GitHub runner), .pre-commit-hooks.yaml (pre-commit), the workflows.
 * Parsed for real (a `key: value: x` slip makes the whole action unloadable), then checked against
 * what the code reads.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DATASET_EXTENSIONS, DATASET_PATTERN } from "../../src/io/dataset-files.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const load = (p: string) => parse(readFileSync(path.join(ROOT, p), "utf8"), { strict: true, uniqueKeys: true });

describe("action.yml", () => {
  const action = load("action.yml");
  it("is a node24 JavaScript action running the committed bundle", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist-action/index.mjs" });
    expect(typeof action.name).toBe("string");
    expect(typeof action.description).toBe("string");
  });
  it("declares the inputs the action reads and the outputs it writes", () => {
    expect(Object.keys(action.inputs).sort()).toEqual([
      "config",
      "fail-on",
      "files",
      "html-file",
      "max-warnings",
      "method",
      "model",
      "sarif-file",
    ]);
    for (const input of Object.values(action.inputs) as Array<Record<string, unknown>>) {
      expect(typeof input.description).toBe("string");
      expect(input.required).toBe(false);
      expect(typeof input.default).toBe("string");
    }
    expect(action.inputs["fail-on"].default).toBe("error");
    expect(action.inputs["max-warnings"].default).toBe("-1");
    // The default `files` named in the manifest are the one list of dataset extensions.
    const named = [...String(action.inputs.files.description).matchAll(/\*(\.[a-z.]+[a-z])/g)].map((m) => m[1]);
    expect(named).toEqual([...DATASET_EXTENSIONS]);
    expect(Object.keys(action.outputs).sort()).toEqual(["error-count", "html-file", "sarif-file", "warning-count"]);
    const run = readFileSync(path.join(ROOT, "src/action/action.ts"), "utf8");
    for (const name of Object.keys(action.inputs)) expect(run).toContain(`"${name}"`);
    for (const name of Object.keys(action.outputs)) expect(run).toContain(`setOutput(env, "${name}"`);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = load(".pre-commit-hooks.yaml");
  it("declares the tunelint hook", () => {
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: "tunelint", language: "node", entry: "tunelint check", types: ["file"] });
  });
  it("selects the same files as `check --staged`", () => {
    const re = new RegExp(hooks[0].files);
    for (const p of ["a.jsonl", "d/a.ndjson", "a.jsonl.gz", "a.ndjson.gz", "a.json", "a.jsonl.bak", "a.txt"]) {
      expect(re.test(p), p).toBe(DATASET_PATTERN.test(p));
    }
    // One list of extensions (src/io/dataset-files.ts): the hook's pattern is the same regular expression.
    expect(hooks[0].files).toBe(DATASET_PATTERN.source);
  });
});

describe(".github/workflows", () => {
  const dir = path.join(ROOT, ".github/workflows");
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    it(`${f} parses and has jobs with steps`, () => {
      const wf = load(`.github/workflows/${f}`);
      expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
      for (const job of Object.values(wf.jobs) as Array<{ steps: unknown[] }>) expect(job.steps.length).toBeGreaterThan(0);
    });
  }
});
