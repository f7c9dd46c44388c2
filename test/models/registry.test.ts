import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  UnknownModelError,
  defaultCacheFile,
  editDistance,
  listModels,
  registryDate,
  resolveModel,
  REGISTRY_DATE,
} from "../../src/models/index.js";
import { BUILTIN_MODELS, inferFamily } from "../../src/models/registry.js";
import { PROFILES } from "../../src/tokens/profiles.js";

const none = { cacheFile: join(tmpdir(), "tunelint-no-such-cache", "models.json") };

describe("built-in registry", () => {
  it("resolves exact ids with limits and family", () => {
    const m = resolveModel("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", none);
    expect(m).toMatchObject({ family: "llama-3.1", exact: true, sftMaxSeqLength: 131072, dpoMaxSeqLength: 16384, source: "builtin" });
    expect(resolveModel("Qwen/Qwen2.5-7B-Instruct", none)).toMatchObject({ family: "qwen-2.5", exact: true, sftMaxSeqLength: 32768 });
    // Snapshot C (Aug 2026): gpt-oss-20b went to "24K" (24576); its DPO limit is then half, not documented
    expect(resolveModel("openai/gpt-oss-20b", none)).toMatchObject({
      family: "gpt-oss",
      sftMaxSeqLength: 24576,
      dpoMaxSeqLength: 12288,
      dpoDocumented: false,
    });
    expect(resolveModel("openai/gpt-oss-120b", none)).toMatchObject({
      sftMaxSeqLength: 16384,
      dpoMaxSeqLength: 8192,
      dpoDocumented: true,
      hub: false,
    });
    expect(resolveModel("mistralai/Mixtral-8x7B-Instruct-v0.1", none).family).toBe("mistral-v1");
    expect(resolveModel("togethercomputer/llama-2-7b-chat", none)).toMatchObject({ family: "llama-2", exact: true, sftMaxSeqLength: 4096 });
  });
  it("every entry names a known family, unique ids, positive limits (null only for the undocumented vision variants)", () => {
    const ids = new Set<string>();
    for (const e of BUILTIN_MODELS) {
      expect(PROFILES[e.family], e.id).toBeDefined();
      expect(ids.has(e.id), e.id).toBe(false);
      ids.add(e.id);
      if (e.sft === null) {
        expect(e.id, "only vision variants lack a documented limit").toMatch(/-VL-|-VLM$/);
        expect(e.dpo).toBeNull();
        continue;
      }
      expect(e.sft).toBeGreaterThan(0);
      expect(e.dpo).toBeGreaterThan(0);
      expect(e.dpo!).toBeLessThanOrEqual(e.sft);
      if (!e.dpoDocumented) expect(e.dpo).toBe(Math.floor(e.sft / 2));
    }
  });
  it("reflects Together's Aug 2026 catalogue (snapshot C): every id of it, with its SFT limit", () => {
    const C: Record<string, number> = {
      "Qwen/Qwen3.5-397B-A17B": 32768,
      "Qwen/Qwen3.5-122B-A10B": 65536,
      "moonshotai/Kimi-K2.5": 32768,
      "moonshotai/Kimi-K2-Thinking": 32768,
      "moonshotai/Kimi-K2-Instruct-0905": 32768,
      "moonshotai/Kimi-K2-Base": 32768,
      "zai-org/GLM-5.1": 50000,
      "zai-org/GLM-5": 50000,
      "zai-org/GLM-4.7": 128000,
      "zai-org/GLM-4.6": 128000,
      "openai/gpt-oss-120b": 16384,
      "openai/gpt-oss-20b": 24576,
      "deepseek-ai/DeepSeek-R1-0528": 131072,
      "deepseek-ai/DeepSeek-R1": 131072,
      "deepseek-ai/DeepSeek-V3.1": 131072,
      "deepseek-ai/DeepSeek-V3-0324": 131072,
      "deepseek-ai/DeepSeek-V3": 131072,
      "Qwen/Qwen3-235B-A22B": 40960,
      "Qwen/Qwen3-235B-A22B-Instruct-2507": 49152,
      "Qwen/Qwen3-Coder-480B-A35B-Instruct": 262144,
      "Qwen/Qwen3-Coder-30B-A3B-Instruct": 262144,
      "meta-llama/Llama-4-Maverick-17B-128E-Instruct": 16384,
      "meta-llama/Llama-4-Scout-17B-16E-Instruct": 65536,
      "meta-llama/Llama-3.3-70B-Instruct-Reference": 24576,
      "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference": 24576,
      "deepseek-ai/DeepSeek-R1-Distill-Llama-70B": 24576,
      "Qwen/Qwen2.5-72B-Instruct": 24576,
      "Qwen/Qwen3.5-27B": 32768,
      "Qwen/Qwen3.5-9B": 65536,
      "Qwen/Qwen3.5-35B-A3B": 65536,
      "Qwen/Qwen3.6-35B-A3B": 65536,
      "Qwen/Qwen3-32B": 40960,
      "Qwen/Qwen3-14B": 40960,
      "Qwen/Qwen3-8B": 40960,
      "Qwen/Qwen3-Next-80B-A3B-Instruct": 16384,
      "Qwen/Qwen3-30B-A3B": 8192,
      "Qwen/Qwen2.5-32B-Instruct": 32768,
      "Qwen/Qwen2.5-14B-Instruct": 32768,
      "Qwen/Qwen2.5-7B-Instruct": 32768,
      "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference": 131072,
      "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B": 65536,
      "nvidia/NVIDIA-Nemotron-Nano-9B-v2": 32768,
      "google/gemma-4-31B-it": 49152,
      "google/gemma-4-26B-A4B-it": 49152,
      "google/gemma-3-27b-it": 49152,
      "google/gemma-3-12b-it": 65536,
      "mistralai/Mixtral-8x7B-Instruct-v0.1": 32768,
      "mistralai/Mistral-7B-Instruct-v0.2": 32768,
      "Qwen/Qwen3.5-4B": 131072,
      "Qwen/Qwen3.5-2B": 131072,
      "Qwen/Qwen3.5-0.8B": 131072,
      "Qwen/Qwen3-4B": 40960,
      "Qwen/Qwen3-1.7B": 40960,
      "Qwen/Qwen3-0.6B": 40960,
      "meta-llama/Llama-3.2-3B-Instruct": 131072,
      "meta-llama/Llama-3.2-1B-Instruct": 131072,
      "google/gemma-3-4b-it": 131072,
      "google/gemma-3-1b-it": 32768,
      "google/gemma-3-270m-it": 32768,
      "Qwen/Qwen2.5-3B-Instruct": 32768,
      "Qwen/Qwen2.5-1.5B-Instruct": 32768,
      "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B": 131072,
      "meta-llama/Llama-3.3-70B-131k-Instruct-Reference": 131072,
      "meta-llama/Meta-Llama-3.1-8B-131k-Instruct-Reference": 131072,
      "meta-llama/Meta-Llama-3.1-70B-131k-Instruct-Reference": 131072,
    };
    for (const [id, sft] of Object.entries(C)) {
      expect(resolveModel(id, none), id).toMatchObject({ sftMaxSeqLength: sft, listed: "2026-06-03" });
    }
    for (const id of ["Qwen/Qwen3-VL-8B-Instruct", "Qwen/Qwen3-VL-30B-A3B-Instruct", "Qwen/Qwen3-VL-235B-A22B-Instruct"]) {
      expect(resolveModel(id, none), id).toMatchObject({ sftMaxSeqLength: null, hub: true });
    }
    expect(resolveModel("meta-llama/Llama-4-Scout-17B-16E-Instruct-VLM", none).hf).toBe("meta-llama/Llama-4-Scout-17B-16E-Instruct");
    // documented DPO values kept where SFT is unchanged (GLM-4.x: 64000), half otherwise
    expect(resolveModel("zai-org/GLM-4.7", none)).toMatchObject({ dpoMaxSeqLength: 64000, dpoDocumented: true });
    expect(resolveModel("zai-org/GLM-5.1", none)).toMatchObject({ dpoMaxSeqLength: 25000, dpoDocumented: false });
    // models only the older table lists stay, dated
    expect(resolveModel("codellama/CodeLlama-7b-hf", none)).toMatchObject({ listed: "2025-11-08", sftMaxSeqLength: 16384 });
  });
  it("models whose own tokenizer/template are not shipped load them from the Hub", () => {
    for (const id of [
      "codellama/CodeLlama-7b-hf",
      "moonshotai/Kimi-K2-Instruct",
      "deepseek-ai/DeepSeek-V3.1",
      "Qwen/Qwen3-235B-A22B-Instruct-2507",
      "Qwen/Qwen3.5-9B",
      "zai-org/GLM-5.1",
      "google/gemma-4-31B-it",
      "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
      "meta-llama/Llama-4-Scout-17B-16E-Instruct",
    ]) {
      expect(resolveModel(id, none), id).toMatchObject({ hub: true, exact: true });
    }
    for (const id of ["Qwen/Qwen3-8B", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "google/gemma-3-27b-it", "openai/gpt-oss-20b"]) {
      expect(resolveModel(id, none), id).toMatchObject({ hub: false, exact: true });
    }
  });
  it("ids match exactly (case and aliases are not accepted)", () => {
    expect(() => resolveModel("qwen/qwen2.5-7b-instruct", none)).toThrow(UnknownModelError);
    try {
      resolveModel("meta-llama/Llama-3.1-8B-Instruct", none);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownModelError);
      expect((e as UnknownModelError).suggestions).toEqual(["meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"]);
    }
  });
  it("misspelt ids name the nearest known ids", () => {
    const err = (id: string) => {
      try {
        resolveModel(id, none);
      } catch (e) {
        return e as UnknownModelError;
      }
      throw new Error("resolved");
    };
    const a = err("meta-llama/Llama-3.1-8B-Instrcut");
    expect(a.id).toBe("meta-llama/Llama-3.1-8B-Instrcut");
    expect(a.suggestions[0]).toBe("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    expect(a.message).toContain("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    expect(err("Qwen/Qwen2.5-7B-Instrct").suggestions[0]).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(err("openai/gpt-oss-20").suggestions[0]).toBe("openai/gpt-oss-20b");
    expect(err("google/gemma-3-4b-instruct").suggestions).toContain("google/gemma-3-4b-it");
    expect(err("totally/unrelated-thing").suggestions).toEqual([]);
  });
  it("editDistance counts transpositions as one edit", () => {
    expect(editDistance("instruct", "instrcut")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  it("infers families for ids the table does not know", () => {
    expect(inferFamily("meta-llama/Llama-3.3-70B-Instruct-Turbo")).toEqual({ family: "llama-3.1", hub: false });
    expect(inferFamily("Qwen/Qwen3-14B")).toEqual({ family: "qwen-3", hub: false });
    expect(inferFamily("Qwen/Qwen3-Next-80B-A3B-Instruct").hub).toBe(true);
    expect(inferFamily("Qwen/Qwen3.6-27B").family).toBe("qwen-3.5");
    expect(inferFamily("zai-org/GLM-5.2").family).toBe("glm");
    expect(inferFamily("moonshotai/Kimi-K2.6").family).toBe("kimi-k2");
    expect(inferFamily("acme/unknown").family).toBe("generic");
  });
});

describe("cache", () => {
  it("default location honours XDG_CACHE_HOME and an override", () => {
    expect(defaultCacheFile({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/tunelint/models.json");
    expect(defaultCacheFile({ HOME: "/home/u", XDG_CACHE_HOME: "" })).toMatch(/\.cache\/tunelint\/models\.json$/);
    expect(defaultCacheFile({ TUNELINT_MODELS_CACHE: "/tmp/m.json" })).toBe("/tmp/m.json");
  });
  it("the cached table wins over the built-in one, with its date", () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelint-cache-"));
    const cacheFile = join(dir, "models.json");
    writeFileSync(
      cacheFile,
      JSON.stringify({
        version: 1,
        fetchedAt: "2026-11-01T00:00:00.000Z",
        baseUrl: "http://127.0.0.1:1/v1",
        models: [
          {
            id: "Qwen/Qwen2.5-7B-Instruct",
            family: "qwen-2.5",
            exact: true,
            sftMaxSeqLength: 65536,
            dpoMaxSeqLength: 32768,
            aliases: [],
            source: "cache",
          },
          {
            id: "acme/New-Model-9B",
            family: "generic",
            exact: false,
            sftMaxSeqLength: 8192,
            dpoMaxSeqLength: 4096,
            aliases: [],
            source: "cache",
          },
        ],
      }),
    );
    expect(resolveModel("Qwen/Qwen2.5-7B-Instruct", { cacheFile })).toMatchObject({ sftMaxSeqLength: 65536, source: "cache" });
    expect(resolveModel("acme/New-Model-9B", { cacheFile }).source).toBe("cache");
    expect(resolveModel("openai/gpt-oss-20b", { cacheFile }).source).toBe("builtin");
    expect(registryDate({ cacheFile })).toEqual({ date: "2026-11-01T00:00:00.000Z", source: "cache" });
    expect(registryDate(none)).toEqual({ date: REGISTRY_DATE, source: "builtin" });
    expect(listModels({ cacheFile }).length).toBe(listModels(none).length + 1);
  });
  it("a corrupt cache is ignored", () => {
    const dir = mkdtempSync(join(tmpdir(), "tunelint-cache-"));
    const cacheFile = join(dir, "models.json");
    writeFileSync(cacheFile, "{not json");
    expect(resolveModel("openai/gpt-oss-20b", { cacheFile }).source).toBe("builtin");
  });
});
