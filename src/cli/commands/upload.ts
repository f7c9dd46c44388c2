import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { lintFile, prepareLint, summarize, type LintOptions, type PreparedLint } from "../../lint/lint.js";
import { MACHINE_FORMATS, formatContext, formatters } from "../../report/formatters.js";
import type { FileResult } from "../../types.js";
import type { UploadCommandArgs } from "../../upload/plan.js";
import { JOB_OPTIONS } from "../../upload/job-options.js";
import { DEFAULT_BASE_URL } from "../../upload/defaults.js";
import { addLintOptions, lintOptionsFromArgs, type LintArgs } from "../options.js";
import { defer, STDIN, useColor, type CommandResult } from "../command.js";
import { onlyErrors } from "./check.js";

interface UploadArgv extends LintArgs {
  file?: string;
  "validation-file"?: string;
  "training-file-id"?: string;
  "validation-file-id"?: string;
  "create-job"?: boolean;
  format?: string;
  "base-url"?: string;
  "allow-http"?: boolean;
  wait?: boolean;
  timeout?: number;
  color?: boolean;
  [flag: string]: unknown;
}

/** The fine-tune job's flags, from the uploader's one table of job options. */
function addJobOptions<T>(y: Argv<T>): Argv<T> {
  let out = y;
  for (const o of JOB_OPTIONS) {
    out = out.option(o.flag, {
      type: o.type,
      describe: o.describe,
      group: "Fine-tune job:",
      ...(o.default !== undefined ? { default: o.default } : {}),
    });
  }
  return out;
}

export const uploadCommand: CommandModule<object, UploadArgv> = {
  command: "upload [file]",
  describe: "Lint a dataset, then upload exactly those bytes to Together AI (and optionally start a fine-tune job)",
  builder: (y) =>
    addJobOptions(addLintOptions(y))
      .positional("file", { type: "string", describe: "Training file (.jsonl)" })
      .option("validation-file", { type: "string", describe: "Validation file, linted and uploaded the same way", group: "Upload:" })
      .option("base-url", {
        type: "string",
        describe: `Together API base URL (default: TOGETHER_BASE_URL or ${DEFAULT_BASE_URL})`,
        group: "Upload:",
      })
      .option("wait", {
        type: "boolean",
        default: true,
        describe: "Wait until Together has processed the files (--no-wait to skip)",
        group: "Upload:",
      })
      .option("allow-http", {
        type: "boolean",
        describe: "Allow a plain http:// base URL to a host that is not loopback (the key travels unencrypted; warns)",
        group: "Upload:",
      })
      .option("timeout", { type: "number", describe: "Time-out of one request, seconds (default 60)", group: "Upload:" })
      .option("create-job", { type: "boolean", describe: "Start a fine-tune job on the uploaded files", group: "Fine-tune job:" })
      .option("training-file-id", {
        type: "string",
        describe: "Resume: use this uploaded training file instead of uploading one",
        group: "Fine-tune job:",
      })
      .option("validation-file-id", { type: "string", describe: "Resume: use this uploaded validation file", group: "Fine-tune job:" })
      .option("format", {
        alias: "f",
        type: "string",
        describe: "Output: stylish (text) or json (one document on stdout)",
        group: "Output:",
      })
      .option("color", { type: "boolean", describe: "Force colour on or off in the stylish report", group: "Output:" }) as never,
  handler: (argv) => defer(argv, () => runUploadCommand(argv)),
};

export async function runUploadCommand(argv: UploadArgv): Promise<CommandResult> {
  const format = argv.format ?? "stylish";
  // json is the upload's own document; other machine formats cannot share stdout with the upload's text lines.
  const allowed = Object.keys(formatters).filter((f) => f === "json" || !MACHINE_FORMATS.has(f));
  if (!allowed.includes(format)) throw new UsageError(`Unknown format "${format}" for upload: use ${allowed.join(" or ")}.`);
  for (const p of [argv.file, argv["validation-file"]]) {
    if (p === STDIN || p === "-")
      throw new UsageError("upload needs a file path: stdin cannot be uploaded (save it to a .jsonl file first).");
  }
  const args: UploadCommandArgs = {
    file: argv.file,
    validationFile: argv["validation-file"],
    trainingFileId: argv["training-file-id"],
    validationFileId: argv["validation-file-id"],
    model: argv.model,
    method: argv.method,
    createJob: argv["create-job"],
    format,
    maxWarnings: argv["max-warnings"],
    baseUrl: argv["base-url"],
    allowHttp: argv["allow-http"],
    wait: argv.wait,
    timeout: argv.timeout,
  };
  // The job options as given; the uploader's plan validates them (one table, one validation).
  for (const o of JOB_OPTIONS) if (argv[o.flag] !== undefined) (args as Record<string, unknown>)[o.key] = argv[o.flag];

  // Ctrl-C aborts cleanly: requests are cancelled, the upload stops, and the command says what was done.
  // A second Ctrl-C falls through to Node's default (immediate exit).
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);

  const lintOptions: LintOptions = { ...lintOptionsFromArgs(argv as LintArgs & Record<string, unknown>), signal: controller.signal };
  // Prepared once per option set (the runner may lint again without --model when the registry does not know it).
  const prepared = new Map<string, Promise<PreparedLint>>();
  const prepare = (o: LintOptions) => {
    const key = o.model ?? "";
    let p = prepared.get(key);
    if (!p) prepared.set(key, (p = prepareLint(o)));
    return p;
  };
  const color = useColor(argv.color);
  try {
    // The uploader is loaded only when `upload` runs: `check` start-up never pays for it.
    const { runUpload } = await import("../../upload/run.js");
    const code = await runUpload(args, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      signal: controller.signal,
      // The same engine and options as `check` (config file, --rule, model token budgets), prepared once.
      lintOptions: lintOptions as Record<string, unknown>,
      lintFn: async (path, opts) => lintFile(path, await prepare((opts ?? lintOptions) as LintOptions)),
      formatLint: (results: FileResult[], fmt: string) => {
        let report = summarize(results);
        if (argv.quiet) report = onlyErrors(report);
        return formatters[fmt]!(report, formatContext({ color: color && fmt === "stylish" }));
      },
    });
    return { code };
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
