/** refreshModels and `tunelint models` against a stand-in Together API on 127.0.0.1. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveModel } from "../../src/models/index.js";
import { refreshModels, TogetherApiError } from "../../src/upload/index.js";
import { runModels } from "../../src/cli/commands/models.js";

const KEY = "test-key-SECRET-123";
const instant = { sleep: async () => undefined, random: () => 0.5 };
let server: Server;
let base: string;
let mode: "ok" | "401" | "500" | "429-once" = "ok";
let seen: Array<{ url: string; auth: string | undefined }> = [];
let limitCalls429 = 0;

const LIMITS: Record<string, { max_seq_length_sft: number; max_seq_length_dpo: number }> = {
  "Qwen/Qwen2.5-7B-Instruct": { max_seq_length_sft: 65536, max_seq_length_dpo: 32768 },
  "openai/gpt-oss-20b": { max_seq_length_sft: 24576, max_seq_length_dpo: 12288 },
  "acme/Brand-New-8B-Instruct": { max_seq_length_sft: 8192, max_seq_length_dpo: 4096 },
};

function handler(req: IncomingMessage, res: ServerResponse) {
  seen.push({ url: req.url ?? "", auth: req.headers.authorization });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  if (req.headers.authorization !== `Bearer ${KEY}` || mode === "401")
    return json(401, { error: { message: "Invalid API key", type: "auth" } });
  if (mode === "500") return json(500, { error: { message: "overloaded" } });
  const url = new URL(req.url ?? "/", "http://x");
  if (url.pathname === "/v1/models") {
    return json(200, [
      { id: "Qwen/Qwen2.5-7B-Instruct", type: "chat" },
      { id: "acme/Brand-New-8B-Instruct", type: "chat" },
      { id: "acme/embedder", type: "embedding" },
      { id: "acme/inference-only", type: "chat" },
    ]);
  }
  if (url.pathname === "/v1/fine-tunes/models/limits") {
    const name = url.searchParams.get("model_name") ?? "";
    if (mode === "429-once" && limitCalls429++ === 0) return json(429, { error: { message: "slow down" } }, { "retry-after": "0" });
    const l = LIMITS[name];
    if (!l) return json(400, { error: { message: `model not found: ${name}` } });
    return json(200, { ...l, max_batch_size: 8, min_batch_size: 1, supports_tools: true });
  }
  json(404, { error: { message: "not found" } });
}

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  mode = "ok";
  seen = [];
  limitCalls429 = 0;
});

const tmpCache = () => join(mkdtempSync(join(tmpdir(), "tunelint-refresh-")), "sub", "models.json");

describe("refreshModels", () => {
  it("fetches /models and the limits of each candidate, caches them with the date, and the cache is used", async () => {
    const cacheFile = tmpCache();
    const r = await refreshModels({ apiKey: KEY, baseUrl: base, cacheFile, retry: instant });
    expect(r.models.map((m) => m.id).sort()).toEqual(["Qwen/Qwen2.5-7B-Instruct", "acme/Brand-New-8B-Instruct", "openai/gpt-oss-20b"]);
    expect(Date.parse(r.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.every((s) => s.auth === `Bearer ${KEY}`)).toBe(true);
    expect(seen.some((s) => s.url.includes("model_name=acme%2Fembedder"))).toBe(false);
    const text = readFileSync(cacheFile, "utf8");
    expect(text).not.toContain(KEY);
    const cache = JSON.parse(text);
    expect(cache.fetchedAt).toBe(r.fetchedAt);
    expect(resolveModel("Qwen/Qwen2.5-7B-Instruct", { cacheFile })).toMatchObject({
      sftMaxSeqLength: 65536,
      dpoMaxSeqLength: 32768,
      source: "cache",
      exact: true,
    });
    // an id tunelint has no family for: its tokenizer from its Hugging Face repository
    expect(resolveModel("acme/Brand-New-8B-Instruct", { cacheFile })).toMatchObject({
      family: "generic",
      hub: true,
      hf: "acme/Brand-New-8B-Instruct",
      source: "cache",
    });
  });
  it("retries a 429 and goes on", async () => {
    mode = "429-once";
    const r = await refreshModels({ apiKey: KEY, baseUrl: base, cacheFile: tmpCache(), concurrency: 1, retry: instant });
    expect(r.models.length).toBe(3);
  });
  it("a refused key is a TogetherApiError and leaves no cache", async () => {
    const cacheFile = tmpCache();
    await expect(refreshModels({ apiKey: "wrong", baseUrl: base, cacheFile, retry: instant })).rejects.toBeInstanceOf(TogetherApiError);
    expect(() => readFileSync(cacheFile)).toThrow();
  });
  it("an unreachable server is a TogetherApiError", async () => {
    await expect(
      refreshModels({ apiKey: KEY, baseUrl: "http://127.0.0.1:1/v1", cacheFile: tmpCache(), retry: instant }),
    ).rejects.toBeInstanceOf(TogetherApiError);
  });
});

describe("tunelint models", () => {
  const io = (env: Record<string, string | undefined>) => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env, retry: instant } };
  };
  it("lists models with limits, family and exactness (text and json)", async () => {
    const cacheFile = tmpCache();
    const t = io({});
    expect(await runModels({ "cache-file": cacheFile }, t.io)).toBe(0);
    const text = t.out.join("");
    expect(text).toMatch(/meta-llama\/Meta-Llama-3\.1-8B-Instruct-Reference\s+131072\s+16384\s+llama-3\.1\s+exact/);
    expect(text).toMatch(/togethercomputer\/llama-2-7b-chat\s+4096\s+4096\s+llama-2\s+exact/);
    expect(text).toMatch(/codellama\/CodeLlama-7b-hf\s+16384\s+16384\s+llama-2\s+exact \(Hub\)/);
    expect(text).toMatch(/Qwen\/Qwen3-VL-8B-Instruct\s+-\s+-\s+qwen-3\s+exact \(Hub\)/);
    const j = io({});
    expect(await runModels({ "cache-file": cacheFile, format: "json" }, j.io)).toBe(0);
    const doc = JSON.parse(j.out.join(""));
    expect(doc.source).toBe("builtin");
    expect(doc.models.find((m: { id: string }) => m.id === "openai/gpt-oss-20b")).toMatchObject({
      sftMaxSeqLength: 24576,
      exact: true,
      hub: false,
    });
  });
  it("--refresh without TOGETHER_API_KEY exits 2 with a hint", async () => {
    const t = io({});
    expect(await runModels({ refresh: true, "cache-file": tmpCache(), "base-url": base }, t.io)).toBe(2);
    expect(t.err.join("")).toContain("TOGETHER_API_KEY");
    expect(seen.length).toBe(0);
  });
  it("--refresh uses TOGETHER_BASE_URL and the key, then lists the cached table", async () => {
    const cacheFile = tmpCache();
    const t = io({ TOGETHER_API_KEY: KEY, TOGETHER_BASE_URL: base });
    expect(await runModels({ refresh: true, "cache-file": cacheFile, format: "json" }, t.io)).toBe(0);
    const doc = JSON.parse(t.out.join(""));
    expect(doc.source).toBe("cache");
    expect(doc.models.find((m: { id: string }) => m.id === "Qwen/Qwen2.5-7B-Instruct").sftMaxSeqLength).toBe(65536);
    expect(t.out.join("") + t.err.join("")).not.toContain(KEY);
  });
  it("--refresh exits 3 when the API fails, without echoing the key", async () => {
    mode = "500";
    const t = io({ TOGETHER_API_KEY: KEY });
    expect(await runModels({ refresh: true, "cache-file": tmpCache(), "base-url": base }, t.io)).toBe(3);
    expect(t.err.join("")).toMatch(/500/);
    expect(t.err.join("")).not.toContain(KEY);
    mode = "401";
    const u = io({ TOGETHER_API_KEY: KEY });
    expect(await runModels({ refresh: true, "cache-file": tmpCache(), "base-url": base }, u.io)).toBe(3);
    expect(u.err.join("")).toMatch(/refused the key/);
  });
});

describe("modelsCommand under yargs", () => {
  it("runs through the CLI: exit code 2 without a key for --refresh", async () => {
    const { main } = await import("../../src/cli/main.js");
    const saved = { key: process.env.TOGETHER_API_KEY, code: process.exitCode };
    const writes: string[] = [];
    const origErr = process.stderr.write.bind(process.stderr);
    delete process.env.TOGETHER_API_KEY;
    process.stderr.write = ((s: string) => (writes.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main(["models", "--refresh", "--cache-file", tmpCache()])).toBe(2);
      expect(writes.join("")).toContain("TOGETHER_API_KEY");
    } finally {
      process.stderr.write = origErr;
      process.exitCode = saved.code;
      if (saved.key !== undefined) process.env.TOGETHER_API_KEY = saved.key;
    }
  });
});
