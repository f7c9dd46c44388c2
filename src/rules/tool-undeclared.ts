import { nearest } from "../util/nearest.js";
import { allMessages } from "./utils/record.js";
import { callsOf, declaredFunctions, hasToolTraffic, toolsOf } from "./utils/tools.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-undeclared",
    severity: "warning",
    description: "Require every called function to be declared in the record's `tools`.",
    messages: {
      undeclared: 'Call to "{{name}}", which `tools` does not declare (declared: {{declared}}).{{hint}}',
      noTools: 'Call to "{{name}}" but the record declares no `tools`: the model is shown no function to call.',
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "The chat template renders the record's `tools` (DPO: `input.tools`) into the prompt: they are the functions the model is told it " +
      "may call. A call to a function that is not declared, usually a renamed function or a `tools` list dropped by the export, teaches " +
      "the model to call functions it was never offered: at inference it invents tools.\n\n" +
      "**Severity: warning.** The record still renders and Together accepts it; it trains badly. Declare the function in `tools` (name, " +
      "description, parameters) or fix the call's name.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]}], "tools": [{"type": "function", "function": {"name": "get_forecast"}}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]}], "tools": [{"type": "function", "function": {"name": "get_weather"}}]}',
      ],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      if (!hasToolTraffic(ctx.record, ctx.format)) return;
      const t = toolsOf(ctx.record, ctx.format);
      if (t && !Array.isArray(t.tools)) return; // tools-invalid
      const declared = t ? declaredFunctions(t.tools, t.pointer) : new Map();
      const names = [...declared.keys()];
      for (const { message, pointer, index } of allMessages(ctx.record, ctx.format)) {
        for (const call of callsOf(message, pointer, index)) {
          if (call.name === null || declared.has(call.name)) continue;
          const p = `${call.pointer}/function/name`;
          if (names.length === 0) {
            report({ messageId: "noTools", pointer: p, data: { name: call.name } });
            continue;
          }
          const near = nearest(call.name, names, 1);
          report({
            messageId: "undeclared",
            pointer: p,
            data: {
              name: call.name,
              declared: names.slice(0, 5).join(", ") + (names.length > 5 ? ", …" : ""),
              hint: near.length ? ` Did you mean "${near[0]}"?` : "",
            },
          });
        }
      }
    },
  }),
});
