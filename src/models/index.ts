/**
 * Model registry: which models can be fine-tuned, their sequence limits (SFT / DPO) and tokenizer family.
 * A dated built-in table ships with the package; `models --refresh` (src/upload/models-refresh.ts, through the
 * uploader's Together client) pulls the live list and caches it on disk, and the cache wins when present. Cheap to import: never loads a tokenizer.
 *
 * One job per module: registry.ts (the built-in data), cache.ts (the on-disk cache), table.ts (the table in use),
 * lookup.ts (exact lookup), suggest.ts (nearest ids), refresh.ts (the table from Together's answers). This file only re-exports.
 */
export type { ModelInfo, RegistryOptions } from "./types.js";
export { REGISTRY_DATE } from "./registry.js";
export { editDistance } from "../util/edit-distance.js";
export { defaultCacheFile, readCache, writeCache, type ModelsCache } from "./cache.js";
export { listModels, registryDate, usesHub } from "./table.js";
export { UnknownModelError, resolveModel, customModel } from "./lookup.js";
export { suggestModels } from "./suggest.js";
export { modelFromLimits, refreshCandidates, type LimitsAnswer } from "./refresh.js";
