/**
 * Exact token counting. Public entry of the tokens module.
 *
 * Nothing heavy is imported here: the tokenizer engine, the tokenizer data and the Jinja implementation are loaded by
 * `loadCounter` only (dynamic import), so a run without a model never loads a tokenizer.
 */
import { readFileSync, statSync } from "node:fs";
import type { DatasetFormat, TrainingMethod, TrainOnInputs } from "../types.js";
import type { RecordTokens } from "./counter.js";
import { familyIsExact, getProfile, type Profile } from "./profiles.js";
import type { CountedModel } from "./types.js";
import type { SharedBpe } from "./bpe.js";

/**
 * A tokenizer's tables as another thread can use them (plain configuration + shared memory): from
 * `TokenCounter.sharedTables()`, handed to `loadCounter(..., { shared })` in a worker thread through `workerData`.
 */
export type SharedTokenizer = SharedBpe;

export type { RecordTokens } from "./counter.js";
export { PROFILES, getProfile, familyIsExact, type Profile } from "./profiles.js";
export type { CountedModel } from "./types.js";

export interface TokenCounter {
  model: string;
  family: string;
  /** true when counts equal HF apply_chat_template + the model's tokenizer for every well-formed record. */
  exact: boolean;
  method: TrainingMethod;
  count(record: Record<string, unknown>, format: DatasetFormat): RecordTokens;
  /**
   * The tokenizer's added tokens (`added_tokens` of its tokenizer.json, after the family's load-time variant): id,
   * text, and whether it is a special token. Read from the file on first call (not kept by the counting engine).
   */
  addedTokens(): AddedToken[];
  /** The tokenizer's special tokens as text (loads the tokenizer on first call). */
  specialTokens(): readonly string[];
  /**
   * The counting engine's tables, for worker threads (`loadCounter(model, { shared })`): built here once (loads the
   * tokenizer on first call), shared memory, not copied. null when the engine cannot be shared (the reference engine
   * of SentencePiece tokenizers: each thread then loads its own).
   */
  sharedTables(): SharedTokenizer | null;
  dispose(): void;
}

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

export interface LoadCounterOptions {
  method?: TrainingMethod;
  /** A tokenizer.json (or .json.gz) to use instead of the shipped one (unknown models). */
  tokenizerPath?: string;
  /** A chat template: a .jinja file, or a tokenizer_config.json / chat_template.json with `chat_template`. */
  chatTemplatePath?: string;
  /** The tokenizer_config.json that goes with tokenizerPath: bos_token / eos_token handed to the template. */
  tokenizerConfigPath?: string;
  /** Extra template variables (e.g. { reasoning_effort: "high" } for gpt-oss, { enable_thinking: false } for Qwen 3). */
  templateVars?: Record<string, unknown>;
  /** Clock for templates that print today's date (Llama 3.2, gpt-oss); tests pin it. */
  now?: () => Date;
  /** Together's train_on_inputs ("auto" default): which tokens `RecordTokens.trained` counts. */
  trainOnInputs?: TrainOnInputs;
  /**
   * The tables another thread built for this same tokenizer (its `sharedTables()`): the engine is made over them and
   * the tokenizer file is not read (unless `encode` is asked for).
   */
  shared?: SharedTokenizer | null;
}

export class TokenizerLoadError extends Error {
  override name = "TokenizerLoadError";
}

interface CustomTemplate {
  source: string;
  bosToken?: string | null;
  eosToken?: string | null;
}

function tokenString(v: unknown): string | null | undefined {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") return (v as { content: string }).content;
  if (v === null) return null;
  return undefined;
}

/** Largest chat template / tokenizer_config.json tunelint reads. */
export const MAX_TEMPLATE_FILE_BYTES = 8 * 1024 * 1024;

function readSmallText(path: string, what: string): string {
  try {
    const size = statSync(path).size;
    if (size > MAX_TEMPLATE_FILE_BYTES)
      throw new Error(`${Math.round(size / 1048576)} MiB, over the ${MAX_TEMPLATE_FILE_BYTES / 1048576} MiB tunelint reads`);
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new TokenizerLoadError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** bos_token / eos_token of a tokenizer_config.json (undefined = not set there). */
export function readTokenizerConfig(path: string): { bosToken?: string | null; eosToken?: string | null; chatTemplate?: string } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readSmallText(path, "tokenizer config")) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TokenizerLoadError) throw e;
    throw new TokenizerLoadError(`tokenizer config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!json || typeof json !== "object") return {};
  const t = templateOf(json.chat_template);
  return { bosToken: tokenString(json.bos_token), eosToken: tokenString(json.eos_token), ...(t !== undefined ? { chatTemplate: t } : {}) };
}

function templateOf(t: unknown): string | undefined {
  if (Array.isArray(t)) {
    const named = t as Array<{ name?: string; template?: string }>;
    t = (named.find((x) => x?.name === "default") ?? named[0])?.template;
  }
  return typeof t === "string" ? t : undefined;
}

/** Reads a chat template file: raw Jinja, or JSON with `chat_template` (string or [{name, template}]). */
export function readChatTemplateFile(path: string): CustomTemplate {
  const text = readSmallText(path, "chat template");
  if (!/\.json$/i.test(path)) return { source: text };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new TokenizerLoadError(`chat template ${path} is not valid JSON: ${(e as Error).message}`);
  }
  let t = json.chat_template;
  if (Array.isArray(t)) {
    const named = t as Array<{ name?: string; template?: string }>;
    t = (named.find((x) => x.name === "default") ?? named[0])?.template;
  }
  if (typeof t !== "string") throw new TokenizerLoadError(`${path} has no chat_template string`);
  return { source: t, bosToken: tokenString(json.bos_token), eosToken: tokenString(json.eos_token) };
}

/**
 * Whether counts for `model` will be exact, known before any tokenizer is loaded: only with the model's own tokenizer
 * and template. A user-supplied file for a known-exact family keeps the claim only if both are supplied (then the user
 * vouches for them); an estimate family stays an estimate unless both are given.
 */
export function isExactCount(model: CountedModel, opts: Pick<LoadCounterOptions, "tokenizerPath" | "chatTemplatePath"> = {}): boolean {
  const custom = Boolean(opts.tokenizerPath) && Boolean(opts.chatTemplatePath);
  // A hub model (its own files are not shipped) counted without them is an estimate.
  return custom || (!model.hub && model.exact && familyIsExact(model.family) && !opts.tokenizerPath && !opts.chatTemplatePath);
}

export async function loadCounter(model: CountedModel, opts: LoadCounterOptions = {}): Promise<TokenCounter> {
  const profile: Profile = getProfile(model.family);
  const [
    {
      getShippedEngine,
      dropShippedEngine,
      createCountingEngine,
      readTokenizerJson,
      loadTokenizerJson,
      adoptSharedTables,
      shippedKey,
      sharedTablesOf,
      DATA_DIR,
    },
    { ChatTemplate },
    { RecordCounter },
    { CONTRACTS },
  ] = await Promise.all([import("./tokenizer.js"), import("./jinja.js"), import("./counter.js"), import("./skeleton.js")]);

  let engine;
  let shipped = false;
  let readJson: () => { added_tokens?: Array<{ id: number; content: string; special?: boolean }> };
  if (opts.tokenizerPath) {
    try {
      const path = opts.tokenizerPath;
      readJson = () => readTokenizerJson(path);
      const shared = opts.shared ?? undefined;
      engine = createCountingEngine(shared ? null : (readTokenizerJson(path) as never), () => readTokenizerJson(path) as never, shared);
    } catch (e) {
      throw new TokenizerLoadError(`cannot load tokenizer ${opts.tokenizerPath}: ${(e as Error).message}`);
    }
  } else if (profile.tokenizer) {
    const file = profile.tokenizer;
    readJson = () => loadTokenizerJson(file, profile.variant);
    try {
      if (opts.shared) adoptSharedTables(shippedKey(profile.tokenizer, profile.variant), opts.shared);
      engine = getShippedEngine(profile.tokenizer, profile.variant);
    } catch (e) {
      throw new TokenizerLoadError(`cannot load the ${profile.tokenizer} tokenizer shipped with tunelint: ${(e as Error).message}`);
    }
    shipped = true;
  } else {
    throw new TokenizerLoadError(`no tokenizer shipped for ${model.id}: pass tokenizerPath`);
  }

  let source: string | null = null;
  let bosToken = profile.bosToken;
  let eosToken = profile.eosToken;
  if (opts.tokenizerConfigPath) {
    const c = readTokenizerConfig(opts.tokenizerConfigPath);
    if (c.bosToken !== undefined) bosToken = c.bosToken;
    if (c.eosToken !== undefined) eosToken = c.eosToken;
  }
  if (opts.chatTemplatePath) {
    const c = readChatTemplateFile(opts.chatTemplatePath);
    source = c.source;
    if (c.bosToken !== undefined) bosToken = c.bosToken;
    if (c.eosToken !== undefined) eosToken = c.eosToken;
  } else if (profile.template) {
    try {
      source = readFileSync(new URL(`templates/${profile.template}.jinja`, DATA_DIR), "utf8");
    } catch (e) {
      throw new TokenizerLoadError(`cannot read the ${profile.template} chat template shipped with tunelint: ${(e as Error).message}`);
    }
  }
  let template = null;
  if (source !== null) {
    try {
      template = new ChatTemplate(source);
    } catch (e) {
      throw new TokenizerLoadError(`chat template does not parse: ${(e as Error).message}`);
    }
  }

  const exact = isExactCount(model, opts);

  let added: AddedToken[] | null = null;
  let counter: InstanceType<typeof RecordCounter> | null = new RecordCounter({
    engine,
    template,
    bosToken,
    eosToken,
    specials: opts.tokenizerPath ? engine.addedSpecials : profile.addsBos ? 1 : 0,
    extra: opts.templateVars,
    now: opts.now,
    trainOnInputs: opts.trainOnInputs ?? "auto",
    contract:
      !opts.chatTemplatePath && profile.template && process.env.TUNELINT_RENDER_CACHE !== "0" ? CONTRACTS[profile.template] : undefined,
  });
  return {
    model: model.id,
    family: model.family,
    exact,
    method: opts.method ?? "sft",
    count(record, format) {
      if (!counter) throw new Error("TokenCounter used after dispose()");
      return counter.count(record, format);
    },
    addedTokens() {
      added ??= (readJson().added_tokens ?? [])
        .filter((t) => t && typeof t.id === "number" && typeof t.content === "string")
        .map((t) => ({ id: t.id, content: t.content, special: t.special === true }));
      return added.map((t) => ({ ...t }));
    },
    specialTokens: () => engine.specialTokens,
    sharedTables: () => sharedTablesOf(engine),
    dispose() {
      counter = null;
      if (shipped && profile.tokenizer) dropShippedEngine(profile.tokenizer, profile.variant);
    },
  };
}

/** Keys of tokenizers currently loaded in this process (for tests and diagnostics); never loads anything. */
export async function loadedTokenizers(): Promise<string[]> {
  const g = globalThis as { __tunelintEngineLoaded?: boolean };
  if (!g.__tunelintEngineLoaded) return [];
  const { loadedEngineKeys } = await import("./tokenizer.js");
  return loadedEngineKeys();
}

/**
 * The tokenizer's vocabulary size: one more than the highest token id it can produce (model vocabulary and added
 * tokens), from the model's shipped tokenizer.json or `tokenizerPath`. A pre-tokenized (Parquet) id at or above it
 * is not a token of this model.
 */
export async function tokenizerVocabSize(model: CountedModel, opts: Pick<LoadCounterOptions, "tokenizerPath"> = {}): Promise<number> {
  const { readTokenizerJson, loadTokenizerJson } = await import("./tokenizer.js");
  const profile = getProfile(model.family);
  let json: Record<string, unknown>;
  try {
    if (opts.tokenizerPath) json = readTokenizerJson(opts.tokenizerPath);
    else if (profile.tokenizer) json = loadTokenizerJson(profile.tokenizer, profile.variant);
    else throw new Error(`no tokenizer shipped for ${model.id}: pass tokenizerPath`);
  } catch (e) {
    throw new TokenizerLoadError(`cannot read the tokenizer of ${model.id}: ${(e as Error).message}`);
  }
  let max = -1;
  const vocab = (json.model as { vocab?: unknown } | undefined)?.vocab;
  if (Array.isArray(vocab))
    max = vocab.length - 1; // SentencePiece (Unigram): [piece, score] by id
  else if (vocab && typeof vocab === "object") for (const id of Object.values(vocab)) if (typeof id === "number" && id > max) max = id;
  for (const t of (json.added_tokens as Array<{ id?: unknown }> | undefined) ?? []) if (typeof t.id === "number" && t.id > max) max = t.id;
  return max + 1;
}
