/**
 * Bridge between the engine and src/tokens + src/models: resolves the model, loads its counter lazily
 * (no tokenizer code is even imported without a model) and fixes the limits.
 */
import type { TrainingMethod, TrainOnInputs } from "../types.js";
import { UsageError } from "../errors.js";
import type { TokenContext } from "./file-linter.js";

export interface TokenRequest {
  model: string;
  /** The method asked for; undefined = by format (preference files use the DPO limit). */
  method?: TrainingMethod;
  maxSeqLength?: number;
  tokenizer?: string;
  chatTemplate?: string;
  /** Together's train_on_inputs: which tokens count as trained (default "auto"). */
  trainOnInputs?: TrainOnInputs;
}

export async function loadTokenContext(req: TokenRequest, options: { eager?: boolean } = {}): Promise<TokenContext> {
  const { resolveModel, customModel, UnknownModelError } = await import("../models/index.js");
  const { loadCounter, isExactCount, TokenizerLoadError, tokenizerVocabSize } = await import("../tokens/load.js");
  let model;
  try {
    model = resolveModel(req.model);
  } catch (e) {
    if (!(e instanceof UnknownModelError)) throw e;
    // A model tunelint doesn't know can still be counted exactly with the user's own tokenizer and template.
    if (req.tokenizer && req.maxSeqLength) model = customModel(req.model, { sft: req.maxSeqLength });
    else {
      const hint = req.tokenizer ? " (with --tokenizer, also give --max-seq-length for a model tunelint does not know)" : "";
      throw new UsageError(`${e.message}${hint}`);
    }
  }
  type Counter = Awaited<ReturnType<typeof loadCounter>>;
  const load = async (): Promise<Counter> => {
    try {
      return await loadCounter(model, {
        method: req.method,
        tokenizerPath: req.tokenizer,
        chatTemplatePath: req.chatTemplate,
        trainOnInputs: req.trainOnInputs,
      });
    } catch (e) {
      if (e instanceof TokenizerLoadError) throw new UsageError(e.message);
      throw e;
    }
  };
  // The main thread of a parallel check never counts: it loads no tokenizer unless a file is linted here
  // (tokenizers hold tens of MB each; worker threads load their own).
  let counter: Counter | null = options.eager ? await load() : null;
  let loading: Promise<Counter> | null = null;
  const exact = isExactCount(model, { tokenizerPath: req.tokenizer, chatTemplatePath: req.chatTemplate });
  // Special tokens are the model's own only with its own tokenizer (shipped for an exact family, or the user's file): a
  // stand-in tokenizer of an estimate would report another model's tokens as errors (templated-content still warns).
  const ownTokenizer = exact || Boolean(req.tokenizer);
  return {
    model: model.id,
    method: req.method ?? null,
    exact,
    sftLimit: req.maxSeqLength ?? model.sftMaxSeqLength,
    dpoLimit: req.maxSeqLength ?? model.dpoMaxSeqLength,
    async ready() {
      counter ??= await (loading ??= load());
    },
    count: (record, format) => {
      if (!counter) throw new Error("token counter used before ready()");
      return counter.count(record, format);
    },
    vocabSize: async () => {
      try {
        return await tokenizerVocabSize(model, { tokenizerPath: req.tokenizer });
      } catch (e) {
        if (e instanceof TokenizerLoadError) throw new UsageError(e.message);
        throw e;
      }
    },
    specialTokens: () => {
      if (!counter) throw new Error("token counter used before ready()");
      return ownTokenizer ? counter.specialTokens() : [];
    },
    dispose: () => {
      counter?.dispose();
      counter = null;
      loading = null;
    },
  };
}
