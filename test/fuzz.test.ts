/**
 * Seeded fuzzing: mutate valid sample files (flipped bytes, cut lines, random JSON values spliced in) and check
 * that the linter never crashes, flags every line that no longer parses or whose structure was broken, and that the
 * CLI exits 0 or 1 with a parseable JSON document and no stack trace.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint, ROOT } from "./helpers/lint.js";
import { tunelint } from "./helpers/cli.js";
import { rng } from "./helpers/rng.js";

const SAMPLES = readdirSync(`${ROOT}samples`).filter((f) => f.endsWith("-valid.jsonl"));

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (k) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 1000) - 500;
    case 2:
      return r() < 0.5;
    case 3:
      return ["", " ", "user", "assistant", "ü\u0000x", "🙂"][Math.floor(r() * 6)];
    case 4:
      return 1.5;
    case 5:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
    case 6:
      return { role: randomValue(r, depth + 1), content: randomValue(r, depth + 1) };
    default:
      return JSON.parse("[".repeat(600) + "]".repeat(600));
  }
}

/** Replaces a random value inside the record; returns the new line and the path changed. */
function spliceValue(line: string, r: () => number): { line: string; path: string[] } {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { line: line.slice(1), path: [] }; // an earlier mutation broke it: break it differently
  }
  const path: string[] = [];
  let cur: unknown = rec;
  let parent: Record<string, unknown> | unknown[] = rec;
  let key: string | number = Object.keys(rec)[0]!;
  while (cur !== null && typeof cur === "object" && r() < 0.75) {
    const keys = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    key = keys[Math.floor(r() * keys.length)]!;
    parent = cur as Record<string, unknown>;
    path.push(String(key));
    cur = (cur as Record<string, unknown>)[key as string];
  }
  if (path.length === 0) path.push(String(key));
  (parent as Record<string, unknown>)[key as string] = randomValue(r);
  let out: string;
  try {
    out = JSON.stringify(rec);
  } catch {
    out = line;
  }
  return { line: out, path };
}

function mutate(text: string, r: () => number): { text: string; mutated: Set<number> } {
  const lines = text.replace(/\n$/, "").split("\n");
  const mutated = new Set<number>();
  const n = 1 + Math.floor(r() * 3);
  for (let m = 0; m < n; m++) {
    const i = Math.floor(r() * lines.length);
    const kind = Math.floor(r() * 4);
    const l = lines[i]!;
    if (kind === 0 && l.length > 2) {
      const at = Math.floor(r() * l.length);
      lines[i] = l.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + l.slice(at + 1);
    } else if (kind === 1 && l.length > 2) {
      lines[i] = l.slice(0, Math.floor(r() * l.length));
    } else if (kind === 2 && l.trim().startsWith("{")) {
      lines[i] = spliceValue(l, r).line;
    } else {
      const at = Math.floor(r() * l.length);
      lines[i] = l.slice(0, at) + "\n" + l.slice(at);
      mutated.add(i + 1);
      mutated.add(i + 2);
      lines.splice(i, 1, ...lines[i]!.split("\n"));
      continue;
    }
    mutated.add(i + 1);
  }
  return { text: lines.join("\n") + "\n", mutated };
}

describe("fuzz", () => {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-fuzz-"));
  const files: string[] = [];

  it("never crashes and flags every mutated line that stopped being valid JSON", async () => {
    const r = rng(20261128);
    let flagged = 0;
    for (let k = 0; k < 240; k++) {
      const sample = SAMPLES[k % SAMPLES.length]!;
      const { text } = mutate(readFileSync(`${ROOT}samples/${sample}`, "utf8"), r);
      const file = join(dir, `m${k}-${sample}`);
      writeFileSync(file, text);
      files.push(file);
      const result = await lint(file);
      expect(result.fatal).toBeUndefined();
      const lines = text.replace(/\n$/, "").split("\n");
      lines.forEach((l, i) => {
        let ok = true;
        try {
          JSON.parse(l);
        } catch {
          ok = false;
        }
        if (!ok) {
          expect(
            result.diagnostics.some((d) => d.line === i + 1 && d.severity === "error"),
            `${file}:${i + 1}`,
          ).toBe(true);
          flagged++;
        }
      });
      for (const d of result.diagnostics) {
        expect(d.message).not.toMatch(/\{\{|\bundefined\b|\[object Object\]/);
        if (d.line !== null) expect(d.line).toBeLessThanOrEqual(lines.length);
      }
    }
    expect(flagged).toBeGreaterThan(50);
  });

  it("flags a spliced non-string role on its line", async () => {
    const r = rng(7);
    const base = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}';
    const lines: string[] = [];
    for (let k = 0; k < 60; k++) {
      const rec = JSON.parse(base) as { messages: { role: unknown }[] };
      let v = randomValue(r);
      if (typeof v === "string") v = 0;
      rec.messages[k % 2]!.role = v;
      lines.push(JSON.stringify(rec));
    }
    const file = join(dir, "roles.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const result = await lint(file);
    for (let i = 1; i <= lines.length; i++)
      expect(
        result.diagnostics.some((d) => d.line === i && d.severity === "error"),
        `line ${i}`,
      ).toBe(true);
  });

  it("the CLI exits 0 or 1 with a parseable JSON document and no stack trace", () => {
    const run = tunelint(["check", ...files.slice(0, 120), "--format", "json"]);
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
    const doc = JSON.parse(run.stdout) as { files: unknown[] };
    expect(doc.files.length).toBe(120);
  });
});
