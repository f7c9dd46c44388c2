/**
 * Tokenizer tables built once per run and shared with the worker threads (src/tokens/bpe-tables.ts): the workers of
 * a parallel check receive them as a SharedArrayBuffer and never open a tokenizer file (a preload records, in each
 * worker thread, every tokenizer file it opens and every message carrying shared memory); the counts and the whole
 * JSON report are the single-thread ones. The compact tables `npm run build` writes (dist/tables/) are byte for
 * byte what the tokenizer.json gives (their freshness test), count like the Rust reference, and a stale one is ignored.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { Tokenizer as Rust } from "tokenizers";
import { CLI, ROOT } from "../helpers/lint.js";
import { compileBpe } from "../../src/tokens/bpe.js";
import { compactHeader, fromCompact, TABLES_FORMAT, toCompact } from "../../src/tokens/bpe-tables.js";
import {
  createCountingEngine,
  loadCompactTables,
  loadStats,
  loadTokenizerJson,
  readTokenizerJson,
  shippedTokenizerPath,
} from "../../src/tokens/tokenizer.js";
import { makeCorpus } from "./corpus.js";

const dir = mkdtempSync(join(tmpdir(), "tunelint-shared-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PRELOAD = join(ROOT, "test/fixtures/preload/record-tokenizer-reads.cjs");
const LLAMA = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

function run(args: string[], log: string, env: NodeJS.ProcessEnv = {}) {
  writeFileSync(log, "");
  const r = spawnSync(process.execPath, ["--require", PRELOAD, ...args], {
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 1 << 26,
    env: { ...process.env, TUNELINT_TEST_TOKENIZER_LOG: log, ...env },
  });
  return { ...r, log: readFileSync(log, "utf8").trim().split("\n").filter(Boolean) };
}

/** Worker thread ids in a log, and what each recorded. */
function byThread(log: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const l of log) {
    const [id, ...rest] = l.split(" ");
    m.set(id!, [...(m.get(id!) ?? []), rest.join(" ")]);
  }
  return m;
}

describe("tables shared with the worker threads", () => {
  // Over the split threshold of a check with token counts (about 4.8 MB on 2 jobs, 3.6 MB on 3), varied text
  const data = join(dir, "big.jsonl");
  {
    const words = "the model answers clearly 模型 应该 清楚地 回答 модель должна отвечать ясно".split(" ");
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 6e6; i++) {
      const text = Array.from({ length: 300 }, (_, k) => words[(i * 7 + k * k) % words.length]).join(" ");
      const l = JSON.stringify({
        messages: [
          { role: "user", content: `q${i} ${text}` },
          { role: "assistant", content: i % 997 === 5 ? text.repeat(80) : `a${i} ${text}` },
        ],
      });
      lines.push(l);
      size += l.length * 1.3;
    }
    writeFileSync(data, lines.join("\n") + "\n");
  }

  it("the bin (--jobs 2 --model): each worker receives shared tables and opens no tokenizer file; JSON equals --jobs 1", () => {
    const two = run(
      [CLI, "check", data, "--no-config", "--format", "json", "--jobs", "3", "--model", LLAMA, "--max-seq-length", "2000"],
      join(dir, "two.log"),
    );
    expect(two.status, two.stderr).toBe(1);
    const threads = byThread(two.log);
    expect(threads.size).toBe(2);
    for (const [, events] of threads) expect(events).toEqual(["shared tables received"]);
    const one = run(
      [CLI, "check", data, "--no-config", "--format", "json", "--jobs", "1", "--model", LLAMA, "--max-seq-length", "2000"],
      join(dir, "one.log"),
    );
    expect(one.log).toEqual([]); // no worker thread at all
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout);
    expect(report.files[0].stats.tokens).toMatchObject({ model: LLAMA, exact: true });
    expect(report.files[0].stats.tokens.total).toBeGreaterThan(1_000_000);
    expect(report.files[0].diagnostics.some((d: { ruleId: string }) => d.ruleId === "token-limit")).toBe(true);
  }, 240_000);

  // The library in a child process (so that the preload reaches the worker threads), a low split threshold.
  let scripts = 0;
  const lib = (file: string, extra: Record<string, unknown>) => {
    const script = join(dir, `lib-${scripts++}.mjs`);
    writeFileSync(
      script,
      `const { lintFile, prepareLint } = await import(${JSON.stringify(`${ROOT}dist/index.js`)});
     const opts = ${JSON.stringify({ config: false, hash: false, lazyTokenizer: true, ...extra })};
     const r = await lintFile(${JSON.stringify(file)}, await prepareLint(opts));
     process.stdout.write(JSON.stringify(r));`,
    );
    return script;
  };
  const small = join(dir, "small.jsonl");
  writeFileSync(
    small,
    Array.from({ length: 600 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: "user", content: `Q${i} 日本語 ${"word ".repeat(i % 40)}` },
          { role: "assistant", content: `A${i}` },
        ],
      }),
    ).join("\n") + "\n",
  );

  it("a user's tokenizer.json (--tokenizer): read once, by the main thread; workers count over its shared tables", () => {
    const tok = join(dir, "tokenizer.json");
    writeFileSync(tok, gunzipSync(readFileSync(shippedTokenizerPath("llama3"))));
    const opts = { model: "my-org/my-model", tokenizer: tok, maxSeqLength: 60 };
    const two = run([lib(small, { ...opts, jobs: 3, parallelThreshold: 1 })], join(dir, "u2.log"));
    expect(two.status, two.stderr).toBe(0);
    const threads = byThread(two.log);
    expect(threads.size).toBe(2);
    for (const [, events] of threads) expect(events).toEqual(["shared tables received"]);
    const one = run([lib(small, { ...opts, jobs: 1 })], join(dir, "u1.log"));
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout).stats.tokens.overLimit).toBeGreaterThan(10);
  }, 120_000);

  it("a SentencePiece tokenizer (reference engine, not shareable): each worker loads its own, same result", () => {
    const opts = { model: "mistralai/Mistral-7B-Instruct-v0.2" };
    const two = run([lib(small, { ...opts, jobs: 3, parallelThreshold: 1 })], join(dir, "m2.log"));
    expect(two.status, two.stderr).toBe(0);
    const threads = byThread(two.log);
    expect(threads.size).toBe(2);
    for (const [, events] of threads) expect(events.every((e) => /^read .*mistral-v1\.json\.gz$/.test(e))).toBe(true);
    const one = run([lib(small, { ...opts, jobs: 1 })], join(dir, "m1.log"));
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  }, 120_000);
});

const BYTE_LEVEL = [
  ["llama3", "llama3.1"],
  ["qwen3", "qwen2.5"],
  ["deepseek-v3", undefined],
  ["gpt-oss", undefined],
] as const;

describe("compact tables (dist/tables, written by npm run build)", () => {
  it.each(BYTE_LEVEL)("%s: byte for byte the tables of the tokenizer.json, and its configuration (freshness)", (file, variant) => {
    const before = loadStats.tokenizerReads;
    const shared = loadCompactTables(file, variant);
    expect(shared, `dist/tables/${file}.tables is missing or stale: run npm run build`).not.toBeNull();
    expect(loadStats.tokenizerReads).toBe(before); // the tokenizer.json is not read (its .json.gz is only hashed)
    const fresh = compileBpe(loadTokenizerJson(file, variant))!;
    expect(Buffer.compare(Buffer.from(shared!.tables.buffer), Buffer.from(fresh.tables.buffer))).toBe(0);
    expect({ ...shared!.tables, buffer: null }).toEqual({ ...fresh.tables, buffer: null });
    expect(shared!.config).toEqual(fresh.config);
    expect(shared!.tables.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it.each(BYTE_LEVEL)(
    "%s: the engine over the compact tables counts like the Rust reference",
    async (file, variant) => {
      const json = loadTokenizerJson(file, variant);
      const rust = Rust.fromString(JSON.stringify(json));
      const engine = createCountingEngine(null, () => json, loadCompactTables(file, variant)!);
      expect((engine as { kind?: string }).kind).toBe("fast-bpe");
      const corpus = makeCorpus(400, 23);
      const encodings = await rust.encodeBatch(corpus, { addSpecialTokens: false });
      const mismatches = corpus.filter((s, i) => engine.count(s) !== encodings[i]!.getIds().length);
      expect(mismatches).toEqual([]);
    },
    60_000,
  );

  it("a compact file of other tokenizer bytes, or of another format, is ignored (the tokenizer.json is used)", () => {
    const json = readTokenizerJson(shippedTokenizerPath("qwen3"));
    const c = compileBpe(json)!;
    const { vocab: _v, merges: _m, ...model } = json.model as Record<string, unknown>;
    const tables = join(dir, "tables");
    const tokenizers = join(dir, "tokenizers");
    mkdirSync(tables, { recursive: true });
    mkdirSync(tokenizers, { recursive: true });
    copyFileSync(shippedTokenizerPath("qwen3"), join(tokenizers, "qwen3.json.gz"));
    const write = (sha256: string) =>
      writeFileSync(join(tables, "qwen3.tables"), toCompact(c.tables, { source: { sha256 }, tokenizer: { ...json, model } }));
    const where = { tables: new URL(`file://${tables}/`), tokenizers: new URL(`file://${tokenizers}/`) };
    write("0".repeat(64));
    expect(loadCompactTables("qwen3", undefined, where)).toBeNull();
    const real = (loadCompactTables("qwen3", undefined) ?? { tables: null }).tables;
    expect(real).not.toBeNull();
    const sha = compactHeader(readFileSync(new URL("qwen3.tables", `file://${ROOT}dist/tables/`)))!.header.source.sha256;
    write(sha);
    expect(loadCompactTables("qwen3", undefined, where)).not.toBeNull();
    // another format number: not read
    const bytes = toCompact(c.tables, { source: { sha256: sha }, tokenizer: { ...json, model } });
    const text = bytes.toString("latin1").replace(`"format":${TABLES_FORMAT}`, `"format":${TABLES_FORMAT + 1}`);
    expect(fromCompact(Buffer.from(text, "latin1"))).toBeNull();
    // truncated: refused, never half-loaded
    writeFileSync(join(tables, "qwen3.tables"), bytes.subarray(0, bytes.length - 1000));
    expect(loadCompactTables("qwen3", undefined, where)).toBeNull();
    expect(existsSync(join(tables, "qwen3.tables"))).toBe(true);
  });
});
