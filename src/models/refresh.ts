/**
 * The model table from Together's answers, for `tunelint models --refresh` (the requests themselves go through the
 * uploader's Together client: src/upload/models-refresh.ts; the cache is written by cache.ts). Pure: no I/O here.
 */
import { familyIsExact, familyUsesHub } from "../tokens/profiles.js";
import { BUILTIN_MODELS, inferFamily } from "./registry.js";
import type { ModelInfo } from "./types.js";

/** The fields of GET /fine-tunes/models/limits that the registry keeps. */
export interface LimitsAnswer {
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

/** A table entry from Together's limits of `id`; null when they name no usable SFT sequence length. */
export function modelFromLimits(id: string, body: LimitsAnswer): ModelInfo | null {
  const sft = num(
    body.max_seq_length_sft,
    body.lora_training?.max_seq_length_sft,
    body.full_training?.max_seq_length_sft,
    body.max_seq_length,
  );
  if (sft === null) return null;
  const dpoApi = num(body.max_seq_length_dpo, body.lora_training?.max_seq_length_dpo, body.full_training?.max_seq_length_dpo);
  const b = BUILTIN_MODELS.find((m) => m.id === id);
  const fam = b ? { family: b.family, hub: Boolean(b.hub) } : inferFamily(id);
  const hub = familyUsesHub(fam.family, fam.hub);
  return {
    id,
    family: fam.family,
    exact: hub || familyIsExact(fam.family),
    hub,
    hf: b?.hf ?? id,
    sftMaxSeqLength: sft,
    dpoMaxSeqLength: dpoApi ?? sft,
    dpoDocumented: dpoApi !== null,
    listed: new Date().toISOString().slice(0, 10),
    aliases: b?.aliases ?? [],
    source: "cache",
  };
}
