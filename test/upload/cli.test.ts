/**
 * `tunelint upload` end to end: a child process running the built command (dist/) through yargs, the real lint
 * engine, and the stand-in Together API on 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { prepareLint } from "../../src/lint/lint.js";
import { STUB_API_KEY, STUB_SIGNATURE, startTogetherStub, type TogetherStub } from "../helpers/together-stub.js";
import { dataset, sha256, tmpFile } from "./helpers.js";

const HARNESS = fileURLToPath(new URL("./fixtures/harness.mjs", import.meta.url));
const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

let stub: TogetherStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function cli(args: string[], env: Record<string, string | undefined>, opts: { sigintWhen?: () => boolean } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [HARNESS, "upload", ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (opts.sigintWhen) {
      const timer = setInterval(() => {
        if (opts.sigintWhen!()) {
          clearInterval(timer);
          child.kill("SIGINT");
        }
      }, 25);
      child.on("close", () => clearInterval(timer));
    }
    child.on("close", (code) => {
      expect(stdout + stderr).not.toContain(STUB_API_KEY);
      expect(stdout + stderr).not.toContain(STUB_SIGNATURE);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A validation example that is not in the training data (dataset() repeats one line). */
const VALIDATION =
  JSON.stringify({
    messages: [
      { role: "user", content: "How do I reset my router?" },
      { role: "assistant", content: "Hold the reset button for ten seconds." },
    ],
  }) + "\n";

const env = (s: TogetherStub) => ({ TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: s.baseUrl });

const tokensAvailable = await prepareLint({ model: MODEL, config: false }).then(
  () => true,
  () => false,
);

describe("tunelint upload (process)", { timeout: 30_000 }, () => {
  it("lints, uploads the exact bytes, prints the json document", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const content = dataset(12);
    const path = tmpFile("train.jsonl", content);
    const r = await cli([path, "--format", "json", "--no-config"], env(stub));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0]).toMatchObject({ path, bytes: Buffer.byteLength(content), sha256: sha256(content), status: "COMPLETED" });
    expect(stub.uploaded(doc.files[0].fileId)?.equals(readFileSync(path))).toBe(true);
    expect(doc.job).toBeNull();
  });

  it("a file with lint errors: exit 1, the report, no request at all", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const path = tmpFile("train.jsonl", dataset(3) + "{bad json\n");
    const r = await cli([path, "--no-config"], env(stub));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/invalid-json/);
    expect(r.stderr).toMatch(/Not uploading/);
    expect(stub.requests).toHaveLength(0);
  });

  it("--base-url wins over TOGETHER_BASE_URL", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const path = tmpFile("train.jsonl", dataset(3));
    const r = await cli([path, "--no-config", "--base-url", stub.baseUrl], {
      TOGETHER_API_KEY: STUB_API_KEY,
      TOGETHER_BASE_URL: "http://127.0.0.1:9/v1",
    });
    expect(r.code).toBe(0);
    expect(stub.on("POST /files")).toHaveLength(1);
  });

  it("missing key: exit 2 with a hint", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const r = await cli([tmpFile("train.jsonl", dataset(3))], { TOGETHER_BASE_URL: stub.baseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TOGETHER_API_KEY");
    expect(stub.requests).toHaveLength(0);
  });

  it("401: exit 3", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const r = await cli([tmpFile("train.jsonl", dataset(3)), "--no-config"], {
      TOGETHER_API_KEY: "tk-nope-000000000000",
      TOGETHER_BASE_URL: stub.baseUrl,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the API key/);
    expect(r.stderr).not.toContain("tk-nope-000000000000");
  });

  it("Ctrl-C during a slow upload: clean abort, exit 130, no stack trace", async () => {
    stub = await startTogetherStub({ faults: [{ route: "PUT /upload", action: { delayMs: 10_000 } }] });
    const r = await cli([tmpFile("train.jsonl", dataset(3)), "--no-config"], env(stub), {
      sigintWhen: () => stub!.on("PUT /upload").length > 0,
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Cancelled/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("resume with --training-file-id: creates the job, uploads nothing", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const first = await cli([tmpFile("train.jsonl", dataset(3)), "--no-config", "--format", "json"], env(stub));
    const id = JSON.parse(first.stdout).files[0].fileId as string;
    const r = await cli(
      [
        "--create-job",
        "--training-file-id",
        id,
        "--model",
        MODEL,
        "--epochs",
        "3",
        "--suffix",
        "support-bot",
        "--format",
        "json",
        "--no-config",
      ],
      env(stub),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).job.id).toMatch(/^ft-/);
    expect(stub.on("POST /files")).toHaveLength(1);
    expect(JSON.parse(stub.on("POST /fine-tunes")[0]!.body.toString())).toMatchObject({
      training_file: id,
      n_epochs: 3,
      suffix: "support-bot",
    });
  });

  it.skipIf(!tokensAvailable)("--create-job with a validation file", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const r = await cli(
      [
        tmpFile("train.jsonl", dataset(6)),
        "--validation-file",
        tmpFile("val.jsonl", VALIDATION),
        "--model",
        MODEL,
        "--create-job",
        "--epochs",
        "3",
        "--suffix",
        "support-bot",
        "--no-config",
      ],
      env(stub),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fine-tune job ft-\S+ created/);
    expect(stub.on("PUT /upload")).toHaveLength(2);
  });

  it("refuses a validation file that repeats training examples (validation-leak), before any request", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const r = await cli(
      [tmpFile("train.jsonl", dataset(6)), "--validation-file", tmpFile("val.jsonl", dataset(2)), "--no-config"],
      env(stub),
    );
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/validation-leak/);
    expect(r.stdout + r.stderr).toMatch(/repeats training example \S*train\.jsonl:1 exactly/);
    expect(stub.on("POST /files")).toHaveLength(0);
  });
});
