/** Writing reports: several --format / --output-file pairs in one run; only one format may go to stdout. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { formatContext, formatters } from "../report/formatters.js";
import { linkContextFromEnv, markdownFormatter } from "../report/markdown.js";
import { UsageError } from "../errors.js";
import type { LintReport } from "../types.js";

export interface OutputPlan {
  format: string;
  file: string | null;
}

export function planOutputs(formats: readonly string[] | undefined, files: readonly string[] | undefined): OutputPlan[] {
  const fmts = formats?.length ? [...formats] : ["stylish"];
  const outs = files ?? [];
  if (outs.length > fmts.length) throw new UsageError("More --output-file than --format options: give a --format for each output file.");
  const plan = fmts.map((format, i) => {
    if (!formatters[format]) throw new UsageError(`Unknown format "${format}": use ${Object.keys(formatters).join(", ")}.`);
    return { format, file: outs[i] ?? null };
  });
  if (plan.filter((p) => p.file === null).length > 1) {
    throw new UsageError("Only one format can go to stdout: give an --output-file for each extra --format.");
  }
  return plan;
}

export async function writeOutputs(plan: OutputPlan[], report: LintReport, opts: { color: boolean; epochs?: number }): Promise<void> {
  for (const p of plan) {
    const ctx = formatContext({ color: p.file === null && opts.color && p.format === "stylish", epochs: opts.epochs });
    // Markdown links findings to lines when run inside GitHub Actions (the formatter stays pure: env is read here).
    const formatter = p.format === "markdown" ? markdownFormatter({ link: linkContextFromEnv(process.env) }) : formatters[p.format]!;
    const text = formatter(report, ctx);
    if (p.file === null) {
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    } else {
      try {
        await mkdir(dirname(p.file), { recursive: true });
        await writeFile(p.file, text);
      } catch (e) {
        throw new UsageError(`Cannot write ${p.file}: ${(e as Error).message}`);
      }
    }
  }
}
