/**
 * `upload`, step 2: execution. Lints (the same engine and options as `check`), checks the model, uploads exactly the
 * linted bytes, waits for Together's processing, asks Together's price estimate, creates the job. It prints nothing:
 * it emits progress events as it goes and returns an outcome, which the renderers turn into text or JSON.
 */
import type { FileResult } from "../types.js";
import { TogetherClient } from "./client.js";
import { lintBlocks, type LintFn } from "./dataset.js";
import { FileChangedError, TogetherApiError, UploadAbortedError } from "./errors.js";
import { uploadFile, waitForProcessing } from "./files.js";
import { checkAgainstLimits, createFineTune, estimatePrice, getModelLimits } from "./finetune.js";
import { resumeFlags } from "./job-options.js";
import type { FileRole, UploadPlan } from "./plan.js";
import type { RetryPolicy } from "./retry.js";
import type { CreateFineTuneOptions, FineTuneJob, ModelLimits, PriceEstimate, UploadProgress } from "./types.js";

export type FileStatus =
  "COMPLETED" | "UPLOADED" | "LINT_FAILED" | "NOT_UPLOADED" | "FAILED" | "INVALID_FORMAT" | "FILE_CHANGED" | "EXISTING";

export interface FileEntry {
  path: string | null;
  role: FileRole;
  /** The name Together stores (NAME.jsonl for a .jsonl.gz). */
  fileName: string | null;
  fileId: string | null;
  /** Size and SHA-256 of the bytes sent (the decompressed ones for a .jsonl.gz). */
  bytes: number | null;
  sha256: string | null;
  status: FileStatus;
  errorCount?: number;
  warningCount?: number;
}

/** What went wrong, as data: the renderers word it. */
export interface UploadFailure {
  code: string;
  message: string;
  category?: string;
  /** The API error, when there was one (its JSON form). */
  api?: TogetherApiError;
  /** Printed after the message, in text. */
  hints: string[];
}

export interface UploadOutcome {
  /** 0 done; 1 lint errors (nothing sent); 2 usage / I/O / file changed; 3 Together refused or failed; 130 cancelled. */
  code: 0 | 1 | 2 | 3 | 130;
  files: FileEntry[];
  lint: FileResult[];
  job: FineTuneJob | null;
  estimate: PriceEstimate | null;
  model: string | null;
  baseUrl: string;
  failure: UploadFailure | null;
}

export type UploadEvent =
  | { type: "note"; message: string }
  | { type: "warning"; message: string }
  | { type: "retry"; message: string }
  | { type: "linted"; results: FileResult[] }
  | { type: "progress"; progress: UploadProgress }
  | { type: "processing"; path: string; status: string }
  | { type: "uploaded"; entry: FileEntry }
  | { type: "estimate"; estimate: PriceEstimate; model: string };

export interface ExecuteDeps {
  lintFn: LintFn;
  lintOptions?: Record<string, unknown>;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  pollIntervalMs?: number;
  env?: Record<string, string | undefined>;
  /** How the user invoked the tool, for the resume hint. Default "tunelint". */
  bin?: string;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export async function executeUpload(plan: UploadPlan, deps: ExecuteDeps, emit: (e: UploadEvent) => void): Promise<UploadOutcome> {
  const client = new TogetherClient({
    apiKey: plan.apiKey,
    baseUrl: plan.baseUrl,
    allowHttp: plan.allowHttp,
    onWarning: (message) => emit({ type: "warning", message }),
    signal: deps.signal,
    retry: deps.retry,
    timeoutMs: plan.timeoutMs,
    env: deps.env,
    onRetry: (e) =>
      emit({
        type: "retry",
        message: `${e.error.message}; retrying ${e.step} in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt + 1})`,
      }),
  });
  const files: FileEntry[] = plan.existing.map((x) => ({
    path: null,
    role: x.role,
    fileName: null,
    fileId: x.fileId,
    bytes: null,
    sha256: null,
    status: "EXISTING" as const,
  }));
  const lints: FileResult[] = [];
  const outcome: UploadOutcome = {
    code: 0,
    files,
    lint: lints,
    job: null,
    estimate: null,
    model: plan.job?.model ?? null,
    baseUrl: plan.baseUrl,
    failure: null,
  };
  const fail = (code: UploadOutcome["code"], failure: Omit<UploadFailure, "hints"> & { hints?: string[] }): UploadOutcome => {
    outcome.code = code;
    outcome.failure = { hints: [], ...failure };
    files.sort((a, b) => (a.role === b.role ? 0 : a.role === "training" ? -1 : 1));
    return outcome;
  };
  const doneSoFar = () => {
    const done = files.filter((e) => e.fileId && e.status !== "EXISTING" && e.status !== "FAILED" && e.status !== "INVALID_FORMAT");
    return done.length ? [`Already uploaded: ${done.map((e) => `${e.path} -> ${e.fileId}`).join(", ")}.`] : [];
  };
  const cancelled = () => fail(130, { code: "cancelled", message: "Cancelled.", hints: doneSoFar() });

  // Lint, with the same engine and options as `check`. A model tunelint's registry does not know (no tokenizer to
  // count with) is not a reason to refuse the upload: Together is the authority on model ids, and --create-job asks
  // it (with "did you mean" ids on a 404). The file is then linted without token budgets, and the user is told so.
  // With a validation file the two files are one lint run: the training file is indexed, then the validation file is
  // checked against it (validation-leak), as `check train.jsonl --validation-file val.jsonl` does.
  const validation = plan.files.find((f) => f.role === "validation");
  let lintOptions = validation ? { ...deps.lintOptions, validationFile: validation.path } : deps.lintOptions;
  for (const f of plan.files) {
    for (;;) {
      try {
        lints.push(await deps.lintFn(f.path, lintOptions));
        break;
      } catch (e) {
        if (deps.signal?.aborted) return cancelled();
        if ((e as Error)?.name === "UnknownModelError" && lintOptions?.model !== undefined) {
          emit({
            type: "note",
            message:
              `Note: ${(e as Error).message} Token budgets were not checked` +
              (plan.job ? "; Together checks the model id before anything is uploaded." : "."),
          });
          lintOptions = { ...lintOptions, model: undefined };
          continue;
        }
        return fail(2, { code: "lint_failed_to_run", message: `cannot lint ${f.path}: ${(e as Error)?.message ?? String(e)}` });
      }
    }
  }
  if (deps.signal?.aborted) return cancelled();
  plan.files.forEach((f, i) => {
    const l = lints[i]!;
    // A .jsonl.gz is sent decompressed: the size and digest of the decompressed bytes the lint read.
    const sent = f.gzip ? l.stats.decoded : { bytes: l.stats.bytes, sha256: l.stats.sha256 };
    files.push({
      path: f.path,
      role: f.role,
      fileName: f.fileName,
      fileId: null,
      bytes: sent?.bytes ?? null,
      sha256: sent?.sha256 ?? null,
      status: lintBlocks(l, plan.maxWarnings) ? "LINT_FAILED" : "NOT_UPLOADED",
      errorCount: l.errorCount,
      warningCount: l.warningCount,
    });
  });
  files.sort((a, b) => (a.role === b.role ? 0 : a.role === "training" ? -1 : 1));
  if (lints.length) emit({ type: "linted", results: lints });

  if (lints.some((l) => l.fatal)) {
    return fail(2, { code: "read_error", message: "a file could not be read to the end; nothing was uploaded." });
  }
  const blocked = files.filter((e) => e.status === "LINT_FAILED");
  if (blocked.length) {
    const errors = lints.reduce((n, l) => n + l.errorCount, 0);
    const warnings = lints.reduce((n, l) => n + l.warningCount, 0);
    const why =
      errors > 0
        ? `${errors} lint error${errors === 1 ? "" : "s"}`
        : `${warnings} warning${warnings === 1 ? "" : "s"} (more than --max-warnings ${plan.maxWarnings})`;
    return fail(1, {
      code: "lint_failed",
      message: `Not uploading: ${why} in ${blocked.map((e) => e.path).join(", ")}. Nothing was sent to Together.`,
    });
  }
  for (const f of plan.files) {
    const e = files.find((x) => x.path === f.path && x.role === f.role)!;
    if (!e.sha256) {
      const why =
        f.fileType === "parquet"
          ? "the Parquet lint does not report the digest of the bytes it read yet, so tunelint cannot vouch that it would send the linted bytes"
          : "the lint did not report the digest of the bytes it read";
      return fail(2, { code: "no_digest", message: `${f.path}: ${why}; nothing was uploaded.` });
    }
  }

  const job = plan.job;
  const jobOptions = (trainingFile: string, validationFile?: string): CreateFineTuneOptions => ({
    client,
    model: job!.model,
    method: job!.method,
    trainingFile,
    validationFile,
    ...job!.settings,
  });
  const resume = (): string[] => {
    if (!job) return [];
    const uploaded = files.filter((x) => x.fileId && (x.status === "COMPLETED" || x.status === "UPLOADED" || x.status === "EXISTING"));
    const train = uploaded.find((x) => x.role === "training");
    const val = uploaded.find((x) => x.role === "validation");
    const wantsValidation = plan.files.some((f) => f.role === "validation") || plan.existing.some((x) => x.role === "validation");
    if (!train || (wantsValidation && !val)) return [];
    const parts = ["upload", "--create-job", "--training-file-id", train.fileId!];
    if (val) parts.push("--validation-file-id", val.fileId!);
    parts.push("--model", job.model);
    if (job.method !== "sft") parts.push("--method", job.method);
    parts.push(...resumeFlags(job.settings));
    if (plan.baseUrlFlag) parts.push("--base-url", plan.baseUrlFlag);
    if (plan.allowHttp) parts.push("--allow-http");
    return [`Resume without uploading again: ${deps.bin ?? "tunelint"} ${parts.map(shellQuote).join(" ")}`];
  };
  const apiFailure = (e: TogetherApiError, extraHints: string[] = []): UploadOutcome => {
    const fresh = files.filter((x) => x.fileId && (x.status === "COMPLETED" || x.status === "UPLOADED"));
    const hints = [...extraHints];
    if (fresh.length) hints.push(`Already done: ${fresh.map((x) => `${x.path} uploaded as ${x.fileId}`).join("; ")}.`);
    if (e.step !== "processing") hints.push(...resume());
    return fail(3, { code: e.code, category: e.category, message: e.message, api: e, hints });
  };

  try {
    // With --create-job, check the model first: a wrong model id costs no upload.
    let limits: ModelLimits | null = null;
    if (job) {
      limits = await getModelLimits(job.model, { client });
      const problems = checkAgainstLimits(jobOptions(""), limits);
      if (problems.length) {
        return fail(2, {
          code: "invalid_request",
          category: "validation",
          message: `the job does not fit ${job.model}'s limits: ${problems.join("; ")}. Nothing was uploaded.`,
        });
      }
    }

    // Upload exactly the linted bytes, then wait for Together's processing.
    for (const f of plan.files) {
      const entry = files.find((x) => x.path === f.path && x.role === f.role)!;
      const path = f.path;
      const file = await uploadFile(path, {
        client,
        fileName: f.fileName,
        fileType: f.fileType,
        decompress: f.gzip ? "gzip" : undefined,
        expected: { bytes: entry.bytes!, sha256: entry.sha256! },
        onProgress: (p) => emit({ type: "progress", progress: p }),
      }).catch((e: unknown) => {
        if (e instanceof FileChangedError) entry.status = "FILE_CHANGED";
        throw e;
      });
      entry.fileId = file.id;
      entry.status = "UPLOADED";
      if (plan.wait) {
        emit({ type: "progress", progress: { path, phase: "processing", bytesSent: file.bytes, totalBytes: file.bytes } });
        try {
          await waitForProcessing(file.id, {
            client,
            pollIntervalMs: deps.pollIntervalMs,
            onStatus: (r) => emit({ type: "processing", path, status: String(r.processing_status ?? "?") }),
          });
          entry.status = "COMPLETED";
        } catch (e) {
          if (e instanceof TogetherApiError && e.code === "processing_failed") {
            entry.status = /INVALID_FORMAT/.test(e.message) ? "INVALID_FORMAT" : "FAILED";
          }
          throw e;
        }
      }
      emit({ type: "uploaded", entry: { ...entry } });
    }

    if (job) {
      const training = files.find((e) => e.role === "training")!;
      const validation = files.find((e) => e.role === "validation");
      const opts = jobOptions(training.fileId!, validation?.fileId ?? undefined);
      // Together's own price, before anything is spent. An estimate that cannot be had is not a reason to stop;
      // an estimate that says the job may not proceed is.
      try {
        outcome.estimate = await estimatePrice(opts, limits);
        emit({ type: "estimate", estimate: outcome.estimate, model: job.model });
      } catch (e) {
        if (e instanceof UploadAbortedError || deps.signal?.aborted) throw e;
        if (!(e instanceof TogetherApiError) || e.category === "auth") throw e;
        emit({ type: "note", message: `Note: no price estimate from Together (${e.message}).` });
      }
      if (outcome.estimate?.allowedToProceed === false) {
        const est = outcome.estimate;
        const price =
          est.totalPrice !== undefined
            ? ` (estimated $${est.totalPrice}${est.userLimit !== undefined ? `, credit limit $${est.userLimit}` : ""})`
            : "";
        const err = new TogetherApiError({
          code: "insufficient_credits",
          category: "billing",
          retryable: false,
          step: "estimate-price",
          message: `Together's estimate says this job may not proceed${price}; no job was created`,
        });
        return apiFailure(err);
      }
      const res = await createFineTune({ ...opts, limits: limits ?? undefined });
      outcome.job = res.job;
    }
    files.sort((a, b) => (a.role === b.role ? 0 : a.role === "training" ? -1 : 1));
    return outcome;
  } catch (e) {
    if (e instanceof UploadAbortedError || deps.signal?.aborted) return cancelled();
    if (e instanceof FileChangedError) return fail(2, { code: "file_changed", message: e.message, hints: doneSoFar() });
    if (e instanceof TogetherApiError) return apiFailure(e);
    const code = (e as { code?: string })?.code;
    return fail(2, { code: typeof code === "string" ? code : "io_error", message: (e as Error)?.message ?? String(e), hints: doneSoFar() });
  }
}
