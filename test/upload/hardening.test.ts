/**
 * Issue 17, the uploader's part (items 13, 14, 18, 22, 26), against the stand-in Together API on 127.0.0.1 with
 * injected faults: a silent server, endless and trickling bodies, a server that echoes secrets, malformed answers,
 * redirects, plain http, and a real HTTP proxy.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProxy } from "proxy";
import { afterEach, describe, expect, it } from "vitest";
import { runModels } from "../../src/cli/commands/models.js";
import { runUpload, type UploadCommandArgs } from "../../src/upload/run.js";
import { TogetherApiError, uploadFile } from "../../src/upload/index.js";
import { STUB_API_KEY, STUB_SIGNATURE, TogetherStub, type StubOptions } from "../helpers/together-stub.js";
import { dataset, fakeLint, fastRetry, tmpFile } from "./helpers.js";

const MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
const HF_TOKEN = "hf_SECRETtokenABCDEFGHIJKLMNOP0123";
const WANDB = "wandb-SECRET-0123456789abcdef0123";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function stubWith(options: StubOptions = {}, host = "127.0.0.1"): Promise<TogetherStub> {
  const s = new TogetherStub(options);
  await new Promise<void>((r) => s.server.listen(0, host, r));
  s.origin = `http://${host}:${(s.server.address() as AddressInfo).port}`;
  closers.push(() => s.close());
  return s;
}

function sink() {
  const chunks: string[] = [];
  return { write: (s: string) => chunks.push(s), isTTY: false, text: () => chunks.join("") };
}

async function upload(args: UploadCommandArgs, env: Record<string, string | undefined>, o: { timeoutMs?: number; retries?: number } = {}) {
  const stdout = sink();
  const stderr = sink();
  const t0 = Date.now();
  const code = await runUpload(
    { ...(o.timeoutMs ? { timeout: o.timeoutMs / 1000 } : {}), ...args },
    {
      stdout,
      stderr,
      env,
      lintFn: fakeLint(),
      retry: fastRetry({ retries: o.retries ?? 1 }),
      pollIntervalMs: 1,
    },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text(), ms: Date.now() - t0 };
}

const secretsIn = (text: string) =>
  [STUB_API_KEY, STUB_SIGNATURE, HF_TOKEN, WANDB, "hunter2"].filter((s) => text.includes(s)).map((s) => s.slice(0, 6) + "…");

describe("every request is bounded in time (item 13)", () => {
  it("a silent POST /v1/files: time-out, bounded retries, exit 3", async () => {
    const stub = await stubWith({ faults: [{ route: "POST /files", action: { silent: true } }] });
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
      { timeoutMs: 300 },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Timed out waiting for the Together API/);
    expect(stub.on("POST /files")).toHaveLength(2);
    expect(r.ms).toBeLessThan(5000);
  });

  it("a silent status GET and a silent PUT are bounded too", async () => {
    const stub = await stubWith({ faults: [{ route: "GET /files/:id", action: { silent: true } }] });
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
      { timeoutMs: 300 },
    );
    expect(r.code).toBe(3);
    expect(stub.on("GET /files/:id")).toHaveLength(2);
    const put = await stubWith({ faults: [{ route: "PUT /upload", action: { silent: true } }] });
    const p = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: put.baseUrl },
      { timeoutMs: 300 },
    );
    expect(p.code).toBe(3);
    expect(p.stderr).toMatch(/Timed out waiting for the upload URL/);
    expect(put.on("PUT /upload")).toHaveLength(2);
  });

  it("the time-out survives garbage collections while waiting (the built library, node --expose-gc)", async () => {
    // AbortSignal.any([run, AbortSignal.timeout()]) lost its timer after a collection on Node 20.20: a request to a
    // silent server then hung for ever (the CLI always passes a run signal, for Ctrl-C). A child process collects every
    // 10 ms while the request waits.
    const stub = await stubWith({ faults: [{ route: "POST /files", action: { silent: true } }] });
    const lib = new URL("../../dist/index.js", import.meta.url).href;
    const script = `
      const { uploadFile } = await import(${JSON.stringify(lib)});
      setInterval(() => globalThis.gc(), 10).unref();
      const t0 = Date.now();
      try {
        await uploadFile(process.argv[1], { apiKey: ${JSON.stringify(STUB_API_KEY)}, baseUrl: process.argv[2], timeoutMs: 300, retry: { retries: 0 }, signal: new AbortController().signal });
        console.log("uploaded");
      } catch (e) { console.log(e.code, Date.now() - t0); }
      process.exit(0);`;
    const { spawn } = await import("node:child_process");
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--input-type=module", "-e", script, tmpFile("train.jsonl", dataset(3)), stub.baseUrl],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 8000);
    const code = await new Promise<number | null>((r) => child.on("close", r));
    clearTimeout(killer);
    expect(out).toMatch(/^timeout \d+/);
    expect(Number(out.split(" ")[1])).toBeLessThan(3000);
    expect(code).toBe(0);
  });

  it("models --refresh against a silent server: exit 3 within the time-out", async () => {
    const stub = await stubWith({ faults: [{ route: "GET /models", action: { silent: true } }] });
    const err: string[] = [];
    const t0 = Date.now();
    const code = await runModels(
      { refresh: true, "base-url": stub.baseUrl, "cache-file": join(mkdtempSync(join(tmpdir(), "tl-")), "m.json"), timeout: 0.3 },
      {
        stdout: () => undefined,
        stderr: (s) => void err.push(s),
        env: { TOGETHER_API_KEY: STUB_API_KEY },
        retry: fastRetry({ retries: 1 }),
      },
    );
    expect(code).toBe(3);
    expect(err.join("")).toMatch(/Timed out/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(stub.on("GET /models")).toHaveLength(2);
  });
});

describe("every response body is capped and time-boxed (item 14)", () => {
  it("an endless body on POST /v1/files and on the status GET: exit 3, memory flat", async () => {
    const stub = await stubWith({ faults: [{ route: "POST /files", action: { endless: true } }] });
    const before = process.memoryUsage().rss;
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
      { retries: 0 },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/larger than 8192 KiB/);
    const status = await stubWith({ faults: [{ route: "GET /files/:id", action: { endless: true } }] });
    const s = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: status.baseUrl },
      { retries: 0 },
    );
    expect(s.code).toBe(3);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });

  it("a trickling JSON answer is cut at the time-out", async () => {
    const stub = await stubWith({ faults: [{ route: "GET /files/:id", action: { trickle: true } }] });
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
      { timeoutMs: 400, retries: 0 },
    );
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(4000);
  });

  it("an endless or trickling PUT answer ends: the first bytes are kept, the answer is time-boxed", async () => {
    const stub = await stubWith({ faults: [{ route: "PUT /upload", times: 1, action: { endless: true, status: 500 } }] });
    const up = await uploadFile(tmpFile("train.jsonl", dataset(3)), { apiKey: STUB_API_KEY, baseUrl: stub.baseUrl, retry: fastRetry() });
    expect(stub.on("PUT /upload")).toHaveLength(2);
    expect(stub.uploaded(up.id)).not.toBeNull();
    const slow = await stubWith({ faults: [{ route: "PUT /upload", times: 1, action: { trickle: true, status: 200 } }] });
    const t0 = Date.now();
    const up2 = await uploadFile(tmpFile("train.jsonl", dataset(3)), {
      apiKey: STUB_API_KEY,
      baseUrl: slow.baseUrl,
      retry: fastRetry(),
      timeoutMs: 400,
    });
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(slow.on("PUT /upload")).toHaveLength(2);
    expect(slow.uploaded(up2.id)).not.toBeNull();
  });
});

describe("nothing secret leaves the uploader (item 18)", () => {
  const env = (s: TogetherStub) => ({ TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: s.baseUrl, HF_TOKEN, WANDB_API_KEY: WANDB });

  it("a server that echoes the key, the HF token and a wandb key in the job: redacted in text and JSON", async () => {
    const echo = { id: `ft-${STUB_API_KEY}`, status: "pending", wandb_key: WANDB, note: `hf ${HF_TOKEN}`, api_key: "whatever-it-is" };
    for (const format of ["json", "stylish"]) {
      const stub = await stubWith({
        processing: ["COMPLETED"],
        faults: [{ route: "POST /fine-tunes", action: { status: 200, body: echo } }],
      });
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true, format }, env(stub));
      expect(r.code).toBe(0);
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
      if (format === "json") {
        const doc = JSON.parse(r.stdout);
        expect(doc.job.wandb_key).toBe("<redacted>");
        expect(doc.job.api_key).toBe("<redacted>");
        expect(doc.job.id).toBe("ft-<redacted>");
      } else expect(r.stdout).toContain("Fine-tune job ft-<redacted> created");
    }
  });

  it("Together's validation report quoting the key: redacted in text and in error.validationReport", async () => {
    for (const format of ["json", "stylish"]) {
      const stub = await stubWith({
        processing: ["INVALID_FORMAT"],
        validationReport: {
          message: `bad line 1: Authorization ${STUB_API_KEY}`,
          token: HF_TOKEN,
          lines: [{ line: 2, hint: `wandb ${WANDB}` }],
        },
      });
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), format }, env(stub));
      expect(r.code).toBe(3);
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
      expect(r.stderr).toContain("bad line 1: Authorization <redacted>");
      if (format === "json") expect(JSON.parse(r.stdout).error.validationReport.token).toBe("<redacted>");
    }
  });

  it("malformed JSON quoting the key: the snippet is redacted before it is cut", async () => {
    const body = `{"id": "file-1", "echo": "${STUB_API_KEY}", "x": [`;
    for (const format of ["json", "stylish"]) {
      const stub = await stubWith({ faults: [{ route: "GET /files/:id", action: { status: 200, body } }] });
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), format }, env(stub));
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/malformed JSON/);
      // Not even a part of the key (V8's own JSON.parse message quotes a cut slice of the body).
      expect(r.stdout + r.stderr).not.toContain(STUB_API_KEY.slice(0, 11));
    }
  });

  it("a storage error body with bare signature values, and a base URL with a password", async () => {
    const xml = `<Error><Code>AccessDenied</Code><Message>denied sig=${STUB_SIGNATURE} X-Amz-Signature=${STUB_SIGNATURE}</Message></Error>`;
    const stub = await stubWith({ faults: [{ route: "PUT /upload", action: { status: 403, body: xml } }] });
    for (const format of ["json", "stylish"]) {
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), format }, env(stub));
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/AccessDenied/);
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
    }
    const pw = stub.baseUrl.replace("http://", "http://admin:hunter2@");
    for (const format of ["json", "stylish"]) {
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), format, baseUrl: pw }, env(stub));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/credentials in the URL/);
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
    }
  });
});

describe("answers that are not what they should be: exit 3 (item 22)", () => {
  const env = (s: TogetherStub) => ({ TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: s.baseUrl });
  it("malformed JSON from the API is an API failure", async () => {
    const stub = await stubWith({ faults: [{ route: "GET /fine-tunes/models/limits", action: { status: 200, body: "{not json" } }] });
    const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true }, env(stub));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/malformed JSON/);
  });

  for (const body of [[1, 2, 3], null, "COMPLETED", 42]) {
    it(`a status answer of ${JSON.stringify(body)} is an API failure, not "processed"`, async () => {
      const text = JSON.stringify(body);
      const stub = await stubWith({
        faults: [{ route: "GET /files/:id", action: { status: 200, body: text === "null" ? "null" : text } }],
      });
      const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), format: "json" }, env(stub));
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout);
      expect(doc.error.code).toBe("unexpected_response");
      expect(doc.files[0].status).not.toBe("COMPLETED");
      expect(r.stderr).not.toMatch(/processed by Together/);
    });
  }
});

describe("transport (item 26)", () => {
  const nonLoopback = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

  it("http:// to a host that is not loopback is refused before any request", async () => {
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)), baseUrl: "http://api.together.example/v1" },
      { TOGETHER_API_KEY: STUB_API_KEY },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain http to a host that is not loopback/);
    expect(r.stderr).toMatch(/--allow-http/);
  });

  it("models --refresh refuses a plain-http base URL to a host that is not loopback (exit 2, no request)", async () => {
    const err: string[] = [];
    const code = await runModels(
      { refresh: true, "base-url": "http://api.together.example/v1", "cache-file": join(mkdtempSync(join(tmpdir(), "tl-")), "m.json") },
      { stdout: () => undefined, stderr: (s) => void err.push(s), env: { TOGETHER_API_KEY: STUB_API_KEY }, retry: fastRetry() },
    );
    expect(code).toBe(2);
    expect(err.join("")).toMatch(/plain http to a host that is not loopback/);
  });

  it.skipIf(!nonLoopback)("--allow-http lets it through, with a warning", async () => {
    const stub = await stubWith({ processing: ["COMPLETED"] }, nonLoopback!);
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)), allowHttp: true },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: Together base URL .* is plain http/);
    expect(stub.on("PUT /upload")).toHaveLength(1);
    const refused = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
    );
    expect(refused.code).toBe(2);
  });

  it("a redirect of an API call is refused, and its target gets nothing", async () => {
    const other = await stubWith();
    const stub = await stubWith({ faults: [{ route: "GET /files/:id", action: { redirect: `${other.baseUrl}/files/x` } }] });
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/follows no redirect/);
    expect(other.requests).toHaveLength(0);
  });

  it("a redirect of the presigned PUT is refused; an upload URL in plain http to another host too", async () => {
    const other = await stubWith();
    const stub = await stubWith({ faults: [{ route: "PUT /upload", action: { redirect: `${other.origin}/upload/x` } }] });
    const err = (await uploadFile(tmpFile("train.jsonl", dataset(3)), {
      apiKey: STUB_API_KEY,
      baseUrl: stub.baseUrl,
      retry: fastRetry(),
    }).catch((e) => e)) as TogetherApiError;
    expect(err).toBeInstanceOf(TogetherApiError);
    expect(other.requests).toHaveLength(0);
    const plain = await stubWith({
      faults: [
        {
          route: "POST /files",
          action: { status: 302, headers: { Location: "http://storage.example/upload/f?sig=1", "X-Together-File-Id": "file-1" }, body: "" },
        },
      ],
    });
    const e2 = (await uploadFile(tmpFile("train.jsonl", dataset(3)), {
      apiKey: STUB_API_KEY,
      baseUrl: plain.baseUrl,
      retry: fastRetry(),
    }).catch((e) => e)) as TogetherApiError;
    expect(e2.message).toMatch(/plain http to a host that is not loopback/);
  });

  async function startProxy() {
    const seen: string[] = [];
    const server = createProxy(http.createServer());
    server.on("request", (req: http.IncomingMessage) => seen.push(`${req.method} ${req.url}`));
    server.on("connect", (req: http.IncomingMessage) => seen.push(`CONNECT ${req.url}`));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it("HTTP_PROXY routes every request (API and upload) through the proxy; NO_PROXY bypasses it", async () => {
    const proxy = await startProxy();
    const stub = await stubWith({ processing: ["COMPLETED"] });
    const env = { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: stub.baseUrl, HTTP_PROXY: proxy.url };
    const r = await upload({ file: tmpFile("train.jsonl", dataset(3)), model: MODEL, createJob: true }, env);
    expect(r.code).toBe(0);
    const routes = stub.requests.map((q) => q.route);
    expect(routes).toEqual(
      expect.arrayContaining(["POST /files", "PUT /upload", "GET /files/:id", "POST /fine-tunes/estimate-price", "POST /fine-tunes"]),
    );
    // The proxy saw each of them (absolute-URI requests for http targets).
    expect(proxy.seen.length).toBe(stub.requests.length);
    expect(proxy.seen.some((s) => s.startsWith(`PUT ${stub.origin}/upload/`))).toBe(true);
    expect(proxy.seen.every((s) => s.includes(stub.origin))).toBe(true);

    const before = proxy.seen.length;
    const direct = await upload({ file: tmpFile("train.jsonl", dataset(3)) }, { ...env, NO_PROXY: "127.0.0.1" });
    expect(direct.code).toBe(0);
    const lower = await upload({ file: tmpFile("train.jsonl", dataset(3)) }, { ...env, no_proxy: "localhost, 127.0.0.1" });
    expect(lower.code).toBe(0);
    expect(proxy.seen.length).toBe(before);
  });

  it("models --refresh goes through the proxy too", async () => {
    const proxy = await startProxy();
    const stub = await stubWith();
    const code = await runModels(
      { refresh: true, "base-url": stub.baseUrl, "cache-file": join(mkdtempSync(join(tmpdir(), "tl-")), "m.json") },
      {
        stdout: () => undefined,
        stderr: () => undefined,
        env: { TOGETHER_API_KEY: STUB_API_KEY, HTTP_PROXY: proxy.url },
        retry: fastRetry(),
      },
    );
    expect(code).toBe(0);
    expect(proxy.seen.some((s) => s === `GET ${stub.origin}/v1/models`)).toBe(true);
  });

  it("HTTPS_PROXY: an https target is reached through a CONNECT tunnel", async () => {
    const proxy = await startProxy();
    const stub = await stubWith();
    const https = stub.baseUrl.replace("http://", "https://");
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      { TOGETHER_API_KEY: STUB_API_KEY, TOGETHER_BASE_URL: https, HTTPS_PROXY: proxy.url },
      { retries: 0 },
    );
    // The stand-in speaks plain http, so the TLS handshake inside the tunnel fails: what matters is the tunnel.
    expect(r.code).toBe(3);
    expect(proxy.seen).toContain(`CONNECT ${new URL(https).host}`);
  });

  it("a proxy that is down is a network failure (exit 3), not a direct connection", async () => {
    const stub = await stubWith({ processing: ["COMPLETED"] });
    const r = await upload(
      { file: tmpFile("train.jsonl", dataset(3)) },
      {
        TOGETHER_API_KEY: STUB_API_KEY,
        TOGETHER_BASE_URL: stub.baseUrl,
        HTTPS_PROXY: "http://127.0.0.1:1",
        HTTP_PROXY: "http://127.0.0.1:1",
      },
    );
    expect(r.code).toBe(3);
    expect(stub.requests).toHaveLength(0);
  });
});
