import type { CommandModule } from "yargs";
import { prepareLint } from "../../lint/lint.js";
import { executeConvert, type ConvertOutcome } from "../../convert/run.js";
import type { SourceFormat, TargetFormat } from "../../convert/convert.js";
import { VERSION } from "../../version.js";
import { lintOptionsFromArgs, type LintArgs } from "../options.js";
import { defer, type CommandResult } from "../command.js";
import { exitCode, planTransform, renderDiagnostics, transformOptions, withInterrupt, type TransformArgs } from "./fix.js";

interface ConvertArgs extends TransformArgs {
  from?: SourceFormat | "auto";
  to?: TargetFormat;
  "skip-invalid"?: boolean;
}

export const convertCommand: CommandModule<object, ConvertArgs> = {
  command: "convert <input>",
  describe: "Convert OpenAI, ShareGPT, Alpaca, Vertex/Gemini or TRL data (JSON array or JSONL) into Together JSONL (-o OUT)",
  builder: (y) =>
    transformOptions(y)
      .option("from", {
        choices: ["auto", "openai", "sharegpt", "alpaca", "vertex", "trl"],
        default: "auto",
        describe: "Source format (auto: detected per record)",
        group: "Convert:",
      })
      .option("to", {
        choices: ["auto", "conversation", "instruction"],
        default: "auto",
        describe: "Target: conversation (preference for preference data), or instruction (prompt/completion)",
        group: "Convert:",
      })
      .option("skip-invalid", {
        type: "boolean",
        describe: "Leave out records that cannot be converted (they are reported either way; without it they are kept as they were)",
        group: "Convert:",
      }) as never,
  handler: (argv) => defer(argv, () => runConvert(argv)),
};

export async function runConvert(argv: ConvertArgs): Promise<CommandResult> {
  const plan = planTransform(argv, "convert");
  const prepared = await prepareLint({ ...lintOptionsFromArgs(argv as LintArgs & Record<string, unknown>), hash: false });
  await prepared.tokens?.ready();
  const outcome = await withInterrupt((signal) =>
    executeConvert(plan.input, plan.output, prepared, {
      from: argv.from,
      to: argv.to,
      skipInvalid: argv["skip-invalid"] === true,
      signal,
    }),
  );
  // A record that could not be converted fails the run unless --skip-invalid asked to leave such records out; a
  // file-level problem (a truncated array) always does.
  const fileLevel = outcome.issues.filter((i) => i.index === null).length;
  const unconverted = outcome.issues.length - fileLevel;
  const errors = outcome.lint.errorCount + fileLevel + (argv["skip-invalid"] ? 0 : unconverted);
  const code = exitCode(errors, outcome.lint.warningCount, argv["max-warnings"]);
  if (plan.json) return { code, stdout: JSON.stringify(convertReport(outcome), null, 2) + "\n" };
  return { code, stderr: [renderConvert(outcome, argv.quiet === true, argv["skip-invalid"] === true)] };
}

export function convertReport(o: ConvertOutcome) {
  return {
    version: VERSION,
    input: o.input,
    output: o.output,
    from: o.from,
    container: o.container,
    sources: o.sources,
    records: o.records,
    written: o.written,
    notConverted: o.issues,
    changes: o.changeCounts,
    remaining: o.remaining,
    errorCount: o.lint.errorCount,
    warningCount: o.lint.warningCount,
  };
}

const CONTAINER = { array: "JSON array", jsonl: "JSONL", sequence: "concatenated JSON values" } as const;

export function renderConvert(o: ConvertOutcome, quiet: boolean, skipInvalid: boolean): string {
  const src = Object.entries(o.sources)
    .map(([k, v]) => (Object.keys(o.sources).length > 1 ? `${k} ${v}` : k))
    .join(", ");
  const head = `tunelint convert: ${o.input === "-" ? "<stdin>" : o.input} (${src || "unknown format"}${o.container ? `, ${CONTAINER[o.container]}` : ""}) -> ${o.output === "-" ? "<stdout>" : o.output}`;
  const lines = [head];
  const counts = Object.entries(o.changeCounts).sort((a, b) => b[1] - a[1]);
  if (counts.length) {
    lines.push("  changes:");
    for (const [what, n] of counts) lines.push(`    ${String(n).padStart(7)} x ${what}`);
  }
  if (o.issues.length) {
    lines.push(
      "",
      `Not converted (${o.issues.length}; ${skipInvalid ? "left out (--skip-invalid)" : "kept as they were: fix them, or pass --skip-invalid to leave them out"}):`,
    );
    for (const i of o.issues) {
      const where = i.index === null ? `line ${i.line}` : `line ${i.line} (record ${i.index + 1})`;
      lines.push(`  ${where}${i.pointer ? ` ${i.pointer}` : ""}: ${i.message}`);
    }
  }
  const remaining = renderDiagnostics(o.remaining, quiet);
  if (remaining.length)
    lines.push("", `Problems in the output (${o.output === "-" ? "<stdout>" : o.output}; line numbers of the output):`, ...remaining);
  lines.push(
    "",
    `${o.lint.errorCount ? "✖" : "✔"} ${o.records} record${o.records === 1 ? "" : "s"} read, ${o.written} written` +
      `${o.issues.length ? `, ${o.issues.length} not converted` : ""}; the output (${o.lint.format ?? "no format"}) has ` +
      `${o.lint.errorCount} error${o.lint.errorCount === 1 ? "" : "s"} and ${o.lint.warningCount} warning${o.lint.warningCount === 1 ? "" : "s"}.`,
  );
  return lines.join("\n");
}
