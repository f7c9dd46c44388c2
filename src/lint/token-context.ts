/**
 * Bridge between the engine and src/tokens + src/models: resolves the model, finds its tokenizer (shipped, the
 * Hugging Face cache or Hub, or the user's file), loads its counter lazily (no tokenizer code is even imported without
 * a model) and fixes the limits.
 */
import type { TokenizerOrigin, TrainingMethod, TrainOnInputs } from "../types.js";
import { UsageError } from "../errors.js";
import type { TokenContext } from "./file-linter.js";
import type { SharedTokenizer } from "../tokens/load.js";

export interface TokenRequest {
  model: string;
  /** The method asked for; undefined = by format (preference files use the DPO limit). */
  method?: TrainingMethod;
  maxSeqLength?: number;
  /** A tokenizer.json (or .json.gz) path, or `hf:org/name[@revision]` (a Hugging Face repository). */
  tokenizer?: string;
  chatTemplate?: string;
  /** Environment for the Hugging Face settings (HF_HUB_CACHE, HF_HOME, HF_HUB_OFFLINE, HF_ENDPOINT, HF_TOKEN...). */
  env?: NodeJS.ProcessEnv;
  /** Together's train_on_inputs: which tokens count as trained (default "auto"). */
  trainOnInputs?: TrainOnInputs;
}

/** A Hub failure that is the remote's fault (5xx, 429, not a Hub answer): exit 3 in the CLI. */
export class HubRemoteError extends Error {
  override name = "HubRemoteError";
  readonly exitCode = 3;
}

/**
 * `eager`: load the counter now (else on `ready()`). `shared`: the tokenizer tables the main thread built
 * (`TokenContext.sharedTables()`), so that a worker thread neither reads the tokenizer file nor builds its tables.
 */
export async function loadTokenContext(
  req: TokenRequest,
  options: { eager?: boolean; shared?: SharedTokenizer | null } = {},
): Promise<TokenContext> {
  const { resolveModel, customModel, suggestModels, UnknownModelError } = await import("../models/index.js");
  const { loadCounter, isExactCount, readTokenizerConfig, TokenizerLoadError, tokenizerVocabSize } = await import("../tokens/load.js");
  const { parseHubSpec, resolveHubTokenizer, isRepoId, HubError } = await import("../tokens/hub.js");
  const hubSpec = req.tokenizer ? parseHubSpec(req.tokenizer) : null;
  const tokenizerFile = req.tokenizer && !hubSpec ? req.tokenizer : undefined;
  let model;
  try {
    model = resolveModel(req.model);
  } catch (e) {
    if (!(e instanceof UnknownModelError)) throw e;
    // A model tunelint doesn't know (bring your own model): its limit from --max-seq-length, its tokenizer from the
    // user's file or from its Hugging Face repository.
    const byom = req.maxSeqLength !== undefined && (req.tokenizer !== undefined || isRepoId(req.model));
    if (byom) model = customModel(req.model, { sft: req.maxSeqLength! });
    else {
      const hint =
        req.maxSeqLength === undefined && isRepoId(req.model) && req.model.includes("/")
          ? " To count a Hugging Face model tunelint does not list (bring your own model), also give --max-seq-length."
          : req.tokenizer
            ? " (with --tokenizer, also give --max-seq-length for a model tunelint does not know)"
            : "";
      throw new UsageError(`${e.message}${hint}`);
    }
  }
  const sftLimit = req.maxSeqLength ?? model.sftMaxSeqLength;
  const dpoLimit = req.maxSeqLength ?? model.dpoMaxSeqLength;
  if (sftLimit === null || dpoLimit === null) {
    throw new UsageError(
      `Together documents no sequence limit for "${model.id}" (in the table of ${model.listed}): give --max-seq-length, or run "tunelint models --refresh" to read the live limit.`,
    );
  }

  // Where the tokenizer comes from.
  let origin: TokenizerOrigin;
  let files: { tokenizerPath?: string; chatTemplatePath?: string; tokenizerConfigPath?: string } = {
    tokenizerPath: tokenizerFile,
    chatTemplatePath: req.chatTemplate,
  };
  let exact: boolean;
  const hubRepo = hubSpec ?? (tokenizerFile ? null : model.hub ? { repo: model.hf, revision: "main" } : null);
  if (tokenizerFile) {
    origin = { source: "file", path: tokenizerFile, template: req.chatTemplate ?? null };
    exact = isExactCount(model, files);
  } else if (hubRepo) {
    try {
      const h = await resolveHubTokenizer(hubRepo.repo, { revision: hubRepo.revision, env: req.env });
      // transformers: chat_template.jinja, else chat_template.json, else tokenizer_config.json's chat_template
      let template: string | null = null;
      let templatePath: string | undefined;
      if (req.chatTemplate) {
        templatePath = req.chatTemplate;
        template = req.chatTemplate;
      } else if (h.chatTemplateJinja) {
        templatePath = h.chatTemplateJinja;
        template = "chat_template.jinja";
      } else if (h.chatTemplateJson) {
        templatePath = h.chatTemplateJson;
        template = "chat_template.json";
      } else if (h.tokenizerConfig) {
        try {
          if (readTokenizerConfig(h.tokenizerConfig).chatTemplate !== undefined) {
            templatePath = h.tokenizerConfig;
            template = "tokenizer_config.json";
          }
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      files = { tokenizerPath: h.tokenizer, chatTemplatePath: templatePath, tokenizerConfigPath: h.tokenizerConfig ?? undefined };
      origin = { source: h.source, repo: h.repo, revision: h.revision, commit: h.commit, path: h.tokenizer, template };
      exact = templatePath !== undefined;
      if (!exact) {
        origin.note = `${h.repo} has no chat template: conversations are rendered with the ${model.family} family's template (estimate); prompt/completion and text counts are exact`;
      }
    } catch (e) {
      if (!(e instanceof HubError)) throw e;
      const explicit = hubSpec !== null || model.source === "custom";
      if (e.kind === "auth") throw new UsageError(`Cannot load the tokenizer of ${model.id}: ${e.message}.`);
      if (explicit || e.kind === "too-large") {
        const sugg = model.source === "custom" ? suggestModels(model.id) : [];
        const did = sugg.length ? ` Did you mean ${sugg.map((x) => `"${x}"`).join(", ")}? (Together model ids)` : "";
        if (e.kind === "remote") throw new HubRemoteError(`Cannot load the tokenizer of ${model.id}: ${e.message}.`);
        throw new UsageError(`Cannot load the tokenizer of ${model.id}: ${e.message}.${did}`);
      }
      // A listed model whose files cannot be had now: the family's shipped files, as an estimate that says why.
      origin = {
        source: "shipped",
        template: "shipped",
        note: `${e.message}; counted with the ${model.family} family's shipped tokenizer and template`,
      };
      files = {};
      exact = false;
    }
  } else {
    origin = { source: "shipped", template: req.chatTemplate ?? "shipped" };
    exact = isExactCount(model, files);
  }

  type Counter = Awaited<ReturnType<typeof loadCounter>>;
  const load = async (): Promise<Counter> => {
    try {
      return await loadCounter(model, { method: req.method, ...files, trainOnInputs: req.trainOnInputs, shared: options.shared });
    } catch (e) {
      if (e instanceof TokenizerLoadError) throw new UsageError(e.message);
      throw e;
    }
  };
  // Loaded on ready() (or sharedTables(): a parallel check's main thread loads the tables once and shares them with
  // its workers, which then load the counter over them without reading the tokenizer file).
  let counter: Counter | null = options.eager ? await load() : null;
  let loading: Promise<Counter> | null = null;
  // Special tokens are the model's own only with its own tokenizer (shipped for an exact family, the Hub's, or the
  // user's file): a stand-in tokenizer of an estimate would report another model's tokens as errors (templated-content
  // still warns).
  const ownTokenizer = exact || Boolean(files.tokenizerPath);
  return {
    model: model.id,
    method: req.method ?? null,
    exact,
    tokenizer: origin,
    sftLimit,
    dpoLimit,
    async ready() {
      counter ??= await (loading ??= load());
    },
    count: (record, format) => {
      if (!counter) throw new Error("token counter used before ready()");
      return counter.count(record, format);
    },
    addedTokens: () => {
      if (!counter) throw new Error("token counter used before ready()");
      return counter.addedTokens();
    },
    vocabSize: async () => {
      try {
        return await tokenizerVocabSize(model, { tokenizerPath: files.tokenizerPath });
      } catch (e) {
        if (e instanceof TokenizerLoadError) throw new UsageError(e.message);
        throw e;
      }
    },
    specialTokens: () => {
      if (!counter) throw new Error("token counter used before ready()");
      return ownTokenizer ? counter.specialTokens() : [];
    },
    async sharedTables() {
      counter ??= await (loading ??= load());
      return counter.sharedTables();
    },
    dispose: () => {
      counter?.dispose();
      counter = null;
      loading = null;
    },
  };
}
