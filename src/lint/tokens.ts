/**
 * Bridge between the engine and src/tokens + src/models: resolves the model, loads its counter lazily
 * (no tokenizer code is even imported without a model) and fixes the limits.
 */
import type { TrainingMethod } from "../types.js";
import { UsageError } from "./config.js";
import type { TokenContext } from "./engine.js";

export interface TokenRequest {
  model: string;
  /** The method asked for; undefined = by format (preference files use the DPO limit). */
  method?: TrainingMethod;
  maxSeqLength?: number;
  tokenizer?: string;
  chatTemplate?: string;
}

export async function loadTokenContext(req: TokenRequest): Promise<TokenContext> {
  const { resolveModel, customModel, UnknownModelError } = await import("../models/index.js");
  const { loadCounter, TokenizerLoadError } = await import("../tokens/index.js");
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
  let counter;
  try {
    counter = await loadCounter(model, { method: req.method, tokenizerPath: req.tokenizer, chatTemplatePath: req.chatTemplate });
  } catch (e) {
    if (e instanceof TokenizerLoadError) throw new UsageError(e.message);
    throw e;
  }
  return {
    model: model.id,
    method: req.method ?? null,
    exact: counter.exact,
    sftLimit: req.maxSeqLength ?? model.sftMaxSeqLength,
    dpoLimit: req.maxSeqLength ?? model.dpoMaxSeqLength,
    count: (record, format) => counter.count(record, format),
    dispose: () => counter.dispose(),
  };
}
