import { afterEach, describe, expect, it } from "vitest";
import { runUpload, type UploadCommandArgs } from "../../src/upload/run.js";
import { STUB_API_KEY, STUB_SIGNATURE, startTogetherStub, type TogetherStub } from "../helpers/together-stub.js";
import { dataset, fakeLint, fastRetry, sha256, tmpFile } from "./helpers.js";

const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

let stub: TogetherStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function sink(isTTY = false) {
  const chunks: string[] = [];
  return {
    write: (s: string) => chunks.push(s),
    isTTY,
    columns: 120,
    get text() {
      return chunks.join("");
    },
  };
}

type LintStandIn = (path: string, options?: Record<string, unknown>) => Promise<import("../../src/types.js").FileResult>;

async function run(
  args: UploadCommandArgs,
  o: { env?: Record<string, string | undefined>; lint?: LintStandIn; tty?: boolean; signal?: AbortSignal } = {},
) {
  const stdout = sink();
  const stderr = sink(o.tty);
  const lint = o.lint ?? fakeLint();
  const code = await runUpload(args, {
    stdout,
    stderr,
    env: o.env ?? { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub?.baseUrl },
    lintFn: lint,
    lintOptions: args.model ? { model: args.model } : {},
    retry: fastRetry(),
    pollIntervalMs: 1,
    signal: o.signal,
  });
  const all = stdout.text + stderr.text;
  expect(all).not.toContain(STUB_API_KEY);
  expect(all).not.toContain(STUB_SIGNATURE);
  return { code, stdout: stdout.text, stderr: stderr.text, lint };
}

describe("tunelint upload (runner)", () => {
  it("missing key: exit 2 with a hint, before any work", async () => {
    stub = await startTogetherStub();
    const lint = fakeLint();
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL }, { env: { TOGETHER_BASE_URL: stub.baseUrl }, lint });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TOGETHER_API_KEY");
    expect(lint.calls).toHaveLength(0);
    expect(stub.requests).toHaveLength(0);
  });

  it("lint errors: exit 1, the report, and not one request", async () => {
    stub = await startTogetherStub();
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true }, { lint: fakeLint({ errors: 2 }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Not uploading: 2 lint errors/);
    expect(stub.requests).toHaveLength(0);
  });

  it("a failing validation file blocks the training file too", async () => {
    stub = await startTogetherStub();
    const lintCalls: string[] = [];
    const good = fakeLint();
    const bad = fakeLint({ errors: 1 });
    const lint = Object.assign(async (p: string) => (lintCalls.push(p), p.endsWith("val.jsonl") ? bad(p) : good(p)), { calls: lintCalls });
    const r = await run(
      { file: tmpFile("train.jsonl", dataset(3)), validationFile: tmpFile("val.jsonl", dataset(2)), model: MODEL },
      { lint },
    );
    expect(r.code).toBe(1);
    expect(stub.requests).toHaveLength(0);
  });

  it("warnings pass unless --max-warnings", async () => {
    stub = await startTogetherStub();
    const ok = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL }, { lint: fakeLint({ warnings: 3 }) });
    expect(ok.code).toBe(0);
    const before = stub.requests.length;
    const blocked = await run(
      { file: tmpFile("train.jsonl", dataset(3)), model: MODEL, maxWarnings: 2 },
      { lint: fakeLint({ warnings: 3 }) },
    );
    expect(blocked.code).toBe(1);
    expect(stub.requests.length).toBe(before);
  });

  it("uploads training + validation, creates the job, prints the job id (json)", async () => {
    stub = await startTogetherStub();
    const train = dataset(8);
    const val = dataset(2);
    const r = await run({
      file: tmpFile("train.jsonl", train),
      validationFile: tmpFile("val.jsonl", val),
      model: MODEL,
      createJob: true,
      epochs: 3,
      suffix: "support-bot",
      format: "json",
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toHaveLength(2);
    expect(doc.files[0]).toMatchObject({ role: "training", bytes: Buffer.byteLength(train), sha256: sha256(train), status: "COMPLETED" });
    expect(doc.files[0].fileId).toMatch(/^file-/);
    expect(doc.files[0].path).toMatch(/train\.jsonl$/);
    expect(doc.files[1]).toMatchObject({ role: "validation", sha256: sha256(val), status: "COMPLETED" });
    expect(doc.job.id).toMatch(/^ft-/);
    const body = JSON.parse(stub.on("POST /fine-tunes")[0]!.body.toString());
    expect(body).toMatchObject({
      training_file: doc.files[0].fileId,
      validation_file: doc.files[1].fileId,
      model: MODEL,
      n_epochs: 3,
      suffix: "support-bot",
    });
    // limits were checked before the upload
    const order = stub.requests.map((q) => q.route);
    expect(order.indexOf("GET /fine-tunes/models/limits")).toBeLessThan(order.indexOf("POST /files"));
  });

  it("text output: file ids, job id and how to follow it", async () => {
    stub = await startTogetherStub();
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train\.jsonl: uploaded as file-\S+/);
    expect(r.stdout).toMatch(/Fine-tune job ft-\S+ created/);
    expect(r.stdout).toMatch(/together fine-tuning retrieve ft-/);
  });

  it("401: exit 3, says the key was refused and where it comes from, never prints it", async () => {
    stub = await startTogetherStub();
    const r = await run(
      { file: tmpFile("train.jsonl", dataset(3)), model: MODEL },
      { env: { TOGETHER_API_KEY: "tk-bad-key-0123456789", TOGETHER_BASE_URL: stub.baseUrl } },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the API key/);
    expect(r.stderr).toContain("TOGETHER_API_KEY");
    expect(r.stderr + r.stdout).not.toContain("tk-bad-key-0123456789");
  });

  it("402 on job creation: exit 3, lists the uploaded file ids and how to resume without uploading", async () => {
    stub = await startTogetherStub({
      faults: [{ route: "POST /fine-tunes", action: { status: 402, body: { error: { message: "Insufficient credits" } } } }],
    });
    const r = await run({
      file: tmpFile("train.jsonl", dataset(3)),
      validationFile: tmpFile("val.jsonl", dataset(2)),
      model: MODEL,
      createJob: true,
      epochs: 2,
    });
    expect(r.code).toBe(3);
    const [t, v] = [...stub.files.keys()];
    expect(r.stderr).toMatch(/Insufficient credits/i);
    expect(r.stderr).toContain(t!);
    expect(r.stderr).toContain(v!);
    expect(r.stderr).toContain(`--training-file-id ${t} --validation-file-id ${v} --model ${MODEL} --epochs 2`);

    // Resuming uses the ids and sends no file.
    stub.faults = [];
    const before = stub.on("POST /files").length;
    const lint = fakeLint();
    const resumed = await run(
      { trainingFileId: t, validationFileId: v, model: MODEL, createJob: true, epochs: 2, format: "json" },
      { lint },
    );
    expect(resumed.code).toBe(0);
    expect(lint.calls).toHaveLength(0);
    expect(stub.on("POST /files").length).toBe(before);
    expect(JSON.parse(resumed.stdout).job.id).toMatch(/^ft-/);
  });

  it("INVALID_FORMAT processing: exit 3 with Together's validation report", async () => {
    stub = await startTogetherStub({
      processing: ["RUNNING", "INVALID_FORMAT"],
      validationReport: { message: 'Found extra column "id" in the line 3.' },
    });
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Found extra column "id" in the line 3.');
    expect(stub.on("POST /fine-tunes")).toHaveLength(0);
    const j = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, format: "json" });
    expect(j.code).toBe(3);
    const doc = JSON.parse(j.stdout);
    expect(doc.files[0].status).toBe("INVALID_FORMAT");
    expect(doc.error.code).toBe("processing_failed");
  });

  it("unknown model: exit 3 with the nearest ids, nothing uploaded", async () => {
    stub = await startTogetherStub({ modelNotFoundStatus: 400 });
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: "meta-llama/Meta-Llama-3.1-8B-Instruct", createJob: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("did you mean meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    expect(stub.on("POST /files")).toHaveLength(0);
  });

  it("a model the local registry does not know: linted without token budgets, Together decides", async () => {
    stub = await startTogetherStub({ modelNotFoundStatus: 404 });
    const seen: Array<unknown> = [];
    const inner = fakeLint();
    const lint: LintStandIn = async (p, opts) => {
      seen.push(opts?.model);
      if (opts?.model) throw Object.assign(new Error(`Unknown model "${String(opts.model)}".`), { name: "UnknownModelError" });
      return inner(p);
    };
    const r = await run(
      { file: tmpFile("train.jsonl", dataset(3)), model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Referense", createJob: true },
      { lint },
    );
    expect(seen).toEqual(["meta-llama/Meta-Llama-3.1-8B-Instruct-Referense", undefined]);
    expect(r.stderr).toMatch(/Token budgets were not checked/);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("did you mean meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    expect(stub.on("POST /files")).toHaveLength(0);
  });

  it("429 then success: backs off and finishes", async () => {
    stub = await startTogetherStub({
      faults: [{ route: "GET /files/:id", times: 2, action: { status: 429, headers: { "Retry-After": "1" } } }],
    });
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Rate limited/);
  });

  it("server keeps failing: bounded retries then a clear failure (exit 3)", async () => {
    stub = await startTogetherStub({ faults: [{ route: "POST /files", action: { status: 502 } }] });
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/gave up after 4 attempts/);
    expect(stub.on("POST /files")).toHaveLength(4);
  });

  it("progress on a TTY, nothing on a pipe", async () => {
    stub = await startTogetherStub();
    const tty = await run({ file: tmpFile("train.jsonl", dataset(50)), model: MODEL }, { tty: true });
    expect(tty.stderr).toMatch(/↑ .*train\.jsonl .*100%/);
    const pipe = await run({ file: tmpFile("train.jsonl", dataset(50)), model: MODEL });
    expect(pipe.stderr).toBe("");
  });

  it("Ctrl-C (abort) during the upload: exit 130", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", action: { delayMs: 5000 } }] });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await run({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL }, { signal: ac.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Cancelled/);
  });

  it("a base URL without /v1 reaches /v1; job secrets are not echoed", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const r = await run(
      { file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true, format: "json" },
      { env: { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.origin } },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).job.id).toMatch(/^ft-/);
  });

  it("usage errors exit 2", async () => {
    stub = await startTogetherStub();
    expect((await run({ model: MODEL })).code).toBe(2);
    expect((await run({ file: "x.jsonl", createJob: true })).code).toBe(2);
    expect((await run({ file: "x.jsonl", baseUrl: "ftp://example" })).code).toBe(2);
    expect((await run({ file: tmpFile("train.json", "x") })).code).toBe(2);
    expect(stub.requests).toHaveLength(0);
  });
});
