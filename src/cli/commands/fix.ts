import type { CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { prepareLint, type PreparedLint } from "../../lint/lint.js";
import { rules } from "../../rules/index.js";
import { executeFix, type FixOutcome, type OutputDiagnostic } from "../../convert/run.js";
import type { FixChange } from "../../convert/fix.js";
import { VERSION } from "../../version.js";
import { addLintOptions, lintOptionsFromArgs, type LintArgs } from "../options.js";
import { defer, STDIN, type CommandResult } from "../command.js";

export interface TransformArgs extends LintArgs {
  input?: string;
  output?: string;
  format?: string;
}

/** Options shared by fix and convert: input, -o, --format, and the lint options for the output. */
export function transformOptions<T>(y: import("yargs").Argv<T>) {
  return addLintOptions(y)
    .positional("input", { type: "string", describe: "Input file ('-' reads stdin)" })
    .option("output", { alias: "o", type: "string", describe: "Output file ('-' writes stdout; never the input)", group: "Output:" })
    .option("format", {
      alias: "f",
      choices: ["stylish", "json"],
      default: "stylish",
      describe: "Report: stylish (stderr) or json (stdout)",
      group: "Output:",
    });
}

/** The plan of a fix or convert run: validated paths and report destination. */
export function planTransform(argv: TransformArgs, command: string): { input: string; output: string; json: boolean } {
  const input = argv.input === STDIN ? "-" : argv.input;
  const output = argv.output === STDIN ? "-" : argv.output;
  if (!input) throw new UsageError(`No input given. Usage: tunelint ${command} <input> -o <output> ('-' for stdin/stdout).`);
  if (!output)
    throw new UsageError(`No output given: tunelint ${command} never writes over its input. Add -o <file> (or -o - for stdout).`);
  const json = argv.format === "json";
  if (json && output === "-")
    throw new UsageError("--format json prints the report on stdout, where -o - writes the data: give -o a file.");
  return { input, output, json };
}

/** Fixes whose rules the user turned off (config or --rule) are not applied. */
export function skippedFixes(prepared: PreparedLint): string[] {
  return rules.filter((r) => r.meta.fixable && !prepared.rules.has(r.meta.id)).map((r) => r.meta.id);
}

export const fixCommand: CommandModule<object, TransformArgs> = {
  command: "fix <input>",
  describe: "Write a repaired copy (-o OUT): BOM, blank lines, CRLF, role case and aliases, weights, extra keys",
  builder: (y) => transformOptions(y) as never,
  handler: (argv) => defer(argv, () => runFix(argv)),
};

export async function runFix(argv: TransformArgs): Promise<CommandResult> {
  const plan = planTransform(argv, "fix");
  const prepared = await prepareLint({ ...lintOptionsFromArgs(argv as LintArgs & Record<string, unknown>), hash: false });
  await prepared.tokens?.ready();
  const outcome = await withInterrupt((signal) => executeFix(plan.input, plan.output, prepared, { skip: skippedFixes(prepared), signal }));
  const code = exitCode(outcome.lint.errorCount, outcome.lint.warningCount, argv["max-warnings"]);
  if (plan.json) return { code, stdout: JSON.stringify(fixReport(outcome), null, 2) + "\n" };
  return { code, stderr: [renderFix(outcome, argv.quiet === true)] };
}

/** Ctrl-C stops the run through an AbortSignal, so the partial output (a temporary file) is removed, not left behind. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await work(ac.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export function exitCode(errors: number, warnings: number, maxWarnings: number | undefined): number {
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) return 1;
  return 0;
}

export function fixReport(o: FixOutcome) {
  return {
    version: VERSION,
    input: o.input,
    output: o.output,
    lines: o.lines,
    records: o.records,
    outputLines: o.outputLines,
    changes: o.changes,
    remaining: o.remaining,
    errorCount: o.lint.errorCount,
    warningCount: o.lint.warningCount,
  };
}

const name = (p: string, io: "in" | "out") => (p === "-" ? (io === "in" ? "<stdin>" : "<stdout>") : p);

/** Consecutive line-level changes of one kind (CR LF on every line) are shown as one range. */
export function changeRows(changes: readonly FixChange[]): { where: string; ruleId: string; what: string }[] {
  const rows: { where: string; ruleId: string; what: string }[] = [];
  let i = 0;
  while (i < changes.length) {
    const c = changes[i]!;
    let j = i;
    if (c.pointer === "") {
      while (
        j + 1 < changes.length &&
        changes[j + 1]!.pointer === "" &&
        changes[j + 1]!.ruleId === c.ruleId &&
        changes[j + 1]!.before === c.before &&
        changes[j + 1]!.line === (changes[j]!.line ?? 0) + 1
      )
        j++;
    }
    const where = j > i ? `lines ${c.line}-${changes[j]!.line}` : `${c.line ?? "-"}${c.pointer ? ` ${c.pointer}` : ""}`;
    const what = c.after === "" ? `${c.before} -> (removed)` : `${c.before} -> ${c.after}`;
    rows.push({ where, ruleId: c.ruleId, what });
    i = j + 1;
  }
  return rows;
}

export function renderDiagnostics(list: readonly OutputDiagnostic[], quiet: boolean): string[] {
  const out: string[] = [];
  for (const d of list) {
    if (quiet && d.severity !== "error") continue;
    const at = d.line === null ? "-" : `${d.line}:${d.column}`;
    const from = d.inputLine !== null && d.inputLine !== d.line ? ` [input line ${d.inputLine}]` : "";
    out.push(`  ${at.padEnd(9)} ${d.severity.padEnd(8)} ${d.message}${d.pointer ? ` (${d.pointer})` : ""}  ${d.ruleId}${from}`);
  }
  return out;
}

export function renderFix(o: FixOutcome, quiet: boolean): string {
  const lines: string[] = [`tunelint fix: ${name(o.input, "in")} -> ${name(o.output, "out")}`];
  const rows = changeRows(o.changes);
  if (rows.length) {
    const w = Math.min(40, Math.max(...rows.map((r) => r.where.length)));
    const rw = Math.max(...rows.map((r) => r.ruleId.length));
    for (const r of rows) lines.push(`  ${r.where.padEnd(w)}  ${r.ruleId.padEnd(rw)}  ${r.what}`);
  } else lines.push("  nothing to fix");
  const remaining = renderDiagnostics(o.remaining, quiet);
  if (remaining.length) {
    lines.push("", `Not fixed (in ${name(o.output, "out")}; line numbers of the output):`, ...remaining);
  }
  // fix repairs JSONL; other tools' formats and JSON arrays are convert's job.
  const ids = new Set(o.remaining.map((d) => d.ruleId));
  if (o.records === 0 && ids.has("invalid-json")) {
    lines.push(
      "",
      `Hint: no line of ${name(o.input, "in")} is a JSON object: if it is a JSON array or pretty-printed JSON, run \`tunelint convert\`.`,
    );
  } else if (o.remaining.some((d) => d.ruleId === "unknown-format" || d.ruleId === "content-part-invalid")) {
    lines.push(
      "",
      "Hint: records in another tool's format (ShareGPT, Alpaca, LLaMA-Factory parts...) are converted by `tunelint convert`.",
    );
  }
  const removed = o.lines - o.outputLines;
  const changed = new Set(o.changes.map((c) => c.line)).size;
  lines.push(
    "",
    `${o.lint.errorCount ? "✖" : "✔"} ${o.changes.length} change${o.changes.length === 1 ? "" : "s"} on ${changed} line${changed === 1 ? "" : "s"}; ` +
      `${o.records} record${o.records === 1 ? "" : "s"} in, ${o.lint.records} out${removed ? `; ${removed} blank line${removed === 1 ? "" : "s"} removed` : ""}; ` +
      `the output has ${o.lint.errorCount} error${o.lint.errorCount === 1 ? "" : "s"} and ${o.lint.warningCount} warning${o.lint.warningCount === 1 ? "" : "s"}.`,
  );
  return lines.join("\n");
}
