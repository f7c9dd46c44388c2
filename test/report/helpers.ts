import type { Diagnostic, FileResult, FormatContext, LintReport, RuleDoc, Severity } from "../../src/types.js";

export const RULES: RuleDoc[] = [
  {
    id: "json/parse",
    severity: "error",
    description: "Make every line valid JSON.",
    docsUrl: "https://tunelint.dev/docs/rules/json/parse",
  },
  {
    id: "messages/empty-content",
    severity: "error",
    description: "Give every message content.",
    docsUrl: "https://tunelint.dev/docs/rules/messages/empty-content",
  },
  {
    id: "messages/trailing-whitespace",
    severity: "warning",
    description: "Trim whitespace at the end of messages.",
    docsUrl: "https://tunelint.dev/docs/rules/messages/trailing-whitespace",
  },
  {
    id: "file/empty",
    severity: "error",
    description: "Put at least one record in the file.",
    docsUrl: "https://tunelint.dev/docs/rules/file/empty",
  },
  {
    id: "tokens/stats",
    severity: "info",
    description: "Report token statistics.",
    docsUrl: "https://tunelint.dev/docs/rules/tokens/stats",
  },
];

export function ctx(cwd = "/repo", extra: Partial<FormatContext> = {}): FormatContext {
  return { cwd, rules: RULES, ...extra };
}

export function diag(p: Partial<Diagnostic> & { severity?: Severity } = {}): Diagnostic {
  return {
    ruleId: "messages/empty-content",
    severity: "error",
    line: 3,
    column: 14,
    pointer: "/messages/1/content",
    message: "Message 1 has empty content.",
    messageId: "emptyContent",
    data: { index: 1 },
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
          column: 1,
          ruleId: "json/parse",
          messageId: "invalidJson",
          pointer: "",
          message: "Line is not valid JSON: Unexpected token } in JSON at position 12",
        }),
        diag({
          line: 9,
          column: 30,
          severity: "warning",
          ruleId: "messages/trailing-whitespace",
          messageId: "trailing",
          message: 'Message 0 ends with whitespace: "hi, there: \\n"\n100% sure',
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
      [diag({ ruleId: "file/empty", messageId: "empty", line: null, column: null, pointer: "", message: "The file has no records." })],
      { records: 0, format: null },
    ),
    file("data/dir with space/ok,1:2.jsonl", []),
    file("data/info.jsonl", [
      diag({
        severity: "info",
        ruleId: "tokens/stats",
        messageId: "stats",
        line: null,
        column: null,
        pointer: "",
        message: "Mean 12 tokens.",
      }),
    ]),
  ]);
}
