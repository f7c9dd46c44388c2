/**
 * Model limits, fine-tune job creation, and "did you mean" model ids.
 */
import { suggestModels } from "../models/index.js";
import { getClient, type TogetherClient, type TogetherClientOptions } from "./client.js";
import { TogetherApiError, registerSecret } from "./errors.js";
import { plainApiFields } from "./job-options.js";
import type { CreateFineTuneOptions, CreateFineTuneResult, FineTuneJob, ModelLimits, PriceEstimate } from "./types.js";

/** The `limit` ids Together lists that are closest to `wanted` (the same suggestions as the model registry's). */
export function nearestModelIds(wanted: string, ids: string[], limit = 3): string[] {
  const candidates = [...new Set(ids)].filter((id) => id !== wanted).map((id) => ({ id }));
  return suggestModels(wanted, candidates, limit);
}

/** Model ids Together lists (GET /v1/models); an empty list when that fails. */
export async function listModelIds(options: TogetherClientOptions = {}): Promise<string[]> {
  const client = getClient(options);
  try {
    const data = await client.call<unknown>("list-models", "GET", "/models", {}, { retry: false });
    const list = Array.isArray(data) ? data : ((data as { data?: unknown[] })?.data ?? []);
    return list
      .map((m) => (typeof m === "string" ? m : ((m as { id?: string; name?: string })?.id ?? (m as { name?: string })?.name)))
      .filter((x): x is string => typeof x === "string");
  } catch {
    return [];
  }
}

async function withSuggestions(err: unknown, model: string, client: TogetherClient): Promise<unknown> {
  if (err instanceof TogetherApiError && err.code === "model_not_found") {
    const suggestions = nearestModelIds(model, await listModelIds({ client }));
    err.suggestions = suggestions;
    err.message = `Model "${model}" not found on Together${suggestions.length ? `; did you mean ${suggestions.join(", ")}?` : ""} (${err.message})`;
  }
  return err;
}

/** GET /v1/fine-tunes/models/limits?model_name=. A 404 (or a 400 naming the model) becomes model_not_found with suggestions. */
export async function getModelLimits(model: string, options: TogetherClientOptions = {}): Promise<ModelLimits> {
  const client = getClient(options);
  try {
    const limits = await client.call<unknown>("limits", "GET", "/fine-tunes/models/limits", { query: { model_name: model } });
    if (!limits || typeof limits !== "object" || Array.isArray(limits)) {
      throw new TogetherApiError({
        code: "unexpected_response",
        category: "server",
        retryable: false,
        step: "limits",
        message: `Together answered the limits of ${model} with something that is not an object`,
      });
    }
    return limits as ModelLimits;
  } catch (err) {
    if (err instanceof TogetherApiError && err.status === 404 && err.code === "not_found") {
      err.code = "model_not_found";
    }
    throw await withSuggestions(err, model, client);
  }
}

/** Problems with the requested options under the model's limits (empty when none). */
export function checkAgainstLimits(opts: CreateFineTuneOptions, limits: ModelLimits): string[] {
  const problems: string[] = [];
  const lora = opts.lora ?? true;
  const dpo = opts.method === "dpo";
  if (opts.epochs !== undefined && limits.max_num_epochs !== undefined && opts.epochs > limits.max_num_epochs) {
    problems.push(`--epochs ${opts.epochs} is above the model's maximum of ${limits.max_num_epochs}`);
  }
  if (opts.checkpoints !== undefined && limits.max_num_checkpoints !== undefined && opts.checkpoints > limits.max_num_checkpoints) {
    problems.push(`--checkpoints ${opts.checkpoints} is above the model's maximum of ${limits.max_num_checkpoints}`);
  }
  if (opts.evals !== undefined && limits.max_num_evals !== undefined && opts.evals > limits.max_num_evals) {
    problems.push(`--evals ${opts.evals} is above the model's maximum of ${limits.max_num_evals}`);
  }
  if (opts.learningRate !== undefined) {
    if (limits.min_learning_rate !== undefined && opts.learningRate < limits.min_learning_rate) {
      problems.push(`--learning-rate ${opts.learningRate} is below the model's minimum of ${limits.min_learning_rate}`);
    }
    if (limits.max_learning_rate !== undefined && opts.learningRate > limits.max_learning_rate) {
      problems.push(`--learning-rate ${opts.learningRate} is above the model's maximum of ${limits.max_learning_rate}`);
    }
  }
  if (!lora && limits.supports_full_training === false) {
    problems.push(`the model does not support full fine-tuning (use LoRA)`);
  }
  const batch = lora ? limits.lora_training : limits.full_training;
  if (typeof opts.batchSize === "number" && batch) {
    const max = dpo ? (batch.max_batch_size_dpo ?? batch.max_batch_size) : batch.max_batch_size;
    if (max !== undefined && opts.batchSize > max) problems.push(`--batch-size ${opts.batchSize} is above the model's maximum of ${max}`);
    if (batch.min_batch_size !== undefined && opts.batchSize < batch.min_batch_size) {
      problems.push(`--batch-size ${opts.batchSize} is below the model's minimum of ${batch.min_batch_size}`);
    }
  }
  if (opts.loraRank !== undefined && limits.lora_training?.max_rank !== undefined && opts.loraRank > limits.lora_training.max_rank) {
    problems.push(`--lora-rank ${opts.loraRank} is above the model's maximum of ${limits.lora_training.max_rank}`);
  }
  return problems;
}

export function buildFineTuneRequest(opts: CreateFineTuneOptions, limits?: ModelLimits | null): Record<string, unknown> {
  const body: Record<string, unknown> = { training_file: opts.trainingFile, model: opts.model };
  if (opts.validationFile) body.validation_file = opts.validationFile;
  Object.assign(body, plainApiFields(opts));
  if (opts.wandbApiKey !== undefined) {
    registerSecret(opts.wandbApiKey);
    body.wandb_api_key = opts.wandbApiKey;
  }
  if (opts.lora === false) body.training_type = { type: "Full" };
  else {
    // LoRA by default, as Together's own CLI does: rank from the option, else the model's maximum, else 8.
    const r = opts.loraRank ?? limits?.lora_training?.max_rank ?? 8;
    body.training_type = { type: "Lora", lora_r: r, lora_alpha: r * 2, lora_dropout: 0, lora_trainable_modules: "all-linear" };
  }
  const method = opts.method ?? "sft";
  body.training_method = method === "sft" ? { method: "sft", train_on_inputs: opts.trainOnInputs ?? "auto" } : { method: "dpo" };
  return { ...body, ...(opts.extra ?? {}) };
}

/** The fields of a job request that POST /v1/fine-tunes/estimate-price reads. */
const ESTIMATE_FIELDS = ["training_file", "validation_file", "model", "n_epochs", "n_evals", "training_method", "training_type"];

/**
 * POST /v1/fine-tunes/estimate-price for the job `opts` describes (the files must be uploaded). Resolves with
 * Together's estimate; an answer that is not an object is an API failure.
 */
export async function estimatePrice(opts: CreateFineTuneOptions, limits?: ModelLimits | null): Promise<PriceEstimate> {
  const client = getClient(opts);
  const request = buildFineTuneRequest(opts, limits);
  const body = Object.fromEntries(Object.entries(request).filter(([k]) => ESTIMATE_FIELDS.includes(k)));
  const a = await client.call<unknown>("estimate-price", "POST", "/fine-tunes/estimate-price", { json: body });
  if (!a || typeof a !== "object" || Array.isArray(a)) {
    throw new TogetherApiError({
      code: "unexpected_response",
      category: "server",
      retryable: false,
      step: "estimate-price",
      message: "Together answered the price estimate with something that is not an object",
    });
  }
  const r = a as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const available = r.estimation_available !== false;
  return {
    available,
    ...(typeof r.unavailable_reason === "string" ? { unavailableReason: r.unavailable_reason } : {}),
    ...(typeof r.allowed_to_proceed === "boolean" ? { allowedToProceed: r.allowed_to_proceed } : {}),
    ...(num(r.estimated_total_price) !== undefined ? { totalPrice: num(r.estimated_total_price) } : {}),
    ...(num(r.estimated_train_token_count) !== undefined ? { trainTokens: num(r.estimated_train_token_count) } : {}),
    ...(num(r.estimated_eval_token_count) !== undefined ? { evalTokens: num(r.estimated_eval_token_count) } : {}),
    ...(num(r.user_limit) !== undefined ? { userLimit: num(r.user_limit) } : {}),
  };
}

/**
 * Check the model's limits, then POST /v1/fine-tunes. After an ambiguous failure (a 5xx or a dropped connection:
 * the job may exist) it looks for a job with the same training file and model created since it started before
 * retrying, so a retry never starts a second paid job.
 */
export async function createFineTune(options: CreateFineTuneOptions): Promise<CreateFineTuneResult> {
  const client = getClient(options);
  let limits: ModelLimits | null = options.limits ?? null;
  if (!limits && options.checkLimits !== false) limits = await getModelLimits(options.model, { client });
  if (limits) {
    const problems = checkAgainstLimits(options, limits);
    if (problems.length) {
      throw new TogetherApiError({
        code: "invalid_request",
        category: "validation",
        retryable: false,
        step: "limits",
        message: `The job does not fit ${options.model}'s limits: ${problems.join("; ")}`,
      });
    }
  }
  const request = buildFineTuneRequest(options, limits);
  const startedAt = Date.now();
  const findCreated = async (err: TogetherApiError): Promise<FineTuneJob | undefined> => {
    if (err.category !== "network" && !(err.status !== undefined && err.status >= 500)) return undefined;
    try {
      const list = await client.call<unknown>("list-jobs", "GET", "/fine-tunes", {}, { retry: false });
      const jobs = (Array.isArray(list) ? list : ((list as { data?: unknown[] })?.data ?? [])) as Array<Record<string, unknown>>;
      const match = jobs.find((j) => {
        if (j.training_file !== options.trainingFile || j.model !== options.model) return false;
        const created = typeof j.created_at === "string" ? Date.parse(j.created_at) : Number(j.created_at) * 1000;
        return Number.isNaN(created) || created >= startedAt - 5 * 60_000;
      });
      return match ? (match as FineTuneJob) : undefined;
    } catch {
      return undefined;
    }
  };
  let job: FineTuneJob;
  try {
    job = (await client.call<unknown>("create-job", "POST", "/fine-tunes", { json: request }, { beforeRetry: findCreated })) as FineTuneJob;
  } catch (err) {
    throw await withSuggestions(err, options.model, client);
  }
  if (!job || typeof job.id !== "string") {
    throw new TogetherApiError({
      code: "unexpected_response",
      category: "server",
      retryable: false,
      step: "create-job",
      message: "Together accepted the job but sent no job id",
    });
  }
  const { wandb_api_key: _omit, ...shown } = request;
  return { job, limits, request: shown };
}
