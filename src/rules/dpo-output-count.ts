import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "dpo-output-count",
    severity: "error",
    description: "Require each preference output to be a list of exactly one message.",
    messages: { count: '"{{key}}" must hold exactly one assistant message, found {{count}}.' },
    scope: "record",
    formats: ["preference"],
    docs: "In Together's preference (DPO) format, `preferred_output` and `non_preferred_output` are each a list with exactly one assistant message: the two candidate replies to the input conversation.",
    examples: {
      bad: [
        '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": [], "non_preferred_output": [{"role": "assistant", "content": "Go away."}]}',
      ],
      good: [
        '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": [{"role": "assistant", "content": "Hello!"}], "non_preferred_output": [{"role": "assistant", "content": "Go away."}]}',
      ],
    },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if ((error.keyword !== "minItems" && error.keyword !== "maxItems") || !/^\/(?:non_)?preferred_output$/.test(error.instancePath))
      return undefined;
    return {
      messageId: "count",
      pointer: error.instancePath,
      data: { key: error.instancePath.slice(1), count: Array.isArray(error.data) ? error.data.length : 0 },
    };
  },
});
