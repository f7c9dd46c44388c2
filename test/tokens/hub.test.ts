/**
 * Tokenizers from the Hugging Face Hub, through a loopback stand-in of the Hub (test/helpers/hub-stub.ts) serving
 * tunelint's own shipped tokenizer files under other repository names, and through hand-made caches in
 * huggingface_hub's layout. Never the network.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyVariant } from "../../src/tokens/tokenizer.js";
import { hubSettings, repoFolderName, resolveHubTokenizer, HubError } from "../../src/tokens/hub.js";
import { startHubStub, tunelintAsync, type HubStub } from "../helpers/hub-stub.js";
import { ROOT } from "../helpers/lint.js";

const DATA = `${ROOT}data/`;
const qwen3Json = gunzipSync(readFileSync(`${DATA}tokenizers/qwen3.json.gz`));
const llama31Json = Buffer.from(
  JSON.stringify(applyVariant(JSON.parse(gunzipSync(readFileSync(`${DATA}tokenizers/llama3.json.gz`)).toString("utf8")), "llama3.1")),
);
const qwen3Template = readFileSync(`${DATA}templates/qwen3.jinja`, "utf8");
const llama31Template = readFileSync(`${DATA}templates/llama3.1.jinja`, "utf8");
const COMMIT_A = "a".repeat(39) + "1";
const COMMIT_B = "b".repeat(39) + "2";
const COMMIT_C = "c".repeat(39) + "3";
const TOKEN = "hf_testtoken_SECRET_0123456789";

const DATA_LINES = [
  {
    messages: [
      { role: "user", content: "Hello there, how are you?" },
      { role: "assistant", content: "I am fine. 谢谢！" },
    ],
  },
  {
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "2+2?" },
      { role: "assistant", content: "<think>\nadd\n</think>\n\n4" },
    ],
  },
  {
    messages: [
      { role: "user", content: "Write code" },
      { role: "assistant", content: "```py\nprint('hi')\n```" },
    ],
  },
];

let hub: HubStub;
let dir: string;
let dataFile: string;

beforeAll(async () => {
  hub = await startHubStub({
    // a shipped tokenizer under another name: tokenizer.json by LFS redirect, template in tokenizer_config.json
    "acme/Qwen3-Clone": {
      commit: COMMIT_A,
      files: {
        "tokenizer.json": qwen3Json,
        "tokenizer_config.json": JSON.stringify({ bos_token: null, eos_token: "<|im_end|>", chat_template: qwen3Template }),
      },
      lfs: ["tokenizer.json"],
    },
    // Qwen 3.5 is a registry model whose family ships no tokenizer: served here with Qwen 3's files
    "Qwen/Qwen3.5-9B": {
      commit: COMMIT_C,
      files: {
        "tokenizer.json": qwen3Json,
        "tokenizer_config.json": JSON.stringify({ eos_token: "<|im_end|>" }),
        "chat_template.jinja": qwen3Template,
      },
      lfs: ["tokenizer.json"],
    },
    // gated: only TOKEN may read it; template in chat_template.jinja
    "gated/Llama-Clone": {
      commit: COMMIT_B,
      files: {
        "tokenizer.json": llama31Json,
        "tokenizer_config.json": JSON.stringify({ bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" }),
        "chat_template.jinja": llama31Template,
      },
      lfs: ["tokenizer.json"],
      token: TOKEN,
    },
  });
  dir = mkdtempSync(join(tmpdir(), "tunelint-hub-"));
  dataFile = join(dir, "data.jsonl");
  writeFileSync(dataFile, DATA_LINES.map((l) => JSON.stringify(l)).join("\n") + "\n");
});
afterAll(async () => {
  await hub?.close();
});

const freshCache = () => mkdtempSync(join(tmpdir(), "tunelint-hfcache-"));
const envFor = (cache: string, extra: Record<string, string | undefined> = {}) => ({
  HF_HUB_CACHE: cache,
  HF_HOME: join(cache, "home"),
  HF_ENDPOINT: hub.url,
  HF_TOKEN: undefined,
  HUGGING_FACE_HUB_TOKEN: undefined,
  HF_HUB_OFFLINE: undefined,
  TRANSFORMERS_OFFLINE: undefined,
  TUNELINT_MODELS_CACHE: join(cache, "no-models-cache.json"),
  ...extra,
});
const tokensOf = (stdout: string) => JSON.parse(stdout).files[0].stats.tokens;
const requestsSince = (n: number) => hub.seen.slice(n);

describe("hub settings (huggingface_hub's constants)", () => {
  it("cache dir: HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub", () => {
    expect(hubSettings({ HF_HUB_CACHE: "/c/hub", HF_HOME: "/h" }).cacheDir).toBe("/c/hub");
    expect(hubSettings({ HF_HOME: "/h" }).cacheDir).toBe("/h/hub");
    expect(hubSettings({ XDG_CACHE_HOME: "/x" }).cacheDir).toBe("/x/huggingface/hub");
    expect(hubSettings({}).cacheDir).toMatch(/\.cache\/huggingface\/hub$/);
  });
  it("offline, endpoint, token and time-outs", () => {
    for (const v of ["1", "ON", "yes", "TRUE"]) expect(hubSettings({ HF_HUB_OFFLINE: v }).offline).toBe(true);
    expect(hubSettings({ HF_HUB_OFFLINE: "0" }).offline).toBe(false);
    expect(hubSettings({ TRANSFORMERS_OFFLINE: "1" }).offline).toBe(true);
    expect(hubSettings({}).endpoint).toBe("https://huggingface.co");
    expect(hubSettings({ HF_ENDPOINT: "http://127.0.0.1:9/" }).endpoint).toBe("http://127.0.0.1:9");
    expect(hubSettings({ HF_TOKEN: " t1\n" })).toMatchObject({ token: "t1", tokenFrom: "HF_TOKEN" });
    expect(hubSettings({ HUGGING_FACE_HUB_TOKEN: "t2" })).toMatchObject({ token: "t2", tokenFrom: "HUGGING_FACE_HUB_TOKEN" });
    const home = freshCache();
    writeFileSync(join(home, "token"), "t3\n");
    expect(hubSettings({ HF_HOME: home })).toMatchObject({ token: "t3", tokenFrom: "token file" });
    expect(hubSettings({ HF_HUB_ETAG_TIMEOUT: "3", HF_HUB_DOWNLOAD_TIMEOUT: "4" })).toMatchObject({
      etagTimeoutMs: 3000,
      downloadTimeoutMs: 4000,
    });
    expect(repoFolderName("Qwen/Qwen3.5-9B")).toBe("models--Qwen--Qwen3.5-9B");
  });
});

describe("resolveHubTokenizer", () => {
  it("downloads into huggingface_hub's layout (refs, snapshots -> ../../blobs/<etag>, .no_exist), then reads the cache without a request", async () => {
    const cache = freshCache();
    const env = envFor(cache);
    const n0 = hub.seen.length;
    const a = await resolveHubTokenizer("acme/Qwen3-Clone", { env });
    expect(a).toMatchObject({ source: "hub", commit: COMMIT_A, revision: "main" });
    const storage = join(cache, "models--acme--Qwen3-Clone");
    expect(readFileSync(join(storage, "refs", "main"), "utf8")).toBe(COMMIT_A);
    const snap = join(storage, "snapshots", COMMIT_A);
    expect(lstatSync(join(snap, "tokenizer.json")).isSymbolicLink()).toBe(true);
    const sha = (await import("node:crypto")).createHash("sha256").update(qwen3Json).digest("hex");
    expect(readlinkSync(join(snap, "tokenizer.json"))).toBe(join("..", "..", "blobs", sha));
    expect(readFileSync(join(snap, "tokenizer.json")).equals(qwen3Json)).toBe(true);
    expect(lstatSync(join(snap, "tokenizer_config.json")).isSymbolicLink()).toBe(true);
    expect(existsSync(join(storage, ".no_exist", COMMIT_A, "chat_template.jinja"))).toBe(true);
    expect(existsSync(join(storage, ".no_exist", COMMIT_A, "chat_template.json"))).toBe(true);
    // LFS: the CDN got the download, never a token (none was set here)
    const reqs = requestsSince(n0);
    expect(reqs.some((r) => r.host === "cdn" && r.method === "GET")).toBe(true);
    expect(reqs.every((r) => r.auth === null)).toBe(true);
    // second time: the cache alone
    const n1 = hub.seen.length;
    const b = await resolveHubTokenizer("acme/Qwen3-Clone", { env });
    expect(b).toMatchObject({ source: "cache", commit: COMMIT_A, tokenizer: a.tokenizer });
    expect(hub.seen.length).toBe(n1);
  });
  it("a gated repo: 401 without a token names HF_TOKEN; the token goes to the Hub only, never to the CDN", async () => {
    const cache = freshCache();
    const e = await resolveHubTokenizer("gated/Llama-Clone", { env: envFor(cache) }).catch((x) => x);
    expect(e).toBeInstanceOf(HubError);
    expect(e.kind).toBe("auth");
    expect(e.message).toContain("HF_TOKEN");
    const e2 = await resolveHubTokenizer("gated/Llama-Clone", { env: envFor(cache, { HF_TOKEN: "hf_wrong" }) }).catch((x) => x);
    expect(e2.kind).toBe("auth");
    expect(e2.status).toBe(403);
    expect(e2.message).not.toContain("hf_wrong");
    const n0 = hub.seen.length;
    const ok = await resolveHubTokenizer("gated/Llama-Clone", { env: envFor(cache, { HF_TOKEN: TOKEN }) });
    expect(ok.source).toBe("hub");
    const reqs = requestsSince(n0);
    expect(reqs.filter((r) => r.host === "hub").every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(reqs.filter((r) => r.host === "cdn").length).toBeGreaterThan(0);
    expect(reqs.filter((r) => r.host === "cdn").every((r) => r.auth === null)).toBe(true);
  });
  it("HF_HUB_OFFLINE=1 sends nothing: a cache miss is an 'offline' error, a cache hit is used", async () => {
    const cache = freshCache();
    const n0 = hub.seen.length;
    const e = await resolveHubTokenizer("acme/Qwen3-Clone", { env: envFor(cache, { HF_HUB_OFFLINE: "1" }) }).catch((x) => x);
    expect(e.kind).toBe("offline");
    expect(hub.seen.length).toBe(n0);
    // an offline cache as Python left it: refs/main, the snapshot with tokenizer.json only (no markers)
    const storage = join(cache, "models--acme--Qwen3-Clone");
    mkdirSync(join(storage, "blobs"), { recursive: true });
    mkdirSync(join(storage, "refs"), { recursive: true });
    mkdirSync(join(storage, "snapshots", COMMIT_A), { recursive: true });
    writeFileSync(join(storage, "blobs", "deadbeef"), qwen3Json);
    symlinkSync("../../blobs/deadbeef", join(storage, "snapshots", COMMIT_A, "tokenizer.json"));
    writeFileSync(join(storage, "refs", "main"), COMMIT_A);
    const hit = await resolveHubTokenizer("acme/Qwen3-Clone", { env: envFor(cache, { HF_HUB_OFFLINE: "1" }) });
    expect(hit).toMatchObject({ source: "cache", commit: COMMIT_A, tokenizerConfig: null, chatTemplateJinja: null });
    expect(hub.seen.length).toBe(n0);
  });
  it("a repository the Hub does not know is not-found; an unreachable or silent Hub fails within its time-out", async () => {
    const e = await resolveHubTokenizer("acme/No-Such-Model", { env: envFor(freshCache()) }).catch((x) => x);
    expect(e.kind).toBe("not-found");
    const closed = await resolveHubTokenizer("acme/Qwen3-Clone", {
      env: envFor(freshCache(), { HF_ENDPOINT: "http://127.0.0.1:1" }),
    }).catch((x) => x);
    expect(closed.kind).toBe("unreachable");
    const silent = await startHubStub({}, { silent: true });
    try {
      const t0 = Date.now();
      const s = await resolveHubTokenizer("acme/Qwen3-Clone", {
        env: envFor(freshCache(), { HF_ENDPOINT: silent.url, HF_HUB_ETAG_TIMEOUT: "1" }),
      }).catch((x) => x);
      expect(s.kind).toBe("unreachable");
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });
});

describe("downloads are time-boxed, not cut", () => {
  const repo = { "acme/Slow": { commit: COMMIT_A, files: { "tokenizer.json": qwen3Json }, lfs: ["tokenizer.json"] } };
  it("a steady download longer than HF_HUB_DOWNLOAD_TIMEOUT completes (the time-out is per chunk)", async () => {
    const slow = await startHubStub(repo, { cdnChunkDelayMs: 400 });
    try {
      const t0 = Date.now();
      const r = await resolveHubTokenizer("acme/Slow", {
        env: envFor(freshCache(), { HF_ENDPOINT: slow.url, HF_HUB_DOWNLOAD_TIMEOUT: "1" }),
      });
      expect(Date.now() - t0).toBeGreaterThan(2000); // 8 chunks, 400 ms apart: longer than the 1 s time-out
      expect(readFileSync(r.tokenizer).equals(qwen3Json)).toBe(true);
    } finally {
      await slow.close();
    }
  });
  it("a stalled download fails after HF_HUB_DOWNLOAD_TIMEOUT without data, and leaves no blob", async () => {
    const stall = await startHubStub(repo, { cdnStall: true });
    try {
      const cache = freshCache();
      const t0 = Date.now();
      const e = await resolveHubTokenizer("acme/Slow", {
        env: envFor(cache, { HF_ENDPOINT: stall.url, HF_HUB_DOWNLOAD_TIMEOUT: "1" }),
      }).catch((x) => x);
      expect(e).toBeInstanceOf(HubError);
      expect(e.kind).toBe("unreachable");
      expect(e.message).toMatch(/stalled/);
      expect(Date.now() - t0).toBeLessThan(5000);
      const blobs = join(cache, "models--acme--Slow", "blobs");
      expect(existsSync(blobs) ? (await import("node:fs")).readdirSync(blobs) : []).toEqual([]);
    } finally {
      await stall.close();
    }
  });
  it("a Hub error (500) for a model you named is exit 3 (remote failure), with the status", async () => {
    const down = await startHubStub({ "acme/Down": { commit: COMMIT_A, files: {}, status: 500 } });
    try {
      const r = await tunelintAsync(["check", dataFile, "--model", "acme/Down", "--max-seq-length", "4096"], {
        env: envFor(freshCache(), { HF_ENDPOINT: down.url }),
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/HTTP 500/);
    } finally {
      await down.close();
    }
  });
});

describe("a bare mirror (no HEAD, no X-Repo-Commit / ETag / error codes)", () => {
  it("still fills the cache in huggingface_hub's layout (stable commit id, blobs by SHA-256) and counts exactly", async () => {
    const plain = await startHubStub(
      {
        "acme/Qwen3-Clone": {
          commit: COMMIT_A,
          files: {
            "tokenizer.json": qwen3Json,
            "tokenizer_config.json": JSON.stringify({ eos_token: "<|im_end|>", chat_template: qwen3Template }),
          },
        },
      },
      { plain: true },
    );
    try {
      const cache = freshCache();
      const env = envFor(cache, { HF_ENDPOINT: plain.url });
      const a = await resolveHubTokenizer("acme/Qwen3-Clone", { env });
      expect(a.source).toBe("hub");
      expect(a.commit).toMatch(/^[0-9a-f]{40}$/);
      const storage = join(cache, "models--acme--Qwen3-Clone");
      expect(readFileSync(join(storage, "refs", "main"), "utf8")).toBe(a.commit);
      const sha = (await import("node:crypto")).createHash("sha256").update(qwen3Json).digest("hex");
      expect(readlinkSync(join(storage, "snapshots", a.commit, "tokenizer.json"))).toBe(join("..", "..", "blobs", sha));
      expect(existsSync(join(storage, ".no_exist", a.commit, "chat_template.jinja"))).toBe(true);
      const n = plain.seen.length;
      expect((await resolveHubTokenizer("acme/Qwen3-Clone", { env })).source).toBe("cache");
      expect(plain.seen.length).toBe(n);
      const r = await tunelintAsync(["check", dataFile, "--model", "acme/Qwen3-Clone", "--max-seq-length", "4096", "-f", "json"], { env });
      const shipped = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3-8B", "-f", "json"], { env });
      expect(tokensOf(r.stdout)).toMatchObject({ exact: true, total: tokensOf(shipped.stdout).total });
      // a repository it does not have: a plain 404 on tokenizer.json is "not found", exit 2
      const miss = await tunelintAsync(["check", dataFile, "--model", "acme/Nope", "--max-seq-length", "4096"], { env });
      expect(miss.code).toBe(2);
      expect(miss.stderr).toMatch(/not found on the Hugging Face Hub/);
    } finally {
      await plain.close();
    }
  });
});

describe("tunelint check with Hub tokenizers", () => {
  it("a BYOM id with --max-seq-length counts exactly with the repo's tokenizer and template: the same totals as the shipped Qwen 3", async () => {
    const cache = freshCache();
    const env = envFor(cache);
    const shipped = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3-8B", "-f", "json"], { env });
    expect(shipped.code).toBe(0);
    const ts = tokensOf(shipped.stdout);
    expect(ts.tokenizer).toMatchObject({ source: "shipped" });
    const n0 = hub.seen.length;
    const r = await tunelintAsync(["check", dataFile, "--model", "acme/Qwen3-Clone", "--max-seq-length", "4096", "-f", "json"], { env });
    expect(r.code, r.stderr).toBe(0);
    const t = tokensOf(r.stdout);
    expect(t).toMatchObject({ exact: true, total: ts.total, max: ts.max, limit: 4096 });
    expect(t.tokenizer).toMatchObject({ source: "hub", repo: "acme/Qwen3-Clone", commit: COMMIT_A, template: "tokenizer_config.json" });
    expect(hub.seen.length).toBeGreaterThan(n0);
    // again: from the cache, no request
    const n1 = hub.seen.length;
    const again = await tunelintAsync(["check", dataFile, "--model", "acme/Qwen3-Clone", "--max-seq-length", "4096", "-f", "json"], {
      env,
    });
    expect(tokensOf(again.stdout)).toMatchObject({ total: ts.total, exact: true, tokenizer: { source: "cache" } });
    expect(hub.seen.length).toBe(n1);
    // the text report says so
    const text = await tunelintAsync(["check", dataFile, "--model", "acme/Qwen3-Clone", "--max-seq-length", "4096"], { env });
    expect(text.stderr + text.stdout).toMatch(/exact.*tokenizer of acme\/Qwen3-Clone@aaaaaaa from the Hugging Face cache/);
  });
  it("a registry model whose family ships no tokenizer (Qwen/Qwen3.5-9B) comes from the Hub, exact; HF_HUB_OFFLINE without a cache is an estimate that says why, and sends nothing", async () => {
    const cache = freshCache();
    const n0 = hub.seen.length;
    const off = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9B", "-f", "json"], {
      env: envFor(cache, { HF_HUB_OFFLINE: "1" }),
    });
    expect(off.code, off.stderr).toBe(0);
    expect(hub.seen.length).toBe(n0);
    const to = tokensOf(off.stdout);
    expect(to.exact).toBe(false);
    expect(to.tokenizer.source).toBe("shipped");
    expect(to.tokenizer.note).toContain("HF_HUB_OFFLINE");
    const on = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9B", "-f", "json"], { env: envFor(cache) });
    expect(on.code, on.stderr).toBe(0);
    expect(tokensOf(on.stdout)).toMatchObject({ exact: true, limit: 65536, tokenizer: { source: "hub", template: "chat_template.jinja" } });
    // and now offline works from that cache, still sending nothing
    const n1 = hub.seen.length;
    const off2 = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9B", "-f", "json"], {
      env: envFor(cache, { HF_HUB_OFFLINE: "1" }),
    });
    expect(tokensOf(off2.stdout)).toMatchObject({ exact: true, tokenizer: { source: "cache" } });
    expect(hub.seen.length).toBe(n1);
  });
  it("a shipped model sends no request at all", async () => {
    const n0 = hub.seen.length;
    const r = await tunelintAsync(["check", dataFile, "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "-f", "json"], {
      env: envFor(freshCache()),
    });
    expect(r.code).toBe(0);
    expect(tokensOf(r.stdout).tokenizer.source).toBe("shipped");
    expect(hub.seen.length).toBe(n0);
  });
  it("--tokenizer hf:org/name with a gated repo: exit 2 naming HF_TOKEN; with HF_TOKEN it counts and never prints the token", async () => {
    const cache = freshCache();
    const args = ["check", dataFile, "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "--tokenizer", "hf:gated/Llama-Clone"];
    const no = await tunelintAsync([...args, "-f", "json"], { env: envFor(cache) });
    expect(no.code).toBe(2);
    expect(no.stderr).toContain("HF_TOKEN");
    expect(no.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    const wrong = await tunelintAsync(args, { env: envFor(cache, { HF_TOKEN: "hf_wrong_value_42" }) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr + wrong.stdout).not.toContain("hf_wrong_value_42");
    const ok = await tunelintAsync([...args, "-f", "json"], { env: envFor(cache, { HF_TOKEN: TOKEN }) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(TOKEN);
    const shipped = await tunelintAsync(["check", dataFile, "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "-f", "json"], {
      env: envFor(cache),
    });
    expect(tokensOf(ok.stdout)).toMatchObject({
      exact: true,
      total: tokensOf(shipped.stdout).total,
      tokenizer: { source: "hub", repo: "gated/Llama-Clone" },
    });
  });
  it("a misspelt id: exit 2 with suggestions, fast; with --max-seq-length the Hub's 'not found' (or no Hub at all) still gives them", async () => {
    const env = envFor(freshCache());
    const n0 = hub.seen.length;
    const a = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9b-Instruct"], { env });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("Qwen/Qwen3.5-9B");
    expect(hub.seen.length).toBe(n0); // no --max-seq-length: not a BYOM request, the Hub is not asked
    const b = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9b-Instrct", "--max-seq-length", "8192"], { env });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/not found on the Hugging Face Hub/);
    expect(b.stderr).toContain('"Qwen/Qwen3.5-9B"');
    const c = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3.5-9b-Instrct", "--max-seq-length", "8192"], {
      env: { ...env, HF_ENDPOINT: "http://127.0.0.1:1" },
    });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/cannot reach the Hugging Face Hub/);
    expect(c.stderr).toContain('"Qwen/Qwen3.5-9B"');
    expect(c.ms).toBeLessThan(8000);
  });
  it("a vision model with no documented limit asks for --max-seq-length", async () => {
    const r = await tunelintAsync(["check", dataFile, "--model", "Qwen/Qwen3-VL-8B-Instruct"], {
      env: envFor(freshCache(), { HF_HUB_OFFLINE: "1" }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no sequence limit.*--max-seq-length/);
  });
});
