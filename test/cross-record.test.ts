/**
 * Near-duplicates, conflicting answers, validation leaks and credentials across records: the parallel check gives
 * exactly the single-thread findings (several worker counts), the index stays bounded, and the cross-file wiring
 * (library option, CLI flag) reports on the validation file's lines naming the training line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintFile, lintFiles, prepareLint } from "../src/lint/lint.js";
import { NearIndex, FP_WORDS, HAS_SKETCH, Paged16, Paged32 } from "../src/rules/utils/line-index.js";
import { FIXTURES, lint } from "./helpers/lint.js";
import { tunelint } from "./helpers/cli.js";

const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango".split(" ");

function sentence(i: number, n = 24): string {
  const out: string[] = [];
  let x = Math.imul(i + 1, 2654435761) >>> 0;
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(WORDS[(x >>> 16) % WORDS.length]! + ((x >>> 8) % 7));
  }
  return out.join(" ");
}

const conv = (u: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: "user", content: u },
      { role: "assistant", content: a },
    ],
  });

function dir(): string {
  return mkdtempSync(join(tmpdir(), "tunelint-xrec-"));
}

/** A file with near-duplicates, normalised copies, conflicts and credentials spread over every range. */
function mixedFile(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 97 === 13)
      lines.push(conv(sentence(i % 40), sentence((i % 40) + 1000) + " extra")); // near copy of an early line
    else if (i % 89 === 7)
      lines.push(conv(sentence(i % 30).toUpperCase(), sentence((i % 30) + 1000))); // normalised copy
    else if (i % 83 === 5)
      lines.push(conv(sentence(i % 20), "a different answer " + i)); // conflict
    else if (i % 211 === 3) lines.push(conv("key ghp_R8a0f3KQz7Lm2xV9cT4bN1pW6yE5uJ0sHdGq here " + i, "ok"));
    else lines.push(conv(sentence(i), sentence(i + 1000)));
  }
  const p = join(dir(), "data.jsonl");
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
}

describe("cross-record rules in parallel", () => {
  const path = mixedFile(3000);

  // hash false: the CLI's check, where the main thread judges the first range itself (its merges run at once)
  it.each([
    [2, true],
    [3, true],
    [5, true],
    [2, false],
    [3, false],
  ])("with %i threads (hashing: %s) equal the single-thread run", async (jobs, hash) => {
    const single = await lintFile(path, await prepareLint({ config: false, jobs: 1, hash }));
    const multi = await lintFile(path, await prepareLint({ config: false, jobs, parallelThreshold: 1, hash }));
    expect(multi).toEqual(single);
    const count = (id: string, m?: string) => single.diagnostics.filter((d) => d.ruleId === id && (!m || d.messageId === m)).length;
    expect(count("near-duplicate", "near")).toBeGreaterThan(20);
    expect(count("near-duplicate", "normalized")).toBeGreaterThan(20);
    expect(count("conflicting-answers")).toBeGreaterThan(20);
    expect(count("credential-found")).toBeGreaterThan(10);
  });

  it("reports near copies on the later line, naming the first", async () => {
    const r = await lint(path);
    // i = 110 (line 111) repeats sentence 30 (line 31) with one word added
    const d = r.diagnostics.find((x) => x.ruleId === "near-duplicate" && x.line === 111)!;
    expect(d).toMatchObject({ messageId: "near", column: 1, pointer: "", data: { firstLine: 31 } });
  });

  it("a validation file checked in parallel gives the single-thread findings", async () => {
    const d = dir();
    const train = join(d, "train.jsonl");
    const val = join(d, "val.jsonl");
    writeFileSync(train, Array.from({ length: 2000 }, (_, i) => conv(sentence(i), sentence(i + 1000))).join("\n") + "\n");
    writeFileSync(
      val,
      Array.from({ length: 800 }, (_, i) =>
        i % 10 === 0
          ? conv(sentence(i * 2), sentence(i * 2 + 1000))
          : i % 10 === 1
            ? conv(sentence(i).toLowerCase(), sentence(i + 1000) + " ok")
            : conv(sentence(i + 5000), sentence(i + 6000)),
      ).join("\n") + "\n",
    );
    const run = async (jobs: number, hash = true) =>
      (await lintFiles([train], { config: false, jobs, parallelThreshold: 1, validationFile: val, hash })).files;
    const single = await run(1);
    for (const jobs of [2, 4]) expect(await run(jobs)).toEqual(single);
    // the main thread judging the first range of each file (no hashing) merges into the run's store as it goes
    const unhashed = await run(1, false);
    for (const jobs of [2, 3]) expect(await run(jobs, false)).toEqual(unhashed);
    expect(unhashed.map((f) => f.diagnostics)).toEqual(single.map((f) => f.diagnostics));
    expect(single.map((f) => f.path)).toEqual([train, val]);
    const leaks = single[1]!.diagnostics.filter((x) => x.ruleId === "validation-leak");
    expect(leaks.length).toBe(160);
    expect(leaks[0]).toMatchObject({ line: 1, column: 1, pointer: "", messageId: "exact", data: { trainingFile: train, trainingLine: 1 } });
    expect(leaks[1]).toMatchObject({ line: 2, messageId: "near", data: { trainingLine: 2 } });
    expect(single[0]!.diagnostics.filter((x) => x.ruleId === "validation-leak")).toEqual([]);
  });
});

describe("conflicting-answers", () => {
  const dirc = `${FIXTURES}rules/conflicting-answers/`;
  it("reports instruction prompts at /completion, with the first line and the answer's column", async () => {
    const r = await lint(`${dirc}instruction.jsonl`);
    const d = r.diagnostics.filter((x) => x.ruleId === "conflicting-answers");
    expect(d).toEqual([
      expect.objectContaining({ line: 2, column: 47, pointer: "/completion", messageId: "conflict", data: { firstLine: 1 } }),
    ]);
  });
  it("exempts DPO files and --method dpo", async () => {
    expect((await lint(`${dirc}preference.jsonl`)).diagnostics.filter((x) => x.ruleId === "conflicting-answers")).toEqual([]);
    expect((await lint(`${dirc}invalid.jsonl`, { method: "dpo" })).diagnostics.filter((x) => x.ruleId === "conflicting-answers")).toEqual(
      [],
    );
  });
});

describe("validation-leak on the command line", () => {
  const d = `${FIXTURES}rules/validation-leak/`;
  it("check --validation-file reports on the validation file's lines, in JSON", () => {
    const r = tunelint(["check", `${d}train.jsonl`, "--validation-file", `${d}invalid.jsonl`, "--no-config", "-f", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { ruleId: string; line: number; message: string }[] }[] };
    expect(report.files.map((f) => f.path)).toEqual([`${d}train.jsonl`, `${d}invalid.jsonl`]);
    const leaks = report.files[1]!.diagnostics.filter((x) => x.ruleId === "validation-leak");
    expect(leaks.map((x) => [x.line, Number(new RegExp(`${d}train.jsonl:(\\d+)`).exec(x.message)?.[1])])).toEqual([
      [2, 2],
      [3, 3],
      [4, 1],
    ]);
  });
  it("the validation file is linted once even when a pattern matches it too", () => {
    const r = tunelint([
      "check",
      `${d}train.jsonl`,
      `${d}invalid.jsonl`,
      "--validation-file",
      `${d}invalid.jsonl`,
      "--no-config",
      "-f",
      "json",
    ]);
    expect((JSON.parse(r.stdout) as { files: unknown[] }).files.length).toBe(2);
  });
  it("without a validation file the rule does nothing", async () => {
    expect((await lint(`${d}invalid.jsonl`)).diagnostics.filter((x) => x.ruleId === "validation-leak")).toEqual([]);
  });
  it("a missing validation file is a read error (exit 2)", () => {
    const r = tunelint(["check", `${d}train.jsonl`, "--validation-file", `${d}nope.jsonl`, "--no-config"]);
    expect(r.code).toBe(2);
  });
});

describe("paged dense arrays", () => {
  it("start small and grow as entries arrive, keeping every value (across pages, any width, out of order)", () => {
    const p1 = new Paged32();
    const p4 = new Paged32(4);
    const p16 = new Paged16();
    // a small file's index stays small: 10 entries take one 256-entry page
    for (let e = 1; e <= 10; e++) {
      p1.set(e, e * 7);
      for (let i = 0; i < 4; i++) p4.set(e, e * 10 + i, i);
      p16.set(e, e);
    }
    expect(p1.bytes()).toBe(256 * 4);
    expect(p4.bytes()).toBe(256 * 16);
    expect(p16.bytes()).toBe(256 * 2);
    // then grow, by doubling, across page boundaries, and with jumps (entry numbers are line numbers)
    const at = [...Array.from({ length: 70_000 }, (_, i) => i + 11), 200_000, 131_071, 65_535, 65_536, 300];
    for (const e of at) {
      p1.set(e, (e * 7) >>> 0);
      for (let i = 0; i < 4; i++) p4.set(e, e * 10 + i, i);
      p16.set(e, e & 0xffff);
    }
    const wrong: number[] = [];
    for (const e of [...Array.from({ length: 10 }, (_, i) => i + 1), ...at]) {
      let ok = p1.get(e) === (e * 7) >>> 0 && p16.get(e) === (e & 0xffff) && p4.page(e)![p4.offset(e) + 3] === e * 10 + 3;
      for (let i = 0; i < 4; i++) ok &&= p4.get(e, i) === e * 10 + i;
      if (!ok) wrong.push(e);
    }
    expect(wrong).toEqual([]);
    // never set: 0, inside a page and beyond any page
    expect([p1.get(100_000), p1.get(150_000), p1.get(5_000_000), p16.get(150_000), p4.get(199_999, 2)]).toEqual([0, 0, 0, 0, 0]);
    expect(p1.bytes()).toBeLessThanOrEqual(4 * 65536 * 4); // pages 0, 1, 3 (200,000), no more
  });
});

describe("NearIndex", () => {
  it("keeps about 62 bytes per distinct long example and finds what it holds", () => {
    const idx = new NearIndex();
    const fp = new Uint32Array(FP_WORDS);
    const n = 3 * 65536 - 1; // entries 1..n fill 3 whole pages of the dense arrays
    let x = 1;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let e = 1; e <= n; e++) {
      for (let i = 0; i < FP_WORDS; i++) fp[i] = rnd();
      fp[2] = (fp[2]! & 0x7ff) | HAS_SKETCH;
      expect(idx.match(fp, 0.8)).toBeNull();
      idx.add(e, fp);
    }
    const perEntry = idx.bytes() / n;
    expect(perEntry).toBeLessThan(70);
    expect(perEntry).toBeGreaterThan(36);
  });

  it("keeps at most 17 entries per band key, so thousands of near-copies sharing one stay linear, and still finds the earliest", () => {
    const idx = new NearIndex();
    const fp = new Uint32Array(FP_WORDS);
    const n = 5000;
    for (let e = 1; e <= n; e++) {
      // One sketch (band keys and 2-bit values) for every entry, each with a text hash of its own: near-copies.
      fp[0] = Math.imul(e, 0x9e3779b1) >>> 0;
      fp[1] = Math.imul(e, 0x85ebca6b) >>> 0;
      fp[2] = HAS_SKETCH;
      for (let i = 3; i < FP_WORDS; i++) fp[i] = 0x1234567 * i;
      const m = idx.match(fp, 0.8);
      if (e === 1) expect(m).toBeNull();
      else expect(m).toMatchObject({ kind: "near", entry: 1 });
      idx.add(e, fp);
    }
    expect(idx.size).toBe(n);
    // 4 bands x (MAX_PER_BAND + 1): an entry past that many would never be visited by a search, and would make every
    // later insert and search of that key walk a longer probe run (quadratic: 102 s for 100,000 templated records).
    expect(idx.slots).toBe(4 * 17);
  });
});
