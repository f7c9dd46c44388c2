import { MESSAGE_PATH, allMessages, anyMessage, path, preview } from "./utils/record.js";
import { locatePointer } from "../io/json-text.js";
import { defineRule, type FixOperation } from "./types.js";

const isWeighted = (m: Record<string, unknown>) => m.weight === 0 || m.weight === 1;

const AT = path(`${MESSAGE_PATH}/weight`);
const SAMPLE = "/weight";
const NON_INTEGER_LITERAL = /^-?\d+(?:\.\d+)?[eE.]|^-?\d+\.\d*/;

export default defineRule({
  meta: {
    id: "weight-invalid",
    severity: "error",
    description: "Require message weights to be the JSON integers 0 or 1, and an example's weight to be a non-negative number.",
    messages: {
      sample: 'The example\'s "weight" must be a non-negative number (a loss multiplier such as 0.5, 1 or 2), found {{value}}.',
      invalid: '"weight" must be the integer 0 or 1, found {{value}}.',
      notInteger: '"weight" must be written as the integer {{value}}, not {{literal}}: Together\'s Python checker rejects floats.',
    },
    scope: "record",
    docs:
      "Two different weights. **Per message** (conversation and preference formats), `weight` marks whether a message is trained on: `1` (learn it) or `0` (context only). Together's two checkers disagree on the edges " +
      "(Python accepts `true` and rejects `1.0`; TypeScript the reverse), so tunelint accepts only what both accept: the integers `0` and `1`, " +
      "written as integers. `true`, `1.0`, `0.5` and strings are errors. `tunelint fix` writes `true`/`1.0` as `1` and " +
      "`false`/`0.0` as `0`; other values are left for you.\n\n" +
      "**Per example** (every format), an optional top-level `weight` multiplies the loss of the whole sample (Together's sample " +
      "weights: default 1.0; 0 keeps the example for packing but out of the loss). Any non-negative number is accepted, floats " +
      "included; a negative number, a string, a boolean, null, or a literal too large for a double (`1e999`, read as infinity) is an error. " +
      "`tunelint fix` writes a boolean sample weight as `1` or `0`.",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "Hi", "weight": 1.0}]}', '{"text": "Some text.", "weight": -1}'],
      good: ['{"text": "Some text.", "weight": 0.5}'],
    },
    since: "0.1.0",
    fixable: "code",
  },
  fix: {
    // true/1.0 -> 1 and false/0.0 -> 0: the same number, written as both checkers accept it.
    record({ record, format, text }) {
      const ops: FixOperation[] = [];
      // A boolean sample weight: the same 1 or 0 (floats are fine there).
      if (record.weight === true || record.weight === false) ops.push({ op: "set", pointer: "/weight", value: record.weight ? 1 : 0 });
      for (const { message, pointer } of allMessages(record, format)) {
        const w = message.weight;
        if (w === true || w === false) ops.push({ op: "set", pointer: `${pointer}/weight`, value: w ? 1 : 0 });
        else if ((w === 0 || w === 1) && text && /"weight"\s*:\s*-?\d+[.eE]/.test(text)) {
          const at = locatePointer(text, `${pointer}/weight`);
          if (!at.exact) continue;
          const literal = /^-?[\d.eE+-]+/.exec(text.slice(at.offset))?.[0] ?? "";
          if (NON_INTEGER_LITERAL.test(literal)) ops.push({ op: "set", pointer: `${pointer}/weight`, value: w, before: literal });
        }
      }
      return ops;
    },
  },
  fromSchema({ error }) {
    if (error.instancePath === SAMPLE) {
      const v = error.data;
      return { messageId: "sample", pointer: SAMPLE, data: { value: typeof v === "number" ? String(v) : preview(v) } };
    }
    if (!AT.test(error.instancePath)) return undefined;
    return { messageId: "invalid", pointer: error.instancePath, data: { value: preview(error.data) } };
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      // JSON.parse turns 1.0 into 1; look at the literal only on lines that have weights and could have one.
      if (!anyMessage(ctx.record, ctx.format, isWeighted) || !/"weight"\s*:\s*-?\d+[.eE]/.test(ctx.text)) return;
      for (const { message, pointer } of allMessages(ctx.record, ctx.format)) {
        if (!isWeighted(message)) continue;
        const at = locatePointer(ctx.text, `${pointer}/weight`);
        if (!at.exact) continue;
        const literal = /^-?[\d.eE+-]+/.exec(ctx.text.slice(at.offset))?.[0] ?? "";
        if (NON_INTEGER_LITERAL.test(literal)) {
          report({
            messageId: "notInteger",
            pointer: `${pointer}/weight`,
            column: at.offset + 1,
            data: { value: Number(message.weight), literal },
          });
        }
      }
    },
  }),
});
