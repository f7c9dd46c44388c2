/**
 * The upload command's contract: file names Together accepts (issue 9), .jsonl.gz sent decompressed, the
 * fine-tune options table (flags, API body, resume), --train-on-inputs and Together's price estimate (issue 11).
 * The CLI cases run the built command in a child process with the real lint engine.
 */
import { spawn } from "node:child_process";
import { gzipSync } from "node:zlib";
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { JOB_OPTIONS, buildFineTuneRequest, parseJobSettings } from "../../src/upload/index.js";
import { resumeFlags } from "../../src/upload/job-options.js";
import { planUpload } from "../../src/upload/plan.js";
import { runUpload, type UploadCommandArgs } from "../../src/upload/run.js";
import { lintFile } from "../../src/lint/lint.js";
import { STUB_API_KEY, startTogetherStub, type StubOptions, type TogetherStub } from "../helpers/together-stub.js";
import { dataset, fakeLint, fastRetry, sha256, tmpFile } from "./helpers.js";

const HARNESS = fileURLToPath(new URL("./fixtures/harness.mjs", import.meta.url));
const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

let stub: TogetherStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});
const start = async (o: StubOptions = {}) => (stub = await startTogetherStub({ processing: ["COMPLETED"], ...o }));
const env = (s: TogetherStub) => ({ TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: s.baseUrl });

function cli(args: string[], e: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [HARNESS, "upload", ...args], {
      env: { PATH: process.env.PATH, ...e },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function sink() {
  const chunks: string[] = [];
  return { write: (s: string) => chunks.push(s), isTTY: false, text: () => chunks.join("") };
}
async function run(
  args: UploadCommandArgs,
  e: Record<string, string | undefined>,
  lintFn = fakeLint() as Parameters<typeof runUpload>[1]["lintFn"],
) {
  const stdout = sink();
  const stderr = sink();
  const code = await runUpload(args, { stdout, stderr, env: e, lintFn, retry: fastRetry(), pollIntervalMs: 1 });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("file names Together accepts (issue 9)", () => {
  for (const [name, hint] of [
    ["train.json", /jq -c '\.\[\]' train\.json > train\.jsonl/],
    ["train.ndjson", /rename it to train\.jsonl/],
    ["train.txt", /rename it to train\.jsonl/],
    ["train.json.gz", /only \.jsonl and \.parquet/],
    ["train.jsonl.zst", /decompress it/],
  ] as const) {
    it(`${name}: refused (exit 2), nothing linted or sent`, async () => {
      const s = await start();
      const lint = fakeLint();
      const r = await run({ file: tmpFile(name, dataset(3)) }, env(s), lint);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Together accepts only \.jsonl and \.parquet/);
      expect(r.stderr).toMatch(hint);
      expect(lint.calls).toHaveLength(0);
      expect(s.requests).toHaveLength(0);
    });
  }

  it("a .json validation file is refused too (through the CLI)", async () => {
    const s = await start();
    const r = await cli([tmpFile("train.jsonl", dataset(3)), "--validation-file", tmpFile("val.json", dataset(2)), "--no-config"], env(s));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/val\.json: Together accepts only \.jsonl and \.parquet/);
    expect(s.requests).toHaveLength(0);
  });

  it("a .parquet name plans file_type=parquet; --method dpo refuses it", () => {
    const e = { TOGETHER_API_KEY: STUB_API_KEY };
    const p = planUpload({ file: "data/train.parquet" }, e);
    expect("plan" in p && p.plan.files[0]).toMatchObject({ fileName: "train.parquet", fileType: "parquet", gzip: false });
    const d = planUpload({ file: "data/train.parquet", method: "dpo" }, e);
    expect("usage" in d && d.usage).toMatch(/preference training .* does not accept pre-tokenized Parquet/);
  });
});

describe(".jsonl.gz: sent decompressed as NAME.jsonl, verified against the bytes linted (issue 9)", () => {
  it("the real lint and the CLI: Together receives the decompressed JSONL under NAME.jsonl", async () => {
    const s = await start();
    const jsonl = dataset(40);
    const path = tmpFile("train.jsonl.gz", gzipSync(jsonl));
    const r = await cli([path, "--format", "json", "--no-config"], env(s));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0]).toMatchObject({
      path,
      fileName: "train.jsonl",
      bytes: Buffer.byteLength(jsonl),
      sha256: sha256(jsonl),
      status: "COMPLETED",
    });
    expect(s.uploaded(doc.files[0].fileId)?.toString()).toBe(jsonl);
    const form = new URLSearchParams(s.on("POST /files")[0]!.body.toString());
    expect(form.get("file_name")).toBe("train.jsonl");
    expect(form.get("file_type")).toBe("jsonl");
    expect(s.on("PUT /upload")[0]!.headers["content-length"]).toBe(String(Buffer.byteLength(jsonl)));
  });

  it("a .jsonl.gz changed after the lint is not uploaded (exit 2, the PUT never completes)", async () => {
    const s = await start();
    const path = tmpFile("train.jsonl.gz", gzipSync(dataset(40)));
    const lintThenChange = async (p: string, o?: Record<string, unknown>) => {
      const res = await lintFile(p, { ...(o ?? {}), config: false });
      appendFileSync(p, gzipSync('{"text": "appended after the lint"}\n')); // a second gzip member: more JSONL
      return res;
    };
    const r = await run({ file: path }, env(s), lintThenChange);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changed after it was linted/);
    expect(s.on("PUT /upload").every((q) => !q.complete)).toBe(true);
    expect([...s.files.values()].every((f) => f.bytes === null)).toBe(true);
  });
});

describe("the fine-tune options table", () => {
  it("every option is a flag of `upload --help`, in the job group", async () => {
    const r = await cli(["--help"], {});
    for (const o of JOB_OPTIONS) expect(r.stdout).toContain(`--${o.flag}`);
    expect(r.stdout).toMatch(/Fine-tune job:/);
  });

  it("the resume flags give back the same settings and the same API body", () => {
    const given = {
      epochs: "3",
      batchSize: "max",
      learningRate: 0.0002,
      lora: false,
      trainOnInputs: "false",
      warmupRatio: 0.1,
      suffix: "my bot",
      evals: 2,
    };
    const a = parseJobSettings(given);
    if (!("settings" in a)) throw new Error(a.problem);
    const flags = resumeFlags(a.settings);
    expect(flags).toEqual([
      "--epochs",
      "3",
      "--evals",
      "2",
      "--batch-size",
      "max",
      "--learning-rate",
      "0.0002",
      "--no-lora",
      "--train-on-inputs",
      "false",
      "--warmup-ratio",
      "0.1",
      "--suffix",
      "my bot",
    ]);
    // Parse the flags back the way yargs would hand them over.
    const back: Record<string, unknown> = {};
    for (let i = 0; i < flags.length; i++) {
      const o = JOB_OPTIONS.find((x) => `--${x.flag}` === flags[i] || (x.type === "boolean" && flags[i] === `--no-${x.flag}`))!;
      if (flags[i]!.startsWith("--no-")) back[o.key] = false;
      else back[o.key] = flags[++i];
    }
    const b = parseJobSettings(back);
    if (!("settings" in b)) throw new Error(b.problem);
    expect(b.settings).toEqual(a.settings);
    const body = (s: typeof a.settings) => buildFineTuneRequest({ model: MODEL, trainingFile: "file-1", ...s });
    expect(body(b.settings)).toEqual(body(a.settings));
    expect(body(a.settings)).toMatchObject({
      n_epochs: 3,
      n_evals: 2,
      batch_size: "max",
      learning_rate: 0.0002,
      warmup_ratio: 0.1,
      suffix: "my bot",
      training_type: { type: "Full" },
      training_method: { method: "sft", train_on_inputs: false },
    });
  });

  it("bad values are usage errors (exit 2) before any work", async () => {
    const s = await start();
    for (const [args, msg] of [
      [{ epochs: 0 }, /--epochs must be a positive integer/],
      [{ batchSize: "big" }, /--batch-size must be a positive integer or "max"/],
      [{ trainOnInputs: "yes" }, /--train-on-inputs must be auto, true or false/],
      [{ trainOnInputs: "true", method: "dpo" as const }, /applies to SFT only/],
      [{ warmupRatio: 2 }, /--warmup-ratio must be a number from 0 to 1/],
      [{ learningRate: -1 }, /--learning-rate must be a positive number/],
    ] as const) {
      const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true, ...args }, env(s));
      expect(r.code, JSON.stringify(args)).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(s.requests).toHaveLength(0);
  });
});

describe("--train-on-inputs and Together's price estimate (issue 11)", () => {
  it("--train-on-inputs reaches the job and the estimate; the estimate is shown before the job (CLI, text)", async () => {
    const s = await start();
    const r = await cli(
      [tmpFile("train.jsonl", dataset(30)), "--model", MODEL, "--create-job", "--epochs", "2", "--train-on-inputs", "true", "--no-config"],
      env(s),
    );
    expect(r.code).toBe(0);
    const order = s.requests.map((q) => q.route);
    expect(order.indexOf("POST /fine-tunes/estimate-price")).toBeGreaterThan(order.indexOf("PUT /upload"));
    expect(order.indexOf("POST /fine-tunes/estimate-price")).toBeLessThan(order.indexOf("POST /fine-tunes"));
    const est = JSON.parse(s.on("POST /fine-tunes/estimate-price")[0]!.body.toString());
    const job = JSON.parse(s.on("POST /fine-tunes")[0]!.body.toString());
    expect(est).toMatchObject({ model: MODEL, n_epochs: 2, training_method: { method: "sft", train_on_inputs: true } });
    expect(est.training_file).toBe(job.training_file);
    expect(job.training_method).toEqual({ method: "sft", train_on_inputs: true });
    const tokens = Math.ceil(Buffer.byteLength(dataset(30)) / 4) * 2;
    expect(r.stdout).toContain(`Together's estimate for ${MODEL}: $`);
    expect(r.stdout).toContain(`for ${tokens.toLocaleString("en-US")} training tokens; credit limit $100.`);
    expect(r.stdout.indexOf("Together's estimate")).toBeLessThan(r.stdout.indexOf("Fine-tune job"));
  });

  it("the estimate in the JSON document; auto is the default", async () => {
    const s = await start();
    const r = await run({ file: tmpFile("train.jsonl", dataset(10)), model: MODEL, createJob: true, format: "json" }, env(s));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.estimate).toMatchObject({
      available: true,
      allowedToProceed: true,
      trainTokens: Math.ceil(Buffer.byteLength(dataset(10)) / 4),
      userLimit: 100,
    });
    expect(typeof doc.estimate.totalPrice).toBe("number");
    expect(JSON.parse(s.on("POST /fine-tunes")[0]!.body.toString()).training_method).toEqual({ method: "sft", train_on_inputs: "auto" });
  });

  it("Together says the job may not proceed: exit 3, no job, the resume command", async () => {
    const s = await start({ allowedToProceed: false });
    const r = await run({ file: tmpFile("train.jsonl", dataset(10)), model: MODEL, createJob: true, trainOnInputs: "false" }, env(s));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/may not proceed/);
    expect(r.stderr).toMatch(/--training-file-id file-\S+ --model \S+ --train-on-inputs false/);
    expect(s.on("POST /fine-tunes")).toHaveLength(0);
  });

  it("no estimate to be had (an older server: 404) is a note, and the job is created", async () => {
    const s = await start({ faults: [{ route: "POST /fine-tunes/estimate-price", action: { status: 404 } }] });
    const r = await run({ file: tmpFile("train.jsonl", dataset(10)), model: MODEL, createJob: true }, env(s));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no price estimate from Together/);
    expect(s.jobs).toHaveLength(1);
  });
});

describe("real public data (Together's own example dataset) end to end", () => {
  // TUNELINT_REAL_UPLOAD=/path/to/antihallucination.jsonl runs the same test on the whole file.
  const source =
    process.env.TUNELINT_REAL_UPLOAD ?? fileURLToPath(new URL("../fixtures/upload/antihallucination-excerpt.jsonl", import.meta.url));
  it("passes the lint, uploads byte for byte as .jsonl and as .jsonl.gz, creates the job with an estimate", async () => {
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(source);
    for (const [name, content] of [
      ["antihallucination.jsonl", bytes],
      ["antihallucination.jsonl.gz", gzipSync(bytes)],
    ] as const) {
      const s = await start();
      const r = await cli(
        [tmpFile(name, content), "--model", MODEL, "--create-job", "--epochs", "2", "--format", "json", "--no-config"],
        env(s),
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.lint.files[0]).toMatchObject({ format: "general", errorCount: 0 });
      expect(doc.lint.files[0].records).toBe(bytes.toString().trimEnd().split("\n").length);
      expect(doc.files[0]).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes), status: "COMPLETED" });
      expect(s.uploaded(doc.files[0].fileId)?.equals(bytes)).toBe(true);
      expect(doc.estimate.trainTokens).toBe(Math.ceil(bytes.length / 4) * 2);
      expect(doc.job.training_file).toBe(doc.files[0].fileId);
      await s.close();
      stub = undefined;
    }
  });
});

describe("Parquet (pre-tokenized) end to end", () => {
  it("lints, hashes and uploads the exact bytes with file_type=parquet", async () => {
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(fileURLToPath(new URL("../../samples/pretokenized-valid.parquet", import.meta.url)));
    const s = await start();
    const r = await cli([tmpFile("train.parquet", bytes), "--model", MODEL, "--format", "json", "--no-config"], env(s));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.lint.files[0]).toMatchObject({ errorCount: 0 });
    expect(doc.files[0]).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes), status: "COMPLETED" });
    expect(s.uploaded(doc.files[0].fileId)?.equals(bytes)).toBe(true);
    expect(s.files.get(doc.files[0].fileId)).toMatchObject({ fileType: "parquet", filename: "train.parquet" });
    await s.close();
    stub = undefined;
  });
});

describe("the bundled bin (dist/bundle/tunelint.mjs, as installed)", () => {
  const BIN = fileURLToPath(new URL("../../dist/bundle/tunelint.mjs", import.meta.url));
  const bin = (args: string[], e: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...e }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
    });

  it("uploads (undici loads from the bundle) and exits as soon as it is done", async () => {
    const s = await start();
    const r = await bin(["upload", tmpFile("train.jsonl", dataset(3)), "--no-config", "--format", "json"], env(s));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].status).toBe("COMPLETED");
    // No idle keep-alive connection holds the process (undici keeps them 4 s by default).
    expect(r.ms).toBeLessThan(4000);
  });

  it("models --refresh through the bundle", async () => {
    const s = await start();
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const cache = join(mkdtempSync(join(tmpdir(), "tl-bin-")), "models.json");
    const r = await bin(["models", "--refresh", "--cache-file", cache, "--format", "json"], env(s));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toBe("cache");
    expect(s.on("GET /models")).toHaveLength(1);
  });
});
