/**
 * The GitHub Action: a thin adapter over the library.
 *
 * 1. read the inputs (files, model, method, config, max-warnings, fail-on, sarif-file, html-file);
 * 2. lint with the library;
 * 3. annotate the offending lines (github formatter; GitHub shows at most 10 errors and 10 warnings per
 *    step, so at most ANNOTATION_CAP of each kind are sent) and print the full stylish report to the log;
 * 4. append the markdown report to $GITHUB_STEP_SUMMARY (with links to the lines of this commit);
 * 5. write SARIF to `sarif-file` when given (capped at GitHub's 25,000 results per run);
 *    and the self-contained HTML report to `html-file` when given (for actions/upload-artifact);
 * 6. set the outputs error-count, warning-count, sarif-file, html-file;
 * 7. return the exit status decided by `fail-on` and `max-warnings`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FileResult, FormatContext, LintReport, RuleDoc, Severity, TrainingMethod } from "../types.js";
import { DATASET_EXTENSION_LIST, DATASET_GLOBS } from "../io/dataset-files.js";
import { verdictOf } from "../lint/verdict.js";
import { github } from "../report/github.js";
import { formatMarkdown, linkContextFromEnv, STEP_SUMMARY_MAX_BYTES } from "../report/markdown.js";
import { formatSarif, GITHUB_MAX_RESULTS } from "../report/sarif.js";
import { html } from "../report/html.js";
import { appendSummary, command, getInput, getListInput, setOutput, type Env } from "./io.js";

export const DEFAULT_FILES = DATASET_GLOBS;
/** Annotations sent per severity (GitHub displays 10 errors + 10 warnings per step, 50 per job). */
export const ANNOTATION_CAP = 50;

export type FailOn = "error" | "warning" | "never";

export interface ActionInputs {
  files: string[];
  /** `files` was not given: DEFAULT_FILES are used. */
  defaultFiles: boolean;
  model?: string;
  method?: TrainingMethod;
  config?: string;
  /** -1 = no limit */
  maxWarnings: number;
  failOn: FailOn;
  sarifFile?: string;
  htmlFile?: string;
}

export interface LintRequest {
  patterns: string[];
  /** true for the default globs: an extension the repository does not use is not an error. */
  allowUnmatched: boolean;
  cwd: string;
  model?: string;
  method?: TrainingMethod;
  config?: string;
  /** Collect size distributions (the HTML report draws them). */
  histograms?: boolean;
}

export interface ActionDeps {
  /** Lint with the library; return the report and the registry's rule docs. */
  lint(request: LintRequest): Promise<{ report: LintReport; rules: RuleDoc[] }>;
  /** The stylish formatter (full human report for the log). */
  stylish(report: LintReport, ctx: FormatContext): string;
  write(text: string): void;
}

export class InputError extends Error {}

export function readInputs(env: Env): ActionInputs {
  const files = getListInput(env, "files");
  const method = getInput(env, "method");
  if (method && method !== "sft" && method !== "dpo") throw new InputError(`input method must be sft or dpo, got "${method}"`);
  const failOn = (getInput(env, "fail-on") || "error").toLowerCase();
  if (failOn !== "error" && failOn !== "warning" && failOn !== "never") {
    throw new InputError(`input fail-on must be error, warning or never, got "${failOn}"`);
  }
  const mw = getInput(env, "max-warnings");
  const maxWarnings = mw === "" ? -1 : Number(mw);
  if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new InputError(`input max-warnings must be an integer >= -1, got "${mw}"`);
  return {
    files: files.length ? files : DEFAULT_FILES,
    defaultFiles: files.length === 0,
    model: getInput(env, "model") || undefined,
    method: (method || undefined) as TrainingMethod | undefined,
    config: getInput(env, "config") || undefined,
    maxWarnings,
    failOn,
    sarifFile: getInput(env, "sarif-file") || undefined,
    htmlFile: getInput(env, "html-file") || undefined,
  };
}

/** The exit status: 2 when a file could not be read, 1 when `fail-on` says so, else 0. */
export function exitStatus(report: LintReport, inputs: Pick<ActionInputs, "failOn" | "maxWarnings">): number {
  return verdictOf(report, { failOn: inputs.failOn, maxWarnings: inputs.maxWarnings }).code;
}

/** The report with at most `cap` findings of each severity (for annotations). */
export function capFindings(report: LintReport, cap: number): { report: LintReport; dropped: Record<Severity, number> } {
  const kept: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const dropped: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const files: FileResult[] = report.files.map((f) => ({
    ...f,
    diagnostics: f.diagnostics.filter((d) => {
      if (kept[d.severity] < cap) {
        kept[d.severity]++;
        return true;
      }
      dropped[d.severity]++;
      return false;
    }),
  }));
  return { report: { ...report, files }, dropped };
}

export async function run(env: Env, deps: ActionDeps): Promise<number> {
  const out = deps.write;
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (e) {
    if (e instanceof InputError) {
      out(command("error", `tunelint: ${e.message}`));
      return 2;
    }
    throw e;
  }
  const cwd = env.GITHUB_WORKSPACE || process.cwd();

  let report: LintReport;
  let rules: RuleDoc[];
  try {
    ({ report, rules } = await deps.lint({
      patterns: inputs.files,
      allowUnmatched: inputs.defaultFiles,
      cwd,
      model: inputs.model,
      method: inputs.method,
      config: inputs.config,
      histograms: inputs.htmlFile !== undefined,
    }));
  } catch (e) {
    out(command("error", `tunelint: ${e instanceof Error ? e.message : String(e)}`));
    return 2;
  }
  if (report.files.length === 0) {
    out(command("error", `tunelint: no dataset files (${DATASET_EXTENSION_LIST}) found; set the \`files\` input`));
    return 2;
  }
  const ctx: FormatContext = { cwd, rules, color: false };

  // Annotations on the offending lines (capped), then the full report for the log.
  const { report: capped, dropped } = capFindings(report, ANNOTATION_CAP);
  out(github(capped, ctx));
  const total = dropped.error + dropped.warning + dropped.info;
  if (total > 0) {
    out(
      `tunelint: ${total} more findings were not sent as annotations (GitHub shows 10 errors and 10 warnings per step); the full report follows.\n`,
    );
  }
  const stylish = deps.stylish(report, ctx);
  out(stylish.endsWith("\n") || stylish === "" ? stylish : stylish + "\n");

  // Step summary.
  appendSummary(env, formatMarkdown(report, ctx, { link: linkContextFromEnv(env), maxBytes: STEP_SUMMARY_MAX_BYTES, maxFindings: 100 }));

  // SARIF.
  let sarifPath = "";
  if (inputs.sarifFile) {
    sarifPath = path.resolve(cwd, inputs.sarifFile);
    mkdirSync(path.dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, formatSarif(report, ctx, { maxResults: GITHUB_MAX_RESULTS }), "utf8");
    out(`tunelint: SARIF written to ${inputs.sarifFile}\n`);
  }

  // HTML report (charts and every finding class), for actions/upload-artifact.
  if (inputs.htmlFile) {
    const htmlPath = path.resolve(cwd, inputs.htmlFile);
    mkdirSync(path.dirname(htmlPath), { recursive: true });
    writeFileSync(htmlPath, html(report, ctx), "utf8");
    out(`tunelint: HTML report written to ${inputs.htmlFile}\n`);
  }

  setOutput(env, "error-count", report.errorCount, out);
  setOutput(env, "warning-count", report.warningCount, out);
  setOutput(env, "sarif-file", sarifPath ? inputs.sarifFile! : "", out);
  setOutput(env, "html-file", inputs.htmlFile ?? "", out);

  const status = exitStatus(report, inputs);
  if (status === 1) {
    const why =
      report.errorCount > 0
        ? `${report.errorCount} error(s)`
        : inputs.failOn === "warning"
          ? `${report.warningCount} warning(s) with fail-on: warning`
          : `${report.warningCount} warning(s), more than max-warnings ${inputs.maxWarnings}`;
    out(command("error", `tunelint failed: ${why}`));
  } else if (status === 2) {
    out(command("error", "tunelint: some files could not be read"));
  }
  return status;
}
