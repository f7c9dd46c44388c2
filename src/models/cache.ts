/**
 * The on-disk cache of the live model table (written by `models --refresh`). Reading it never fails a lint run.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { familyUsesHub } from "../tokens/profiles.js";
import type { ModelInfo } from "./types.js";

export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUNELINT_MODELS_CACHE) return env.TUNELINT_MODELS_CACHE;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0 ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "tunelint", "models.json");
}

export interface ModelsCache {
  version: 1;
  fetchedAt: string;
  baseUrl: string;
  models: ModelInfo[];
}

/** Reads the cache; null when absent or unreadable (a corrupt cache never breaks a lint run). */
export function readCache(file: string): ModelsCache | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const c = JSON.parse(text) as ModelsCache;
    if (c?.version !== 1 || !Array.isArray(c.models) || typeof c.fetchedAt !== "string") return null;
    const models = c.models.filter(
      (m) => m && typeof m.id === "string" && Number.isFinite(m.sftMaxSeqLength) && Number.isFinite(m.dpoMaxSeqLength),
    );
    // Caches written before the Hub support lack hub/hf/listed/dpoDocumented: derived from the family.
    return {
      ...c,
      models: models.map((m) => {
        const hub = typeof m.hub === "boolean" ? m.hub : familyUsesHub(m.family);
        return {
          ...m,
          hub,
          hf: typeof m.hf === "string" ? m.hf : m.id,
          exact: hub || Boolean(m.exact),
          dpoDocumented: m.dpoDocumented !== false,
          listed: typeof m.listed === "string" ? m.listed : c.fetchedAt.slice(0, 10),
          aliases: m.aliases ?? [],
          source: "cache" as const,
        };
      }),
    };
  } catch {
    return null;
  }
}

/** Writes the cache atomically (a temporary file renamed over it). ModelInfo holds no key, so neither does the cache. */
export function writeCache(file: string, cache: ModelsCache): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache, null, 2) + "\n");
  renameSync(tmp, file);
}
