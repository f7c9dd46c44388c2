/** Without a model, no tokenizer (nor Jinja, nor tokenizer data) is loaded. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const HEAVY = ["@huggingface/tokenizers", "@huggingface/jinja", "tokenizers", "node:zlib"];
const HEAVY_FILES = ["tokens/tokenizer.ts", "tokens/jinja.ts", "tokens/counter.ts"].map((f) => resolve(SRC, f));

/** Static (non-type, non-dynamic) imports of a TS file. */
function staticImports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(?!type\b)([^;]*?)\s+from\s+["']([^"']+)["']/gm)) {
    const clause = m[2]!;
    // `import { type A, type B } from` is type-only too
    if (
      /^\{[^}]*\}$/.test(clause.trim()) &&
      clause
        .replace(/[{}\s]/g, "")
        .split(",")
        .every((x) => x === "" || x.startsWith("type"))
    )
      continue;
    out.push(m[3]!);
  }
  for (const m of src.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) out.push(m[1]!);
  return out;
}

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (files.has(f)) return;
    files.add(f);
    for (const spec of staticImports(f)) {
      if (spec.startsWith(".")) visit(resolve(dirname(f), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("lazy loading", () => {
  it.each(["models/index.ts", "tokens/load.ts", "cli/commands/models.ts"])(
    "%s statically imports no tokenizer, Jinja or data code",
    (entry) => {
      const g = graph(resolve(SRC, entry));
      for (const p of HEAVY) expect([...g.packages]).not.toContain(p);
      for (const f of HEAVY_FILES) expect([...g.files]).not.toContain(f);
    },
  );

  it("listing and resolving models, and the models command, load no tokenizer", async () => {
    const g = globalThis as { __tunelintEngineLoaded?: boolean };
    const models = await import("../../src/models/index.js");
    const tokens = await import("../../src/tokens/load.js");
    const { runModels } = await import("../../src/cli/commands/models.js");
    models.listModels();
    models.resolveModel("openai/gpt-oss-20b");
    await runModels({ "cache-file": "/nonexistent/tunelint/models.json" }, { stdout: () => {}, stderr: () => {}, env: {} });
    expect(g.__tunelintEngineLoaded).toBeUndefined();
    expect(await tokens.loadedTokenizers()).toEqual([]);
    // Asking for a model loads exactly its family's tokenizer.
    const c = await tokens.loadCounter(models.resolveModel("mistralai/Mistral-7B-Instruct-v0.2"));
    expect(await tokens.loadedTokenizers()).toEqual(["mistral-v1/"]);
    c.dispose();
    expect(await tokens.loadedTokenizers()).toEqual([]);
  });
});
