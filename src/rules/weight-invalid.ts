import { MESSAGE_PATH, allMessages, anyMessage, path, preview } from "./utils/record.js";
import { locatePointer } from "../io/json-text.js";
import { defineRule } from "./types.js";

const isWeighted = (m: Record<string, unknown>) => m.weight === 0 || m.weight === 1;

const AT = path(`${MESSAGE_PATH}/weight`);
const NON_INTEGER_LITERAL = /^-?\d+(?:\.\d+)?[eE.]|^-?\d+\.\d*/;

export default defineRule({
  meta: {
    id: "weight-invalid",
    severity: "error",
    description: "Require message weights to be the JSON integers 0 or 1.",
    messages: {
      invalid: '"weight" must be the integer 0 or 1, found {{value}}.',
      notInteger: '"weight" must be written as the integer {{value}}, not {{literal}}: Together\'s Python checker rejects floats.',
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "`weight` marks whether a message is trained on: `1` (learn it) or `0` (context only). Together's two checkers disagree on the edges " +
      "(Python accepts `true` and rejects `1.0`; TypeScript the reverse), so tunelint accepts only what both accept: the integers `0` and `1`, " +
      "written as integers. `true`, `1.0`, `0.5` and strings are errors.",
    examples: { bad: ['{"messages": [{"role": "user", "content": "Hi", "weight": 1.0}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
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
