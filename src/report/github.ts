/**
 * `github` formatter: GitHub Actions workflow commands, one annotation per finding.
 *
 *   ::error file=data/train.jsonl,line=3,col=1,title=tunelint (messages/empty-content)::Message 1 has empty content.
 *
 * Errors become `::error`, warnings `::warning`, info `::notice`. GitHub only shows the first 10 errors and
 * 10 warnings of a step (50 per job) as annotations, so callers should print a full report too.
 */
import type { Diagnostic, Formatter, Severity } from "../types.js";
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

export const github: Formatter = (report, ctx) => {
  const out: string[] = [];
  for (const file of report.files) {
    const rel = repoRelativePath(file.path, ctx.cwd);
    for (const d of file.diagnostics) out.push(annotation(rel, d));
    const t = file.stats?.tokens;
    if (t) {
      const title = escapeProperty("tunelint (tokens)");
      out.push(
        `::notice file=${escapeProperty(rel)},title=${title}::${escapeData(`${tokenSummary(t)}; ${trainedSummary(t, ctx.epochs)}`)}`,
      );
    }
  }
  return out.length ? out.join("\n") + "\n" : "";
};

export default github;
