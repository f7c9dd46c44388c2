/**
 * The built-in model table: Together AI fine-tunable models with their SFT/DPO sequence limits (LoRA), as Together
 * documents them (snapshot of REGISTRY_DATE). Refresh with `tunelint models --refresh` (cached on disk) when it ages:
 * the live `GET /v1/fine-tunes/models/limits` values then win.
 *
 * Sources (see /docs and src/tokens/README.md "Registry"):
 *   - CATALOGUE_DATE: togethercomputer/skills `skills/together-fine-tuning/references/supported-models.md` (@b665c74),
 *     the current catalogue. It gives SFT context lengths in "K" only. Read as: 8K 8192, 16K 16384, 24K 24576,
 *     32K 32768, 49K 49152, 65K 65536, 131K 131072, 262K 262144 (the power-of-two multiples of 1024 these round, as in the
 *     older exact table), 41K 40960 (Qwen 3's native context, 40 x 1024), 128K 128000 (documented exactly for GLM-4.x),
 *     50K 50000 (GLM-5/5.1: Z.ai counts K as 1000 for GLM-4.x; the lower reading, so a limit is never overstated).
 *   - OLDER_DATE (Nov 2025): docs.together.ai/docs/fine-tuning-models, the exact SFT and DPO values of the models it
 *     listed. A model's DPO limit comes from there when its SFT limit is unchanged; otherwise (or for a new model) DPO
 *     is half the SFT limit ("DPO context lengths are generally half of SFT context lengths", the catalogue) and
 *     flagged `dpoDocumented: false`.
 *   - Models of the older table that the current catalogue no longer lists are kept (`listed: OLDER_DATE`): the API may
 *     still accept them, and a refresh drops what it does not.
 *   - Vision variants (Qwen3-VL, *-VLM): the catalogue documents no context length: `sft: null`, and a check needs
 *     --max-seq-length (or a refresh).
 *
 * family: the tokenizer + chat-template profile (src/tokens/profiles.ts).
 * aliases: other names people use for the same model (Hugging Face repo ids). They are NOT accepted as ids (the API
 *   demands exact ids); they only make the "did you mean" suggestions point to the right Together id.
 * hub: the shipped tokenizer/template are not this model's own: they come from the model's Hugging Face repository
 *   (`hf`, default the id itself), cache first (src/tokens/hub.ts); the family's shipped files are the estimate used
 *   only when the Hub cannot be reached. Families without a shipped tokenizer are always hub (profile.hubOnly).
 * Base (non-instruct) models use their instruct sibling's template for conversation data.
 */
/** Date of the catalogue version read (skills@b665c74, 2026-06-03; still the current one in Aug 2026). */
export const CATALOGUE_DATE = "2026-06-03";
export const OLDER_DATE = "2025-11-08";
export const REGISTRY_DATE = CATALOGUE_DATE;

export interface RegistryEntry {
  id: string;
  family: string;
  /** SFT limit in tokens; null = not documented (vision variants). */
  sft: number | null;
  dpo: number | null;
  /** false when the DPO limit is half the SFT one (Together: "generally half"), not a documented value. */
  dpoDocumented: boolean;
  /** Date of the Together table the entry comes from. */
  listed: string;
  aliases?: string[];
  /** Tokenizer and template from the Hugging Face Hub (see above). */
  hub?: boolean;
  /** Hugging Face repository of the tokenizer, when it is not the id. */
  hf?: string;
}

interface Opt {
  aliases?: string[];
  hub?: boolean;
  hf?: string;
}
/** A model of the current catalogue; dpo: the older table's exact value when SFT is unchanged, else half of SFT. */
const c = (id: string, family: string, sft: number | null, dpo: number | null = null, o: Opt = {}): RegistryEntry => ({
  id,
  family,
  sft,
  dpo: dpo ?? (sft === null ? null : Math.floor(sft / 2)),
  dpoDocumented: dpo !== null,
  listed: CATALOGUE_DATE,
  ...o,
});
/** A model of the older exact table only (Nov 2025). */
const old = (id: string, family: string, sft: number, dpo: number, o: Opt = {}): RegistryEntry => ({
  id,
  family,
  sft,
  dpo,
  dpoDocumented: true,
  listed: OLDER_DATE,
  ...o,
});
const hub: Opt = { hub: true };

export const BUILTIN_MODELS: RegistryEntry[] = [
  // ---- current catalogue (Aug 2026), in its order -------------------------------------------------------------
  c("Qwen/Qwen3.5-397B-A17B", "qwen-3.5", 32768),
  c("Qwen/Qwen3.5-122B-A10B", "qwen-3.5", 65536),
  c("moonshotai/Kimi-K2.5", "kimi-k2", 32768),
  c("moonshotai/Kimi-K2-Thinking", "kimi-k2", 32768),
  c("moonshotai/Kimi-K2-Instruct-0905", "kimi-k2", 32768),
  c("moonshotai/Kimi-K2-Base", "kimi-k2", 32768),
  c("zai-org/GLM-5.1", "glm", 50000),
  c("zai-org/GLM-5", "glm", 50000),
  c("zai-org/GLM-4.7", "glm", 128000, 64000),
  c("zai-org/GLM-4.6", "glm", 128000, 64000),
  c("openai/gpt-oss-120b", "gpt-oss", 16384, 8192),
  c("openai/gpt-oss-20b", "gpt-oss", 24576),
  // R1-0528 and V3-0324 changed their chat templates (tool calls, last-user handling): their own from the Hub.
  c("deepseek-ai/DeepSeek-R1-0528", "deepseek-r1", 131072, 32768, hub),
  c("deepseek-ai/DeepSeek-R1", "deepseek-r1", 131072, 32768),
  c("deepseek-ai/DeepSeek-V3.1", "deepseek-v3.1", 131072, 32768),
  c("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3", 131072, 32768, hub),
  c("deepseek-ai/DeepSeek-V3", "deepseek-v3", 131072, 32768),
  c("Qwen/Qwen3-235B-A22B", "qwen-3", 40960),
  c("Qwen/Qwen3-235B-A22B-Instruct-2507", "qwen-3", 49152, null, hub),
  c("Qwen/Qwen3-Coder-480B-A35B-Instruct", "qwen-3", 262144, null, hub),
  c("Qwen/Qwen3-Coder-30B-A3B-Instruct", "qwen-3", 262144, null, hub),
  c("meta-llama/Llama-4-Maverick-17B-128E-Instruct", "llama-4", 16384, 8192),
  c("meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama-4", 65536),
  c("meta-llama/Llama-3.3-70B-Instruct-Reference", "llama-3.1", 24576, 8192, { aliases: ["meta-llama/Llama-3.3-70B-Instruct"] }),
  c("meta-llama/Meta-Llama-3.1-70B-Instruct-Reference", "llama-3.1", 24576, 8192, {
    aliases: ["meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Meta-Llama-3.1-70B-Instruct"],
  }),
  c("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "llama-3.1", 24576, 8192, hub),
  c("Qwen/Qwen2.5-72B-Instruct", "qwen-2.5", 24576, 8192),
  c("Qwen/Qwen3.5-27B", "qwen-3.5", 32768),
  c("Qwen/Qwen3.5-9B", "qwen-3.5", 65536),
  c("Qwen/Qwen3.5-35B-A3B", "qwen-3.5", 65536),
  c("Qwen/Qwen3.6-35B-A3B", "qwen-3.5", 65536),
  ...["32B", "14B", "8B"].map((s) => c(`Qwen/Qwen3-${s}`, "qwen-3", 40960)),
  c("Qwen/Qwen3-Next-80B-A3B-Instruct", "qwen-3", 16384, null, hub),
  c("Qwen/Qwen3-30B-A3B", "qwen-3", 8192, 8192),
  c("Qwen/Qwen2.5-32B-Instruct", "qwen-2.5", 32768, 12288),
  c("Qwen/Qwen2.5-14B-Instruct", "qwen-2.5", 32768, 16384),
  c("Qwen/Qwen2.5-7B-Instruct", "qwen-2.5", 32768, 16384),
  c("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "llama-3.1", 131072, 16384, {
    aliases: ["meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct"],
  }),
  c("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "qwen-chatml", 65536, 12288),
  c("nvidia/NVIDIA-Nemotron-Nano-9B-v2", "nemotron-nano-v2", 32768),
  c("google/gemma-4-31B-it", "gemma-4", 49152),
  c("google/gemma-4-26B-A4B-it", "gemma-4", 49152),
  c("google/gemma-3-27b-it", "gemma-3", 49152, 8192),
  c("google/gemma-3-12b-it", "gemma-3", 65536),
  c("mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral-v1", 32768, 32768),
  c("mistralai/Mistral-7B-Instruct-v0.2", "mistral-v1", 32768, 32768),
  c("Qwen/Qwen3.5-4B", "qwen-3.5", 131072),
  c("Qwen/Qwen3.5-2B", "qwen-3.5", 131072),
  c("Qwen/Qwen3.5-0.8B", "qwen-3.5", 131072),
  ...["4B", "1.7B", "0.6B"].map((s) => c(`Qwen/Qwen3-${s}`, "qwen-3", 40960)),
  c("meta-llama/Llama-3.2-3B-Instruct", "llama-3.2", 131072, 24576),
  c("meta-llama/Llama-3.2-1B-Instruct", "llama-3.2", 131072, 24576),
  c("google/gemma-3-4b-it", "gemma-3", 131072, 12288),
  c("google/gemma-3-1b-it", "gemma-3", 32768, 12288),
  c("google/gemma-3-270m-it", "gemma-3", 32768, 12288),
  c("Qwen/Qwen2.5-3B-Instruct", "qwen-2.5", 32768, 16384),
  c("Qwen/Qwen2.5-1.5B-Instruct", "qwen-2.5", 32768, 16384),
  c("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "qwen-chatml", 131072, 16384),
  // long-context LoRA
  c("meta-llama/Llama-3.3-70B-131k-Instruct-Reference", "llama-3.1", 131072, 65536),
  c("meta-llama/Meta-Llama-3.1-8B-131k-Instruct-Reference", "llama-3.1", 131072, 131072),
  c("meta-llama/Meta-Llama-3.1-70B-131k-Instruct-Reference", "llama-3.1", 131072, 65536),
  // vision (no documented context length)
  c("Qwen/Qwen3-VL-8B-Instruct", "qwen-3", null, null, hub),
  c("Qwen/Qwen3-VL-30B-A3B-Instruct", "qwen-3", null, null, hub),
  c("Qwen/Qwen3-VL-235B-A22B-Instruct", "qwen-3", null, null, hub),
  c("meta-llama/Llama-4-Maverick-17B-128E-Instruct-VLM", "llama-4", null, null, { hf: "meta-llama/Llama-4-Maverick-17B-128E-Instruct" }),
  c("meta-llama/Llama-4-Scout-17B-16E-Instruct-VLM", "llama-4", null, null, { hf: "meta-llama/Llama-4-Scout-17B-16E-Instruct" }),
  ...["4b", "12b", "27b"].map((s) => c(`google/gemma-3-${s}-it-VLM`, "gemma-3", null, null, { hf: `google/gemma-3-${s}-it` })),

  // ---- the older exact table only (Nov 2025) ----------------------------------------------------------------
  old("moonshotai/Kimi-K2-Instruct", "kimi-k2", 65536, 32768),
  old("deepseek-ai/DeepSeek-V3.1-Base", "deepseek-v3.1", 131072, 32768),
  old("deepseek-ai/DeepSeek-V3-Base", "deepseek-v3", 131072, 32768),
  old("deepseek-ai/DeepSeek-R1-Distill-Llama-70B-32k", "llama-3.1", 32768, 16384, {
    ...hub,
    hf: "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
  }),
  old("deepseek-ai/DeepSeek-R1-Distill-Llama-70B-131k", "llama-3.1", 131072, 16384, {
    ...hub,
    hf: "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
  }),
  old("meta-llama/Llama-4-Scout-17B-16E", "llama-4", 16384, 8192),
  old("meta-llama/Llama-4-Maverick-17B-128E", "llama-4", 16384, 8192),
  old("google/gemma-3-270m", "gemma-3", 32768, 12288),
  old("google/gemma-3-1b-pt", "gemma-3", 32768, 12288),
  old("google/gemma-3-4b-pt", "gemma-3", 131072, 12288),
  old("google/gemma-3-12b-pt", "gemma-3", 65536, 8192),
  old("google/gemma-3-27b-pt", "gemma-3", 49152, 8192),
  old("Qwen/Qwen3-0.6B-Base", "qwen-3", 32768, 24576),
  ...["1.7B", "4B", "8B", "14B"].map((s) => old(`Qwen/Qwen3-${s}-Base`, "qwen-3", 32768, 16384)),
  old("Qwen/Qwen3-30B-A3B-Base", "qwen-3", 8192, 8192),
  old("Qwen/Qwen3-30B-A3B-Instruct-2507", "qwen-3", 8192, 8192, hub),
  old("meta-llama/Llama-3.3-70B-32k-Instruct-Reference", "llama-3.1", 32768, 32768),
  old("meta-llama/Llama-3.2-3B", "llama-3.2", 131072, 24576),
  old("meta-llama/Llama-3.2-1B", "llama-3.2", 131072, 24576),
  old("meta-llama/Meta-Llama-3.1-8B-Reference", "llama-3.1", 131072, 16384, {
    aliases: ["meta-llama/Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B"],
  }),
  old("meta-llama/Meta-Llama-3.1-70B-Reference", "llama-3.1", 24576, 8192, {
    aliases: ["meta-llama/Llama-3.1-70B", "meta-llama/Meta-Llama-3.1-70B"],
  }),
  old("meta-llama/Meta-Llama-3.1-8B-131k-Reference", "llama-3.1", 131072, 131072),
  old("meta-llama/Meta-Llama-3.1-70B-32k-Instruct-Reference", "llama-3.1", 32768, 32768),
  old("meta-llama/Meta-Llama-3.1-70B-32k-Reference", "llama-3.1", 32768, 32768),
  old("meta-llama/Meta-Llama-3.1-70B-131k-Reference", "llama-3.1", 131072, 65536),
  old("meta-llama/Meta-Llama-3-8B-Instruct", "llama-3", 8192, 8192),
  old("meta-llama/Meta-Llama-3-8B", "llama-3", 8192, 8192),
  old("meta-llama/Meta-Llama-3-70B-Instruct", "llama-3", 8192, 8192),
  old("Qwen/Qwen2.5-72B", "qwen-2.5", 24576, 8192),
  old("Qwen/Qwen2.5-32B", "qwen-2.5", 49152, 12288),
  old("Qwen/Qwen2.5-14B", "qwen-2.5", 65536, 16384),
  old("Qwen/Qwen2.5-7B", "qwen-2.5", 131072, 16384),
  old("Qwen/Qwen2.5-3B", "qwen-2.5", 32768, 16384),
  old("Qwen/Qwen2.5-1.5B", "qwen-2.5", 32768, 16384),
  old("Qwen/Qwen2-72B-Instruct", "qwen-chatml", 32768, 8192),
  old("Qwen/Qwen2-72B", "qwen-chatml", 32768, 8192),
  old("Qwen/Qwen2-7B-Instruct", "qwen-chatml", 32768, 16384),
  old("Qwen/Qwen2-1.5B-Instruct", "qwen-chatml", 32768, 16384),
  old("Qwen/Qwen2-7B", "qwen-chatml", 131072, 16384),
  old("Qwen/Qwen2-1.5B", "qwen-chatml", 131072, 16384),
  old("mistralai/Mixtral-8x7B-v0.1", "mistral-v1", 32768, 32768),
  old("mistralai/Mistral-7B-v0.1", "mistral-v1", 32768, 32768),
  old("teknium/OpenHermes-2p5-Mistral-7B", "mistral-v1", 32768, 32768, hub),
  // CodeLlama: Llama 2 vocabulary + 16 infill tokens (<PRE>, <SUF>, <MID>, <EOT>...), and no chat template of its own.
  old("codellama/CodeLlama-7b-hf", "llama-2", 16384, 16384, hub),
  old("togethercomputer/llama-2-7b-chat", "llama-2", 4096, 4096, { aliases: ["meta-llama/Llama-2-7b-chat-hf"] }),
];

/**
 * Family of a model id the built-in table does not know (models fetched from the API). hub: the shipped files are not
 * this model's own (its tokenizer and template come from its Hugging Face repository).
 */
export function inferFamily(id: string): { family: string; hub: boolean } {
  const s = id.toLowerCase();
  const f = (family: string, hub = false) => ({ family, hub });
  if (s.includes("gpt-oss")) return f("gpt-oss");
  if (s.includes("deepseek")) {
    if (s.includes("distill-llama")) return f("llama-3.1", true);
    if (s.includes("distill-qwen")) return f("qwen-chatml");
    if (s.includes("v3.1") || s.includes("v3.2")) return f("deepseek-v3.1");
    if (s.includes("r1")) return f("deepseek-r1", !s.endsWith("deepseek-r1"));
    if (s.includes("v3")) return f("deepseek-v3", !/deepseek-v3(-base)?$/.test(s));
    return f("generic");
  }
  if (/llama-?4/.test(s)) return f("llama-4");
  if (/llama-3\.2/.test(s)) return f("llama-3.2", s.includes("vision"));
  if (/llama-3\.[13]/.test(s)) return f("llama-3.1");
  if (/llama-3-/.test(s)) return f("llama-3");
  if (s.includes("codellama")) return f("llama-2", true);
  if (s.includes("llama-2")) return f("llama-2", !s.includes("chat"));
  if (/qwen3\.[5-9]/.test(s)) return f("qwen-3.5");
  if (/qwen2\.5/.test(s)) return f("qwen-2.5", s.includes("vl") || s.includes("coder"));
  if (/qwen3-/.test(s)) return f("qwen-3", /2507|coder|vl|next/.test(s));
  if (s.includes("qwen")) return f("qwen-chatml");
  if (s.includes("gemma-4")) return f("gemma-4");
  if (s.includes("gemma-3")) return f("gemma-3", s.includes("vlm"));
  if (s.includes("gemma")) return f("gemma-other");
  if (/mixtral-8x7b|mistral-7b-(instruct-)?v0\.[12]/.test(s)) return f("mistral-v1");
  if (s.includes("glm")) return f("glm");
  if (s.includes("kimi")) return f("kimi-k2");
  if (s.includes("nemotron")) return f("nemotron-nano-v2");
  return f("generic");
}
