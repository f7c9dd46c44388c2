/**
 * What a rule is. A rule never prints: it reports `{ messageId, pointer, data }` and the engine turns that into a
 * Diagnostic (line, column, severity from config, message rendered from the template in meta.messages).
 */
import type { ErrorObject } from "ajv";
import type { ParquetColumn } from "../io/parquet.js";
import type { DatasetFormat, Severity, TrainingMethod, TrainOnInputs } from "../types.js";

export interface RuleMeta {
  /** kebab-case, stable, never reused. */
  id: string;
  /** Default severity (the severity when turned on, for a rule that is off by default). */
  severity: Severity;
  /** true: the rule does not run unless configured (`--rule id=warning`, or the config file). */
  defaultOff?: boolean;
  /** One imperative sentence: what the rule checks. */
  description: string;
  /** Message templates; `{{name}}` is replaced with `data.name`. */
  messages: Record<string, string>;
  /**
   * Where the rule looks: raw line, parsed record, or the whole file. Derived from the rule's hooks (rules/utils/scope.ts);
   * optional, and when given a test checks it against the hooks.
   */
  scope?: RuleScope;
  /** Formats the rule applies to (absent: all). */
  formats?: DatasetFormat[];
  /** Default options (overridable in the config file: `["error", { ... }]`). */
  defaultOptions?: Record<string, number | string | boolean>;
  /** Prose for the docs page: why it matters, and how to fix it (Markdown). */
  docs: string;
  /** Example lines for the docs page. */
  examples?: { bad?: string[]; good?: string[] };
  /** tunelint version that introduced the rule. */
  since: string;
  /**
   * Set when `tunelint fix` can repair what the rule finds without changing meaning (as eslint's meta.fixable):
   * "whitespace" for line-level repairs (BOM, blank lines, line ends), "code" for edits to the record. The rule's
   * `fix` does the work.
   */
  fixable?: "whitespace" | "code";
}

export type RuleScope = "line" | "record" | "file";

export type ReportData = Record<string, string | number | boolean | null | undefined>;

export interface ReportArgs {
  messageId: string;
  /** JSON Pointer into the record ("" for the line/record as a whole). */
  pointer?: string;
  data?: ReportData;
  /** Column (1-based) when the rule knows it; otherwise the engine locates `pointer` in the line. */
  column?: number;
  /** Locate the member's key rather than its value (unknown keys). */
  atKey?: boolean;
  /** Override the line (file-level rules pointing at a line); null for file-level findings. */
  line?: number | null;
}

export type Report = (args: ReportArgs) => void;

/** The line as bytes, before decoding. */
export interface RawLineContext {
  line: number;
  bytes: Buffer;
  length: number;
  oversized: boolean;
  maxLineBytes: number;
}

/** The decoded line. */
export interface TextLineContext {
  line: number;
  text: string;
  blank: boolean;
}

export interface ParseErrorContext {
  line: number;
  text: string;
  /** Columns already reported on this line (a rule may skip a finding another rule already made). */
  reportedColumns: number[];
}

export interface ValueContext {
  line: number;
  text: string;
  value: unknown;
  /** Nesting depth when it exceeds the limit, else 0 (not computed for ordinary lines). */
  depth: number;
  maxDepth: number;
}

/** Token figures for one record (only when a model was given and the record is valid). */
export interface RecordTokenInfo {
  /** Tokens of the example as trained (DPO: input + the longer output). */
  total: number;
  /** Tokens before the first trained token (computed on first read). */
  readonly promptTokens: number;
  /** Tokens that enter the loss, as Together trains them under `train_on_inputs` (see src/tokens/counter.ts). */
  trained: number;
  /** The model's limit for this record's method. */
  limit: number;
  /** false when this count is an estimate (model without shipped tokenizer, or the template refused the record). */
  exact: boolean;
  /** Why the count is an estimate. */
  note?: string;
  model: string;
  method: TrainingMethod;
}

export interface RecordContext {
  line: number;
  text: string;
  record: Record<string, unknown>;
  /** This line's detected format. */
  format: DatasetFormat;
  /** true when the record passed its format's schema. */
  schemaValid: boolean;
  /** Raw line bytes (for hashing). */
  bytes: Buffer;
  /** Token figures, when a model was given and the record passed its schema. */
  tokens: RecordTokenInfo | null;
  method: TrainingMethod;
  /** The method given explicitly (--method / config), if any. */
  explicitMethod?: TrainingMethod;
  /**
   * true when `text` and the strings of `record` are the Latin-1 view of the line's bytes (one char per byte) rather
   * than its UTF-8 decoding: the engine parses a valid-UTF-8, non-ASCII line without `\u` escapes that way when every
   * active rule is `latin1View: "safe"`. Equality, ASCII comparisons and JSON structure are the same in both views;
   * for anything else decode with `decodeView` (rules/utils/view.ts). Never set on a line that gets a finding.
   */
  latin1?: boolean;
  /**
   * true when this record's cross-record facts are merged later, elsewhere (a worker's byte range, absorbed by the main
   * thread): `merge` will not have the line at hand, so `key` must put in its words every column a finding may need.
   * Otherwise `merge` runs right after `key` while the line is judged, and a merge finding without a column is
   * located by its pointer like any other (so a column costly to find is found only for the lines that need it).
   */
  mergeLater?: boolean;
  /** Together's train_on_inputs for the job ("auto" unless given). */
  trainOnInputs: TrainOnInputs;
  /** The model given (--model), if any. */
  model: string | null;
  /** With a model: its tokenizer's special tokens as text (null without a model, or before its tokenizer loaded). */
  specialTokens: readonly string[] | null;
}

export interface FileEndContext {
  path: string;
  bytes: number;
  lines: number;
  records: number;
  fileFormat: DatasetFormat | null;
  /** When a model was given: how the token counts went. */
  /** note: why the file's counts are estimates, when the tokenizer itself is the reason (e.g. the Hub could not be reached). */
  tokens: { model: string; exact: boolean; failure: string | null; note?: string } | null;
}

/** Pre-tokenized data (Parquet): the file's columns, before any row is read. */
export interface ColumnsContext {
  columns: readonly ParquetColumn[];
  rows: number;
  /** The method given explicitly (--method / config), if any. */
  explicitMethod?: TrainingMethod;
}

/** One row of pre-tokenized data (Parquet); `line` is the 1-based row number. */
export interface RowContext {
  line: number;
  /**
   * The columns of Together's pre-tokenized format that the file has as lists of integers (input_ids, attention_mask,
   * labels, position_ids): arrays of numbers, null for a null list, with null for a null element.
   */
  values: Readonly<Record<string, unknown>>;
  /** With --model: the model, its SFT sequence limit and its tokenizer's vocabulary size. */
  tokens: { model: string; limit: number; vocabSize: number } | null;
}

export interface RuleHooks {
  raw?(ctx: RawLineContext, report: Report): void;
  text?(ctx: TextLineContext, report: Report): void;
  parseError?(ctx: ParseErrorContext, report: Report): void;
  value?(ctx: ValueContext, report: Report): void;
  /** A JSON object whose format could not be detected. */
  unknownFormat?(ctx: { line: number; text: string; record: Record<string, unknown> }, report: Report): void;
  record?(ctx: RecordContext, report: Report): void;
  /**
   * Cross-record rules (duplicates, mixed formats, near-duplicates) split their work so a file can be checked in
   * parallel by byte ranges: `key` runs wherever the record is judged (any worker) and returns a number, or null when
   * the record has nothing to compare (no fact is kept, `merge` is not called for it); `merge` runs in one place, in
   * file order, with the line and that number. Findings from `merge` give their column explicitly when the record's
   * context said `mergeLater` (without one they get column 1); otherwise they may leave it to their pointer.
   *
   * A rule that needs more than one number per record sets `keyWords`: `key` then also writes that many 32-bit words
   * into `words` (zeroed before each call) and `merge` receives them. The buffer `merge` gets is reused: copy what you
   * keep. Workers carry lines, keys (doubles) and words in pages of typed arrays (lint/facts.ts; transferred, never
   * cloned).
   */
  keyWords?: number;
  key?(ctx: RecordContext, words: Uint32Array): number | null;
  merge?(ctx: MergeContext, report: Report): void;
  end?(ctx: FileEndContext, report: Report): void;
  /**
   * The file is one JSON document (an array, or pretty-printed objects), seen from its head: its lines are then not
   * judged one by one and no `end` hook runs. `input` / `output` are shell-quoted names for a conversion hint
   * (`gzip`: the input is gzip-compressed).
   */
  document?(ctx: { kind: "array" | "object"; input: string; output: string; gzip: boolean }, report: Report): void;
  /** Pre-tokenized (Parquet) files: the schema, once, before the rows. Findings are file-level (line null). */
  columns?(ctx: ColumnsContext, report: Report): void;
  /** Pre-tokenized (Parquet) files: each row. */
  row?(ctx: RowContext, report: Report): void;
  /** The file could not be read to the end (I/O failure, corrupt gzip): the result is fatal. Report with `line: null`. */
  readFailure?(ctx: { reason: string }, report: Report): void;
  /** A value given to lintRecord / createRecordLinter that JSON cannot represent (a cycle, a BigInt): there is no line text. */
  unserialisable?(ctx: { line: number }, report: Report): void;
}

/** Limits the engine applies while it reads a line, which a rule may need set (the strictest declared value wins). */
export interface EngineLimits {
  /** Lines nested deeper than this get their depth measured (ValueContext.depth) and are not token-counted. Default 500. */
  maxDepth: number;
}

export interface MergeContext {
  line: number;
  key: number;
  /** The words `key` wrote (length `keyWords`; empty without it). Reused between calls. */
  words: Uint32Array;
}

/**
 * Across files: set when the run compares a validation file with its training files (`--validation-file`).
 * `role` says which side this file is; `store` lives for the whole run (one per run, not global), so a rule can build
 * an index over the training files and query it from the validation file, which is always linted after them.
 */
export interface CrossFileContext {
  role: "training" | "validation";
  /** The path of the file being linted, as given. */
  path: string;
  /** Run-scoped state, keyed by rule id. Absent in worker threads (which only run `key`). */
  store?: Map<string, unknown>;
}

export interface SchemaErrorMatch {
  /** The ajv error, with `data` (verbose mode). */
  error: ErrorObject;
  format: DatasetFormat;
}

export interface RuleCreateContext {
  options: Record<string, number | string | boolean>;
  path: string;
  /** Present only when the run has a validation file (see CrossFileContext). */
  crossFile?: CrossFileContext;
}

/** A physical line as `tunelint fix` sees it (bytes without the line end). */
export interface FixLineContext {
  line: number;
  bytes: Buffer;
  /** true when the line ended in CR LF. */
  crlf: boolean;
}

/** A line-level repair: the new bytes (null drops the line) or the new line end, and what changed, for the report. */
export interface LineFix {
  /** Replacement bytes; null removes the line; undefined keeps them. */
  bytes?: Buffer | null;
  /** Set to false to end the line with LF instead of CR LF. */
  crlf?: false;
  before: string;
  after: string;
}

export interface FixRecordContext {
  record: Record<string, unknown>;
  format: DatasetFormat;
  /** The record's JSON text (for literals JSON.parse does not keep, such as `1.0`); "" when fixing a value. */
  text: string;
}

/** An edit to a record: replace the value at `pointer`, or remove the member (or array element) at `pointer`. */
export type FixOperation = { op: "set"; pointer: string; value: unknown; before?: string } | { op: "remove"; pointer: string };

/** Meaning-preserving repairs, beside the rule that finds the problem. Pure functions: they never print. */
export interface RuleFix {
  line?(ctx: FixLineContext): LineFix | undefined;
  record?(ctx: FixRecordContext): FixOperation[];
}

export interface Rule {
  meta: RuleMeta;
  /** Present when meta.fixable is set. */
  fix?: RuleFix;
  /**
   * Claims an ajv error of its format's schema: return the report for it, or undefined to pass it on.
   * Rules are asked in registry order; an error no rule claims becomes `schema-violation`.
   */
  fromSchema?(m: SchemaErrorMatch): ReportArgs | undefined;
  /** Per-file hooks (state lives in the closure; no global state). */
  create?(ctx: RuleCreateContext): RuleHooks;
  /** The engine limits this rule needs, from its (configured) options. */
  limits?(options: RuleCreateContext["options"]): Partial<EngineLimits>;
  /**
   * "safe": this rule's line hooks (text, value, unknownFormat, record, key) may be run on the Latin-1 view of a line
   * (RecordContext.latin1). The promise: (1) when the rule reports nothing on that view it would report nothing on the
   * decoded line (it decodes what it must judge beyond equality/ASCII, see rules/utils/view.ts); (2) those hooks keep
   * no state between lines, so the engine may judge the line again, decoded, as soon as any rule reports on it (every
   * finding is made on the decoded line: columns and messages are exactly as without the view). A rule without it
   * (the default) turns the view off for the whole file: correct, only slower.
   */
  latin1View?: "safe";
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
