/**
 * `markdown` formatter: a compact report for `$GITHUB_STEP_SUMMARY` and pull-request comments.
 *
 * Sections: a headline with the totals, per-file counts, the top rules, token stats (when any file has
 * them) and the first findings. Findings link to the offending line when a GitHub link context is given
 * (`formatMarkdown(report, ctx, { link })`; `linkContextFromEnv(process.env)` builds it from the
 * runner's GITHUB_SERVER_URL / GITHUB_REPOSITORY / GITHUB_SHA). The formatter itself reads no environment.
 *
 * The output is always at most `maxBytes` whatever the number of findings: tables are capped and each
 * cell is truncated. The default (COMMENT_MAX_BYTES) fits a pull-request comment (65,536 characters);
 * the step summary may take STEP_SUMMARY_MAX_BYTES (GitHub's limit is 1 MiB per step).
 */
import { fmtInt } from "./shared.js";
import type { Diagnostic, FileResult, Formatter, FormatContext, LintReport, Severity } from "../types.js";
import { repoRelativePath } from "./shared.js";

/** Fits a GitHub issue or pull-request comment (at most 65,536 characters; a character is at least a byte). */
export const COMMENT_MAX_BYTES = 65_000;
/** Under GitHub's 1 MiB limit for one step's $GITHUB_STEP_SUMMARY. */
export const STEP_SUMMARY_MAX_BYTES = 1_000_000;

export interface LinkContext {
  /** e.g. https://github.com */
  serverUrl: string;
  /** owner/name */
  repository: string;
  /** commit the files are read from */
  sha: string;
}

export interface MarkdownOptions {
  link?: LinkContext;
  /** How many findings to list (default 50). */
  maxFindings?: number;
  /** How many files to list in the per-file table (default 50, most problems first). */
  maxFiles?: number;
  /** How many rules to list in "Top rules" (default 10). */
  maxRules?: number;
  /** Hard ceiling of the output size in UTF-8 bytes (default COMMENT_MAX_BYTES). */
  maxBytes?: number;
  /** Heading level of the title (default 2). */
  headingLevel?: number;
}

/** Build a link context from an environment object (pass `process.env`); undefined when incomplete. */
export function linkContextFromEnv(env: Record<string, string | undefined>): LinkContext | undefined {
  const serverUrl = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!serverUrl || !repository || !sha) return undefined;
  return { serverUrl: serverUrl.replace(/\/+$/, ""), repository, sha };
}

const ICON: Record<Severity, string> = { error: "❌", warning: "⚠️", info: "ℹ️" };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const CELL_MAX = 300;

/** Escape text for an inline Markdown context (table cell): no HTML, no emphasis, no pipes, one line. */
export function escapeMarkdown(text: string, max = CELL_MAX): string {
  let s = text.replace(/[\r\n\t]+/g, " ");
  if (s.length > max) s = s.slice(0, max - 1) + "…";
  return s
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => "\\" + c)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * Inline code for a table cell: one line, no backticks (a code span cannot hold them simply), pipes
 * escaped (GFM splits cells on `|` even inside code spans; `\|` shows as `|`), truncated.
 */
export function code(text: string, max = 200): string {
  let s = text.replace(/[\r\n\t]+/g, " ").replace(/`/g, "'");
  if (s.length > max) s = s.slice(0, max - 1) + "…";
  return "`" + s.replace(/\|/g, "\\|") + "`";
}

/** A table cell of trusted text (rule descriptions may use `code`): only pipes and line breaks are neutralised. */
function cell(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/\|/g, "\\|");
}

function plural(n: number, word: string): string {
  return `${fmtInt(n)} ${word}${n === 1 ? "" : "s"}`;
}

function num(n: number): string {
  return Number.isInteger(n) ? fmtInt(n) : n.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function lineUrl(link: LinkContext, relPath: string, line: number | null): string {
  // encodeURIComponent leaves ( ) ! ' * alone; ( and ) would end a Markdown link destination.
  const encoded = relPath
    .split("/")
    .map((seg) => encodeURIComponent(seg).replace(/[()!'*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()))
    .join("/");
  return `${link.serverUrl}/${link.repository}/blob/${link.sha}/${encoded}${line != null ? `#L${line}` : ""}`;
}

function isLinkable(rel: string): boolean {
  return !rel.startsWith("/") && !/^<.*>$/.test(rel) && !/^[A-Za-z]:\//.test(rel);
}

/** Accumulates lines while keeping the whole document under a byte budget. */
class Budget {
  lines: string[] = [];
  used = 0;
  constructor(private readonly max: number) {}
  /** Add a line if it fits (keeping `reserve` bytes free); returns false when it did not. */
  add(line: string, reserve = 0): boolean {
    const size = Buffer.byteLength(line, "utf8") + 1;
    if (this.used + size + reserve > this.max) return false;
    this.lines.push(line);
    this.used += size;
    return true;
  }
}

export function formatMarkdown(report: LintReport, ctx: FormatContext, options: MarkdownOptions = {}): string {
  const maxFindings = options.maxFindings ?? 50;
  const maxFiles = options.maxFiles ?? 50;
  const maxRules = options.maxRules ?? 10;
  const maxBytes = options.maxBytes ?? COMMENT_MAX_BYTES;
  const h = "#".repeat(Math.min(6, Math.max(1, options.headingLevel ?? 2)));
  const link = options.link;
  const out = new Budget(maxBytes);
  const RESERVE = 200; // room for a closing "…truncated" line

  const files = report.files;
  const withProblems = files.filter((f) => f.errorCount + f.warningCount + f.infoCount > 0 || f.fatal).length;
  const total = report.errorCount + report.warningCount + report.infoCount;

  // Headline.
  if (total === 0 && !files.some((f) => f.fatal)) {
    out.add(`${h} tunelint: ✅ no problems in ${plural(files.length, "file")}`);
  } else {
    const parts = [plural(report.errorCount, "error"), plural(report.warningCount, "warning")];
    if (report.infoCount) parts.push(`${num(report.infoCount)} info`);
    const icon = report.errorCount ? ICON.error : report.warningCount ? ICON.warning : ICON.info;
    out.add(`${h} tunelint: ${icon} ${parts.join(", ")} in ${withProblems} of ${plural(files.length, "file")}`);
  }
  out.add("");
  if (files.length === 0) return out.lines.join("\n") + "\n";

  const rel = new Map<FileResult, string>(files.map((f) => [f, repoRelativePath(f.path, ctx.cwd)]));
  const fileCell = (f: FileResult): string => {
    const r = rel.get(f)!;
    const label = code(r);
    return link && isLinkable(r) ? `[${label}](${lineUrl(link, r, null)})` : label;
  };

  // Per-file counts, most problems first.
  const sortedFiles = [...files].sort(
    (a, b) =>
      Number(!!b.fatal) - Number(!!a.fatal) || b.errorCount - a.errorCount || b.warningCount - a.warningCount || b.infoCount - a.infoCount,
  );
  out.add("| File | Format | Records | Errors | Warnings | Info |");
  out.add("| --- | --- | ---: | ---: | ---: | ---: |");
  let shownFiles = 0;
  for (const f of sortedFiles.slice(0, maxFiles)) {
    const fatal = f.fatal ? " (unreadable)" : "";
    const row = `| ${fileCell(f)}${fatal} | ${f.format ?? "–"} | ${num(f.records)} | ${num(f.errorCount)} | ${num(f.warningCount)} | ${num(f.infoCount)} |`;
    if (!out.add(row, RESERVE)) break;
    shownFiles++;
  }
  if (shownFiles < files.length) out.add(`\n_…and ${plural(files.length - shownFiles, "more file")}._`, RESERVE);
  out.add("");

  // Top rules.
  if (total > 0) {
    const counts = new Map<string, { n: number; severity: Severity }>();
    for (const f of files)
      for (const d of f.diagnostics) {
        const c = counts.get(d.ruleId);
        if (c) {
          c.n++;
          if (RANK[d.severity] < RANK[c.severity]) c.severity = d.severity;
        } else counts.set(d.ruleId, { n: 1, severity: d.severity });
      }
    const docs = new Map(ctx.rules.map((r) => [r.id, r]));
    const top = [...counts].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0])).slice(0, maxRules);
    out.add(`${h}# Top rules`, RESERVE);
    out.add("", RESERVE);
    out.add("| Rule | Severity | Findings | Description |", RESERVE);
    out.add("| --- | --- | ---: | --- |", RESERVE);
    for (const [id, c] of top) {
      const doc = docs.get(id);
      const idCell = doc?.docsUrl ? `[${code(id)}](${doc.docsUrl})` : code(id);
      if (!out.add(`| ${idCell} | ${ICON[c.severity]} ${c.severity} | ${num(c.n)} | ${cell(doc?.description ?? "")} |`, RESERVE)) break;
    }
    if (counts.size > top.length) out.add(`\n_…and ${plural(counts.size - top.length, "more rule")}._`, RESERVE);
    out.add("", RESERVE);
  }

  // Token stats.
  const tokenFiles = files.filter((f) => f.stats?.tokens);
  if (tokenFiles.length) {
    out.add(`${h}# Token stats`, RESERVE);
    out.add("", RESERVE);
    const epochs = ctx.epochs && ctx.epochs > 0 ? ctx.epochs : undefined;
    const trainedHead = epochs ? ` Trained x ${plural(epochs, "epoch")} |` : "";
    out.add(
      `| File | Model | Method | Exact | Total | Min | Mean | p50 | p95 | Max | Limit | Over limit | Trained | Trained p50 | Trained p95 | Train nothing |${trainedHead}`,
      RESERVE,
    );
    out.add(
      `| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${epochs ? " ---: |" : ""}`,
      RESERVE,
    );
    let shown = 0;
    for (const f of tokenFiles.slice(0, maxFiles)) {
      const t = f.stats.tokens!;
      const over = t.overLimit ? `**${num(t.overLimit)}**` : "0";
      const row = `| ${fileCell(f)} | ${code(t.model, 100)} | ${t.method} | ${t.exact ? "yes" : "estimate"} | ${num(t.total)} | ${num(t.min)} | ${num(t.mean)} | ${num(t.p50)} | ${num(t.p95)} | ${num(t.max)} | ${num(t.limit)} | ${over} | ${num(t.trained)} | ${num(t.trainedP50)} | ${num(t.trainedP95)} | ${num(t.untrained)} |${epochs ? ` ${num(t.trained * epochs)} |` : ""}`;
      if (!out.add(row, RESERVE)) break;
      shown++;
    }
    if (shown < tokenFiles.length) out.add(`\n_…and ${plural(tokenFiles.length - shown, "more file")}._`, RESERVE);
    out.add("", RESERVE);
  }

  // First findings: errors first, then warnings, then info; file and line order within a severity.
  if (total > 0) {
    const picked: Array<{ f: FileResult; d: Diagnostic }> = [];
    for (const sev of ["error", "warning", "info"] as const) {
      for (const f of files) {
        for (const d of f.diagnostics) {
          if (d.severity !== sev) continue;
          if (picked.length >= maxFindings) break;
          picked.push({ f, d });
        }
        if (picked.length >= maxFindings) break;
      }
    }
    out.add(`${h}# ${picked.length < total ? `First ${num(picked.length)} of ${plural(total, "finding")}` : "Findings"}`, RESERVE);
    out.add("", RESERVE);
    out.add("| Location | Severity | Rule | Message |", RESERVE);
    out.add("| --- | --- | --- | --- |", RESERVE);
    let shown = 0;
    for (const { f, d } of picked) {
      const r = rel.get(f)!;
      const where = `${r}${d.line != null ? `:${d.line}${d.column != null ? `:${d.column}` : ""}` : ""}`;
      const label = code(where);
      const loc = link && isLinkable(r) ? `[${label}](${lineUrl(link, r, d.line)})` : label;
      const msg = escapeMarkdown(d.message) + (d.pointer ? ` <sub>${code(d.pointer, 100)}</sub>` : "");
      if (!out.add(`| ${loc} | ${ICON[d.severity]} ${d.severity} | ${code(d.ruleId)} | ${msg} |`, RESERVE)) break;
      shown++;
    }
    if (shown < total) out.add(`\n_${plural(total - shown, "more finding")} not shown: see the job log or the SARIF report._`);
  }
  return out.lines.join("\n") + "\n";
}

/**
 * A markdown formatter with fixed options, for a registry that wants line links from the CLI layer:
 * `formatters.markdown = markdownFormatter({ link: linkContextFromEnv(process.env) })`.
 */
export function markdownFormatter(options: MarkdownOptions): Formatter {
  return (report, ctx) => formatMarkdown(report, ctx, options);
}

/** The plain formatter: no links (pure; see markdownFormatter / formatMarkdown for links). */
export const markdown: Formatter = (report, ctx) => formatMarkdown(report, ctx);

export default markdown;
