/** "N more" lines for the findings a file counted but did not keep (over `maxFindingsPerRule`). Pure text helpers. */
import type { FileResult, OmittedFindings } from "../types.js";
import { fmtInt } from "./shared.js";

function noun(severity: OmittedFindings["severity"], n: number): string {
  if (severity === "info") return n === 1 ? "info finding" : "info findings";
  return n === 1 ? severity : `${severity}s`;
}

/** "4,000 more blank-line errors not shown (the first 1,000 are listed; --max-findings-per-rule sets how many)". */
export function omittedMessage(file: FileResult, o: OmittedFindings): string {
  let kept = 0;
  for (const d of file.diagnostics) if (d.ruleId === o.ruleId) kept++;
  return (
    `${fmtInt(o.count)} more ${o.ruleId} ${noun(o.severity, o.count)} not shown ` +
    `(the first ${fmtInt(kept)} are listed; --max-findings-per-rule sets how many are kept)`
  );
}

/** Total findings counted but not kept in a file. */
export function omittedCount(file: FileResult): number {
  let n = 0;
  for (const o of file.omitted ?? []) n += o.count;
  return n;
}
