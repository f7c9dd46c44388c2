/**
 * Looking a model id up: exact, case-sensitive (as the API demands), with the nearest known ids when it misses.
 */
import { suggestModels } from "./suggest.js";
import { listModels } from "./table.js";
import type { ModelInfo, RegistryOptions } from "./types.js";

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
