/** Options shared by every command that lints (check, upload): one definition, one mapping to LintOptions. */
import type { Argv } from "yargs";
import { UsageError } from "../errors.js";
import { parseRuleFlags, parseTrainOnInputs } from "../lint/config.js";
import type { LintOptions } from "../lint/lint.js";
import type { TrainingMethod } from "../types.js";

export interface LintArgs {
  model?: string;
  method?: TrainingMethod;
  rule?: string[];
  config?: string;
  "no-config"?: boolean;
  noConfig?: boolean;
  "max-warnings"?: number;
  "max-line-bytes"?: number;
  "max-findings-per-rule"?: number;
  "max-seq-length"?: number;
  tokenizer?: string;
  "chat-template"?: string;
  "train-on-inputs"?: string;
  quiet?: boolean;
  jobs?: number;
}

/**
 * `--train-on-inputs` for `check` (which tokens count as trained). `upload` declares the same flag with its job
 * options (it sets the job's train_on_inputs); lintOptionsFromArgs reads it for both, so counts and job agree.
 */
export function addTrainOnInputsOption<T>(y: Argv<T>): Argv<T> {
  return y.option("train-on-inputs", {
    type: "string",
    choices: ["auto", "true", "false"],
    describe: "Together's train_on_inputs: which tokens are trained (auto: assistant/completion/general text; true: all)",
    group: "Tokens:",
  }) as unknown as Argv<T>;
}

export function addLintOptions<T>(y: Argv<T>): Argv<T & LintArgs> {
  return y
    .option("model", { type: "string", describe: "Target model id (exact Together id): checks token budgets", group: "Tokens:" })
    .option("method", { choices: ["sft", "dpo"] as const, describe: "Training method (limits differ)", group: "Tokens:" })
    .option("max-seq-length", {
      type: "number",
      describe:
        "Override the model's maximum sequence length (tokens); with an org/name id tunelint does not list, count that Hugging Face model",
      group: "Tokens:",
    })
    .option("tokenizer", {
      type: "string",
      describe: "tokenizer.json file, or hf:org/name[@revision] (a Hugging Face repository's tokenizer and template)",
      group: "Tokens:",
    })
    .option("chat-template", { type: "string", describe: "Jinja chat template file for that model", group: "Tokens:" })
    .option("rule", {
      type: "string",
      array: true,
      describe: "Set a rule's severity: id=off|info|warning|error (repeatable)",
      group: "Rules:",
    })
    .option("config", {
      alias: "c",
      type: "string",
      describe: "Config file (default: tunelint.config.json, searched upward)",
      group: "Rules:",
    })
    .option("no-config", { type: "boolean", describe: "Ignore tunelint.config.json files", group: "Rules:" })
    .option("max-warnings", { type: "number", describe: "Fail (exit 1) when there are more warnings than this", group: "Rules:" })
    .option("max-line-bytes", { type: "number", describe: "Longest line parsed, in bytes (default 64 MiB)", group: "Rules:" })
    .option("max-findings-per-rule", {
      type: "number",
      describe: 'Findings listed per rule and file (default 1000; 0 = all); the rest are counted and reported as "N more"',
      group: "Output:",
    })
    .option("jobs", {
      alias: "j",
      type: "number",
      describe: "Threads for big files (default: available cores; 1 = one thread)",
      group: "Input:",
    })
    .option("quiet", { alias: "q", type: "boolean", describe: "Report errors only", group: "Output:" }) as unknown as Argv<T & LintArgs>;
}

export function lintOptionsFromArgs(argv: LintArgs & Record<string, unknown>): LintOptions {
  // Each message says exactly what the option accepts.
  const ACCEPTS: Record<string, [number, string]> = {
    "max-line-bytes": [0, "a number of bytes (0 = the default, 64 MiB)"],
    "max-seq-length": [1, "a number of tokens, 1 or more"],
    "max-findings-per-rule": [0, "0 (keep all) or a positive integer"],
    jobs: [1, "1 or more"],
    "max-warnings": [0, "0 or more"],
  };
  const intOpt = (name: string): number | undefined => {
    const v = argv[name];
    if (v === undefined) return undefined;
    const [min, what] = ACCEPTS[name] ?? [0, "0 or more"];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min)
      throw new UsageError(`--${name} must be an integer: ${what} (got ${String(v)}).`);
    return v;
  };
  const maxLineBytes = intOpt("max-line-bytes");
  const maxSeqLength = intOpt("max-seq-length");
  const maxFindingsPerRule = intOpt("max-findings-per-rule");
  const jobs = intOpt("jobs");
  intOpt("max-warnings");
  // yargs turns --no-config into config: false
  const noConfig = argv["no-config"] === true || argv.noConfig === true || (argv.config as unknown) === false;
  return {
    model: argv.model,
    method: argv.method,
    rules: argv.rule?.length ? parseRuleFlags(argv.rule) : undefined,
    config: noConfig ? false : typeof argv.config === "string" ? argv.config : undefined,
    maxLineBytes: maxLineBytes === 0 ? undefined : maxLineBytes,
    maxSeqLength,
    maxFindingsPerRule,
    jobs,
    lazyTokenizer: true,
    tokenizer: argv.tokenizer,
    chatTemplate: argv["chat-template"],
    trainOnInputs: argv["train-on-inputs"] === undefined ? undefined : parseTrainOnInputs(argv["train-on-inputs"]),
  };
}
