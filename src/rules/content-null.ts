import { MESSAGE_PATH, path } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(`${MESSAGE_PATH}/content`);

export default defineRule({
  meta: {
    id: "content-null",
    severity: "error",
    description: "Disallow null `content` (except on assistant tool-call messages).",
    messages: { isNull: '"content" is null: give the message text, or drop the message.' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "A null content usually comes from a missing value in a dataframe export (NaN/None). Only an assistant message with `tool_calls` may have null content.",
    examples: { bad: ['{"messages": [{"role": "user", "content": null}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword === "type" && AT.test(error.instancePath) && error.data === null)
      return { messageId: "isNull", pointer: error.instancePath };
    return undefined;
  },
});
