/**
 * `junit` formatter: JUnit XML for GitLab, Jenkins and Azure DevOps test reports.
 *
 * One `<testcase>` per linted file (classname "tunelint", name = the path). Each error and warning is a
 * `<failure>` in that test case (type = rule id, message = the finding), a file that could not be read
 * has an `<error>`, info findings go to `<system-out>`. A clean file is a passing test case.
 * Text is escaped for XML 1.0, and characters XML 1.0 forbids (control characters, lone surrogates,
 * U+FFFE/U+FFFF) are removed.
 */
import type { Diagnostic, FileResult, Formatter } from "../types.js";

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
  return `${location(d)}, ${d.severity[0]!.toUpperCase()}${d.severity.slice(1)} - ${d.message} (${d.ruleId})${at}`;
}

function testcase(file: FileResult): string {
  const name = escapeXmlAttr(file.path);
  const attrs = `classname="tunelint" name="${name}" file="${name}" time="0"`;
  const failures = file.diagnostics.filter((d) => d.severity !== "info");
  const infos = file.diagnostics.filter((d) => d.severity === "info");
  if (!failures.length && !infos.length && !file.fatal) return `    <testcase ${attrs}/>`;
  const body: string[] = [];
  if (file.fatal) {
    body.push(`      <error message="${escapeXmlAttr(`${file.path} could not be read to the end`)}" type="fatal"/>`);
  }
  for (const d of failures) {
    body.push(
      `      <failure message="${escapeXmlAttr(`${location(d)}: ${d.message}`)}" type="${escapeXmlAttr(d.ruleId)}">${escapeXmlText(describe(d))}</failure>`,
    );
  }
  if (infos.length) {
    body.push(`      <system-out>${escapeXmlText(infos.map(describe).join("\n"))}</system-out>`);
  }
  return `    <testcase ${attrs}>\n${body.join("\n")}\n    </testcase>`;
}

export const junit: Formatter = (report) => {
  const tests = report.files.length;
  const failures = report.files.filter((f) => f.diagnostics.some((d) => d.severity !== "info")).length;
  const errors = report.files.filter((f) => f.fatal).length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="0"`;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tunelint" ${counts}>`,
    `  <testsuite name="tunelint" ${counts}>`,
    ...report.files.map(testcase),
    `  </testsuite>`,
    `</testsuites>`,
  ];
  return lines.join("\n") + "\n";
};

export default junit;
