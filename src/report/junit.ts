/**
 * `junit` formatter: JUnit XML for GitLab, Jenkins and Azure DevOps test reports.
 *
 * One `<testcase>` per linted file (classname "tunelint", name = the path, file = the repo-relative path).
 * A file with errors or warnings fails: one `<failure>` whose message counts them and names the first,
 * and whose text has one line per finding ("line 3, col 14, Error - message (rule-id) at /pointer").
 * A file that could not be read has an `<error>`; info findings go to `<system-out>`; a clean file passes.
 * Text is escaped for XML 1.0, and characters XML 1.0 forbids (control characters, lone surrogates,
 * U+FFFE/U+FFFF) are removed.
 */
import type { Diagnostic, FileResult, Formatter } from "../types.js";
import { repoRelativePath } from "./shared.js";

// Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Remove characters that XML 1.0 cannot represent at all (not even as character references). */
export function stripIllegalXml(text: string): string {
  return text.replace(ILLEGAL_XML, "");
}

/** Escape text content. */
export function escapeXmlText(text: string): string {
  return stripIllegalXml(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escape an attribute value (double-quoted); line breaks and tabs kept as character references. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

function location(d: Diagnostic): string {
  if (d.line == null) return "file";
  return d.column != null ? `line ${d.line}, col ${d.column}` : `line ${d.line}`;
}

function describe(d: Diagnostic): string {
  const at = d.pointer ? ` at ${d.pointer}` : "";
  const message = d.message.replace(/\s*[\r\n]+\s*/g, " "); // one line per finding
  return `${location(d)}, ${d.severity[0]!.toUpperCase()}${d.severity.slice(1)} - ${message} (${d.ruleId})${at}`;
}

function counts(failures: Diagnostic[]): string {
  const e = failures.filter((d) => d.severity === "error").length;
  const w = failures.length - e;
  const parts = [];
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** Token stats as JUnit properties (with --model): total and trained tokens, their p50/p95. */
function properties(file: FileResult): string | null {
  const t = file.stats?.tokens;
  if (!t) return null;
  const props: [string, string | number | boolean][] = [
    ["tokens.model", t.model],
    ["tokens.method", t.method],
    ["tokens.exact", t.exact],
    ["tokens.total", t.total],
    ["tokens.p50", t.p50],
    ["tokens.p95", t.p95],
    ["tokens.overLimit", t.overLimit],
    ["tokens.trained", t.trained],
    ["tokens.trainedP50", t.trainedP50],
    ["tokens.trainedP95", t.trainedP95],
    ["tokens.untrained", t.untrained],
    ["tokens.trainOnInputs", String(t.trainOnInputs)],
  ];
  const rows = props.map(([k, v]) => `        <property name="${k}" value="${escapeXmlAttr(String(v))}"/>`);
  return ["      <properties>", ...rows, "      </properties>"].join("\n");
}

function testcase(file: FileResult, cwd: string): string {
  const name = escapeXmlAttr(file.path);
  const attrs = `classname="tunelint" name="${name}" file="${escapeXmlAttr(repoRelativePath(file.path, cwd))}" time="0"`;
  const failures = file.diagnostics.filter((d) => d.severity !== "info");
  const infos = file.diagnostics.filter((d) => d.severity === "info");
  const props = properties(file);
  if (!failures.length && !infos.length && !file.fatal && !props) return `    <testcase ${attrs}/>`;
  const body: string[] = [];
  if (props) body.push(props);
  if (file.fatal) {
    body.push(`      <error message="${escapeXmlAttr(`${file.path} could not be read to the end`)}" type="fatal"/>`);
  } else if (failures.length) {
    // One <failure> per test case, listing every finding on its own line: GitLab (Hash.from_xml), Jenkins
    // and Azure DevOps read one failure element per test case, and a second one is lost or breaks the parse.
    const first = failures[0]!;
    const message = `${counts(failures)}; first: ${location(first)}: ${first.message} (${first.ruleId})`;
    const type = failures.some((d) => d.severity === "error") ? "error" : "warning";
    body.push(
      `      <failure message="${escapeXmlAttr(message)}" type="${type}">${escapeXmlText(failures.map(describe).join("\n"))}</failure>`,
    );
  }
  if (infos.length) {
    body.push(`      <system-out>${escapeXmlText(infos.map(describe).join("\n"))}</system-out>`);
  }
  return `    <testcase ${attrs}>\n${body.join("\n")}\n    </testcase>`;
}

export const junit: Formatter = (report, ctx) => {
  const tests = report.files.length;
  const errors = report.files.filter((f) => f.fatal).length;
  const failures = report.files.filter((f) => !f.fatal && f.diagnostics.some((d) => d.severity !== "info")).length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="0"`;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tunelint" ${counts}>`,
    `  <testsuite name="tunelint" ${counts}>`,
    ...report.files.map((f) => testcase(f, ctx.cwd)),
    `  </testsuite>`,
    `</testsuites>`,
  ];
  return lines.join("\n") + "\n";
};

export default junit;
