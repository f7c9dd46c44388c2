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
    expect(resolveModel("openai/gpt-oss-20b", none)).toMatchObject({ family: "gpt-oss", dpoMaxSeqLength: 8192 });
    expect(resolveModel("mistralai/Mixtral-8x7B-Instruct-v0.1", none).family).toBe("mistral-v1");
    expect(resolveModel("togethercomputer/llama-2-7b-chat", none)).toMatchObject({ family: "llama-2", exact: true, sftMaxSeqLength: 4096 });
  });
  it("every entry names a known family, unique ids, positive limits", () => {
    const ids = new Set<string>();
    for (const e of BUILTIN_MODELS) {
      expect(PROFILES[e.family], e.id).toBeDefined();
      expect(ids.has(e.id), e.id).toBe(false);
      ids.add(e.id);
      expect(e.sft).toBeGreaterThan(0);
      expect(e.dpo).toBeGreaterThan(0);
    }
  });
  it("models without their own tokenizer/template are flagged estimates", () => {
    for (const id of [
      "codellama/CodeLlama-7b-hf",
      "moonshotai/Kimi-K2-Instruct",
      "deepseek-ai/DeepSeek-V3.1",
      "Qwen/Qwen3-235B-A22B-Instruct-2507",
    ]) {
      expect(resolveModel(id, none).exact, id).toBe(false);
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
    expect(inferFamily("meta-llama/Llama-3.3-70B-Instruct-Turbo")).toEqual({ family: "llama-3.1", estimate: false });
    expect(inferFamily("Qwen/Qwen3-14B")).toEqual({ family: "qwen-3", estimate: false });
    expect(inferFamily("Qwen/Qwen3-Next-80B-A3B-Instruct").estimate).toBe(true);
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
