/**
 * `upload`, step 1: the plan. Every check that needs no I/O (the key, the flags, the job options, the base URL, the
 * file names Together accepts) is made here, once; what it returns is all the execution needs.
 */
import { basename } from "node:path";
import { MissingApiKeyError, resolveApiKey, resolveBaseUrl } from "./client.js";
import { parseJobSettings, type JobSettings } from "./job-options.js";

export type FileRole = "training" | "validation";

/** The command's arguments as given (the CLI passes flags through; values are validated by the plan). */
export interface UploadCommandArgs extends Partial<Record<keyof JobSettings, unknown>> {
  /** Training file. */
  file?: string;
  validationFile?: string;
  /** Resume: use files already uploaded instead of uploading (with --create-job). */
  trainingFileId?: string;
  validationFileId?: string;
  model?: string;
  method?: "sft" | "dpo";
  createJob?: boolean;
  /** Output format: "json" writes one JSON document to stdout; anything else is text (lint report in that format). */
  format?: string;
  maxWarnings?: number;
  baseUrl?: string;
  /** Allow plain http:// to a host that is not loopback (warns). */
  allowHttp?: boolean;
  /** Wait for Together to process the files (default true; always with --create-job). */
  wait?: boolean;
  /** Per-request time-out, seconds. */
  timeout?: number;
}

export interface PlannedFile {
  role: FileRole;
  /** The local path as given. */
  path: string;
  /** The name Together stores: the base name, without ".gz" for a .jsonl.gz (sent decompressed). */
  fileName: string;
  fileType: "jsonl" | "parquet";
  /** A .jsonl.gz: the decompressed JSONL is sent. */
  gzip: boolean;
}

export interface UploadPlan {
  apiKey: string;
  baseUrl: string;
  allowHttp: boolean;
  timeoutMs?: number;
  files: PlannedFile[];
  /** Files already on Together (resume). */
  existing: Array<{ role: FileRole; fileId: string }>;
  job: { model: string; method: "sft" | "dpo"; settings: JobSettings } | null;
  wait: boolean;
  maxWarnings?: number;
  /** "json", or the lint report's text format. */
  format: string;
  json: boolean;
  /** The command line's base URL, for the resume command. */
  baseUrlFlag?: string;
}

export type PlanResult = { plan: UploadPlan } | { usage: string };

/**
 * What Together accepts, by name: .jsonl and .parquet. A .jsonl.gz is linted as it is and sent decompressed as NAME.jsonl.
 * Returns the planned file, or why the name is refused.
 */
export function planFile(path: string, role: FileRole): PlannedFile | string {
  const name = basename(path);
  const lower = name.toLowerCase();
  if (lower.endsWith(".jsonl")) return { role, path, fileName: name, fileType: "jsonl", gzip: false };
  if (lower.endsWith(".jsonl.gz")) return { role, path, fileName: name.slice(0, -3), fileType: "jsonl", gzip: true };
  if (lower.endsWith(".parquet")) return { role, path, fileName: name, fileType: "parquet", gzip: false };
  const inner = lower.replace(/\.(gz|gzip)$/, "");
  if (/\.(zst|bz2|xz|zip|7z|tar|tgz)$/.test(lower)) {
    return `${path}: Together accepts only .jsonl and .parquet files; decompress it to a .jsonl first (tunelint check lints it as it is)`;
  }
  if (inner.endsWith(".json")) {
    return (
      `${path}: Together accepts only .jsonl and .parquet files. A .json file is usually one JSON array or object: ` +
      `convert it to one JSON object per line (jq -c '.[]' ${basename(inner)} > ${basename(inner).replace(/\.json$/i, ".jsonl")}) and upload the .jsonl`
    );
  }
  if (/\.(ndjson|txt|jsonlines)$/.test(inner)) {
    return `${path}: Together accepts only .jsonl and .parquet files; if it holds one JSON object per line, rename it to ${basename(inner).replace(/\.[^.]+$/, ".jsonl")}`;
  }
  return `${path}: Together accepts only .jsonl and .parquet files (and tunelint uploads a .jsonl.gz decompressed)`;
}

export function planUpload(args: UploadCommandArgs, env: Record<string, string | undefined>): PlanResult {
  let apiKey: string;
  try {
    apiKey = resolveApiKey({ env });
  } catch (e) {
    if (e instanceof MissingApiKeyError) return { usage: e.message };
    throw e;
  }
  if (args.file && args.trainingFileId) return { usage: "give either a training file or --training-file-id, not both" };
  if (!args.file && !args.trainingFileId) return { usage: "missing the training file (tunelint upload train.jsonl --model MODEL)" };
  if (args.validationFile && args.validationFileId) return { usage: "give either --validation-file or --validation-file-id, not both" };
  if (args.createJob && !args.model) {
    return { usage: "--create-job needs --model (for example --model meta-llama/Meta-Llama-3.1-8B-Instruct-Reference)" };
  }
  if (!args.createJob && (args.trainingFileId || args.validationFileId)) {
    return { usage: "--training-file-id / --validation-file-id are for resuming with --create-job" };
  }
  const parsed = parseJobSettings(args);
  if ("problem" in parsed) return { usage: parsed.problem };
  const method = args.method ?? "sft";
  if (method === "dpo" && parsed.settings.trainOnInputs !== undefined) {
    return { usage: "--train-on-inputs applies to SFT only (Together's preference training has no train_on_inputs)" };
  }
  if (args.timeout !== undefined && !(typeof args.timeout === "number" && Number.isFinite(args.timeout) && args.timeout > 0)) {
    return { usage: `--timeout must be a positive number of seconds, not ${JSON.stringify(args.timeout)}` };
  }
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl({ baseUrl: args.baseUrl, env, allowHttp: args.allowHttp === true });
  } catch (e) {
    return { usage: (e as Error).message };
  }
  const files: PlannedFile[] = [];
  for (const [path, role] of [
    [args.file, "training"],
    [args.validationFile, "validation"],
  ] as const) {
    if (!path) continue;
    const f = planFile(path, role);
    if (typeof f === "string") return { usage: f };
    if (f.fileType === "parquet" && method === "dpo") {
      return { usage: `${path}: Together's preference training (--method dpo) does not accept pre-tokenized Parquet files` };
    }
    files.push(f);
  }
  const existing: UploadPlan["existing"] = [];
  if (args.trainingFileId) existing.push({ role: "training", fileId: args.trainingFileId });
  if (args.validationFileId) existing.push({ role: "validation", fileId: args.validationFileId });
  const json = args.format === "json";
  return {
    plan: {
      apiKey,
      baseUrl,
      allowHttp: args.allowHttp === true,
      timeoutMs: args.timeout !== undefined ? Math.max(1, args.timeout) * 1000 : undefined,
      files,
      existing,
      job: args.createJob ? { model: args.model!, method, settings: parsed.settings } : null,
      wait: args.wait !== false || args.createJob === true,
      maxWarnings: args.maxWarnings,
      format: args.format ?? "stylish",
      json,
      baseUrlFlag: args.baseUrl,
    },
  };
}
