/**
 * `github` formatter: GitHub Actions workflow commands, one annotation per finding.
 *
 *   ::error file=data/train.jsonl,line=3,col=1,title=tunelint (messages/empty-content)::Message 1 has empty content.
 *
 * Errors become `::error`, warnings `::warning`, info `::notice`. GitHub only shows the first 10 errors and
 * 10 warnings of a step (50 per job) as annotations, so callers should print a full report too.
 */
import type { Diagnostic, FormatContext, Formatter, LintReport, Severity } from "../types.js";
import { omittedMessage } from "./omitted.js";
import { repoRelativePath } from "./shared.js";
import { tokenSummary, trainedSummary } from "./stylish.js";
import { escapeData, escapeProperty } from "./workflow-commands.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** One workflow command line (without the trailing newline). */
export function annotation(file: string, d: Diagnostic): string {
  const props = [`file=${escapeProperty(file)}`];
  if (d.line != null) {
    props.push(`line=${d.line}`);
    if (d.column != null) props.push(`col=${d.column}`);
  }
  props.push(`title=${escapeProperty(`tunelint (${d.ruleId})`)}`);
  const text = d.pointer ? `${d.message} (at ${d.pointer})` : d.message;
  return `::${COMMAND[d.severity]} ${props.join(",")}::${escapeData(text)}`;
}

/** The annotations in pieces (a few hundred lines each), so a big report is written as it is made. */
export function* githubChunks(report: LintReport, ctx: FormatContext): Generator<string> {
  let out: string[] = [];
  for (const file of report.files) {
    const rel = repoRelativePath(file.path, ctx.cwd);
    for (const d of file.diagnostics) {
      out.push(annotation(rel, d));
      if (out.length >= 512) {
        yield out.join("\n") + "\n";
        out = [];
      }
    }
    const t = file.stats?.tokens;
    if (t) {
      const title = escapeProperty("tunelint (tokens)");
      out.push(
        `::notice file=${escapeProperty(rel)},title=${title}::${escapeData(`${tokenSummary(t)}; ${trainedSummary(t, ctx.epochs)}`)}`,
      );
    }
    // What was counted but not kept: one file-level annotation per rule.
    for (const o of file.omitted ?? []) {
      const title = escapeProperty(`tunelint (${o.ruleId})`);
      out.push(`::${COMMAND[o.severity]} file=${escapeProperty(rel)},title=${title}::${escapeData(omittedMessage(file, o))}`);
    }
  }
  if (out.length) yield out.join("\n") + "\n";
}

export const github: Formatter = (report, ctx) => {
  let s = "";
  for (const piece of githubChunks(report, ctx)) s += piece;
  return s;
};

export default github;
