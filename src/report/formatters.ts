/** The formatter registry: name -> pure function from a LintReport to text. */
import type { FormatContext, Formatter } from "../types.js";
import { github, githubChunks } from "./github.js";
import { html } from "./html.js";
import { json, jsonChunks } from "./json.js";
import { junit, junitChunks } from "./junit.js";
import { markdown } from "./markdown.js";
import { sarif, sarifChunks } from "./sarif.js";
import { stylish, stylishChunks } from "./stylish.js";
import type { LintReport } from "../types.js";

export const formatters: Record<string, Formatter> = {
  stylish,
  json,
  sarif,
  github,
  markdown,
  junit,
  html,
};

/**
 * The same formats as pieces of text, for writers that stream a report instead of holding it as one string (the
 * concatenation equals the formatter's output). Markdown is bounded (1 MiB at most) and has no streaming form.
 */
export const formatterChunks: Record<string, (report: LintReport, ctx: FormatContext) => Iterable<string>> = {
  stylish: stylishChunks,
  json: jsonChunks,
  sarif: sarifChunks,
  github: githubChunks,
  junit: junitChunks,
};

export { MACHINE_FORMATS } from "./load.js";
export { DOCS_BASE, formatContext, ruleDocs } from "./context.js";

export { github, html, json, junit, markdown, sarif, stylish };
