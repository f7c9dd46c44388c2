/**
 * Tokenizer + chat-template profiles. A model of the registry names one profile (its `family`).
 * This file is data only and cheap to import: no tokenizer or Jinja code is loaded from here.
 */

export type TokenizerFile = "llama3" | "qwen3" | "mistral-v1" | "deepseek-v3" | "gemma3" | "gpt-oss" | "llama2";
/** Transform applied to a shipped tokenizer file at load time (see data/tokenizers/README.md). */
export type TokenizerVariant = "llama3.1" | "qwen2.5";

export interface Profile {
  /** Family id, as shown in `tunelint models` and ModelInfo.family. */
  id: string;
  /** Human label. */
  label: string;
  /** Shipped tokenizer file (data/tokenizers/<file>.json.gz); null = no tokenizer shipped. */
  tokenizer: TokenizerFile | null;
  variant?: TokenizerVariant;
  /** Chat template file (data/templates/<name>.jinja); null = none shipped. */
  template: string | null;
  /** Special-token strings handed to the template, as in the model's tokenizer_config.json. */
  bosToken: string | null;
  eosToken: string | null;
  /** The model's tokenizer adds BOS on a plain encode (add_special_tokens=True), as transformers loads it. */
  addsBos: boolean;
  /** true when tokenizer and template are the model's own: counts equal HF apply_chat_template's. */
  exact: boolean;
  /** Where template and tokenizer come from (docs and `tunelint models`). */
  notes?: string;
  /**
   * No tokenizer of this family ships with tunelint: models of it load their own tokenizer and template from their
   * Hugging Face repository (src/tokens/hub.ts), and the shipped files above are only the estimate used when the Hub
   * cannot be reached.
   */
  hubOnly?: boolean;
}

export const PROFILES: Record<string, Profile> = {
  "llama-3": {
    id: "llama-3",
    label: "Llama 3 (8B/70B Instruct)",
    tokenizer: "llama3",
    template: "llama3",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: true,
  },
  "llama-3.1": {
    id: "llama-3.1",
    label: "Llama 3.1 / 3.3 (official template: system block with knowledge-cutoff preamble)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: true,
  },
  "llama-3.2": {
    id: "llama-3.2",
    label: "Llama 3.2 (template dates the system block with today's date)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.2",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: true,
  },
  "qwen-2.5": {
    id: "qwen-2.5",
    label: "Qwen 2.5 (adds its default system prompt when there is none)",
    tokenizer: "qwen3",
    variant: "qwen2.5",
    template: "qwen2.5",
    bosToken: null,
    eosToken: "<|im_end|>",
    addsBos: false,
    exact: true,
  },
  "qwen-3": {
    id: "qwen-3",
    label: "Qwen 3",
    tokenizer: "qwen3",
    template: "qwen3",
    bosToken: null,
    eosToken: "<|im_end|>",
    addsBos: false,
    exact: true,
  },
  "mistral-v1": {
    id: "mistral-v1",
    label: "Mistral 7B v0.1/v0.2, Mixtral 8x7B (SentencePiece v1 vocabulary, [INST] template)",
    tokenizer: "mistral-v1",
    template: "mistral-v1",
    bosToken: "<s>",
    eosToken: "</s>",
    addsBos: true,
    exact: true,
  },
  "deepseek-v3": {
    id: "deepseek-v3",
    label: "DeepSeek V3",
    tokenizer: "deepseek-v3",
    template: "deepseek-v3",
    bosToken: "<｜begin▁of▁sentence｜>",
    eosToken: "<｜end▁of▁sentence｜>",
    addsBos: true,
    exact: true,
  },
  "deepseek-r1": {
    id: "deepseek-r1",
    label: "DeepSeek R1 (V3 tokenizer; template drops <think> from earlier assistant turns)",
    tokenizer: "deepseek-v3",
    template: "deepseek-r1",
    bosToken: "<｜begin▁of▁sentence｜>",
    eosToken: "<｜end▁of▁sentence｜>",
    addsBos: true,
    exact: true,
  },
  "gemma-3": {
    id: "gemma-3",
    label: "Gemma 3",
    tokenizer: "gemma3",
    template: "gemma3",
    bosToken: "<bos>",
    eosToken: "<eos>",
    addsBos: true,
    exact: true,
  },
  "gpt-oss": {
    id: "gpt-oss",
    label: "gpt-oss (o200k_harmony, harmony template; dated system block)",
    tokenizer: "gpt-oss",
    template: "gpt-oss",
    bosToken: "<|startoftext|>",
    eosToken: "<|return|>",
    addsBos: false,
    exact: true,
  },
  // Families whose tokenizer or template is not shipped: the model's own come from the Hub (hubOnly); the nearest
  // shipped files below are the estimate used without it (flagged exact: false).
  "deepseek-v3.1": {
    id: "deepseek-v3.1",
    label: "DeepSeek V3.1 (V3 tokenizer; its own template from the Hub; estimate without it: V3's template)",
    tokenizer: "deepseek-v3",
    template: "deepseek-v3",
    bosToken: "<｜begin▁of▁sentence｜>",
    eosToken: "<｜end▁of▁sentence｜>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "llama-2": {
    id: "llama-2",
    label: "Llama 2 chat (SentencePiece vocabulary rebuilt from llama-tokenizer-js; Llama 2 [INST] <<SYS>> template)",
    tokenizer: "llama2",
    template: "llama2",
    bosToken: "<s>",
    eosToken: "</s>",
    addsBos: true,
    exact: true,
  },
  "llama-4": {
    id: "llama-4",
    label: "Llama 4 (from the Hub; estimate without it: Llama 3.1 tokenizer and template)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "qwen-3.5": {
    id: "qwen-3.5",
    label: "Qwen 3.5 / 3.6 (248K vocabulary, from the Hub; estimate without it: Qwen 3 tokenizer and template)",
    tokenizer: "qwen3",
    template: "qwen3",
    bosToken: null,
    eosToken: "<|im_end|>",
    addsBos: false,
    exact: false,
    hubOnly: true,
  },
  glm: {
    id: "glm",
    label: "GLM-4.6 / 4.7 / 5 / 5.1 (from the Hub; estimate without it: Llama 3.1 tokenizer and template)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "kimi-k2": {
    id: "kimi-k2",
    label: "Kimi K2 / K2.5 (from the Hub; estimate without it: Llama 3.1 tokenizer and template)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "gemma-4": {
    id: "gemma-4",
    label: "Gemma 4 (from the Hub; estimate without it: Gemma 3 tokenizer and template)",
    tokenizer: "gemma3",
    template: "gemma3",
    bosToken: "<bos>",
    eosToken: "<eos>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "nemotron-nano-v2": {
    id: "nemotron-nano-v2",
    label: "NVIDIA Nemotron Nano v2 (from the Hub; estimate without it: Llama 3.1 tokenizer and template)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  "qwen-chatml": {
    id: "qwen-chatml",
    label: "Other Qwen / ChatML models (from the Hub; estimate without it: Qwen 3 tokenizer and template)",
    tokenizer: "qwen3",
    template: "qwen3",
    bosToken: null,
    eosToken: "<|im_end|>",
    addsBos: false,
    exact: false,
    hubOnly: true,
  },
  "gemma-other": {
    id: "gemma-other",
    label: "Other Gemma models (from the Hub; estimate without it: Gemma 3 tokenizer and template)",
    tokenizer: "gemma3",
    template: "gemma3",
    bosToken: "<bos>",
    eosToken: "<eos>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
  generic: {
    id: "generic",
    label: "Any other model (from the Hub; estimate without it: Llama 3.1 tokenizer and template)",
    tokenizer: "llama3",
    variant: "llama3.1",
    template: "llama3.1",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    addsBos: true,
    exact: false,
    hubOnly: true,
  },
};

export function getProfile(family: string): Profile {
  return PROFILES[family] ?? PROFILES.generic!;
}

/**
 * The one decision on exactness: counts for a model of `family` are exact when tunelint ships that family's own
 * tokenizer and chat template and the model is not flagged as differing from them (`estimate`). The registry (built-in
 * and refreshed) and the counter (isExactCount, which adds the user's own files) all ask here.
 */
export function familyIsExact(family: string, estimate = false): boolean {
  return Boolean(PROFILES[family]?.exact) && !estimate;
}

/**
 * Whether a model of `family` reads its tokenizer and template from its Hugging Face repository (src/tokens/hub.ts):
 * a family tunelint ships no tokenizer of (`hubOnly`), an unknown family, or a model the registry marks `hub` (the
 * family's shipped files are not its own). Such a model counts exactly with the Hub's files.
 */
export function familyUsesHub(family: string, hub = false): boolean {
  return hub || Boolean(PROFILES[family]?.hubOnly) || !PROFILES[family];
}
