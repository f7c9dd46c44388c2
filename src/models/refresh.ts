/**
 * Refreshing the model table from the Together API (`tunelint models --refresh`): writes the cache read by cache.ts.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PROFILES } from "../tokens/profiles.js";
import { defaultCacheFile, type ModelsCache } from "./cache.js";
import { BUILTIN_MODELS, inferFamily } from "./registry.js";
import type { ModelInfo } from "./types.js";

export class ModelsApiError extends Error {
  override name = "ModelsApiError";
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
  }
}

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
      const dpo = num(body.max_seq_length_dpo, body.lora_training?.max_seq_length_dpo, body.full_training?.max_seq_length_dpo) ?? sft;
      const b = builtinById.get(id);
      const fam = b ? { family: b.family, estimate: Boolean(b.estimate) } : inferFamily(id);
      results.push({
        id,
        family: fam.family,
        exact: Boolean(PROFILES[fam.family]?.exact) && !fam.estimate,
        sftMaxSeqLength: sft,
        dpoMaxSeqLength: dpo,
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
