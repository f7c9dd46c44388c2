/**
 * Issue 17: differential fuzzing against Python's json.loads (Together's checker parses with it). Seeded random and
 * mutated lines (random JSON with odd whitespace, escapes, surrogates, huge numbers, deep nesting; then byte flips,
 * insertions of JSON-significant bytes, cuts): no line that tunelint lets through its syntax rules may be one Python
 * rejects. Bounded: at most LINES lines or BUDGET_MS of generation. Seed: TUNELINT_FUZZ_SEED (default fixed).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintFile } from "../../src/lint/lint.js";
import { rng } from "../helpers/rng.js";

const SEED = Number(process.env.TUNELINT_FUZZ_SEED ?? 20261201);
const LINES = 30_000;
const BUDGET_MS = 4_000;
/** The rules that judge a line's bytes as JSON: a line none of them flags is one tunelint accepts as JSON. */
const SYNTAX_RULES = new Set([
  "invalid-json",
  "invalid-utf8",
  "utf8-bom",
  "blank-line",
  "line-too-long",
  "nesting-too-deep",
  "control-character",
]);

const python = spawnSync("python3", ["-c", "import json"]).status === 0;

describe.skipIf(!python)("differential: tunelint vs Python json.loads", () => {
  it(`seed ${SEED}: every line tunelint accepts, Python accepts`, async () => {
    const r = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const ws = () => pick(["", "", "", " ", "\t", "  ", "\r", " \t "]);
    const STR_PARTS = [
      "a",
      "é",
      "日本",
      "😀",
      "\\n",
      "\\t",
      "\\\\",
      '\\"',
      "\\/",
      "\\u0041",
      "\\ud83d\\ude00",
      "\\ud800",
      "\\udfff",
      "\\u0000",
      " ",
      "\u2028",
      "\ufeff",
    ];
    const NUMS = ["0", "-0", "1", "-1", "1.5", "1e5", "1E+2", "-2.5e-3", "1e400", "-1e400", "123456789012345678901234567890", "0.000001"];
    const value = (depth: number): string => {
      const k = Math.floor(r() * (depth > 4 ? 5 : 8));
      switch (k) {
        case 0:
          return pick(["true", "false", "null"]);
        case 1:
          return pick(NUMS);
        case 2:
        case 3:
          return `"${Array.from({ length: Math.floor(r() * 4) }, () => pick(STR_PARTS)).join("")}"`;
        case 4:
          return r() < 0.02 ? "[".repeat(600) + "]".repeat(600) : "[]";
        case 5:
          return `[${ws()}${Array.from({ length: Math.floor(r() * 4) }, () => ws() + value(depth + 1) + ws()).join(",")}${ws()}]`;
        default: {
          const keys = Array.from(
            { length: Math.floor(r() * 4) },
            () => `${ws()}"${pick(["role", "content", "text", "messages", "a", "é", "\\u00e9"])}"${ws()}:${ws()}${value(depth + 1)}${ws()}`,
          );
          return `{${keys.join(",")}}`;
        }
      }
    };
    const SIGNIFICANT = [
      0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x20, 0x09, 0x0d, 0x00, 0x1f, 0x7f, 0xff, 0xc3, 0xe2, 0xed, 0xf0, 0x65, 0x2d, 0x2e,
      0x30,
    ];
    const mutate = (line: Buffer): Buffer => {
      const b = [...line];
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const at = Math.floor(r() * (b.length + 1));
        const op = Math.floor(r() * 5);
        if (op === 0 && b.length) b[Math.min(at, b.length - 1)] = pick(SIGNIFICANT);
        else if (op === 1) b.splice(at, 0, pick(SIGNIFICANT));
        else if (op === 2 && b.length) b.splice(at, 1);
        else if (op === 3)
          b.splice(at, 0, ...Buffer.from(pick(["NaN", "Infinity", "-Infinity", "\ufeff", "True", "None", "'x'", "1.", ".5", "01", "+1"])));
        else b.length = Math.min(b.length, at); // cut
      }
      return Buffer.from(b.filter((x) => x !== 0x0a));
    };
    const lines: Buffer[] = [];
    const t0 = Date.now();
    while (lines.length < LINES && Date.now() - t0 < BUDGET_MS) {
      const base = Buffer.from(ws() + value(0) + ws(), "utf8");
      lines.push(r() < 0.5 ? base : mutate(base));
    }
    const dir = mkdtempSync(join(tmpdir(), "tunelint-diff-"));
    const file = join(dir, "fuzz.jsonl");
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])));

    const result = await lintFile(file, { config: false, maxFindingsPerRule: 0, rules: { "too-few-examples": "off" } });
    const flagged = new Set(result.diagnostics.filter((d) => SYNTAX_RULES.has(d.ruleId)).map((d) => d.line));

    // Python reads the same bytes line by line (LF, one CR before it stripped, as tunelint does).
    const py = spawnSync(
      "python3",
      [
        "-c",
        `import json, sys
data = open(sys.argv[1], "rb").read().split(b"\\n")
if data and data[-1] == b"": data.pop()
bad = []
for i, raw in enumerate(data, 1):
    if raw.endswith(b"\\r"): raw = raw[:-1]
    try:
        json.loads(raw.decode("utf-8"))
    except Exception:
        bad.append(i)
print(json.dumps({"lines": len(data), "rejected": bad}))`,
        file,
      ],
      { encoding: "utf8", maxBuffer: 64 << 20 },
    );
    expect(py.status, py.stderr).toBe(0);
    const { lines: pyLines, rejected } = JSON.parse(py.stdout) as { lines: number; rejected: number[] };
    expect(pyLines).toBe(lines.length);
    const acceptedByTunelintOnly = rejected.filter((l) => !flagged.has(l));
    expect(acceptedByTunelintOnly.map((l) => lines[l - 1]!.toString("latin1")).slice(0, 5)).toEqual([]);
    // The run judged a real mix: many lines each way.
    expect(rejected.length).toBeGreaterThan(lines.length / 10);
    expect(lines.length - flagged.size).toBeGreaterThan(lines.length / 10);
  }, 60_000);
});
