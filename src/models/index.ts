/**
 * Model registry: which models can be fine-tuned, their sequence limits (SFT / DPO) and tokenizer family.
 * A dated built-in table ships with the package; `refreshModels` pulls the live list from the Together API and caches
 * it on disk, and the cache wins when present. Cheap to import: never loads a tokenizer.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { PROFILES } from "../tokens/profiles.js";
import { BUILTIN_MODELS, REGISTRY_DATE, inferFamily, type RegistryEntry } from "./registry.js";

export { REGISTRY_DATE } from "./registry.js";
export { editDistance } from "../util/edit-distance.js";
import { editDistance } from "../util/edit-distance.js";

export interface ModelInfo {
  id: string;
  family: string;
  /** true when token counts are exact (the model's own tokenizer and chat template ship with tunelint). */
  exact: boolean;
  sftMaxSeqLength: number;
  dpoMaxSeqLength: number;
  aliases: string[];
  source: "builtin" | "cache" | "custom";
}

export interface RegistryOptions {
  /** Cache file to read (default: $XDG_CACHE_HOME/tunelint/models.json or ~/.cache/tunelint/models.json). */
  cacheFile?: string;
}

export class UnknownModelError extends Error {
  override name = "UnknownModelError";
  constructor(
    public readonly id: string,
    public readonly suggestions: string[],
    detail?: string,
  ) {
    super(
      detail ??
        (suggestions.length > 0
          ? `Unknown model "${id}". Did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}? (model ids must match exactly)`
          : `Unknown model "${id}". Run "tunelint models" for the list of fine-tunable models.`),
    );
  }
}

// ---- cache -------------------------------------------------------------------------------------------------------

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
    return { ...c, models: models.map((m) => ({ ...m, aliases: m.aliases ?? [], source: "cache" as const })) };
  } catch {
    return null;
  }
}

// ---- table ---------------------------------------------------------------------------------------------------------

function fromEntry(x: RegistryEntry): ModelInfo {
  const profile = PROFILES[x.family];
  return {
    id: x.id,
    family: x.family,
    exact: Boolean(profile?.exact) && !x.estimate,
    sftMaxSeqLength: x.sft,
    dpoMaxSeqLength: x.dpo,
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

/** Exact, case-sensitive lookup (as the API demands). Throws UnknownModelError with the nearest known ids. */
export function resolveModel(id: string, opts: RegistryOptions = {}): ModelInfo {
  const models = listModels(opts);
  const hit = models.find((m) => m.id === id);
  if (hit) return hit;
  const viaAlias = models.filter((m) => m.aliases.includes(id) || m.id.toLowerCase() === id.toLowerCase());
  if (viaAlias.length > 0) {
    const names = viaAlias.map((m) => m.id);
    throw new UnknownModelError(
      id,
      names,
      `Unknown model "${id}": Together's id for it is ${names.map((n) => `"${n}"`).join(" or ")} (model ids must match exactly).`,
    );
  }
  throw new UnknownModelError(id, suggestModels(id, models));
}

/** A model that is not in the registry, described by the user (own tokenizer/template and limits). */
export function customModel(id: string, limits: { sft: number; dpo?: number }, family = "generic"): ModelInfo {
  return {
    id,
    family,
    exact: false,
    sftMaxSeqLength: limits.sft,
    dpoMaxSeqLength: limits.dpo ?? limits.sft,
    aliases: [],
    source: "custom",
  };
}

// ---- suggestions -------------------------------------------------------------------------------------------------

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]/g, "");
const tail = (s: string) => s.slice(s.indexOf("/") + 1);

/** The known ids nearest to `id` (registry models, or any list of ids with optional aliases), best first. */
export function suggestModels(
  id: string,
  models: ReadonlyArray<Pick<ModelInfo, "id"> & { aliases?: string[] }> = listModels(),
  max = 3,
): string[] {
  // Compare whole ids when the query has a namespace, else the part after "/". Also try with "instruct" spelt "it"
  // (Gemma's suffix), and let a query that is a substring of a name count as close.
  const hasNs = id.includes("/");
  const forms = (s: string) => {
    const n = norm(hasNs ? s : tail(s));
    return n.includes("instruct") ? [n, n.replace(/instruct/g, "it")] : [n];
  };
  const qs = forms(id);
  const qTokens = wordsOf(id);
  const scored: Array<{ id: string; d: number }> = [];
  for (const m of models) {
    let best = Infinity;
    for (const name of [m.id, ...(m.aliases ?? [])]) {
      // Half spelling (edit distance, normalised), half vocabulary (shared words): "Llama-3.1-8B-Instruct" is closer to
      // "Meta-Llama-3.1-8B-Instruct-Reference" than to "Llama-3.2-3B-Instruct" although more letters differ.
      const t = wordsOf(name);
      const shared = [...t].filter((w) => qTokens.has(w)).length;
      const jaccard = shared / Math.max(1, new Set([...t, ...qTokens]).size);
      for (const nf of forms(name)) {
        for (const q of qs) {
          let d = editDistance(q, nf) / Math.max(q.length, nf.length, 1);
          if (q.length >= 4 && nf.includes(q)) d = Math.min(d, 0.2 + (nf.length - q.length) / (100 * nf.length));
          best = Math.min(best, 0.5 * d + 0.5 * (1 - jaccard));
        }
      }
    }
    scored.push({ id: m.id, d: best });
  }
  scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
  return scored
    .filter((s) => s.d <= 0.5)
    .slice(0, max)
    .map((s) => s.id);
}

const wordsOf = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .filter(Boolean),
  );

// ---- cache writing (the refresh itself talks to Together: src/upload/models-refresh.ts) ---------------------------

const positive = (...vs: unknown[]): number | null => {
  for (const v of vs) if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
  return null;
};

/** The fields of GET /fine-tunes/models/limits that the registry keeps. */
export interface LimitsAnswer {
  max_seq_length_sft?: unknown;
  max_seq_length_dpo?: unknown;
  max_seq_length?: unknown;
  lora_training?: { max_seq_length_sft?: unknown; max_seq_length_dpo?: unknown } | null;
  full_training?: { max_seq_length_sft?: unknown; max_seq_length_dpo?: unknown } | null;
}

/** A registry entry from Together's limits of `id`; null when they name no usable SFT sequence length. */
export function modelFromLimits(id: string, body: LimitsAnswer): ModelInfo | null {
  const sft = positive(body.max_seq_length_sft, body.lora_training?.max_seq_length_sft, body.full_training?.max_seq_length_sft, body.max_seq_length);
  if (sft === null) return null;
  const dpo = positive(body.max_seq_length_dpo, body.lora_training?.max_seq_length_dpo, body.full_training?.max_seq_length_dpo) ?? sft;
  const b = BUILTIN_MODELS.find((m) => m.id === id);
  const fam = b ? { family: b.family, estimate: Boolean(b.estimate) } : inferFamily(id);
  return {
    id,
    family: fam.family,
    exact: Boolean(PROFILES[fam.family]?.exact) && !fam.estimate,
    sftMaxSeqLength: sft,
    dpoMaxSeqLength: dpo,
    aliases: b?.aliases ?? [],
    source: "cache",
  };
}

/** The ids a refresh asks limits for, in order: every built-in id, then the chat/language/code models listed. */
export function refreshCandidates(listed: ReadonlyArray<{ id?: unknown; type?: unknown }>): string[] {
  const candidates = new Set<string>(BUILTIN_MODELS.map((m) => m.id));
  for (const m of listed) {
    if (typeof m?.id !== "string") continue;
    const type = typeof m.type === "string" ? m.type.toLowerCase() : "";
    if (type === "" || type === "chat" || type === "language" || type === "code") candidates.add(m.id);
  }
  return [...candidates];
}

/** Write the cache atomically (a temporary file renamed over it). Never holds a key: ModelInfo has none. */
export function writeCache(file: string, cache: ModelsCache): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache, null, 2) + "\n");
  renameSync(tmp, file);
}
