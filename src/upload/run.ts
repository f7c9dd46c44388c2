/**
 * `tunelint upload`, independent of yargs so it can be driven from tests: plan (./plan.ts) -> execute
 * (./execute.ts: an outcome and progress events) -> render (./render.ts: pure). This file only wires them to the
 * streams. Exit codes: 0 done; 1 lint errors (or --max-warnings exceeded), nothing sent; 2 usage / missing key / I/O /
 * file changed since the lint; 3 Together refused or failed; 130 cancelled (Ctrl-C).
 */
import type { FileResult } from "../types.js";
import { redactText } from "./errors.js";
import { executeUpload, type UploadEvent } from "./execute.js";
import { planUpload, type UploadCommandArgs } from "./plan.js";
import { createProgressRenderer, type ProgressStream } from "./progress.js";
import { renderEvent, renderJson, renderText, type Rendered } from "./render.js";
import type { RetryPolicy } from "./retry.js";
import type { LintFn } from "./dataset.js";

export type { UploadCommandArgs } from "./plan.js";

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

function defaultFormatLint(results: FileResult[], format: string): string {
  if (format === "json") return JSON.stringify(results);
  const out: string[] = [];
  for (const r of results) {
    if (!r.diagnostics.length) continue;
    out.push(r.path);
    for (const d of r.diagnostics) out.push(`  ${d.line ?? 0}:${d.column ?? 0}  ${d.severity}  ${d.message}  ${d.ruleId}`);
    out.push("");
  }
  return out.join("\n");
}

export async function runUpload(args: UploadCommandArgs, io: UploadIO): Promise<number> {
  const env = io.env ?? process.env;
  const progress = createProgressRenderer(io.stderr);
  const write = (r: Rendered) => {
    if (r.stdout.length || r.stderr.length) progress.clear();
    for (const s of r.stdout) io.stdout.write(redactText(s).replace(/\n?$/, "\n"));
    for (const s of r.stderr) io.stderr.write(redactText(s).replace(/\n?$/, "\n"));
  };

  const planned = planUpload(args, env);
  if ("usage" in planned) {
    write({ stdout: [], stderr: [`tunelint upload: ${planned.usage}`] });
    return 2;
  }
  const plan = planned.plan;
  const formatLint = io.formatLint ?? defaultFormatLint;
  const onEvent = (e: UploadEvent) => {
    if (e.type === "progress") return progress.onProgress(e.progress);
    if (e.type === "processing") return progress.status(e.path, `processing on Together (${e.status})`);
    write(renderEvent(e, { json: plan.json, formatLint: (results) => formatLint(results, plan.format) }));
  };
  const outcome = await executeUpload(
    plan,
    {
      lintFn: io.lintFn,
      lintOptions: io.lintOptions,
      signal: io.signal,
      retry: io.retry,
      pollIntervalMs: io.pollIntervalMs,
      env,
      bin: io.bin,
    },
    onEvent,
  );
  progress.clear();
  const text = renderText(outcome);
  // JSON: stdout holds the document only; the explanation of a failure still goes to stderr.
  write(plan.json ? { stdout: [], stderr: text.stderr } : text);
  if (plan.json) {
    let lint: unknown = outcome.lint;
    if (io.formatLint) {
      try {
        lint = JSON.parse(io.formatLint(outcome.lint, "json"));
      } catch {
        lint = outcome.lint;
      }
    }
    io.stdout.write(renderJson(outcome, lint) + "\n");
  }
  return outcome.code;
}
