/** What every formatter is handed besides the report: the working directory and the rule docs. */
import { rules } from "../rules/index.js";
import type { FormatContext, RuleDoc } from "../types.js";

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
