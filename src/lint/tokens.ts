/**
 * Bridge between the engine and src/tokens + src/models: resolves the model, loads its counter lazily
 * (no tokenizer code is even imported without --model) and fixes the limit.
 */
import type { TrainingMethod } from "../types.js";
import { UsageError } from "./config.js";
import type { TokenContext } from "./engine.js";

export interface TokenRequest {
  model: string;
  method: TrainingMethod;
  maxSeqLength?: number;
  tokenizer?: string;
  chatTemplate?: string;
}

export async function loadTokenContext(req: TokenRequest): Promise<TokenContext> {
  throw new UsageError(`Token budgets for --model ${req.model} are not available in this build yet.`);
}
