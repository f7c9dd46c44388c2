/**
 * `models --refresh`: the live model list and each candidate's limits, through the uploader's Together client (the
 * same key handling, time-outs, body caps, proxies, redirect refusal, retry policy and rate-limit pacing), written to
 * the registry's cache.
 */
import { defaultCacheFile, modelFromLimits, refreshCandidates, writeCache, type LimitsAnswer, type ModelInfo } from "../models/index.js";
import { TogetherClient, getClient, type TogetherClientOptions } from "./client.js";
import { TogetherApiError } from "./errors.js";

export interface RefreshOptions extends TogetherClientOptions {
  cacheFile?: string;
  /** Parallel limit requests (default 4; the free tier allows about 5 requests per second). */
  concurrency?: number;
}

/**
 * Pulls the model list (`GET /models`) and each candidate's limits (`GET /fine-tunes/models/limits?model_name=ID`),
 * then writes the cache. Candidates: every built-in id plus every chat/language model the API lists; a model whose
 * limits request answers 4xx (other than 401/403/429) is not fine-tunable and is left out. Remote failures throw
 * TogetherApiError (exit 3); the cache is left as it was.
 */
export async function refreshModels(opts: RefreshOptions = {}): Promise<{ fetchedAt: string; models: ModelInfo[]; baseUrl: string }> {
  const client: TogetherClient = getClient(opts);
  const body = await client.call<unknown>("list-models", "GET", "/models");
  const list = Array.isArray(body) ? body : Array.isArray((body as { data?: unknown })?.data) ? (body as { data: unknown[] }).data : null;
  if (!list) {
    throw new TogetherApiError({
      code: "unexpected_response",
      category: "server",
      retryable: false,
      step: "list-models",
      message: "Together answered GET /models with something that is not a list of models",
    });
  }
  const candidates = refreshCandidates(list as Array<{ id?: unknown; type?: unknown }>);
  const results = new Map<string, ModelInfo>();
  const queue = [...candidates];
  let fatal: unknown = null;
  const worker = async () => {
    while (queue.length > 0 && !fatal) {
      const id = queue.shift()!;
      try {
        const limits = await client.call<unknown>("limits", "GET", "/fine-tunes/models/limits", { query: { model_name: id } });
        if (!limits || typeof limits !== "object" || Array.isArray(limits)) continue;
        const m = modelFromLimits(id, limits as LimitsAnswer);
        if (m) results.set(id, m);
      } catch (e) {
        // A 4xx naming the model (400/404/422): not fine-tunable. Anything else stops the refresh.
        if (
          e instanceof TogetherApiError &&
          e.status !== undefined &&
          e.status >= 400 &&
          e.status < 500 &&
          ![401, 403, 429].includes(e.status)
        ) {
          continue;
        }
        fatal = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  if (fatal) throw fatal;
  if (results.size === 0) {
    throw new TogetherApiError({
      code: "unexpected_response",
      category: "server",
      retryable: false,
      step: "limits",
      message: "the API reported no fine-tunable model; cache left unchanged",
    });
  }
  const models = candidates.filter((id) => results.has(id)).map((id) => results.get(id)!);
  const fetchedAt = new Date().toISOString();
  writeCache(opts.cacheFile ?? defaultCacheFile(opts.env ?? process.env), { version: 1, fetchedAt, baseUrl: client.baseUrl, models });
  return { fetchedAt, models, baseUrl: client.baseUrl };
}
