import type { Formatter, FormatContext, LintReport, TokenStats } from "../types.js";
import { omittedMessage } from "./omitted.js";
import { fmtInt } from "./shared.js";

type Style = "red" | "yellow" | "blue" | "green" | "dim" | "underline";
// ANSI codes written directly: util.styleText drops them when stdout is not a terminal, which would make --color
// (and FORCE_COLOR) useless on a pipe. Whether to colour is decided by the caller (ctx.color), never here.
const ANSI: Record<Style, [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  green: [32, 39],
  dim: [2, 22],
  underline: [4, 24],
};
function styleText(style: Style, s: string): string {
  const [on, off] = ANSI[style];
  return `\u001b[${on}m${s}\u001b[${off}m`;
}

/** 1234567 -> "1,234,567". Not toLocaleString: loading ICU costs ~10 ms of every run's start-up. */
function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function tokenSummary(t: TokenStats): string {
  const parts = [
    `tokens (${t.model}, ${t.method.toUpperCase()}, ${t.exact ? "exact" : "estimate"}): total ${fmtInt(t.total)}`,
    `mean ${fmtInt(t.mean)}`,
    `p50 ${fmtInt(t.p50)}`,
    `p95 ${fmtInt(t.p95)}`,
    `max ${fmtInt(t.max)} of ${fmtInt(t.limit)}`,
    `${fmtInt(t.overLimit)} over the limit`,
  ];
  const o = t.tokenizer;
  if (o && o.source !== "shipped") {
    const where =
      o.source === "file"
        ? `tokenizer ${o.path}`
        : `tokenizer of ${o.repo}@${(o.commit ?? "").slice(0, 7)} ${o.source === "cache" ? "from the Hugging Face cache" : "downloaded from the Hugging Face Hub"}`;
    parts.push(where);
  }
  return parts.join(", ") + (o?.note ? `\n  (${o.note})` : "");
}

/** The trained-tokens line: what enters the loss (train_on_inputs), its distribution, and x epochs when given. */
export function trainedSummary(t: TokenStats, epochs?: number): string {
  const parts = [
    `trained (train_on_inputs ${String(t.trainOnInputs)}): ${fmtInt(t.trained)}`,
    `mean ${fmtInt(t.trainedMean)}`,
    `p50 ${fmtInt(t.trainedP50)}`,
    `p95 ${fmtInt(t.trainedP95)}`,
    `max ${fmtInt(t.trainedMax)}`,
  ];
  if (t.untrained > 0)
    parts.push(`${fmtInt(t.untrained)} record${t.untrained === 1 ? "" : "s"} train${t.untrained === 1 ? "s" : ""} nothing`);
  if (epochs && epochs > 0) parts.push(`x ${epochs} epoch${epochs === 1 ? "" : "s"} = ${fmtInt(t.trained * epochs)} trained`);
  return parts.join(", ");
}

/**
 * eslint-style report: one block per file with findings, a stats line per file, and a total. Yields one piece per
 * file (and a few rows at a time), so a big report is written as it is made, never held as one string.
 */
export function* stylishChunks(report: LintReport, ctx: FormatContext): Generator<string> {
  const c = (style: Style, s: string) => (ctx.color ? styleText(style, s) : s);
  const ROWS = 512;
  for (const f of report.files) {
    let out: string[] = [c("underline", f.path)];
    for (const d of f.diagnostics) {
      const loc = d.line === null ? "file" : `${d.line}:${d.column ?? 0}`;
      const sev = d.severity === "error" ? c("red", "error  ") : d.severity === "warning" ? c("yellow", "warning") : c("blue", "info   ");
      const where = d.pointer ? c("dim", ` (${d.pointer})`) : "";
      out.push(`  ${c("dim", pad(loc, 9))} ${sev}  ${d.message}${where}  ${c("dim", d.ruleId)}`);
      if (out.length >= ROWS) {
        yield out.join("\n") + "\n";
        out = [];
      }
    }
    for (const o of f.omitted ?? []) out.push(`  ${c("dim", "…")}         ${omittedMessage(f, o)}`);
    const fmt = f.format ? `${f.format}, ` : "";
    out.push(
      c(
        "dim",
        f.format === "pretokenized" // Parquet: rows are the lines
          ? `  ${fmt}${fmtInt(f.records)} row${f.records === 1 ? "" : "s"}`
          : `  ${fmt}${fmtInt(f.records)} record${f.records === 1 ? "" : "s"}, ${fmtInt(f.stats.lines)} line${f.stats.lines === 1 ? "" : "s"}`,
      ),
    );
    if (f.stats.tokens)
      out.push(c("dim", `  ${tokenSummary(f.stats.tokens)}`), c("dim", `  ${trainedSummary(f.stats.tokens, ctx.epochs)}`));
    out.push("");
    yield out.join("\n") + "\n";
  }
  const out: string[] = [];
  const problems = report.errorCount + report.warningCount + report.infoCount;
  const files = report.files.length;
  if (problems === 0) {
    out.push(c("green", `✔ No problems in ${files} file${files === 1 ? "" : "s"}.`));
  } else {
    const detail = [
      `${fmtInt(report.errorCount)} error${report.errorCount === 1 ? "" : "s"}`,
      `${fmtInt(report.warningCount)} warning${report.warningCount === 1 ? "" : "s"}`,
    ];
    if (report.infoCount) detail.push(`${fmtInt(report.infoCount)} info`);
    const line = `✖ ${fmtInt(problems)} problem${problems === 1 ? "" : "s"} (${detail.join(", ")}) in ${files} file${files === 1 ? "" : "s"}`;
    out.push(c(report.errorCount ? "red" : "yellow", line));
  }
  yield out.join("\n") + "\n";
}

export const stylish: Formatter = (report, ctx) => {
  let s = "";
  for (const piece of stylishChunks(report, ctx)) s += piece;
  return s;
};
