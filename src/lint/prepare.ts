/**
 * Preparing a lint run: options resolved once (config read, rules resolved, tokenizer loaded) into a PreparedLint, the
 * object every entry point (files.ts, patterns.ts, records.ts) lints with. No console output.
 */
import { constants as bufferConstants } from "node:buffer";
import { resolve as resolvePath } from "node:path";
import { DEFAULT_MAX_LINE_BYTES } from "../io/reader.js";
import type { Diagnostic, TrainingMethod, TrainOnInputs } from "../types.js";
import { UsageError } from "../errors.js";
import {
  findConfig,
  loadConfig,
  parseTrainOnInputs,
  resolveRules,
  validateConfig,
  type ResolvedRule,
  type RuleConfigValue,
  type TunelintConfig,
} from "./config.js";
import { buildFileLinter, crossFileOf, type EngineOptions, type FileLinter, type LintSettings, type TokenContext } from "./file-linter.js";
import { loadTokenContext, type TokenRequest } from "./token-context.js";

export interface LintProgress {
  path: string;
  /** Raw bytes read so far (as stored: compressed bytes for .gz). */
  bytes: number;
  /** The file's size in bytes, when known (null for stdin and streams). */
  totalBytes: number | null;
  /** Lines judged so far. */
  lines: number;
}

export interface LintOptions {
  /** Rule severities/options, applied over the config file's. */
  rules?: Record<string, RuleConfigValue>;
  /** A config file path, a config object, or false to use none. Default: tunelint.config.json found from `cwd` upward. */
  config?: string | TunelintConfig | false;
  cwd?: string;
  /** Lines longer than this are reported (line-too-long) and skipped. Default 64 MiB. */
  maxLineBytes?: number;
  /**
   * Findings kept per rule and file (default DEFAULT_MAX_FINDINGS_PER_RULE = 1000; 0 keeps all): the first ones in line
   * order. The rest are counted (errorCount... stay exact) and listed in `FileResult.omitted`; every report format says
   * how many more there were. Memory then stays bounded whatever the number of findings. (`onDiagnostic` still sees
   * every finding of a file checked on one thread; a parallel check hands it the kept ones.)
   */
  maxFindingsPerRule?: number;
  /** Target model id (exact Together id): enables token budgets. */
  model?: string;
  method?: TrainingMethod;
  /** Overrides the model's maximum sequence length. */
  maxSeqLength?: number;
  /** tokenizer.json / chat template for a model tunelint does not know. */
  tokenizer?: string;
  chatTemplate?: string;
  /**
   * Together's train_on_inputs for the job (default "auto"): which tokens are counted as trained (stats.tokens.trained)
   * and judged by no-trained-tokens.
   */
  trainOnInputs?: TrainOnInputs;
  signal?: AbortSignal;
  /** Compute each file's SHA-256 (stats.sha256; default true, the uploader needs it; `check` turns it off). */
  hash?: boolean;
  /** Worker threads for big files (default: available cores; 1 = single thread). */
  jobs?: number;
  /**
   * Files at least this big (bytes) are split across `jobs` workers. Default: estimated from the work (parallel.ts
   * `parallelThreshold`): 64 MiB for the structural check, about 4.8 MB with 2 jobs when tokens are counted.
   */
  parallelThreshold?: number;
  /**
   * Load the tokenizer only when a file is linted (default false: prepareLint loads it, so lintRecord can count). The
   * CLI sets it: a run that lints nothing, or fails first, never loads one (a parallel check loads the tables once,
   * on the main thread, and shares them with its workers).
   */
  lazyTokenizer?: boolean;
  /** Collect per-record size distributions in stats.histograms (bytes; tokens with a model): the HTML report draws them. */
  histograms?: boolean;
  /**
   * Called as a file is read (about once per MiB): raw bytes read (compressed for .gz), the file's size when known,
   * and lines judged so far. The CLI draws its progress line from it.
   */
  onProgress?: (p: LintProgress) => void;
  /** Called for every finding as it is made (streaming consumers). */
  onDiagnostic?: (d: Diagnostic, path: string) => void;
  /**
   * The validation file of this run. Every other file linted with the same PreparedLint is a training file; the
   * validation file, linted after them, is also checked for records that repeat a training record (rule
   * validation-leak). `lintFiles` lints it last, after the patterns.
   */
  validationFile?: string;
}

/** Findings kept per rule and file unless `maxFindingsPerRule` says otherwise. */
export const DEFAULT_MAX_FINDINGS_PER_RULE = 1000;

/** The longest line that can be decoded and parsed: V8's maximum string length (N UTF-8 bytes decode to at most N UTF-16 units). */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

/**
 * Options resolved once per run (config read, rules resolved, tokenizer loaded): made by `prepareLint`, then passed to
 * any number of lint calls (like eslint's `new ESLint(options)` before `lintFiles()`).
 */
export interface PreparedFields extends LintSettings {
  /** How to load the token counter again (in a worker thread). */
  tokenRequest: TokenRequest | null;
  /** The options it was prepared from. */
  options: LintOptions;
}

export class PreparedLint implements PreparedFields {
  readonly rules: Map<string, ResolvedRule>;
  readonly maxLineBytes: number;
  readonly method: TrainingMethod;
  /** The method given explicitly (option or config), if any. */
  readonly explicitMethod: TrainingMethod | undefined;
  readonly tokens: TokenContext | null;
  readonly tokenRequest: TokenRequest | null;
  readonly options: LintOptions;
  readonly histograms: boolean | undefined;
  /** Together's train_on_inputs for the job (what trained tokens count). */
  readonly trainOnInputs: TrainOnInputs;
  /** Findings kept per rule and file (0: all). */
  readonly maxFindingsPerRule: number;

  constructor(fields: PreparedFields) {
    this.rules = fields.rules;
    this.maxLineBytes = fields.maxLineBytes;
    this.method = fields.method;
    this.explicitMethod = fields.explicitMethod;
    this.tokens = fields.tokens;
    this.tokenRequest = fields.tokenRequest;
    this.options = fields.options;
    this.histograms = fields.histograms ?? fields.options.histograms;
    this.trainOnInputs = fields.trainOnInputs ?? "auto";
    this.maxFindingsPerRule = fields.maxFindingsPerRule ?? DEFAULT_MAX_FINDINGS_PER_RULE;
  }

  /** With a validation file: its resolved path and the run's cross-file store (see CrossFileContext). */
  crossFile?: { validationFile: string; store: Map<string, unknown> };

  /** Settings for single records without a config file: these rules (and defaults), no model. Synchronous. */
  static forRecords(rules?: Record<string, RuleConfigValue>): PreparedLint {
    return new PreparedLint({
      rules: resolveRules(rules),
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      method: "sft",
      explicitMethod: undefined,
      tokens: null,
      tokenRequest: null,
      options: {},
    });
  }

  /** A FileLinter for one file (or stream, or record sequence) of this run, reporting to `options.onDiagnostic`. */
  fileLinter(path: string, extra: Pick<EngineOptions, "deferCrossRecord" | "sniffDocument"> = {}): FileLinter {
    const onDiagnostic = this.options.onDiagnostic;
    return buildFileLinter(this, path, {
      ...extra,
      onDiagnostic: onDiagnostic ? (d) => onDiagnostic(d, path) : undefined,
      crossFile: crossFileOf(this, path),
    });
  }
}

/** The entry points' options: prepared once already, or to prepare now. */
export function toPrepared(options: LintOptions | PreparedLint): Promise<PreparedLint> {
  return options instanceof PreparedLint ? Promise.resolve(options) : prepareLint(options);
}

/** Resolves config, rules and the token counter once; pass the result to lint functions to reuse it. */
export async function prepareLint(options: LintOptions = {}): Promise<PreparedLint> {
  let config: TunelintConfig = {};
  if (typeof options.config === "string") config = loadConfig(options.config);
  else if (options.config && typeof options.config === "object") {
    validateConfig(options.config, "config object");
    config = options.config;
  } else if (options.config !== false) {
    const found = findConfig(options.cwd ?? process.cwd());
    if (found) config = loadConfig(found);
  }
  const rules = resolveRules(config.rules, options.rules);
  const maxLineBytes = options.maxLineBytes ?? config.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new UsageError(`Invalid max line bytes: ${maxLineBytes}`);
  // A line is decoded to one string: longer than V8's longest string, it could only crash (or abort) the runtime.
  if (maxLineBytes > MAX_STRING_LENGTH) {
    throw new UsageError(
      `--max-line-bytes (maxLineBytes) ${maxLineBytes} is more than this runtime can hold in one line: it can be at most ${MAX_STRING_LENGTH} (${(MAX_STRING_LENGTH / 2 ** 20).toFixed(0)} MiB).`,
    );
  }
  const maxFindingsPerRule = options.maxFindingsPerRule ?? config.maxFindingsPerRule ?? DEFAULT_MAX_FINDINGS_PER_RULE;
  if (!Number.isInteger(maxFindingsPerRule) || maxFindingsPerRule < 0)
    throw new UsageError(`Invalid maxFindingsPerRule: ${maxFindingsPerRule} (use 0 for no limit, or a positive integer).`);
  const explicitMethod = options.method ?? config.method;
  if (explicitMethod !== undefined && explicitMethod !== "sft" && explicitMethod !== "dpo") {
    throw new UsageError(`Invalid method "${String(explicitMethod)}": use sft or dpo.`);
  }
  const method = explicitMethod ?? "sft";
  const tOI = options.trainOnInputs ?? config.trainOnInputs;
  const trainOnInputs = tOI === undefined ? "auto" : parseTrainOnInputs(tOI, "train on inputs");
  const model = options.model ?? config.model;
  if (model === "") throw new UsageError("--model (model) is empty: give a model id (tunelint models lists them), or leave it out.");
  if (!model) {
    // Token options without a model would be silently ignored: say so instead.
    const given = (
      [
        ["--tokenizer", "tokenizer", options.tokenizer ?? config.tokenizer],
        ["--chat-template", "chatTemplate", options.chatTemplate ?? config.chatTemplate],
        ["--max-seq-length", "maxSeqLength", options.maxSeqLength ?? config.maxSeqLength],
      ] as const
    ).find((x) => x[2] !== undefined);
    if (given) {
      throw new UsageError(
        `${given[0]} (${given[1]}) needs --model (model): token budgets are counted for a model. Give --model with its id (with --tokenizer and --max-seq-length, any id for a model tunelint does not know).`,
      );
    }
  }
  const tokenRequest: TokenRequest | null = model
    ? {
        model,
        method: explicitMethod,
        maxSeqLength: options.maxSeqLength ?? config.maxSeqLength,
        tokenizer: options.tokenizer ?? config.tokenizer,
        chatTemplate: options.chatTemplate ?? config.chatTemplate,
        trainOnInputs,
      }
    : null;
  const tokens = tokenRequest ? await loadTokenContext(tokenRequest, { eager: !options.lazyTokenizer }) : null;
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1))
    throw new UsageError(`Invalid jobs: ${options.jobs} (use 1 or more).`);
  const prepared = new PreparedLint({
    rules,
    maxLineBytes,
    method,
    explicitMethod,
    tokens,
    tokenRequest,
    options,
    trainOnInputs,
    maxFindingsPerRule,
  });
  if (options.validationFile) {
    prepared.crossFile = {
      validationFile: resolvePath(options.cwd ?? process.cwd(), options.validationFile),
      store: new Map<string, unknown>(),
    };
  }
  return prepared;
}
