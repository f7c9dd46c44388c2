import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyTogetherError,
  createFineTune,
  FileChangedError,
  getModelLimits,
  MissingApiKeyError,
  TogetherApiError,
  UploadAbortedError,
  uploadDataset,
  uploadFile,
  waitForProcessing,
} from "../../src/upload/index.js";
import { STUB_API_KEY, STUB_SIGNATURE, startTogetherStub, type TogetherStub } from "../helpers/together-stub.js";
import { dataset, fakeLint, fastRetry, sha256, tmpFile } from "./helpers.js";

let stub: TogetherStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function opts(s: TogetherStub, extra: Record<string, unknown> = {}) {
  return { apiKey: STUB_API_KEY, baseUrl: s.baseUrl, retry: fastRetry(), pollIntervalMs: 1, ...extra };
}

describe("uploadFile", () => {
  it("POSTs the form, follows the 302 itself, PUTs the exact bytes with Content-Length and no auth", async () => {
    stub = await startTogetherStub();
    const content = dataset(50);
    const path = tmpFile("train.jsonl", content);
    const up = await uploadFile(path, opts(stub));
    expect(up.method).toBe("single");
    expect(up.fileName).toBe("train.jsonl");
    expect(stub.uploaded(up.id)?.equals(Buffer.from(content))).toBe(true);

    const [post] = stub.on("POST /files");
    const form = new URLSearchParams(post!.body.toString());
    expect(form.get("purpose")).toBe("fine-tune");
    expect(form.get("file_name")).toBe("train.jsonl");
    expect(form.get("file_type")).toBe("jsonl");
    expect(post!.headers.authorization).toBe(`Bearer ${STUB_API_KEY}`);

    const [put] = stub.on("PUT /upload");
    expect(put!.headers["content-length"]).toBe(String(Buffer.byteLength(content)));
    expect(put!.headers.authorization).toBeUndefined();
    expect(put!.complete).toBe(true);
  });

  it("refuses before any request when the file's size differs from the linted one", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(5));
    const expected = { bytes: 3, sha256: sha256("abc") };
    await expect(uploadFile(path, opts(stub, { expected }))).rejects.toBeInstanceOf(FileChangedError);
    expect(stub.requests).toHaveLength(0);
  });

  it("never completes a PUT whose bytes differ from the linted ones (same size, other content)", async () => {
    stub = await startTogetherStub();
    const content = dataset(30);
    const path = tmpFile("train.jsonl", content);
    const expected = { bytes: Buffer.byteLength(content), sha256: sha256(content.replace("hello", "HELLO")) };
    await expect(uploadFile(path, opts(stub, { expected }))).rejects.toBeInstanceOf(FileChangedError);
    const puts = stub.on("PUT /upload");
    expect(puts.every((p) => !p.complete)).toBe(true);
    expect([...stub.files.values()].every((f) => f.bytes === null)).toBe(true);
  });

  it("retries a 500 on the PUT and uploads the same bytes", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", times: 2, action: { status: 500 } }] });
    const content = dataset(10);
    const path = tmpFile("train.jsonl", content);
    const retry = fastRetry();
    const up = await uploadFile(path, opts(stub, { retry }));
    expect(stub.on("PUT /upload")).toHaveLength(3);
    expect(stub.on("POST /files")).toHaveLength(1);
    expect(sha256(stub.uploaded(up.id)!)).toBe(sha256(content));
    expect(retry.sleeps).toHaveLength(2);
    expect(retry.sleeps[1]!).toBeGreaterThan(retry.sleeps[0]!);
  });

  it("retries a connection dropped mid-upload", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", times: 1, action: { drop: true, afterBytes: 100 } }] });
    const content = dataset(200);
    const path = tmpFile("train.jsonl", content);
    const up = await uploadFile(path, opts(stub));
    const puts = stub.on("PUT /upload");
    expect(puts).toHaveLength(2);
    expect(puts[0]!.complete).toBe(false);
    expect(stub.uploaded(up.id)?.toString()).toBe(content);
  });

  it("gives up after bounded retries with a classified, redacted error", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", action: { status: 503 } }] });
    const path = tmpFile("train.jsonl", dataset(3));
    const err = (await uploadFile(path, opts(stub, { retry: fastRetry({ retries: 2 }) })).catch((e) => e)) as TogetherApiError;
    expect(err).toBeInstanceOf(TogetherApiError);
    expect(err.category).toBe("server");
    expect(err.attempts).toBe(3);
    expect(stub.on("PUT /upload")).toHaveLength(3);
    expect(err.message).not.toContain(STUB_SIGNATURE);
    expect(err.message).toContain("?<redacted>");
    expect(JSON.stringify(err.toJSON())).not.toContain(STUB_API_KEY);
  });

  it("honours Retry-After on a 429", async () => {
    stub = await startTogetherStub({
      faults: [{ route: "POST /files", times: 1, action: { status: 429, headers: { "Retry-After": "2", "X-RateLimit-Remaining": "0" } } }],
    });
    const path = tmpFile("train.jsonl", dataset(3));
    const retry = fastRetry();
    await uploadFile(path, opts(stub, { retry }));
    expect(stub.on("POST /files")).toHaveLength(2);
    expect(retry.sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(retry.sleeps[0]).toBeLessThanOrEqual(2200);
  });

  it("X-RateLimit-Remaining: 0 paces the next request until the window resets", async () => {
    stub = await startTogetherStub({
      faults: [{ route: "POST /files", times: 1, action: { extraHeaders: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1" } } }],
    });
    const path = tmpFile("train.jsonl", dataset(3));
    const retry = fastRetry();
    const up = await uploadFile(path, opts(stub, { retry }));
    await waitForProcessing(up.id, opts(stub, { retry }));
    expect(retry.sleeps.some((ms) => ms >= 900 && ms <= 1100)).toBe(true);
    expect(stub.requests.every((r) => r.status !== 429)).toBe(true);
  });

  it("fails fast when Retry-After is longer than the cap allows", async () => {
    stub = await startTogetherStub({ faults: [{ route: "POST /files", action: { status: 429, headers: { "Retry-After": "3600" } } }] });
    const path = tmpFile("train.jsonl", dataset(3));
    const err = (await uploadFile(path, opts(stub)).catch((e) => e)) as TogetherApiError;
    expect(err.category).toBe("rate_limit");
    expect(stub.on("POST /files")).toHaveLength(1);
  });

  it("times out on a slow server and retries", async () => {
    stub = await startTogetherStub({ faults: [{ route: "POST /files", times: 1, action: { delayMs: 1500 } }] });
    const path = tmpFile("train.jsonl", dataset(3));
    const up = await uploadFile(path, opts(stub, { timeoutMs: 300 }));
    expect(up.id).toMatch(/^file-/);
    expect(stub.on("POST /files").length).toBeGreaterThanOrEqual(2);
  });

  it("401: not retried, auth category, the key is never in the message", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(3));
    const err = (await uploadFile(path, { ...opts(stub), apiKey: "tk-wrong-key-abcdefghijkl" }).catch((e) => e)) as TogetherApiError;
    expect(err.category).toBe("auth");
    expect(err.code).toBe("unauthorized");
    expect(err.message).not.toContain("tk-wrong-key-abcdefghijkl");
    expect(stub.requests).toHaveLength(1);
    expect(stub.on("PUT /upload")).toHaveLength(0);
  });

  it("no server at all: network category after bounded retries", async () => {
    const dead = await startTogetherStub();
    const baseUrl = dead.baseUrl;
    await dead.close();
    const path = tmpFile("train.jsonl", dataset(3));
    const retry = fastRetry({ retries: 2 });
    const err = (await uploadFile(path, { apiKey: STUB_API_KEY, baseUrl, retry }).catch((e) => e)) as TogetherApiError;
    expect(err).toBeInstanceOf(TogetherApiError);
    expect(err.category).toBe("network");
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(3);
    expect(retry.sleeps).toHaveLength(2);
  });

  it("needs a key before doing anything", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(3));
    await expect(uploadFile(path, { baseUrl: stub.baseUrl, env: {} })).rejects.toBeInstanceOf(MissingApiKeyError);
    expect(stub.requests).toHaveLength(0);
  });

  it("aborts cleanly through an AbortSignal", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", action: { delayMs: 5000 } }] });
    const path = tmpFile("train.jsonl", dataset(3));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    await expect(uploadFile(path, opts(stub, { signal: ac.signal }))).rejects.toBeInstanceOf(UploadAbortedError);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("uses the multipart flow above the threshold and assembles the exact bytes", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /multipart", times: 1, action: { status: 500 } }] });
    const content = dataset(100);
    const path = tmpFile("big.jsonl", content);
    const progress: number[] = [];
    const up = await uploadFile(
      path,
      opts(stub, { multipartThreshold: 1000, partSize: 1024, onProgress: (p: { bytesSent: number }) => progress.push(p.bytesSent) }),
    );
    expect(up.method).toBe("multipart");
    const [init] = stub.on("POST /files/multipart/initiate");
    const body = JSON.parse(init!.body.toString());
    expect(body).toMatchObject({
      file_name: "big.jsonl",
      file_size: Buffer.byteLength(content),
      num_parts: Math.ceil(Buffer.byteLength(content) / 1024),
      purpose: "fine-tune",
      file_type: "jsonl",
    });
    expect(stub.on("POST /files/multipart/complete")).toHaveLength(1);
    expect(stub.uploaded(up.id)?.toString()).toBe(content);
    expect(progress.at(-1)).toBe(Buffer.byteLength(content));
    expect(
      stub.on("PUT /multipart").every((r) => r.headers["x-amz-meta-part"] !== undefined && r.headers.authorization === undefined),
    ).toBe(true);
  });

  it("aborts a multipart upload whose bytes are not the linted ones", async () => {
    stub = await startTogetherStub();
    const content = dataset(100);
    const path = tmpFile("big.jsonl", content);
    const expected = { bytes: Buffer.byteLength(content), sha256: sha256("other") };
    await expect(uploadFile(path, opts(stub, { multipartThreshold: 1000, partSize: 1024, expected }))).rejects.toBeInstanceOf(
      FileChangedError,
    );
    expect(stub.on("POST /files/multipart/complete")).toHaveLength(0);
    expect(stub.on("POST /files/multipart/abort")).toHaveLength(1);
  });
});

describe("waitForProcessing", () => {
  it("polls until COMPLETED", async () => {
    stub = await startTogetherStub({ processing: ["PENDING", "QUEUED", "RUNNING", "COMPLETED"] });
    const path = tmpFile("train.jsonl", dataset(3));
    const up = await uploadFile(path, opts(stub));
    const seen: string[] = [];
    const file = await waitForProcessing(
      up.id,
      opts(stub, { onStatus: (f: { processing_status?: string }) => seen.push(f.processing_status!) }),
    );
    expect(file.processing_status).toBe("COMPLETED");
    expect(seen).toEqual(["PENDING", "QUEUED", "RUNNING", "COMPLETED"]);
  });

  it("INVALID_FORMAT: throws with Together's validation report", async () => {
    const report = { is_check_passed: false, message: 'Found extra column "id" in the line 3.' };
    stub = await startTogetherStub({ processing: ["RUNNING", "INVALID_FORMAT"], validationReport: report });
    const path = tmpFile("train.jsonl", dataset(3));
    const up = await uploadFile(path, opts(stub));
    const err = (await waitForProcessing(up.id, opts(stub)).catch((e) => e)) as TogetherApiError;
    expect(err.code).toBe("processing_failed");
    expect(err.category).toBe("validation");
    expect(err.validationReport).toEqual(report);
    expect(err.fileId).toBe(up.id);
    expect(err.message).toContain('Found extra column "id" in the line 3.');
  });
});

describe("uploadDataset", () => {
  it("lints, uploads the linted bytes, waits for processing", async () => {
    stub = await startTogetherStub();
    const content = dataset(10);
    const path = tmpFile("train.jsonl", content);
    const lint = fakeLint({ warnings: 2 });
    const r = await uploadDataset(path, opts(stub, { lintFn: lint }));
    expect(r.status).toBe("COMPLETED");
    expect(r.file?.sha256).toBe(sha256(content));
    expect(stub.uploaded(r.file!.id)?.toString()).toBe(content);
    expect(lint.calls).toEqual([path]);
  });

  it("sends not one request for a file with lint errors", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(10));
    const r = await uploadDataset(path, opts(stub, { lintFn: fakeLint({ errors: 1 }) }));
    expect(r.status).toBe("LINT_FAILED");
    expect(r.file).toBeNull();
    expect(stub.requests).toHaveLength(0);
  });

  it("respects maxWarnings", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(10));
    const r = await uploadDataset(path, opts(stub, { lintFn: fakeLint({ warnings: 3 }), maxWarnings: 2 }));
    expect(r.status).toBe("LINT_FAILED");
    expect(stub.requests).toHaveLength(0);
  });

  it("refuses when the file changes between lint and upload", async () => {
    stub = await startTogetherStub();
    const path = tmpFile("train.jsonl", dataset(10));
    const inner = fakeLint();
    const lintThenChange = async (p: string) => {
      const res = await inner(p);
      writeFileSync(p, readFileSync(p, "utf8").replace("hello", "HELLO"));
      return res;
    };
    await expect(uploadDataset(path, opts(stub, { lintFn: lintThenChange }))).rejects.toBeInstanceOf(FileChangedError);
    expect(stub.on("PUT /upload").every((p) => !p.complete)).toBe(true);
    const grown = tmpFile("train.jsonl", dataset(10));
    const lintThenGrow = async (p: string) => {
      const res = await inner(p);
      appendFileSync(p, "x");
      return res;
    };
    const before = stub.requests.length;
    await expect(uploadDataset(grown, opts(stub, { lintFn: lintThenGrow }))).rejects.toBeInstanceOf(FileChangedError);
    expect(stub.requests.length).toBe(before);
  });
});

describe("fine-tune jobs", () => {
  async function uploaded(s: TogetherStub) {
    const path = tmpFile("train.jsonl", dataset(3));
    return (await uploadFile(path, opts(s))).id;
  }

  it("checks limits, then creates the job with the options given", async () => {
    stub = await startTogetherStub();
    const id = await uploaded(stub);
    const r = await createFineTune({
      ...opts(stub),
      model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      trainingFile: id,
      epochs: 3,
      suffix: "support-bot",
    });
    expect(r.job.id).toMatch(/^ft-/);
    expect(stub.on("GET /fine-tunes/models/limits")[0]!.query.model_name).toBe("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    const body = JSON.parse(stub.on("POST /fine-tunes")[0]!.body.toString());
    expect(body).toMatchObject({
      training_file: id,
      model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      n_epochs: 3,
      suffix: "support-bot",
    });
    expect(body.training_type.type).toBe("Lora");
  });

  it("refuses options outside the model's limits without creating a job", async () => {
    stub = await startTogetherStub();
    const id = await uploaded(stub);
    const err = (await createFineTune({
      ...opts(stub),
      model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      trainingFile: id,
      epochs: 99,
    }).catch((e) => e)) as TogetherApiError;
    expect(err.category).toBe("validation");
    expect(stub.on("POST /fine-tunes")).toHaveLength(0);
  });

  for (const status of [404, 400] as const) {
    it(`model not found (${status}): suggests the nearest model ids`, async () => {
      stub = await startTogetherStub({ modelNotFoundStatus: status });
      const err = (await getModelLimits("meta-llama/Meta-Llama-3.1-8B-Instruct-Referense", opts(stub)).catch((e) => e)) as TogetherApiError;
      expect(err.code).toBe("model_not_found");
      expect(err.category).toBe("not_found");
      expect(err.suggestions?.[0]).toBe("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    });
  }

  it("retries a 503 on job creation and creates exactly one job", async () => {
    stub = await startTogetherStub();
    const id = await uploaded(stub);
    stub.addFault({ route: "POST /fine-tunes", times: 2, action: { status: 503 } });
    const r = await createFineTune({ ...opts(stub), model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", trainingFile: id });
    expect(stub.on("POST /fine-tunes")).toHaveLength(3);
    expect(stub.jobs).toHaveLength(1);
    expect(r.job.id).toBe(stub.jobs[0]!.id);
  });

  it("402 on job creation: billing, not retried", async () => {
    stub = await startTogetherStub({
      faults: [
        {
          route: "POST /fine-tunes",
          action: { status: 402, body: { error: { message: "Insufficient balance", type: "insufficient_credits" } } },
        },
      ],
    });
    const id = await uploaded(stub);
    const err = (await createFineTune({ ...opts(stub), model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", trainingFile: id }).catch(
      (e) => e,
    )) as TogetherApiError;
    expect(err.category).toBe("billing");
    expect(err.code).toBe("insufficient_credits");
    expect(stub.on("POST /fine-tunes")).toHaveLength(1);
  });

  it("a dropped connection on job creation does not create a second job", async () => {
    stub = await startTogetherStub();
    const id = await uploaded(stub);
    // The stub creates the job, then drops the connection: the client never sees the answer.
    stub.addFault({ route: "POST /fine-tunes", times: 1, action: { dropResponse: true } });
    const r = await createFineTune({ ...opts(stub), model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", trainingFile: id });
    expect(stub.on("POST /fine-tunes")).toHaveLength(1);
    expect(stub.on("GET /fine-tunes")).toHaveLength(1);
    expect(stub.jobs).toHaveLength(1);
    expect(r.job.id).toBe(stub.jobs[0]!.id);
  });
});

describe("classifyTogetherError", () => {
  it.each([
    [401, "auth", false, "unauthorized"],
    [402, "billing", false, "insufficient_credits"],
    [404, "not_found", false, "not_found"],
    [429, "rate_limit", true, "rate_limited"],
    [500, "server", true, "server_error"],
    [502, "server", true, "server_error"],
    [503, "server", true, "server_error"],
    [0, "network", true, "network_error"],
  ] as const)("%s -> %s", (status, category, retryable, code) => {
    const c = classifyTogetherError(status, { error: { message: "x" } }, {});
    expect(c).toMatchObject({ category, retryable, code });
  });

  it("400 model not found and token limits", () => {
    expect(classifyTogetherError(400, { error: { message: "Model not found: foo/bar", type: "invalid_request_error" } }, {})).toMatchObject(
      { code: "model_not_found", category: "not_found" },
    );
    expect(classifyTogetherError(400, { error: { message: "Token limit exceeded for line 4" } }, {})).toMatchObject({
      code: "token_limit_exceeded",
      category: "validation",
    });
    expect(classifyTogetherError(400, { error: { message: "Invalid fine-tune dataset" } }, {})).toMatchObject({
      code: "invalid_dataset",
      category: "validation",
    });
  });

  it("reads Retry-After (seconds and date) and X-RateLimit headers", () => {
    expect(classifyTogetherError(429, "", { "retry-after": "3" }).retryAfterMs).toBe(3000);
    const h = new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2" });
    expect(classifyTogetherError(429, "", h).retryAfterMs).toBe(2000);
  });

  it("redacts presigned query strings and bearer tokens from messages", () => {
    const c = classifyTogetherError(
      500,
      `failed https://bucket.s3.amazonaws.com/x?X-Amz-Signature=${STUB_SIGNATURE} Bearer abcdefghijklmnop`,
      {},
    );
    expect(c.message).not.toContain(STUB_SIGNATURE);
    expect(c.message).not.toContain("abcdefghijklmnop");
  });
});
