import { MESSAGE_PATH, allMessages, path } from "./utils/record.js";
import { defineRule, type FixOperation } from "./types.js";

const AT = path(`${MESSAGE_PATH}/content`);

export default defineRule({
  meta: {
    id: "content-null",
    severity: "error",
    description: "Disallow null `content` (except on assistant tool-call messages).",
    messages: { isNull: '"content" is null: give the message text, or drop the message.' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A null content usually comes from a missing value in a dataframe export (NaN/None). Only an assistant message with `tool_calls` may have null content; " +
      "`tunelint fix` drops that null (Together's tool-call messages have no `content`).",
    examples: { bad: ['{"messages": [{"role": "user", "content": null}]}'] },
    since: "0.1.0",
    fixable: "code",
  },
  fix: {
    // Together's tool-call messages carry `tool_calls` and no `content`: a null beside them says nothing.
    record({ record, format }) {
      const ops: FixOperation[] = [];
      for (const { message, pointer } of allMessages(record, format)) {
        if (message.content === null && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
          ops.push({ op: "remove", pointer: `${pointer}/content` });
        }
      }
      return ops;
    },
  },
  fromSchema({ error }) {
    if (error.keyword === "type" && AT.test(error.instancePath) && error.data === null)
      return { messageId: "isNull", pointer: error.instancePath };
    return undefined;
  },
});
