import { defineRule, type Report } from "./types.js";

// C0 controls except TAB; LF never occurs inside a line and a CR before LF is already stripped.
const CONTROL = /[\u0000-\u0008\u000a-\u001f]/;

export default defineRule({
  meta: {
    id: "control-character",
    severity: "error",
    description: "Disallow raw control characters (NUL, lone CR, ESC...) in a line.",
    messages: {
      control:
        "Raw control character {{code}} ({{name}}) in the line; JSON requires it escaped (e.g. \\u0000), and a lone CR is not a line end.",
    },
    scope: "line",
    docs:
      "Raw control characters are not allowed inside JSON strings and are invalid between tokens. NUL bytes usually come from binary data or " +
      "UTF-16 files; a lone CR (old Mac line ends) is not a line end in JSONL. Escape them inside strings or remove them. " +
      "A CR directly before the LF (Windows line ends) is accepted; `tunelint fix` rewrites such line ends as LF.",
    since: "0.1.0",
    fixable: "whitespace",
  },
  fix: {
    // A CR before the LF is tolerated by Together's readers, but it is a control character at the end of every line:
    // `tunelint fix` writes plain LF line ends.
    line({ crlf }) {
      return crlf ? { crlf: false, before: "CR LF line end", after: "LF" } : undefined;
    },
  },
  // A line JSON.parse accepts can hold no raw control character but a CR between tokens (JSON whitespace), so the
  // full scan runs only on lines that failed to parse; parsed lines get one indexOf for CR.
  latin1View: "safe",
  create: () => ({
    parseError(ctx, report) {
      check(ctx.text, report);
    },
    value(ctx, report) {
      if (ctx.text.indexOf("\r") !== -1) check(ctx.text, report);
    },
  }),
});

function check(text: string, report: Report): void {
  const m = CONTROL.exec(text);
  if (!m) return;
  const c = m[0].charCodeAt(0);
  const names: Record<number, string> = { 0: "NUL", 0x0d: "CR", 0x1b: "ESC", 0x08: "BS", 0x0c: "FF", 0x0b: "VT" };
  report({
    messageId: "control",
    column: m.index + 1,
    data: { code: `U+${c.toString(16).toUpperCase().padStart(4, "0")}`, name: names[c] ?? "control" },
  });
}
