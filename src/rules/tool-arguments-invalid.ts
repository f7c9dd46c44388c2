import { columnInString, findJsonSyntaxError } from "../io/json-text.js";
import { allMessages } from "./utils/record.js";
import { callsOf, decodeArguments, hasToolTraffic } from "./utils/tools.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "tool-arguments-invalid",
    severity: "error",
    description: "Require tool-call arguments to be a JSON object: an object, or a string that decodes to one.",
    messages: {
      unparsable: "Arguments of {{name}} are not valid JSON: {{reason}} (character {{offset}} of the string).",
      empty: 'Arguments of {{name}} are an empty string: give "{}" for a call without arguments.',
      notObject: "Arguments of {{name}} decode to {{found}}, not a JSON object of named arguments.",
      doubleEncoded:
        "Arguments of {{name}} are encoded twice: the string decodes to another JSON string. Encode the arguments object once (JSON.stringify of the object).",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "`function.arguments` of a tool call holds the named arguments of the call: in the OpenAI and Together shape a string with the JSON " +
      'of an object (`"{\\"city\\": \\"Paris\\"}"`), or the object itself. The trainer decodes the string to give the chat template the ' +
      "arguments (most templates print `arguments | tojson`), and the model learns to write exactly what it is shown.\n\n" +
      "Reported: a string that is not JSON (with the column of the first bad character inside the string, e.g. single quotes or a " +
      "trailing comma from a Python `str(dict)`), an empty string, JSON that is not an object (a list, a number, `null`), and a " +
      '**double-encoded** string: one that decodes to another string holding the JSON (`"\\"{\\\\\\"city\\\\\\": ...}\\""`), ' +
      "the result of calling `json.dumps` twice, which teaches the model to answer with a quoted string instead of a call.\n\n" +
      "**Severity: error.** Arguments that do not decode to an object cannot be rendered as a call: the job fails on them or the model " +
      "learns to emit calls no client can parse. Fix the export: `json.dumps(arguments_dict)` once.",
    examples: {
      bad: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\'city\': \'Paris\'}"}}]}], "tools": [{"type": "function", "function": {"name": "get_weather"}}]}',
      ],
      good: [
        '{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}], "tools": [{"type": "function", "function": {"name": "get_weather"}}]}',
      ],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      if (!hasToolTraffic(ctx.record, ctx.format)) return;
      for (const { message, pointer, index } of allMessages(ctx.record, ctx.format)) {
        for (const call of callsOf(message, pointer, index)) {
          const d = decodeArguments(call.args);
          if (d.ok || d.kind === "absent") continue;
          const p = `${call.pointer}/function/arguments`;
          const name = call.name ?? "the call";
          if (d.kind === "unparsable") {
            const args = call.args as string;
            if (args.trim() === "") {
              report({ messageId: "empty", pointer: p, data: { name } });
              continue;
            }
            const err = findJsonSyntaxError(args);
            const offset = err?.offset ?? 0;
            report({
              messageId: "unparsable",
              pointer: p,
              column: columnInString(ctx.text, p, offset),
              data: { name, reason: err?.reason ?? d.error, offset: offset + 1 },
            });
          } else if (d.kind === "notObject") report({ messageId: "notObject", pointer: p, data: { name, found: d.found } });
          else report({ messageId: "doubleEncoded", pointer: p, data: { name } });
        }
      }
    },
  }),
});
