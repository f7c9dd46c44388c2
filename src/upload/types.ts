/**
 * Public types of the uploader. Everything here is re-exported from the package root.
 */
import type { FileResult } from "../types.js";
import type { TogetherClientOptions } from "./client.js";
import type { JobSettings } from "./job-options.js";

export type { RetryEvent, RetryPolicy } from "./retry.js";

export { DEFAULT_BASE_URL, MULTIPART_CONCURRENCY, MULTIPART_PART_SIZE, MULTIPART_THRESHOLD } from "./defaults.js";
export type { TogetherClientOptions } from "./client.js";
export type { JobSettings } from "./job-options.js";

/** Progress of one file's transfer, reported many times per second at most. */
export interface UploadProgress {
  path: string;
  phase: "upload" | "processing";
  bytesSent: number;
  totalBytes: number;
}

/** What `uploadFile` must know about the bytes it sends: the size and hash computed while linting. */
export interface ExpectedContent {
  bytes: number;
  sha256: string;
}

export interface UploadFileOptions extends TogetherClientOptions {
  /** Name Together stores (default: the file's base name). */
  fileName?: string;
  /** "jsonl" (default from the extension) or "parquet". */
  fileType?: string;
  /**
   * "gzip": the file is a .jsonl.gz, sent decompressed (as NAME.jsonl unless `fileName`); `expected` is then the
   * size and SHA-256 of the decompressed bytes (the lint's `stats.decoded`).
   */
  decompress?: "gzip";
  /** Default "fine-tune". */
  purpose?: "fine-tune" | "eval" | "batch-api";
  /**
   * Size and SHA-256 of the bytes that were linted. The upload hashes the bytes as it sends them and aborts before
   * the last byte leaves when they differ. When omitted, the file is hashed once before the upload.
   */
  expected?: ExpectedContent;
  onProgress?: (p: UploadProgress) => void;
  /** Above this many bytes the multipart flow is used. Default 5 GiB. */
  multipartThreshold?: number;
  /** Default 250 MiB. */
  partSize?: number;
  /** Parts in flight at once (1..4). Default 4. */
  concurrency?: number;
}

export interface UploadedFile {
  id: string;
  /** Name as stored by Together. */
  fileName: string;
  bytes: number;
  sha256: string;
  /** "multipart" for files above the threshold. */
  method: "single" | "multipart";
}

/** A file object as returned by GET /v1/files/{id}. */
export interface TogetherFile {
  id: string;
  processing_status?: ProcessingStatus;
  validation_report?: unknown;
  bytes?: number;
  filename?: string;
  [key: string]: unknown;
}

export type ProcessingStatus = "PENDING" | "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "INVALID_FORMAT";

export interface WaitForProcessingOptions extends TogetherClientOptions {
  /** First poll interval, growing by half each poll up to `maxPollIntervalMs`. Default 500 ms. */
  pollIntervalMs?: number;
  /** Default 5 s. */
  maxPollIntervalMs?: number;
  /** Give up after this long. Default 30 min. */
  processingTimeoutMs?: number;
  onStatus?: (file: TogetherFile) => void;
}

export interface UploadDatasetOptions extends UploadFileOptions, WaitForProcessingOptions {
  /** Lint options passed to the same engine as `tunelint check` (model token budgets included). */
  lint?: Record<string, unknown> & { model?: string; method?: "sft" | "dpo" };
  /** The lint step (default: the core `lintFile`). Injectable for pipelines and tests. */
  lintFn?: (path: string, options?: Record<string, unknown>) => Promise<FileResult>;
  /** Refuse when the lint found more warnings than this (like --max-warnings). Default: no limit. */
  maxWarnings?: number;
  /** Wait until Together has processed the file. Default true. */
  wait?: boolean;
}

export type UploadDatasetStatus = "COMPLETED" | "UPLOADED" | "LINT_FAILED";

export interface UploadDatasetResult {
  path: string;
  /** The lint result of exactly the bytes that were sent. */
  lint: FileResult;
  /** null when the lint failed and nothing was sent. */
  file: UploadedFile | null;
  /** Together's file object after processing (when waited for). */
  remote?: TogetherFile;
  status: UploadDatasetStatus;
}

/** GET /v1/fine-tunes/models/limits (fields as Together sends them; all optional for older servers). */
export interface ModelLimits {
  model_name?: string;
  max_seq_length_sft?: number;
  max_seq_length_dpo?: number;
  max_num_epochs?: number;
  max_num_checkpoints?: number;
  max_num_evals?: number;
  min_learning_rate?: number;
  max_learning_rate?: number;
  supports_tools?: boolean;
  supports_vision?: boolean;
  supports_full_training?: boolean;
  lora_training?: { max_batch_size?: number; max_batch_size_dpo?: number; min_batch_size?: number; max_rank?: number };
  full_training?: { max_batch_size?: number; max_batch_size_dpo?: number; min_batch_size?: number };
  [key: string]: unknown;
}

export interface CreateFineTuneOptions extends TogetherClientOptions, JobSettings {
  model: string;
  trainingFile: string;
  validationFile?: string;
  method?: "sft" | "dpo";
  /** Sent as wandb_api_key; registered as a secret (never printed, never in the returned request). */
  wandbApiKey?: string;
  /** Check the model's limits first (default true). Pass the limits to skip the request. */
  checkLimits?: boolean;
  limits?: ModelLimits;
  /** Extra fields sent as they are. */
  extra?: Record<string, unknown>;
}

/** Together's answer to POST /v1/fine-tunes/estimate-price, as tunelint shows it. */
export interface PriceEstimate {
  available: boolean;
  /** When not available: Together's reason (e.g. "train_file_not_validated"). */
  unavailableReason?: string;
  /** false: Together says the job may not proceed (e.g. the price is above the credit limit). */
  allowedToProceed?: boolean;
  /** US dollars. */
  totalPrice?: number;
  trainTokens?: number;
  evalTokens?: number;
  /** The account's credit limit, US dollars. */
  userLimit?: number;
}

/** A job object from POST /v1/fine-tunes. */
export interface FineTuneJob {
  id: string;
  status?: string;
  model?: string;
  output_name?: string;
  [key: string]: unknown;
}

export interface CreateFineTuneResult {
  job: FineTuneJob;
  limits: ModelLimits | null;
  /** The request body that was sent. */
  request: Record<string, unknown>;
}
