/**
 * The engine: judges one line at a time and turns rule reports into diagnostics.
 * reader -> (raw, text, parse, value, format, schema, tokens, record) -> diagnostics. It never prints.
 */
import { resolve as resolvePath } from "node:path";
import type { ErrorObject } from "ajv";
import { isAscii, isUtf8 } from "node:buffer";
import { detectFormat } from "../dataset-formats/detect.js";
import { jsonDepth, locatePointers, type PointerRequest } from "../io/json-text.js";
import { validateRecord } from "../dataset-formats/validate.js";
import { SNIFF_MAX_LINES, conversionNames, sniffDocument, type DocumentKind, type HeadLine } from "../dataset-formats/document.js";
import type { RawLine, ReadSummary } from "../io/reader.js";
import { rules } from "../rules/index.js";
import { JUDGE_DECODED } from "../rules/utils/view.js";
import { redactCredentials } from "../rules/utils/secrets.js";
import type {
  ColumnsContext,
  CrossFileContext,
  RecordContext,
  RecordTokenInfo,
  ReportArgs,
  Rule,
  RuleHooks,
  RowContext,
} from "../rules/types.js";
import type {
  DatasetFormat,
  Diagnostic,
  FileResult,
  OmittedFindings,
  Severity,
  TokenizerOrigin,
  TokenStats,
  TrainingMethod,
  TrainOnInputs,
} from "../types.js";
import type { ResolvedRule } from "./config.js";
import type { SharedTokenizer } from "../tokens/load.js";
import { HistogramAccumulator } from "./histogram.js";
import { drainFacts, FactWriter, type FactLog } from "./facts.js";

/** Bytes of head lines held while sniffing for a JSON document, before the verdict is forced. */
const SNIFF_MAX_BYTES = 4 * 1024 * 1024;

/** Counts tokens for valid records; provided by src/tokens when a model is given. */
export interface TokenContext {
  model: string;
  /** The method asked for, or null to judge each record by its format (preference -> DPO limit, else SFT). */
  method: TrainingMethod | null;
  /** true when the model's own tokenizer and chat template are used. */
  exact: boolean;
  /** Where the tokenizer came from (shipped, Hugging Face cache, Hub download, user file). */
  tokenizer?: TokenizerOrigin;
  sftLimit: number;
  dpoLimit: number;
  /** Loads the tokenizer and template (once); `count` may be called only after it resolved. */
  ready(): Promise<void>;
  count(
    record: Record<string, unknown>,
    format: DatasetFormat,
  ): { total: number; promptTokens: number; trained: number; exact?: boolean; note?: string };
  /** The tokenizer's special tokens as text (after ready()). */
  specialTokens(): readonly string[];
  /** The tokenizer's vocabulary size (pre-tokenized data: every id must be below it); loads the tokenizer file. */
  vocabSize?(): Promise<number>;
  /** Frees native tokenizer memory promptly (V8 does not see it). */
  dispose?(): void;
  /**
   * The tokenizer's tables for worker threads (built here once, loading the tokenizer; shared memory), or null when
   * its engine cannot be shared (each worker then loads its own).
   */
  sharedTables?(): Promise<SharedTokenizer | null>;
  /**
   * The tokenizer's added tokens (id, text, special flag) from its tokenizer.json, for rules that look for special
   * tokens in the data; available after ready(), read from the file on first call.
   */
  addedTokens?(): Array<{ id: number; content: string; special: boolean }>;
}

/** The cross-file side of `path` in a run that has a validation file (resolved path and run store), else undefined. */
export function crossFileOf(
  prepared: { crossFile?: { validationFile: string; store: Map<string, unknown> } },
  path: string,
): CrossFileContext | undefined {
  const cf = prepared.crossFile;
  if (!cf) return undefined;
  return { role: resolvePath(path) === cf.validationFile ? "validation" : "training", path, store: cf.store };
}

export function methodFor(tc: Pick<TokenContext, "method">, format: DatasetFormat | null): TrainingMethod {
  return tc.method ?? (format === "preference" ? "dpo" : "sft");
}

export function limitFor(tc: TokenContext, format: DatasetFormat | null): number {
  return methodFor(tc, format) === "dpo" ? tc.dpoLimit : tc.sftLimit;
}

export interface EngineOptions {
  path: string;
  rules: Map<string, ResolvedRule>;
  maxLineBytes: number;
  tokens?: TokenContext | null;
  method?: TrainingMethod;
  /** The method given explicitly, if any (rules compare it with the data's format). */
  explicitMethod?: TrainingMethod;
  /** Together's train_on_inputs (default "auto"). */
  trainOnInputs?: TrainOnInputs;
  onDiagnostic?: (d: Diagnostic) => void;
  /**
   * Findings kept per rule (the first ones, in line order); the rest are counted in `omitted` (0 or absent: keep all).
   * Counts (errorCount, ...) always include every finding.
   */
  maxFindingsPerRule?: number;
  /**
   * Worker mode: keep cross-record facts (`key` results) for the main thread to `merge`, and skip file-level rules.
   * The main thread builds a FileLinter without this flag and `absorb`s each worker's part in file order.
   */
  deferCrossRecord?: boolean;
  /** Set when the run compares a validation file with training files (rules read it at create). */
  crossFile?: CrossFileContext;
  /**
   * The lines are a whole file from its first line: look at its head for a JSON document (an array, a pretty-printed
   * object) before judging lines, and report it once (json-document) instead of one finding per line.
   */
  sniffDocument?: boolean;
  /** Collect size distributions (stats.histograms: bytes per record, tokens per record) for the HTML report. */
  histograms?: boolean;
}

/** The settings a FileLinter is built from: what a PreparedLint holds, and what a worker thread receives. */
export interface LintSettings {
  rules: Map<string, ResolvedRule>;
  maxLineBytes: number;
  method: TrainingMethod;
  /** The method given explicitly (option or config), if any. */
  explicitMethod: TrainingMethod | undefined;
  tokens: TokenContext | null;
  histograms?: boolean;
  /** Findings kept per rule and file (0 or absent: all). */
  maxFindingsPerRule?: number;
  /** Together's train_on_inputs (default "auto"). */
  trainOnInputs?: TrainOnInputs;
}

/** The one place a FileLinter is assembled from lint settings (files, streams, records, the parallel main thread and workers). */
export function buildFileLinter(
  settings: LintSettings,
  path: string,
  extra: Pick<EngineOptions, "onDiagnostic" | "deferCrossRecord" | "sniffDocument" | "crossFile"> = {},
): FileLinter {
  return new FileLinter({
    path,
    rules: settings.rules,
    maxLineBytes: settings.maxLineBytes,
    tokens: settings.tokens,
    method: settings.method,
    explicitMethod: settings.explicitMethod,
    trainOnInputs: settings.trainOnInputs,
    histograms: settings.histograms,
    maxFindingsPerRule: settings.maxFindingsPerRule,
    ...extra,
  });
}

/** What a worker hands back for its byte range: everything but cross-record and file-level judgements. */
export interface PartialResult {
  lines: number;
  records: number;
  blankLines: number;
  formats: Partial<Record<DatasetFormat, number>>;
  /** The format of the range's first recognisable record. */
  firstFormat: DatasetFormat | null;
  /** Diagnostics with line numbers local to the range (1 = its first line). */
  diagnostics: Diagnostic[];
  /** Findings counted but not kept, per rule. */
  omitted: OmittedFindings[];
  /** Per cross-record rule: the line, key and words of each record it keyed (see facts.ts). */
  facts: Record<string, FactLog>;
  tokenCounts: Float64Array;
  /** Trained tokens per counted record, in the order of tokenCounts. */
  trainedCounts: Float64Array;
  overLimit: number;
  /** Records whose count is only an estimate (the template refused them). */
  inexact: number;
  tokenFailure: string | null;
  /** Histogram bin counts (when histograms were asked for). */
  histograms?: { bytes: Float64Array; tokens: Float64Array; trained: Float64Array };
}

type HookName = keyof RuleHooks;

interface Active {
  rule: Rule;
  severity: Severity;
  hooks: RuleHooks;
  /** Reports against the line being judged (made once per rule and file: no allocation per line). */
  report: (args: ReportArgs) => void;
}

/**
 * A record's token figures as the rules see them. `promptTokens` is computed lazily by the counter (only rules that
 * read it pay for it) and read through the prototype: a getter in an object literal here closed over the whole
 * judging scope (the parsed record, its text), which kept every record alive until a full collection (251 MB with
 * counts on two threads: 275 MiB peak RSS, 185 with this class).
 */
class TokenFigures implements RecordTokenInfo {
  constructor(
    private readonly counted: { readonly promptTokens: number },
    readonly total: number,
    readonly trained: number,
    readonly limit: number,
    readonly exact: boolean,
    readonly note: string | undefined,
    readonly model: string,
    readonly method: TrainingMethod,
  ) {}
  get promptTokens(): number {
    return this.counted.promptTokens;
  }
}

/** A cross-record rule: its reusable words buffer and, when deferred (a range), the facts kept for the main thread. */
interface CrossRecord {
  a: Active;
  id: string;
  words: Uint32Array;
  facts: FactWriter | null;
}

const BLANK = /^[ \t]*$/;

/** Thrown by `report` (or a rule's `needDecoded`) while a line is judged in its Latin-1 view: it is judged again, decoded. */
const REJUDGE = JUDGE_DECODED;
/** The hooks that run on a line's view (the rules behind them must be `latin1View: "safe"`). */
const VIEW_HOOKS: readonly HookName[] = ["text", "value", "unknownFormat", "record", "key"];
const BACKSLASH_U = Buffer.from("\\u");

/** The engine's nesting limit when no rule declares one. */
export const DEFAULT_MAX_DEPTH = 500;

/** Engine limits declared by the configured rules (the strictest wins), else the defaults. */
export function maxDepthOf(configured: Map<string, ResolvedRule>): number {
  let max: number | null = null;
  for (const rule of rules) {
    const cfg = configured.get(rule.meta.id);
    const d = cfg && rule.limits?.(cfg.options).maxDepth;
    if (d !== undefined && d !== null && Number.isFinite(d)) max = max === null ? d : Math.min(max, d);
  }
  return max ?? DEFAULT_MAX_DEPTH;
}

export function renderMessage(template: string, data: ReportArgs["data"]): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => {
    const v = data?.[k];
    return v === undefined || v === null ? "" : String(v);
  });
}

/** Counts '{' and '[' bytes quickly (native indexOf); only lines with many get a real depth scan. */
function bracketCount(bytes: Buffer, stopAt: number): number {
  let n = 0;
  for (const b of [0x7b, 0x5b]) {
    let i = bytes.indexOf(b);
    while (i !== -1) {
      if (++n > stopAt) return n;
      i = bytes.indexOf(b, i + 1);
    }
  }
  return n;
}

export class FileLinter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly active: Active[] = [];
  private readonly byHook = new Map<HookName, Active[]>();
  private readonly schemaRules: Active[] = [];
  private readonly claimedOff: Set<string>;
  private fileFormat: DatasetFormat | null = null;
  /** Pre-tokenized (Parquet) input: rows, not lines. */
  private pretokenized = false;
  private readonly formats: Partial<Record<DatasetFormat, number>> = {};
  private records = 0;
  private blankLines = 0;
  private lines = 0;
  private errorCount = 0;
  private warningCount = 0;
  private infoCount = 0;
  private readonly maxDepth: number;
  private readonly tokenCounts: number[] = [];
  private readonly trainedCounts: number[] = [];
  private specialTokens: readonly string[] | null = null;
  /** Token figures of the last record judged (lintRecord reports them). */
  lastTokens: RecordTokenInfo | null = null;
  private overLimit = 0;
  private inexact = 0;
  private tokenFailure: string | null = null;
  private fatalReason: string | null = null;
  // The line being judged, read by each rule's `report`.
  private curLine = 0;
  private curText: string | null = null;
  private curShift = 0;
  private curColumns: number[] = [];
  /** The line is being judged in its Latin-1 view: any report throws REJUDGE. */
  private speculative = false;
  /** The current line's bytes when curText is its Latin-1 view (decoded for a cross-record finding's column). */
  private curViewBytes: Buffer | null = null;
  /** Whether lines may be judged in their Latin-1 view (every active line rule is safe; no token counts, no histograms). */
  private readonly latin1Ok: boolean;
  /** Head sniffing (sniffDocument): lines held until the verdict, then judged ("jsonl") or only counted (a document). */
  private sniff: "pending" | "jsonl" | DocumentKind;
  private held: RawLine[] = [];
  private heldBytes = 0;
  private readonly crossRecord: CrossRecord[] = [];
  /** Findings kept per rule, and those counted but not kept (over maxFindingsPerRule). */
  private readonly kept = new Map<string, number>();
  private readonly omitted = new Map<string, OmittedFindings>();
  private readonly cap: number;
  /** While a line is judged, its findings wait here so all their columns are located in one pass over the line. */
  private inLine = false;
  private readonly lineQueue: { d: Diagnostic; locate: PointerRequest | null; shift: number; store: boolean }[] = [];
  private readonly histBytes: HistogramAccumulator | null;
  private readonly histTokens: HistogramAccumulator | null;
  private readonly histTrained: HistogramAccumulator | null;
  private static readonly order = new Map(rules.map((r, i) => [r.meta.id, i]));

  constructor(private readonly opts: EngineOptions) {
    this.sniff = opts.sniffDocument ? "pending" : "jsonl";
    for (const rule of rules) {
      const cfg = opts.rules.get(rule.meta.id);
      if (!cfg) continue;
      const hooks = rule.create?.({ options: cfg.options, path: opts.path, crossFile: opts.crossFile }) ?? {};
      const a: Active = { rule, severity: cfg.severity, hooks, report: () => {} };
      a.report = (args) => {
        if (this.speculative) throw REJUDGE;
        if (args.column !== undefined) this.curColumns.push(args.column + this.curShift);
        if (this.curViewBytes) {
          this.curText = this.curViewBytes.toString("utf8");
          this.curViewBytes = null;
        }
        this.emit(a, this.curLine, this.curText, args, this.curShift);
      };
      this.active.push(a);
      if (rule.fromSchema) this.schemaRules.push(a);
      if (hooks.key && hooks.merge) {
        const width = hooks.keyWords ?? 0;
        this.crossRecord.push({
          a,
          id: rule.meta.id,
          words: new Uint32Array(width),
          facts: opts.deferCrossRecord ? new FactWriter(width) : null,
        });
      }
      for (const name of Object.keys(hooks) as HookName[]) {
        if (!this.byHook.has(name)) this.byHook.set(name, []);
        this.byHook.get(name)!.push(a);
      }
    }
    // Rules that are off still claim their schema errors, so a disabled rule never resurfaces as schema-violation.
    this.claimedOff = new Set(rules.filter((r) => r.fromSchema && !opts.rules.has(r.meta.id)).map((r) => r.meta.id));
    this.maxDepth = maxDepthOf(opts.rules);
    this.cap = opts.maxFindingsPerRule && opts.maxFindingsPerRule > 0 ? opts.maxFindingsPerRule : Infinity;
    this.histBytes = opts.histograms ? new HistogramAccumulator() : null;
    this.histTokens = opts.histograms && opts.tokens ? new HistogramAccumulator() : null;
    this.histTrained = opts.histograms && opts.tokens ? new HistogramAccumulator() : null;
    this.latin1Ok =
      !opts.tokens &&
      !opts.histograms &&
      process.env.TUNELINT_LATIN1_VIEW !== "0" &&
      this.active.every((a) => a.rule.latin1View === "safe" || !VIEW_HOOKS.some((h) => a.hooks[h]));
  }

  /** Whether the next finding of this rule is kept (true) or only counted (false). */
  private keep(ruleId: string, severity: Severity): boolean {
    const n = this.kept.get(ruleId) ?? 0;
    if (n < this.cap) {
      this.kept.set(ruleId, n + 1);
      return true;
    }
    const o = this.omitted.get(ruleId);
    if (o) o.count++;
    else this.omitted.set(ruleId, { ruleId, severity, count: 1 });
    return false;
  }

  private count(severity: Severity, n = 1): void {
    if (severity === "error") this.errorCount += n;
    else if (severity === "warning") this.warningCount += n;
    else this.infoCount += n;
  }

  private hooks(name: HookName): Active[] {
    return this.byHook.get(name) ?? [];
  }

  private emit(a: Active, line: number | null, text: string | null, args: ReportArgs, columnShift: number): void {
    if (this.speculative) throw REJUDGE;
    const pointer = args.pointer ?? "";
    this.count(a.severity);
    const store = this.keep(a.rule.meta.id, a.severity);
    // A finding that is neither kept nor streamed is only counted: no message, no column.
    if (!store && !this.opts.onDiagnostic) return;
    let column: number | null = null;
    let locate: PointerRequest | null = null;
    const atLine = args.line === undefined ? line : args.line;
    if (atLine !== null) {
      if (args.column !== undefined) column = args.column + (args.column > 0 ? columnShift : 0);
      else if (text !== null) locate = { pointer, key: args.atKey };
      else column = 1;
    }
    const template = a.rule.meta.messages[args.messageId] ?? args.messageId;
    const d: Diagnostic = {
      ruleId: a.rule.meta.id,
      severity: a.severity,
      line: atLine,
      column,
      pointer,
      // A credential never leaves the linter in full, whichever rule quotes the data (see credential-found).
      message: redactCredentials(renderMessage(template, args.data)),
      messageId: args.messageId,
    };
    if (args.data) {
      const data: NonNullable<Diagnostic["data"]> = {};
      for (const [k, v] of Object.entries(args.data)) if (v !== undefined) data[k] = typeof v === "string" ? redactCredentials(v) : v;
      d.data = data;
    }
    if (this.inLine) {
      this.lineQueue.push({ d, locate, shift: columnShift, store });
      return;
    }
    if (locate && text !== null) d.column = locatePointers(text, [locate])[0]!.offset + 1 + columnShift;
    this.deliver(d, store);
  }

  private deliver(d: Diagnostic, store: boolean): void {
    if (store) this.diagnostics.push(d);
    this.opts.onDiagnostic?.(d);
  }

  /** Gives the line's findings their columns (one pass over the line for all of them) and delivers them in order. */
  private flushLine(): void {
    this.inLine = false;
    const q = this.lineQueue;
    if (q.length === 0) return;
    const text = this.curText;
    const wanted = text === null ? [] : q.filter((x) => x.locate !== null);
    if (wanted.length && text !== null) {
      const at = locatePointers(
        text,
        wanted.map((x) => x.locate!),
      );
      for (let i = 0; i < wanted.length; i++) wanted[i]!.d.column = at[i]!.offset + 1 + wanted[i]!.shift;
    }
    for (const x of q) {
      if (x.d.column === null && x.d.line !== null) x.d.column = 1;
      this.deliver(x.d, x.store);
    }
    q.length = 0;
  }

  /** Judges one physical line with its findings' columns located together (see flushLine). */
  private judgeLine(raw: RawLine): void {
    this.inLine = true;
    try {
      this.judge(raw);
    } finally {
      this.flushLine();
    }
  }

  /** Physical lines (rows of a Parquet file) seen so far. */
  get lineCount(): number {
    return this.lines;
  }

  /** The input is pre-tokenized (Parquet): rows, not lines; no token summary. */
  asPretokenized(): void {
    this.pretokenized = true;
    this.sniff = "jsonl";
  }

  /** Pre-tokenized (Parquet) input: the file's columns, once, before the rows. */
  columns(ctx: ColumnsContext): void {
    this.asPretokenized();
    for (const a of this.hooks("columns")) a.hooks.columns!(ctx, (args) => this.emit(a, args.line ?? null, null, args, 0));
  }

  /** Pre-tokenized (Parquet) input: one row (`ctx.line` is its 1-based number). */
  row(ctx: RowContext): void {
    this.lines = ctx.line;
    this.records++;
    this.curLine = ctx.line;
    this.curText = null;
    this.curShift = 0;
    for (const a of this.hooks("row")) a.hooks.row!(ctx, a.report);
  }

  /** Takes the next physical line: judged at once, or held while the head of the file is sniffed. */
  line(raw: RawLine): void {
    if (this.sniff === "jsonl") return this.judgeLine(raw);
    if (this.sniff !== "pending") {
      this.lines = raw.line; // a JSON document: its lines are counted, not judged
      return;
    }
    // Held lines must outlive the reader's chunk; at most a few MiB are held before a verdict is forced.
    this.held.push({ ...raw, bytes: Buffer.from(raw.bytes) });
    this.heldBytes += raw.bytes.length;
    this.decide(this.heldBytes > SNIFF_MAX_BYTES);
  }

  private decide(final: boolean): void {
    const head: HeadLine[] = this.held.map((l) => {
      const b = l.oversized ? (l.head ?? Buffer.alloc(0)) : l.bytes;
      const text = b.toString("utf8").replace(/^\uFEFF/, "");
      return { text, complete: !l.oversized };
    });
    const verdict = sniffDocument(head, final || this.held.length >= SNIFF_MAX_LINES);
    if (verdict === "more") return;
    const held = this.held;
    this.held = [];
    this.sniff = verdict;
    if (verdict === "jsonl") {
      for (const l of held) this.judgeLine(l);
      return;
    }
    this.lines = held[held.length - 1]!.line;
    const ctx = { kind: verdict, ...conversionNames(this.opts.path) };
    for (const a of this.hooks("document")) a.hooks.document!(ctx, (args) => this.emit(a, null, null, { ...args, line: null }, 0));
  }

  /** Judges one physical line. Never throws on bad input. */
  private judge(raw: RawLine): void {
    this.lines = raw.line;
    this.lastTokens = null;
    const line = raw.line;
    this.curLine = line;
    this.curText = null;
    this.curViewBytes = null;
    this.curShift = 0;
    if (this.curColumns.length) this.curColumns = [];

    for (const a of this.hooks("raw")) {
      a.hooks.raw!(
        { line, bytes: raw.bytes, length: raw.length, oversized: raw.oversized, maxLineBytes: this.opts.maxLineBytes },
        a.report,
      );
    }
    if (raw.oversized) return;

    let bytes = raw.bytes;
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      this.curShift = 1;
    }
    let ctx: RecordContext | null = null;
    if (isAscii(bytes)) {
      // For ASCII the Latin-1 string is the UTF-8 string (and cheaper to make).
      ctx = this.judgeText(line, bytes, bytes.toString("latin1"), false);
    } else if (this.latin1Ok && bytes.indexOf(BACKSLASH_U) === -1 && isUtf8(bytes)) {
      // Valid UTF-8 without \u escapes: every string value is one char per byte of its UTF-8 in the Latin-1 view, and
      // all JSON syntax is ASCII, so parsing that view (a copy, no decoding) finds the same structure. Rules judge it;
      // at the first report the line is judged again, decoded, so every finding is exactly as without the view.
      const records = this.records;
      const blankLines = this.blankLines;
      const fileFormat = this.fileFormat;
      this.viewFormat = null;
      this.speculative = true;
      try {
        ctx = this.judgeText(line, bytes, bytes.toString("latin1"), true);
        this.speculative = false;
        this.viewLines++;
        if (ctx) this.curViewBytes = bytes;
      } catch (e) {
        this.speculative = false;
        if (e !== REJUDGE) throw e;
        const f = this.viewFormat;
        if (f !== null && --this.formats[f]! === 0) delete this.formats[f];
        this.records = records;
        this.blankLines = blankLines;
        this.fileFormat = fileFormat;
        if (this.curColumns.length) this.curColumns = [];
        ctx = this.judgeText(line, bytes, bytes.toString("utf8"), false);
      }
    } else {
      // Lossy decode on purpose: strictness is the invalid-utf8 rule's job (native isUtf8), and the line is still judged.
      ctx = this.judgeText(line, bytes, bytes.toString("utf8"), false);
    }
    if (!ctx) return;
    for (const c of this.crossRecord) {
      const words = c.words;
      if (words.length) words.fill(0);
      const key = c.a.hooks.key!(ctx, words);
      if (key === null) continue;
      if (c.facts) {
        c.facts.push(line, key, words);
        continue;
      }
      // As in `absorb`: an explicit merge column is relative to the text (a located one too: no shift either way).
      const shift = this.curShift;
      this.curShift = 0;
      c.a.hooks.merge!({ line, key, words }, c.a.report);
      this.curShift = shift;
    }
    this.curViewBytes = null;
  }

  /** Lines judged in their Latin-1 view without a report (tests and profiling read it). */
  viewLines = 0;

  /** The format counted for the line being judged in its view (undone if it is judged again). */
  private viewFormat: DatasetFormat | null = null;

  /**
   * Judges a line's text (after the raw hooks): text, parse, value, format, schema, tokens, record hooks. Returns the
   * record context for the cross-record keys, or null when the line is no record. `latin1`: `text` is the Latin-1 view
   * (while `this.speculative`, any report throws REJUDGE; a parse error always does).
   */
  private judgeText(line: number, bytes: Buffer, text: string, latin1: boolean): RecordContext | null {
    this.curText = text;
    const blank = BLANK.test(text);
    if (blank) this.blankLines++;
    for (const a of this.hooks("text")) a.hooks.text!({ line, text, blank }, a.report);
    if (blank) return null;

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (latin1) throw REJUDGE;
      for (const a of this.hooks("parseError")) a.hooks.parseError!({ line, text, reportedColumns: this.curColumns }, a.report);
      return null;
    }

    let depth = 0;
    // A parsed (balanced) value nested d deep has at least 2d bytes, so short lines need no count.
    if (bytes.length > 2 * this.maxDepth && bracketCount(bytes, this.maxDepth) > this.maxDepth) {
      const d = jsonDepth(text);
      if (d > this.maxDepth) depth = d;
    }
    for (const a of this.hooks("value")) a.hooks.value!({ line, text, value, depth, maxDepth: this.maxDepth }, a.report);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const record = value as Record<string, unknown>;
    this.records++;
    this.histBytes?.add(bytes.length);

    const format = detectFormat(record);
    if (!format) {
      for (const a of this.hooks("unknownFormat")) a.hooks.unknownFormat!({ line, text, record }, a.report);
      return null;
    }
    this.formats[format] = (this.formats[format] ?? 0) + 1;
    this.viewFormat = format;
    this.fileFormat ??= format;

    const errors = validateRecord(record, format);
    if (errors) this.schemaErrors(errors, format, line, text, this.curShift);

    let tokens: RecordTokenInfo | null = null;
    const tc = this.opts.tokens;
    if (tc && !errors && depth === 0 && this.tokenFailure === null) {
      try {
        const c = tc.count(record, format);
        const limit = limitFor(tc, format);
        const exact = tc.exact && c.exact !== false;
        const trained = c.trained;
        tokens = new TokenFigures(c, c.total, trained, limit, exact, c.note, tc.model, methodFor(tc, format));
        this.tokenCounts.push(c.total);
        this.trainedCounts.push(trained);
        this.histTokens?.add(c.total);
        this.histTrained?.add(trained);
        if (c.total > limit) this.overLimit++;
        if (!exact) this.inexact++;
      } catch (e) {
        this.tokenFailure = `line ${line}: ${(e as Error).message}`;
      }
    }

    this.lastTokens = tokens;
    if (tc && this.specialTokens === null && this.tokenFailure === null) {
      try {
        this.specialTokens = tc.specialTokens();
      } catch (e) {
        this.tokenFailure = `line ${line}: ${(e as Error).message}`;
      }
    }
    const ctx: RecordContext = {
      line,
      text,
      record,
      format,
      schemaValid: errors === null,
      bytes,
      tokens,
      method: this.opts.method ?? "sft",
      explicitMethod: this.opts.explicitMethod,
      trainOnInputs: this.opts.trainOnInputs ?? "auto",
      specialTokens: this.specialTokens,
      model: tc?.model ?? null,
    };
    if (latin1) ctx.latin1 = true;
    if (this.opts.deferCrossRecord) ctx.mergeLater = true;
    for (const a of this.hooks("record")) a.hooks.record!(ctx, a.report);
    return ctx;
  }

  /** Worker side: this range's results, to be absorbed by the main thread. */
  partial(): PartialResult {
    const facts: Record<string, FactLog> = {};
    for (const c of this.crossRecord) if (c.facts) facts[c.id] = c.facts.log;
    return {
      lines: this.lines,
      records: this.records,
      blankLines: this.blankLines,
      formats: this.formats,
      firstFormat: this.fileFormat,
      diagnostics: this.diagnostics,
      omitted: [...this.omitted.values()],
      facts,
      tokenCounts: Float64Array.from(this.tokenCounts),
      trainedCounts: Float64Array.from(this.trainedCounts),
      overLimit: this.overLimit,
      inexact: this.inexact,
      tokenFailure: this.tokenFailure,
      ...(this.histBytes
        ? {
            histograms: {
              bytes: this.histBytes.counts,
              tokens: (this.histTokens ?? new HistogramAccumulator()).counts,
              trained: (this.histTrained ?? new HistogramAccumulator()).counts,
            },
          }
        : {}),
    };
  }

  /** Main side: takes a worker's range (in file order) as if its lines had been judged here. */
  absorb(part: PartialResult, lineOffset: number): void {
    for (const d of part.diagnostics) {
      if (d.line !== null) d.line += lineOffset;
      this.count(d.severity);
      if (this.keep(d.ruleId, d.severity)) this.diagnostics.push(d);
      this.opts.onDiagnostic?.(d);
    }
    // What the worker counted without keeping comes after what it kept (its first findings, in line order).
    for (const o of part.omitted) {
      this.count(o.severity, o.count);
      const cur = this.omitted.get(o.ruleId);
      if (cur) cur.count += o.count;
      else this.omitted.set(o.ruleId, { ...o });
    }
    for (const c of this.crossRecord) {
      const log = part.facts[c.id];
      if (!log) continue;
      this.curText = null;
      this.curShift = 0;
      const merge = c.a.hooks.merge!;
      drainFacts(log, c.words, (line, key, words) => {
        this.curLine = line + lineOffset;
        merge({ line: this.curLine, key, words }, c.a.report);
      });
    }
    this.lines = lineOffset + part.lines;
    this.records += part.records;
    this.blankLines += part.blankLines;
    for (const [k, v] of Object.entries(part.formats) as [DatasetFormat, number][]) this.formats[k] = (this.formats[k] ?? 0) + v;
    for (const c of part.tokenCounts) this.tokenCounts.push(c);
    for (const c of part.trainedCounts) this.trainedCounts.push(c);
    this.overLimit += part.overLimit;
    this.inexact += part.inexact;
    this.tokenFailure ??= part.tokenFailure;
    this.fileFormat ??= part.firstFormat;
    if (part.histograms) {
      this.histBytes?.merge(part.histograms.bytes);
      this.histTokens?.merge(part.histograms.tokens);
      this.histTrained?.merge(part.histograms.trained);
    }
  }

  private schemaErrors(errors: ErrorObject[], format: DatasetFormat, line: number, text: string, shift: number): void {
    const typed = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
    const seen = new Set<string>();
    for (const error of errors) {
      if (error.keyword === "if" || error.keyword === "allOf" || error.keyword === "oneOf" || error.keyword === "anyOf") continue;
      if (error.keyword !== "type" && typed.has(error.instancePath) && error.keyword !== "required") continue;
      for (const r of rules) {
        if (!r.fromSchema) continue;
        const args = r.fromSchema({ error, format });
        if (!args) continue;
        if (this.claimedOff.has(r.meta.id)) break;
        const a = this.schemaRules.find((x) => x.rule === r)!;
        const key = `${r.meta.id}\u0000${args.pointer ?? ""}\u0000${args.messageId}`;
        if (!seen.has(key)) {
          seen.add(key);
          this.emit(a, line, text, args, shift);
        }
        break;
      }
    }
  }

  /** Exact counts so far (findings over the per-rule cap included). */
  get counts(): { errors: number; warnings: number; infos: number } {
    return { errors: this.errorCount, warnings: this.warningCount, infos: this.infoCount };
  }

  /** Records that the file could not be read to the end (the result is fatal; rules with `readFailure` report it). */
  fatal(reason: string): void {
    this.fatalReason = reason;
    this.atNoText(null);
    for (const a of this.hooks("readFailure")) a.hooks.readFailure!({ reason }, a.report);
  }

  /** Line `line` is a value JSON cannot represent (lintRecord / createRecordLinter): rules with `unserialisable` report it. */
  unserialisable(line: number): void {
    this.lines = line;
    this.atNoText(line);
    for (const a of this.hooks("unserialisable")) a.hooks.unserialisable!({ line }, a.report);
  }

  private atNoText(line: number | null): void {
    this.curLine = line ?? 0;
    this.curText = null;
    this.curShift = 0;
    if (this.curColumns.length) this.curColumns = [];
  }

  /** Ends the file: file-level rules, stats, sorted diagnostics. */
  finish(summary: ReadSummary): FileResult {
    if (this.sniff === "pending") this.decide(true);
    if (this.fatalReason !== null) {
      // Only what was read is known: file-level judgements (empty, too few) would be wrong.
      return this.result(summary, true);
    }
    // A JSON document is one finding: no file-level judgement (too few examples, extension) on top of it.
    if (this.sniff !== "jsonl") return this.result(summary, false);
    const tc = this.opts.tokens;
    const endCtx = {
      path: this.opts.path,
      bytes: summary.bytes,
      lines: summary.lines,
      records: this.records,
      fileFormat: this.fileFormat,
      // Pre-tokenized rows are not counted by a tokenizer: no token summary judgement.
      tokens: tc && !this.pretokenized ? { model: tc.model, exact: tc.exact, failure: this.tokenFailure, note: tc.tokenizer?.note } : null,
    };
    for (const a of this.hooks("end")) a.hooks.end!(endCtx, (args) => this.emit(a, args.line ?? null, null, args, 0));
    return this.result(summary, false);
  }

  private result(summary: ReadSummary, fatal: boolean): FileResult {
    // Line, column, then registry order: the same order whether the file was judged in one thread or many.
    const order = FileLinter.order;
    this.diagnostics.sort(
      (x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0) || order.get(x.ruleId)! - order.get(y.ruleId)!,
    );
    const result: FileResult = {
      path: this.opts.path,
      format: this.fileFormat,
      records: this.records,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      infoCount: this.infoCount,
      diagnostics: this.diagnostics,
      stats: {
        bytes: summary.bytes,
        sha256: summary.sha256,
        lines: summary.lines,
        blankLines: this.blankLines,
        formats: this.formats,
      },
    };
    if (summary.gzip && summary.decodedSha256) result.stats.decoded = { bytes: summary.decodedBytes, sha256: summary.decodedSha256 };
    if (this.pretokenized) {
      result.format = "pretokenized";
      result.stats.formats = this.records ? { pretokenized: this.records } : {};
    }
    const tokens = this.pretokenized ? undefined : this.tokenStats();
    if (tokens) result.stats.tokens = tokens;
    if (this.histBytes) {
      const histograms: NonNullable<FileResult["stats"]["histograms"]> = {};
      const b = this.histBytes.toHistogram("bytes");
      if (b) histograms.bytes = b;
      const t = this.histTokens?.toHistogram("tokens");
      if (t) histograms.tokens = t;
      const tr = this.histTrained?.toHistogram("tokens");
      if (tr) histograms.trained = tr;
      result.stats.histograms = histograms;
    }
    if (fatal) result.fatal = true;
    if (this.omitted.size) {
      const order = FileLinter.order;
      result.omitted = [...this.omitted.values()].sort((x, y) => (order.get(x.ruleId) ?? 0) - (order.get(y.ruleId) ?? 0));
    }
    return result;
  }

  private tokenStats(): TokenStats | undefined {
    const tc = this.opts.tokens;
    if (!tc) return undefined;
    const counts = Float64Array.from(this.tokenCounts).sort();
    const n = counts.length;
    let total = 0;
    for (const c of this.tokenCounts) total += c;
    const pctOf = (sorted: Float64Array) => (p: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]!);
    const pct = pctOf(counts);
    const trainedSorted = Float64Array.from(this.trainedCounts).sort();
    const tpct = pctOf(trainedSorted);
    let trained = 0;
    let untrained = 0;
    for (const c of this.trainedCounts) {
      trained += c;
      if (c === 0) untrained++;
    }
    return {
      model: tc.model,
      method: methodFor(tc, this.fileFormat),
      exact: tc.exact && this.inexact === 0,
      ...(tc.tokenizer ? { tokenizer: tc.tokenizer } : {}),
      limit: limitFor(tc, this.fileFormat),
      total,
      min: n ? counts[0]! : 0,
      max: n ? counts[n - 1]! : 0,
      mean: n ? Math.round((total / n) * 10) / 10 : 0,
      p50: pct(50),
      p95: pct(95),
      overLimit: this.overLimit,
      trained,
      trainedMin: n ? trainedSorted[0]! : 0,
      trainedMax: n ? trainedSorted[n - 1]! : 0,
      trainedMean: n ? Math.round((trained / n) * 10) / 10 : 0,
      trainedP50: tpct(50),
      trainedP95: tpct(95),
      untrained,
      trainOnInputs: this.opts.trainOnInputs ?? "auto",
    };
  }
}
