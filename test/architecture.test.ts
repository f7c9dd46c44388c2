/**
 * The layers of the brief, bottom up: io and types; dataset formats (schemas) and tokens; rules and models; lint and
 * report; upload, convert and action; cli. An import (static, dynamic or type-only) never runs up a layer and never
 * runs in a circle. Every module of src/ belongs to a layer; the package entry points sit on top.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Longest matching prefix wins. Directories end with "/". */
export const LAYERS: Record<string, number> = {
  "io/": 0,
  "util/": 0,
  "git/": 0,
  "types.ts": 0,
  "version.ts": 0,
  "errors.ts": 0,
  "dataset-formats/": 1,
  "schemas/": 1,
  "tokens/": 1,
  "rules/": 2,
  "models/": 2,
  "lint/": 3,
  "report/": 3,
  "upload/": 4,
  "convert/": 4,
  "fix/": 4,
  "action/": 4,
  "cli/": 5,
  // Package entry points (the root export and subpath exports): above every layer but the CLI.
  "index.ts": 4.5,
  "upload.ts": 4.5,
};
const NAMES = ["io and types", "dataset formats and tokens", "rules and models", "lint and report", "upload, convert and action", "cli"];

function layerOf(file: string): number | undefined {
  let best: string | undefined;
  for (const k of Object.keys(LAYERS))
    if ((k.endsWith("/") ? file.startsWith(k) : file === k) && (!best || k.length > best.length)) best = k;
  return best === undefined ? undefined : LAYERS[best];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith(".ts") && !f.endsWith(".d.ts") ? [p] : [];
  });
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Relative imports of every module: file (relative to src/) -> imported files (relative to src/). */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const abs of sources(SRC)) {
    const file = relative(SRC, abs).split("\\").join("/");
    // Comments may quote imports (docs); strip them first.
    const text = readFileSync(abs, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const target = normalize(join(dirname(abs), spec)).replace(/\.js$/, ".ts");
      deps.push(relative(SRC, target).split("\\").join("/"));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one module (or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("architecture", () => {
  const graph = importGraph();

  it("reads the imports (static, type-only, re-exports, dynamic)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("cli/bin.ts")).toContain("cli/main.ts");
    expect(graph.get("lint/token-context.ts")).toContain("models/index.ts"); // a dynamic import
    expect(graph.get("rules/index.ts")!.length).toBeGreaterThan(40);
  });

  it("every module belongs to a layer", () => {
    expect([...graph.keys()].filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it("every import resolves to a module of src/", () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${f} -> ${d}`));
    expect(missing).toEqual([]);
  });

  it("no import runs up a layer", () => {
    const up: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        const from = layerOf(f)!;
        const to = layerOf(d);
        if (to !== undefined && to > from)
          up.push(`${f} (${NAMES[Math.floor(from)] ?? "entry"}) -> ${d} (${NAMES[Math.floor(to)] ?? "entry"})`);
      }
    }
    expect(up).toEqual([]);
  });

  it("no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("the library below the shells never prints or exits (rules, engine, formatters, formats, tokens, models, io)", () => {
    const printing = /\bconsole\.|process\.(stdout|stderr)\b|process\.exit\(/;
    const offenders = [...graph.keys()].filter((f) => layerOf(f)! <= 3 && printing.test(readFileSync(join(SRC, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("README's architecture section and CONTRIBUTING.md name every directory of src/ and every file at its top", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const readme = readFileSync(`${root}README.md`, "utf8");
    const architecture = readme.slice(readme.indexOf("### Architecture"));
    const contributing = readFileSync(`${root}CONTRIBUTING.md`, "utf8");
    for (const entry of readdirSync(SRC)) {
      const name = statSync(join(SRC, entry)).isDirectory() ? `${entry}/` : entry;
      expect(architecture, `README architecture: ${name}`).toContain(`\`${name}`);
      expect(contributing, `CONTRIBUTING.md: ${name}`).toContain(`src/${name}`);
    }
  });

  it("the checks can fail: a cycle and an upward import are found in a made-up graph", () => {
    const g = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["a.ts"]],
      ["c.ts", []],
    ]);
    expect(cycles(g)).toEqual([["a.ts", "b.ts"]]);
    expect(layerOf("tokens/load.ts")).toBe(1);
    expect(layerOf("models/index.ts")).toBe(2);
    expect(layerOf("convert/run.ts")).toBe(4);
    expect(layerOf("somewhere/new.ts")).toBeUndefined();
  });
});
