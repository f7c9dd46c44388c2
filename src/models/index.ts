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
  /**
   * true when token counts are exact: the model's own tokenizer and chat template ship with tunelint, or (hub) come
   * from its Hugging Face repository. A hub model whose files cannot be had is counted as an estimate at run time.
   */
  exact: boolean;
  /** The tokenizer and template come from the Hugging Face Hub (repository `hf`), cache first. */
  hub: boolean;
  /** Hugging Face repository of the model's tokenizer (the id itself unless the registry says otherwise). */
  hf: string;
  /** Tokens; null = not documented (give --max-seq-length, or refresh). */
  sftMaxSeqLength: number | null;
  dpoMaxSeqLength: number | null;
  /** false when the DPO limit is half the SFT one, not a documented value. */
  dpoDocumented: boolean;
  /** Date of the table the limits come from (built-in snapshot, or the refresh time). */
  listed: string;
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

export class ModelsApiError extends Error {
  override name = "ModelsApiError";
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
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

type CachedModel = Partial<ModelInfo> & Pick<ModelInfo, "id" | "family" | "sftMaxSeqLength" | "dpoMaxSeqLength">;

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
    // Caches written before the Hub support lack hub/hf/listed: derived from the family.
    return {
      ...c,
      models: models.map((m) => {
        const hub = typeof m.hub === "boolean" ? m.hub : Boolean(PROFILES[m.family]?.hubOnly);
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

// ---- table ---------------------------------------------------------------------------------------------------------

/** Whether a model of `family` loads its files from the Hub (`hub` from the table: the shipped ones are not its own). */
export function usesHub(family: string, hub?: boolean): boolean {
  return Boolean(hub) || Boolean(PROFILES[family]?.hubOnly) || !PROFILES[family];
}

function fromEntry(x: RegistryEntry): ModelInfo {
  const profile = PROFILES[x.family];
  const hub = usesHub(x.family, x.hub);
  return {
    id: x.id,
    family: x.family,
    exact: hub || Boolean(profile?.exact),
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

/**
 * A model that is not in the registry (bring your own model): its limits from the user, its tokenizer from the user's
 * files or from its Hugging Face repository (`id` as `org/name`).
 */
export function customModel(id: string, limits: { sft: number; dpo?: number }, family = "generic"): ModelInfo {
  return {
    id,
    family,
    exact: false,
    hub: true,
    hf: id,
    sftMaxSeqLength: limits.sft,
    dpoMaxSeqLength: limits.dpo ?? limits.sft,
    dpoDocumented: limits.dpo !== undefined,
    listed: "",
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

// ---- refresh -----------------------------------------------------------------------------------------------------

export const DEFAULT_BASE_URL = "https://api.together.xyz/v1";

export interface RefreshOptions {
  apiKey: string;
  baseUrl?: string;
  cacheFile?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Parallel limit requests (default 4; the free tier allows about 5 requests per second). */
  concurrency?: number;
}

interface LimitsResponse {
  max_seq_length_sft?: unknown;
  max_seq_length_dpo?: unknown;
  max_seq_length?: unknown;
  lora_training?: { max_seq_length_sft?: unknown; max_seq_length_dpo?: unknown } | null;
  full_training?: { max_seq_length_sft?: unknown; max_seq_length_dpo?: unknown } | null;
}

const num = (...vs: unknown[]): number | null => {
  for (const v of vs) if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
  return null;
};

async function apiMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string }; message?: string };
    return body?.error?.message ?? body?.message ?? res.statusText;
  } catch {
    return res.statusText;
  }
}

/**
 * Pulls the model list (`GET /models`) and each candidate's limits (`GET /fine-tunes/models/limits?model_name=ID`),
 * then writes the cache. Candidates: every built-in id plus every chat/language model the API lists; a model whose
 * limits request answers 4xx (other than 401/403/429) is not fine-tunable and is left out. The key is only ever put in
 * the Authorization header: never printed, logged, or written to the cache.
 */
export async function refreshModels(opts: RefreshOptions): Promise<{ fetchedAt: string; models: ModelInfo[] }> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const base = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const headers = { Authorization: `Bearer ${opts.apiKey}`, Accept: "application/json" };
  const get = async (path: string): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, { headers, signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) throw new ModelsApiError("request aborted");
        throw new ModelsApiError(`cannot reach ${base}: ${(e as Error).message}`);
      }
      if ((res.status === 429 || res.status >= 500) && attempt < 2) {
        const ra = Number(res.headers.get("retry-after"));
        await new Promise((r) => setTimeout(r, Number.isFinite(ra) && ra > 0 ? Math.min(ra, 10) * 1000 : 300 * 2 ** attempt));
        continue;
      }
      return res;
    }
  };

  const listRes = await get("/models");
  if (listRes.status === 401 || listRes.status === 403) {
    throw new ModelsApiError(`the API refused the key (${listRes.status}): ${await apiMessage(listRes)}`, listRes.status);
  }
  if (!listRes.ok) throw new ModelsApiError(`GET /models failed: ${listRes.status} ${await apiMessage(listRes)}`, listRes.status);
  let listed: Array<{ id?: unknown; type?: unknown }>;
  try {
    const body = (await listRes.json()) as unknown;
    listed = Array.isArray(body) ? body : Array.isArray((body as { data?: unknown })?.data) ? (body as { data: [] }).data : [];
  } catch {
    throw new ModelsApiError("GET /models returned invalid JSON");
  }
  const candidates = new Set<string>(BUILTIN_MODELS.map((m) => m.id));
  for (const m of listed) {
    if (typeof m?.id !== "string") continue;
    const type = typeof m.type === "string" ? m.type.toLowerCase() : "";
    if (type === "" || type === "chat" || type === "language" || type === "code") candidates.add(m.id);
  }

  const builtinById = new Map(BUILTIN_MODELS.map((m) => [m.id, m]));
  const today = new Date().toISOString().slice(0, 10);
  const results: ModelInfo[] = [];
  const queue = [...candidates];
  let fatal: ModelsApiError | null = null;
  const worker = async () => {
    while (queue.length > 0 && !fatal) {
      const id = queue.shift()!;
      const res = await get(`/fine-tunes/models/limits?model_name=${encodeURIComponent(id)}`);
      if (res.status === 401 || res.status === 403) {
        fatal = new ModelsApiError(`the API refused the key (${res.status}): ${await apiMessage(res)}`, res.status);
        return;
      }
      if (!res.ok) {
        if (res.status >= 500 || res.status === 429) {
          fatal = new ModelsApiError(`GET limits for ${id} failed: ${res.status} ${await apiMessage(res)}`, res.status);
          return;
        }
        await res.body?.cancel().catch(() => undefined);
        continue; // not fine-tunable
      }
      let body: LimitsResponse;
      try {
        body = (await res.json()) as LimitsResponse;
      } catch {
        continue;
      }
      const sft = num(
        body.max_seq_length_sft,
        body.lora_training?.max_seq_length_sft,
        body.full_training?.max_seq_length_sft,
        body.max_seq_length,
      );
      if (sft === null) continue;
      const dpoApi = num(body.max_seq_length_dpo, body.lora_training?.max_seq_length_dpo, body.full_training?.max_seq_length_dpo);
      const dpo = dpoApi ?? sft;
      const dpoDocumented = dpoApi !== null;
      const b = builtinById.get(id);
      const fam = b ? { family: b.family, hub: Boolean(b.hub) } : inferFamily(id);
      const hub = usesHub(fam.family, fam.hub);
      results.push({
        id,
        family: fam.family,
        exact: hub || Boolean(PROFILES[fam.family]?.exact),
        hub,
        hf: b?.hf ?? id,
        sftMaxSeqLength: sft,
        dpoMaxSeqLength: dpo,
        dpoDocumented: dpoDocumented,
        listed: today,
        aliases: b?.aliases ?? [],
        source: "cache",
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  if (fatal) throw fatal;
  if (results.length === 0) throw new ModelsApiError("the API reported no fine-tunable model; cache left unchanged");

  const order = new Map([...candidates].map((id, i) => [id, i]));
  results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const fetchedAt = new Date().toISOString();
  const file = opts.cacheFile ?? defaultCacheFile();
  const cache: ModelsCache = { version: 1, fetchedAt, baseUrl: base, models: results };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache, null, 2) + "\n");
  renameSync(tmp, file);
  return { fetchedAt, models: results };
}
