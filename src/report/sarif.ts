/**
 * `sarif` formatter: SARIF 2.1.0 as GitHub code scanning accepts it.
 *
 * - `tool.driver.rules` lists every rule of the registry (id, short description, help URI, default level),
 *   plus any rule id that only appears in results, so `ruleIndex` always resolves.
 * - Every result has a repo-relative artifact URI (relative to `ctx.cwd`, forward slashes, percent-encoded)
 *   and a region: GitHub rejects results without `region.startLine`, so a file-level finding (line null)
 *   is placed on line 1.
 * - `partialFingerprints["tunelintFingerprint/v1"]` hashes file, rule, message and JSON Pointer (not the
 *   line, so inserting a record above does not reopen alerts) plus an occurrence counter for duplicates.
 * - `info` findings become level `note`.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { FileResult, Formatter, FormatContext, LintReport, RuleDoc, Severity } from "../types.js";
import { repoRelativePath } from "./shared.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "tunelintFingerprint/v1";
/** GitHub code scanning keeps at most this many results per run. */
export const GITHUB_MAX_RESULTS = 25_000;

type SarifLevel = "error" | "warning" | "note";
const LEVEL: Record<Severity, SarifLevel> = { error: "error", warning: "warning", info: "note" };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface SarifOptions {
  /**
   * Keep at most this many results (errors first, then warnings, then notes; file order within a level).
   * The number left out is recorded in `runs[0].properties.truncatedResults`. Default: no limit.
   */
  maxResults?: number;
}

interface Located {
  file: FileResult;
  uri: string;
  index: number;
}

/** A repo-relative path as a URI reference: each segment percent-encoded; outside paths as file: URIs. */
export function artifactUri(filePath: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = repoRelativePath(filePath, cwd);
  if (rel.startsWith("/") || /^[A-Za-z]:\//.test(rel)) return { uri: pathToFileURL(rel).href };
  return { uri: rel.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

function fingerprint(parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function formatSarif(report: LintReport, ctx: FormatContext, options: SarifOptions = {}): string {
  const rules: RuleDoc[] = [...ctx.rules];
  const ruleIndex = new Map<string, number>();
  rules.forEach((r, i) => ruleIndex.set(r.id, i));

  const artifacts: Array<{ location: { uri: string; uriBaseId?: string }; length?: number; hashes?: Record<string, string> }> = [];
  const located: Located[] = report.files.map((file) => {
    const loc = artifactUri(file.path, ctx.cwd);
    const artifact: (typeof artifacts)[number] = { location: loc };
    if (file.stats && Number.isInteger(file.stats.bytes)) artifact.length = file.stats.bytes;
    if (file.stats?.sha256 && /^[0-9a-f]{64}$/.test(file.stats.sha256)) artifact.hashes = { "sha-256": file.stats.sha256 };
    artifacts.push(artifact);
    return { file, uri: loc.uri, index: artifacts.length - 1 };
  });

  // Order: all results in file order, or (when capped) by severity first.
  type Item = { at: Located; d: FileResult["diagnostics"][number] };
  let items: Item[] = [];
  for (const at of located) for (const d of at.file.diagnostics) items.push({ at, d });
  let truncated = 0;
  if (options.maxResults !== undefined && items.length > options.maxResults) {
    items = items
      .map((it, order) => ({ it, order }))
      .sort((a, b) => SEVERITY_RANK[a.it.d.severity] - SEVERITY_RANK[b.it.d.severity] || a.order - b.order)
      .slice(0, Math.max(0, options.maxResults))
      .map((x) => x.it);
    truncated = report.files.reduce((n, f) => n + f.diagnostics.length, 0) - items.length;
  }

  const seen = new Map<string, number>();
  const results = items.map(({ at, d }) => {
    let index = ruleIndex.get(d.ruleId);
    if (index === undefined) {
      // A rule outside the registry (e.g. an internal parse/I/O finding): describe it so ruleIndex resolves.
      index = rules.length;
      rules.push({ id: d.ruleId, severity: d.severity, description: d.ruleId, docsUrl: "" });
      ruleIndex.set(d.ruleId, index);
    }
    const key = fingerprint([at.uri, d.ruleId, d.messageId, d.pointer, d.message]);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const region: Record<string, number> = { startLine: d.line ?? 1 };
    if (d.line != null && d.column != null) region.startColumn = d.column;
    const properties: Record<string, unknown> = { messageId: d.messageId, pointer: d.pointer };
    if (d.line == null) properties.fileLevel = true;
    return {
      ruleId: d.ruleId,
      ruleIndex: index,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { ...artifacts[at.index]!.location, index: at.index },
            region,
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: `${key}:${occurrence}` },
      properties,
    };
  });

  const runProperties: Record<string, unknown> = {
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    infoCount: report.infoCount,
  };
  if (truncated > 0) runProperties.truncatedResults = truncated;
  const tokenStats = report.files.filter((f) => f.stats?.tokens).map((f) => ({ uri: artifactUri(f.path, ctx.cwd).uri, ...f.stats.tokens }));
  if (tokenStats.length) runProperties.tokens = tokenStats;

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tunelint",
            version: report.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(report.version) ? report.version : undefined,
            informationUri: informationUri(rules),
            rules: rules.map((r) => {
              const rule: Record<string, unknown> = {
                id: r.id,
                name: ruleName(r.id),
                shortDescription: { text: r.description || r.id },
                fullDescription: { text: r.description || r.id },
                defaultConfiguration: { level: LEVEL[r.severity], ...(r.defaultOff ? { enabled: false } : {}) },
              };
              if (r.docsUrl) rule.helpUri = r.docsUrl;
              if (r.docsUrl)
                rule.help = { text: `${r.description} See ${r.docsUrl}`, markdown: `${r.description} [Documentation](${r.docsUrl})` };
              return rule;
            }),
          },
        },
        columnKind: "utf16CodeUnits",
        artifacts,
        results,
        properties: runProperties,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** "messages/empty-content" -> "MessagesEmptyContent" (SARIF `name` is a PascalCase identifier by convention). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => s[0]!.toUpperCase() + s.slice(1))
    .join("");
}

/** The docs site root, taken from the rules' docs URLs (`https://host/…/rules/x` -> `https://host/…/`). */
function informationUri(rules: RuleDoc[]): string | undefined {
  const url = rules.find((r) => /^https?:\/\//.test(r.docsUrl))?.docsUrl;
  if (!url) return undefined;
  try {
    return new URL(".", new URL(url.replace(/\/rules\/.*$/, "/"))).href;
  } catch {
    return undefined;
  }
}

export const sarif: Formatter = (report, ctx) => formatSarif(report, ctx);

export default sarif;
