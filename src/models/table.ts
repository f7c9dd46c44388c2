/**
 * The model table in use: the built-in registry (registry.ts) with the on-disk cache (cache.ts) merged over it.
 */
import { familyIsExact, familyUsesHub } from "../tokens/profiles.js";
import { defaultCacheFile, readCache } from "./cache.js";
import { BUILTIN_MODELS, REGISTRY_DATE, type RegistryEntry } from "./registry.js";
import type { ModelInfo, RegistryOptions } from "./types.js";

/** Whether a model of `family` loads its files from the Hub (profiles.ts familyUsesHub). */
export const usesHub = familyUsesHub;

function fromEntry(x: RegistryEntry): ModelInfo {
  const hub = familyUsesHub(x.family, x.hub);
  return {
    id: x.id,
    family: x.family,
    exact: hub || familyIsExact(x.family),
    hub,
    hf: x.hf ?? x.id,
    sftMaxSeqLength: x.sft,
    dpoMaxSeqLength: x.dpo,
    dpoDocumented: x.dpoDocumented,
    listed: x.listed,
    aliases: x.aliases ?? [],
    source: "builtin",
  };
}

let builtinCache: ModelInfo[] | null = null;
function builtins(): ModelInfo[] {
  return (builtinCache ??= BUILTIN_MODELS.map(fromEntry));
}

/** Every known model: the cached table (when present) merged over the built-in one. */
export function listModels(opts: RegistryOptions = {}): ModelInfo[] {
  const cache = readCache(opts.cacheFile ?? defaultCacheFile());
  if (!cache) return builtins().map((m) => ({ ...m, aliases: [...m.aliases] }));
  const byId = new Map<string, ModelInfo>();
  for (const m of builtins()) byId.set(m.id, { ...m, aliases: [...m.aliases] });
  for (const m of cache.models) {
    const b = byId.get(m.id);
    byId.set(m.id, { ...m, aliases: b ? b.aliases : m.aliases, source: "cache" });
  }
  return [...byId.values()];
}

/** Date of the table in use: the cache's fetch time, or the built-in snapshot date. */
export function registryDate(opts: RegistryOptions = {}): { date: string; source: "builtin" | "cache" } {
  const cache = readCache(opts.cacheFile ?? defaultCacheFile());
  return cache ? { date: cache.fetchedAt, source: "cache" } : { date: REGISTRY_DATE, source: "builtin" };
}
