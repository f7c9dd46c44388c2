/**
 * `upload`, step 3: pure renderers. Events and the outcome in, strings out; every string redacted (API key, HF
 * token, wandb key, URL credentials, presigned signatures), in text and in JSON.
 *
 * The output contract: stdout holds the result (text lines, or with --format json exactly one JSON document:
 * `{files, job, estimate, lint, error?}`); stderr holds progress, notes, warnings and the explanation of a failure.
 */
import type { FileResult } from "../types.js";
import { redactDeep, redactText, redactUrl, type TogetherApiError } from "./errors.js";
import type { FileEntry, UploadEvent, UploadOutcome } from "./execute.js";
import { describeValidationReport } from "./files.js";
import { formatBytes } from "./progress.js";
import type { PriceEstimate } from "./types.js";

export interface Rendered {
  stdout: string[];
  stderr: string[];
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");

export function describeEstimate(e: PriceEstimate, model: string): string {
  if (!e.available) return `Together gave no price estimate${e.unavailableReason ? ` (${e.unavailableReason})` : ""}.`;
  const parts: string[] = [];
  if (e.totalPrice !== undefined) parts.push(`$${e.totalPrice.toFixed(e.totalPrice < 1 ? 4 : 2)}`);
  const tokens: string[] = [];
  if (e.trainTokens !== undefined) tokens.push(`${fmtInt(e.trainTokens)} training tokens`);
  if (e.evalTokens) tokens.push(`${fmtInt(e.evalTokens)} evaluation tokens`);
  const limit = e.userLimit !== undefined ? `; credit limit $${e.userLimit}` : "";
  const verdict = e.allowedToProceed === false ? "; Together says the job may not proceed" : "";
  return `Together's estimate for ${model}: ${parts.join(" ") || "no price"}${tokens.length ? ` for ${tokens.join(" and ")}` : ""}${limit}${verdict}.`;
}

/** One event, as text (text mode; JSON mode shows only notes, warnings and retries, on stderr). */
export function renderEvent(e: UploadEvent, opts: { json: boolean; formatLint?: (results: FileResult[]) => string }): Rendered {
  const out: Rendered = { stdout: [], stderr: [] };
  switch (e.type) {
    case "note":
    case "retry":
      out.stderr.push(e.message);
      break;
    case "warning":
      out.stderr.push(`tunelint upload: warning: ${e.message}`);
      break;
    case "linted":
      if (!opts.json && e.results.some((l) => l.diagnostics.length > 0) && opts.formatLint) {
        const text = opts.formatLint(e.results);
        if (text.trim()) out.stdout.push(text.replace(/\n$/, ""));
      }
      break;
    case "uploaded":
      if (!opts.json) {
        const f = e.entry;
        const name = f.fileName && f.path && !f.path.endsWith(f.fileName) ? ` as ${f.fileName}` : "";
        out.stdout.push(
          `${f.path}: uploaded${name} as ${f.fileId} (${formatBytes(f.bytes ?? 0)}, sha256 ${(f.sha256 ?? "").slice(0, 12)}…)${f.status === "COMPLETED" ? ", processed by Together" : ""}`,
        );
      }
      break;
    case "estimate":
      if (!opts.json) out.stdout.push(describeEstimate(e.estimate, e.model));
      break;
    default:
      break;
  }
  return redactRendered(out);
}

function explainApi(e: TogetherApiError, baseUrl: string): string[] {
  const lines: string[] = [];
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
      lines.push(`Together (${redactUrl(baseUrl)}) is unavailable or unreachable; try again later.`);
      break;
    case "validation":
      if (e.code === "processing_failed" && e.validationReport !== undefined) {
        lines.push("Together's validation report:");
        const report = redactDeep(e.validationReport);
        const pretty = typeof report === "string" ? report : JSON.stringify(report, null, 2);
        lines.push(pretty.length > 4000 ? describeValidationReport(report) : pretty);
      }
      break;
    default:
      break;
  }
  return lines;
}

/** The outcome as text: the job lines on stdout, the failure and its hints on stderr. */
export function renderText(o: UploadOutcome): Rendered {
  const out: Rendered = { stdout: [], stderr: [] };
  if (o.job) {
    const id = o.job.id;
    out.stdout.push(`Fine-tune job ${id} created${typeof o.job.status === "string" ? ` (${o.job.status})` : ""} on ${o.model}.`);
    out.stdout.push(`Follow it: together fine-tuning retrieve ${id}`);
    out.stdout.push(`       or: curl -s -H "Authorization: Bearer $TOGETHER_API_KEY" ${redactUrl(o.baseUrl)}/fine-tunes/${id}`);
  }
  const f = o.failure;
  if (f) {
    if (f.code === "cancelled") out.stderr.push([f.message, ...f.hints].join(" "));
    else if (f.code === "lint_failed") out.stderr.push(f.message, ...f.hints);
    else {
      const lines = [`tunelint upload: ${f.message}`];
      if (f.api) lines.push(...explainApi(f.api, o.baseUrl));
      lines.push(...f.hints);
      if (f.api?.requestId) lines.push(`Request id: ${f.api.requestId}`);
      out.stderr.push(lines.join("\n"));
    }
  }
  return redactRendered(out);
}

function publicEntry(e: FileEntry): Record<string, unknown> {
  return {
    path: e.path,
    role: e.role,
    ...(e.fileName && e.path && !e.path.endsWith(e.fileName) ? { fileName: e.fileName } : {}),
    fileId: e.fileId,
    bytes: e.bytes,
    sha256: e.sha256,
    status: e.status,
    ...(e.errorCount !== undefined ? { errorCount: e.errorCount, warningCount: e.warningCount } : {}),
  };
}

/** The outcome as the one JSON document of `upload --format json`. `lint` is the lint report in check's JSON shape. */
export function renderJson(o: UploadOutcome, lint: unknown): string {
  const f = o.failure;
  const error = f
    ? f.api
      ? f.api.toJSON()
      : { code: f.code, message: f.message, ...(f.category ? { category: f.category } : {}) }
    : undefined;
  const doc = {
    files: o.files.map(publicEntry),
    job: o.job,
    estimate: o.estimate,
    lint,
    ...(error ? { error: f && f.hints.length ? { ...error, hints: f.hints } : error } : {}),
  };
  return JSON.stringify(redactDeep(doc));
}

function redactRendered(r: Rendered): Rendered {
  return { stdout: r.stdout.map(redactText), stderr: r.stderr.map(redactText) };
}
