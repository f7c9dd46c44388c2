/** What the models modules say about a model. */

export interface ModelInfo {
  id: string;
  family: string;
  /** true when token counts are exact (the model's own tokenizer and chat template ship with tunelint). */
  exact: boolean;
  sftMaxSeqLength: number;
  dpoMaxSeqLength: number;
  aliases: string[];
  source: "builtin" | "cache" | "custom";
}

export interface RegistryOptions {
  /** Cache file to read (default: $XDG_CACHE_HOME/tunelint/models.json or ~/.cache/tunelint/models.json). */
  cacheFile?: string;
}
