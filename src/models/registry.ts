/**
 * The built-in model table: Together AI fine-tunable models with their SFT/DPO sequence limits, as published on
 * docs.together.ai/docs/fine-tuning-models (snapshot of REGISTRY_DATE; LoRA limits). Refresh with
 * `tunelint models --refresh` (cached on disk) when it ages.
 *
 * family: the tokenizer + chat-template profile (src/tokens/profiles.ts).
 * aliases: other names people use for the same model (Hugging Face repo ids). They are NOT accepted as ids (the API
 *   demands exact ids); they only make the "did you mean" suggestions point to the right Together id.
 * estimate: true when the family is right but this model's template or tokenizer differs from the shipped one.
 * Base (non-instruct) models use their instruct sibling's template for conversation data.
 */
export const REGISTRY_DATE = "2025-11-08";

export interface RegistryEntry {
  id: string;
  family: string;
  sft: number;
  dpo: number;
  aliases?: string[];
  estimate?: boolean;
}

const e = (id: string, family: string, sft: number, dpo: number, aliases: string[] = [], estimate = false): RegistryEntry => ({
  id,
  family,
  sft,
  dpo,
  aliases,
  estimate,
});

export const BUILTIN_MODELS: RegistryEntry[] = [
  e("openai/gpt-oss-20b", "gpt-oss", 16384, 8192),
  e("openai/gpt-oss-120b", "gpt-oss", 16384, 8192),
  e("deepseek-ai/DeepSeek-R1", "deepseek-r1", 131072, 32768),
  e("deepseek-ai/DeepSeek-R1-0528", "deepseek-r1", 131072, 32768, [], true),
  e("deepseek-ai/DeepSeek-V3.1", "deepseek-v3.1", 131072, 32768),
  e("deepseek-ai/DeepSeek-V3.1-Base", "deepseek-v3.1", 131072, 32768),
  // V3-0324 updated its chat template (tool calls, last-user handling): counted with V3's, flagged as an estimate.
  e("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3", 131072, 32768, [], true),
  e("deepseek-ai/DeepSeek-V3", "deepseek-v3", 131072, 32768),
  e("deepseek-ai/DeepSeek-V3-Base", "deepseek-v3", 131072, 32768),
  e("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "llama-3.1", 24576, 8192, [], true),
  e("deepseek-ai/DeepSeek-R1-Distill-Llama-70B-32k", "llama-3.1", 32768, 16384, [], true),
  e("deepseek-ai/DeepSeek-R1-Distill-Llama-70B-131k", "llama-3.1", 131072, 16384, [], true),
  e("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "qwen-chatml", 65536, 12288),
  e("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "qwen-chatml", 131072, 16384),
  e("meta-llama/Llama-4-Scout-17B-16E", "llama-4", 16384, 8192),
  e("meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama-4", 16384, 8192),
  e("meta-llama/Llama-4-Maverick-17B-128E", "llama-4", 16384, 8192),
  e("meta-llama/Llama-4-Maverick-17B-128E-Instruct", "llama-4", 16384, 8192),
  e("google/gemma-3-270m", "gemma-3", 32768, 12288),
  e("google/gemma-3-270m-it", "gemma-3", 32768, 12288),
  e("google/gemma-3-1b-it", "gemma-3", 32768, 12288),
  e("google/gemma-3-1b-pt", "gemma-3", 32768, 12288),
  e("google/gemma-3-4b-it", "gemma-3", 131072, 12288),
  e("google/gemma-3-4b-pt", "gemma-3", 131072, 12288),
  e("google/gemma-3-12b-it", "gemma-3", 16384, 8192),
  e("google/gemma-3-12b-pt", "gemma-3", 65536, 8192),
  e("google/gemma-3-27b-it", "gemma-3", 49152, 8192),
  e("google/gemma-3-27b-pt", "gemma-3", 49152, 8192),
  e("Qwen/Qwen3-0.6B", "qwen-3", 32768, 24576),
  e("Qwen/Qwen3-0.6B-Base", "qwen-3", 32768, 24576),
  ...["1.7B", "4B", "8B", "14B"].flatMap((s) => [
    e(`Qwen/Qwen3-${s}`, "qwen-3", 32768, 16384),
    e(`Qwen/Qwen3-${s}-Base`, "qwen-3", 32768, 16384),
  ]),
  e("Qwen/Qwen3-32B", "qwen-3", 24576, 4096),
  e("Qwen/Qwen3-30B-A3B", "qwen-3", 8192, 8192),
  e("Qwen/Qwen3-30B-A3B-Base", "qwen-3", 8192, 8192),
  e("Qwen/Qwen3-30B-A3B-Instruct-2507", "qwen-3", 8192, 8192, [], true),
  e("Qwen/Qwen3-Coder-30B-A3B-Instruct", "qwen-3", 8192, 8192, [], true),
  e("Qwen/Qwen3-235B-A22B", "qwen-3", 32768, 16384),
  e("Qwen/Qwen3-235B-A22B-Instruct-2507", "qwen-3", 32768, 16384, [], true),
  e("Qwen/Qwen3-Coder-480B-A35B-Instruct", "qwen-3", 131072, 32768, [], true),
  e("meta-llama/Llama-3.3-70B-Instruct-Reference", "llama-3.1", 24576, 8192, ["meta-llama/Llama-3.3-70B-Instruct"]),
  e("meta-llama/Llama-3.3-70B-32k-Instruct-Reference", "llama-3.1", 32768, 32768),
  e("meta-llama/Llama-3.3-70B-131k-Instruct-Reference", "llama-3.1", 131072, 65536),
  e("meta-llama/Llama-3.2-3B", "llama-3.2", 131072, 24576),
  e("meta-llama/Llama-3.2-3B-Instruct", "llama-3.2", 131072, 24576),
  e("meta-llama/Llama-3.2-1B", "llama-3.2", 131072, 24576),
  e("meta-llama/Llama-3.2-1B-Instruct", "llama-3.2", 131072, 24576),
  e("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "llama-3.1", 131072, 16384, [
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Meta-Llama-3.1-8B-Instruct",
  ]),
  e("meta-llama/Meta-Llama-3.1-8B-Reference", "llama-3.1", 131072, 16384, ["meta-llama/Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B"]),
  e("meta-llama/Meta-Llama-3.1-70B-Instruct-Reference", "llama-3.1", 24576, 8192, [
    "meta-llama/Llama-3.1-70B-Instruct",
    "meta-llama/Meta-Llama-3.1-70B-Instruct",
  ]),
  e("meta-llama/Meta-Llama-3.1-70B-Reference", "llama-3.1", 24576, 8192, ["meta-llama/Llama-3.1-70B", "meta-llama/Meta-Llama-3.1-70B"]),
  e("meta-llama/Meta-Llama-3.1-8B-131k-Instruct-Reference", "llama-3.1", 131072, 131072),
  e("meta-llama/Meta-Llama-3.1-8B-131k-Reference", "llama-3.1", 131072, 131072),
  e("meta-llama/Meta-Llama-3.1-70B-32k-Instruct-Reference", "llama-3.1", 32768, 32768),
  e("meta-llama/Meta-Llama-3.1-70B-32k-Reference", "llama-3.1", 32768, 32768),
  e("meta-llama/Meta-Llama-3.1-70B-131k-Instruct-Reference", "llama-3.1", 131072, 65536),
  e("meta-llama/Meta-Llama-3.1-70B-131k-Reference", "llama-3.1", 131072, 65536),
  e("meta-llama/Meta-Llama-3-8B-Instruct", "llama-3", 8192, 8192),
  e("meta-llama/Meta-Llama-3-8B", "llama-3", 8192, 8192),
  e("meta-llama/Meta-Llama-3-70B-Instruct", "llama-3", 8192, 8192),
  e("Qwen/Qwen2.5-72B-Instruct", "qwen-2.5", 24576, 8192),
  e("Qwen/Qwen2.5-72B", "qwen-2.5", 24576, 8192),
  e("Qwen/Qwen2.5-32B-Instruct", "qwen-2.5", 32768, 12288),
  e("Qwen/Qwen2.5-32B", "qwen-2.5", 49152, 12288),
  e("Qwen/Qwen2.5-14B-Instruct", "qwen-2.5", 32768, 16384),
  e("Qwen/Qwen2.5-14B", "qwen-2.5", 65536, 16384),
  e("Qwen/Qwen2.5-7B-Instruct", "qwen-2.5", 32768, 16384),
  e("Qwen/Qwen2.5-7B", "qwen-2.5", 131072, 16384),
  ...["3B", "1.5B"].flatMap((s) => [
    e(`Qwen/Qwen2.5-${s}-Instruct`, "qwen-2.5", 32768, 16384),
    e(`Qwen/Qwen2.5-${s}`, "qwen-2.5", 32768, 16384),
  ]),
  e("Qwen/Qwen2-72B-Instruct", "qwen-chatml", 32768, 8192),
  e("Qwen/Qwen2-72B", "qwen-chatml", 32768, 8192),
  e("Qwen/Qwen2-7B-Instruct", "qwen-chatml", 32768, 16384),
  e("Qwen/Qwen2-1.5B-Instruct", "qwen-chatml", 32768, 16384),
  e("Qwen/Qwen2-7B", "qwen-chatml", 131072, 16384),
  e("Qwen/Qwen2-1.5B", "qwen-chatml", 131072, 16384),
  e("mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral-v1", 32768, 32768),
  e("mistralai/Mixtral-8x7B-v0.1", "mistral-v1", 32768, 32768),
  e("mistralai/Mistral-7B-Instruct-v0.2", "mistral-v1", 32768, 32768),
  e("mistralai/Mistral-7B-v0.1", "mistral-v1", 32768, 32768),
  e("teknium/OpenHermes-2p5-Mistral-7B", "mistral-v1", 32768, 32768, [], true),
  // CodeLlama: Llama 2 vocabulary + 16 infill tokens (<PRE>, <SUF>, <MID>, <EOT>...), and no chat template of its own.
  e("codellama/CodeLlama-7b-hf", "llama-2", 16384, 16384, [], true),
  e("togethercomputer/llama-2-7b-chat", "llama-2", 4096, 4096, ["meta-llama/Llama-2-7b-chat-hf"]),
  // Newer docs excerpt (same page, later): Kimi K2 and GLM 4.x.
  e("moonshotai/Kimi-K2-Thinking", "generic", 65536, 32768),
  e("moonshotai/Kimi-K2-Instruct", "generic", 65536, 32768),
  e("moonshotai/Kimi-K2-Instruct-0905", "generic", 65536, 32768),
  e("moonshotai/Kimi-K2-Base", "generic", 65536, 32768),
  e("zai-org/GLM-4.7", "generic", 128000, 64000),
  e("zai-org/GLM-4.6", "generic", 128000, 64000),
];

/** Family of a model id the built-in table does not know (models fetched from the API). */
export function inferFamily(id: string): { family: string; estimate: boolean } {
  const s = id.toLowerCase();
  const f = (family: string, estimate = false) => ({ family, estimate });
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
  if (/qwen2\.5/.test(s)) return f("qwen-2.5", s.includes("vl") || s.includes("coder"));
  if (/qwen3-/.test(s)) return f("qwen-3", /2507|coder|vl|next/.test(s));
  if (s.includes("qwen")) return f("qwen-chatml");
  if (s.includes("gemma-3")) return f("gemma-3", s.includes("vlm"));
  if (s.includes("gemma")) return f("gemma-other");
  if (/mixtral-8x7b|mistral-7b-(instruct-)?v0\.[12]/.test(s)) return f("mistral-v1");
  return f("generic");
}
