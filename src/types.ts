/**
 * The data contract of tunelint: what the linter produces and every formatter consumes.
 * Keep this file free of logic; everything else imports from here.
 */

export type Severity = "error" | "warning" | "info";
export type RuleSetting = Severity | "off";
/** The dataset formats, in one list (schemas/<format>.schema.json each; detection order is detect.ts's). */
export const DATASET_FORMATS = ["conversation", "instruction", "general", "preference"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
/** A file's format: one of the JSONL formats, or Together's pre-tokenized format (Parquet). */
export type FileFormat = DatasetFormat | "pretokenized";
export type TrainingMethod = "sft" | "dpo";
/**
 * Together's `train_on_inputs` job parameter: "auto" (default) trains the assistant messages of a conversation, the
 * completion of an instruction record and the whole text of a general record; true trains every token; false masks
 * the inputs (as "auto" for conversations and instructions).
 */
export type TrainOnInputs = "auto" | boolean;

/** One finding. `line`/`column` are 1-based; both are null only for file-level findings. */
export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  /** 1-based physical line number in the file (null for file-level findings such as an empty file). */
  line: number | null;
  /** 1-based column in the decoded line, counted in UTF-16 code units like editors and eslint do. */
  column: number | null;
  /** RFC 6901 JSON Pointer into the record ("" = the whole record or the raw line). */
  pointer: string;
  /** Human message rendered from the rule's message template. */
  message: string;
  /** Key of the template in the rule's meta.messages; stable, for tests and tooling. */
  messageId: string;
  /** Template values the message was rendered from. */
  data?: Record<string, string | number | boolean | null>;
}

/** Where the tokenizer (and chat template) a count used came from. */
export interface TokenizerOrigin {
  /** shipped: in tunelint's package; cache: the Hugging Face cache (no request); hub: downloaded now; file: --tokenizer. */
  source: "shipped" | "cache" | "hub" | "file";
  /** Hugging Face repository (cache, hub). */
  repo?: string;
  revision?: string;
  commit?: string;
  /** The tokenizer.json (file, cache, hub). */
  path?: string;
  /** Where the chat template came from: the repository's file name, "shipped", a path, or null (none). */
  template?: string | null;
  /** Why the count is an estimate, when it is (e.g. the Hub could not be reached: the family's shipped files). */
  note?: string;
}

export interface TokenStats {
  model: string;
  method: TrainingMethod;
  /** true when the model's real tokenizer and chat template were used. */
  exact: boolean;
  tokenizer?: TokenizerOrigin;
  limit: number;
  total: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  overLimit: number;
  /**
   * Tokens that enter the loss, summed over the records, as Together trains them (see `trainOnInputs`): the tokens of
   * the trained assistant messages (weight not 0) with their end-of-turn tokens, the completion (+ EOS) of an
   * instruction record, the whole text of a general record; DPO: both outputs. One epoch.
   */
  trained: number;
  /** Distribution of trained tokens per record. */
  trainedMin: number;
  trainedMax: number;
  trainedMean: number;
  trainedP50: number;
  trainedP95: number;
  /** Records of which no token is trained. */
  untrained: number;
  /** The `train_on_inputs` setting the counts were made for. */
  trainOnInputs: TrainOnInputs;
}

/** Per-record sizes in log-spaced bins (only when asked for: `histograms: true`, e.g. for the HTML report). */
export interface Histogram {
  unit: "bytes" | "tokens";
  scale: "log2";
  /** Bin edges, ascending (length = counts.length + 1): bin i holds edges[i] <= v < edges[i + 1]. */
  edges: number[];
  counts: number[];
}

export interface FileStats {
  /** Bytes read from the source (compressed size for .gz, as uploaded). */
  bytes: number;
  /** SHA-256 (hex) of exactly the bytes read, for upload integrity; "" when not asked for (`hash: false`). */
  sha256: string;
  /** gzip input, when hashed: size and SHA-256 of the decompressed bytes (what `upload` sends as NAME.jsonl). */
  decoded?: { bytes: number; sha256: string };
  /** Physical lines seen (a final line without a newline counts). */
  lines: number;
  blankLines: number;
  /** Records per detected format (rows for a Parquet file). */
  formats: Partial<Record<FileFormat, number>>;
  tokens?: TokenStats;
  /** Distributions of record sizes (bytes of each record's line; tokens with a model), when asked for. */
  histograms?: { bytes?: Histogram; tokens?: Histogram; trained?: Histogram };
}

export interface FileResult {
  /** Path as the user gave it (or the --stdin-filename / "<stdin>"). */
  path: string;
  /** The file's format: the format of the first record whose format could be detected; "pretokenized" for Parquet. */
  format: FileFormat | null;
  /** Lines that parsed as JSON (examples); rows of a Parquet file. */
  records: number;
  errorCount: number;
  warningCount: number;
  infoCount: number;
  diagnostics: Diagnostic[];
  stats: FileStats;
  /** true when the file could not be read to the end (I/O failure): exit 2. */
  fatal?: boolean;
}

export interface LintReport {
  version: string;
  files: FileResult[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
}

/** What a formatter (and SARIF's tool.driver.rules) knows about a rule. */
export interface RuleDoc {
  id: string;
  /** Default severity (the severity when turned on, for a rule that is off by default). */
  severity: Severity;
  /** true when the rule does not run unless configured. */
  defaultOff?: boolean;
  /** One imperative sentence. */
  description: string;
  /** Absolute URL of the rule's docs page. */
  docsUrl: string;
}

export interface FormatContext {
  /** Directory paths are made relative to (repo root for SARIF / GitHub). */
  cwd: string;
  /** Every rule of the registry, in registry order. */
  rules: RuleDoc[];
  /** Colour allowed (stylish only). */
  color?: boolean;
  /** Epochs planned, to show trained tokens (total x epochs) where token stats exist. */
  epochs?: number;
}

/** A formatter is a pure function: no I/O, no decisions, just text. */
export type Formatter = (report: LintReport, ctx: FormatContext) => string;
