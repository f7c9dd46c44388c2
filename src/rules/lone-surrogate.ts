import { pointerOf } from "../io/json-text.js";
import { defineRule } from "./types.js";

/** A UTF-16 surrogate without its partner. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * A JSON escape of a surrogate that is not part of an escaped pair: the only way a lone surrogate reaches a decoded
 * line. A cheap pre-check (pairs, as Python's ensure_ascii writes every emoji, do not match); the walk decides.
 */
const LONE_ESCAPED = /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

function wellFormed(s: string): boolean {
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return f ? f.call(s) : !LONE.test(s);
}

export default defineRule({
  meta: {
    id: "lone-surrogate",
    severity: "error",
    description: "Disallow strings holding a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape).",
    messages: {
      value:
        "String holds a lone surrogate ({{code}} without its pair): it is not a Unicode character, cannot be written as UTF-8 and breaks tokenizers.",
      key: "Key holds a lone surrogate ({{code}} without its pair): it is not a Unicode character and cannot be written as UTF-8.",
    },
    scope: "line",
    docs:
      'JSON can spell a UTF-16 surrogate as an escape, `"\\ud83d"`, and `JSON.parse` and Python\'s `json.loads` accept half of a pair on its own. ' +
      "The result is not text: it has no UTF-8 encoding (Python raises `UnicodeEncodeError` when it writes it out, Rust tokenizers refuse or " +
      "replace it), so the example fails or silently changes downstream. A pair (`\\ud83d\\ude00`, 😀) is fine. This usually comes from " +
      "cutting a string in the middle of an emoji: cut at code points, or drop the broken half.",
    examples: { bad: ['{"text": "cut emoji \\ud83d"}'], good: ['{"text": "whole emoji \\ud83d\\ude00"}'] },
    since: "0.1.0",
  },
  // Safe on the Latin-1 view: it reads only JSON structure and escapes (the view is used only for lines without
  // \u escapes), and any finding sends the line back to be judged decoded, so columns and messages are unchanged.
  latin1View: "safe",
  create: () => ({
    value(ctx, report) {
      // Decoded UTF-8 never holds a surrogate: only an escape in the text can make one.
      if (ctx.text.indexOf("\\u") === -1 || !LONE_ESCAPED.test(ctx.text)) return;
      const stack: { v: unknown; path: string[] }[] = [{ v: ctx.value, path: [] }];
      while (stack.length) {
        const { v, path } = stack.pop()!;
        if (typeof v === "string") {
          if (!wellFormed(v)) {
            const m = LONE.exec(v)!;
            report({ messageId: "value", pointer: pointerOf(...path), data: { code: `\\u${m[0].charCodeAt(0).toString(16)}` } });
          }
        } else if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, String(i)] });
        } else if (v !== null && typeof v === "object") {
          const keys = Object.keys(v);
          for (let i = keys.length - 1; i >= 0; i--) {
            const k = keys[i]!;
            if (!wellFormed(k)) {
              const m = LONE.exec(k)!;
              report({
                messageId: "key",
                pointer: pointerOf(...path, k),
                atKey: true,
                data: { code: `\\u${m[0].charCodeAt(0).toString(16)}` },
              });
            }
            stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
          }
        }
      }
    },
  }),
});
