import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { verdictOf } from "../../lint/verdict.js";
import { expandPatterns, lintFile, lintStream, prepareLint, summarize, type LintOptions, type PreparedLint } from "../../lint/lint.js";
import { MACHINE_FORMATS } from "../../report/load.js";
import { createLintProgress, type LintProgressLine } from "../progress.js";
import type { FileResult, LintReport } from "../../types.js";
import { addLintOptions, addTrainOnInputsOption, lintOptionsFromArgs, type LintArgs } from "../options.js";
import { planOutputs, writeOutputs, type OutputPlan } from "../output.js";
import { defer, STDIN, useColor, type CommandResult } from "../command.js";

export interface CheckArgs extends LintArgs {
  files?: string[];
  format?: string[];
  "output-file"?: string[];
  "stdin-filename"?: string;
  "error-on-unmatched-pattern"?: boolean;
  color?: boolean;
  epochs?: number;
  staged?: boolean;
  "validation-file"?: string;
  progress?: boolean;
}

/** Drops warnings and info from a report (--quiet). */
export function onlyErrors(report: LintReport): LintReport {
  const files = report.files.map((f) => ({
    ...f,
    diagnostics: f.diagnostics.filter((d) => d.severity === "error"),
    ...(f.omitted ? { omitted: f.omitted.filter((o) => o.severity === "error") } : {}),
    warningCount: 0,
    infoCount: 0,
  }));
  return { ...report, files, warningCount: 0, infoCount: 0 };
}

/** Exit code of a lint run: 2 I/O failure, 1 errors (or too many warnings), 0 clean. */
export function exitCodeOf(report: LintReport, maxWarnings: number | undefined): { code: number; note?: string } {
  const { code, reason } = verdictOf(report, { maxWarnings });
  if (reason === "tooManyWarnings")
    return { code, note: `tunelint found too many warnings (${report.warningCount}, maximum ${maxWarnings}).` };
  return { code };
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: ["check [files..]", "$0 [files..]"],
  describe: "Lint fine-tune datasets (JSONL, .jsonl.gz, '-' for stdin)",
  builder: (y) =>
    addTrainOnInputsOption(addLintOptions(y))
      .positional("files", { type: "string", array: true, describe: "Files, directories or globs ('-' reads stdin)" })
      .option("format", {
        alias: "f",
        type: "string",
        array: true,
        describe:
          "Output format: stylish, json, sarif, github, markdown, junit, html. Repeatable; FORMAT=FILE writes it to FILE (-f sarif=tunelint.sarif)",
        group: "Output:",
      })
      .option("output-file", {
        alias: "o",
        type: "string",
        array: true,
        describe: "Write the --format given right before it to this file (-f sarif -o tunelint.sarif)",
        group: "Output:",
      })
      .option("stdin-filename", { type: "string", describe: "Name to report for stdin", group: "Input:" })
      .option("staged", {
        type: "boolean",
        describe: "Lint the staged (git index) content of staged JSONL files, optionally limited to the given paths",
        group: "Input:",
      })
      .option("validation-file", {
        type: "string",
        describe: "The validation file for these training files: lint it too, and report its examples that repeat a training example",
        group: "Input:",
      })
      .option("error-on-unmatched-pattern", {
        type: "boolean",
        default: true,
        describe: "Exit 2 when a pattern matches no file (--no-error-on-unmatched-pattern to allow)",
        group: "Input:",
      })
      .option("color", { type: "boolean", describe: "Force colour on or off in the stylish report", group: "Output:" })
      .option("progress", {
        type: "boolean",
        default: true,
        describe: "Show progress on stderr when it is a terminal and the run takes over a second (--no-progress to hide)",
        group: "Output:",
      })
      .option("epochs", { type: "number", describe: "Epochs planned: shows trained tokens in the summary", group: "Tokens:" }) as never,
  handler: (argv) => defer(argv, () => runCheck(argv)),
};

export async function runCheck(argv: CheckArgs): Promise<CommandResult> {
  // After `--` every argument is a file name (yargs keeps them apart in argv["--"]).
  const rest = ((argv as Record<string, unknown>)["--"] as unknown[] | undefined) ?? [];
  const patterns = [...(argv.files ?? []), ...rest.map(String)].map((p) => (p === STDIN ? "-" : p));
  if (patterns.length === 0 && !argv.staged) throw new UsageError("No files given. Usage: tunelint check <files..> (or '-' for stdin).");
  const plan = planOutputs(argv.format, argv["output-file"]);
  // No SHA-256 for `check` (about 5% of the time on big files): only the uploader needs it.
  const validationFile = argv["validation-file"];
  if (validationFile !== undefined && (validationFile === "" || validationFile === "-"))
    throw new UsageError("--validation-file needs a file path (not stdin).");
  if (validationFile !== undefined && argv.staged) throw new UsageError("--validation-file cannot be combined with --staged.");
  // The HTML report draws size distributions: only then does the engine collect them.
  const histograms = plan.some((p) => p.format === "html");
  // Progress only for people: stderr is a terminal and no machine document goes to stdout.
  const showProgress =
    argv.progress !== false && process.stderr.isTTY === true && !plan.some((p) => p.file === null && MACHINE_FORMATS.has(p.format));
  const progress = showProgress ? createLintProgress(process.stderr) : null;
  const options = {
    ...lintOptionsFromArgs(argv as LintArgs & Record<string, unknown>),
    hash: false,
    validationFile,
    histograms,
    ...(progress ? { onProgress: progress.onProgress } : {}),
  };
  try {
    return await lintAndReport(argv, patterns, plan, options, progress);
  } finally {
    progress?.clear();
  }
}

async function lintAndReport(
  argv: CheckArgs,
  patterns: string[],
  plan: OutputPlan[],
  options: LintOptions,
  progress: LintProgressLine | null,
): Promise<CommandResult> {
  const prepared = await prepareLint(options);
  if (argv.epochs !== undefined && !prepared.tokenRequest) {
    throw new UsageError("--epochs needs --model: trained tokens (total x epochs) are counted with the model's tokenizer.");
  }
  if (argv.staged) {
    const staged = await lintStaged(patterns, prepared);
    progress?.clear();
    return finishCheck(argv, plan, staged);
  }
  const stdinCount = patterns.filter((p) => p === "-").length;
  if (stdinCount > 1) throw new UsageError("stdin ('-') can be given only once.");
  if (stdinCount && /\.parquet$/i.test(argv["stdin-filename"] ?? "")) {
    throw new UsageError("Parquet is read from a file (its footer comes last), not from stdin: pass the file's path.");
  }
  const { files, unmatched } = await expandPatterns(patterns.filter((p) => p !== "-"));
  if (unmatched.length && argv["error-on-unmatched-pattern"] !== false) {
    throw new UsageError(
      `No files matching ${unmatched.map((u) => `'${u}'`).join(", ")} were found. Check the path, or pass --no-error-on-unmatched-pattern to ignore it.`,
    );
  }
  const results: FileResult[] = [];
  for (const p of patterns) {
    if (p === "-") results.push(await lintStream(process.stdin, prepared, argv["stdin-filename"] ?? "<stdin>"));
  }
  // The validation file is linted last, once: after every training file has been indexed.
  const validation = prepared.crossFile?.validationFile;
  for (const f of files) if (!validation || resolve(f) !== validation) results.push(await lintFile(f, prepared));
  if (options.validationFile !== undefined) results.push(await lintFile(options.validationFile, prepared));
  progress?.clear();
  return finishCheck(argv, plan, results);
}

/** Lints what is staged in git (the index, not the working tree): the pre-commit path. */
async function lintStaged(patterns: string[], prepared: PreparedLint): Promise<FileResult[]> {
  if (patterns.includes("-")) throw new UsageError("--staged reads from git; it cannot be combined with '-'.");
  const { stagedFiles } = await import("../../git/staged.js");
  const results: FileResult[] = [];
  for (const f of await stagedFiles({ paths: patterns })) results.push(await lintStream(f.stream, prepared, f.path));
  return results;
}

async function finishCheck(argv: CheckArgs, plan: OutputPlan[], results: FileResult[]): Promise<CommandResult> {
  let report = summarize(results);
  const exit = exitCodeOf(report, argv["max-warnings"]);
  if (argv.quiet) report = onlyErrors(report);
  await writeOutputs(plan, report, { color: useColor(argv.color), epochs: argv.epochs });
  const messages: string[] = [];
  if (exit.note) messages.push(exit.note);
  for (const f of report.files) if (f.fatal) messages.push(`tunelint: could not read ${f.path} to the end.`);
  return { code: exit.code, stderr: messages };
}
