/**
 * `html` formatter: one self-contained page (inline CSS, inline SVG charts, a few lines of inline script for the
 * findings filter; no external fonts, scripts or images, and a Content-Security-Policy that forbids fetching any).
 * It opens from disk with no network.
 *
 * Per file: the stats (records, formats, duplicates, SHA-256 when computed, token figures), a histogram of tokens per
 * example with the model's limit drawn as a line (bytes per example without --model; the engine collects both when
 * `histograms: true`), findings by rule with their docs links, and a table of findings capped at `maxFindings` per
 * file and `maxTotalFindings` in all, with "N more" where the cap cut it (the counts stay exact).
 *
 * Charts are hand-written SVG: a charting library inlined would add 50-200 KB to every report for a bar chart.
 * Pure like every formatter: report in, text out; every string from the data is escaped.
 */
import type { Diagnostic, FileResult, FormatContext, Formatter, Histogram, LintReport, Severity, TokenStats } from "../types.js";
import { fmtInt } from "./shared.js";

export interface HtmlOptions {
  /** Findings listed per file (default 1,000). */
  maxFindings?: number;
  /** Findings listed in the whole report (default 5,000): a report of a million findings stays about 2 MB. */
  maxTotalFindings?: number;
  /** Page title (default "tunelint report"). */
  title?: string;
}

export const HTML_MAX_FINDINGS = 1000;
export const HTML_MAX_TOTAL_FINDINGS = 5000;

const SEVERITIES: Severity[] = ["error", "warning", "info"];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

function plural(n: number, word: string): string {
  return `${fmtInt(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** Compact axis label: 950, 1.2k, 35k, 1.5M. */
export function shortNumber(n: number): string {
  if (n < 1000) return String(Math.round(n));
  for (const [div, unit] of [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ] as const) {
    if (n >= div) {
      const v = n / div;
      return (v >= 100 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, "")) + unit;
    }
  }
  return String(n);
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--err:#cf222e;--warn:#9a6700;--info:#0969da;--bar:#54aeff;--over:#ff8182}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:16px 24px}header{border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;word-break:break-all}h3{font-size:15px;margin:20px 0 6px}
.totals span{margin-right:16px}.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}.ok{color:#1a7f37}
dl.stats{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;padding:12px 16px;background:var(--panel);border-radius:6px}
dl.stats dt{color:var(--muted)}dl.stats dd{margin:0;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.msg{word-break:break-word}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.more{color:var(--muted);font-style:italic}.note{color:var(--muted)}
svg.chart{display:block;max-width:100%;height:auto}svg .bar{fill:var(--bar)}svg .bar.over{fill:var(--over)}
svg .axis{stroke:var(--muted);stroke-width:1}svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
svg .limit{stroke:var(--err);stroke-width:2;stroke-dasharray:5 3}svg text.limit-label{fill:var(--err);font-weight:600}
.filter{margin:8px 0}.filter input{font:inherit;padding:2px 6px;width:320px;max-width:100%}
`;

/** Hides finding rows that do not contain the filter text (per file). Inline, tiny, optional: the page works without it. */
const SCRIPT = `
document.querySelectorAll("input[data-filter]").forEach(function(input){
  input.addEventListener("input",function(){
    var q=input.value.toLowerCase();var rows=document.querySelectorAll("#"+input.dataset.filter+" tbody tr");
    rows.forEach(function(r){r.hidden=q!==""&&r.textContent.toLowerCase().indexOf(q)<0;});
  });
});
`;

export function htmlFormatter(options: HtmlOptions = {}): Formatter {
  return (report, ctx) => renderHtml(report, ctx, options);
}

export const html: Formatter = htmlFormatter();

function renderHtml(report: LintReport, ctx: FormatContext, options: HtmlOptions): string {
  const perFile = options.maxFindings ?? HTML_MAX_FINDINGS;
  let budget = options.maxTotalFindings ?? HTML_MAX_TOTAL_FINDINGS;
  const title = options.title ?? "tunelint report";
  const docs = new Map(ctx.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  out.push(
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    // Nothing may be fetched: the report is one file that opens from disk.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`,
  );
  const problems = report.errorCount + report.warningCount + report.infoCount;
  out.push(`<header><h1>${escapeHtml(title)}</h1><div class="totals" id="totals">`);
  out.push(`<span>${plural(report.files.length, "file")}</span>`);
  if (problems === 0) out.push('<span class="ok">✔ No problems</span>');
  for (const s of SEVERITIES) {
    const n = s === "error" ? report.errorCount : s === "warning" ? report.warningCount : report.infoCount;
    if (n || s !== "info")
      out.push(
        `<span class="sev-${s}" data-severity="${s}" data-count="${n}">${plural(n, s === "info" ? "info" : s).replace(/infos$/, "info")}</span>`,
      );
  }
  out.push(`<span class="note">tunelint ${escapeHtml(report.version)}</span></div></header><main>`);

  report.files.forEach((f, i) => {
    const shown = Math.max(0, Math.min(perFile, budget, f.diagnostics.length));
    budget -= shown;
    out.push(fileSection(f, i, shown, docs, ctx));
  });
  out.push(`</main><script>${SCRIPT}</script></body></html>\n`);
  return out.join("\n");
}

function fileSection(
  f: FileResult,
  index: number,
  shown: number,
  docs: Map<string, FormatContext["rules"][number]>,
  ctx: FormatContext,
): string {
  const id = `file-${index}`;
  const out: string[] = [`<section class="file" id="${id}" data-path="${escapeHtml(f.path)}">`, `<h2>${escapeHtml(f.path)}</h2>`];
  out.push(statsList(f, ctx));

  const h = f.stats.histograms;
  if (h?.tokens && f.stats.tokens) {
    out.push(`<h3>Tokens per example</h3>`);
    out.push(histogramSvg(h.tokens, { limit: f.stats.tokens.limit, over: f.stats.tokens.overLimit, label: "tokens", id: `${id}-tokens` }));
  }
  if (h?.trained && f.stats.tokens) {
    out.push(`<h3>Trained tokens per example</h3>`);
    out.push(
      '<p class="note">The tokens that enter the loss (assistant replies with weight 1, completions, or everything with train_on_inputs true).</p>',
    );
    out.push(histogramSvg(h.trained, { label: "trained tokens", id: `${id}-trained` }));
  }
  if (h?.bytes) {
    out.push(`<h3>Bytes per example</h3>`);
    out.push(histogramSvg(h.bytes, { label: "bytes", id: `${id}-bytes` }));
  }
  if (!h) out.push('<p class="note">No size distribution in this report (it was made without <code>histograms: true</code>).</p>');

  const total = f.errorCount + f.warningCount + f.infoCount;
  out.push(`<h3>Findings by rule</h3>`);
  if (total === 0) out.push('<p class="ok">✔ No problems.</p>');
  else out.push(byRuleTable(f, docs, id));

  if (total > 0) {
    out.push(`<h3>Findings</h3>`);
    out.push(
      `<div class="filter"><input type="search" placeholder="Filter findings" aria-label="Filter findings" data-filter="${id}-findings"></div>`,
    );
    out.push(
      `<table id="${id}-findings" class="findings"><thead><tr><th class="num">Line</th><th class="num">Col</th><th>Severity</th><th>Rule</th><th>Pointer</th><th>Message</th></tr></thead><tbody>`,
    );
    for (let k = 0; k < shown; k++) out.push(findingRow(f.diagnostics[k]!));
    out.push("</tbody></table>");
    const more = total - shown;
    if (more > 0) {
      out.push(
        `<p class="more" data-more="${more}">${fmtInt(more)} more finding${more === 1 ? "" : "s"} not listed here (the counts above are exact; <code>--format json</code> lists them).</p>`,
      );
    }
  }
  out.push("</section>");
  return out.join("\n");
}

function statsList(f: FileResult, ctx: FormatContext): string {
  const rows: [string, string][] = [];
  rows.push(["Records", fmtInt(f.records)]);
  rows.push(["Lines", `${fmtInt(f.stats.lines)}${f.stats.blankLines ? ` (${fmtInt(f.stats.blankLines)} blank)` : ""}`]);
  const formats = Object.entries(f.stats.formats)
    .map(([k, v]) => `${escapeHtml(k)} ${fmtInt(v ?? 0)}`)
    .join(", ");
  rows.push([
    "Format",
    f.format ? escapeHtml(f.format) + (formats && Object.keys(f.stats.formats).length > 1 ? ` (${formats})` : "") : "none detected",
  ]);
  rows.push(["Size", `${fmtInt(f.stats.bytes)} bytes`]);
  const dups = f.diagnostics.filter((d) => d.ruleId === "duplicate-example").length;
  rows.push(["Duplicates", fmtInt(dups)]);
  if (f.stats.sha256) rows.push(["SHA-256", `<code>${escapeHtml(f.stats.sha256)}</code>`]);
  const t = f.stats.tokens;
  if (t) rows.push(...tokenRows(t, ctx.epochs));
  if (f.fatal) rows.push(["Read", '<span class="sev-error">could not be read to the end</span>']);
  return `<dl class="stats">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function tokenRows(t: TokenStats, epochs: number | undefined): [string, string][] {
  const rows: [string, string][] = [
    ["Model", `<code>${escapeHtml(t.model)}</code> (${t.method.toUpperCase()}, ${t.exact ? "exact count" : "estimate"})`],
    ["Tokens", `total ${fmtInt(t.total)}, mean ${fmtInt(t.mean)}, p50 ${fmtInt(t.p50)}, p95 ${fmtInt(t.p95)}, max ${fmtInt(t.max)}`],
    [
      "Limit",
      `${fmtInt(t.limit)} tokens; <span class="${t.overLimit ? "sev-error" : "ok"}">${plural(t.overLimit, "example")} over it</span>`,
    ],
    [
      "Trained",
      `${fmtInt(t.trained)} tokens enter the loss (train_on_inputs ${escapeHtml(String(t.trainOnInputs))}), mean ${fmtInt(t.trainedMean)}, ` +
        `p50 ${fmtInt(t.trainedP50)}, p95 ${fmtInt(t.trainedP95)}, max ${fmtInt(t.trainedMax)}` +
        (t.untrained ? `; <span class="sev-warning">${plural(t.untrained, "example")} train nothing</span>` : ""),
    ],
  ];
  if (epochs && epochs > 0)
    rows.push(["Epochs", `${epochs}: ${fmtInt(t.trained * epochs)} trained tokens, ${fmtInt(t.total * epochs)} tokens processed`]);
  return rows;
}

function byRuleTable(f: FileResult, docs: Map<string, FormatContext["rules"][number]>, id: string): string {
  // Counted from the stored findings; the file's totals are exact even where findings were not all stored.
  const counts = new Map<string, { severity: Severity; n: number }>();
  for (const d of f.diagnostics) {
    const c = counts.get(d.ruleId);
    if (c) c.n++;
    else counts.set(d.ruleId, { severity: d.severity, n: 1 });
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const rows = [...counts].sort((a, b) => rank(a[1].severity) - rank(b[1].severity) || b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const out = [
    `<table id="${id}-rules" class="rules"><thead><tr><th>Rule</th><th>Severity</th><th class="num">Findings</th><th>What it checks</th></tr></thead><tbody>`,
  ];
  for (const [ruleId, { severity, n }] of rows) {
    const doc = docs.get(ruleId);
    const name = doc ? `<a href="${escapeHtml(doc.docsUrl)}">${escapeHtml(ruleId)}</a>` : escapeHtml(ruleId);
    out.push(
      `<tr data-rule="${escapeHtml(ruleId)}"><td>${name}</td><td class="sev-${severity}">${severity}</td><td class="num">${fmtInt(n)}</td><td>${escapeHtml(doc?.description ?? "")}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  const stored = f.diagnostics.length;
  const total = f.errorCount + f.warningCount + f.infoCount;
  if (stored < total)
    out.push(`<p class="more">Counts by rule cover the ${fmtInt(stored)} findings kept in the report, of ${fmtInt(total)}.</p>`);
  return out.join("");
}

function findingRow(d: Diagnostic): string {
  return (
    `<tr class="sev-row-${d.severity}"><td class="num">${d.line ?? "file"}</td><td class="num">${d.column ?? ""}</td>` +
    `<td class="sev-${d.severity}">${d.severity}</td><td>${escapeHtml(d.ruleId)}</td>` +
    `<td>${d.pointer ? `<code>${escapeHtml(d.pointer)}</code>` : ""}</td><td class="msg">${escapeHtml(d.message)}</td></tr>`
  );
}

interface ChartOptions {
  label: string;
  id: string;
  /** The model's limit, drawn as a line. */
  limit?: number;
  /** Examples over the limit (exact, from the token stats). */
  over?: number;
}

const W = 760;
const H = 240;
const M = { left: 48, right: 16, top: 22, bottom: 36 };

/** A bar chart on a log2 x axis (bins are log-spaced), the limit as a dashed line. */
export function histogramSvg(h: Histogram, o: ChartOptions): string {
  const n = h.counts.length;
  // Bin 0 holds zero-size records: draw it one bin-width left of the first positive edge.
  const firstPositive = h.edges.find((e) => e > 0) ?? 1;
  const step = n > 1 && h.edges[1]! > 0 && h.edges[0]! > 0 ? h.edges[1]! / h.edges[0]! : 2 ** (1 / 8);
  const edge = (e: number) => (e > 0 ? e : firstPositive / step);
  let lo = edge(h.edges[0]!);
  let hi = h.edges[n]!;
  if (o.limit && o.limit > 0) {
    lo = Math.min(lo, o.limit / 2);
    hi = Math.max(hi, o.limit * 1.15);
  }
  const lx = (v: number) => M.left + ((Math.log2(v) - Math.log2(lo)) / (Math.log2(hi) - Math.log2(lo) || 1)) * (W - M.left - M.right);
  const maxCount = Math.max(...h.counts, 1);
  const y = (c: number) => H - M.bottom - (c / maxCount) * (H - M.top - M.bottom);
  const parts: string[] = [];
  const total = h.counts.reduce((a, b) => a + b, 0);
  parts.push(
    `<svg class="chart" id="${o.id}" data-unit="${h.unit}" data-records="${total}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Histogram of ${o.label} per example">`,
  );
  for (let i = 0; i < n; i++) {
    const c = h.counts[i]!;
    if (c === 0) continue;
    const from = h.edges[i]!;
    const to = h.edges[i + 1]!;
    const x0 = lx(edge(from));
    const x1 = Math.max(x0 + 1, lx(to) - 0.5);
    const over = o.limit !== undefined && from >= o.limit;
    const range = `${fmtInt(Math.ceil(from))}–${fmtInt(Math.max(Math.ceil(from), Math.ceil(to) - 1))} ${o.label}`;
    parts.push(
      `<rect class="bar${over ? " over" : ""}" x="${x0.toFixed(1)}" y="${y(c).toFixed(1)}" width="${(x1 - x0).toFixed(1)}" height="${(H - M.bottom - y(c)).toFixed(1)}" data-count="${c}"><title>${range}: ${plural(c, "example")}</title></rect>`,
    );
  }
  // Axes and ticks: decades and their 2x / 5x on x, 0 / half / max on y.
  const base = H - M.bottom;
  parts.push(`<line class="axis" x1="${M.left}" y1="${base}" x2="${W - M.right}" y2="${base}"/>`);
  parts.push(`<line class="axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${base}"/>`);
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v < lo || v > hi) continue;
      const x = lx(v);
      parts.push(`<line class="axis" x1="${x.toFixed(1)}" y1="${base}" x2="${x.toFixed(1)}" y2="${base + 4}"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${base + 16}" text-anchor="middle">${shortNumber(v)}</text>`);
    }
  }
  for (const c of [0, Math.round(maxCount / 2), maxCount]) {
    if (c === Math.round(maxCount / 2) && (c === 0 || c === maxCount)) continue;
    parts.push(`<text x="${M.left - 6}" y="${(y(c) + 4).toFixed(1)}" text-anchor="end">${shortNumber(c)}</text>`);
  }
  parts.push(`<text x="${(W + M.left) / 2}" y="${H - 4}" text-anchor="middle">${o.label} per example (log scale)</text>`);
  if (o.limit && o.limit > 0) {
    const x = lx(o.limit).toFixed(1);
    parts.push(`<line class="limit" x1="${x}" y1="${M.top - 6}" x2="${x}" y2="${base}" data-limit="${o.limit}"/>`);
    const over = o.over ?? 0;
    parts.push(
      `<text class="limit-label" x="${x}" y="${M.top - 10}" text-anchor="${Number(x) > W / 2 ? "end" : "start"}">limit ${fmtInt(o.limit)}${over ? `: ${plural(over, "example")} over` : ""}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
