import { styleText } from "node:util";
import type { FileResult, Formatter, TokenStats } from "../types.js";
import { fmtInt } from "./shared.js";

type Style = Parameters<typeof styleText>[0];

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

/** eslint-style report: one block per file with findings, a stats line per file, and a total. */
export const stylish: Formatter = (report, ctx) => {
  const c = (style: Style, s: string) => (ctx.color ? styleText(style, s) : s);
  const out: string[] = [];
  const fileBlock = (f: FileResult) => {
    const header = c("underline", f.path);
    const rows = f.diagnostics.map((d) => {
      const loc = d.line === null ? "file" : `${d.line}:${d.column ?? 0}`;
      const sev = d.severity === "error" ? c("red", "error  ") : d.severity === "warning" ? c("yellow", "warning") : c("blue", "info   ");
      const where = d.pointer ? c("dim", ` (${d.pointer})`) : "";
      return `  ${c("dim", pad(loc, 9))} ${sev}  ${d.message}${where}  ${c("dim", d.ruleId)}`;
    });
    const fmt = f.format ? `${f.format}, ` : "";
    const stats = [
      f.format === "pretokenized" // Parquet: rows are the lines
        ? `${fmt}${fmtInt(f.records)} row${f.records === 1 ? "" : "s"}`
        : `${fmt}${fmtInt(f.records)} record${f.records === 1 ? "" : "s"}, ${fmtInt(f.stats.lines)} line${f.stats.lines === 1 ? "" : "s"}`,
    ];
    if (f.stats.tokens) stats.push(tokenSummary(f.stats.tokens), trainedSummary(f.stats.tokens, ctx.epochs));
    out.push(header, ...rows, ...stats.map((s) => c("dim", `  ${s}`)), "");
  };
  for (const f of report.files) fileBlock(f);
  const problems = report.errorCount + report.warningCount + report.infoCount;
  const files = report.files.length;
  if (problems === 0) {
    out.push(c("green", `✔ No problems in ${files} file${files === 1 ? "" : "s"}.`));
  } else {
    const detail = [
      `${report.errorCount} error${report.errorCount === 1 ? "" : "s"}`,
      `${report.warningCount} warning${report.warningCount === 1 ? "" : "s"}`,
    ];
    if (report.infoCount) detail.push(`${report.infoCount} info`);
    const line = `✖ ${problems} problem${problems === 1 ? "" : "s"} (${detail.join(", ")}) in ${files} file${files === 1 ? "" : "s"}`;
    out.push(c(report.errorCount ? "red" : "yellow", line));
  }
  return out.join("\n") + "\n";
};
