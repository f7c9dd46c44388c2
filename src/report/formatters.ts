/** The formatter registry: name -> pure function from a LintReport to text. */
import { rules } from "../rules/index.js";
import type { FormatContext, Formatter, RuleDoc } from "../types.js";
import { github } from "./github.js";
import { html } from "./html.js";
import { json } from "./json.js";
import { junit } from "./junit.js";
import { markdown } from "./markdown.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";

export const formatters: Record<string, Formatter> = {
  stylish,
  json,
  sarif,
  github,
  markdown,
  junit,
  html,
};

/** Formats that print a machine document (only the document may go to stdout). */
export const MACHINE_FORMATS = new Set(["json", "sarif", "junit", "github", "html"]);

export const DOCS_BASE = "https://github.com/tunelint/tunelint/blob/main/docs/rules/";

export function ruleDocs(): RuleDoc[] {
  return rules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    ...(r.meta.defaultOff ? { defaultOff: true } : {}),
    description: r.meta.description,
    docsUrl: `${DOCS_BASE}${r.meta.id}.md`,
  }));
}

export function formatContext(partial: Partial<FormatContext> = {}): FormatContext {
  return { cwd: process.cwd(), rules: ruleDocs(), ...partial };
}

export { github, html, json, junit, markdown, sarif, stylish };
