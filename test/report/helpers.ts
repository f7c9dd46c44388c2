import { renderMessage } from "../../src/lint/file-linter.js";
import { ruleDocs } from "../../src/report/formatters.js";
import { ruleById } from "../../src/rules/index.js";
import type { Diagnostic, FileResult, FormatContext, LintReport, RuleDoc, Severity } from "../../src/types.js";

/** The real registry, as the CLI passes it to formatters. */
export const RULES: RuleDoc[] = ruleDocs();

/** A message from a registered rule's own template (throws for an id or messageId the registry does not have). */
export function message(ruleId: string, messageId: string, data: Record<string, string | number> = {}): string {
  const template = ruleById.get(ruleId)?.meta.messages[messageId];
  if (template === undefined) throw new Error(`no rule message ${ruleId}/${messageId}`);
  return renderMessage(template, data);
}

export function ctx(cwd = "/repo", extra: Partial<FormatContext> = {}): FormatContext {
  return { cwd, rules: RULES, ...extra };
}

export function diag(p: Partial<Diagnostic> & { severity?: Severity } = {}): Diagnostic {
  return {
    ruleId: "role-unknown",
    severity: "error",
    line: 3,
    column: 14,
    pointer: "/messages/1/role",
    message: message("role-unknown", "unknown", { role: '"bot"', hint: "" }),
    messageId: "unknown",
    data: { role: '"bot"', hint: "" },
    ...p,
  };
}

export function file(path: string, diagnostics: Diagnostic[], extra: Partial<FileResult> = {}): FileResult {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  return {
    path,
    format: "conversation",
    records: 10,
    errorCount: count("error"),
    warningCount: count("warning"),
    infoCount: count("info"),
    diagnostics,
    stats: { bytes: 1000, sha256: "0".repeat(64), lines: 10, blankLines: 0, formats: { conversation: 10 } },
    ...extra,
  };
}

export function report(files: FileResult[]): LintReport {
  const sum = (k: "errorCount" | "warningCount" | "infoCount") => files.reduce((n, f) => n + f[k], 0);
  return { version: "0.1.0", files, errorCount: sum("errorCount"), warningCount: sum("warningCount"), infoCount: sum("infoCount") };
}

/** A report with a bit of everything. */
export function sample(cwd = "/repo"): LintReport {
  return report([
    file(
      `${cwd}/data/train.jsonl`,
      [
        diag(),
        diag({
          line: 7,
          column: 13,
          ruleId: "invalid-json",
          messageId: "invalid",
          pointer: "",
          message: message("invalid-json", "invalid", { reason: "expected a value, found '}'", hint: "" }),
          data: { reason: "expected a value, found '}'", hint: "" },
        }),
        diag({
          line: 9,
          column: 1,
          severity: "warning",
          ruleId: "token-count-estimate",
          messageId: "record",
          pointer: "",
          // A note with every character workflow commands, XML and Markdown must escape.
          message: message("token-count-estimate", "record", { note: 'chat template failed: "hi, there: \\n"\n100% sure' }),
          data: { note: 'chat template failed: "hi, there: \\n"\n100% sure' },
        }),
      ],
      {
        stats: {
          bytes: 1000,
          sha256: "0".repeat(64),
          lines: 10,
          blankLines: 0,
          formats: { conversation: 10 },
          tokens: {
            model: "meta-llama/Llama-3.3-70B-Instruct",
            method: "sft",
            exact: true,
            limit: 8192,
            total: 12345,
            min: 12,
            max: 9000,
            mean: 1234.5,
            p50: 900,
            p95: 7000,
            overLimit: 1,
            trained: 4321,
            trainedMin: 0,
            trainedMax: 3000,
            trainedMean: 432.1,
            trainedP50: 300,
            trainedP95: 2500,
            untrained: 1,
            trainOnInputs: "auto",
          },
        },
      },
    ),
    file(
      "data/empty.jsonl",
      [
        diag({
          ruleId: "empty-file",
          messageId: "empty",
          line: null,
          column: null,
          pointer: "",
          message: message("empty-file", "empty"),
          data: undefined,
        }),
      ],
      { records: 0, format: null },
    ),
    file("data/dir with space/ok,1:2.jsonl", []),
    file("data/info.jsonl", [
      // No rule defaults to info; a config can set any rule to it.
      diag({
        severity: "info",
        ruleId: "duplicate-example",
        messageId: "duplicate",
        line: 4,
        column: 1,
        pointer: "",
        message: message("duplicate-example", "duplicate", { firstLine: 2 }),
        data: { firstLine: 2 },
      }),
    ]),
  ]);
}
