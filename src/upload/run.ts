/**
 * `tunelint upload`: the command's whole behaviour, independent of yargs so it can be driven from tests.
 * Exit codes: 0 done; 1 lint errors (or --max-warnings exceeded), nothing sent; 2 usage / missing key / I/O /
 * file changed since the lint; 3 Together refused or failed; 130 cancelled (Ctrl-C).
 */
import type { FileResult } from "../types.js";
import { MissingApiKeyError, TogetherClient, resolveApiKey, resolveBaseUrl } from "./client.js";
import { lintBlocks, type LintFn } from "./dataset.js";
import { FileChangedError, TogetherApiError, UploadAbortedError, redactText, redactUrl } from "./errors.js";
import { describeValidationReport, uploadFile, waitForProcessing } from "./files.js";
import { checkAgainstLimits, createFineTune, getModelLimits } from "./finetune.js";
import { createProgressRenderer, formatBytes, type ProgressStream } from "./progress.js";
import type { RetryEvent, RetryPolicy } from "./retry.js";
import type { CreateFineTuneOptions, FineTuneJob, ModelLimits } from "./types.js";

export interface UploadCommandArgs {
  /** Training file. */
  file?: string;
  validationFile?: string;
  /** Resume: use files already uploaded instead of uploading (with --create-job). */
  trainingFileId?: string;
  validationFileId?: string;
  model?: string;
  method?: "sft" | "dpo";
  createJob?: boolean;
  epochs?: number;
  checkpoints?: number;
  evals?: number;
  batchSize?: number | "max";
  learningRate?: number;
  lora?: boolean;
  loraRank?: number;
  trainOnInputs?: boolean | "auto";
  warmupRatio?: number;
  suffix?: string;
  /** Output format: "json" writes one JSON document to stdout; anything else is text (lint report in that format). */
  format?: string;
  maxWarnings?: number;
  baseUrl?: string;
  /** Wait for Together to process the files (default true; always with --create-job). */
  wait?: boolean;
  /** Per-request time-out, seconds. */
  timeout?: number;
}

export interface UploadIO {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The lint engine (the same as `check`), and the options `check` would use. */
  lintFn: LintFn;
  lintOptions?: Record<string, unknown>;
  /** Renders lint results in the given format (the `check` formatters). */
  formatLint?: (results: FileResult[], format: string) => string;
  retry?: Partial<RetryPolicy>;
  pollIntervalMs?: number;
  /** How the user invoked the tool, for the resume hint. Default "tunelint". */
  bin?: string;
}

type FileRole = "training" | "validation";
type FileStatus = "COMPLETED" | "UPLOADED" | "LINT_FAILED" | "NOT_UPLOADED" | "FAILED" | "INVALID_FORMAT" | "FILE_CHANGED" | "EXISTING";

interface FileEntry {
  path: string | null;
  role: FileRole;
  fileId: string | null;
  bytes: number | null;
  sha256: string | null;
  status: FileStatus;
  errorCount?: number;
  warningCount?: number;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function defaultFormatLint(results: FileResult[], format: string): string {
  if (format === "json") return JSON.stringify(results);
  const out: string[] = [];
  for (const r of results) {
    if (!r.diagnostics.length) continue;
    out.push(r.path);
    for (const d of r.diagnostics) {
      out.push(`  ${d.line ?? 0}:${d.column ?? 0}  ${d.severity}  ${d.message}  ${d.ruleId}`);
    }
    out.push("");
  }
  return out.join("\n");
}

export async function runUpload(args: UploadCommandArgs, io: UploadIO): Promise<number> {
  const env = io.env ?? process.env;
  const json = args.format === "json";
  const out = (s: string) => io.stdout.write(s.endsWith("\n") ? s : s + "\n");
  const progress = createProgressRenderer(io.stderr);
  const err = (s: string) => {
    progress.clear();
    io.stderr.write(redactText(s).replace(/\n?$/, "\n"));
  };
  const bin = io.bin ?? "tunelint";

  // 1. The key, before any work.
  let apiKey: string;
  try {
    apiKey = resolveApiKey({ env });
  } catch (e) {
    if (e instanceof MissingApiKeyError) {
      err(`tunelint upload: ${e.message}`);
      return 2;
    }
    throw e;
  }

  // 2. Usage.
  const usage = (m: string) => {
    err(`tunelint upload: ${m}`);
    return 2;
  };
  if (args.file && args.trainingFileId) return usage("give either a training file or --training-file-id, not both");
  if (!args.file && !args.trainingFileId) return usage("missing the training file (tunelint upload train.jsonl --model MODEL)");
  if (args.validationFile && args.validationFileId) return usage("give either --validation-file or --validation-file-id, not both");
  if (args.createJob && !args.model)
    return usage("--create-job needs --model (for example --model meta-llama/Meta-Llama-3.1-8B-Instruct-Reference)");
  if (!args.createJob && (args.trainingFileId || args.validationFileId))
    return usage("--training-file-id / --validation-file-id are for resuming with --create-job");
  for (const [name, v] of [
    ["--epochs", args.epochs],
    ["--checkpoints", args.checkpoints],
    ["--evals", args.evals],
    ["--lora-rank", args.loraRank],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) return usage(`${name} must be a non-negative integer`);
  }
  if (args.learningRate !== undefined && !(args.learningRate > 0)) return usage("--learning-rate must be a positive number");
  for (const p of [args.file, args.validationFile]) {
    if (p && /\.(gz|zst|bz2|xz|zip)$/i.test(p)) {
      return usage(
        `${p}: Together does not accept compressed files; decompress it (tunelint check lints it as it is) and upload the .jsonl`,
      );
    }
  }

  const onRetry = (e: RetryEvent) => {
    const attempt = e.attempt + 1;
    err(`${e.error.message}; retrying ${e.step} in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${attempt})`);
  };
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl({ baseUrl: args.baseUrl, env });
  } catch (e) {
    return usage((e as Error).message);
  }
  const client = new TogetherClient({
    apiKey,
    baseUrl,
    signal: io.signal,
    retry: io.retry,
    timeoutMs: args.timeout !== undefined ? Math.max(1, args.timeout) * 1000 : undefined,
    onRetry,
  });

  const entries: FileEntry[] = [];
  const targets: Array<{ path: string; role: FileRole }> = [];
  if (args.file) targets.push({ path: args.file, role: "training" });
  else entries.push({ path: null, role: "training", fileId: args.trainingFileId!, bytes: null, sha256: null, status: "EXISTING" });
  if (args.validationFile) targets.push({ path: args.validationFile, role: "validation" });
  else if (args.validationFileId)
    entries.push({ path: null, role: "validation", fileId: args.validationFileId, bytes: null, sha256: null, status: "EXISTING" });

  let job: FineTuneJob | null = null;
  let failure: Record<string, unknown> | null = null;
  const finish = (code: number) => {
    progress.clear();
    if (json) {
      let lint: unknown = lints;
      if (io.formatLint) {
        try {
          lint = JSON.parse(io.formatLint(lints, "json"));
        } catch {
          lint = lints;
        }
      }
      out(JSON.stringify({ files: entries.map(publicEntry), job, lint, ...(failure ? { error: failure } : {}) }));
    }
    return code;
  };
  function cancelled(): number {
    err(`Cancelled.${doneSoFar()}`);
    failure = { code: "cancelled", message: "Cancelled" };
    return finish(130);
  }
  const doneSoFar = () => {
    const done = entries.filter((e) => e.fileId && e.status !== "EXISTING" && e.status !== "FAILED" && e.status !== "INVALID_FORMAT");
    return done.length ? ` Already uploaded: ${done.map((e) => `${e.path} -> ${e.fileId}`).join(", ")}.` : "";
  };

  // 3. Lint, with the same engine and options as `check`. Any error: the report, exit 1, not one request.
  // A model tunelint's registry does not know (no tokenizer to count with) is not a reason to refuse the upload:
  // Together is the authority on model ids, and --create-job asks it (with "did you mean" ids on a 404). The file is
  // then linted without token budgets, and the user is told so.
  const lints: FileResult[] = [];
  // With a validation file, the lint run is one: the training file is indexed, then the validation file is checked
  // against it (validation-leak), as `check train.jsonl --validation-file val.jsonl` does.
  let lintOptions = args.validationFile ? { ...io.lintOptions, validationFile: args.validationFile } : io.lintOptions;
  for (const t of targets) {
    for (;;) {
      try {
        lints.push(await io.lintFn(t.path, lintOptions));
        break;
      } catch (e) {
        if (io.signal?.aborted) return cancelled();
        if ((e as Error)?.name === "UnknownModelError" && lintOptions?.model !== undefined) {
          err(
            `Note: ${(e as Error).message} Token budgets were not checked` +
              (args.createJob ? "; Together checks the model id before anything is uploaded." : "."),
          );
          lintOptions = { ...lintOptions, model: undefined };
          continue;
        }
        err(`tunelint upload: cannot lint ${t.path}: ${(e as Error).message}`);
        return 2;
      }
    }
  }
  if (io.signal?.aborted) return cancelled();
  targets.forEach((t, i) => {
    const l = lints[i]!;
    entries.push({
      path: t.path,
      role: t.role,
      fileId: null,
      bytes: l.stats.bytes,
      sha256: l.stats.sha256,
      status: lintBlocks(l, args.maxWarnings) ? "LINT_FAILED" : "NOT_UPLOADED",
      errorCount: l.errorCount,
      warningCount: l.warningCount,
    });
  });
  entries.sort((a, b) => (a.role === b.role ? 0 : a.role === "training" ? -1 : 1));
  const formatLint = io.formatLint ?? defaultFormatLint;
  if (!json && lints.some((l) => l.diagnostics.length > 0)) {
    const text = formatLint(lints, args.format ?? "stylish");
    if (text.trim()) out(text);
  }

  if (lints.some((l) => l.fatal)) {
    err("tunelint upload: a file could not be read to the end; nothing was uploaded.");
    return finish(2);
  }
  const blocked = entries.filter((e) => e.status === "LINT_FAILED");
  if (blocked.length) {
    const errors = lints.reduce((n, l) => n + l.errorCount, 0);
    const warnings = lints.reduce((n, l) => n + l.warningCount, 0);
    const why =
      errors > 0
        ? `${errors} lint error${errors === 1 ? "" : "s"}`
        : `${warnings} warning${warnings === 1 ? "" : "s"} (more than --max-warnings ${args.maxWarnings})`;
    err(`Not uploading: ${why} in ${blocked.map((e) => e.path).join(", ")}. Nothing was sent to Together.`);
    failure = { code: "lint_failed", message: `${why}; nothing was sent` };
    return finish(1);
  }

  try {
    // 4. With --create-job, check the model first: a wrong model id costs no upload.
    let limits: ModelLimits | null = null;
    const jobOptions: CreateFineTuneOptions | null = args.createJob
      ? {
          client,
          model: args.model!,
          trainingFile: "",
          epochs: args.epochs,
          checkpoints: args.checkpoints,
          evals: args.evals,
          batchSize: args.batchSize,
          learningRate: args.learningRate,
          lora: args.lora,
          loraRank: args.loraRank,
          method: args.method,
          suffix: args.suffix,
          trainOnInputs: args.trainOnInputs,
          warmupRatio: args.warmupRatio,
        }
      : null;
    if (jobOptions) {
      limits = await getModelLimits(jobOptions.model, { client });
      const problems = checkAgainstLimits(jobOptions, limits);
      if (problems.length) {
        err(`tunelint upload: the job does not fit ${jobOptions.model}'s limits: ${problems.join("; ")}. Nothing was uploaded.`);
        failure = { code: "invalid_request", category: "validation", message: problems.join("; ") };
        return finish(2);
      }
    }

    // 5. Upload exactly the linted bytes, then wait for Together's processing.
    const wait = args.wait !== false || args.createJob === true;
    for (const entry of entries) {
      if (entry.status !== "NOT_UPLOADED" || !entry.path) continue;
      const path = entry.path;
      const file = await uploadFile(path, {
        client,
        expected: { bytes: entry.bytes!, sha256: entry.sha256! },
        onProgress: (p) => progress.onProgress(p),
      }).catch((e: unknown) => {
        if (e instanceof FileChangedError) entry.status = "FILE_CHANGED";
        throw e;
      });
      entry.fileId = file.id;
      entry.status = "UPLOADED";
      if (wait) {
        progress.onProgress({ path, phase: "processing", bytesSent: file.bytes, totalBytes: file.bytes });
        try {
          const remote = await waitForProcessing(file.id, {
            client,
            pollIntervalMs: io.pollIntervalMs,
            onStatus: (f) => progress.status(path, `processing on Together (${f.processing_status ?? "?"})`),
          });
          entry.status =
            (remote.processing_status as FileStatus | undefined) === "COMPLETED" || !remote.processing_status ? "COMPLETED" : "UPLOADED";
        } catch (e) {
          if (e instanceof TogetherApiError && e.code === "processing_failed") {
            entry.status = /INVALID_FORMAT/.test(e.message) ? "INVALID_FORMAT" : "FAILED";
          }
          throw e;
        }
      }
      progress.clear();
      if (!json) {
        out(
          `${path}: uploaded as ${file.id} (${formatBytes(file.bytes)}, sha256 ${file.sha256.slice(0, 12)}…)${entry.status === "COMPLETED" ? ", processed by Together" : ""}`,
        );
      }
    }

    // 6. The job.
    if (jobOptions) {
      const training = entries.find((e) => e.role === "training")!;
      const validation = entries.find((e) => e.role === "validation");
      const res = await createFineTune({
        ...jobOptions,
        trainingFile: training.fileId!,
        validationFile: validation?.fileId ?? undefined,
        limits: limits ?? undefined,
      });
      job = publicJob(res.job);
      if (!json) {
        const base = redactUrl(client.baseUrl);
        out(`Fine-tune job ${job.id} created${job.status ? ` (${job.status})` : ""} on ${jobOptions.model}.`);
        out(`Follow it: together fine-tuning retrieve ${job.id}`);
        out(`       or: curl -s -H "Authorization: Bearer $TOGETHER_API_KEY" ${base}/fine-tunes/${job.id}`);
      }
    }
    return finish(0);
  } catch (e) {
    if (e instanceof UploadAbortedError || io.signal?.aborted) return cancelled();
    if (e instanceof FileChangedError) {
      err(`tunelint upload: ${e.message}${doneSoFar()}`);
      failure = { code: "file_changed", message: e.message };
      return finish(2);
    }
    if (e instanceof TogetherApiError) {
      explain(e);
      failure = e.toJSON();
      return finish(3);
    }
    err(`tunelint upload: ${(e as Error)?.message ?? String(e)}${doneSoFar()}`);
    failure = { code: "internal", message: String((e as Error)?.message ?? e) };
    return finish(2);
  }

  function explain(e: TogetherApiError) {
    const lines = [`tunelint upload: ${e.message}`];
    switch (e.category) {
      case "auth":
        lines.push(
          "The API key comes from the TOGETHER_API_KEY environment variable (it is never printed).",
          "Check it at https://api.together.ai/settings/api-keys and export TOGETHER_API_KEY=<your key>.",
        );
        break;
      case "billing":
        lines.push("Add credits at https://api.together.ai/settings/billing, then resume.");
        break;
      case "rate_limit":
        lines.push("Together kept rate-limiting this key; wait a minute and run the command again.");
        break;
      case "server":
      case "network":
        lines.push(`Together (${redactUrl(client.baseUrl)}) is unavailable or unreachable; try again later.`);
        break;
      case "validation":
        if (e.code === "processing_failed" && e.validationReport !== undefined) {
          lines.push("Together's validation report:");
          const pretty = typeof e.validationReport === "string" ? e.validationReport : JSON.stringify(e.validationReport, null, 2);
          lines.push(pretty.length > 4000 ? describeValidationReport(e.validationReport) : pretty);
        }
        break;
      default:
        break;
    }
    const uploaded = entries.filter((x) => x.fileId && (x.status === "COMPLETED" || x.status === "UPLOADED" || x.status === "EXISTING"));
    const fresh = uploaded.filter((x) => x.status !== "EXISTING");
    if (fresh.length) {
      lines.push(`Already done: ${fresh.map((x) => `${x.path} uploaded as ${x.fileId}`).join("; ")}.`);
    }
    if (args.createJob && uploaded.some((x) => x.role === "training") && e.step !== "processing") {
      const train = uploaded.find((x) => x.role === "training")!;
      const val = uploaded.find((x) => x.role === "validation");
      if (!args.validationFile || val) {
        lines.push(`Resume without uploading again: ${resumeCommand(train.fileId!, val?.fileId ?? undefined)}`);
      }
    }
    if (e.requestId) lines.push(`Request id: ${e.requestId}`);
    err(lines.join("\n"));
  }

  function resumeCommand(trainId: string, valId?: string): string {
    const parts = ["upload", "--create-job", "--training-file-id", trainId];
    if (valId) parts.push("--validation-file-id", valId);
    parts.push("--model", args.model!);
    const opt = (flag: string, v: unknown) => {
      if (v !== undefined) parts.push(flag, String(v));
    };
    opt("--epochs", args.epochs);
    opt("--checkpoints", args.checkpoints);
    opt("--evals", args.evals);
    opt("--batch-size", args.batchSize);
    opt("--learning-rate", args.learningRate);
    opt("--lora-rank", args.loraRank);
    opt("--method", args.method);
    opt("--suffix", args.suffix);
    opt("--warmup-ratio", args.warmupRatio);
    opt("--train-on-inputs", args.trainOnInputs);
    if (args.lora === false) parts.push("--no-lora");
    if (args.baseUrl) opt("--base-url", redactUrl(args.baseUrl));
    return `${bin} ${parts.map(shellQuote).join(" ")}`;
  }
}

/** The job as Together returned it, minus anything that looks like a credential. */
function publicJob(job: FineTuneJob): FineTuneJob {
  const out: FineTuneJob = { id: job.id };
  for (const [k, v] of Object.entries(job)) {
    if (/(api_?key|token|secret|password)$/i.test(k) && k !== "id") continue;
    out[k] = v;
  }
  return out;
}

function publicEntry(e: FileEntry): Record<string, unknown> {
  return {
    path: e.path,
    role: e.role,
    fileId: e.fileId,
    bytes: e.bytes,
    sha256: e.sha256,
    status: e.status,
    ...(e.errorCount !== undefined ? { errorCount: e.errorCount, warningCount: e.warningCount } : {}),
  };
}
