/**
 * Differential check of the Latin-1 view on generated files: every rule (personal-data included) judges clean
 * non-ASCII lines in their view, so the whole result must equal the decoded path (TUNELINT_LATIN1_VIEW=0) byte for
 * byte, in one thread and through workers. The records are built to exercise the cross-record rules on non-ASCII
 * text: copies that differ only in case, white space, composed/decomposed accents or escapes; same prompts with other
 * answers; credentials and personal data after multi-byte text; texts that need whole-string normalisation.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lintFile, prepareLint } from "../../src/lint/lint.js";
import { rng } from "../helpers/rng.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-view-fuzz-"));

const WORDS = [
  ..."the model answer Server PASSWORD région Straße МОДЕЛЬ модель ответ 模型 回答 マニュアル يجب النموذج".split(" "),
  "café",
  "cafe\u0301",
  "ﬁle",
  "Ａｃｍｅ",
  "ΣΟΦΙΑ",
  "😀",
  "⚠️",
  "👩‍💻",
  "𝐁old",
  "\u3000",
  "\u00a0",
  "x\ty",
  "İstanbul",
  "ghp_R8a0f3KQz7Lm2xV9cT4bN1pW6yE5uJ0sHdGq",
  "jane.doe@mail-host.org",
  "+44 20 7946 0958",
];

function text(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  return out.join(r() < 0.2 ? "  " : " ");
}

/** A variant of `s` that normalises to the same text (case, spacing, composed accents). */
function variant(r: () => number, s: string): string {
  const k = Math.floor(r() * 3);
  if (k === 0) return s.toUpperCase() === s ? s.toLowerCase() : s.toUpperCase();
  if (k === 1) return ` ${s.replace(/ /g, "   ")} `;
  return s.normalize("NFD");
}

function records(seed: number, n: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  const earlier: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    let user = text(r, 3 + Math.floor(r() * 14));
    let answer = text(r, 2 + Math.floor(r() * 20));
    const roll = r();
    if (roll < 0.25 && earlier.length) {
      // An earlier example again: its prompt after normalisation, with its own answer (a normalised or near copy)
      // or another one (a conflicting answer).
      const [u, a] = earlier[Math.floor(r() * earlier.length)]!;
      user = variant(r, u);
      if (r() < 0.6) answer = variant(r, a);
    }
    earlier.push([user, answer]);
    const rec =
      r() < 0.8
        ? {
            messages: [
              { role: "system", content: "Réponds brièvement." },
              { role: "user", content: user },
              { role: "assistant", content: answer },
            ],
          }
        : { prompt: user, completion: answer };
    let line = JSON.stringify(rec);
    // Some lines carry \u escapes (never judged in the view): the same text either way.
    if (r() < 0.1) line = line.replace(/é/g, "\\u00e9");
    out.push(line);
  }
  return out;
}

afterEach(() => {
  delete process.env.TUNELINT_LATIN1_VIEW;
});

describe("Latin-1 view, differential on generated files", () => {
  it("gives the decoded path's results byte for byte, in one thread and through workers, with every rule on", async () => {
    const rules = { "personal-data": "warning" } as const;
    for (const seed of [1, 2, 3]) {
      const p = join(dir, `gen-${seed}.jsonl`);
      writeFileSync(p, records(seed, 600).join("\n") + "\n");
      const view = await lintFile(p, await prepareLint({ config: false, rules, jobs: 1 }));
      const workers = await lintFile(p, await prepareLint({ config: false, rules, jobs: 3, parallelThreshold: 0 }));
      process.env.TUNELINT_LATIN1_VIEW = "0";
      const decoded = await lintFile(p, await prepareLint({ config: false, rules, jobs: 1 }));
      delete process.env.TUNELINT_LATIN1_VIEW;
      expect(JSON.stringify(view)).toBe(JSON.stringify(decoded));
      expect(JSON.stringify(workers)).toBe(JSON.stringify(decoded));
      // The generated files do exercise the cross-record rules and the scanners.
      const ids = new Set(decoded.diagnostics.map((d) => d.ruleId));
      for (const id of ["near-duplicate", "conflicting-answers", "credential-found", "personal-data"])
        expect(ids, `seed ${seed}`).toContain(id);
      expect(decoded.diagnostics.some((d) => d.ruleId === "near-duplicate" && d.messageId === "normalized")).toBe(true);
    }
  });
});
