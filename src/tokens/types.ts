/** Types shared by the tokens modules (a module of its own, so that bpe.ts and tokenizer.ts need not import each other). */

/** A tokenizer as the counter uses it. */
export interface Engine {
  /** Number of tokens of `text`, special-token text matched as special tokens, nothing added (add_special_tokens=False). */
  count(text: string): number;
  /** Tokens the tokenizer adds itself when asked to (add_special_tokens=True), e.g. BOS. */
  readonly addedSpecials: number;
  /** The tokenizer's control tokens as text (special added tokens and `<|...|>`-shaped ones; see added-tokens.ts). */
  readonly specialTokens: readonly string[];
  encode(text: string, addSpecialTokens?: boolean): number[];
  /**
   * The counter starts on another record (optional: engines with caches use it to tell the text a record repeats
   * within itself, e.g. each message again in the renders of its trained spans, from text repeated across records).
   */
  nextRecord?(): void;
}

/** What the tokens modules need to know of a model (models/ ModelInfo has these and more; tokens never imports models). */
export interface CountedModel {
  id: string;
  family: string;
  /** The registry's verdict (familyIsExact at the time the table was made). */
  exact: boolean;
  /** Its tokenizer and template come from the Hugging Face Hub (profiles.ts familyUsesHub): not the shipped files. */
  hub?: boolean;
}
