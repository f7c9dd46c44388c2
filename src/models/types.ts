/** What the models modules say about a model. */

export interface ModelInfo {
  id: string;
  family: string;
  /**
   * true when token counts are exact: the model's own tokenizer and chat template ship with tunelint, or (hub) come
   * from its Hugging Face repository. A hub model whose files cannot be had is counted as an estimate at run time.
   */
  exact: boolean;
  /** The tokenizer and template come from the Hugging Face Hub (repository `hf`), cache first. */
  hub: boolean;
  /** Hugging Face repository of the model's tokenizer (the id itself unless the registry says otherwise). */
  hf: string;
  /** Tokens; null = not documented (give --max-seq-length, or refresh). */
  sftMaxSeqLength: number | null;
  dpoMaxSeqLength: number | null;
  /** false when the DPO limit is half the SFT one, not a documented value. */
  dpoDocumented: boolean;
  /** Date of the table the limits come from (built-in snapshot, or the refresh time). */
  listed: string;
  aliases: string[];
  source: "builtin" | "cache" | "custom";
}

export interface RegistryOptions {
  /** Cache file to read (default: $XDG_CACHE_HOME/tunelint/models.json or ~/.cache/tunelint/models.json). */
  cacheFile?: string;
}
